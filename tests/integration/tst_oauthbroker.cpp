#include "childprocess.h"
#include "httpclient.h"
#include "relayprocess.h"
#include "sandboxprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QString kXRedirect = "http://127.0.0.1:53682/x/callback";
const QString kXUser = "1500000000000000001";
const QString kVerifier = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG";
} // namespace

// The relay brokers OAuth for paired desktops against the sandbox platforms over real
// HTTP: codes are exchanged with the app secret, tokens are sealed, handed out short
// lived, refreshed under rotation, and a dead grant (only) turns the account to
// needs_reconnect.
class OAuthBrokerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void xCodeIsExchangedAndTokensAreSealed();
    void accessTokenIsHandedOutAndWorksAtThePlatform();
    void expiringTokenIsRefreshedAndTheRotatedRefreshTokenStored();
    void refreshWorkerRenewsAheadOfExpiry();
    void temporaryFailureKeepsTheAccountActive();
    void refusedAppCredentialsDoNotDisconnectAccounts();
    void refusedGrantTurnsTheAccountToNeedsReconnect();
    void slowExchangeOfAnXCodeFailsClearly();
    void tiktokExchangeUsesHexPkceAndReadsTheProfile();
    void disconnectRevokesAtThePlatformAndForgetsTokens();
    void nothingSecretInADatabaseDump();
    void requestsWithoutADeviceCredentialAreRefused();

private:
    QString authorizeX(const QString &user = kXUser);
    qint64 scalar(const QString &sql);
    HttpClient::Headers device() const { return {{"Authorization", "Bearer " + m_credential}}; }
    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<RelayProcess> m_relay;
    QTemporaryDir m_scratch;
    HttpClient m_http;
    QByteArray m_credential;
    QString m_role;
    qint64 m_xAccount = 0;
    QStringList m_seenTokens;
};

void OAuthBrokerTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    const QString base = m_sandbox->baseUrl().toString();
    m_relay = std::make_unique<RelayProcess>(m_db->url(),
                                             QMap<QString, QString>{
                                                 {"HUNTAZE_KEYRING", m_scratch.filePath("keyring")},
                                                 {"HUNTAZE_REFRESH_INTERVAL_SECONDS", "1"},
                                                 {"X_CLIENT_ID", "sbx-x-client"},
                                                 {"X_CLIENT_SECRET", "sbx-x-secret"},
                                                 {"X_API_BASE", base + "/x"},
                                                 {"TIKTOK_CLIENT_KEY", "sbx-tiktok-client"},
                                                 {"TIKTOK_CLIENT_SECRET", "sbx-tiktok-secret"},
                                                 {"TIKTOK_API_BASE", base + "/tiktok"},
                                             });
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());

    // A user and a paired desktop.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_db->url());
    ChildProcess user(HUNTAZE_RELAY_BIN, {"user", "add", "--email", "creator@example.com"},
                      environment);
    QCOMPARE(user.waitForExit(), 0);
    ChildProcess pair(HUNTAZE_RELAY_BIN, {"device", "pair", "--user", "1"}, environment);
    QCOMPARE(pair.waitForExit(), 0);
    const QString code =
        QJsonDocument::fromJson(pair.output().trimmed().split('\n').last())["pairing_code"]
            .toString();
    const auto paired = m_http.postJson(m_relay->url("/v1/devices/pair"), {{"code", code}});
    QCOMPARE(paired.status, 200);
    m_credential = paired.json()["credential"].toString().toUtf8();
    m_role = QUrl(paired.json()["database_url"].toString()).userName();
}

void OAuthBrokerTest::cleanupTestCase() {
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
    if (auto admin = store::PgConnection::open(TestDatabase::adminUrl());
        admin && !m_role.isEmpty())
        (void)admin->execScript("DROP ROLE IF EXISTS " + admin->quoteIdentifier(m_role));
}

qint64 OAuthBrokerTest::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() ? result->int64(0, 0) : -1;
}

QString OAuthBrokerTest::authorizeX(const QString &user) {
    // RFC 7636 S256, computed here.
    const QByteArray challenge =
        QCryptographicHash::hash(kVerifier.toUtf8(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QUrlQuery query{{"response_type", "code"},
                    {"client_id", "sbx-x-client"},
                    {"redirect_uri", kXRedirect},
                    {"scope", "tweet.read tweet.write users.read media.write offline.access"},
                    {"state", "s-1"},
                    {"code_challenge", QString::fromLatin1(challenge)},
                    {"code_challenge_method", "S256"},
                    {"sandbox_decision", "approve"},
                    {"sandbox_user", user}};
    QUrl url = m_sandbox->url("/x/i/oauth2/authorize");
    url.setQuery(query);
    const auto answer = m_http.get(url);
    return QUrlQuery(QUrl(QString::fromUtf8(answer.header("Location"))).query())
        .queryItemValue("code");
}

void OAuthBrokerTest::xCodeIsExchangedAndTokensAreSealed() {
    const QString code = authorizeX();
    QVERIFY(!code.isEmpty());
    const auto answer = m_http.postJson(
        m_relay->url("/v1/oauth/x/exchange"),
        {{"code", code}, {"code_verifier", kVerifier}, {"redirect_uri", kXRedirect}}, device());
    QVERIFY2(answer.status == 200, answer.body.constData());
    const QJsonObject account = answer.json();
    QCOMPARE(account["open_id"].toString(), kXUser);
    QCOMPARE(account["username"].toString(), QString("sbx_creator"));
    QVERIFY(!answer.body.contains("token\":\"")); // the desktop never sees the refresh token
    m_xAccount = account["account_id"].toInteger();
    QCOMPARE(scalar(QString("SELECT count(*) FROM oauth_accounts WHERE id = %1 AND user_id = 1 AND "
                            "status = 'active' "
                            "AND access_token_sealed IS NOT NULL AND refresh_token_sealed IS NOT "
                            "NULL AND key_id IS NOT NULL")
                        .arg(m_xAccount)),
             1);
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar("SELECT count(*) FROM audit_log WHERE event = 'oauth.exchange' AND outcome = 'ok'"),
        1, 10000);
}

void OAuthBrokerTest::accessTokenIsHandedOutAndWorksAtThePlatform() {
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    QCOMPARE(answer.status, 200);
    const QByteArray token = answer.json()["access_token"].toString().toUtf8();
    QCOMPARE(answer.json()["refreshed"].toBool(), false);
    m_seenTokens << QString::fromUtf8(token);
    const auto me =
        m_http.get(m_sandbox->url("/x/2/users/me"), {{"Authorization", "Bearer " + token}});
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json()["data"].toObject()["id"].toString(), kXUser);
    // Another user's device cannot get it: the account is not theirs.
    QCOMPARE(
        m_http
            .postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount + 100}}, device())
            .status,
        404);
}

void OAuthBrokerTest::expiringTokenIsRefreshedAndTheRotatedRefreshTokenStored() {
    const QByteArray before =
        m_sql
            ->exec(QString("SELECT refresh_token_sealed FROM oauth_accounts WHERE id = %1")
                       .arg(m_xAccount))
            ->bytes(0, 0);
    QVERIFY(m_sql->execScript(QString("UPDATE oauth_accounts SET access_expires_at = now() + "
                                      "interval '1 minute' WHERE id = %1")
                                  .arg(m_xAccount)));
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    QVERIFY2(answer.status == 200, answer.body.constData());
    QCOMPARE(answer.json()["refreshed"].toBool(), true);
    const QString token = answer.json()["access_token"].toString();
    QVERIFY(!m_seenTokens.contains(token));
    m_seenTokens << token;
    QCOMPARE(
        m_http.get(m_sandbox->url("/x/2/users/me"), {{"Authorization", "Bearer " + token.toUtf8()}})
            .status,
        200);
    const QByteArray after =
        m_sql
            ->exec(QString("SELECT refresh_token_sealed FROM oauth_accounts WHERE id = %1")
                       .arg(m_xAccount))
            ->bytes(0, 0);
    QVERIFY(!after.isEmpty());
    QVERIFY(after != before); // X rotated it, and the new one was stored with the new access token
    QVERIFY(scalar(QString("SELECT extract(epoch FROM access_expires_at - now())::bigint FROM "
                           "oauth_accounts WHERE id = %1")
                       .arg(m_xAccount)) > 3600);
}

void OAuthBrokerTest::refreshWorkerRenewsAheadOfExpiry() {
    QVERIFY(m_sql->execScript(QString("UPDATE oauth_accounts SET access_expires_at = now() + "
                                      "interval '5 minutes' WHERE id = %1")
                                  .arg(m_xAccount)));
    QTRY_VERIFY_WITH_TIMEOUT(scalar(QString("SELECT extract(epoch FROM access_expires_at - "
                                            "now())::bigint FROM oauth_accounts WHERE id = %1")
                                        .arg(m_xAccount)) > 3600,
                             20000);
    QCOMPARE(
        scalar(QString("SELECT count(*) FROM oauth_accounts WHERE id = %1 AND status = 'active'")
                   .arg(m_xAccount)),
        1);
    // The refreshed token works (the worker stored a rotated refresh token correctly).
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    QCOMPARE(
        m_http
            .get(m_sandbox->url("/x/2/users/me"),
                 {{"Authorization", "Bearer " + answer.json()["access_token"].toString().toUtf8()}})
            .status,
        200);
    QVERIFY(
        scalar("SELECT count(*) FROM audit_log WHERE event = 'token.refresh' AND outcome = 'ok'") >=
        2);
}

void OAuthBrokerTest::temporaryFailureKeepsTheAccountActive() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "x"},
                                                              {"endpoint", "oauth.token"},
                                                              {"kind", "status"},
                                                              {"status", 503},
                                                              {"times", 1}})
                 .status,
             200);
    QVERIFY(m_sql->execScript(
        QString("UPDATE oauth_accounts SET access_expires_at = now() WHERE id = %1")
            .arg(m_xAccount)));
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    QCOMPARE(answer.status, 502);
    QCOMPARE(
        scalar(QString("SELECT count(*) FROM oauth_accounts WHERE id = %1 AND status = 'active'")
                   .arg(m_xAccount)),
        1);
    // Once the platform is back, the same refresh token still works.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device())
            .status,
        200, 15000);
}

void OAuthBrokerTest::refusedAppCredentialsDoNotDisconnectAccounts() {
    // The relay's own app credentials refused (a typo in X_CLIENT_SECRET, say): every
    // creator's account must stay connected; only a refused grant disconnects.
    QCOMPARE(
        m_http
            .postJson(
                m_sandbox->url("/_admin/faults"),
                {{"platform", "x"},
                 {"endpoint", "oauth.token"},
                 {"kind", "status"},
                 {"status", 401},
                 {"body",
                  R"({"error":"unauthorized_client","error_description":"Missing valid authorization header"})"},
                 {"times", 1}})
            .status,
        200);
    QVERIFY(m_sql->execScript(
        QString("UPDATE oauth_accounts SET access_expires_at = now() WHERE id = %1")
            .arg(m_xAccount)));
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.json()["error"].toString(), QString("unauthorized_client"));
    QCOMPARE(
        scalar(QString("SELECT count(*) FROM oauth_accounts WHERE id = %1 AND status = 'active'")
                   .arg(m_xAccount)),
        1);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device())
            .status,
        200, 15000);
}

void OAuthBrokerTest::refusedGrantTurnsTheAccountToNeedsReconnect() {
    // A second X account whose grant the platform then refuses.
    const QString code = authorizeX("1500000000000000002");
    const auto exchanged = m_http.postJson(
        m_relay->url("/v1/oauth/x/exchange"),
        {{"code", code}, {"code_verifier", kVerifier}, {"redirect_uri", kXRedirect}}, device());
    QCOMPARE(exchanged.status, 200);
    const qint64 account = exchanged.json()["account_id"].toInteger();
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/x/authorizations/revoke"),
                           {{"user_id", "1500000000000000002"}})
                 .status,
             200);
    QVERIFY(m_sql->execScript(
        QString("UPDATE oauth_accounts SET access_expires_at = now() WHERE id = %1").arg(account)));
    const auto answer =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", account}}, device());
    QCOMPARE(answer.status, 400);
    QCOMPARE(
        scalar(
            QString(
                "SELECT count(*) FROM oauth_accounts WHERE id = %1 AND status = 'needs_reconnect'")
                .arg(account)),
        1);
    const auto again =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", account}}, device());
    QCOMPARE(again.status, 409);
    QVERIFY(again.json()["message"].toString().contains("reconnect"));
}

void OAuthBrokerTest::slowExchangeOfAnXCodeFailsClearly() {
    const QString code = authorizeX("1500000000000000003");
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/clock"), {{"advance_seconds", 31}}).status,
             200);
    const auto answer = m_http.postJson(
        m_relay->url("/v1/oauth/x/exchange"),
        {{"code", code}, {"code_verifier", kVerifier}, {"redirect_uri", kXRedirect}}, device());
    QCOMPARE(answer.status, 400);
    QVERIFY(!answer.json()["message"].toString().isEmpty());
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = '1500000000000000003'"),
             0);
}

void OAuthBrokerTest::tiktokExchangeUsesHexPkceAndReadsTheProfile() {
    const QString redirect = "http://127.0.0.1:49152/callback/";
    const QString challenge = QString::fromLatin1(
        QCryptographicHash::hash(kVerifier.toUtf8(), QCryptographicHash::Sha256).toHex());
    QUrl url = m_sandbox->url("/tiktok/v2/auth/authorize/");
    url.setQuery(
        QUrlQuery{{"client_key", "sbx-tiktok-client"},
                  {"response_type", "code"},
                  {"scope", "user.info.basic,user.info.profile,user.info.stats,video.upload"},
                  {"redirect_uri", redirect},
                  {"state", "t-1"},
                  {"code_challenge", challenge},
                  {"code_challenge_method", "S256"},
                  {"sandbox_decision", "approve"},
                  {"sandbox_user", "tt-alice"}});
    const auto authorized = m_http.get(url);
    const QString code = QUrlQuery(QUrl(QString::fromUtf8(authorized.header("Location"))).query())
                             .queryItemValue("code");
    QVERIFY2(!code.isEmpty(), authorized.header("Location").constData());
    const auto answer = m_http.postJson(
        m_relay->url("/v1/oauth/tiktok/exchange"),
        {{"code", code}, {"code_verifier", kVerifier}, {"redirect_uri", redirect}}, device());
    QVERIFY2(answer.status == 200, answer.body.constData());
    QCOMPARE(answer.json()["open_id"].toString(), QString("sbx-openid-alice"));
    QCOMPARE(answer.json()["display_name"].toString(), QString("Alice Sandbox"));
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE provider = 'tiktok' AND stats ? "
                    "'follower_count'"),
             1);
}

void OAuthBrokerTest::disconnectRevokesAtThePlatformAndForgetsTokens() {
    const auto token =
        m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}, device());
    const QByteArray access = token.json()["access_token"].toString().toUtf8();
    m_seenTokens << QString::fromUtf8(access);
    const auto revoked =
        m_http.postJson(m_relay->url("/v1/oauth/revoke"), {{"account_id", m_xAccount}}, device());
    QCOMPARE(revoked.status, 200);
    QCOMPARE(
        scalar(
            QString("SELECT count(*) FROM oauth_accounts WHERE id = %1 AND status = 'revoked' AND "
                    "access_token_sealed IS NULL AND refresh_token_sealed IS NULL")
                .arg(m_xAccount)),
        1);
    QCOMPARE(
        m_http.get(m_sandbox->url("/x/2/users/me"), {{"Authorization", "Bearer " + access}}).status,
        401);
}

void OAuthBrokerTest::nothingSecretInADatabaseDump() {
    const auto tiktok = m_http.postJson(
        m_relay->url("/v1/oauth/token"),
        {{"account_id", scalar("SELECT id FROM oauth_accounts WHERE provider = 'tiktok'")}},
        device());
    QCOMPARE(tiktok.status, 200);
    m_seenTokens << tiktok.json()["access_token"].toString();
    // Every token the sandbox ever issued, refresh tokens included.
    for (const char *path : {"/_admin/x/tokens", "/_admin/tiktok/tokens"}) {
        const QByteArray listing = m_http.get(m_sandbox->url(path)).body;
        static const QRegularExpression tokenPattern(
            "\"(?:access_token|refresh_token|token)\"\\s*:\\s*\"([^\"]{12,})\"");
        for (auto it = tokenPattern.globalMatch(QString::fromUtf8(listing)); it.hasNext();)
            m_seenTokens << it.next().captured(1);
    }
    QVERIFY2(m_seenTokens.size() >= 4, qPrintable(m_seenTokens.join(',')));
    QProcess dump;
    dump.start("pg_dump", {"--data-only", m_db->url()});
    QVERIFY(dump.waitForFinished(60000));
    const QByteArray text = dump.readAllStandardOutput();
    QVERIFY2(text.contains("oauth_accounts"), dump.readAllStandardError().constData());
    for (const QString &token : m_seenTokens)
        QVERIFY2(!text.contains(token.toUtf8()),
                 qPrintable("plaintext token in pg_dump: " + token.left(6)));
    QVERIFY(!m_relay->output().contains(m_seenTokens.first().toUtf8()));
}

void OAuthBrokerTest::requestsWithoutADeviceCredentialAreRefused() {
    QCOMPARE(m_http.postJson(m_relay->url("/v1/oauth/token"), {{"account_id", m_xAccount}}).status,
             401);
    QCOMPARE(m_http
                 .postJson(m_relay->url("/v1/oauth/x/exchange"),
                           {{"code", "c"}, {"redirect_uri", kXRedirect}})
                 .status,
             401);
    QCOMPARE(m_http
                 .postJson(m_relay->url("/v1/oauth/reddit/exchange"),
                           {{"code", "c"}, {"redirect_uri", kXRedirect}}, device())
                 .status,
             503);
    QCOMPARE(m_http.post(m_relay->url("/v1/oauth/x/exchange"), "{]", "application/json", device())
                 .status,
             400);
}

QTEST_GUILESS_MAIN(OAuthBrokerTest)
#include "tst_oauthbroker.moc"
