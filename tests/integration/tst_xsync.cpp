#include "httpclient.h"
#include "publishingstack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

#include <libpq-fe.h>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QString kCreator = "1500000000000000001";
const QString kComplete = "outcome=\"complete\"";
} // namespace

// The relay's X metrics sync against the sandbox over real HTTP, with a real relay
// (syncing every second) and PostgreSQL: public and non-public metrics land in x_posts with
// a history row only when they change; a pass with nothing new writes nothing; posts past
// 30 days keep their last non-public figures; a deleted post keeps its row and is asked no
// more; a dead access token is refreshed, and only a refused refresh turns the login
// needs_reconnect; desktops hear the changes.
class XSyncTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void metricsLandWithHistoryOnlyOnChange();
    void passWithNothingNewWritesNothing();
    void postsPast30DaysKeepTheirLastNonPublicFigures();
    void deletedPostKeepsItsRowAndIsAskedNoMore();
    void deadAccessTokenIsRefreshedAndTheLoginStaysActive();
    void refusedRefreshTurnsTheLoginToNeedsReconnect();

private:
    QByteArray freshToken(bool refresh);
    QString createPost(const QString &text);
    bool recordPost(const QString &tweetId, std::optional<qint64> publicationId);
    QJsonObject platformPost(const QString &tweetId, bool nonPublic = true);
    QJsonObject stored(const QString &column, const QString &tweetId);
    bool advanceClock(qint64 seconds);
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
    QByteArray m_token;
    QString m_published; // published through the desktop (has a publication)
    QString m_other;     // arrived by webhook only
};

void XSyncTest::initTestCase() {
    QVERIFY2(m_stack.start({{"HUNTAZE_X_SYNC_INTERVAL_SECONDS", "1"}}),
             qPrintable(m_stack.errorString()));
    const auto account = m_stack.connectX(kCreator);
    QVERIFY2(account, qPrintable(m_stack.errorString()));
    m_accountId = *account;
    m_apiBase = m_stack.sandbox().platform("x")["api_base_url"].toString();
    QVERIFY(!m_apiBase.isEmpty());
    m_token = freshToken(false);
    QVERIFY(!m_token.isEmpty());
}

QByteArray XSyncTest::relayLog() {
    (void)m_stack.relay().process().waitForJsonLine([](const QJsonObject &) { return false; }, 1);
    return m_stack.relay().output();
}

void XSyncTest::cleanup() {
    if (QTest::currentTestFailed())
        qWarning("relay output (tail):\n%s", relayLog().right(6000).constData());
}

// The access token the relay holds for the creator, as a desktop gets it.
QByteArray XSyncTest::freshToken(bool refresh) {
    QJsonObject body{{"account_id", m_accountId}};
    if (refresh)
        body.insert("refresh", true);
    const auto answer =
        m_http.postJson(QUrl(m_stack.relayUrl().toString() + "/v1/oauth/token"), body,
                        {{"Authorization", "Bearer " + m_stack.credential()}});
    if (answer.status != 200)
        qWarning("token: %d %s", answer.status, answer.body.constData());
    return answer.json()["access_token"].toString().toUtf8();
}

QString XSyncTest::createPost(const QString &body) {
    const auto answer = m_http.postJson(QUrl(m_apiBase + "/2/tweets"), {{"text", body}},
                                        {{"Authorization", "Bearer " + m_token}});
    const QString id = answer.json()["data"].toObject()["id"].toString();
    if (id.isEmpty())
        qWarning("post: %d %s", answer.status, answer.body.constData());
    return id;
}

// What the desktop's publishing job (or the post.create webhook) records.
bool XSyncTest::recordPost(const QString &tweetId, std::optional<qint64> publicationId) {
    return bool(m_stack.sql().exec(
        "INSERT INTO x_posts (user_id, account_id, publication_id, tweet_id, text, posted_at) "
        "VALUES (1, $1, $2, $3, 'posted', now()) ON CONFLICT (tweet_id) DO UPDATE SET "
        "publication_id = coalesce(EXCLUDED.publication_id, x_posts.publication_id)",
        {m_accountId, publicationId ? store::PgParam(*publicationId) : store::PgParam(std::nullopt),
         tweetId}));
}

// The post as X shows its author right now.
QJsonObject XSyncTest::platformPost(const QString &tweetId, bool nonPublic) {
    const auto answer =
        m_http.get(QUrl(m_apiBase + "/2/tweets?ids=" + tweetId + "&tweet.fields=public_metrics" +
                        (nonPublic ? ",non_public_metrics" : "")),
                   {{"Authorization", "Bearer " + freshToken(false)}});
    return answer.json()["data"].toArray().at(0).toObject();
}

QJsonObject XSyncTest::stored(const QString &column, const QString &tweetId) {
    return QJsonDocument::fromJson(
               text("SELECT " + column + "::text FROM x_posts WHERE tweet_id = $1", {tweetId})
                   .toUtf8())
        .object();
}

bool XSyncTest::advanceClock(qint64 seconds) {
    return m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", seconds}})
               .status == 200;
}

double XSyncTest::metric(const QString &name, const QString &labels) {
    const QString body =
        QString::fromUtf8(m_http.get(QUrl(m_stack.relayUrl().toString() + "/metrics")).body);
    const QRegularExpression line("^" + QRegularExpression::escape(name + "{" + labels + "}") +
                                      " (\\S+)$",
                                  QRegularExpression::MultilineOption);
    const auto match = line.match(body);
    return match.hasMatch() ? match.captured(1).toDouble() : 0;
}

bool XSyncTest::waitForPasses(int passes, const QString &outcome, int timeoutMs) {
    const QString name = "huntaze_x_sync_accounts_total";
    const double target = metric(name, outcome) + passes;
    return QTest::qWaitFor([&] { return metric(name, outcome) >= target; }, timeoutMs);
}

QString XSyncTest::text(const QString &sql, const QList<store::PgParam> &params) {
    auto rows = m_stack.sql().exec(sql, params);
    return rows && rows->rows() && !rows->isNull(0, 0) ? rows->text(0, 0) : QString();
}

QString XSyncTest::dump() {
    return text("SELECT coalesce((SELECT string_agg(p::text, E'\\n' ORDER BY p.tweet_id) FROM "
                "(SELECT tweet_id, publication_id, public_metrics, non_public_metrics, "
                "metrics_updated_at, deleted_at, updated_at FROM x_posts) p), '') || "
                "E'\\n--\\n' || (SELECT count(*) FROM x_post_metrics)::text",
                {});
}

void XSyncTest::metricsLandWithHistoryOnlyOnChange() {
    m_published = createPost("Launch day, from Huntaze");
    m_other = createPost("A quick thought");
    QVERIFY(!m_published.isEmpty() && !m_other.isEmpty());
    const QString publicationId =
        text("INSERT INTO publications (user_id, draft_id, account_id, provider, state, kind) "
             "VALUES (1, gen_random_uuid(), $1, 'x', 'published', 'text') RETURNING id",
             {m_accountId});
    QVERIFY(recordPost(m_published, publicationId.toLongLong()));
    QVERIFY(recordPost(m_other, std::nullopt));
    QVERIFY(waitForPasses(2));
    QVERIFY(stored("public_metrics", m_published).contains("like_count"));

    auto listener = store::PgConnection::open(m_stack.database().url());
    QVERIFY(listener);
    QVERIFY(listener->execScript("LISTEN huntaze_changes"));
    // A week on the platform: the figures grow to where they stay.
    QVERIFY(advanceClock(8 * 24 * 3600));
    QVERIFY(QTest::qWaitFor(
        [&] { return stored("public_metrics", m_published)["like_count"].toInt() > 0; }, 30000));
    QVERIFY(waitForPasses(1));

    for (const QString &id : {m_published, m_other}) {
        const QJsonObject platform = platformPost(id);
        QVERIFY2(!platform.isEmpty(), qPrintable(id));
        QCOMPARE(stored("public_metrics", id), platform["public_metrics"].toObject());
        QCOMPARE(stored("non_public_metrics", id), platform["non_public_metrics"].toObject());
        QVERIFY(stored("non_public_metrics", id)["impression_count"].toInt() > 0);
    }
    QCOMPARE(text("SELECT publication_id FROM x_posts WHERE tweet_id = $1", {m_published}),
             publicationId);
    QVERIFY(!text("SELECT metrics_updated_at FROM x_posts WHERE tweet_id = $1", {m_published})
                 .isEmpty());
    // History: only changes, the newest as stored.
    QVERIFY(scalar("SELECT count(*) FROM x_post_metrics WHERE tweet_id = '" + m_published + "'") >=
            2);
    QCOMPARE(scalar("SELECT count(*) FROM (SELECT (public_metrics, non_public_metrics) IS NOT "
                    "DISTINCT FROM lag((public_metrics, non_public_metrics)) OVER (PARTITION BY "
                    "tweet_id ORDER BY id) AS same FROM x_post_metrics) s WHERE same"),
             0);
    QCOMPARE(scalar("SELECT count(*) FROM x_posts p WHERE (p.public_metrics, "
                    "p.non_public_metrics) IS DISTINCT FROM (SELECT (m.public_metrics, "
                    "m.non_public_metrics) FROM x_post_metrics m WHERE m.tweet_id = p.tweet_id "
                    "ORDER BY m.id DESC LIMIT 1)"),
             0);

    // The desktop heard the change.
    bool heard = false;
    QDeadlineTimer deadline(5000);
    while (!heard && !deadline.hasExpired()) {
        PQconsumeInput(listener->handle());
        while (PGnotify *note = PQnotifies(listener->handle())) {
            const QJsonObject seen = QJsonDocument::fromJson(note->extra).object();
            heard = heard || (seen["table"] == QJsonValue("x_posts") &&
                              seen["key"].toString() == m_published && seen["user_id"] == 1);
            PQfreemem(note);
        }
        QTest::qWait(50);
    }
    QVERIFY(heard);
}

void XSyncTest::passWithNothingNewWritesNothing() {
    // Past a week the sandbox's figures no longer move.
    QVERIFY(waitForPasses(1));
    const QString before = dump();
    const double writes = metric("huntaze_x_sync_writes_total", "table=\"x_post_metrics\"");
    const double calls =
        metric("huntaze_x_sync_calls_total", "endpoint=\"tweets.lookup\",status=\"200\"");
    QVERIFY(waitForPasses(3));
    QCOMPARE(dump(), before);
    QCOMPARE(metric("huntaze_x_sync_writes_total", "table=\"x_post_metrics\""), writes);
    // It did ask.
    QVERIFY(metric("huntaze_x_sync_calls_total", "endpoint=\"tweets.lookup\",status=\"200\"") >=
            calls + 3);
}

void XSyncTest::postsPast30DaysKeepTheirLastNonPublicFigures() {
    const QJsonObject nonPublic = stored("non_public_metrics", m_published);
    const qint64 history = scalar("SELECT count(*) FROM x_post_metrics");
    QVERIFY(!nonPublic.isEmpty());
    // A month on: X no longer shows the non-public figures, even to the author.
    QVERIFY(advanceClock(23 * 24 * 3600));
    const double calls =
        metric("huntaze_x_sync_calls_total", "endpoint=\"tweets.lookup\",status=\"200\"");
    QVERIFY(waitForPasses(2));
    // Each pass asked twice: with non-public figures (refused), then the public ones alone.
    QVERIFY(metric("huntaze_x_sync_calls_total", "endpoint=\"tweets.lookup\",status=\"200\"") >=
            calls + 4);
    QCOMPARE(stored("non_public_metrics", m_published), nonPublic);
    QCOMPARE(stored("public_metrics", m_published),
             platformPost(m_published, false)["public_metrics"].toObject());
    QCOMPARE(scalar("SELECT count(*) FROM x_post_metrics"), history);
}

void XSyncTest::deletedPostKeepsItsRowAndIsAskedNoMore() {
    const QJsonObject figures = stored("public_metrics", m_other);
    m_token = freshToken(true);
    QVERIFY(!m_token.isEmpty());
    const auto deleted = m_http.send("DELETE", QUrl(m_apiBase + "/2/tweets/" + m_other), {},
                                     {{"Authorization", "Bearer " + m_token}}, 15000);
    QCOMPARE(deleted.status, 200);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return !text("SELECT deleted_at FROM x_posts WHERE tweet_id = $1", {m_other}).isEmpty();
        },
        30000));
    QCOMPARE(stored("public_metrics", m_other), figures);
    // The other post is still followed; the deleted one is no longer asked about.
    const QString before = dump();
    QVERIFY(waitForPasses(2));
    QCOMPARE(dump(), before);
}

void XSyncTest::deadAccessTokenIsRefreshedAndTheLoginStaysActive() {
    const double refused =
        metric("huntaze_x_sync_calls_total", "endpoint=\"tweets.lookup\",status=\"401\"");
    // The access token the relay holds dies early (its refresh token still works).
    const QByteArray current = freshToken(false);
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/x/tokens/invalidate"),
                           {{"token", QString::fromUtf8(current)}})
                 .json()["invalidated"]
                 .toInt(),
             1);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return metric("huntaze_x_sync_calls_total",
                          "endpoint=\"tweets.lookup\",status=\"401\"") > refused;
        },
        30000));
    QVERIFY(waitForPasses(2));
    QCOMPARE(text("SELECT status FROM oauth_accounts WHERE id = $1", {m_accountId}),
             QString("active"));
    QVERIFY(freshToken(false) != current);
}

void XSyncTest::refusedRefreshTurnsTheLoginToNeedsReconnect() {
    // Every token of the creator dies silently (no webhook): the refresh is refused.
    QCOMPARE(
        m_http
            .postJson(m_stack.sandbox().url("/_admin/x/tokens/invalidate"), {{"user_id", kCreator}})
            .status,
        200);
    QVERIFY(waitForPasses(1, "outcome=\"needs_reconnect\""));
    QCOMPARE(text("SELECT status FROM oauth_accounts WHERE id = $1", {m_accountId}),
             QString("needs_reconnect"));
    QVERIFY2(
        text("SELECT status_reason FROM oauth_accounts WHERE id = $1", {m_accountId})
            .startsWith("refresh:"),
        qPrintable(text("SELECT status_reason FROM oauth_accounts WHERE id = $1", {m_accountId})));
    // The posts and their history stay.
    QCOMPARE(scalar("SELECT count(*) FROM x_posts WHERE tweet_id IN ('" + m_published + "', '" +
                    m_other + "')"),
             2);
}

QTEST_GUILESS_MAIN(XSyncTest)
#include "tst_xsync.moc"
