#include "instagramtesthelpers.h"
#include "webhookreceiver.h"

#include <QHttpServer>
#include <QHttpServerRequest>

using namespace huntaze::test;
using namespace igtest;

// Meta webhooks from the Instagram sandbox: Page subscriptions, the hub.challenge
// handshake, X-Hub-Signature-256 checked independently, batching, retries, duplicates.
class SandboxInstagramWebhooksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void subscribingNeedsAPageTokenAndThePermission();
    void verificationEchoesTheChallenge();
    void verificationFailsWhenTheCallbackRefuses();
    void appSubscriptionVerifiesTheCallbackFirst();
    void commentEventIsSignedWithTheAppSecret();
    void severalDueChangesAreBatched();
    void onlySubscribedFieldsAreSent();
    void storyInsightsEventCarriesTheMetrics();
    void failedDeliveriesAreRetriedUntilAnswered200();
    void duplicatesSwitchDeliversEveryEventTwice();
    void retriesStopAfter36Hours();

private:
    QString publishImage(const QString &token, const QString &ig, const QString &name);
    QList<WebhookReceiver::Received> posts() const;
    std::unique_ptr<WebhookReceiver> m_relay;
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    Session m_alex;
};

void SandboxInstagramWebhooksTest::initTestCase() {
    m_relay = std::make_unique<WebhookReceiver>();
    m_sandbox = std::make_unique<SandboxProcess>(m_relay->url());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 1000000}, {"buc_call_limit", 1000000}}));
    m_alex = login(m_http, *m_sandbox);
    const auto subscribed =
        graphPost(m_http, *m_sandbox, "/" + kAlexPage + "/subscribed_apps", m_alex.pageToken,
                  {{"subscribed_fields", "comments,mentions,story_insights"}});
    QCOMPARE(subscribed.status, 200);
    QCOMPARE(subscribed.json()["success"].toBool(), true);
}

void SandboxInstagramWebhooksTest::init() {
    m_relay->clear();
}

QString SandboxInstagramWebhooksTest::publishImage(const QString &token, const QString &ig,
                                                   const QString &name) {
    const auto c = graphPost(m_http, *m_sandbox, "/" + ig + "/media", token,
                             {{"image_url", "https://cdn.example.com/" + name + ".jpg"}});
    return graphPost(m_http, *m_sandbox, "/" + ig + "/media_publish", token,
                     {{"creation_id", c.json()["id"].toString()}})
        .json()["id"]
        .toString();
}

QList<WebhookReceiver::Received> SandboxInstagramWebhooksTest::posts() const {
    QList<WebhookReceiver::Received> out;
    for (const auto &r : m_relay->received())
        if (r.method == "POST" && r.path == "/webhooks/instagram")
            out.append(r);
    return out;
}

void SandboxInstagramWebhooksTest::subscribingNeedsAPageTokenAndThePermission() {
    const QString path = "/" + kAlexPage + "/subscribed_apps";
    const auto withUserToken =
        graphPost(m_http, *m_sandbox, path, m_alex.longToken, {{"subscribed_fields", "comments"}});
    QCOMPARE(withUserToken.status, 400);
    QCOMPARE(error(withUserToken)["code"].toInt(), 210);
    const auto badField =
        graphPost(m_http, *m_sandbox, path, m_alex.pageToken, {{"subscribed_fields", "gossip"}});
    QCOMPARE(error(badField)["code"].toInt(), 100);
    QStringList granted = kAllScopes;
    granted.removeAll("pages_manage_metadata");
    const Session limited = login(m_http, *m_sandbox, kAlex, granted);
    const auto declined =
        graphPost(m_http, *m_sandbox, path, limited.pageToken, {{"subscribed_fields", "comments"}});
    QCOMPARE(error(declined)["code"].toInt(), 200);
    const auto list = graphGet(m_http, *m_sandbox, path, m_alex.pageToken);
    QCOMPARE(list.status, 200);
    const QJsonArray fields =
        list.json()["data"].toArray()[0].toObject()["subscribed_fields"].toArray();
    QVERIFY(fields.contains(QJsonValue("comments")));
    QVERIFY(fields.contains(QJsonValue("story_insights")));
}

// A callback that answers Meta's verification like a correct relay would.
static void serveVerification(QHttpServer &server, const QString &expectedToken,
                              QList<QUrlQuery> *seen) {
    server.route("/webhooks/instagram", [expectedToken, seen](const QHttpServerRequest &request) {
        const QUrlQuery query = request.query();
        seen->append(query);
        if (query.queryItemValue("hub.mode") == "subscribe" &&
            query.queryItemValue("hub.verify_token") == expectedToken)
            return QHttpServerResponse("text/plain",
                                       query.queryItemValue("hub.challenge").toUtf8());
        return QHttpServerResponse("text/plain", "forbidden",
                                   QHttpServerResponder::StatusCode::Forbidden);
    });
}

void SandboxInstagramWebhooksTest::verificationEchoesTheChallenge() {
    QHttpServer callback;
    QList<QUrlQuery> seen;
    serveVerification(callback, "vt-correct", &seen);
    const quint16 port = callback.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);
    QVERIFY(m_http
                .postJson(m_sandbox->url("/_admin/webhooks"),
                          {{"relay_url", QString("http://127.0.0.1:%1").arg(port)}})
                .status == 200);
    const auto result = m_http.postJson(m_sandbox->url("/_admin/instagram/webhook_verification"),
                                        {{"verify_token", "vt-correct"}});
    QVERIFY(m_http
                .postJson(m_sandbox->url("/_admin/webhooks"),
                          {{"relay_url", m_relay->url().toString()}})
                .status == 200);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["verified"].toBool(), true);
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen[0].queryItemValue("hub.mode"), QString("subscribe"));
    QCOMPARE(seen[0].queryItemValue("hub.verify_token"), QString("vt-correct"));
    QCOMPARE(seen[0].queryItemValue("hub.challenge"), result.json()["challenge"].toString());
    const auto recorded = m_http.get(m_sandbox->url("/_admin/instagram/webhook_verification"));
    QCOMPARE(recorded.json()["verified"].toBool(), true);
}

void SandboxInstagramWebhooksTest::verificationFailsWhenTheCallbackRefuses() {
    QHttpServer callback;
    QList<QUrlQuery> seen;
    serveVerification(callback, "vt-other", &seen);
    const quint16 port = callback.listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_http
                .postJson(m_sandbox->url("/_admin/webhooks"),
                          {{"relay_url", QString("http://127.0.0.1:%1").arg(port)}})
                .status == 200);
    const auto result = m_http.postJson(m_sandbox->url("/_admin/instagram/webhook_verification"),
                                        {{"verify_token", "vt-mismatch"}});
    QVERIFY(m_http
                .postJson(m_sandbox->url("/_admin/webhooks"),
                          {{"relay_url", m_relay->url().toString()}})
                .status == 200);
    QCOMPARE(result.json()["verified"].toBool(), false);
    QCOMPARE(result.json()["status"].toInt(), 403);
    // A callback that answers 200 without echoing the challenge does not verify either.
    const auto plain = m_http.postJson(m_sandbox->url("/_admin/instagram/webhook_verification"),
                                       {{"verify_token", "vt-mismatch"}});
    QCOMPARE(plain.json()["verified"].toBool(), false);
    QCOMPARE(plain.json()["status"].toInt(), 200);
}

void SandboxInstagramWebhooksTest::appSubscriptionVerifiesTheCallbackFirst() {
    QHttpServer callback;
    QList<QUrlQuery> seen;
    serveVerification(callback, "vt-app", &seen);
    const quint16 port = callback.listen(QHostAddress::LocalHost, 0);
    const QString callbackUrl = QString("http://127.0.0.1:%1/webhooks/instagram").arg(port);
    const QString path = "/" + kClientId + "/subscriptions";
    const QString appToken = kClientId + "|" + kSecret;
    auto subscribe = [&](const QString &token, const QString &verifyToken) {
        return graphPost(m_http, *m_sandbox, path, token,
                         {{"object", "instagram"},
                          {"callback_url", callbackUrl},
                          {"fields", "comments,mentions"},
                          {"verify_token", verifyToken}});
    };
    const auto userToken = subscribe(m_alex.longToken, "vt-app");
    QCOMPARE(userToken.status, 400);
    QCOMPARE(error(userToken)["code"].toInt(), 15);
    QVERIFY(seen.isEmpty());
    const auto refused = subscribe(appToken, "vt-wrong");
    QCOMPARE(refused.status, 400);
    QCOMPARE(error(refused)["code"].toInt(), 2200);
    QVERIFY(error(refused)["message"].toString().contains("403"));
    const auto accepted = subscribe(appToken, "vt-app");
    QCOMPARE(accepted.status, 200);
    QCOMPARE(accepted.json()["success"].toBool(), true);
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen[1].queryItemValue("hub.mode"), QString("subscribe"));
    const auto list = graphGet(m_http, *m_sandbox, path, appToken);
    QCOMPARE(list.status, 200);
    const QJsonObject entry = list.json()["data"].toArray()[0].toObject();
    QCOMPARE(entry["object"].toString(), QString("instagram"));
    QCOMPARE(entry["callback_url"].toString(), callbackUrl);
    QCOMPARE(entry["fields"].toArray()[0].toObject()["name"].toString(), QString("comments"));
}

void SandboxInstagramWebhooksTest::commentEventIsSignedWithTheAppSecret() {
    const QString media = publishImage(m_alex.longToken, kAlexIg, "signed");
    m_relay->clear();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/instagram/comments"),
                           {{"media_id", media}, {"text", "hello"}, {"username", "a.fan"}})
                 .status,
             200);
    QVERIFY(m_relay->waitFor(1));
    const auto request = posts().first();
    QCOMPARE(request.header("X-Hub-Signature-256"), hubSignature(request.body));
    QVERIFY(request.header("Content-Type").startsWith("application/json"));
    const QJsonObject payload = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(payload["object"].toString(), QString("instagram"));
    const QJsonObject entry = payload["entry"].toArray()[0].toObject();
    QCOMPARE(entry["id"].toString(), kAlexIg);
    QVERIFY(entry["time"].toDouble() > 1e9);
    const QJsonObject change = entry["changes"].toArray()[0].toObject();
    QCOMPARE(change["field"].toString(), QString("comments"));
    const QJsonObject value = change["value"].toObject();
    QCOMPARE(value["text"].toString(), QString("hello"));
    QCOMPARE(value["from"].toObject()["username"].toString(), QString("a.fan"));
    QVERIFY(!value["id"].toString().isEmpty());
    QCOMPARE(value["media"].toObject()["id"].toString(), media);
    QCOMPARE(value["media"].toObject()["media_product_type"].toString(), QString("FEED"));
    // A tampered body would not match.
    QVERIFY(request.header("X-Hub-Signature-256") != hubSignature(request.body + " "));
}

void SandboxInstagramWebhooksTest::severalDueChangesAreBatched() {
    const QString media = publishImage(m_alex.longToken, kAlexIg, "batched");
    m_relay->clear();
    QVERIFY(advance(m_http, *m_sandbox, 3600)); // three fan comments fall due at once
    QVERIFY(m_relay->waitFor(1));
    QTest::qWait(300);
    const auto all = posts();
    QCOMPARE(all.size(), 1);
    const QJsonArray changes = QJsonDocument::fromJson(all[0].body)
                                   .object()["entry"]
                                   .toArray()[0]
                                   .toObject()["changes"]
                                   .toArray();
    int onMedia = 0;
    for (const QJsonValue &c : changes)
        onMedia += c.toObject()["value"].toObject()["media"].toObject()["id"].toString() == media;
    QCOMPARE(onMedia, 3);
    QCOMPARE(all[0].header("X-Hub-Signature-256"), hubSignature(all[0].body));
}

void SandboxInstagramWebhooksTest::onlySubscribedFieldsAreSent() {
    const Session blair = login(m_http, *m_sandbox, "1000000000002");
    QCOMPARE(graphPost(m_http, *m_sandbox, "/2000000000002/subscribed_apps", blair.pageToken,
                       {{"subscribed_fields", "mentions"}})
                 .status,
             200);
    const QString media = publishImage(blair.longToken, "17841400000000002", "blair");
    m_relay->clear();
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"), {{"media_id", media}});
    m_http.postJson(
        m_sandbox->url("/_admin/instagram/mentions"),
        {{"ig_user_id", "17841400000000002"}, {"media_id", "555"}, {"comment_id", "777"}});
    QVERIFY(m_relay->waitFor(1));
    QTest::qWait(300);
    const auto all = posts();
    QCOMPARE(all.size(), 1);
    const QJsonObject change = QJsonDocument::fromJson(all[0].body)
                                   .object()["entry"]
                                   .toArray()[0]
                                   .toObject()["changes"]
                                   .toArray()[0]
                                   .toObject();
    QCOMPARE(change["field"].toString(), QString("mentions"));
    QCOMPARE(change["value"].toObject()["media_id"].toString(), QString("555"));
    QCOMPARE(change["value"].toObject()["comment_id"].toString(), QString("777"));
}

void SandboxInstagramWebhooksTest::storyInsightsEventCarriesTheMetrics() {
    const auto c =
        graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                  {{"media_type", "STORIES"}, {"image_url", "https://cdn.example.com/story.jpg"}});
    const QString story = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media_publish",
                                    m_alex.longToken, {{"creation_id", c.json()["id"].toString()}})
                              .json()["id"]
                              .toString();
    m_relay->clear();
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/instagram/story_insights"), {{"media_id", story}})
            .status,
        200);
    QVERIFY(m_relay->waitFor(1));
    const QJsonObject change = QJsonDocument::fromJson(posts()[0].body)
                                   .object()["entry"]
                                   .toArray()[0]
                                   .toObject()["changes"]
                                   .toArray()[0]
                                   .toObject();
    QCOMPARE(change["field"].toString(), QString("story_insights"));
    const QJsonObject value = change["value"].toObject();
    QCOMPARE(value["media_id"].toString(), story);
    for (const char *key : {"reach", "replies", "exits", "taps_forward", "taps_back"})
        QVERIFY2(value.contains(key), key);
}

void SandboxInstagramWebhooksTest::failedDeliveriesAreRetriedUntilAnswered200() {
    const QString media = publishImage(m_alex.longToken, kAlexIg, "retried");
    m_relay->clear();
    m_relay->failNext(2, 500);
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"), {{"media_id", media}});
    QVERIFY(m_relay->waitFor(3, 20000));
    const auto all = posts();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[1].body, all[0].body);
    QCOMPARE(all[2].body, all[0].body);
    for (const auto &r : all)
        QCOMPARE(r.header("X-Hub-Signature-256"), hubSignature(r.body));
    QTest::qWait(300);
    QCOMPARE(posts().size(), 3); // answered 200: no more attempts
}

void SandboxInstagramWebhooksTest::duplicatesSwitchDeliversEveryEventTwice() {
    const QString media = publishImage(m_alex.longToken, kAlexIg, "twice");
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", true}}).status,
             200);
    m_relay->clear();
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"), {{"media_id", media}});
    const bool arrived = m_relay->waitFor(2);
    m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", false}});
    QVERIFY(arrived);
    const auto all = posts();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all[0].body, all[1].body);
}

void SandboxInstagramWebhooksTest::retriesStopAfter36Hours() {
    const QString media = publishImage(m_alex.longToken, kAlexIg, "dropped");
    // Compress time hard so the whole 36 h schedule takes about a second.
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 200000}}).status,
             200);
    m_relay->clear();
    m_relay->failNext(1000, 503);
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"),
                    {{"media_id", media}, {"text", "never acknowledged"}});
    QJsonObject delivery;
    for (int i = 0; i < 300 && delivery["state"].toString() != "dropped"; ++i) {
        QTest::qWait(50);
        for (const QJsonValue &d :
             m_http.get(m_sandbox->url("/_admin/webhooks")).json()["deliveries"].toArray())
            if (d.toObject()["body"].toString().contains("never acknowledged"))
                delivery = d.toObject();
    }
    m_relay->failNext(0);
    m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"compression", 1000}});
    QCOMPARE(delivery["state"].toString(), QString("dropped"));
    const int attempts = delivery["attempts"].toInt();
    QVERIFY2(attempts >= 8 && attempts <= 20, qPrintable(QString::number(attempts)));
}

QTEST_GUILESS_MAIN(SandboxInstagramWebhooksTest)
#include "tst_sandbox_instagram_webhooks.moc"
