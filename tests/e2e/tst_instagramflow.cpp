#include "accounts/accountspage.h"
#include "accounts/instagramaccountpicker.h"
#include "desktopapp.h"
#include "httpclient.h"
#include "inbox/commentlistmodel.h"
#include "inbox/inboxpage.h"
#include "mediafixtures.h"
#include "publish/instagrampublishpage.h"
#include "publish/postlistmodel.h"
#include "publish/postspage.h"
#include "publish/publicationlistmodel.h"
#include "publish/queuepage.h"
#include "sandbox/sandboxlauncher.h"
#include "screenshots.h"
#include "scriptedbrowser.h"
#include "shell/mainwindow.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;

// A creator's Instagram session in the window, in sandbox mode: connect a Facebook login
// that reaches two Instagram accounts and pick one; publish a photo, a reel from a local
// file, a story and a carousel; see each published with its permalink in Queue and
// Posts; a comment arrives by webhook and is answered from the Inbox. Screenshots of the
// Publish, Queue, Posts, Insights and Inbox views are saved as test artifacts.
class InstagramFlowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectPickPublishEveryKindAndAnswerAComment();

private:
    QTemporaryDir m_scratch;
};

void InstagramFlowTest::initTestCase() {
    // The embedded PostgreSQL runs as the postgres user: it must reach the scratch folder.
    QFile::setPermissions(m_scratch.path(), QFile::permissions(m_scratch.path()) | QFile::ExeOther |
                                                QFile::ReadOther);
}

void InstagramFlowTest::connectPickPublishEveryKindAndAnswerAComment() {
    const QString reelFile = test::makeTestVideo(m_scratch.filePath("reel.mp4"), 4, false);
    const QString storyFile = test::makeTestVideo(m_scratch.filePath("story.mp4"), 3, false);
    QVERIFY2(!reelFile.isEmpty() && !storyFile.isEmpty(),
             "ffmpeg (Debian package ffmpeg) could not make the test videos");

    app::DesktopApp desktop(
        {true, m_scratch.filePath("sandbox"), m_scratch.filePath("huntaze.conf")});
    desktop.window()->resize(1200, 760);
    desktop.start();
    QSignalSpy ready(desktop.sandbox(), &app::SandboxLauncher::ready);
    QSignalSpy failed(desktop.sandbox(), &app::SandboxLauncher::failed);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1 || failed.count() > 0, 120000);
    QVERIFY2(failed.isEmpty(),
             qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
    const QUrl platforms = desktop.sandbox()->endpoints().platformsUrl;
    test::HttpClient admin;
    const auto advanceClock = [&](int seconds) {
        admin.postJson(platforms.resolved(QUrl("/_admin/clock")), {{"advance_seconds", seconds}});
    };

    // Connect: Blair's login reaches two Instagram accounts; she picks blair.makes.
    auto *connectButton = desktop.accountsPage()->findChild<QPushButton *>("connect_instagram");
    QTRY_VERIFY_WITH_TIMEOUT(connectButton && connectButton->isEnabled(), 15000);
    test::ScriptedBrowser browser;
    browser.user = QStringLiteral("1000000000002");
    QDesktopServices::setUrlHandler("http", &browser, "open");
    QTest::mouseClick(connectButton, Qt::LeftButton);
    ui::InstagramAccountPicker *picker = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (picker = desktop.accountsPage()->findChild<ui::InstagramAccountPicker *>()) &&
            picker->isVisible(),
        30000);
    QDesktopServices::unsetUrlHandler("http");
    auto *candidates = picker->findChild<QListWidget *>("instagramCandidates");
    QTRY_COMPARE_WITH_TIMEOUT(candidates->count(), 2, 5000);
    QVERIFY(!test::saveScreenshot(picker, "instagram-picker").isEmpty());
    for (int i = 0; i < candidates->count(); ++i)
        candidates->item(i)->setCheckState(
            candidates->item(i)->text().contains("blair.makes") ? Qt::Checked : Qt::Unchecked);
    QCOMPARE(picker->checkedIds(), QStringList{"17841400000000002"});
    QTest::mouseClick(picker->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        desktop.accountsPage()->accountLines().join("\n").contains("@blair.makes"), 15000);
    QVERIFY(!desktop.accountsPage()->accountLines().join("\n").contains("@blair.travels"));

    // Publish each kind from the Instagram tab, as a creator would.
    desktop.window()->showSection(ui::MainWindow::Section::Publish);
    auto *platformTabs = desktop.window()->findChild<QTabWidget *>("publishPlatforms");
    QTest::mouseClick(platformTabs->tabBar(), Qt::LeftButton, {},
                      platformTabs->tabBar()->tabRect(1).center());
    ui::InstagramPublishPage *publish = desktop.instagramPublishPage();
    QVERIFY(publish->isVisible());
    auto *accounts = publish->findChild<QListWidget *>("instagramAccounts");
    QTRY_COMPARE_WITH_TIMEOUT(accounts->count(), 1, 15000);
    QCOMPARE(accounts->item(0)->checkState(), Qt::Checked);
    auto *quota = publish->findChild<QLabel *>("instagramQuota");
    QTRY_VERIFY2_WITH_TIMEOUT(quota->text().contains("posts used"), qPrintable(quota->text()),
                              15000);
    auto *publishButton = publish->findChild<QPushButton *>("instagramPublishButton");
    auto *caption = publish->findChild<QPlainTextEdit *>("instagramCaption");
    auto *photoUrl = publish->findChild<QLineEdit *>("instagramPhotoUrl");
    QSignalSpy published(publish, &ui::InstagramPublishPage::published);
    const auto publishNow = [&](const char *shot) {
        QTRY_VERIFY2_WITH_TIMEOUT(publishButton->isEnabled(),
                                  qPrintable(publish->publishBlockers().join(" | ")), 20000);
        if (shot)
            QVERIFY(!test::saveScreenshot(desktop.window(), shot).isEmpty());
        const int before = int(published.count());
        QTest::mouseClick(publishButton, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(int(published.count()), before + 1, 15000);
        desktop.window()->showSection(ui::MainWindow::Section::Publish);
    };

    QTest::mouseClick(publish->findChild<QRadioButton *>("instagramKind_photo"), Qt::LeftButton);
    photoUrl->setText("https://media.example/sunrise.jpg");
    caption->setPlainText("Sunrise over the bay #sunrise @friend");
    QVERIFY(publish->findChild<QLabel *>("instagramCaptionCounter")
                ->text()
                .contains("1 / 30 hashtags"));
    publishNow("instagram-publish-photo");

    QTest::mouseClick(publish->findChild<QRadioButton *>("instagramKind_reel"), Qt::LeftButton);
    publish->setVideoFile(reelFile);
    QTRY_VERIFY_WITH_TIMEOUT(
        publish->findChild<QLabel *>("instagramVideoSummary")->text().contains("MP4"), 20000);
    caption->setPlainText("A reel from a local file");
    publishNow("instagram-publish-reel");

    QTest::mouseClick(publish->findChild<QRadioButton *>("instagramKind_story"), Qt::LeftButton);
    publish->setVideoFile(storyFile);
    publishNow(nullptr);

    QTest::mouseClick(publish->findChild<QRadioButton *>("instagramKind_carousel"), Qt::LeftButton);
    publish->addCarouselPhotoUrl("https://media.example/one.jpg");
    publish->addCarouselVideo(reelFile);
    publish->addCarouselPhotoUrl("https://media.example/three.jpg");
    caption->setPlainText("Three of a kind");
    publishNow("instagram-publish-carousel");

    // Queue: all four published, each with its permalink.
    desktop.window()->showSection(ui::MainWindow::Section::Queue);
    ui::PublicationListModel *rows = desktop.queuePage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 4, 15000);
    QElapsedTimer waited;
    waited.start();
    const auto allPublished = [&] {
        for (int r = 0; r < rows->rowCount(); ++r)
            if (rows->state(r) != "published")
                return false;
        return rows->rowCount() == 4;
    };
    while (!allPublished() && waited.elapsed() < 180000) {
        advanceClock(10); // the sandbox processes videos for 30 s of its time
        QTest::qWait(500);
    }
    QVERIFY2(allPublished(), [&] {
        QStringList states;
        for (int r = 0; r < rows->rowCount(); ++r)
            states << rows->state(r);
        return qPrintable(states.join(", "));
    }());
    QVERIFY(!test::saveScreenshot(desktop.window(), "instagram-queue-published").isEmpty());

    // Posts: the four Instagram posts with their links.
    desktop.window()->showSection(ui::MainWindow::Section::Posts);
    ui::PostListModel *posts = desktop.postsPage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(posts->rowCount(), 4, 15000);
    for (int r = 0; r < posts->rowCount(); ++r) {
        QCOMPARE(posts->data(posts->index(r, ui::PostListModel::PlatformColumn)).toString(),
                 QStringLiteral("Instagram"));
        const QString link =
            posts->data(posts->index(r, ui::PostListModel::LinkColumn), ui::PostListModel::LinkRole)
                .toUrl()
                .toString();
        QVERIFY2(link.startsWith("https://"), qPrintable(link));
    }
    QVERIFY(!test::saveScreenshot(desktop.window(), "instagram-posts").isEmpty());

    // A fan comments on the reel: the webhook reaches the relay, the Inbox shows it.
    const QJsonArray media =
        admin.get(platforms.resolved(QUrl("/_admin/instagram/media"))).document().array();
    QString reelId;
    for (const QJsonValue &m : media)
        if (m["media_product_type"].toString() == "REELS")
            reelId = m["id"].toString();
    QVERIFY(!reelId.isEmpty());
    QCOMPARE(admin.postJson(platforms.resolved(QUrl("/_admin/instagram/comments")),
                            {{"media_id", reelId}, {"text", "Love this!"}, {"username", "fan.one"}})
                     .status /
                 100,
             2);
    desktop.window()->showSection(ui::MainWindow::Section::Inbox);
    ui::CommentListModel *comments = desktop.inboxPage()->model();
    QTRY_VERIFY_WITH_TIMEOUT(comments->rowOf([&] {
        for (int r = 0; r < comments->rowCount(); ++r)
            if (comments->author(r) == "fan.one")
                return comments->commentId(r);
        return QString();
    }()) >= 0,
                             60000);
    int fanRow = -1;
    for (int r = 0; r < comments->rowCount(); ++r)
        if (comments->author(r) == "fan.one")
            fanRow = r;
    auto *table = desktop.inboxPage()->findChild<QAbstractItemView *>("inboxTable");
    table->setCurrentIndex(table->model()->index(fanRow, 0));
    auto *replyText = desktop.inboxPage()->findChild<QPlainTextEdit *>("replyText");
    replyText->setPlainText("Thank you!");
    QTest::mouseClick(desktop.inboxPage()->findChild<QPushButton *>("replyButton"), Qt::LeftButton);
    const QString fanComment = comments->commentId(fanRow);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray onPlatform =
                admin.get(platforms.resolved(QUrl("/_admin/instagram/comments?media_id=" + reelId)))
                    .document()
                    .array();
            for (const QJsonValue &c : onPlatform)
                if (c["text"].toString() == "Thank you!")
                    return true;
            return false;
        }(),
        20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        comments
            ->data(comments->index(comments->rowOf(fanComment), ui::CommentListModel::StateColumn))
            .toString()
            .contains("Replied"),
        20000);
    QVERIFY(!test::saveScreenshot(desktop.window(), "instagram-inbox").isEmpty());

    desktop.window()->showSection(ui::MainWindow::Section::Insights);
    auto *charts = desktop.window()->findChild<QTabWidget *>("insightsCharts");
    QVERIFY(charts);
    QTest::mouseClick(charts->tabBar(), Qt::LeftButton, {}, charts->tabBar()->tabRect(1).center());
    QTest::qWait(500);
    QVERIFY(!test::saveScreenshot(desktop.window(), "instagram-insights").isEmpty());
}

QTEST_MAIN(InstagramFlowTest)
#include "tst_instagramflow.moc"
