#include "httpclient.h"
#include "publishingstack.h"
#include "workers/redditsync.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

#include <libpq-fe.h>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QByteArray kUserAgent = "test:com.huntaze.tests:1.0 (by /u/huntaze_app)";
const QString kComplete = "outcome=\"complete\"";
} // namespace

// The relay's Reddit sync against the sandbox over real HTTP, with a real relay (syncing
// every second) and PostgreSQL: the creator's posts, their numbers and their comments land
// in the CRM; a pass with nothing new writes nothing; numbers moving add one history row;
// a post the desktop published keeps its publication; a dead access token is refreshed,
// and only a refused refresh turns the login needs_reconnect; desktops hear the changes.
class RedditSyncTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void commentTreeIsFlattenedDepthFirstWithoutMoreStubs();
    void postsNumbersAndCommentsLand();
    void passWithNothingNewWritesNothing();
    void numbersMovingAddOneHistoryRowPerChange();
    void postPublishedThroughTheDesktopKeepsItsPublication();
    void removedPostShowsWhyAndCommentsAnnounceThemselves();
    void deadAccessTokenIsRefreshedAndTheLoginStaysActive();
    void refusedAuthorizationTurnsTheLoginToNeedsReconnect();

private:
    QString submitSelf(const QString &title, const QString &text);
    QJsonObject sandboxPost(const QString &fullname);
    QByteArray sandboxState();
    bool addComments(const QString &fullname, int count, const QString &body = "Nice post!");
    bool waitForPasses(int passes, const QString &outcome = kComplete, int timeoutMs = 60000);
    double metric(const QString &name, const QString &labels);
    QString dump();
    qint64 scalar(const QString &sql) { return m_stack.scalar(sql); }
    QString text(const QString &sql, const QList<store::PgParam> &params);
    QByteArray relayLog();

    PublishingStack m_stack;
    HttpClient m_http;
    qint64 m_accountId = 0;
    QString m_apiBase;
    QByteArray m_token; // /u/sbx_alice's access token, as a desktop gets it from the relay
    QString m_first;
    QString m_second;
};

void RedditSyncTest::initTestCase() {
    QVERIFY2(m_stack.start({{"HUNTAZE_REDDIT_SYNC_INTERVAL_SECONDS", "1"}}),
             qPrintable(m_stack.errorString()));
    const auto account = m_stack.connectReddit("sbx1a");
    QVERIFY2(account, qPrintable(m_stack.errorString()));
    m_accountId = *account;
    m_apiBase = m_stack.sandbox().platform("reddit")["oauth_base_url"].toString();
    QVERIFY(!m_apiBase.isEmpty());
    const auto token = m_http.postJson(QUrl(m_stack.relayUrl().toString() + "/v1/oauth/token"),
                                       {{"account_id", m_accountId}},
                                       {{"Authorization", "Bearer " + m_stack.credential()}});
    QCOMPARE(token.status, 200);
    m_token = token.json()["access_token"].toString().toUtf8();
    QVERIFY(!m_token.isEmpty());
}

QByteArray RedditSyncTest::relayLog() {
    (void)m_stack.relay().process().waitForJsonLine([](const QJsonObject &) { return false; }, 1);
    return m_stack.relay().output();
}

void RedditSyncTest::cleanup() {
    if (QTest::currentTestFailed())
        qWarning("relay output (tail):\n%s", relayLog().right(6000).constData());
}

// A self post by /u/sbx_alice, made on the platform as any client would.
QString RedditSyncTest::submitSelf(const QString &title, const QString &body) {
    QUrlQuery form;
    form.addQueryItem("sr", "sandbox");
    form.addQueryItem("kind", "self");
    form.addQueryItem("title", title);
    form.addQueryItem("text", body);
    form.addQueryItem("api_type", "json");
    const auto answer =
        m_http.postForm(QUrl(m_apiBase + "/api/submit"), form,
                        {{"Authorization", "bearer " + m_token}, {"User-Agent", kUserAgent}});
    const QString name = answer.json()["json"].toObject()["data"].toObject()["name"].toString();
    if (name.isEmpty())
        qWarning("submit: %d %s", answer.status, answer.body.constData());
    return name;
}

QJsonObject RedditSyncTest::sandboxPost(const QString &fullname) {
    const QJsonArray posts =
        m_http.get(m_stack.sandbox().url("/_admin/reddit/posts")).json()["posts"].toArray();
    for (const QJsonValue &post : posts)
        if (post["name"].toString() == fullname)
            return post.toObject();
    return {};
}

// What the platform holds of every post (numbers and comments), to tell whether it moved.
QByteArray RedditSyncTest::sandboxState() {
    QJsonArray state;
    for (const QJsonValue &post :
         m_http.get(m_stack.sandbox().url("/_admin/reddit/posts")).json()["posts"].toArray())
        state.append(QJsonArray{post["name"], post["score"], post["num_comments"],
                                post["upvote_ratio"], post["removed_by_category"]});
    return QJsonDocument(state).toJson(QJsonDocument::Compact);
}

bool RedditSyncTest::addComments(const QString &fullname, int count, const QString &body) {
    return m_http
               .postJson(m_stack.sandbox().url("/_admin/reddit/posts/" + fullname + "/comments"),
                         {{"count", count}, {"author", "sbx_bob"}, {"body", body}})
               .status == 200;
}

double RedditSyncTest::metric(const QString &name, const QString &labels) {
    const QString text =
        QString::fromUtf8(m_http.get(QUrl(m_stack.relayUrl().toString() + "/metrics")).body);
    const QRegularExpression line("^" + QRegularExpression::escape(name + "{" + labels + "}") +
                                      " (\\S+)$",
                                  QRegularExpression::MultilineOption);
    const auto match = line.match(text);
    return match.hasMatch() ? match.captured(1).toDouble() : 0;
}

// Waits until the sync finished `passes` more passes over the account, ending `outcome`.
bool RedditSyncTest::waitForPasses(int passes, const QString &outcome, int timeoutMs) {
    const QString name = "huntaze_reddit_sync_accounts_total";
    const double target = metric(name, outcome) + passes;
    return QTest::qWaitFor([&] { return metric(name, outcome) >= target; }, timeoutMs);
}

QString RedditSyncTest::text(const QString &sql, const QList<store::PgParam> &params) {
    auto rows = m_stack.sql().exec(sql, params);
    return rows && rows->rows() && !rows->isNull(0, 0) ? rows->text(0, 0) : QString();
}

// Everything the sync writes, with updated_at.
QString RedditSyncTest::dump() {
    return text(
        "SELECT coalesce((SELECT string_agg(p::text, E'\\n' ORDER BY p.fullname) FROM (SELECT "
        "fullname, publication_id, subreddit, kind, title, url, permalink, score, num_comments, "
        "upvote_ratio, removed_by_category, posted_at, updated_at FROM reddit_posts) p), '') || "
        "E'\\n--\\n' || coalesce((SELECT string_agg(c::text, E'\\n' ORDER BY c.fullname) FROM "
        "(SELECT fullname, post_fullname, parent_fullname, author, body, score, posted_at, "
        "updated_at FROM reddit_comments) c), '') || E'\\n--\\n' || (SELECT count(*) FROM "
        "reddit_post_stats)::text",
        {});
}

// The sandbox answers flat threads; Reddit nests replies: the tree is walked here alone.
void RedditSyncTest::commentTreeIsFlattenedDepthFirstWithoutMoreStubs() {
    const QByteArray answer = R"([
      {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"name": "t3_abc"}}]}},
      {"kind": "Listing", "data": {"children": [
        {"kind": "t1", "data": {"name": "t1_a1", "parent_id": "t3_abc", "author": "bob",
         "body": "top", "score": 5, "created_utc": 1732400000.0, "replies":
          {"kind": "Listing", "data": {"children": [
            {"kind": "t1", "data": {"name": "t1_b2", "parent_id": "t1_a1", "author": "carol",
             "body": "reply", "score": -2, "created_utc": 1732400100, "replies": ""}},
            {"kind": "more", "data": {"count": 12, "children": ["c3", "c4"]}}]}}}},
        {"kind": "t1", "data": {"name": "t1_BAD!", "parent_id": "t3_abc", "body": "skipped"}},
        {"kind": "t1", "data": {"name": "t1_d5", "parent_id": "javascript:1", "author": "dan",
         "body": "odd parent", "score": "many", "created_utc": 1e300, "replies": ""}},
        {"kind": "more", "data": {"count": 40, "children": ["e6"]}}]}}
    ])";
    const auto comments =
        relay::RedditSync::flattenComments(QJsonDocument::fromJson(answer).array());
    QCOMPARE(comments.size(), 3);
    QCOMPARE(comments[0].fullname, QString("t1_a1"));
    QCOMPARE(comments[0].parentFullname, QString("t3_abc"));
    QCOMPARE(comments[0].score, 5);
    QCOMPARE(comments[0].createdUtc, 1732400000);
    QCOMPARE(comments[1].fullname, QString("t1_b2"));
    QCOMPARE(comments[1].parentFullname, QString("t1_a1"));
    QCOMPARE(comments[1].author, QString("carol"));
    QCOMPARE(comments[1].score, -2);
    QCOMPARE(comments[2].fullname, QString("t1_d5"));
    QCOMPARE(comments[2].parentFullname, QString("t3_abc")); // an unusable parent: the post
    QCOMPARE(comments[2].score, 0);
    QCOMPARE(comments[2].createdUtc, 0);
    // Not an answer at all: nothing, no crash.
    QVERIFY(relay::RedditSync::flattenComments(QJsonArray{}).isEmpty());
    QVERIFY(relay::RedditSync::flattenComments(QJsonArray{1, "x", QJsonObject{}}).isEmpty());
}

void RedditSyncTest::postsNumbersAndCommentsLand() {
    m_first = submitSelf("First light", "Shot at dawn, *no* filter.");
    m_second = submitSelf("Second take", "Behind the scenes & more");
    QVERIFY(!m_first.isEmpty() && !m_second.isEmpty());
    QVERIFY(addComments(m_first, 3));
    QVERIFY(waitForPasses(2));

    const QJsonObject platform = sandboxPost(m_first);
    QCOMPARE(platform["num_comments"].toInt(), 3);
    auto row = m_stack.sql().exec(
        "SELECT subreddit, title, permalink, score, num_comments, upvote_ratio, account_id, "
        "user_id, kind, posted_at IS NOT NULL FROM reddit_posts WHERE fullname = $1",
        {m_first});
    QVERIFY(row && row->rows() == 1);
    QCOMPARE(row->text(0, 0), QString("sandbox"));
    QCOMPARE(row->text(0, 1), QString("First light"));
    QVERIFY2(row->text(0, 2).startsWith("https://www.reddit.com/r/sandbox/comments/"),
             qPrintable(row->text(0, 2)));
    QCOMPARE(row->int64(0, 3), qint64(platform["score"].toInt()));
    QCOMPARE(row->int64(0, 4), 3);
    QCOMPARE(row->text(0, 5).toDouble(), platform["upvote_ratio"].toDouble());
    QCOMPARE(row->int64(0, 6), m_accountId);
    QCOMPARE(row->int64(0, 7), 1);
    QCOMPARE(row->text(0, 8), QString("self"));
    QVERIFY(row->boolean(0, 9));
    // raw_json=1: the text as written, not HTML-escaped.
    QCOMPARE(text("SELECT title FROM reddit_posts WHERE fullname = $1", {m_second}),
             QString("Second take"));

    // The comments, flattened under their post, by their author.
    QCOMPARE(scalar("SELECT count(*) FROM reddit_comments WHERE post_fullname = '" + m_first +
                    "' AND parent_fullname = '" + m_first +
                    "' AND author = 'sbx_bob' AND body = 'Nice post!' AND posted_at IS NOT NULL"),
             3);
    QCOMPARE(
        scalar("SELECT count(*) FROM reddit_comments WHERE post_fullname = '" + m_second + "'"), 0);
    // One history row per post so far (its first numbers).
    QCOMPARE(scalar("SELECT count(*) FROM reddit_post_stats WHERE fullname = '" + m_first + "'"),
             1);
    // Every call carried the descriptive User-Agent: the sandbox never answered 429.
    QCOMPARE(
        metric("huntaze_reddit_sync_calls_total", "endpoint=\"listing.submitted\",status=\"429\""),
        0.0);
    QVERIFY(metric("huntaze_reddit_sync_calls_total",
                   "endpoint=\"listing.submitted\",status=\"200\"") >= 2);
    QVERIFY(metric("huntaze_reddit_sync_calls_total",
                   "endpoint=\"listing.comments\",status=\"200\"") >= 1);
}

void RedditSyncTest::passWithNothingNewWritesNothing() {
    // The sandbox grows posts by the minute of real time: compare only across passes
    // during which the platform did not move.
    for (int attempt = 0; attempt < 4; ++attempt) {
        const QByteArray platformBefore = sandboxState();
        QVERIFY(waitForPasses(1));
        const QString before = dump();
        const double writes = metric("huntaze_reddit_sync_writes_total", "table=\"reddit_posts\"");
        QVERIFY(waitForPasses(2));
        const QString after = dump();
        if (sandboxState() != platformBefore)
            continue;
        QCOMPARE(after, before);
        QCOMPARE(metric("huntaze_reddit_sync_writes_total", "table=\"reddit_posts\""), writes);
        return;
    }
    QFAIL("the platform kept moving");
}

void RedditSyncTest::numbersMovingAddOneHistoryRowPerChange() {
    const qint64 historyBefore =
        scalar("SELECT count(*) FROM reddit_post_stats WHERE fullname = '" + m_first + "'");
    // Ten minutes on the platform: upvotes and two grown comments.
    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 600}}).status,
        200);
    int comments = 0;
    QVERIFY(QTest::qWaitFor(
        [&] { return (comments = sandboxPost(m_first)["num_comments"].toInt()) > 3; }, 10000));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return scalar("SELECT count(*) FROM reddit_comments WHERE post_fullname = '" + m_first +
                          "'") == comments;
        },
        30000));
    QVERIFY(waitForPasses(1));
    const QJsonObject platform = sandboxPost(m_first);
    QCOMPARE(scalar("SELECT score FROM reddit_posts WHERE fullname = '" + m_first + "'"),
             qint64(platform["score"].toInt()));
    QCOMPARE(scalar("SELECT num_comments FROM reddit_posts WHERE fullname = '" + m_first + "'"),
             qint64(comments));
    // History grew, and only on changes: no two successive rows alike, the newest as stored.
    QVERIFY(scalar("SELECT count(*) FROM reddit_post_stats WHERE fullname = '" + m_first + "'") >
            historyBefore);
    QCOMPARE(scalar("SELECT count(*) FROM (SELECT (score, num_comments, upvote_ratio) IS NOT "
                    "DISTINCT FROM lag((score, num_comments, upvote_ratio)) OVER (PARTITION BY "
                    "fullname ORDER BY id) AS same FROM reddit_post_stats) s WHERE same"),
             0);
    QCOMPARE(scalar("SELECT count(*) FROM reddit_posts p WHERE (p.score, p.num_comments, "
                    "p.upvote_ratio) IS DISTINCT FROM (SELECT (s.score, s.num_comments, "
                    "s.upvote_ratio) FROM reddit_post_stats s WHERE s.fullname = p.fullname "
                    "ORDER BY s.id DESC LIMIT 1)"),
             0);
}

void RedditSyncTest::postPublishedThroughTheDesktopKeepsItsPublication() {
    const QString fullname = submitSelf("Published from Huntaze", "Queued on the desktop");
    QVERIFY(!fullname.isEmpty());
    // What the publishing job records, as the contract says: the publication settled and
    // the post upserted on its fullname with the publication's id (the sync may have
    // listed it first).
    const QString publicationId =
        text("INSERT INTO publications (user_id, draft_id, account_id, provider, state, kind) "
             "VALUES (1, gen_random_uuid(), $1, 'reddit', 'published', 'self') RETURNING id",
             {m_accountId});
    QVERIFY(!publicationId.isEmpty());
    QVERIFY(m_stack.sql().exec(
        "INSERT INTO reddit_posts (user_id, account_id, publication_id, fullname, subreddit, "
        "kind, title) VALUES (1, $1, $2, $3, 'sandbox', 'self', 'Published from Huntaze') "
        "ON CONFLICT (fullname) DO UPDATE SET publication_id = EXCLUDED.publication_id, "
        "kind = EXCLUDED.kind",
        {m_accountId, publicationId.toLongLong(), fullname}));
    QVERIFY(addComments(fullname, 2, "Congrats"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return scalar("SELECT count(*) FROM reddit_comments WHERE post_fullname = '" +
                          fullname + "'") == 2;
        },
        30000));
    QVERIFY(waitForPasses(1));
    auto row = m_stack.sql().exec("SELECT publication_id, kind, num_comments, permalink FROM "
                                  "reddit_posts WHERE fullname = $1",
                                  {fullname});
    QVERIFY(row && row->rows() == 1);
    QCOMPARE(row->text(0, 0), publicationId);
    QCOMPARE(row->text(0, 1), QString("self"));
    QCOMPARE(row->int64(0, 2), 2);
    QVERIFY(row->text(0, 3).contains(fullname.mid(3)));
}

void RedditSyncTest::removedPostShowsWhyAndCommentsAnnounceThemselves() {
    auto listener = store::PgConnection::open(m_stack.database().url());
    QVERIFY(listener);
    QVERIFY(listener->execScript("LISTEN huntaze_changes"));
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/reddit/posts/" + m_second + "/remove"),
                           {{"category", "moderator"}})
                 .status,
             200);
    QVERIFY(addComments(m_second, 1, "Why was this removed?"));
    QSet<QString> heard;
    QDeadlineTimer deadline(30000);
    while (!(heard.contains("reddit_posts:" + m_second) && heard.contains("reddit_comments")) &&
           !deadline.hasExpired()) {
        QTest::qWait(50);
        PQconsumeInput(listener->handle());
        while (PGnotify *note = PQnotifies(listener->handle())) {
            const QJsonObject seen = QJsonDocument::fromJson(note->extra).object();
            QCOMPARE(seen["user_id"].toInt(), 1);
            if (seen["table"] == QJsonValue("reddit_posts"))
                heard.insert("reddit_posts:" + seen["key"].toString());
            if (seen["table"] == QJsonValue("reddit_comments") &&
                seen["key"].toString().startsWith("t1_"))
                heard.insert("reddit_comments");
            PQfreemem(note);
        }
    }
    QVERIFY2(heard.contains("reddit_posts:" + m_second),
             qPrintable(QStringList(heard.values()).join(',')));
    QVERIFY(heard.contains("reddit_comments"));
    QCOMPARE(text("SELECT removed_by_category FROM reddit_posts WHERE fullname = $1", {m_second}),
             QString("moderator"));
    QCOMPARE(text("SELECT count(*) FROM reddit_comments WHERE post_fullname = $1 AND body = "
                  "'Why was this removed?' AND author = 'sbx_bob'",
                  {m_second}),
             QString("1"));
}

void RedditSyncTest::deadAccessTokenIsRefreshedAndTheLoginStaysActive() {
    const double refused =
        metric("huntaze_reddit_sync_calls_total", "endpoint=\"listing.submitted\",status=\"401\"");
    // Every access token of /u/sbx_alice dies early; her refresh token still works.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/reddit/tokens/invalidate"),
                           {{"user", "sbx1a"}})
                 .status,
             200);
    QVERIFY(waitForPasses(2));
    QVERIFY(metric("huntaze_reddit_sync_calls_total",
                   "endpoint=\"listing.submitted\",status=\"401\"") > refused);
    QCOMPARE(text("SELECT status FROM oauth_accounts WHERE id = $1", {m_accountId}),
             QString("active"));
    // And the sync goes on with the new token.
    QVERIFY(addComments(m_first, 1, "Still here"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return scalar("SELECT count(*) FROM reddit_comments WHERE body = 'Still here'") == 1;
        },
        30000));
}

void RedditSyncTest::refusedAuthorizationTurnsTheLoginToNeedsReconnect() {
    // The creator removed the app on reddit.com: every token ends, refreshes are refused.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/reddit/authorizations/revoke"),
                           {{"user", "sbx1a"}})
                 .status,
             200);
    QVERIFY(waitForPasses(1, "outcome=\"needs_reconnect\""));
    QCOMPARE(text("SELECT status FROM oauth_accounts WHERE id = $1", {m_accountId}),
             QString("needs_reconnect"));
    QVERIFY(text("SELECT status_reason FROM oauth_accounts WHERE id = $1", {m_accountId})
                .contains("invalid_grant"));
    // Its posts and comments stay: they are the creator's record.
    QVERIFY(scalar("SELECT count(*) FROM reddit_posts") >= 3);
    QVERIFY(scalar("SELECT count(*) FROM reddit_comments") >= 3);
}

QTEST_GUILESS_MAIN(RedditSyncTest)
#include "tst_redditsync.moc"
