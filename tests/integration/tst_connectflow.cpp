#include "childprocess.h"
#include "fixedport.h"
#include "httpclient.h"
#include "net/relayclient.h"
#include "oauth/connectflow.h"
#include "relayprocess.h"
#include "sandboxprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace huntaze;
using namespace huntaze::test;

// Connecting accounts from the desktop's core: pair with the relay, learn the platforms,
// open the authorization page (a scripted browser here), receive the redirect on the
// loopback listener and have the relay exchange the code. Real relay, sandbox and
// PostgreSQL.
class ConnectFlowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pairingGivesACredentialAndThePlatformDirectory();
    void connectTikTok_data();
    void connectTikTok();
    void connectXOnItsFixedPort();
    void unpairedDesktopGetsAClearMessage();

private:
    // A browser that approves or denies as the given sandbox user.
    oauth::ConnectFlow::OpenUrl scriptedBrowser(const QString &decision, const QString &user);
    oauth::ConnectFlow::Platform platform(const QString &provider, quint16 fixedPort = 0) const;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<RelayProcess> m_relay;
    std::unique_ptr<net::RelayClient> m_client;
    QJsonObject m_platforms;
    QTemporaryDir m_scratch;
    QString m_role;
};

void ConnectFlowTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    {
        auto db = store::PgConnection::open(m_db->url());
        QVERIFY(store::Migrator().migrate(*db));
    }
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY(m_sandbox->isRunning());
    const QString base = m_sandbox->baseUrl().toString();
    m_relay = std::make_unique<RelayProcess>(m_db->url(),
                                             QMap<QString, QString>{
                                                 {"HUNTAZE_KEYRING", m_scratch.filePath("keyring")},
                                                 {"TIKTOK_CLIENT_KEY", "sbx-tiktok-client"},
                                                 {"TIKTOK_CLIENT_SECRET", "sbx-tiktok-secret"},
                                                 {"TIKTOK_API_BASE", base + "/tiktok"},
                                                 {"TIKTOK_AUTH_BASE", base + "/tiktok"},
                                                 {"X_CLIENT_ID", "sbx-x-client"},
                                                 {"X_CLIENT_SECRET", "sbx-x-secret"},
                                                 {"X_API_BASE", base + "/x"},
                                                 {"X_AUTH_BASE", base + "/x"},
                                             });
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
    m_client = std::make_unique<net::RelayClient>(m_relay->url(""));
}

void ConnectFlowTest::cleanupTestCase() {
    m_relay.reset();
    m_db.reset();
    if (auto admin = store::PgConnection::open(TestDatabase::adminUrl());
        admin && !m_role.isEmpty())
        (void)admin->execScript("DROP ROLE IF EXISTS " + admin->quoteIdentifier(m_role));
}

oauth::ConnectFlow::Platform ConnectFlowTest::platform(const QString &provider,
                                                       quint16 fixedPort) const {
    const QJsonObject entry = m_platforms[provider].toObject();
    return {provider,
            entry["client_id"].toString(),
            QUrl(entry["authorize_url"].toString()),
            fixedPort,
            {}};
}

oauth::ConnectFlow::OpenUrl ConnectFlowTest::scriptedBrowser(const QString &decision,
                                                             const QString &user) {
    return [decision, user](const QUrl &url) {
        QTimer::singleShot(0, [url, decision, user] {
            HttpClient browser;
            QUrl page = url;
            QUrlQuery query(page);
            query.addQueryItem("sandbox_decision", decision);
            query.addQueryItem("sandbox_user", user);
            page.setQuery(query);
            const auto redirect = browser.get(page);
            browser.get(QUrl(QString::fromUtf8(redirect.header("Location"))));
        });
        return true;
    };
}

void ConnectFlowTest::pairingGivesACredentialAndThePlatformDirectory() {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_db->url());
    ChildProcess user(HUNTAZE_RELAY_BIN, {"user", "add", "--email", "flow@example.com"},
                      environment);
    QCOMPARE(user.waitForExit(), 0);
    ChildProcess pair(HUNTAZE_RELAY_BIN, {"device", "pair", "--user", "1"}, environment);
    QCOMPARE(pair.waitForExit(), 0);
    const QString code =
        QJsonDocument::fromJson(pair.output().trimmed().split('\n').last())["pairing_code"]
            .toString();

    std::optional<Result<QJsonObject>> paired;
    m_client->pair(code, "test desktop",
                   [&](const Result<QJsonObject> &answer) { paired = answer; });
    QTRY_VERIFY(paired.has_value());
    QVERIFY2(paired->ok(), paired->ok() ? "" : qPrintable(paired->error().message));
    m_client->setCredential(paired->value()["credential"].toString().toUtf8());
    m_role = QUrl(paired->value()["database_url"].toString()).userName();

    std::optional<Result<QJsonObject>> directory;
    m_client->platforms([&](const Result<QJsonObject> &answer) { directory = answer; });
    QTRY_VERIFY(directory.has_value());
    QVERIFY(directory->ok());
    m_platforms = directory->value();
    QCOMPARE(m_platforms["tiktok"].toObject()["client_id"].toString(),
             QString("sbx-tiktok-client"));
    QVERIFY(!m_platforms.contains("reddit")); // not configured on this relay
    QVERIFY(!QJsonDocument(m_platforms).toJson().contains("secret"));
}

void ConnectFlowTest::connectTikTok_data() {
    QTest::addColumn<QString>("decision");
    QTest::addColumn<QString>("expected");
    QTest::newRow("approved") << "approve"
                              << "sbx-openid-alice";
    QTest::newRow("denied") << "deny"
                            << "access_denied";
}

void ConnectFlowTest::connectTikTok() {
    QFETCH(QString, decision);
    QFETCH(QString, expected);
    oauth::ConnectFlow flow(*m_client, platform("tiktok"), scriptedBrowser(decision, "tt-alice"));
    QSignalSpy connected(&flow, &oauth::ConnectFlow::connected);
    QSignalSpy failed(&flow, &oauth::ConnectFlow::failed);
    flow.start();
    const QUrlQuery sent(flow.authorizationUrl());
    QCOMPARE(sent.queryItemValue("code_challenge").size(), 64); // TikTok's hex form
    QVERIFY(sent.queryItemValue("redirect_uri").startsWith("http://127.0.0.1:"));
    QTRY_VERIFY_WITH_TIMEOUT(connected.count() + failed.count() == 1, 20000);
    if (decision == "approve") {
        QCOMPARE(connected.first().first().toJsonObject()["open_id"].toString(), expected);
    } else {
        const auto error = failed.first().first().value<Error>();
        QCOMPARE(error.code, expected);
        QVERIFY(error.message.contains("declined"));
    }
}

void ConnectFlowTest::connectXOnItsFixedPort() {
    QVERIFY(test::waitUntilPortIsFree(53682));
    oauth::ConnectFlow flow(*m_client, platform("x", 53682),
                            scriptedBrowser("approve", "1500000000000000001"));
    QSignalSpy connected(&flow, &oauth::ConnectFlow::connected);
    QSignalSpy failed(&flow, &oauth::ConnectFlow::failed);
    flow.start();
    QCOMPARE(QUrlQuery(flow.authorizationUrl()).queryItemValue("redirect_uri"),
             QString("http://127.0.0.1:53682/x/callback"));
    QTRY_VERIFY_WITH_TIMEOUT(connected.count() + failed.count() == 1, 20000);
    QVERIFY2(connected.count() == 1,
             failed.isEmpty() ? "" : qPrintable(failed.first().first().value<Error>().message));
    QCOMPARE(connected.first().first().toJsonObject()["username"].toString(),
             QString("sbx_creator"));
}

void ConnectFlowTest::unpairedDesktopGetsAClearMessage() {
    net::RelayClient stranger(m_relay->url(""));
    stranger.setCredential("hzd_not-a-real-credential");
    std::optional<Result<QJsonObject>> answer;
    stranger.accessToken(1, false, [&](const Result<QJsonObject> &reply) { answer = reply; });
    QTRY_VERIFY(answer.has_value());
    QVERIFY(!answer->ok());
    QVERIFY(answer->error().message.contains("Pair it again"));

    net::RelayClient nowhere(QUrl("http://127.0.0.1:1"));
    std::optional<Result<QJsonObject>> down;
    nowhere.platforms([&](const Result<QJsonObject> &reply) { down = reply; });
    QTRY_VERIFY(down.has_value());
    QCOMPARE(down->error().code, QString("unreachable"));
    QVERIFY(down->error().retryable);
}

QTEST_GUILESS_MAIN(ConnectFlowTest)
#include "tst_connectflow.moc"
