#include "instagramtestbed.h"
#include "jobs/publicationjob.h"
#include "jobs/publicationqueue.h"
#include "jobs/publicationstore.h"
#include "platforms/x/xtextweight.h"
#include "publish/xpublishpage.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace huntaze;
using huntaze::test::InstagramTestBed;

namespace {
constexpr int kWaitMs = 10000;
// One X account besides the test bed's Instagram login (id 1): id 2.
const QString kAccounts = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username)
         VALUES (1, 'x', '1500000000000000001', 'Alex', 'alex_makes');
)sql");
// The smallest GIF: one white pixel.
const QByteArray kGif = QByteArray::fromHex("47494638396101000100800000ffffff00000021f904010000000"
                                            "02c00000000010001000002024401003b");
} // namespace

// The X publish page, driven as a creator would against a real test database: the text
// is counted as X weighs it, the media rules (4 photos, or 1 GIF, or 1 video) and each
// file's type are checked at once, and a valid post queues exactly the contract's row.
class XPublishPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void weightedLengthCountsAsX_data();
    void weightedLengthCountsAsX();
    void counterShowsTheWeightAndATooLongTextBlocks();
    void emptyPostBlocks();
    void fifthPhotoBlocks();
    void gifWithPhotosBlocks();
    void hostileFileIsRefusedWithAReason();
    void textPostQueuesTheContractRow();
    void photosQueueTheirPathsInOptions();
    void gifQueuesItsFile();

private:
    QString photo(const QString &name);
    QString gif(const QString &name);
    QList<QJsonObject> publications();
    QStringList blockers() const { return m_page->publishBlockers(); }
    template <typename T> T *child(const char *name) const {
        T *found = m_page->findChild<T *>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }

    QTemporaryDir m_files;
    std::unique_ptr<InstagramTestBed> m_bed;
    std::unique_ptr<jobs::PublicationStore> m_store;
    std::unique_ptr<jobs::PublicationQueue> m_queue;
    std::unique_ptr<ui::XPublishPage> m_page;
};

void XPublishPageTest::initTestCase() {
    QVERIFY(m_files.isValid());
}

void XPublishPageTest::init() {
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    QCOMPARE(m_bed->run(kAccounts), QString());
    m_store = std::make_unique<jobs::PublicationStore>(m_bed->desktop());
    jobs::PublishingServices services;
    services.store = m_store.get();
    // Never started: rows are queued, no job runs, so what the page queued stays as is.
    m_queue = std::make_unique<jobs::PublicationQueue>(services);
    m_page = std::make_unique<ui::XPublishPage>();
    m_page->setServices(m_bed->desktop(), m_queue.get());
    auto *accounts = child<QListWidget>("xAccounts");
    QTRY_COMPARE_WITH_TIMEOUT(accounts->count(), 1, kWaitMs);
    // The only account is ticked for the creator.
    QCOMPARE(accounts->item(0)->checkState(), Qt::Checked);
    QCOMPARE(accounts->item(0)->text(), QStringLiteral("Alex (@alex_makes)"));
}

void XPublishPageTest::cleanup() {
    m_page.reset();
    m_queue.reset();
    m_store.reset();
    m_bed.reset();
}

QString XPublishPageTest::photo(const QString &name) {
    QImage image(320, 240, QImage::Format_RGB32);
    image.fill(qRgb(200, 120, 40));
    const QString path = m_files.filePath(name);
    return image.save(path, "JPG") ? path : QString();
}

QString XPublishPageTest::gif(const QString &name) {
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(kGif) != kGif.size())
        return {};
    return path;
}

QList<QJsonObject> XPublishPageTest::publications() {
    std::optional<Result<QList<QJsonObject>>> answer;
    m_bed->desktop()->query(
        QStringLiteral("SELECT provider, kind, caption, source_path, source_url, bytes_total, "
                       "account_id, options::text AS options FROM publications ORDER BY id"),
        {}, [&answer](const Result<QList<QJsonObject>> &rows) { answer = rows; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, kWaitMs) || !answer->ok())
        return {};
    return answer->value();
}

void XPublishPageTest::weightedLengthCountsAsX_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("weight");
    QTest::newRow("latin") << QStringLiteral("Hello, world") << 12;
    QTest::newRow("accented latin") << QString::fromUtf8("Café crème") << 10;
    QTest::newRow("cjk weighs 2") << QString::fromUtf8("日本語") << 6;
    QTest::newRow("emoji weighs 2") << QString::fromUtf8("hi \xF0\x9F\x98\x80") << 5;
    QTest::newRow("zwj family is one emoji")
        << QString::fromUtf8("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91"
                             "\xA7")
        << 2;
    QTest::newRow("flag is one emoji")
        << QString::fromUtf8("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7") << 2;
    QTest::newRow("link weighs 23")
        << QStringLiteral("see https://example.com/a/very/long/path/that/goes/on/and/on") << 27;
    QTest::newRow("link before a full stop") << QStringLiteral("https://example.com.") << 24;
}

void XPublishPageTest::weightedLengthCountsAsX() {
    QFETCH(QString, text);
    QFETCH(int, weight);
    QCOMPARE(x::weightedLength(text), weight);
}

void XPublishPageTest::counterShowsTheWeightAndATooLongTextBlocks() {
    auto *text = child<QPlainTextEdit>("xText");
    auto *counter = child<QLabel>("xCounter");
    // 140 CJK characters weigh 280: exactly at the limit.
    text->setPlainText(QString(140, QChar(0x65E5)));
    QCOMPARE(counter->text(), QStringLiteral("280 / 280"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    QVERIFY(child<QPushButton>("xPublishButton")->isEnabled());

    text->setPlainText(QString(141, QChar(0x65E5)));
    QCOMPARE(counter->text(), QStringLiteral("282 / 280"));
    QVERIFY(counter->styleSheet().contains("color"));
    QVERIFY2(blockers().join(' ').contains("2 characters too long for X"),
             qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QPushButton>("xPublishButton")->isEnabled());
    QCOMPARE(child<QLabel>("xPublishHint")->text(), blockers().first());

    // A long link counts 23 however long it is: 250 + 1 + 23 fits.
    text->setPlainText(QString(250, QLatin1Char('a')) + QStringLiteral(" https://example.com/") +
                       QString(200, QLatin1Char('p')));
    QCOMPARE(counter->text(), QStringLiteral("274 / 280"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
}

void XPublishPageTest::emptyPostBlocks() {
    QVERIFY2(blockers().join(' ').contains("Write some text or attach media"),
             qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QPushButton>("xPublishButton")->isEnabled());
    // Media alone is a post.
    m_page->addFile(photo("alone.jpg"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
}

void XPublishPageTest::fifthPhotoBlocks() {
    child<QPlainTextEdit>("xText")->setPlainText("Five views of the bay");
    for (int i = 1; i <= 4; ++i)
        m_page->addFile(photo(QStringLiteral("bay-%1.jpg").arg(i)));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    m_page->addFile(photo("bay-5.jpg"));
    QCOMPARE(child<QListWidget>("xFiles")->count(), 5);
    auto *problems = child<QLabel>("xMediaProblems");
    QVERIFY(!problems->isHidden());
    QVERIFY2(problems->text().contains("up to 4 photos"), qPrintable(problems->text()));
    QVERIFY(blockers().join(' ').contains("up to 4 photos"));
    QVERIFY(!child<QPushButton>("xPublishButton")->isEnabled());
    // Removing one fixes it.
    m_page->removeFile(4);
    QVERIFY(problems->isHidden());
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
}

void XPublishPageTest::gifWithPhotosBlocks() {
    child<QPlainTextEdit>("xText")->setPlainText("Mixed");
    m_page->addFile(photo("still.jpg"));
    m_page->addFile(gif("moving.gif"));
    QVERIFY2(blockers().join(' ').contains("never a mix"), qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QPushButton>("xPublishButton")->isEnabled());
    QVERIFY(child<QListWidget>("xFiles")->item(1)->text().contains("GIF"));
}

void XPublishPageTest::hostileFileIsRefusedWithAReason() {
    const QString path = m_files.filePath("not-really.mp4");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray noise(64 * 1024, '\0');
    QRandomGenerator generator(11);
    for (char &byte : noise)
        byte = char(generator.bounded(256));
    noise[0] = 'x'; // never an accidental image signature
    noise[4] = 'x'; // nor an MP4 box
    file.write(noise);
    file.close();

    child<QPlainTextEdit>("xText")->setPlainText("My clip");
    m_page->addFile(path);
    auto *problems = child<QLabel>("xMediaProblems");
    QVERIFY(!problems->isHidden());
    QVERIFY2(problems->text().contains("not-really.mp4") &&
                 problems->text().contains("MP4 or MOV videos"),
             qPrintable(problems->text()));
    QVERIFY(blockers().contains("Fix the problems with the attached files first."));
    QVERIFY(!child<QPushButton>("xPublishButton")->isEnabled());
    QVERIFY(publications().isEmpty());
}

void XPublishPageTest::textPostQueuesTheContractRow() {
    const QString text = QString::fromUtf8("Shipping today \xF0\x9F\x9A\x80 https://example.org");
    child<QPlainTextEdit>("xText")->setPlainText(text);
    QSignalSpy published(m_page.get(), &ui::XPublishPage::published);
    child<QPushButton>("xPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    QCOMPARE(child<QLabel>("xPublishStatus")->text(),
             QStringLiteral("Queued: follow it in Queue."));
    QVERIFY(child<QPlainTextEdit>("xText")->toPlainText().isEmpty());

    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first()["provider"].toString(), QStringLiteral("x"));
    QCOMPARE(rows.first()["kind"].toString(), QStringLiteral("text"));
    QCOMPARE(rows.first()["caption"].toString(), text);
    QCOMPARE(rows.first()["source_path"].toString(), QString());
    QCOMPARE(rows.first()["account_id"].toString(), QStringLiteral("2"));
}

void XPublishPageTest::photosQueueTheirPathsInOptions() {
    const QString one = photo("one.jpg");
    const QString two = photo("two.jpg");
    child<QPlainTextEdit>("xText")->setPlainText("Two photos");
    m_page->addFile(one);
    m_page->addFile(two);
    QSignalSpy published(m_page.get(), &ui::XPublishPage::published);
    child<QPushButton>("xPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    QCOMPARE(child<QListWidget>("xFiles")->count(), 0); // not queued twice by accident

    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first()["kind"].toString(), QStringLiteral("images"));
    QCOMPARE(rows.first()["source_path"].toString(), QString());
    QCOMPARE(rows.first()["bytes_total"].toString().toLongLong(),
             QFileInfo(one).size() + QFileInfo(two).size());
    const QJsonObject options =
        QJsonDocument::fromJson(rows.first()["options"].toString().toUtf8()).object();
    QCOMPARE(options["x"].toObject()["images"].toArray(),
             QJsonArray({QFileInfo(one).absoluteFilePath(), QFileInfo(two).absoluteFilePath()}));
}

void XPublishPageTest::gifQueuesItsFile() {
    const QString path = gif("loop.gif");
    m_page->addFile(path);
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    QSignalSpy published(m_page.get(), &ui::XPublishPage::published);
    child<QPushButton>("xPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first()["kind"].toString(), QStringLiteral("gif"));
    QCOMPARE(rows.first()["source_path"].toString(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(rows.first()["bytes_total"].toString().toLongLong(), kGif.size());
    QCOMPARE(rows.first()["caption"].toString(), QString());
}

QTEST_MAIN(XPublishPageTest)
#include "tst_xpublishpage.moc"
