#include "httpclient.h"
#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// Users, paired desktops, the admin-only debug endpoints, rate limits and key rotation,
// as an operator and a desktop meet them.
class DevicesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pairingCodeBecomesACredentialAndARestrictedDatabaseLogin();
    void pairingCodesAreSingleUseAndExpire();
    void revokedDeviceLosesBothApiAndDatabase();
    void pairingAttemptsAreRateLimited();
    void debugEndpointsNeedTheAdminTokenAndAreAudited();
    void keyRotationResealsEveryTokenAndKeepsThemOpenable();

private:
    QJsonObject command(const QStringList &arguments, int expectedExit = 0);
    qint64 scalar(const QString &sql);
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<RelayProcess> m_relay;
    std::optional<store::PgConnection> m_sql;
    QTemporaryDir m_scratch;
    HttpClient m_http;
    QStringList m_roles;
};

void DevicesTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    m_relay = std::make_unique<RelayProcess>(
        m_db->url(), QMap<QString, QString>{{"HUNTAZE_ADMIN_TOKEN", "admin-secret"},
                                            {"HUNTAZE_RATE_LIMIT_PAIRING", "6"}});
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
}

void DevicesTest::cleanupTestCase() {
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
    auto admin = store::PgConnection::open(TestDatabase::adminUrl());
    if (admin)
        for (const QString &role : m_roles)
            (void)admin->execScript("DROP ROLE IF EXISTS " + admin->quoteIdentifier(role));
}

QJsonObject DevicesTest::command(const QStringList &arguments, int expectedExit) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_db->url());
    environment.insert("HUNTAZE_KEYRING", m_scratch.filePath("keyring"));
    ChildProcess process(HUNTAZE_RELAY_BIN, arguments, environment);
    const int exit = process.waitForExit();
    if (exit != expectedExit)
        qWarning("%s exited %d: %s", qPrintable(arguments.join(' ')), exit,
                 process.output().constData());
    const QList<QByteArray> lines = process.output().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

qint64 DevicesTest::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() ? result->int64(0, 0) : -1;
}

void DevicesTest::pairingCodeBecomesACredentialAndARestrictedDatabaseLogin() {
    const qint64 alice =
        command({"user", "add", "--email", "alice@example.com", "--name", "Alice"})["user_id"]
            .toInteger();
    const qint64 bob =
        command({"user", "add", "--email", "bob@example.com", "--name", "Bob"})["user_id"]
            .toInteger();
    QVERIFY(alice > 0 && bob > alice);
    command({"user", "add", "--email", "alice@example.com"}, 1); // taken
    QVERIFY(m_sql->execScript(
        QString(
            "INSERT INTO oauth_accounts (user_id, provider, open_id, access_token_sealed) VALUES "
            "(%1, 'tiktok', 'alice-tt', '\\x01'), (%2, 'tiktok', 'bob-tt', '\\x02')")
            .arg(alice)
            .arg(bob)));

    const QJsonObject issued =
        command({"device", "pair", "--user", QString::number(alice), "--name", "studio"});
    const QString code = issued["pairing_code"].toString();
    QVERIFY2(QRegularExpression("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$").match(code).hasMatch(),
             qPrintable(code));
    QCOMPARE(scalar("SELECT count(*) FROM devices WHERE pairing_code_hash IS NOT NULL AND status = "
                    "'pending'"),
             1);

    // Typed by a person: lower case, spaces instead of dashes.
    const auto paired =
        m_http.postJson(m_relay->url("/v1/devices/pair"),
                        {{"code", code.toLower().replace('-', ' ')}, {"name", "Alice's laptop"}});
    QCOMPARE(paired.status, 200);
    const QJsonObject device = paired.json();
    QVERIFY(device["credential"].toString().startsWith("hzd_"));
    QCOMPARE(device["user_id"].toInteger(), alice);
    const QUrl databaseUrl(device["database_url"].toString());
    m_roles << databaseUrl.userName();
    QVERIFY(databaseUrl.userName().startsWith("huntaze_device_"));
    // Only hashes are stored.
    QCOMPARE(scalar(QString("SELECT count(*) FROM devices WHERE position(convert_to('%1', 'UTF8') "
                            "IN token_hash) > 0")
                        .arg(device["credential"].toString().mid(4, 10))),
             0);
    QCOMPARE(
        scalar("SELECT count(*) FROM devices WHERE status = 'active' AND length(token_hash) = 32"),
        1);

    const auto me =
        m_http.get(m_relay->url("/v1/devices/me"),
                   {{"Authorization", "Bearer " + device["credential"].toString().toUtf8()}});
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json()["name"].toString(), QString("Alice's laptop"));
    QCOMPARE(
        m_http.get(m_relay->url("/v1/devices/me"), {{"Authorization", "Bearer hzd_wrong"}}).status,
        401);
    QCOMPARE(m_http.get(m_relay->url("/v1/devices/me")).status, 401);

    // The database login sees Alice's rows only, and no token.
    auto desktop = store::PgConnection::open(databaseUrl.toString());
    QVERIFY2(desktop, desktop.ok() ? "" : qPrintable(desktop.error().toString()));
    const auto accounts = desktop->exec("SELECT open_id FROM oauth_accounts");
    QVERIFY(accounts);
    QCOMPARE(accounts->rows(), 1);
    QCOMPARE(accounts->text(0, 0), QString("alice-tt"));
    QVERIFY(!desktop->exec("SELECT access_token_sealed FROM oauth_accounts"));
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar("SELECT count(*) FROM audit_log WHERE event = 'device.pair' AND outcome = 'ok'"), 1,
        10000);
}

void DevicesTest::pairingCodesAreSingleUseAndExpire() {
    const QString code = command({"device", "pair", "--user", "1"})["pairing_code"].toString();
    QCOMPARE(m_http.postJson(m_relay->url("/v1/devices/pair"), {{"code", code}}).status, 200);
    if (auto role = m_sql->exec("SELECT db_role FROM devices ORDER BY id DESC LIMIT 1");
        role && role->rows())
        m_roles << role->text(0, 0);
    const auto again = m_http.postJson(m_relay->url("/v1/devices/pair"), {{"code", code}});
    QCOMPARE(again.status, 401);
    QVERIFY(again.json()["message"].toString().contains("device pair"));

    const QString expired =
        command({"device", "pair", "--user", "1", "--ttl-minutes", "0"})["pairing_code"].toString();
    QCOMPARE(m_http.postJson(m_relay->url("/v1/devices/pair"), {{"code", expired}}).status, 401);
    QCOMPARE(m_http.post(m_relay->url("/v1/devices/pair"), "not json", "application/json").status,
             400);
    command({"device", "pair", "--user", "999"}, 1);
}

void DevicesTest::revokedDeviceLosesBothApiAndDatabase() {
    const QJsonObject issued = command({"device", "pair", "--user", "2"});
    const auto paired = m_http.postJson(m_relay->url("/v1/devices/pair"),
                                        {{"code", issued["pairing_code"].toString()}});
    QCOMPARE(paired.status, 200);
    const QByteArray credential = paired.json()["credential"].toString().toUtf8();
    const QString databaseUrl = paired.json()["database_url"].toString();
    m_roles << QUrl(databaseUrl).userName();
    auto session = store::PgConnection::open(databaseUrl);
    QVERIFY(session);
    QVERIFY(session->exec("SELECT 1"));

    const QJsonObject revoked =
        command({"device", "revoke", "--device", QString::number(issued["device_id"].toInteger())});
    QCOMPARE(revoked["revoked"].toBool(), true);
    QCOMPARE(m_http.get(m_relay->url("/v1/devices/me"), {{"Authorization", "Bearer " + credential}})
                 .status,
             401);
    QVERIFY(!session->exec("SELECT 1"));              // its open session was ended
    QVERIFY(!store::PgConnection::open(databaseUrl)); // and it cannot log in again
    QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE event = 'device.revoked'"), 1);
    command({"device", "revoke", "--device", "12345"}, 1);
}

void DevicesTest::pairingAttemptsAreRateLimited() {
    int limited = 0;
    QByteArray retryAfter;
    for (int i = 0; i < 20; ++i) {
        const auto answer =
            m_http.postJson(m_relay->url("/v1/devices/pair"), {{"code", "AAAA-BBBB-CCCC"}});
        if (answer.status == 429) {
            ++limited;
            retryAfter = answer.header("Retry-After");
        } else {
            QCOMPARE(answer.status, 401);
        }
    }
    QVERIFY(limited > 0);
    QVERIFY(retryAfter.toInt() >= 1);
    // Other routes are limited separately.
    QCOMPARE(m_http.get(m_relay->url("/healthz")).status, 200);
}

void DevicesTest::debugEndpointsNeedTheAdminTokenAndAreAudited() {
    QVERIFY(m_sql->execScript("INSERT INTO webhook_events (provider, external_id, event_type, "
                              "verified, body, state, last_error) "
                              "VALUES ('tiktok', 'dbg-1', 'post.publish.failed', true, '\\x7b7d', "
                              "'dead', 'invalid_event: x')"));
    const qint64 id = scalar("SELECT id FROM webhook_events WHERE external_id = 'dbg-1'");
    QCOMPARE(m_http.get(m_relay->url(QString("/debug/event?id=%1").arg(id))).status, 401);
    QCOMPARE(m_http.get(m_relay->url("/debug/errors"), {{"Authorization", "Bearer nope"}}).status,
             401);
    const auto event = m_http.get(m_relay->url(QString("/debug/event?id=%1").arg(id)),
                                  {{"Authorization", "Bearer admin-secret"}});
    QCOMPARE(event.status, 200);
    QVERIFY(event.body.contains("dbg-1"));
    const auto errors =
        m_http.get(m_relay->url("/debug/errors"), {{"Authorization", "Bearer admin-secret"}});
    QCOMPARE(errors.status, 200);
    QVERIFY(errors.body.contains("invalid_event"));
    QCOMPARE(m_http.get(m_relay->url("/debug/workers"), {{"Authorization", "Bearer admin-secret"}})
                 .status,
             200);
    QTRY_VERIFY_WITH_TIMEOUT(scalar("SELECT count(*) FROM audit_log WHERE event = 'debug.access' "
                                    "AND outcome = 'rejected'") >= 2,
                             10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        scalar("SELECT count(*) FROM audit_log WHERE event = 'debug.access' AND outcome = 'ok'") >=
            3,
        10000);
}

void DevicesTest::keyRotationResealsEveryTokenAndKeepsThemOpenable() {
    // A first rotation creates the ring; tokens sealed under it are then re-sealed by
    // the second. The sealing itself is covered by tst_tokensealer; here the command.
    const QJsonObject first = command({"keys", "rotate"});
    QVERIFY(!first["active_key"].toString().isEmpty());
    QFile ring(m_scratch.filePath("keyring"));
    QVERIFY(ring.exists());
    QCOMPARE(ring.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QVERIFY(
        m_sql->execScript("UPDATE oauth_accounts SET key_id = NULL, access_token_sealed = NULL"));
    const QJsonObject second = command({"keys", "rotate"});
    QVERIFY(second["active_key"].toString() != first["active_key"].toString());
    QCOMPARE(second["accounts_resealed"].toInt(), 0);
    QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE event = 'keys.rotated'"), 2);
}

QTEST_GUILESS_MAIN(DevicesTest)
#include "tst_devices.moc"
