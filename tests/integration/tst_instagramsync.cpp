#include "httpclient.h"
#include "publishingstack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QString kAlex = "1000000000001";
const QString kAlexIg = "17841400000000001";
const QString kGraph = "/instagram/v25.0";
} // namespace

// The relay's Instagram sync and comment actions against the sandbox over real HTTP,
// with a real relay (syncing every second) and PostgreSQL: media, comments and insights
// land in the CRM, a second sync with nothing new writes nothing, time passing on the
// platform shows up as new insights, the sync slows down before Meta would refuse, a
// dead token turns the login needs_reconnect, and replies and hides made through the
// relay reach the platform and the CRM.
class InstagramSyncTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void mediaCommentsAndInsightsLand();
    void syncingAgainWithNothingNewChangesNothing();
    void timePassingOnThePlatformAddsInsightsAndComments();
    void replyThroughTheRelayLandsOnThePlatformAndInTheCrm();
    void hideThroughTheRelayLandsOnThePlatformAndInTheCrm();
    void commentActionsRefuseBadInput();
    void commentWebhookDeliveredThreeTimesLandsOnce();
    void deadTokenTurnsTheLoginToNeedsReconnect();
    void lowAccountLimitSlowsTheSyncBeforeMetaRefuses();

private:
    HttpResult relayPost(const QString &path, const QJsonObject &body);
    HttpResult graphPost(const QString &path, const QList<QPair<QString, QString>> &form);
    QString publishImage(const QString &name, const QString &caption);
    QString publishCarousel(const QString &caption);
    QString dump();
    bool waitForPasses(int passes, int timeoutMs = 60000);
    double metric(const QString &name, const QString &labels);
    qint64 scalar(const QString &sql) { return m_stack.scalar(sql); }
    QJsonArray sandboxComments(const QString &mediaId);
    QByteArray relayLog();

    PublishingStack m_stack;
    HttpClient m_http;
    QString m_token; // Alex's user token, as the desktop gets it from the relay
    QStringList m_media;
};

void InstagramSyncTest::initTestCase() {
    QVERIFY2(m_stack.start({{"HUNTAZE_INSTAGRAM_SYNC_INTERVAL_SECONDS", "1"}}),
             qPrintable(m_stack.errorString()));
    // Syncing every second makes far more calls than an hour of normal use: lift Meta's
    // limits (the last test lowers the account's again on purpose).
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/usage"),
                           {{"app_call_limit", 1000000}, {"buc_call_limit", 1000000}})
                 .status,
             200);
    const auto alex = m_stack.connectInstagram(kAlex);
    QVERIFY2(alex, qPrintable(m_stack.errorString()));
    QCOMPARE(alex->value("instagram").toObject()["selected"].toArray(), QJsonArray{kAlexIg});
    const auto token = relayPost("/v1/oauth/token", {{"account_id", alex->value("account_id")}});
    QCOMPARE(token.status, 200);
    m_token = token.json()["access_token"].toString();
    QVERIFY(!m_token.isEmpty());
}

// What the relay logged so far.
QByteArray InstagramSyncTest::relayLog() {
    (void)m_stack.relay().process().waitForJsonLine([](const QJsonObject &) { return false; }, 1);
    return m_stack.relay().output();
}

// A failure shows what the relay was doing.
void InstagramSyncTest::cleanup() {
    if (QTest::currentTestFailed())
        qWarning("relay output (tail):\n%s", relayLog().right(6000).constData());
}

HttpResult InstagramSyncTest::relayPost(const QString &path, const QJsonObject &body) {
    return m_http.postJson(QUrl(m_stack.relayUrl().toString() + path), body,
                           {{"Authorization", "Bearer " + m_stack.credential()}});
}

HttpResult InstagramSyncTest::graphPost(const QString &path,
                                        const QList<QPair<QString, QString>> &form) {
    QUrlQuery query;
    for (const auto &[name, value] : form)
        query.addQueryItem(name, value);
    query.addQueryItem("access_token", m_token);
    return m_http.postForm(m_stack.sandbox().url(kGraph + path), query);
}

QString InstagramSyncTest::publishImage(const QString &name, const QString &caption) {
    const auto container = graphPost(
        "/" + kAlexIg + "/media",
        {{"image_url", "https://cdn.example.test/" + name + ".jpg"}, {"caption", caption}});
    if (container.status != 200) {
        qWarning("container: %s", container.body.constData());
        return {};
    }
    const auto published = graphPost("/" + kAlexIg + "/media_publish",
                                     {{"creation_id", container.json()["id"].toString()}});
    if (published.status != 200)
        qWarning("media_publish: %s", published.body.constData());
    return published.json()["id"].toString();
}

QString InstagramSyncTest::publishCarousel(const QString &caption) {
    QStringList children;
    for (const QString name : {"album-1", "album-2"})
        children.append(graphPost("/" + kAlexIg + "/media",
                                  {{"is_carousel_item", "true"},
                                   {"image_url", "https://cdn.example.test/" + name + ".jpg"}})
                            .json()["id"]
                            .toString());
    const auto container = graphPost(
        "/" + kAlexIg + "/media",
        {{"media_type", "CAROUSEL"}, {"children", children.join(',')}, {"caption", caption}});
    if (container.status != 200) {
        qWarning("carousel: %s", container.body.constData());
        return {};
    }
    // An album is ready once the platform has looked at its children.
    const QString containerId = container.json()["id"].toString();
    (void)QTest::qWaitFor(
        [&] {
            return m_http
                       .get(m_stack.sandbox().url(kGraph + "/" + containerId +
                                                  "?fields=status_code&access_token=" + m_token))
                       .json()["status_code"]
                       .toString() == "FINISHED";
        },
        20000);
    const auto published =
        graphPost("/" + kAlexIg + "/media_publish", {{"creation_id", containerId}});
    if (published.status != 200)
        qWarning("carousel media_publish: %s", published.body.constData());
    return published.json()["id"].toString();
}

// Everything the sync writes, with updated_at, and how many insights rows exist.
QString InstagramSyncTest::dump() {
    auto rows = m_stack.sql().exec(
        "SELECT coalesce((SELECT string_agg(m::text, E'\\n' ORDER BY m.ig_id) FROM (SELECT ig_id, "
        "media_type, media_product_type, caption, permalink, media_url, thumbnail_url, posted_at, "
        "like_count, comments_count, insights, insights_updated_at, updated_at FROM ig_media) m), "
        "'') || E'\\n--\\n' || coalesce((SELECT string_agg(c::text, E'\\n' ORDER BY c.ig_id) FROM "
        "(SELECT ig_id, media_ig_id, parent_ig_id, from_id, username, text, like_count, hidden, "
        "posted_at, replied_at, updated_at FROM ig_comments) c), '') || E'\\n--\\n' || "
        "(SELECT count(*) FROM ig_media_insights)::text");
    return rows && rows->rows() ? rows->text(0, 0) : QString();
}

// Waits until the sync finished `passes` more passes over Alex's account.
bool InstagramSyncTest::waitForPasses(int passes, int timeoutMs) {
    const auto syncedAt = [this] {
        auto rows = m_stack.sql().exec("SELECT coalesce(synced_at::text, '') FROM "
                                       "instagram_accounts WHERE ig_business_id = $1",
                                       {kAlexIg});
        return rows && rows->rows() ? rows->text(0, 0) : QString();
    };
    for (int i = 0; i < passes; ++i) {
        const QString before = syncedAt();
        if (!QTest::qWaitFor([&] { return syncedAt() != before; }, timeoutMs))
            return false;
    }
    return true;
}

// One value from the relay's /metrics (0 when the series does not exist yet).
double InstagramSyncTest::metric(const QString &name, const QString &labels) {
    const QString text =
        QString::fromUtf8(m_http.get(QUrl(m_stack.relayUrl().toString() + "/metrics")).body);
    const QRegularExpression line("^" + QRegularExpression::escape(name + "{" + labels + "}") +
                                      " (\\S+)$",
                                  QRegularExpression::MultilineOption);
    const auto match = line.match(text);
    return match.hasMatch() ? match.captured(1).toDouble() : 0;
}

QJsonArray InstagramSyncTest::sandboxComments(const QString &mediaId) {
    return m_http.get(m_stack.sandbox().url("/_admin/instagram/comments?media_id=" + mediaId))
        .document()
        .array();
}

void InstagramSyncTest::mediaCommentsAndInsightsLand() {
    m_media.append(publishImage("first", "First light #studio"));
    m_media.append(publishImage("second", "Second take"));
    m_media.append(publishCarousel("Album of two"));
    for (const QString &id : std::as_const(m_media))
        QVERIFY2(!id.isEmpty(), "publishing on the sandbox failed");
    // A fan comments before the next sync (its webhook arrives too).
    QCOMPARE(
        m_http
            .postJson(
                m_stack.sandbox().url("/_admin/instagram/comments"),
                {{"media_id", m_media.first()}, {"text", "Love this"}, {"username", "fan.one"}})
            .status,
        200);

    QVERIFY2(QTest::qWaitFor(
                 [this] {
                     return scalar("SELECT count(*) FROM ig_media WHERE insights <> '{}'") == 3 &&
                            scalar("SELECT count(*) FROM ig_comments") >= 1;
                 },
                 60000),
             qPrintable(dump()));
    // The album is listed, not its children.
    QCOMPARE(scalar("SELECT count(*) FROM ig_media"), 3);
    QCOMPARE(scalar("SELECT count(*) FROM ig_media WHERE media_type = 'CAROUSEL_ALBUM'"), 1);
    auto first = m_stack.sql().exec(
        "SELECT caption, media_type, media_product_type, permalink, posted_at IS NOT NULL, "
        "(insights ->> 'reach')::int, insights ? 'views', insights ? 'total_interactions', "
        "user_id, ig_business_id FROM ig_media WHERE ig_id = $1",
        {m_media.first()});
    QVERIFY(first && first->rows() == 1);
    QCOMPARE(first->text(0, 0), QStringLiteral("First light #studio"));
    QCOMPARE(first->text(0, 1), QStringLiteral("IMAGE"));
    QCOMPARE(first->text(0, 2), QStringLiteral("FEED"));
    QVERIFY(first->text(0, 3).startsWith("https://www.instagram.com/p/"));
    QVERIFY(first->boolean(0, 4));
    QVERIFY(first->int64(0, 5) > 0);
    QVERIFY(first->boolean(0, 6));
    QVERIFY(first->boolean(0, 7));
    QCOMPARE(first->text(0, 9), kAlexIg);
    QCOMPARE(scalar("SELECT count(DISTINCT ig_id) FROM ig_media_insights"), 3);
    auto comment = m_stack.sql().exec(
        "SELECT username, text, media_ig_id, posted_at IS NOT NULL FROM ig_comments WHERE text = "
        "'Love this'");
    QVERIFY(comment && comment->rows() == 1);
    QCOMPARE(comment->text(0, 0), QStringLiteral("fan.one"));
    QCOMPARE(comment->text(0, 2), m_media.first());
    QVERIFY(scalar("SELECT count(*) FROM instagram_accounts WHERE synced_at IS NOT NULL") == 1);
    QVERIFY(metric("huntaze_instagram_graph_calls_total", "component=\"sync\",outcome=\"ok\"") > 0);
}

void InstagramSyncTest::syncingAgainWithNothingNewChangesNothing() {
    // Metrics grow each platform minute, so a comparison that straddles one may see a
    // genuine change: up to three tries. A sync that rewrites rows fails every try.
    QString before;
    QString after;
    for (int attempt = 0; attempt < 3; ++attempt) {
        QVERIFY(waitForPasses(1));
        before = dump();
        QVERIFY(waitForPasses(2));
        after = dump();
        if (before == after)
            break;
    }
    QCOMPARE(after, before);
}

void InstagramSyncTest::timePassingOnThePlatformAddsInsightsAndComments() {
    const qint64 rows = scalar("SELECT count(*) FROM ig_media_insights");
    const qint64 reach =
        scalar("SELECT (insights ->> 'reach')::bigint FROM ig_media WHERE ig_id = '" +
               m_media.first() + "'");
    // Two hours later on the platform: fans commented every 20 minutes, metrics grew.
    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 7200}}).status,
        200);
    const qint64 expectedComments = sandboxComments(m_media.first()).size();
    QVERIFY(expectedComments >= 7);
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return scalar("SELECT count(*) FROM ig_media_insights") >= rows + 3 &&
                            scalar("SELECT (insights ->> 'reach')::bigint FROM ig_media WHERE "
                                   "ig_id = '" +
                                   m_media.first() + "'") > reach &&
                            scalar("SELECT count(*) FROM ig_comments WHERE media_ig_id = '" +
                                   m_media.first() + "'") == expectedComments;
                 },
                 60000),
             qPrintable(dump()));
    // The latest values are the last history row.
    QCOMPARE(scalar("SELECT ((SELECT (insights ->> 'reach')::bigint FROM ig_media_insights WHERE "
                    "ig_id = '" +
                    m_media.first() +
                    "' ORDER BY id DESC LIMIT 1) = (SELECT (insights ->> "
                    "'reach')::bigint FROM ig_media WHERE ig_id = '" +
                    m_media.first() + "'))::int"),
             1);
    QVERIFY(scalar("SELECT like_count FROM ig_media WHERE ig_id = '" + m_media.first() + "'") > 0);
}

void InstagramSyncTest::replyThroughTheRelayLandsOnThePlatformAndInTheCrm() {
    auto fan = m_stack.sql().exec("SELECT ig_id FROM ig_comments WHERE text = 'Love this'");
    QVERIFY(fan && fan->rows() == 1);
    const QString commentId = fan->text(0, 0);
    const auto replied =
        relayPost("/v1/instagram/comments/reply",
                  {{"comment_id", commentId}, {"message", "Thank you! More soon."}});
    QCOMPARE(replied.status, 200);
    const QString replyId = replied.json()["id"].toString();
    QVERIFY(!replyId.isEmpty());

    bool onPlatform = false;
    for (const QJsonValue &value : sandboxComments(m_media.first())) {
        const QJsonObject c = value.toObject();
        if (c["id"].toString() == replyId) {
            onPlatform = c["parent_id"].toString() == commentId &&
                         c["text"].toString() == "Thank you! More soon." &&
                         c["username"].toString() == "alex.studio";
        }
    }
    QVERIFY(onPlatform);
    auto stored = m_stack.sql().exec("SELECT parent_ig_id, username, text, media_ig_id FROM "
                                     "ig_comments WHERE ig_id = $1",
                                     {replyId});
    QVERIFY(stored && stored->rows() == 1);
    QCOMPARE(stored->text(0, 0), commentId);
    QCOMPARE(stored->text(0, 1), QStringLiteral("alex.studio"));
    QCOMPARE(stored->text(0, 2), QStringLiteral("Thank you! More soon."));
    QCOMPARE(stored->text(0, 3), m_media.first());
    QCOMPARE(scalar("SELECT (replied_at IS NOT NULL)::int FROM ig_comments WHERE ig_id = '" +
                    commentId + "'"),
             1);
    // The next syncs keep one row for it.
    QVERIFY(waitForPasses(2));
    QCOMPARE(scalar("SELECT count(*) FROM ig_comments WHERE ig_id = '" + replyId + "'"), 1);

    // Instagram takes no replies to replies: said before asking Meta.
    const auto nested =
        relayPost("/v1/instagram/comments/reply", {{"comment_id", replyId}, {"message", "again"}});
    QCOMPARE(nested.status, 400);
    QCOMPARE(nested.json()["error"].toString(), QStringLiteral("reply_to_reply"));
}

void InstagramSyncTest::hideThroughTheRelayLandsOnThePlatformAndInTheCrm() {
    auto fan = m_stack.sql().exec("SELECT ig_id FROM ig_comments WHERE text = 'Love this'");
    QVERIFY(fan && fan->rows() == 1);
    const QString commentId = fan->text(0, 0);
    const auto hiddenOnPlatform = [&] {
        for (const QJsonValue &value : sandboxComments(m_media.first()))
            if (value.toObject()["id"].toString() == commentId)
                return value.toObject()["hidden"].toBool();
        return false;
    };
    const auto hidden =
        relayPost("/v1/instagram/comments/hide", {{"comment_id", commentId}, {"hide", true}});
    QCOMPARE(hidden.status, 200);
    QCOMPARE(hidden.json()["hidden"].toBool(), true);
    QVERIFY(hiddenOnPlatform());
    QCOMPARE(scalar("SELECT hidden::int FROM ig_comments WHERE ig_id = '" + commentId + "'"), 1);
    // The sync leaves the creator's choice alone.
    QVERIFY(waitForPasses(2));
    QCOMPARE(scalar("SELECT hidden::int FROM ig_comments WHERE ig_id = '" + commentId + "'"), 1);

    const auto shown =
        relayPost("/v1/instagram/comments/hide", {{"comment_id", commentId}, {"hide", false}});
    QCOMPARE(shown.status, 200);
    QCOMPARE(shown.json()["hidden"].toBool(), false);
    QVERIFY(!hiddenOnPlatform());
    QCOMPARE(scalar("SELECT hidden::int FROM ig_comments WHERE ig_id = '" + commentId + "'"), 0);
}

void InstagramSyncTest::commentActionsRefuseBadInput() {
    auto fan = m_stack.sql().exec("SELECT ig_id FROM ig_comments WHERE text = 'Love this'");
    QVERIFY(fan && fan->rows() == 1);
    const QString commentId = fan->text(0, 0);
    QCOMPARE(relayPost("/v1/instagram/comments/reply",
                       {{"comment_id", commentId}, {"message", QString(2201, 'a')}})
                 .status,
             400);
    QCOMPARE(
        relayPost("/v1/instagram/comments/reply", {{"comment_id", commentId}, {"message", "  "}})
            .status,
        400);
    QCOMPARE(relayPost("/v1/instagram/comments/reply",
                       {{"comment_id", "../../me/accounts"}, {"message", "hi"}})
                 .status,
             400);
    QCOMPARE(relayPost("/v1/instagram/comments/reply",
                       {{"comment_id", QString(65, '1')}, {"message", "hi"}})
                 .status,
             400);
    QCOMPARE(relayPost("/v1/instagram/comments/hide", {{"comment_id", commentId}, {"hide", "yes"}})
                 .status,
             400);
    const auto unknown =
        relayPost("/v1/instagram/comments/hide", {{"comment_id", "1819999999"}, {"hide", true}});
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json()["error"].toString(), QStringLiteral("no_such_comment"));
    // Meta's refusal comes back with its message: instagram_manage_comments withdrawn.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/errors"),
                           {{"endpoint", "comment.hide"},
                            {"code", 10},
                            {"message", "(#10) Application does not have permission for this "
                                        "action. Missing permission: instagram_manage_comments"},
                            {"times", 1}})
                 .status,
             200);
    const auto refused =
        relayPost("/v1/instagram/comments/hide", {{"comment_id", commentId}, {"hide", true}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()["error"].toString(), QStringLiteral("permission_declined"));
    QCOMPARE(refused.json()["permission"].toString(), QStringLiteral("instagram_manage_comments"));
    QVERIFY(!refused.json()["message"].toString().isEmpty());
    QCOMPARE(scalar("SELECT hidden::int FROM ig_comments WHERE ig_id = '" + commentId + "'"), 0);
    const auto stranger = m_http.postJson(
        QUrl(m_stack.relayUrl().toString() + "/v1/instagram/comments/hide"),
        {{"comment_id", commentId}, {"hide", true}}, {{"Authorization", "Bearer nobody"}});
    QCOMPARE(stranger.status, 401);
}

void InstagramSyncTest::commentWebhookDeliveredThreeTimesLandsOnce() {
    const qint64 sentAt = QDateTime::currentSecsSinceEpoch();
    const auto body = [this](qint64 at) {
        const QJsonObject value{
            {"from", QJsonObject{{"id", "17890000000000042"}, {"username", "echo.fan"}}},
            {"id", "18100000000000042"},
            {"text", "Said three times"},
            {"media", QJsonObject{{"id", m_media.first()}, {"media_product_type", "FEED"}}}};
        const QJsonObject change{{"field", "comments"}, {"value", value}};
        const QJsonObject entry{{"id", kAlexIg}, {"time", at}, {"changes", QJsonArray{change}}};
        const QJsonObject root{{"object", "instagram"}, {"entry", QJsonArray{entry}}};
        return QJsonDocument(root).toJson(QJsonDocument::Compact);
    };
    const auto deliver = [&](const QByteArray &payload) {
        const QByteArray signature =
            "sha256=" + QMessageAuthenticationCode::hash(payload, "sbx-instagram-secret",
                                                         QCryptographicHash::Sha256)
                            .toHex();
        return m_http
            .post(QUrl(m_stack.relayUrl().toString() + "/webhooks/instagram"), payload,
                  "application/json", {{"X-Hub-Signature-256", signature}})
            .status;
    };
    for (int i = 0; i < 3; ++i)
        QCOMPARE(deliver(body(sentAt)), 200);
    QCOMPARE(deliver(body(sentAt + 1)), 200); // the same change in a later batch
    QVERIFY2(QTest::qWaitFor(
                 [this] {
                     return scalar("SELECT count(*) FROM webhook_events WHERE provider = "
                                   "'instagram' AND convert_from(body, 'UTF8') LIKE "
                                   "'%18100000000000042%' AND state = 'pending'") == 0 &&
                            scalar("SELECT count(*) FROM ig_comments WHERE ig_id = "
                                   "'18100000000000042'") == 1;
                 },
                 30000),
             qPrintable(dump()));
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE provider = 'instagram' AND "
                    "convert_from(body, 'UTF8') LIKE '%18100000000000042%'"),
             2);
    QCOMPARE(scalar("SELECT count(*) FROM ig_comments WHERE ig_id = '18100000000000042'"), 1);
    auto row = m_stack.sql().exec(
        "SELECT username, text, from_id FROM ig_comments WHERE ig_id = '18100000000000042'");
    QVERIFY(row && row->rows() == 1);
    QCOMPARE(row->text(0, 0), QStringLiteral("echo.fan"));
    QCOMPARE(row->text(0, 1), QStringLiteral("Said three times"));
    QCOMPARE(row->text(0, 2), QStringLiteral("17890000000000042"));
}

void InstagramSyncTest::deadTokenTurnsTheLoginToNeedsReconnect() {
    // The creator changed their Facebook password: Meta answers 190/460 from now on.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/tokens/invalidate"),
                           {{"user_id", kAlex}, {"subcode", 460}})
                 .status,
             200);
    QVERIFY2(QTest::qWaitFor(
                 [this] {
                     return scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = '" + kAlex +
                                   "' AND status = 'needs_reconnect' AND status_reason = "
                                   "'graph:190/460' AND access_token_sealed IS NULL") == 1;
                 },
                 30000),
             qPrintable(relayLog().right(3000)));
    QVERIFY(scalar("SELECT count(*) FROM audit_log WHERE event = 'authorization.rejected' AND "
                   "outcome = 'needs_reconnect'") >= 1);
    // Nothing more is asked of Meta for it until the creator connects again.
    const double calls = metric("huntaze_instagram_graph_calls_total",
                                "component=\"sync\",outcome=\"token_invalid\"");
    QTest::qWait(3000);
    QCOMPARE(metric("huntaze_instagram_graph_calls_total",
                    "component=\"sync\",outcome=\"token_invalid\""),
             calls);
    const auto again = m_stack.connectInstagram(kAlex);
    QVERIFY2(again, qPrintable(m_stack.errorString()));
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = '" + kAlex +
                    "' AND status = 'active'"),
             1);
    QVERIFY(waitForPasses(1));
}

void InstagramSyncTest::lowAccountLimitSlowsTheSyncBeforeMetaRefuses() {
    const QString limited = "component=\"sync\",outcome=\"rate_limited\"";
    const QString deferred = "component=\"sync\",outcome=\"deferred\"";
    const double refusedBefore = metric("huntaze_instagram_graph_calls_total", limited);
    const double deferredBefore = metric("huntaze_instagram_graph_calls_total", deferred);
    // 20 calls an hour make 100 % for the account: each sync pass spends about four.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/usage"),
                           {{"buc_call_limit", 20}, {"reset", true}})
                 .status,
             200);
    // The relay's Instagram metrics, for a failure message.
    const auto metrics = [this] {
        QStringList lines;
        for (const QString &line :
             QString::fromUtf8(m_http.get(QUrl(m_stack.relayUrl().toString() + "/metrics")).body)
                 .split('\n'))
            if (line.startsWith("huntaze_instagram"))
                lines.append(line);
        return lines.join('\n');
    };
    // From 75 % on, calls are spaced out, and passes stop rather than wait long...
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return metric("huntaze_instagram_usage_percent", "scope=\"account\"") >= 85 &&
                            metric("huntaze_instagram_graph_calls_total", deferred) >
                                deferredBefore + 3;
                 },
                 90000),
             qPrintable(metrics()));
    // ... until the last call Meta would still take; after it, none is made.
    QVERIFY2(
        QTest::qWaitFor(
            [&] { return metric("huntaze_instagram_usage_percent", "scope=\"account\"") >= 100; },
            150000),
        qPrintable(metrics()));
    const double deferredAtTheLimit = metric("huntaze_instagram_graph_calls_total", deferred);
    QTest::qWait(5000); // a few more passes
    QVERIFY(metric("huntaze_instagram_graph_calls_total", deferred) > deferredAtTheLimit);
    // Never refused by Meta (no 80002).
    QCOMPARE(metric("huntaze_instagram_graph_calls_total", limited), refusedBefore);
    QVERIFY(!relayLog().contains("\"graph_code\":80002"));
    QVERIFY(relayLog().contains("\"outcome\":\"deferred\""));
}

QTEST_GUILESS_MAIN(InstagramSyncTest)
#include "tst_instagramsync.moc"
