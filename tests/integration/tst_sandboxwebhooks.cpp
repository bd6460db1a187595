#include "httpclient.h"
#include "relayprocess.h"
#include "sandboxprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// The sandbox platforms deliver webhooks to a real relay, as the platforms would: signed
// with the sandbox app's secrets, retried, duplicated on purpose; the relay verifies,
// stores once and applies.
class SandboxWebhooksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void tiktokAuthorizationRemovalReachesTheAccount();
    void duplicatedDeliveriesAreStoredOnce();
    void xWebhookRegistrationPassesTheRelaysCrc();
    void instagramVerificationHandshakeSucceeds();

private:
    qint64 scalar(const QString &sql);
    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<RelayProcess> m_relay;
    HttpClient m_http;
};

void SandboxWebhooksTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    QVERIFY(m_sql->execScript(
        "INSERT INTO users (display_name) VALUES ('creator');"
        "INSERT INTO oauth_accounts (user_id, provider, open_id, access_token_sealed) "
        "VALUES (1, 'tiktok', 'sbx-openid-alice', '\\x01'), (1, 'tiktok', 'sbx-openid-bob', "
        "'\\x02');"));
    m_relay = std::make_unique<RelayProcess>(m_db->url(),
                                             QMap<QString, QString>{
                                                 {"TIKTOK_WEBHOOK_SECRET", "sbx-tiktok-secret"},
                                                 {"INSTAGRAM_APP_SECRET", "sbx-instagram-secret"},
                                                 {"INSTAGRAM_VERIFY_TOKEN", "sbx-instagram-verify"},
                                                 {"X_CONSUMER_SECRET", "sbx-x-consumer-secret"},
                                             });
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
    m_sandbox = std::make_unique<SandboxProcess>(m_relay->url(""));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxWebhooksTest::cleanupTestCase() {
    m_sandbox.reset();
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
}

qint64 SandboxWebhooksTest::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() ? result->int64(0, 0) : -1;
}

void SandboxWebhooksTest::tiktokAuthorizationRemovalReachesTheAccount() {
    const auto removed = m_http.postJson(m_sandbox->url("/_admin/tiktok/authorization/remove"),
                                         {{"open_id", "sbx-openid-alice"}, {"reason", 1}});
    QVERIFY2(removed.status == 200, removed.body.constData());
    QTRY_COMPARE_WITH_TIMEOUT(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = "
                                     "'sbx-openid-alice' AND status = 'needs_reconnect'"),
                              1, 20000);
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE provider = 'tiktok' AND verified"),
             1);
}

void SandboxWebhooksTest::duplicatedDeliveriesAreStoredOnce() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", true}}).status,
             200);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/authorization/remove"),
                           {{"open_id", "sbx-openid-bob"}, {"reason", 5}})
                 .status,
             200);
    // Both copies were delivered and acknowledged...
    QTRY_VERIFY_WITH_TIMEOUT(
        m_http.get(m_sandbox->url("/_admin/webhooks")).body.count("\"state\":\"delivered\"") >= 3,
        20000);
    // ...and stored once.
    QTRY_COMPARE_WITH_TIMEOUT(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = "
                                     "'sbx-openid-bob' AND status = 'needs_reconnect'"),
                              1, 20000);
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE provider = 'tiktok'"), 2);
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/webhooks"), {{"duplicates", false}}).status,
             200);
}

void SandboxWebhooksTest::xWebhookRegistrationPassesTheRelaysCrc() {
    const auto registered = m_http.postJson(m_sandbox->url("/x/2/webhooks"),
                                            {{"url", m_relay->url("/webhooks/x").toString()}},
                                            {{"Authorization", "Bearer sbx-x-app-bearer-token"}});
    QVERIFY2(registered.status == 200 || registered.status == 201, registered.body.constData());
    QVERIFY2(registered.body.contains("\"valid\":true"), registered.body.constData());
}

void SandboxWebhooksTest::instagramVerificationHandshakeSucceeds() {
    // The sandbox performs Meta's GET hub.challenge handshake against the relay.
    const auto verified = m_http.postJson(m_sandbox->url("/_admin/instagram/webhook_verification"),
                                          {{"verify_token", "sbx-instagram-verify"}});
    QVERIFY2(verified.status == 200, verified.body.constData());
    QCOMPARE(verified.json()["verified"].toBool(), true);
    // With the wrong token the relay refuses, and the sandbox records the failure.
    const auto refused = m_http.postJson(m_sandbox->url("/_admin/instagram/webhook_verification"),
                                         {{"verify_token", "wrong"}});
    QCOMPARE(refused.json()["verified"].toBool(), false);
}

QTEST_GUILESS_MAIN(SandboxWebhooksTest)
#include "tst_sandboxwebhooks.moc"
