#include "httpclient.h"
#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QDeadlineTimer>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUuid>

using namespace huntaze;
using namespace huntaze::test;

namespace {

const QByteArray kConsumerSecret = "revocation-consumer-secret";
const QString kActivityUser = "1500000000000000001";
const QString kLegacyUser = "1500000000000000002";
const QString kBystander = "1500000000000000003";

// x.md: "sha256=" + base64(HMAC-SHA256(key = consumer secret, message = raw body)),
// computed here on its own, not with the relay's code.
QByteArray xSignature(const QByteArray &body, const QByteArray &secret = kConsumerSecret) {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toBase64();
}

// The X Activity API's revocation (current shape).
QByteArray activityRevoke(const QString &userId, const QString &eventUuid) {
    return QJsonDocument(
               QJsonObject{
                   {"data",
                    QJsonObject{{"event_uuid", eventUuid},
                                {"event_type", "oauth.revoke"},
                                {"filter", QJsonObject{{"user_id", userId}}},
                                {"tag", "huntaze"},
                                {"payload", QJsonObject{{"user_id", userId},
                                                        {"client_id", "huntaze-x-client"},
                                                        {"revoked_at", "2026-11-25T03:00:00Z"}}},
                                {"includes", QJsonObject{}}}}})
        .toJson(QJsonDocument::Compact);
}

// The Account Activity API's revocation (older shape, still seen).
QByteArray legacyRevoke(const QString &userId) {
    return QJsonDocument(
               QJsonObject{
                   {"for_user_id", userId},
                   {"user_event",
                    QJsonObject{
                        {"revoke", QJsonObject{{"date_time", "2026-11-25T03:00:00+00:00"},
                                               {"target", QJsonObject{{"app_id", "4242"}}},
                                               {"source", QJsonObject{{"user_id", userId}}}}}}}})
        .toJson(QJsonDocument::Compact);
}

// The same revocation as X's own documentation shows it: the user named only inside the
// event (source.user_id), without for_user_id.
QByteArray documentedLegacyRevoke(const QString &userId) {
    return QJsonDocument(
               QJsonObject{
                   {"user_event",
                    QJsonObject{
                        {"revoke", QJsonObject{{"date_time", "2026-11-25T03:05:00+00:00"},
                                               {"target", QJsonObject{{"app_id", "4242"}}},
                                               {"source", QJsonObject{{"user_id", userId}}}}}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

// X revocation webhooks through a running relay: a signed oauth.revoke (X Activity API)
// and a signed user_event revoke (Account Activity API) each turn the matching login to
// needs_reconnect and drop its tokens; the same event delivered twice is processed once;
// a badly signed one is refused and changes nothing.
class XRevocationTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void activityApiRevokeTurnsTheLoginToNeedsReconnectOnce();
    void accountActivityRevokeTurnsTheLoginToNeedsReconnectOnce();
    void revokeNamingTheUserOnlyInsideTheEventStillApplies();
    void badlySignedRevokeChangesNothing();

private:
    int deliver(const QByteArray &body, const QByteArray &signature);
    QString status(const QString &openId);
    qint64 scalar(const QString &sql);
    bool waitForStatus(const QString &openId, const QString &expected);

    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    std::unique_ptr<RelayProcess> m_relay;
    HttpClient m_http;
};

void XRevocationTest::init() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    QVERIFY(m_sql->execScript(QString(R"(
        INSERT INTO users (display_name) VALUES ('creator');
        INSERT INTO oauth_accounts (user_id, provider, open_id, access_token_sealed, refresh_token_sealed, key_id)
          VALUES (1, 'x', '%1', '\x01', '\x02', 'k1'), (1, 'x', '%2', '\x03', '\x04', 'k1'),
                 (1, 'x', '%3', '\x05', '\x06', 'k1');
    )")
                                  .arg(kActivityUser, kLegacyUser, kBystander)));
    m_relay = std::make_unique<RelayProcess>(
        m_db->url(), QMap<QString, QString>{{"X_CONSUMER_SECRET", kConsumerSecret},
                                            {"HUNTAZE_RETRY_BASE_MS", "50"}});
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
}

void XRevocationTest::cleanup() {
    if (QTest::currentTestFailed() && m_relay)
        qWarning("relay output (tail):\n%s", m_relay->output().right(4000).constData());
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
}

int XRevocationTest::deliver(const QByteArray &body, const QByteArray &signature) {
    return m_http
        .post(m_relay->url("/webhooks/x"), body, "application/json",
              {{"x-twitter-webhooks-signature", signature}})
        .status;
}

qint64 XRevocationTest::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() ? result->int64(0, 0) : -1;
}

QString XRevocationTest::status(const QString &openId) {
    auto rows = m_sql->exec("SELECT status FROM oauth_accounts WHERE provider = 'x' AND "
                            "open_id = $1",
                            {openId});
    return rows && rows->rows() ? rows->text(0, 0) : QString();
}

bool XRevocationTest::waitForStatus(const QString &openId, const QString &expected) {
    return QTest::qWaitFor([&] { return status(openId) == expected; }, 30000);
}

void XRevocationTest::activityApiRevokeTurnsTheLoginToNeedsReconnectOnce() {
    const QByteArray body =
        activityRevoke(kActivityUser, QUuid::createUuid().toString(QUuid::WithoutBraces));
    QCOMPARE(deliver(body, xSignature(body)), 200);
    QCOMPARE(deliver(body, xSignature(body)), 200); // X delivers again: answered, stored once
    QVERIFY(waitForStatus(kActivityUser, "needs_reconnect"));
    QVERIFY(QTest::qWaitFor(
        [&] { return scalar("SELECT count(*) FROM webhook_events WHERE state = 'done'") == 1; },
        30000));
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE provider = 'x'"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE event = 'authorization.removed' AND "
                    "subject = '" +
                    kActivityUser + "'"),
             1);
    // Its tokens are gone; the other logins are untouched.
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = '" + kActivityUser +
                    "' AND access_token_sealed IS NULL AND refresh_token_sealed IS NULL AND "
                    "status_reason = 'oauth.revoke'"),
             1);
    QCOMPARE(status(kLegacyUser), QString("active"));
    QCOMPARE(status(kBystander), QString("active"));
}

void XRevocationTest::accountActivityRevokeTurnsTheLoginToNeedsReconnectOnce() {
    const QByteArray body = legacyRevoke(kLegacyUser);
    QCOMPARE(deliver(body, xSignature(body)), 200);
    QCOMPARE(deliver(body, xSignature(body)), 200);
    QVERIFY(waitForStatus(kLegacyUser, "needs_reconnect"));
    QVERIFY(QTest::qWaitFor(
        [&] { return scalar("SELECT count(*) FROM webhook_events WHERE state = 'done'") == 1; },
        30000));
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE provider = 'x'"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE event = 'authorization.removed' AND "
                    "subject = '" +
                    kLegacyUser + "'"),
             1);
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = '" + kLegacyUser +
                    "' AND access_token_sealed IS NULL AND status_reason = 'user_event.revoke'"),
             1);
    QCOMPARE(status(kActivityUser), QString("active"));
    QCOMPARE(status(kBystander), QString("active"));
}

void XRevocationTest::revokeNamingTheUserOnlyInsideTheEventStillApplies() {
    const QByteArray body = documentedLegacyRevoke(kLegacyUser);
    QCOMPARE(deliver(body, xSignature(body)), 200);
    QVERIFY(waitForStatus(kLegacyUser, "needs_reconnect"));
    QCOMPARE(status(kActivityUser), QString("active"));
    QCOMPARE(status(kBystander), QString("active"));
}

void XRevocationTest::badlySignedRevokeChangesNothing() {
    const QByteArray activity =
        activityRevoke(kBystander, QUuid::createUuid().toString(QUuid::WithoutBraces));
    const QByteArray legacy = legacyRevoke(kBystander);
    // Signed with another secret; signed over another body; hex instead of base64; none.
    QCOMPARE(deliver(activity, xSignature(activity, "not-the-consumer-secret")), 401);
    QCOMPARE(deliver(legacy, xSignature(activityRevoke(kActivityUser, "other"))), 401);
    QCOMPARE(deliver(legacy, "sha256=" + QMessageAuthenticationCode::hash(
                                             legacy, kConsumerSecret, QCryptographicHash::Sha256)
                                             .toHex()),
             401);
    QCOMPARE(deliver(activity, {}), 401);
    QTest::qWait(1500); // time for a worker to have applied anything that got in
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events"), 0);
    QCOMPARE(status(kBystander), QString("active"));
    QCOMPARE(status(kActivityUser), QString("active"));
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE access_token_sealed IS NULL"), 0);
    // The refusals are audited.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return scalar("SELECT count(*) FROM audit_log WHERE event = 'webhook.bad_signature'") ==
                   4;
        },
        10000));
}

QTEST_GUILESS_MAIN(XRevocationTest)
#include "tst_xrevocation.moc"
