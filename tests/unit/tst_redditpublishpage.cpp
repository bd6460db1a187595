#include "instagramtestbed.h"
#include "jobs/publicationjob.h"
#include "jobs/publicationqueue.h"
#include "jobs/publicationstore.h"
#include "net/accesstokens.h"
#include "net/relayclient.h"
#include "platforms/reddit/redditclient.h"
#include "publish/redditpublishpage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
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
// Two Reddit accounts besides the test bed's Instagram login (id 1): ids 2 and 3.
const QString kAccounts = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username)
         VALUES (1, 'reddit', 't2_alex', 'alex_makes', 'alex_makes'),
                (1, 'reddit', 't2_side', 'side_project', 'side_project');
)sql");
} // namespace

// The Reddit publish page, driven as a creator would against a real test database:
// Reddit's own checks block Publish with a clear reason, and a valid post queues exactly
// the row the publications contract describes.
class RedditPublishPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void accountsComeFromTheDatabase();
    void titleIsCountedLiveAndATooLongOneBlocks();
    void missingSubredditBlocks();
    void hostileFileIsRefusedWithAReason();
    void linkMustBeAWebAddress();
    void flairsOfferFreeTextOnlyWhereAllowed();
    void flairsAreFetchedForTheSubredditTyped();
    void textPostQueuesTheContractRow();
    void imagePostQueuesTheFile();
    void linkPostQueuesTheUrl();

private:
    QList<QJsonObject> publications();
    void tick(int row);
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
    std::unique_ptr<ui::RedditPublishPage> m_page;
};

void RedditPublishPageTest::initTestCase() {
    QVERIFY(m_files.isValid());
}

void RedditPublishPageTest::init() {
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    QCOMPARE(m_bed->run(kAccounts), QString());
    m_store = std::make_unique<jobs::PublicationStore>(m_bed->desktop());
    jobs::PublishingServices services;
    services.store = m_store.get();
    // Never started: rows are queued, no job runs, so what the page queued stays as is.
    m_queue = std::make_unique<jobs::PublicationQueue>(services);
    m_page = std::make_unique<ui::RedditPublishPage>();
    m_page->setServices(m_bed->desktop(), m_queue.get(), nullptr, nullptr);
    QTRY_COMPARE_WITH_TIMEOUT(child<QListWidget>("redditAccounts")->count(), 2, kWaitMs);
}

void RedditPublishPageTest::cleanup() {
    m_page.reset();
    m_queue.reset();
    m_store.reset();
    m_bed.reset();
}

QList<QJsonObject> RedditPublishPageTest::publications() {
    std::optional<Result<QList<QJsonObject>>> answer;
    m_bed->desktop()->query(
        QStringLiteral("SELECT provider, kind, caption, source_path, source_url, state, "
                       "bytes_total, account_id, options::text AS options FROM publications "
                       "ORDER BY id"),
        {}, [&answer](const Result<QList<QJsonObject>> &rows) { answer = rows; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, kWaitMs) || !answer->ok())
        return {};
    return answer->value();
}

void RedditPublishPageTest::tick(int row) {
    child<QListWidget>("redditAccounts")->item(row)->setCheckState(Qt::Checked);
}

void RedditPublishPageTest::accountsComeFromTheDatabase() {
    auto *accounts = child<QListWidget>("redditAccounts");
    QCOMPARE(accounts->item(0)->text(), QStringLiteral("u/alex_makes"));
    QCOMPARE(accounts->item(1)->text(), QStringLiteral("u/side_project"));
    // Two accounts: none is chosen for the creator.
    QCOMPARE(accounts->item(0)->checkState(), Qt::Unchecked);
    QVERIFY(blockers().contains("Tick at least one Reddit account."));
    QVERIFY(!child<QPushButton>("redditPublishButton")->isEnabled());
}

void RedditPublishPageTest::titleIsCountedLiveAndATooLongOneBlocks() {
    tick(0);
    child<QLineEdit>("redditSubreddit")->setText("r/pics");
    // 300 characters, one an emoji: Reddit counts characters, not UTF-16 units.
    const QString fits = QString(299, QLatin1Char('a')) + QString::fromUtf8("\xF0\x9F\x98\x80");
    child<QLineEdit>("redditTitle")->setText(fits);
    QCOMPARE(child<QLabel>("redditTitleCounter")->text(), QStringLiteral("300 / 300"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    QVERIFY(child<QPushButton>("redditPublishButton")->isEnabled());

    child<QLineEdit>("redditTitle")->setText(fits + QLatin1Char('!'));
    QCOMPARE(child<QLabel>("redditTitleCounter")->text(), QStringLiteral("301 / 300"));
    QVERIFY(child<QLabel>("redditTitleCounter")->styleSheet().contains("color"));
    QVERIFY2(blockers().join(' ').contains("title is longer than Reddit allows (300"),
             qPrintable(blockers().join(" | ")));
    auto *publish = child<QPushButton>("redditPublishButton");
    QVERIFY(!publish->isEnabled());
    QCOMPARE(child<QLabel>("redditPublishHint")->text(), blockers().first());
    QVERIFY(publish->toolTip().contains("title is longer"));
}

void RedditPublishPageTest::missingSubredditBlocks() {
    tick(0);
    child<QLineEdit>("redditTitle")->setText("A fine title");
    QVERIFY2(blockers().join(' ').contains("No subreddit was chosen"),
             qPrintable(blockers().join(" | ")));
    // "r/" alone names no subreddit either.
    child<QLineEdit>("redditSubreddit")->setText(" r/ ");
    QVERIFY(blockers().join(' ').contains("No subreddit was chosen"));
    child<QLineEdit>("redditSubreddit")->setText("/r/pics/");
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    QCOMPARE(m_page->buildDraft().options["reddit"].toObject()["subreddit"].toString(),
             QStringLiteral("pics"));
}

void RedditPublishPageTest::hostileFileIsRefusedWithAReason() {
    // Random bytes named like a video.
    const QString path = m_files.filePath("not-really.mp4");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray noise(64 * 1024, '\0');
    QRandomGenerator generator(7);
    for (char &byte : noise)
        byte = char(generator.bounded(256));
    noise[4] = 'x'; // never an accidental "ftyp" box
    file.write(noise);
    file.close();

    tick(0);
    child<QLineEdit>("redditSubreddit")->setText("videos");
    child<QLineEdit>("redditTitle")->setText("My clip");
    m_page->setKind("video");
    QVERIFY(blockers().contains("Choose the video to post."));
    m_page->setFile(path);
    auto *problems = child<QLabel>("redditFileProblems");
    QTRY_VERIFY_WITH_TIMEOUT(!problems->isHidden(), kWaitMs);
    QVERIFY(!problems->text().isEmpty());
    QVERIFY2(blockers().contains("Fix the problems with the file first."),
             qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QPushButton>("redditPublishButton")->isEnabled());

    // As an image it is refused too, saying why.
    m_page->setKind("image");
    QVERIFY2(problems->text().contains("not an image"), qPrintable(problems->text()));
    QVERIFY(!child<QPushButton>("redditPublishButton")->isEnabled());
    QVERIFY(publications().isEmpty());
}

void RedditPublishPageTest::linkMustBeAWebAddress() {
    tick(0);
    child<QLineEdit>("redditSubreddit")->setText("programming");
    child<QLineEdit>("redditTitle")->setText("A good read");
    m_page->setKind("link");
    QVERIFY2(blockers().join(' ').contains("needs a link"), qPrintable(blockers().join(" | ")));
    child<QLineEdit>("redditLink")->setText("javascript:alert(1)");
    QVERIFY2(blockers().join(' ').contains("must start with https://"),
             qPrintable(blockers().join(" | ")));
    child<QLineEdit>("redditLink")->setText("https://example.org/essay");
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
}

void RedditPublishPageTest::flairsOfferFreeTextOnlyWhereAllowed() {
    reddit::Flair fixed;
    fixed.id = "f-oc";
    fixed.text = "OC";
    reddit::Flair editable;
    editable.id = "f-custom";
    editable.text = "Your words";
    editable.textEditable = true;
    reddit::Flair modOnly;
    modOnly.id = "f-mod";
    modOnly.text = "Announcement";
    modOnly.modOnly = true;
    m_page->setFlairs({fixed, editable, modOnly});

    auto *flair = child<QComboBox>("redditFlair");
    QCOMPARE(flair->count(), 3); // "No flair", OC, Your words: the moderators' one is not offered
    QCOMPARE(flair->itemText(0), QStringLiteral("No flair"));
    auto *freeText = child<QLineEdit>("redditFlairText");
    flair->setCurrentIndex(1);
    QVERIFY(freeText->isHidden());
    flair->setCurrentIndex(2);
    QVERIFY(!freeText->isHidden());
    freeText->setText("Made at home");
    QCOMPARE(m_page->buildDraft().options["reddit"].toObject()["flair_text"].toString(),
             QStringLiteral("Made at home"));
    flair->setCurrentIndex(1);
    QVERIFY(freeText->isHidden());
    QCOMPARE(m_page->buildDraft().options["reddit"].toObject()["flair_id"].toString(),
             QStringLiteral("f-oc"));
    QCOMPARE(m_page->buildDraft().options["reddit"].toObject()["flair_text"].toString(), QString());
}

void RedditPublishPageTest::flairsAreFetchedForTheSubredditTyped() {
    // The relay hands out the account's token; "Reddit" lists r/pics' flairs (an array).
    test::FakeRelay relay;
    relay.answer("/v1/oauth/token", {{"access_token", "reddit-token"}, {"expires_in", 3600}});
    QHttpServer reddit;
    QStringList asked;
    reddit.route("/r/<arg>/api/link_flair_v2", [&asked](const QString &name,
                                                        const QHttpServerRequest &request) {
        asked << name + QLatin1Char(' ') + QString::fromLatin1(request.value("Authorization"));
        const QJsonArray flairs{
            QJsonObject{{"id", "f-oc"}, {"text", "OC"}, {"text_editable", false}},
            QJsonObject{{"id", "f-mod"}, {"text", "Rules"}, {"mod_only", true}},
            QJsonObject{{"id", "f-free"}, {"text", "Tell us"}, {"text_editable", true}}};
        return QHttpServerResponse("application/json", QJsonDocument(flairs).toJson());
    });
    const quint16 port = reddit.listen(QHostAddress(QHostAddress::LocalHost), 0);
    QVERIFY(port != 0);
    net::RelayClient relayClient(relay.url());
    net::AccessTokens tokens(&relayClient);
    QNetworkAccessManager network;
    reddit::RedditClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)),
                                "desktop:huntaze-test:1.0 (by /u/huntaze)", &network, nullptr);
    m_page->setServices(m_bed->desktop(), m_queue.get(), &tokens, &client);

    tick(0);
    QTest::keyClicks(child<QLineEdit>("redditSubreddit"), "r/pics");
    auto *flair = child<QComboBox>("redditFlair");
    QTRY_COMPARE_WITH_TIMEOUT(flair->count(), 3, kWaitMs); // "No flair", OC, Tell us
    // Asked once, after typing paused, for the name without "r/", with the token.
    QCOMPARE(asked, QStringList{"pics bearer reddit-token"});
    QCOMPARE(flair->itemText(1), QStringLiteral("OC"));
    QCOMPARE(flair->itemText(2), QStringLiteral("Tell us"));
    QVERIFY(child<QLabel>("redditFlairStatus")->text().contains("r/pics"));
    flair->setCurrentIndex(2);
    QVERIFY(!child<QLineEdit>("redditFlairText")->isHidden());

    // Another subreddit: the flairs of the old one are gone at once.
    QTest::keyClicks(child<QLineEdit>("redditSubreddit"), "x");
    QCOMPARE(flair->count(), 1);
    QVERIFY(!flair->isEnabled());
}

void RedditPublishPageTest::textPostQueuesTheContractRow() {
    reddit::Flair editable;
    editable.id = "f-custom";
    editable.text = "Your words";
    editable.textEditable = true;
    m_page->setFlairs({editable});
    tick(1);
    m_page->setKind("self");
    child<QLineEdit>("redditSubreddit")->setText("r/woodworking");
    child<QLineEdit>("redditTitle")->setText("  My first chair  ");
    child<QPlainTextEdit>("redditBody")->setPlainText("Took **three** weekends.");
    child<QComboBox>("redditFlair")->setCurrentIndex(1);
    child<QLineEdit>("redditFlairText")->setText("Beginner");
    child<QCheckBox>("redditSpoiler")->setChecked(true);
    auto *publish = child<QPushButton>("redditPublishButton");
    QVERIFY2(publish->isEnabled(), qPrintable(blockers().join(" | ")));

    QSignalSpy published(m_page.get(), &ui::RedditPublishPage::published);
    publish->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    QCOMPARE(child<QLabel>("redditPublishStatus")->text(),
             QStringLiteral("Queued: follow it in Queue."));
    // The post is not queued twice by accident: its title and text are gone.
    QVERIFY(child<QLineEdit>("redditTitle")->text().isEmpty());
    QVERIFY(!publish->isEnabled());

    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 1);
    const QJsonObject row = rows.first();
    QCOMPARE(row["provider"].toString(), QStringLiteral("reddit"));
    QCOMPARE(row["kind"].toString(), QStringLiteral("self"));
    QCOMPARE(row["account_id"].toString(), QStringLiteral("3"));
    QCOMPARE(row["caption"].toString(), QStringLiteral("Took **three** weekends."));
    QCOMPARE(row["source_path"].toString(), QString());
    QCOMPARE(row["source_url"].toString(), QString());
    QCOMPARE(row["state"].toString(), QStringLiteral("queued"));
    const QJsonObject options =
        QJsonDocument::fromJson(row["options"].toString().toUtf8()).object();
    const QJsonObject expected{{"subreddit", "woodworking"},
                               {"title", "My first chair"},
                               {"flair_id", "f-custom"},
                               {"flair_text", "Beginner"},
                               {"nsfw", false},
                               {"spoiler", true}};
    QCOMPARE(options["reddit"].toObject(), expected);
}

void RedditPublishPageTest::imagePostQueuesTheFile() {
    QImage image(640, 480, QImage::Format_RGB32);
    image.fill(qRgb(30, 90, 150));
    const QString path = m_files.filePath("bench.png");
    QVERIFY(image.save(path, "PNG"));

    tick(0);
    tick(1);
    m_page->setKind("image");
    child<QLineEdit>("redditSubreddit")->setText("pics");
    child<QLineEdit>("redditTitle")->setText("The bench");
    child<QPlainTextEdit>("redditBody")->setPlainText("ignored for images");
    child<QCheckBox>("redditNsfw")->setChecked(true);
    m_page->setFile(path);
    QVERIFY(child<QLabel>("redditFileProblems")->isHidden());
    QVERIFY(child<QLabel>("redditFileSummary")->text().contains("bench.png"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));

    QSignalSpy published(m_page.get(), &ui::RedditPublishPage::published);
    child<QPushButton>("redditPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    QCOMPARE(published.first().first().value<QList<qint64>>().size(), 2);

    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 2); // one per account
    for (const QJsonObject &row : rows) {
        QCOMPARE(row["kind"].toString(), QStringLiteral("image"));
        QCOMPARE(row["source_path"].toString(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(row["bytes_total"].toString().toLongLong(), QFileInfo(path).size());
        QCOMPARE(row["caption"].toString(), QString());
        const QJsonObject reddit = QJsonDocument::fromJson(row["options"].toString().toUtf8())
                                       .object()["reddit"]
                                       .toObject();
        QCOMPARE(reddit["nsfw"].toBool(), true);
        QCOMPARE(reddit["title"].toString(), QStringLiteral("The bench"));
    }
    QVERIFY(rows.at(0)["account_id"] != rows.at(1)["account_id"]);
}

void RedditPublishPageTest::linkPostQueuesTheUrl() {
    tick(0);
    m_page->setKind("link");
    child<QLineEdit>("redditSubreddit")->setText("programming");
    child<QLineEdit>("redditTitle")->setText("An essay");
    child<QLineEdit>("redditLink")->setText(" https://example.org/essay ");
    QSignalSpy published(m_page.get(), &ui::RedditPublishPage::published);
    child<QPushButton>("redditPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first()["kind"].toString(), QStringLiteral("link"));
    QCOMPARE(rows.first()["source_url"].toString(), QStringLiteral("https://example.org/essay"));
    QCOMPARE(rows.first()["source_path"].toString(), QString());
}

QTEST_MAIN(RedditPublishPageTest)
#include "tst_redditpublishpage.moc"
