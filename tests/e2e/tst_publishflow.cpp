#include "accounts/accountspage.h"
#include "desktopapp.h"
#include "httpclient.h"
#include "mediafixtures.h"
#include "publish/postlistmodel.h"
#include "publish/postspage.h"
#include "publish/publicationlistmodel.h"
#include "publish/publishpage.h"
#include "publish/queuepage.h"
#include "sandbox/sandboxlauncher.h"
#include "screenshots.h"
#include "scriptedbrowser.h"
#include "shell/mainwindow.h"

#include <QDesktopServices>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace huntaze;

// A creator's session in the window, in sandbox mode: connect TikTok, publish three real
// videos from disk (under 5 MB, exactly two 10 MB chunks, and a large one), watch them
// upload in Queue, and see them delivered to the TikTok inbox in Queue and Posts, the
// sandbox holding every byte. Screenshots of each view are saved as test artifacts.
class PublishFlowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void publishThreeVideosAndSeeThemDelivered();

private:
    static bool padTo(const QString &path, qint64 size);
    QTemporaryDir m_scratch;
};

void PublishFlowTest::initTestCase() {
    QFile::setPermissions(m_scratch.path(), QFile::permissions(m_scratch.path()) | QFile::ExeOther |
                                                QFile::ReadOther);
}

// Grows an MP4 to an exact size with a trailing `free` box, which players and TikTok
// ignore: a real video whose size is an exact multiple of the chunk size.
bool PublishFlowTest::padTo(const QString &path, qint64 size) {
    QFile file(path);
    if (!file.open(QIODevice::Append) || size - file.size() < 8)
        return false;
    const quint32 box = quint32(size - file.size());
    char header[8];
    qToBigEndian(box, header);
    memcpy(header + 4, "free", 4);
    file.write(header, 8);
    const QByteArray zeros(1 << 20, '\0');
    while (file.size() < size)
        file.write(zeros.constData(), std::min<qint64>(zeros.size(), size - file.size()));
    return file.size() == size;
}

void PublishFlowTest::publishThreeVideosAndSeeThemDelivered() {
    const QString small = test::makeTestVideo(m_scratch.filePath("small.mp4"), 2, false);
    const QString exact = test::makeTestVideo(m_scratch.filePath("exact.mp4"), 2, false);
    const QString large = test::makeTestVideo(m_scratch.filePath("large.mp4"), 20, true);
    QVERIFY2(!small.isEmpty() && !exact.isEmpty() && !large.isEmpty(),
             "ffmpeg (Debian package ffmpeg) could not make the test videos");
    QVERIFY(padTo(exact, 20'000'000));
    QVERIFY(QFileInfo(small).size() < 5'000'000);
    QVERIFY2(QFileInfo(large).size() > 250'000'000,
             qPrintable(QString::number(QFileInfo(large).size())));

    app::DesktopApp desktop(
        {true, m_scratch.filePath("sandbox"), m_scratch.filePath("huntaze.conf")});
    desktop.window()->resize(1100, 720);
    desktop.start();
    QSignalSpy ready(desktop.sandbox(), &app::SandboxLauncher::ready);
    QVERIFY(ready.wait(120000) || ready.count() == 1);
    const QUrl platforms = desktop.sandbox()->endpoints().platformsUrl;
    test::HttpClient admin;
    QCOMPARE(admin
                 .postJson(platforms.resolved(QUrl("/_admin/tiktok/settings")),
                           {{"processing_seconds", 2}, {"chunk_delay_ms", 150}})
                 .status,
             200);

    // Connect TikTok from the Accounts page.
    auto *connectTikTok = desktop.accountsPage()->findChild<QPushButton *>("connect_tiktok");
    QTRY_VERIFY_WITH_TIMEOUT(connectTikTok && connectTikTok->isEnabled(), 15000);
    test::ScriptedBrowser browser;
    QDesktopServices::setUrlHandler("http", &browser, "open");
    QTest::mouseClick(connectTikTok, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(desktop.accountsPage()->accountLines().size(), 1, 30000);
    QDesktopServices::unsetUrlHandler("http");

    // Publish each file as a creator would: pick it, see it checked, tick the account.
    ui::PublishPage *publish = desktop.publishPage();
    desktop.window()->showSection(ui::MainWindow::Section::Publish);
    auto *accounts = publish->findChild<QListWidget *>("accountList");
    QTRY_COMPARE_WITH_TIMEOUT(accounts->count(), 1, 15000);
    accounts->item(0)->setCheckState(Qt::Checked);
    auto *publishButton = publish->findChild<QPushButton *>("publishButton");
    QSignalSpy published(publish, &ui::PublishPage::published);
    int n = 0;
    for (const QString &file : {small, exact, large}) {
        publish->setFile(file);
        QTRY_VERIFY_WITH_TIMEOUT(
            publish->findChild<QLabel *>("mediaSummary")->text().contains("H.264"), 20000);
        QTRY_VERIFY2_WITH_TIMEOUT(publishButton->isEnabled(),
                                  qPrintable(publish->publishBlockers().join(" | ")), 20000);
        if (n == 0)
            QVERIFY(!test::saveScreenshot(desktop.window(), "publish-ready").isEmpty());
        QTest::mouseClick(publishButton, Qt::LeftButton);
        ++n;
        QTRY_COMPARE_WITH_TIMEOUT(published.count(), n, 15000);
        desktop.window()->showSection(ui::MainWindow::Section::Publish);
    }

    // Queue shows them moving, then delivered to the inbox.
    ui::QueuePage *queue = desktop.queuePage();
    desktop.window()->showSection(ui::MainWindow::Section::Queue);
    ui::PublicationListModel *rows = queue->model();
    QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 3, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < rows->rowCount(); ++r)
                if (rows->state(r) == "uploading" &&
                    rows->data(rows->index(r, ui::PublicationListModel::ProgressColumn))
                        .toString()
                        .contains("%"))
                    return true;
            return false;
        }(),
        60000);
    QVERIFY(!test::saveScreenshot(desktop.window(), "queue-uploading").isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < rows->rowCount(); ++r)
                if (rows->data(rows->index(r, ui::PublicationListModel::StateColumn)).toString() !=
                    "In TikTok inbox")
                    return false;
            return rows->rowCount() == 3;
        }(),
        240000);
    QVERIFY(!test::saveScreenshot(desktop.window(), "queue-delivered").isEmpty());

    // Posts lists the three TikTok posts, delivered.
    desktop.window()->showSection(ui::MainWindow::Section::Posts);
    ui::PostListModel *posts = desktop.postsPage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(posts->rowCount(), 3, 15000);
    QVERIFY(!test::saveScreenshot(desktop.window(), "posts").isEmpty());

    // The sandbox holds each file exactly.
    QSet<QByteArray> expected{test::fileSha256(small), test::fileSha256(exact),
                              test::fileSha256(large)};
    QSet<QByteArray> received;
    for (const QJsonValue &post :
         admin.get(platforms.resolved(QUrl("/_admin/tiktok/posts"))).document().array())
        received.insert(post["sha256"].toString().toLatin1());
    QCOMPARE(received, expected);

    for (auto section : {ui::MainWindow::Section::Insights, ui::MainWindow::Section::Activity,
                         ui::MainWindow::Section::Settings}) {
        desktop.window()->showSection(section);
        QTest::qWait(500);
        QVERIFY(!test::saveScreenshot(desktop.window(),
                                      desktop.window()->sectionNames().at(int(section)).toLower())
                     .isEmpty());
    }
}

QTEST_MAIN(PublishFlowTest)
#include "tst_publishflow.moc"
