#include "instagramtestbed.h"
#include "jobs/publicationjob.h"
#include "jobs/publicationqueue.h"
#include "jobs/publicationstore.h"
#include "mediafixtures.h"
#include "net/accesstokens.h"
#include "net/relayclient.h"
#include "platforms/tiktok/tiktokclient.h"
#include "publish/multipublishpage.h"

#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>
#include <optional>

using namespace huntaze;
using huntaze::test::InstagramTestBed;

namespace {
constexpr int kWaitMs = 10000;
constexpr int kProbeWaitMs = 30000;
// Besides the test bed's Instagram login (id 1, @creator): TikTok (2), Reddit (3), X (4).
const QString kAccounts = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username)
         VALUES (1, 'tiktok', 'tt-alice', 'Alice', 'alice_tt'),
                (1, 'reddit', 't2_alex', 'alex_makes', 'alex_makes'),
                (1, 'x', '1500000000000000001', 'Alex', 'alex_x');
)sql");
} // namespace

// The "Several platforms" page against a real test database: accounts of every platform
// grouped and ticked together, only the fields the chosen platforms need, each platform's
// blockers named, and one Publish queuing ONE draft with the right kind per platform.
class MultiPublishPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void accountsAreGroupedByPlatform();
    void onlyTheChosenPlatformsFieldsShow();
    void textOnlyIsRefusedWhereItCannotGoAndSaysWhere();
    void textOnlyToRedditAndXQueuesOneDraft();
    void videoToAllFourQueuesOneDraftWithAKindEach();
    void photoGoesAsAPhotoAnImageAndImages();
    void hostileFileIsRefusedWithAReason();
    void directTikTokNeedsWhatTheAccountAllows();
    void directTikTokAsksTheCreatorWhoCanSeeIt();

private:
    void tick(const QString &platform, bool on = true);
    QList<QJsonObject> publications();
    QStringList blockers() const { return m_page->publishBlockers(); }
    QString photo(const QString &name, int width, int height);
    template <typename T> T *child(const char *name) const {
        T *found = m_page->findChild<T *>(QLatin1String(name));
        if (!found)
            qFatal("no child %s", name);
        return found;
    }

    QTemporaryDir m_files;
    QString m_video;
    std::unique_ptr<InstagramTestBed> m_bed;
    std::unique_ptr<jobs::PublicationStore> m_store;
    std::unique_ptr<jobs::PublicationQueue> m_queue;
    std::unique_ptr<ui::MultiPublishPage> m_page;
};

void MultiPublishPageTest::initTestCase() {
    QVERIFY(m_files.isValid());
    // 1080x1920 at 30 fps, H.264 + AAC-less: fits TikTok, a reel, Reddit and X.
    m_video = test::makeTestVideo(m_files.filePath("clip.mp4"), 4, false,
                                  QStringLiteral("1080x1920"), 30);
    QVERIFY2(!m_video.isEmpty(), "ffmpeg (Debian package ffmpeg) could not make the test video");
}

void MultiPublishPageTest::init() {
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    QCOMPARE(m_bed->run(kAccounts), QString());
    m_store = std::make_unique<jobs::PublicationStore>(m_bed->desktop());
    jobs::PublishingServices services;
    services.store = m_store.get();
    // Never started: rows are queued, no job runs, so what the page queued stays as is.
    m_queue = std::make_unique<jobs::PublicationQueue>(services);
    m_page = std::make_unique<ui::MultiPublishPage>();
    m_page->setMediaHost(true);
    m_page->setServices(m_bed->desktop(), m_queue.get(), nullptr, nullptr);
    QTRY_COMPARE_WITH_TIMEOUT(child<QTreeWidget>("multiAccounts")->topLevelItemCount(), 4, kWaitMs);
}

void MultiPublishPageTest::cleanup() {
    m_page.reset();
    m_queue.reset();
    m_store.reset();
    m_bed.reset();
}

void MultiPublishPageTest::tick(const QString &platform, bool on) {
    auto *tree = child<QTreeWidget>("multiAccounts");
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == platform)
            return tree->topLevelItem(i)->child(0)->setCheckState(0,
                                                                  on ? Qt::Checked : Qt::Unchecked);
    QFAIL(qPrintable("no platform " + platform));
}

QList<QJsonObject> MultiPublishPageTest::publications() {
    std::optional<Result<QList<QJsonObject>>> answer;
    m_bed->desktop()->query(
        QStringLiteral("SELECT provider, kind, caption, source_path, draft_id, account_id, "
                       "bytes_total, options::text AS options FROM publications ORDER BY id"),
        {}, [&answer](const Result<QList<QJsonObject>> &rows) { answer = rows; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, kWaitMs) || !answer->ok())
        return {};
    return answer->value();
}

QString MultiPublishPageTest::photo(const QString &name, int width, int height) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(90, 160, 90));
    const QString path = m_files.filePath(name);
    return image.save(path, "JPG") ? path : QString();
}

void MultiPublishPageTest::accountsAreGroupedByPlatform() {
    auto *tree = child<QTreeWidget>("multiAccounts");
    const QStringList groups{tree->topLevelItem(0)->text(0), tree->topLevelItem(1)->text(0),
                             tree->topLevelItem(2)->text(0), tree->topLevelItem(3)->text(0)};
    QCOMPARE(groups, QStringList({"TikTok", "Instagram", "Reddit", "X"}));
    QCOMPARE(tree->topLevelItem(0)->child(0)->text(0), QStringLiteral("@alice_tt"));
    QCOMPARE(tree->topLevelItem(1)->child(0)->text(0), QStringLiteral("@creator"));
    QCOMPARE(tree->topLevelItem(2)->child(0)->text(0), QStringLiteral("u/alex_makes"));
    QCOMPARE(tree->topLevelItem(3)->child(0)->text(0), QStringLiteral("@alex_x"));
    // Groups are headings, accounts are check boxes, none ticked for the creator.
    QVERIFY(!(tree->topLevelItem(0)->flags() & Qt::ItemIsUserCheckable));
    QCOMPARE(tree->topLevelItem(0)->child(0)->checkState(0), Qt::Unchecked);
    QVERIFY(blockers().contains("Tick at least one account."));
    QVERIFY(!child<QPushButton>("multiPublishButton")->isEnabled());
}

void MultiPublishPageTest::onlyTheChosenPlatformsFieldsShow() {
    auto *tiktok = child<QGroupBox>("multiTikTokBox");
    auto *reddit = child<QGroupBox>("multiRedditBox");
    QVERIFY(tiktok->isHidden());
    QVERIFY(reddit->isHidden());
    tick("Reddit");
    QVERIFY(!reddit->isHidden());
    QVERIFY(tiktok->isHidden());
    tick("TikTok");
    QVERIFY(!tiktok->isHidden());
    // TikTok's privacy is only asked for direct posts.
    QVERIFY(!child<QComboBox>("multiTikTokPrivacy")->isVisibleTo(m_page.get()));
    tick("Reddit", false);
    QVERIFY(reddit->isHidden());
}

void MultiPublishPageTest::textOnlyIsRefusedWhereItCannotGoAndSaysWhere() {
    tick("TikTok");
    tick("Instagram");
    child<QPlainTextEdit>("multiCaption")->setPlainText("Hello everyone");
    const QString all = blockers().join('\n');
    QVERIFY2(all.contains("TikTok: a video is needed"), qPrintable(all));
    QVERIFY2(all.contains("Instagram: text alone cannot be published"), qPrintable(all));
    QVERIFY(!child<QPushButton>("multiPublishButton")->isEnabled());
    // All of them are shown beside Publish, not only the first.
    QCOMPARE(child<QLabel>("multiPublishHint")->text(), all);
    // Every blocker says which platform it is about.
    for (const QString &blocker : blockers())
        QVERIFY2(blocker.startsWith("TikTok: ") || blocker.startsWith("Instagram: "),
                 qPrintable(blocker));
}

void MultiPublishPageTest::textOnlyToRedditAndXQueuesOneDraft() {
    tick("Reddit");
    tick("X");
    // Without subreddit and title, Reddit's part is blocked, by name.
    QVERIFY2(blockers().join(' ').contains("Reddit: No subreddit was chosen"),
             qPrintable(blockers().join(" | ")));
    QVERIFY2(blockers().join(' ').contains("X: write the caption"),
             qPrintable(blockers().join(" | ")));
    child<QLineEdit>("multiRedditSubreddit")->setText("r/test");
    child<QLineEdit>("multiRedditTitle")->setText(QString(301, QLatin1Char('t')));
    QCOMPARE(child<QLabel>("multiRedditTitleCounter")->text(), QStringLiteral("301 / 300"));
    QVERIFY2(blockers().join(' ').contains("Reddit: The title is longer"),
             qPrintable(blockers().join(" | ")));
    child<QLineEdit>("multiRedditTitle")->setText("Hello from Huntaze");
    // Too long for X.
    child<QPlainTextEdit>("multiCaption")->setPlainText(QString(281, QLatin1Char('a')));
    QVERIFY2(blockers().join(' ').contains("X: the caption is 1 characters too long"),
             qPrintable(blockers().join(" | ")));
    child<QPlainTextEdit>("multiCaption")->setPlainText("Same words, two places");
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));

    QSignalSpy published(m_page.get(), &ui::MultiPublishPage::published);
    child<QPushButton>("multiPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0)["draft_id"], rows.at(1)["draft_id"]);
    QHash<QString, QJsonObject> byProvider;
    for (const QJsonObject &row : rows)
        byProvider.insert(row["provider"].toString(), row);
    QCOMPARE(byProvider["reddit"]["kind"].toString(), QStringLiteral("self"));
    QCOMPARE(byProvider["x"]["kind"].toString(), QStringLiteral("text"));
    for (const QJsonObject &row : rows) {
        QCOMPARE(row["caption"].toString(), QStringLiteral("Same words, two places"));
        QCOMPARE(row["source_path"].toString(), QString());
    }
    const QJsonObject options =
        QJsonDocument::fromJson(byProvider["reddit"]["options"].toString().toUtf8()).object();
    const QJsonObject expected{{"subreddit", "test"}, {"title", "Hello from Huntaze"},
                               {"flair_id", ""},      {"flair_text", ""},
                               {"nsfw", false},       {"spoiler", false}};
    QCOMPARE(options["reddit"].toObject(), expected);
}

void MultiPublishPageTest::videoToAllFourQueuesOneDraftWithAKindEach() {
    for (const char *platform : {"TikTok", "Instagram", "Reddit", "X"})
        tick(QLatin1String(platform));
    child<QLineEdit>("multiRedditSubreddit")->setText("videos");
    child<QLineEdit>("multiRedditTitle")->setText("Everywhere at once");
    child<QPlainTextEdit>("multiCaption")->setPlainText("Everywhere at once #huntaze");
    m_page->setFile(m_video);
    QVERIFY(blockers().contains("Checking the file…"));
    QTRY_VERIFY_WITH_TIMEOUT(!blockers().contains("Checking the file…"), kProbeWaitMs);
    QCOMPARE(m_page->content(), ui::MultiPublishPage::Content::Video);
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    QVERIFY2(child<QLabel>("multiPlatformNotes")->text().contains("reel"),
             qPrintable(child<QLabel>("multiPlatformNotes")->text()));

    QSignalSpy published(m_page.get(), &ui::MultiPublishPage::published);
    child<QPushButton>("multiPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    QCOMPARE(published.first().first().value<QList<qint64>>().size(), 4);
    QVERIFY(child<QLabel>("multiPublishStatus")->text().contains("(4)"));

    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 4);
    QHash<QString, QJsonObject> byProvider;
    for (const QJsonObject &row : rows) {
        byProvider.insert(row["provider"].toString(), row);
        QCOMPARE(row["draft_id"], rows.first()["draft_id"]); // ONE draft
        QCOMPARE(row["source_path"].toString(), QFileInfo(m_video).absoluteFilePath());
        QCOMPARE(row["bytes_total"].toString().toLongLong(), QFileInfo(m_video).size());
        QCOMPARE(row["caption"].toString(), QStringLiteral("Everywhere at once #huntaze"));
    }
    QCOMPARE(byProvider["tiktok"]["kind"].toString(), QStringLiteral("video"));
    QCOMPARE(byProvider["instagram"]["kind"].toString(), QStringLiteral("reel"));
    QCOMPARE(byProvider["reddit"]["kind"].toString(), QStringLiteral("video"));
    QCOMPARE(byProvider["x"]["kind"].toString(), QStringLiteral("video"));
    QCOMPARE(byProvider["instagram"]["account_id"].toString(), QStringLiteral("1"));
    const QJsonObject options =
        QJsonDocument::fromJson(rows.first()["options"].toString().toUtf8()).object();
    QCOMPARE(options["ig_business_id"].toString(), QStringLiteral("17841400000000001"));
    QCOMPARE(options["mode"].toString(), QStringLiteral("inbox"));
    QCOMPARE(options["content_type"].toString(), QStringLiteral("video/mp4"));
    QVERIFY(options["duration_ms"].toInteger() > 3000);
    QCOMPARE(options["username"].toString(), QStringLiteral("alice_tt"));
    QCOMPARE(options["reddit"].toObject()["subreddit"].toString(), QStringLiteral("videos"));
    QCOMPARE(options["reddit"].toObject()["title"].toString(),
             QStringLiteral("Everywhere at once"));
    QVERIFY(!options.contains("x")); // a video is the row's file, not options.x.images
}

void MultiPublishPageTest::photoGoesAsAPhotoAnImageAndImages() {
    const QString path = photo("square.jpg", 1080, 1080);
    tick("TikTok");
    tick("Instagram");
    tick("Reddit");
    tick("X");
    child<QLineEdit>("multiRedditSubreddit")->setText("pics");
    child<QLineEdit>("multiRedditTitle")->setText("Square");
    child<QPlainTextEdit>("multiCaption")->setPlainText("A square photo");
    m_page->setFile(path);
    QCOMPARE(m_page->content(), ui::MultiPublishPage::Content::Photo);
    // TikTok takes photos by web address only: blocked, by name, and only TikTok.
    QCOMPARE(blockers().size(), 1);
    QVERIFY2(blockers().first().startsWith("TikTok: photos go to TikTok by their web addresses"),
             qPrintable(blockers().first()));
    tick("TikTok", false);
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));

    // Without a relay that hosts photos Instagram cannot fetch it.
    m_page->setMediaHost(false);
    QVERIFY2(blockers().join(' ').contains("Instagram: your relay does not host photos"),
             qPrintable(blockers().join(" | ")));
    m_page->setMediaHost(true);

    QSignalSpy published(m_page.get(), &ui::MultiPublishPage::published);
    child<QPushButton>("multiPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 3);
    QHash<QString, QJsonObject> byProvider;
    for (const QJsonObject &row : rows)
        byProvider.insert(row["provider"].toString(), row);
    QCOMPARE(byProvider["instagram"]["kind"].toString(), QStringLiteral("photo"));
    QCOMPARE(byProvider["reddit"]["kind"].toString(), QStringLiteral("image"));
    QCOMPARE(byProvider["x"]["kind"].toString(), QStringLiteral("images"));
    const QJsonObject options =
        QJsonDocument::fromJson(rows.first()["options"].toString().toUtf8()).object();
    QCOMPARE(options["source_type"].toString(), QStringLiteral("image"));
    QCOMPARE(options["x"].toObject()["images"].toArray(),
             QJsonArray({QFileInfo(path).absoluteFilePath()}));
    QVERIFY(!options.contains("mode")); // no TikTok target: no TikTok options
}

void MultiPublishPageTest::hostileFileIsRefusedWithAReason() {
    const QString path = m_files.filePath("not-really.mp4");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray noise(64 * 1024, '\0');
    QRandomGenerator generator(3);
    for (char &byte : noise)
        byte = char(generator.bounded(256));
    noise[0] = 'x';
    noise[4] = 'x';
    file.write(noise);
    file.close();

    tick("X");
    child<QPlainTextEdit>("multiCaption")->setPlainText("My clip");
    m_page->setFile(path);
    auto *problem = child<QLabel>("multiFileProblem");
    QTRY_VERIFY_WITH_TIMEOUT(!problem->isHidden(), kProbeWaitMs);
    QVERIFY2(problem->text().contains("cannot read \"not-really.mp4\" as a video or a photo"),
             qPrintable(problem->text()));
    QVERIFY(blockers().contains(problem->text()));
    QVERIFY(!child<QPushButton>("multiPublishButton")->isEnabled());
    // Text only again: the file is forgotten and the post can go.
    child<QPushButton>("multiTextOnly")->click();
    QVERIFY(problem->isHidden());
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
}

void MultiPublishPageTest::directTikTokNeedsWhatTheAccountAllows() {
    tick("TikTok");
    m_page->setFile(m_video);
    QTRY_VERIFY_WITH_TIMEOUT(!blockers().contains("Checking the file…"), kProbeWaitMs);
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));
    child<QRadioButton>("multiTikTokDirect")->setChecked(true);
    QVERIFY(child<QComboBox>("multiTikTokPrivacy")->isVisibleTo(m_page.get()));
    // Nothing to ask TikTok with here: Publish says why, by name, instead of guessing.
    QVERIFY2(blockers().join(' ').contains("TikTok: what TikTok allows this account is unknown"),
             qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QComboBox>("multiTikTokPrivacy")->isEnabled());
    QVERIFY(!child<QPushButton>("multiPublishButton")->isEnabled());
}

void MultiPublishPageTest::directTikTokAsksTheCreatorWhoCanSeeIt() {
    // The relay hands out the token; "TikTok" says what this account allows.
    test::FakeRelay relay;
    relay.answer("/v1/oauth/token", {{"access_token", "tiktok-token"}, {"expires_in", 3600}});
    relay.answer("/v2/post/publish/creator_info/query/",
                 {{"data", QJsonObject{{"creator_username", "alice_tt"},
                                       {"creator_nickname", "Alice"},
                                       {"privacy_level_options",
                                        QJsonArray{"FOLLOWER_OF_CREATOR", "SELF_ONLY"}},
                                       {"comment_disabled", true},
                                       {"max_video_post_duration_sec", 600}}},
                  {"error", QJsonObject{{"code", "ok"}}}});
    net::RelayClient relayClient(relay.url());
    net::AccessTokens tokens(&relayClient);
    QNetworkAccessManager network;
    tiktok::TikTokClient client(relay.url(), &network);
    m_page->setServices(m_bed->desktop(), m_queue.get(), &tokens, &client);

    tick("TikTok");
    tick("X");
    child<QPlainTextEdit>("multiCaption")->setPlainText("Direct to TikTok, and on X");
    m_page->setFile(m_video);
    QTRY_VERIFY_WITH_TIMEOUT(!blockers().contains("Checking the file…"), kProbeWaitMs);
    child<QRadioButton>("multiTikTokDirect")->setChecked(true);
    auto *privacy = child<QComboBox>("multiTikTokPrivacy");
    QTRY_VERIFY_WITH_TIMEOUT(privacy->isEnabled(), kWaitMs);
    QCOMPARE(privacy->count(), 3); // nothing preselected, then the account's two options
    QCOMPARE(privacy->currentIndex(), 0);
    QVERIFY(child<QLabel>("multiTikTokCreatorStatus")->text().contains("@alice_tt"));
    // TikTok wants the creator to choose: until then Publish says so, by name.
    QVERIFY2(blockers() == QStringList{"TikTok: choose who can see the video."},
             qPrintable(blockers().join(" | ")));
    QVERIFY(!child<QPushButton>("multiPublishButton")->isEnabled());
    privacy->setCurrentIndex(privacy->findData("SELF_ONLY"));
    QVERIFY2(blockers().isEmpty(), qPrintable(blockers().join(" | ")));

    QSignalSpy published(m_page.get(), &ui::MultiPublishPage::published);
    child<QPushButton>("multiPublishButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(published.count(), 1, kWaitMs);
    const QList<QJsonObject> rows = publications();
    QCOMPARE(rows.size(), 2);
    const QJsonObject options =
        QJsonDocument::fromJson(rows.first()["options"].toString().toUtf8()).object();
    QCOMPARE(options["mode"].toString(), QStringLiteral("direct"));
    QCOMPARE(options["privacy_level"].toString(), QStringLiteral("SELF_ONLY"));
    // Turned off in the account's TikTok settings: it stays off.
    QCOMPARE(options["disable_comment"].toBool(), true);
    QCOMPARE(options["disable_duet"].toBool(), false);
}

QTEST_MAIN(MultiPublishPageTest)
#include "tst_multipublishpage.moc"
