#include "httpclient.h"
#include "jobs/publishingsession.h"
#include "mediafixtures.h"
#include "net/accesstokens.h"
#include "net/relayclient.h"
#include "platforms/reddit/redditclient.h"
#include "publishingstack.h"
#include "store/desktopdatabase.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace huntaze;
using namespace huntaze::test;

// The desktop's publishing queue against the sandbox's Reddit, through a real relay and
// PostgreSQL: every kind (self, link, image, video) goes out once with its permalink,
// flair, NSFW and spoiler, and the uploaded bytes intact; RATELIMIT makes the post wait
// the time Reddit named; refusals leave their message and post nothing; a lost submit
// answer, even across a restart, is found on the profile instead of being posted twice.
class RedditPublishingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void everyKindIsPublishedOnceWithItsPermalink();
    void rateLimitWaitsTheTimeRedditNamedThenPublishes();
    void refusalsLeaveTheirMessageAndPostNothing_data();
    void refusalsLeaveTheirMessageAndPostNothing();
    void refusedTokenIsRefreshedOnceAndThePostGoesOut();
    void lostSubmitAnswerIsFoundOnTheProfileNotPostedTwice();
    void restartWithASubmitInFlightFindsThePostInsteadOfPostingAgain();
    void unconfirmedSubmitAsksTheCreatorToCheckThenRetryPosts();
    void cancelWhileTheSubmitIsHeldStillRecordsThePost();
    void cancelWhileTheMediaPostIsAwaitedStillRecordsIt();
    void mediaRedditCouldNotProcessAsksTheCreatorAndRetryPostsOnce();
    void lostSubmitAnswerOfAnImagePostIsFoundOnceProcessed();
    void tokenRefusedBeforeSubmitLeavesNoMarkAndThePostGoesOutOnRetry();
    void madePosterIsPrivateAndRemovedWhenItsUploadFails();

private:
    void startSession();
    qint64 enqueue(const QString &kind, const QString &path, const QString &url,
                   const QString &caption, const QJsonObject &reddit);
    QString column(qint64 id, const QString &name);
    bool waitForState(qint64 id, const QStringList &states, int timeoutMs = 90000);
    QJsonArray sandboxPosts(const QString &title);
    bool fault(const QJsonObject &rule);
    bool sandboxPost(const QString &path, const QJsonObject &body);
    QByteArray aliceToken();
    QString submitAsAlice(const QString &title);
    void holdRedditCallsForAWhile();
    QString makeImage(const QString &name);
    static QString unique(const QString &prefix) {
        return prefix + QUuid::createUuid().toString(QUuid::Id128).left(10);
    }

    PublishingStack m_stack;
    QTemporaryDir m_files;
    qint64 m_account = 0;
    std::unique_ptr<store::DesktopDatabase> m_database;
    std::unique_ptr<net::RelayClient> m_relay;
    std::unique_ptr<jobs::PublishingSession> m_session;
    HttpClient m_http;
};

void RedditPublishingTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    const auto alice = m_stack.connectReddit("sbx1a");
    QVERIFY2(alice, qPrintable(m_stack.errorString()));
    m_account = *alice;
    // The job reads the username to look through the user's submissions.
    auto username =
        m_stack.sql().exec("SELECT username FROM oauth_accounts WHERE id = $1", {m_account});
    QVERIFY(username && username->rows() == 1);
    QCOMPARE(username->text(0, 0), QStringLiteral("sbx_alice"));
    m_database = std::make_unique<store::DesktopDatabase>(m_stack.desktopDatabaseUrl());
    m_database->start();
    m_relay = std::make_unique<net::RelayClient>(m_stack.relayUrl());
    m_relay->setCredential(m_stack.credential());
    startSession();
}

void RedditPublishingTest::startSession() {
    m_session = std::make_unique<jobs::PublishingSession>(
        m_database.get(), m_relay.get(),
        jobs::PublishingSession::apiBasesFrom(m_stack.platforms()));
    QVERIFY(m_session->reddit());
    m_session->queue()->setMaxConcurrent(4);
    m_session->queue()->start();
}

void RedditPublishingTest::cleanupTestCase() {
    m_session.reset();
    m_relay.reset();
    m_database.reset();
}

void RedditPublishingTest::init() {
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/faults"), {}, {}, 5000).status,
             200);
}

bool RedditPublishingTest::fault(const QJsonObject &rule) {
    QJsonObject full = rule;
    full.insert("platform", "reddit");
    return m_http.postJson(m_stack.sandbox().url("/_admin/faults"), full).status / 100 == 2;
}

bool RedditPublishingTest::sandboxPost(const QString &path, const QJsonObject &body) {
    return m_http.postJson(m_stack.sandbox().url(path), body).status / 100 == 2;
}

QByteArray RedditPublishingTest::aliceToken() {
    std::optional<Result<QByteArray>> token;
    m_session->tokens()->get(m_account, false, [&](Result<QByteArray> got) { token = got; });
    if (!QTest::qWaitFor([&] { return token.has_value(); }, 10000) || !token->ok())
        return {};
    return token->value();
}

// The creator (or another app) posts on Reddit directly: the post's fullname, or "".
QString RedditPublishingTest::submitAsAlice(const QString &title) {
    const QByteArray token = aliceToken();
    if (token.isEmpty())
        return {};
    reddit::Submission submission;
    submission.kind = reddit::PostKind::Self;
    submission.subreddit = QStringLiteral("sandbox");
    submission.title = title;
    submission.text = QStringLiteral("Posted from the Reddit app");
    std::optional<Result<reddit::SubmitAnswer>> answer;
    m_session->reddit()->submit(QStringLiteral("elsewhere"), token, submission,
                                [&](Result<reddit::SubmitAnswer> got) { answer = got; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 30000) || !answer->ok())
        return {};
    return answer->value().fullname;
}

// Reddit's window is brought to about 12 seconds from its end with no call left, and the
// desktop learns it from one answer: its Reddit calls for this account wait until the
// window ends, as they would after a busy stretch.
void RedditPublishingTest::holdRedditCallsForAWhile() {
    // A fresh session: its pacer knows no window yet, so the moved clock is news to it.
    m_session->queue()->stop();
    m_session.reset();
    startSession();
    const QJsonObject window =
        m_http.get(m_stack.sandbox().url("/_admin/reddit/ratelimit/window")).document().object();
    const int reset = window["reset"].toInt();
    QVERIFY(reset > 0);
    const int advance = reset >= 14 ? reset - 12 : reset + 600 - 12;
    QVERIFY(sandboxPost("/_admin/clock", {{"advance_seconds", advance}}));
    QVERIFY(sandboxPost("/_admin/reddit/ratelimit/window", {{"used", 999}}));
    const QByteArray token = aliceToken();
    QVERIFY(!token.isEmpty());
    std::optional<Result<reddit::Listing>> listing;
    m_session->reddit()->submitted(QString::number(m_account), token, "sbx_alice", 1, {},
                                   [&](Result<reddit::Listing> got) { listing = got; });
    QVERIFY(QTest::qWaitFor([&] { return listing.has_value(); }, 30000));
}

QString RedditPublishingTest::makeImage(const QString &name) {
    QImage image(320, 240, QImage::Format_RGB32);
    image.fill(QColor(255, 69, 0));
    for (int x = 0; x < 320; ++x)
        image.setPixelColor(x, x % 240, Qt::white); // not one flat colour
    const QString path = m_files.filePath(name);
    return image.save(path, "PNG") ? path : QString();
}

qint64 RedditPublishingTest::enqueue(const QString &kind, const QString &path, const QString &url,
                                     const QString &caption, const QJsonObject &reddit) {
    jobs::PublicationDraft draft;
    draft.accountIds = {m_account};
    draft.kind = kind;
    draft.filePath = path;
    draft.sourceUrl = url;
    draft.caption = caption;
    draft.fileSize = path.isEmpty() ? 0 : QFileInfo(path).size();
    draft.options.insert("reddit", reddit);
    std::optional<Result<QList<qint64>>> ids;
    m_session->queue()->enqueue(draft, [&](Result<QList<qint64>> result) { ids = result; });
    if (!QTest::qWaitFor([&] { return ids.has_value(); }, 10000) || !ids->ok() ||
        ids->value().size() != 1)
        return 0;
    return ids->value().first();
}

QString RedditPublishingTest::column(qint64 id, const QString &name) {
    auto result = m_stack.sql().exec(
        QStringLiteral("SELECT %1::text FROM publications WHERE id = $1").arg(name), {id});
    return result && result->rows() ? result->text(0, 0) : QString();
}

bool RedditPublishingTest::waitForState(qint64 id, const QStringList &states, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (states.contains(column(id, "state")))
            return true;
        QTest::qWait(300);
    }
    qWarning() << "publication" << id << "stayed" << column(id, "state")
               << column(id, "last_error_code") << column(id, "last_error_message");
    return false;
}

QJsonArray RedditPublishingTest::sandboxPosts(const QString &title) {
    const QJsonArray posts = m_http.get(m_stack.sandbox().url("/_admin/reddit/posts"))
                                 .document()
                                 .object()
                                 .value("posts")
                                 .toArray();
    QJsonArray titled;
    for (const QJsonValue &post : posts)
        if (post["title"].toString() == title)
            titled.append(post);
    return titled;
}

void RedditPublishingTest::everyKindIsPublishedOnceWithItsPermalink() {
    const QString image = makeImage("photo.png");
    const QString video = makeTestVideo(m_files.filePath("clip.mp4"), 2, false);
    QVERIFY2(!image.isEmpty() && !video.isEmpty(),
             "ffmpeg (Debian package ffmpeg) could not make the test video");
    struct Case {
        QString kind;
        qint64 id = 0;
        QString title;
        QString file;
    };
    const QJsonArray assets =
        m_http.get(m_stack.sandbox().url("/_admin/reddit/assets")).document().array();
    QList<Case> cases{{"self", 0, unique("Self post "), {}},
                      {"link", 0, unique("Link post "), {}},
                      {"image", 0, unique("Image post "), image},
                      {"video", 0, unique("Video post "), video}};
    for (Case &c : cases) {
        const QJsonObject reddit{{"subreddit", "r/sandbox"},
                                 {"title", c.title},
                                 {"flair_text", "Showcase"},
                                 {"nsfw", c.kind == "self" || c.kind == "image"},
                                 {"spoiler", c.kind == "link" || c.kind == "video"}};
        c.id = enqueue(c.kind, c.file,
                       c.kind == "link"
                           ? QStringLiteral("https://example.com/huntaze/") + c.title.right(10)
                           : QString(),
                       "Body of the **self** post", reddit);
        QVERIFY(c.id);
    }
    for (const Case &c : cases) {
        QVERIFY(waitForState(c.id, {"published"}));
        const QString fullname = column(c.id, "remote_id");
        QVERIFY2(fullname.startsWith("t3_"), qPrintable(fullname));
        const QString permalink = column(c.id, "permalink");
        QVERIFY2(permalink.startsWith("https://www.reddit.com/r/sandbox/comments/" +
                                      fullname.mid(3) + "/"),
                 qPrintable(permalink));
        // The reddit_posts row is linked to its publication.
        auto row = m_stack.sql().exec("SELECT fullname, subreddit, kind, title, permalink, "
                                      "posted_at IS NOT NULL FROM reddit_posts "
                                      "WHERE publication_id = $1",
                                      {c.id});
        QVERIFY(row && row->rows() == 1);
        QCOMPARE(row->text(0, 0), fullname);
        QCOMPARE(row->text(0, 1), QStringLiteral("sandbox"));
        QCOMPARE(row->text(0, 2), c.kind);
        QCOMPARE(row->text(0, 3), c.title);
        QCOMPARE(row->text(0, 4), permalink);
        QCOMPARE(row->text(0, 5), QStringLiteral("t"));
        // Reddit holds exactly one post with the title, as asked.
        const QJsonArray posts = sandboxPosts(c.title);
        QCOMPARE(posts.size(), 1);
        const QJsonObject post = posts.first().toObject();
        QCOMPARE(post["name"].toString(), fullname);
        QCOMPARE(post["kind"].toString(), c.kind);
        QCOMPARE(post["link_flair_text"].toString(), QStringLiteral("Showcase"));
        QCOMPARE(post["over_18"].toBool(), c.kind == "self" || c.kind == "image");
        QCOMPARE(post["spoiler"].toBool(), c.kind == "link" || c.kind == "video");
        if (c.kind == "self")
            QCOMPARE(post["selftext"].toString(), QStringLiteral("Body of the **self** post"));
        if (c.kind == "link")
            QVERIFY(post["stored_url"].toString().startsWith("https://example.com/huntaze/"));
        if (c.kind == "video")
            QVERIFY2(!post["poster_url"].toString().isEmpty(), "a video post needs its poster");
    }
    // The image and the video arrived byte for byte, each uploaded once.
    const QJsonArray uploaded =
        m_http.get(m_stack.sandbox().url("/_admin/reddit/assets")).document().array();
    for (const QString &file : {image, video}) {
        int copies = 0;
        for (const QJsonValue &asset : uploaded)
            copies += asset["sha256"].toString().toLatin1() == fileSha256(file) &&
                      asset["uploaded"].toBool();
        QCOMPARE(copies, 1);
    }
    QVERIFY(uploaded.size() >= assets.size() + 3); // image, video and the video's poster
    QCOMPARE(column(cases[3].id, "bytes_sent"), QString::number(QFileInfo(video).size()));
    // The media URLs were recorded, so a restart would not upload again.
    QVERIFY(!column(cases[3].id, "options->'reddit_media'->>'url'").isEmpty());
    QVERIFY(!column(cases[3].id, "options->'reddit_media'->>'poster_url'").isEmpty());
}

void RedditPublishingTest::rateLimitWaitsTheTimeRedditNamedThenPublishes() {
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/reddit/ratelimit"),
                           {{"unit", "seconds"}, {"amount", 20}, {"times", 1}})
                 .status,
             200);
    const QString title = unique("Posted after the wait ");
    const qint64 id =
        enqueue("self", {}, {}, "Patience", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), QStringLiteral("RATELIMIT"), 20000);
    QCOMPARE(column(id, "state"), QStringLiteral("queued"));
    const QString message = column(id, "last_error_message");
    QVERIFY2(message.contains("20 seconds") && message.contains("Next try at"),
             qPrintable(message));
    const qint64 wait = m_stack.scalar(
        QString("SELECT extract(epoch FROM next_attempt_at - now())::bigint FROM publications "
                "WHERE id = %1")
            .arg(id));
    QVERIFY2(wait >= 12 && wait <= 21, qPrintable(QString::number(wait)));
    // Reddit answered: nothing was posted, and the next submit is not taken for a lost one.
    QVERIFY(column(id, "init_started_at").isEmpty());
    QCOMPARE(sandboxPosts(title).size(), 0);
    QVERIFY(waitForState(id, {"published"}, 60000));
    QCOMPARE(sandboxPosts(title).size(), 1);
    QVERIFY(column(id, "last_error_code").isEmpty());
}

void RedditPublishingTest::refusalsLeaveTheirMessageAndPostNothing_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("subreddit");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("said");
    QTest::newRow("no such subreddit") << "self"
                                       << "nosuchplace" << unique("Nowhere ") << "SUBREDDIT_NOEXIST"
                                       << "nosuchplace";
    QTest::newRow("not allowed") << "self"
                                 << "privateclub" << unique("Members only ")
                                 << "SUBREDDIT_NOTALLOWED"
                                 << "privateclub";
    QTest::newRow("no text posts") << "self"
                                   << "linksonly" << unique("Text where links go ") << "NO_SELFS"
                                   << "linksonly";
    QTest::newRow("banned domain") << "link"
                                   << "sandbox" << unique("Banned link ") << "DOMAIN_BANNED"
                                   << "";
    // Found before anything is sent: Reddit counts 300 characters at most.
    QTest::newRow("title too long") << "self"
                                    << "sandbox" << QString(301, QChar('t')) << "TOO_LONG"
                                    << "300";
}

void RedditPublishingTest::refusalsLeaveTheirMessageAndPostNothing() {
    QFETCH(QString, kind);
    QFETCH(QString, subreddit);
    QFETCH(QString, title);
    QFETCH(QString, code);
    QFETCH(QString, said);
    const qint64 id = enqueue(
        kind, {}, kind == "link" ? QStringLiteral("https://banned.example/page") : QString(),
        "Some text", {{"subreddit", subreddit}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"needs_action"}, 30000));
    QCOMPARE(column(id, "last_error_code"), code);
    const QString message = column(id, "last_error_message");
    QVERIFY2(message.size() > 30 && message.contains(said), qPrintable(message));
    QVERIFY(!message.contains("access_token") && !message.contains("bearer"));
    QCOMPARE(sandboxPosts(title).size(), 0);
    QVERIFY(column(id, "init_started_at").isEmpty());
    QCOMPARE(m_stack.scalar(
                 QString("SELECT count(*) FROM reddit_posts WHERE publication_id = %1").arg(id)),
             0);
}

void RedditPublishingTest::refusedTokenIsRefreshedOnceAndThePostGoesOut() {
    // Reddit stops accepting the user's access tokens; the relay still has the refresh token.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/reddit/tokens/invalidate"),
                           {{"user", "sbx1a"}})
                 .status,
             200);
    const QString title = unique("After a refresh ");
    const qint64 id =
        enqueue("self", {}, {}, "Fresh", {{"subreddit", "huntaze"}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"published"}, 60000));
    QCOMPARE(sandboxPosts(title).size(), 1);
}

void RedditPublishingTest::lostSubmitAnswerIsFoundOnTheProfileNotPostedTwice() {
    // Reddit posts, then the connection drops before the answer arrives.
    QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "drop_after"}, {"times", 1}}));
    const QString title = unique("Answer lost ");
    const qint64 id =
        enqueue("self", {}, {}, "Was it posted?", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"published"}, 60000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QCOMPARE(column(id, "remote_id"), posts.first()["name"].toString());
    QVERIFY(column(id, "permalink").startsWith("https://www.reddit.com/r/sandbox/comments/"));
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM reddit_posts WHERE publication_id = %1 "
                                    "AND fullname = '%2'")
                                .arg(id)
                                .arg(posts.first()["name"].toString())),
             1);
}

void RedditPublishingTest::restartWithASubmitInFlightFindsThePostInsteadOfPostingAgain() {
    // The answer to the submit is lost, and the profile cannot be read either: the row
    // is left with init_started_at set and no post id, as after a crash mid-submit.
    QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "drop_after"}, {"times", 1}}));
    QVERIFY(fault({{"endpoint", "listing.submitted"},
                   {"kind", "status"},
                   {"status", 503},
                   {"body", "{\"message\": \"Service Unavailable\", \"error\": 503}"},
                   {"times", -1}}));
    const QString title = unique("Across a restart ");
    const qint64 id =
        enqueue("self", {}, {}, "Still one post", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(!column(id, "last_error_code").isEmpty(), 30000);
    QVERIFY(!column(id, "init_started_at").isEmpty());
    QVERIFY(column(id, "remote_id").isEmpty());
    QCOMPARE(sandboxPosts(title).size(), 1);

    // The desktop restarts (a new session), and Reddit can be read again.
    m_session->queue()->stop();
    m_session.reset();
    QCOMPARE(column(id, "state"), QStringLiteral("queued"));
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/faults"), {}, {}, 5000).status,
             200);
    QVERIFY(m_stack.sql().execScript(
        QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    startSession();
    QVERIFY(waitForState(id, {"published"}, 60000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QCOMPARE(column(id, "remote_id"), posts.first()["name"].toString());
}

void RedditPublishingTest::unconfirmedSubmitAsksTheCreatorToCheckThenRetryPosts() {
    // The connection drops before Reddit handles two submits: no post exists, but the
    // desktop cannot know. It looks for about two minutes, then asks the creator.
    QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "drop"}, {"times", 2}}));
    const QString title = unique("Never arrived ");
    const QString lateTitle = unique("Listed late ");
    const qint64 id =
        enqueue("self", {}, {}, "Lost on the way", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    const qint64 late =
        enqueue("self", {}, {}, "Shows up later", {{"subreddit", "sandbox"}, {"title", lateTitle}});
    QVERIFY(late);
    for (const qint64 row : {id, late}) {
        QVERIFY(waitForState(row, {"needs_action"}, 240000));
        QCOMPARE(column(row, "last_error_code"), QStringLiteral("outcome_unknown"));
        const QString message = column(row, "last_error_message");
        QVERIFY2(message.contains("Reddit did not confirm the post; check your profile before "
                                  "posting again"),
                 qPrintable(message));
        // The mark stays: Retry looks once more before posting.
        QVERIFY(!column(row, "init_started_at").isEmpty());
    }
    QCOMPARE(sandboxPosts(title).size(), 0);
    QCOMPARE(sandboxPosts(lateTitle).size(), 0);
    // Reddit's listing lagged: the second post shows up on the profile only now.
    const QString lateFullname = submitAsAlice(lateTitle);
    QVERIFY(lateFullname.startsWith("t3_"));

    // The creator checked the first one: Retry submits again, once, without a long look.
    QElapsedTimer clock;
    clock.start();
    m_session->queue()->retry(id);
    QVERIFY(waitForState(id, {"published"}, 30000));
    QVERIFY2(clock.elapsed() < 20000, "Retry looked once, not for two minutes");
    QCOMPARE(sandboxPosts(title).size(), 1);
    QVERIFY(column(id, "options->'reddit_unconfirmed'").isEmpty());
    // Retry of the second finds the post and records it instead of posting it again.
    m_session->queue()->retry(late);
    QVERIFY(waitForState(late, {"published"}, 30000));
    QCOMPARE(sandboxPosts(lateTitle).size(), 1);
    QCOMPARE(column(late, "remote_id"), lateFullname);
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM reddit_posts WHERE publication_id = %1 "
                                    "AND fullname = '%2'")
                                .arg(late)
                                .arg(lateFullname)),
             1);
}

void RedditPublishingTest::cancelWhileTheSubmitIsHeldStillRecordsThePost() {
    // Reddit's rate limit holds the submit for some seconds; the creator cancels while it
    // is on its way. It still goes out, so the row must end published, not cancelled.
    holdRedditCallsForAWhile();
    const QString title = unique("Cancelled too late ");
    const qint64 id =
        enqueue("self", {}, {}, "On its way", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(!column(id, "init_started_at").isEmpty(), 10000);
    QCOMPARE(sandboxPosts(title).size(), 0); // still held
    m_session->queue()->cancel(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "state"), QStringLiteral("cancelled"), 5000);
    QVERIFY(waitForState(id, {"published"}, 60000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    const QString fullname = posts.first()["name"].toString();
    QCOMPARE(column(id, "remote_id"), fullname);
    QVERIFY(column(id, "permalink").startsWith("https://www.reddit.com/r/sandbox/comments/"));
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM reddit_posts WHERE publication_id = %1 "
                                    "AND fullname = '%2'")
                                .arg(id)
                                .arg(fullname)),
             1);
}

void RedditPublishingTest::cancelWhileTheMediaPostIsAwaitedStillRecordsIt() {
    // Reddit accepted the image post and takes a while to process it; the creator cancels
    // meanwhile. The post appears on Reddit all the same: the row must say published.
    QVERIFY(sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 8}}));
    const QString image = makeImage("awaited.png");
    QVERIFY(!image.isEmpty());
    const QString title = unique("Processed after cancel ");
    const qint64 id = enqueue("image", image, {}, {}, {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"processing"}, 30000));
    m_session->queue()->cancel(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "state"), QStringLiteral("cancelled"), 5000);
    const bool published = waitForState(id, {"published"}, 60000);
    QVERIFY(sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 5}}));
    QVERIFY(published);
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QCOMPARE(column(id, "remote_id"), posts.first()["name"].toString());
    QCOMPARE(m_stack.scalar(
                 QString("SELECT count(*) FROM reddit_posts WHERE publication_id = %1").arg(id)),
             1);
}

void RedditPublishingTest::mediaRedditCouldNotProcessAsksTheCreatorAndRetryPostsOnce() {
    // Reddit takes the image post, then its media websocket says processing failed: no
    // post exists. The row asks the creator with Reddit's reason and keeps no "maybe
    // posted" mark (so Retry posts at once instead of looking for a post), and Retry
    // posts exactly once.
    QVERIFY(sandboxPost("/_admin/reddit/media", {{"fail", true}, {"processing_seconds", 1}}));
    const auto restore = qScopeGuard([this] {
        (void)sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 5}});
    });
    const QString image = makeImage("not-processed.png");
    QVERIFY(!image.isEmpty());
    const QString title = unique("Reddit could not process ");
    const qint64 id = enqueue("image", image, {}, {}, {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"needs_action"}, 60000));
    QCOMPARE(column(id, "last_error_code"), QStringLiteral("media_failed"));
    QVERIFY(!column(id, "last_error_message").isEmpty());
    QVERIFY(column(id, "init_started_at").isEmpty());
    QCOMPARE(sandboxPosts(title).size(), 0);

    QVERIFY(sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 1}}));
    m_session->queue()->retry(id);
    QVERIFY(waitForState(id, {"published"}, 60000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QCOMPARE(column(id, "remote_id"), posts.first()["name"].toString());
}

void RedditPublishingTest::lostSubmitAnswerOfAnImagePostIsFoundOnceProcessed() {
    // Reddit takes an image post and the connection drops before its answer, so the
    // desktop never gets the websocket that would announce the post; the post shows on
    // the profile only once Reddit has processed the file. It must be found there, not
    // posted a second time.
    QVERIFY(sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 3}}));
    const auto restore = qScopeGuard([this] {
        (void)sandboxPost("/_admin/reddit/media", {{"fail", false}, {"processing_seconds", 5}});
    });
    QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "drop_after"}, {"times", 1}}));
    const QString image = makeImage("answer-lost.png");
    QVERIFY(!image.isEmpty());
    const QString title = unique("Image answer lost ");
    const qint64 id = enqueue("image", image, {}, {}, {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QVERIFY(waitForState(id, {"published"}, 90000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QCOMPARE(column(id, "remote_id"), posts.first()["name"].toString());
    QVERIFY(column(id, "permalink").startsWith("https://www.reddit.com/r/sandbox/comments/"));
}

void RedditPublishingTest::tokenRefusedBeforeSubmitLeavesNoMarkAndThePostGoesOutOnRetry() {
    // The relay refuses the access token (here: this computer's credential is not
    // accepted for a moment). Nothing was sent, so nothing may say "maybe posted".
    m_session->tokens()->forget(m_account);
    m_relay->setCredential("not-the-paired-credential");
    const QString title = unique("Token first ");
    const qint64 id =
        enqueue("self", {}, {}, "No token yet", {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(!column(id, "last_error_code").isEmpty(), 30000);
    m_relay->setCredential(m_stack.credential());
    QVERIFY(column(id, "init_started_at").isEmpty());
    QCOMPARE(sandboxPosts(title).size(), 0);
    // The next run posts at once: no two-minute look for a post that was never sent.
    if (column(id, "state") == QLatin1String("needs_action"))
        m_session->queue()->retry(id);
    else
        QVERIFY(m_stack.sql().execScript(
            QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    QVERIFY(waitForState(id, {"published"}, 20000));
    QCOMPARE(sandboxPosts(title).size(), 1);
}

void RedditPublishingTest::madePosterIsPrivateAndRemovedWhenItsUploadFails() {
    // A video without a chosen poster gets a made-up one in the temporary folder; its
    // upload fails. Nothing may stay behind (here a folder of its own stands in for /tmp).
    const QString video = makeTestVideo(m_files.filePath("posterless.mp4"), 1, false);
    QVERIFY2(!video.isEmpty(), "ffmpeg (Debian package ffmpeg) could not make the test video");
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QByteArray savedTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", temp.path().toUtf8());
    const auto restore = qScopeGuard([&] {
        if (savedTmp.isEmpty())
            qunsetenv("TMPDIR");
        else
            qputenv("TMPDIR", savedTmp);
    });
    QVERIFY(fault({{"endpoint", "media.upload"},
                   {"kind", "status"},
                   {"status", 503},
                   {"content_type", "application/xml"},
                   {"body", "<Error><Code>ServiceUnavailable</Code></Error>"},
                   {"times", -1}}));
    const QString title = unique("Poster left behind ");
    const qint64 id = enqueue("video", video, {}, {}, {{"subreddit", "sandbox"}, {"title", title}});
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(!column(id, "last_error_code").isEmpty(), 30000);
    m_session->queue()->pause(id);
    QVERIFY(waitForState(id, {"paused"}, 10000));
    const auto leftovers = [&] {
        return QDir(temp.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(leftovers().isEmpty(), qPrintable(leftovers().join(", ")), 5000);
    // Once uploads work again the post goes out, and the poster is gone afterwards too.
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/faults"), {}, {}, 5000).status,
             200);
    m_session->queue()->resume(id);
    QVERIFY(waitForState(id, {"published"}, 90000));
    const QJsonArray posts = sandboxPosts(title);
    QCOMPARE(posts.size(), 1);
    QVERIFY2(!posts.first()["poster_url"].toString().isEmpty(), "a video post needs its poster");
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(", ")));
}

QTEST_GUILESS_MAIN(RedditPublishingTest)
#include "tst_redditpublishing.moc"
