#include "webhookreceiver.h"
#include "xsandbox.h"

#include <QDeadlineTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace huntaze::test;
using namespace xtest;

// X webhooks as shared/platforms/x.md describes them: registration with the app-only
// bearer token and a CRC answered with the consumer secret, periodic re-CRC, events in
// the X Activity shape (or the Account Activity shape) signed with
// x-twitter-webhooks-signature, retried until answered 200. Every signature and CRC
// answer is computed here independently with QMessageAuthenticationCode.
class SandboxXWebhooksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void crcOnRegistrationMarksTheWebhookValid();
    void failingCrcMarksTheWebhookInvalid_data();
    void failingCrcMarksTheWebhookInvalid();
    void periodicCrcRevalidates();
    void registrationRules_data();
    void registrationRules();
    void postCreateEventIsSignedWithTheConsumerSecret();
    void mentionAndReplyEvents();
    void likesAndRepliesArriveOverTime();
    void revokingTheAuthorizationKillsTokensAndSendsOauthRevoke();
    void followEventFromTheAdminKnob();
    void deliveriesAreRetriedUntilAnswered200();
    void duplicatesSwitchDeliversEveryEventTwice();
    void accountActivityShape_data();
    void accountActivityShape();
    void webhooksAndShapeSurviveARestart();

private:
    QByteArray signatureOf(const QByteArray &body) const;
    // The first received webhook (after `from`) whose JSON satisfies the predicate.
    std::optional<WebhookReceiver::Received>
    waitForEvent(const std::function<bool(const QJsonObject &)> &predicate, qsizetype from = 0,
                 int timeoutMs = 10000);
    HttpResult registerWebhook(const QString &url);
    QString appBearer() const { return m_sandbox->platform("x")["app_bearer_token"].toString(); }
    QString postText(const QString &token, const QString &text);

    WebhookReceiver m_relay;
    QHttpServer m_crcServer;
    quint16 m_crcPort = 0;
    QString m_crcMode = "correct";
    QStringList m_crcTokens;
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_secret;
    int m_counter = 0;
};

void SandboxXWebhooksTest::initTestCase() {
    // A webhook endpoint that answers X's CRC the documented way (or a broken way).
    m_crcServer.route("/<arg>", [this](const QUrl &, const QHttpServerRequest &request) {
        const QString token = request.query().queryItemValue("crc_token");
        m_crcTokens.append(token);
        const QByteArray mac = QMessageAuthenticationCode::hash(token.toUtf8(), m_secret.toUtf8(),
                                                                QCryptographicHash::Sha256);
        if (m_crcMode == "http 500")
            return QHttpServerResponse(QByteArray("{}"),
                                       QHttpServerResponder::StatusCode::InternalServerError);
        QByteArray answer = "sha256=" + mac.toBase64();
        if (m_crcMode == "wrong key")
            answer = "sha256=" + QMessageAuthenticationCode::hash(token.toUtf8(), "sbx-x-secret",
                                                                  QCryptographicHash::Sha256)
                                     .toBase64();
        else if (m_crcMode == "no prefix")
            answer = mac.toBase64();
        else if (m_crcMode == "hex digest")
            answer = "sha256=" + mac.toHex();
        return QHttpServerResponse(QJsonObject{{"response_token", QString::fromLatin1(answer)}});
    });
    m_crcPort = m_crcServer.listen(QHostAddress(QHostAddress::LocalHost), 0);
    QVERIFY(m_crcPort != 0);
    m_sandbox = std::make_unique<SandboxProcess>(m_relay.url());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    m_secret = m_sandbox->platform("x")["consumer_secret"].toString();
    QVERIFY(!m_secret.isEmpty());
}

void SandboxXWebhooksTest::init() {
    m_crcMode = "correct";
    m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"payload_shape", "activity"}});
    m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", false}});
}

QByteArray SandboxXWebhooksTest::signatureOf(const QByteArray &body) const {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, m_secret.toUtf8(), QCryptographicHash::Sha256)
               .toBase64();
}

std::optional<WebhookReceiver::Received>
SandboxXWebhooksTest::waitForEvent(const std::function<bool(const QJsonObject &)> &predicate,
                                   qsizetype from, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    do {
        const auto &received = m_relay.received();
        for (qsizetype i = from; i < received.size(); ++i)
            if (received[i].path == "/webhooks/x" &&
                predicate(QJsonDocument::fromJson(received[i].body).object()))
                return received[i];
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

HttpResult SandboxXWebhooksTest::registerWebhook(const QString &url) {
    return m_http.postJson(m_sandbox->url("/x/2/webhooks"), {{"url", url}}, bearer(appBearer()));
}

QString SandboxXWebhooksTest::postText(const QString &token, const QString &text) {
    const auto result =
        m_http.postJson(m_sandbox->url("/x/2/tweets"), {{"text", text}}, bearer(token));
    return result.status == 201 ? result.json()["data"].toObject()["id"].toString() : QString();
}

void SandboxXWebhooksTest::crcOnRegistrationMarksTheWebhookValid() {
    m_crcTokens.clear();
    const QString url = QString("http://127.0.0.1:%1/x/good").arg(m_crcPort);
    const auto registered = registerWebhook(url);
    QCOMPARE(registered.status, 200);
    const QJsonObject data = registered.json()["data"].toObject();
    QCOMPARE(data["url"].toString(), url);
    QCOMPARE(data["valid"].toBool(), true);
    QVERIFY(!data["id"].toString().isEmpty());
    QCOMPARE(m_crcTokens.size(), 1);
    QVERIFY(!m_crcTokens.first().isEmpty());
    const auto listed = m_http.get(m_sandbox->url("/x/2/webhooks"), bearer(appBearer()));
    QCOMPARE(listed.status, 200);
    bool found = false;
    for (const QJsonValue &hook : listed.json()["data"].toArray())
        found = found || (hook["id"].toString() == data["id"].toString() && hook["valid"].toBool());
    QVERIFY(found);
}

void SandboxXWebhooksTest::failingCrcMarksTheWebhookInvalid_data() {
    QTest::addColumn<QString>("mode");
    QTest::newRow("signed with the client secret") << "wrong key";
    QTest::newRow("missing sha256= prefix") << "no prefix";
    QTest::newRow("hex instead of base64") << "hex digest";
    QTest::newRow("HTTP 500") << "http 500";
    QTest::newRow("nobody listening") << "closed";
}

void SandboxXWebhooksTest::failingCrcMarksTheWebhookInvalid() {
    QFETCH(QString, mode);
    m_crcMode = mode;
    const QString url = mode == "closed"
                            ? QString("http://127.0.0.1:1/x/closed")
                            : QString("http://127.0.0.1:%1/x/%2").arg(m_crcPort).arg(++m_counter);
    const auto registered = registerWebhook(url);
    QCOMPARE(registered.status, 200);
    QCOMPARE(registered.json()["data"].toObject()["valid"].toBool(), false);
    const QString id = registered.json()["data"].toObject()["id"].toString();
    const auto listed = m_http.get(m_sandbox->url("/x/2/webhooks"), bearer(appBearer()));
    bool invalid = false;
    for (const QJsonValue &hook : listed.json()["data"].toArray())
        invalid = invalid || (hook["id"].toString() == id && !hook["valid"].toBool());
    QVERIFY(invalid);
    // Clean up so the app stays under its webhook limit.
    QCOMPARE(
        m_http.send("DELETE", m_sandbox->url("/x/2/webhooks/" + id), {}, bearer(appBearer()), 10000)
            .status,
        200);
}

void SandboxXWebhooksTest::periodicCrcRevalidates() {
    const auto registered =
        registerWebhook(QString("http://127.0.0.1:%1/x/periodic").arg(m_crcPort));
    QCOMPARE(registered.json()["data"].toObject()["valid"].toBool(), true);
    const QString id = registered.json()["data"].toObject()["id"].toString();
    m_crcMode = "wrong key";
    const auto swept =
        m_http.post(m_sandbox->url("/_admin/x/webhooks/crc"), {}, "application/json");
    QCOMPARE(swept.status, 200);
    auto validOf = [&] {
        for (const QJsonValue &hook :
             m_http.get(m_sandbox->url("/x/2/webhooks"), bearer(appBearer()))
                 .json()["data"]
                 .toArray())
            if (hook["id"].toString() == id)
                return hook["valid"].toBool();
        return false;
    };
    QCOMPARE(validOf(), false);
    // PUT /2/webhooks/{id} re-runs the CRC on demand.
    m_crcMode = "correct";
    const auto revalidated =
        m_http.send("PUT", m_sandbox->url("/x/2/webhooks/" + id), {}, bearer(appBearer()), 15000);
    QCOMPARE(revalidated.status, 200);
    QCOMPARE(revalidated.json()["data"].toObject()["valid"].toBool(), true);
    QCOMPARE(validOf(), true);
    // And a day of sandbox time triggers the periodic check by itself.
    m_crcMode = "http 500";
    const qsizetype before = m_crcTokens.size();
    QCOMPARE(advance(m_http, *m_sandbox, 86401).status, 200);
    QDeadlineTimer deadline(10000);
    while (validOf() && !deadline.hasExpired())
        QTest::qWait(200);
    QVERIFY2(m_crcTokens.size() > before,
             m_http.get(m_sandbox->url("/_admin/x/webhooks")).body.constData());
    QCOMPARE(validOf(), false);
    m_http.send("DELETE", m_sandbox->url("/x/2/webhooks/" + id), {}, bearer(appBearer()), 10000);
}

void SandboxXWebhooksTest::registrationRules_data() {
    QTest::addColumn<QString>("auth");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << "none" << QByteArray(R"({"url":"https://relay.example/x"})")
                              << 401;
    QTest::newRow("user token") << "user" << QByteArray(R"({"url":"https://relay.example/x"})")
                                << 403;
    QTest::newRow("https with a port")
        << "app" << QByteArray(R"({"url":"https://relay.example:8443/x"})") << 400;
    QTest::newRow("plain http") << "app" << QByteArray(R"({"url":"http://relay.example/x"})")
                                << 400;
    QTest::newRow("not a url") << "app" << QByteArray(R"({"url":"relay"})") << 400;
    QTest::newRow("no url") << "app" << QByteArray(R"({})") << 400;
    QTest::newRow("not json") << "app" << QByteArray("url=https://relay.example/x") << 400;
    QTest::newRow("duplicate url") << "app" << QByteArray("duplicate") << 400;
}

void SandboxXWebhooksTest::registrationRules() {
    QFETCH(QString, auth);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    HttpClient::Headers headers;
    if (auth == "app")
        headers = bearer(appBearer());
    else if (auth == "user")
        headers = bearer(login(m_http, *m_sandbox)["access_token"].toString());
    if (body == "duplicate") {
        const QString url = QString("http://127.0.0.1:%1/x/duplicate").arg(m_crcPort);
        QCOMPARE(registerWebhook(url).status, 200);
        body = QJsonDocument(QJsonObject{{"url", url}}).toJson();
    }
    const auto result =
        m_http.post(m_sandbox->url("/x/2/webhooks"), body, "application/json", headers);
    QCOMPARE(result.status, status);
    QCOMPARE(result.json()["status"].toInt(), status);
}

void SandboxXWebhooksTest::postCreateEventIsSignedWithTheConsumerSecret() {
    const qsizetype from = m_relay.received().size();
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const QString id = postText(token, QString("webhook post %1").arg(++m_counter));
    QVERIFY(!id.isEmpty());
    const auto event = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "post.create" &&
                   o["data"].toObject()["payload"].toObject()["id"].toString() == id;
        },
        from);
    QVERIFY(event);
    QCOMPARE(event->method, QByteArray("POST"));
    QCOMPARE(event->header("x-twitter-webhooks-signature"), signatureOf(event->body));
    QVERIFY(event->header("Content-Type").startsWith("application/json"));
    const QJsonObject data = QJsonDocument::fromJson(event->body).object()["data"].toObject();
    QVERIFY(!data["event_uuid"].toString().isEmpty());
    QCOMPARE(data["filter"].toObject()["user_id"].toString(), kCreator);
    QVERIFY(data.contains("tag"));
    QCOMPARE(data["payload"].toObject()["author_id"].toString(), kCreator);
    QCOMPARE(data["includes"].toObject()["users"][0].toObject()["id"].toString(), kCreator);
    // A tampered body would not verify.
    QVERIFY(signatureOf(event->body + " ") != event->header("x-twitter-webhooks-signature"));
}

void SandboxXWebhooksTest::mentionAndReplyEvents() {
    const qsizetype from = m_relay.received().size();
    const QString creator = login(m_http, *m_sandbox)["access_token"].toString();
    const QString brand = login(m_http, *m_sandbox, kAllScopes, kBrand)["access_token"].toString();
    const QString id = postText(creator, QString("hello @sbx_brand %1").arg(++m_counter));
    QVERIFY(!id.isEmpty());
    const auto mention = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "post.mention.create" &&
                   o["data"].toObject()["filter"].toObject()["user_id"].toString() == kBrand &&
                   o["data"].toObject()["payload"].toObject()["id"].toString() == id;
        },
        from);
    QVERIFY(mention);
    QCOMPARE(mention->header("x-twitter-webhooks-signature"), signatureOf(mention->body));
    const auto reply = m_http.postJson(m_sandbox->url("/x/2/tweets"),
                                       {{"text", QString("reply %1").arg(++m_counter)},
                                        {"reply", QJsonObject{{"in_reply_to_tweet_id", id}}}},
                                       bearer(brand));
    QCOMPARE(reply.status, 201);
    const auto replyEvent = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "post.reply.create" &&
                   o["data"].toObject()["filter"].toObject()["user_id"].toString() == kCreator &&
                   o["data"].toObject()["payload"].toObject()["id"].toString() ==
                       reply.json()["data"].toObject()["id"].toString();
        },
        from);
    QVERIFY(replyEvent);
}

void SandboxXWebhooksTest::likesAndRepliesArriveOverTime() {
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const QString id = postText(token, QString("popular %1").arg(++m_counter));
    QVERIFY(!id.isEmpty());
    const qsizetype from = m_relay.received().size();
    QCOMPARE(advance(m_http, *m_sandbox, 600).status, 200);
    const auto like = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "like.create" &&
                   o["data"].toObject()["payload"].toObject()["liked_post_id"].toString() == id;
        },
        from);
    QVERIFY(like);
    QCOMPARE(like->header("x-twitter-webhooks-signature"), signatureOf(like->body));
    const auto reply = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "post.reply.create" &&
                   o["data"]
                           .toObject()["includes"]
                           .toObject()["tweets"][0]
                           .toObject()["id"]
                           .toString() == id;
        },
        from);
    QVERIFY(reply);
}

void SandboxXWebhooksTest::revokingTheAuthorizationKillsTokensAndSendsOauthRevoke() {
    const QJsonObject token = login(m_http, *m_sandbox, kAllScopes, kBrand);
    const qsizetype from = m_relay.received().size();
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/x/authorizations/revoke"), {{"user_id", kBrand}})
            .status,
        200);
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(token["access_token"].toString()))
                 .status,
             401);
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form, basicAuth()).status, 400);
    const auto event = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "oauth.revoke" &&
                   o["data"].toObject()["filter"].toObject()["user_id"].toString() == kBrand;
        },
        from);
    QVERIFY(event);
    QCOMPARE(event->header("x-twitter-webhooks-signature"), signatureOf(event->body));
}

void SandboxXWebhooksTest::followEventFromTheAdminKnob() {
    const qsizetype from = m_relay.received().size();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/x/follow"),
                           {{"user_id", kCreator}, {"follower_id", kBrand}})
                 .status,
             200);
    const auto event = waitForEvent(
        [&](const QJsonObject &o) {
            return o["data"].toObject()["event_type"].toString() == "follow.follow" &&
                   o["data"].toObject()["payload"].toObject()["source_user_id"].toString() ==
                       kBrand;
        },
        from);
    QVERIFY(event);
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/x/follow"), {{"user_id", kCreator}}).status,
             400);
}

void SandboxXWebhooksTest::deliveriesAreRetriedUntilAnswered200() {
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const qsizetype from = m_relay.received().size();
    m_relay.failNext(2, 503);
    const QString id = postText(token, QString("retried %1").arg(++m_counter));
    QVERIFY(!id.isEmpty());
    QDeadlineTimer deadline(15000);
    QList<QByteArray> bodies;
    while (!deadline.hasExpired()) {
        bodies.clear();
        for (qsizetype i = from; i < m_relay.received().size(); ++i)
            if (m_relay.received()[i].body.contains(id.toUtf8()) &&
                m_relay.received()[i].body.contains("post.create"))
                bodies.append(m_relay.received()[i].body);
        if (bodies.size() >= 3)
            break;
        QTest::qWait(20);
    }
    QCOMPARE(bodies.size(), 3);
    // The same event every time (the receiver deduplicates by event_uuid).
    QCOMPARE(bodies[1], bodies[0]);
    QCOMPARE(bodies[2], bodies[0]);
    QTest::qWait(200);
    qsizetype total = 0;
    for (qsizetype i = from; i < m_relay.received().size(); ++i)
        total += m_relay.received()[i].body.contains(id.toUtf8()) &&
                 m_relay.received()[i].body.contains("post.create");
    QCOMPARE(total, 3); // no more once answered 200
}

void SandboxXWebhooksTest::duplicatesSwitchDeliversEveryEventTwice() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", true}}).status,
             200);
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const qsizetype from = m_relay.received().size();
    const QString id = postText(token, QString("twice %1").arg(++m_counter));
    QDeadlineTimer deadline(10000);
    QStringList uuids;
    while (uuids.size() < 2 && !deadline.hasExpired()) {
        uuids.clear();
        for (qsizetype i = from; i < m_relay.received().size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(m_relay.received()[i].body).object();
            if (o["data"].toObject()["event_type"].toString() == "post.create" &&
                o["data"].toObject()["payload"].toObject()["id"].toString() == id)
                uuids.append(o["data"].toObject()["event_uuid"].toString());
        }
        QTest::qWait(20);
    }
    QCOMPARE(uuids.size(), 2);
    QCOMPARE(uuids[0], uuids[1]);
}

void SandboxXWebhooksTest::accountActivityShape_data() {
    QTest::addColumn<QString>("key");
    QTest::newRow("tweet_create_events") << "tweet_create_events";
    QTest::newRow("favorite_events") << "favorite_events";
    QTest::newRow("follow_events") << "follow_events";
    QTest::newRow("tweet_delete_events") << "tweet_delete_events";
    QTest::newRow("user_event revoke") << "user_event";
}

void SandboxXWebhooksTest::accountActivityShape() {
    QFETCH(QString, key);
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/x/settings"), {{"payload_shape", "account_activity"}})
            .status,
        200);
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const qsizetype from = m_relay.received().size();
    QString id;
    if (key != "follow_events" && key != "user_event")
        id = postText(token, QString("legacy %1").arg(++m_counter));
    if (key == "favorite_events")
        advance(m_http, *m_sandbox, 600);
    else if (key == "follow_events")
        m_http.postJson(m_sandbox->url("/_admin/x/follow"),
                        {{"user_id", kCreator}, {"follower_id", kBrand}});
    else if (key == "tweet_delete_events")
        QCOMPARE(
            m_http.send("DELETE", m_sandbox->url("/x/2/tweets/" + id), {}, bearer(token), 10000)
                .status,
            200);
    else if (key == "user_event")
        m_http.postJson(m_sandbox->url("/_admin/x/authorizations/revoke"), {{"user_id", kCreator}});
    const auto event = waitForEvent(
        [&](const QJsonObject &o) {
            if (o["for_user_id"].toString() != kCreator || !o.contains(key))
                return false;
            if (key == "tweet_create_events")
                return o[key][0].toObject()["id_str"].toString() == id;
            if (key == "favorite_events")
                return o[key][0].toObject()["favorited_status"].toObject()["id_str"].toString() ==
                       id;
            if (key == "tweet_delete_events")
                return o[key][0].toObject()["status"].toObject()["id"].toString() == id;
            if (key == "user_event")
                return o[key]
                           .toObject()["revoke"]
                           .toObject()["source"]
                           .toObject()["user_id"]
                           .toString() == kCreator;
            return o[key][0].toObject()["source"].toObject()["id_str"].toString() == kBrand;
        },
        from);
    QVERIFY(event);
    QCOMPARE(event->header("x-twitter-webhooks-signature"), signatureOf(event->body));
    QVERIFY(!QJsonDocument::fromJson(event->body).object().contains("data"));
}

void SandboxXWebhooksTest::webhooksAndShapeSurviveARestart() {
    const QString url = QString("http://127.0.0.1:%1/x/persistent").arg(m_crcPort);
    QCOMPARE(registerWebhook(url).json()["data"].toObject()["valid"].toBool(), true);
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/x/settings"), {{"payload_shape", "account_activity"}})
            .status,
        200);
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    bool found = false;
    for (const QJsonValue &hook :
         m_http.get(m_sandbox->url("/x/2/webhooks"), bearer(appBearer())).json()["data"].toArray())
        found = found || (hook["url"].toString() == url && hook["valid"].toBool());
    QVERIFY(found);
    const qsizetype from = m_relay.received().size();
    const QString token = login(m_http, *m_sandbox)["access_token"].toString();
    const QString id = postText(token, QString("after restart %1").arg(++m_counter));
    QVERIFY(waitForEvent(
        [&](const QJsonObject &o) {
            return o["tweet_create_events"][0].toObject()["id_str"].toString() == id;
        },
        from));
}

QTEST_GUILESS_MAIN(SandboxXWebhooksTest)
#include "tst_sandbox_x_webhooks.moc"
