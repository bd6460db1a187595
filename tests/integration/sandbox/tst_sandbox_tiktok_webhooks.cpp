#include "tiktoktest.h"
#include "webhookreceiver.h"

#include <QMessageAuthenticationCode>

using namespace huntaze::test;
using namespace tiktoktest;

namespace {
const QString kVerified = "https://verified.example/";

// TikTok-Signature: t=<unix>,s=hex(HMAC-SHA256(client_secret, t + "." + body)), computed
// here independently of the sandbox.
bool signatureValid(const WebhookReceiver::Received &request, qint64 *t) {
    const QList<QByteArray> parts = request.header("TikTok-Signature").split(',');
    QByteArray ts, s;
    for (const QByteArray &part : parts) {
        if (part.startsWith("t="))
            ts = part.mid(2);
        else if (part.startsWith("s="))
            s = part.mid(2);
    }
    if (ts.isEmpty() || s.isEmpty())
        return false;
    *t = ts.toLongLong();
    const QByteArray expected =
        QMessageAuthenticationCode::hash(ts + "." + request.body, kClientSecret.toUtf8(),
                                         QCryptographicHash::Sha256)
            .toHex();
    return expected == s;
}
} // namespace

// Webhooks as TikTok sends them: signed bodies with content as a JSON string, retried
// until answered 200, duplicated on request; authorization.removed kills the tokens.
class SandboxTikTokWebhooksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void publishEventsAreSignedAndShapedAsDocumented();
    void tamperedBodyDoesNotVerify();
    void failedDeliveriesAreRetriedUntil200();
    void retriesBackOffExponentially();
    void retriesStopAfter72Hours();
    void duplicatesSwitchDeliversEveryEventTwice();
    void authorizationRemovalKillsTokensFailsPostsAndNotifies_data();
    void authorizationRemovalKillsTokensFailsPostsAndNotifies();
    void postNoLongerPublicalyAvailableIsSentOnRequest();

private:
    QList<WebhookReceiver::Received> events(const QString &event) const {
        QList<WebhookReceiver::Received> out;
        for (const auto &r : m_receiver.received())
            if (QJsonDocument::fromJson(r.body).object()["event"].toString() == event)
                out << r;
        return out;
    }
    bool waitForEvent(const QString &event, qsizetype count = 1) {
        QDeadlineTimer deadline(15000);
        while (events(event).size() < count && !deadline.hasExpired())
            m_receiver.waitFor(m_receiver.received().size() + 1, 200);
        return events(event).size() >= count;
    }
    QString directPost(const QString &privacy = "PUBLIC_TO_EVERYONE",
                       const QString &file = "clip.mp4") {
        const auto r = apiPost(m_http, *m_sandbox, "/tiktok/v2/post/publish/video/init/", m_token,
                               {{"post_info", QJsonObject{{"privacy_level", privacy}}},
                                {"source_info", urlSource(kVerified + file)}});
        return r.json()["data"].toObject()["publish_id"].toString();
    }

    WebhookReceiver m_receiver;
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_token;
};

void SandboxTikTokWebhooksTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>(m_receiver.url());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxTikTokWebhooksTest::init() {
    advance(m_http, *m_sandbox, 86400 + 60);
    m_token = connectUser(m_http, *m_sandbox)["access_token"].toString();
    QVERIFY(!m_token.isEmpty());
    // Let anything still in flight land, then start from an empty record.
    m_receiver.waitFor(m_receiver.received().size() + 1, 300);
    m_receiver.clear();
}

void SandboxTikTokWebhooksTest::publishEventsAreSignedAndShapedAsDocumented() {
    const QString direct = directPost();
    const auto inbox = apiPost(m_http, *m_sandbox, "/tiktok/v2/post/publish/inbox/video/init/",
                               m_token, {{"source_info", urlSource(kVerified + "draft.mp4")}});
    const QString inboxId = inbox.json()["data"].toObject()["publish_id"].toString();
    advance(m_http, *m_sandbox, 10);
    QVERIFY(waitForEvent("post.publish.complete"));
    QVERIFY(waitForEvent("post.publish.publicly_available"));
    QVERIFY(waitForEvent("post.publish.inbox_delivered"));
    const qint64 now = qint64(m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble());
    for (const auto &request : m_receiver.received()) {
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QString("/webhooks/tiktok"));
        qint64 t = 0;
        QVERIFY2(signatureValid(request, &t), request.header("TikTok-Signature").constData());
        QVERIFY(qAbs(now - t) < 300); // the sandbox clock, within any tolerance window
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(body.keys(),
                 (QStringList{"client_key", "content", "create_time", "event", "user_openid"}));
        QCOMPARE(body["client_key"].toString(), kClientKey);
        QCOMPARE(body["user_openid"].toString(), QString("sbx-openid-alice"));
        QVERIFY(body["create_time"].isDouble());
        QVERIFY(body["content"].isString()); // a JSON object serialised as a string
        QVERIFY(QJsonDocument::fromJson(body["content"].toString().toUtf8()).isObject());
    }
    const auto content = [](const WebhookReceiver::Received &r) {
        return QJsonDocument::fromJson(
                   QJsonDocument::fromJson(r.body).object()["content"].toString().toUtf8())
            .object();
    };
    const QJsonObject delivered = content(events("post.publish.inbox_delivered").first());
    QCOMPARE(delivered["publish_id"].toString(), inboxId);
    QCOMPARE(delivered["publish_type"].toString(), QString("INBOX_SHARE"));
    QCOMPARE(content(events("post.publish.complete").first())["publish_id"].toString(), direct);
    QVERIFY(!content(events("post.publish.publicly_available").first())["post_id"]
                 .toString()
                 .isEmpty());
}

void SandboxTikTokWebhooksTest::tamperedBodyDoesNotVerify() {
    m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + directPost() + "/fail"),
                    {{"reason", "spam_risk_text"}});
    QVERIFY(waitForEvent("post.publish.failed"));
    auto request = events("post.publish.failed").first();
    qint64 t = 0;
    QVERIFY(signatureValid(request, &t));
    request.body.replace("spam_risk_text", "spam_risk_tex_");
    QVERIFY(!signatureValid(request, &t));
}

void SandboxTikTokWebhooksTest::failedDeliveriesAreRetriedUntil200() {
    m_receiver.failNext(3, 503);
    const QString id = directPost();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/posts/" + id + "/fail"),
                           {{"reason", "internal"}})
                 .status,
             200);
    QVERIFY(waitForEvent("post.publish.failed", 4));
    const auto attempts = events("post.publish.failed");
    for (const auto &attempt : attempts)
        QCOMPARE(attempt.body, attempts.first().body); // the same event each time
    const QJsonObject content =
        QJsonDocument::fromJson(
            QJsonDocument::fromJson(attempts.first().body).object()["content"].toString().toUtf8())
            .object();
    QCOMPARE(content["publish_id"].toString(), id);
    QCOMPARE(content["reason"].toString(), QString("internal"));
    QVERIFY(content.contains("publish_type"));
    bool delivered = false;
    QTRY_VERIFY_WITH_TIMEOUT(
        ([&] {
            delivered = false;
            for (const auto &d :
                 m_http.get(m_sandbox->url("/_admin/webhooks")).json()["deliveries"].toArray())
                if (d.toObject()["body"].toString().toUtf8() == attempts.first().body)
                    delivered = d.toObject()["state"].toString() == "delivered" &&
                                d.toObject()["attempts"].toInt() == 4;
            return delivered;
        }()),
        10000);
    // Answered: no fifth attempt.
    m_receiver.waitFor(m_receiver.received().size() + 1, 500);
    QCOMPARE(events("post.publish.failed").size(), 4);
}

void SandboxTikTokWebhooksTest::retriesBackOffExponentially() {
    // Compression 1: the schedule runs on the sandbox clock alone, which the test moves.
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 1}}).status, 200);
    m_receiver.failNext(3, 500);
    const QString id = directPost();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/posts/" + id + "/fail"),
                           {{"reason", "internal"}})
                 .status,
             200);
    const auto nextWait = [&]() -> qint64 {
        // Nominal seconds until the pending delivery's next attempt.
        const QJsonObject webhooks = m_http.get(m_sandbox->url("/_admin/webhooks")).json();
        const double now = m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble();
        for (const auto &d : webhooks["deliveries"].toArray()) {
            const QJsonObject o = d.toObject();
            if (o["event"] == "post.publish.failed" && o["state"] == "pending" &&
                o["attempts"].toInt() > 0)
                return qint64(o["next_attempt_ms"].toDouble() / 1000 - now + 0.5);
        }
        return -1;
    };
    qint64 expected = 60;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        QVERIFY(waitForEvent("post.publish.failed", attempt));
        qint64 wait = -1;
        QTRY_VERIFY_WITH_TIMEOUT((wait = nextWait()) > 0, 10000);
        QVERIFY2(qAbs(wait - expected) <= 3,
                 qPrintable(QString("attempt %1 waits %2 s, expected %3")
                                .arg(attempt)
                                .arg(wait)
                                .arg(expected)));
        advance(m_http, *m_sandbox, double(expected) - 5);
        m_receiver.waitFor(m_receiver.received().size() + 1, 300);
        QCOMPARE(events("post.publish.failed").size(), qsizetype(attempt)); // not yet
        advance(m_http, *m_sandbox, 6);
        expected *= 2;
    }
    QVERIFY(waitForEvent("post.publish.failed", 4)); // answered 200 at last
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 1000}}).status,
             200);
}

void SandboxTikTokWebhooksTest::retriesStopAfter72Hours() {
    // Heavily compressed: 72 nominal hours pass in a few real seconds.
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 100000}}).status,
             200);
    m_receiver.failNext(1000, 503);
    const QString id = directPost();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/posts/" + id + "/fail"),
                           {{"reason", "internal"}})
                 .status,
             200);
    QJsonObject delivery;
    QTRY_VERIFY_WITH_TIMEOUT(
        ([&] {
            for (const auto &d :
                 m_http.get(m_sandbox->url("/_admin/webhooks")).json()["deliveries"].toArray())
                if (d.toObject()["event"] == "post.publish.failed" &&
                    d.toObject()["body"].toString().contains(id))
                    delivery = d.toObject();
            return delivery["state"] == "dropped";
        }()),
        30000);
    m_receiver.failNext(0);
    // 1 + 12 retries: 60 s doubling adds up to 68.25 h; one more would pass 72 h.
    QCOMPARE(delivery["attempts"].toInt(), 13);
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 1000}}).status,
             200);
}

void SandboxTikTokWebhooksTest::duplicatesSwitchDeliversEveryEventTwice() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", true}}).status,
             200);
    m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + directPost() + "/fail"),
                    {{"reason", "spam_risk"}});
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", false}}).status,
             200);
    QVERIFY(waitForEvent("post.publish.failed", 2));
    const auto copies = events("post.publish.failed");
    QCOMPARE(copies.size(), 2);
    QCOMPARE(copies[0].body, copies[1].body);
}

void SandboxTikTokWebhooksTest::authorizationRemovalKillsTokensFailsPostsAndNotifies_data() {
    QTest::addColumn<int>("reason");
    for (int reason = 0; reason <= 5; ++reason)
        QTest::addRow("reason %d", reason) << reason;
}

void SandboxTikTokWebhooksTest::authorizationRemovalKillsTokensFailsPostsAndNotifies() {
    QFETCH(int, reason);
    const QString processing = directPost();
    const auto removed = m_http.postJson(m_sandbox->url("/_admin/tiktok/authorization/remove"),
                                         {{"open_id", "sbx-openid-alice"}, {"reason", reason}});
    QCOMPARE(removed.status, 200);
    QVERIFY(waitForEvent("authorization.removed"));
    const QJsonObject body =
        QJsonDocument::fromJson(events("authorization.removed").first().body).object();
    QCOMPARE(body["user_openid"].toString(), QString("sbx-openid-alice"));
    QCOMPARE(
        QJsonDocument::fromJson(body["content"].toString().toUtf8()).object()["reason"].toInt(),
        reason);
    // The token is already dead.
    const auto info =
        m_http.get(m_sandbox->url("/tiktok/v2/user/info/?fields=open_id"), bearer(m_token));
    QCOMPARE(info.status, 401);
    QCOMPARE(errorCode(info), QString("access_token_invalid"));
    QVERIFY(waitForEvent("post.publish.failed"));
    const QJsonObject failed =
        QJsonDocument::fromJson(QJsonDocument::fromJson(events("post.publish.failed").first().body)
                                    .object()["content"]
                                    .toString()
                                    .toUtf8())
            .object();
    QCOMPARE(failed["publish_id"].toString(), processing);
    QCOMPARE(failed["reason"].toString(), QString("auth_removed"));
}

void SandboxTikTokWebhooksTest::postNoLongerPublicalyAvailableIsSentOnRequest() {
    const QString id = directPost();
    advance(m_http, *m_sandbox, 10);
    QVERIFY(waitForEvent("post.publish.publicly_available"));
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + id + "/unavailable"), {}).status,
        200);
    QVERIFY(waitForEvent("post.publish.no_longer_publicaly_available"));
    const QJsonObject content =
        QJsonDocument::fromJson(
            QJsonDocument::fromJson(
                events("post.publish.no_longer_publicaly_available").first().body)
                .object()["content"]
                .toString()
                .toUtf8())
            .object();
    QCOMPARE(content["publish_id"].toString(), id);
    // Only once: it is no longer available.
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + id + "/unavailable"), {}).status,
        400);
}

QTEST_GUILESS_MAIN(SandboxTikTokWebhooksTest)
#include "tst_sandbox_tiktok_webhooks.moc"
