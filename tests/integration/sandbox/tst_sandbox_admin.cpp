#include "httpclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace huntaze::test;

// The sandbox's own machinery, which every platform test leans on: fault injection,
// the clock, the request log, webhook settings and persistence across a restart.
class SandboxAdminTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void unknownRoutesAnswerJson404And405();
    void statusFaultAnswersWithRetryAfterThenClears();
    void dropFaultClosesTheConnection();
    void hangFaultNeverAnswers();
    void malformedFaultBreaksTheBody();
    void invalidFaultIsRefused_data();
    void invalidFaultIsRefused();
    void requestLogRecordsWhatWasSeen();
    void clockAdvancesAndSurvivesRestart();
    void webhookSettingsAreAdjustable();
    void endpointsNameEveryPlatform();

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
};

void SandboxAdminTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxAdminTest::unknownRoutesAnswerJson404And405() {
    auto missing = m_http.get(m_sandbox->url("/no/such/thing"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json()["error"].toString(), QString("not_found"));
    auto wrongMethod = m_http.post(m_sandbox->url("/healthz"), "{}", "application/json");
    QCOMPARE(wrongMethod.status, 405);
}

void SandboxAdminTest::statusFaultAnswersWithRetryAfterThenClears() {
    auto added = m_http.postJson(m_sandbox->url("/_admin/faults"), {{"platform", "sandbox"},
                                                                    {"endpoint", "healthz"},
                                                                    {"kind", "status"},
                                                                    {"status", 429},
                                                                    {"retry_after", 7},
                                                                    {"times", 2}});
    QCOMPARE(added.status, 200);
    for (int i = 0; i < 2; ++i) {
        auto faulted = m_http.get(m_sandbox->url("/healthz"));
        QCOMPARE(faulted.status, 429);
        QCOMPARE(faulted.header("Retry-After"), QByteArray("7"));
    }
    QCOMPARE(m_http.get(m_sandbox->url("/healthz")).status, 200);
    QCOMPARE(m_http.get(m_sandbox->url("/_admin/faults")).document().array().size(), 0);
}

void SandboxAdminTest::dropFaultClosesTheConnection() {
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "sandbox"}, {"kind", "drop"}})
            .status,
        200);
    // A raw socket: QNetworkAccessManager would silently retry a dropped GET.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_sandbox->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(socket.waitForDisconnected(5000));
    QVERIFY(socket.readAll().isEmpty());
    QCOMPARE(m_http.get(m_sandbox->url("/healthz")).status, 200);
}

void SandboxAdminTest::hangFaultNeverAnswers() {
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "sandbox"}, {"kind", "hang"}})
            .status,
        200);
    auto hung = m_http.get(m_sandbox->url("/healthz"), {}, 800);
    QCOMPARE(hung.status, 0);
    // The sandbox itself stays responsive.
    QCOMPARE(m_http.get(m_sandbox->url("/healthz")).status, 200);
}

void SandboxAdminTest::malformedFaultBreaksTheBody() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"),
                           {{"platform", "sandbox"}, {"kind", "malformed"}})
                 .status,
             200);
    auto broken = m_http.get(m_sandbox->url("/healthz"));
    QCOMPARE(broken.status, 200);
    QVERIFY(broken.document().isNull());
}

void SandboxAdminTest::invalidFaultIsRefused_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << QByteArray("{{");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no platform") << QByteArray(R"({"kind":"status"})");
    QTest::newRow("unknown kind") << QByteArray(R"({"platform":"tiktok","kind":"explode"})");
    QTest::newRow("bad status") << QByteArray(R"({"platform":"tiktok","status":99})");
    QTest::newRow("zero times") << QByteArray(R"({"platform":"tiktok","times":0})");
}

void SandboxAdminTest::invalidFaultIsRefused() {
    QFETCH(QByteArray, body);
    auto result = m_http.post(m_sandbox->url("/_admin/faults"), body, "application/json");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json()["error"].toString(), QString("invalid_fault"));
}

void SandboxAdminTest::requestLogRecordsWhatWasSeen() {
    QCOMPARE(m_http.send("DELETE", m_sandbox->url("/_admin/requests"), {}, {}, 5000).status, 200);
    m_http.get(m_sandbox->url("/healthz?probe=1"), {{"User-Agent", "tester/1.0"}});
    const QJsonArray seen =
        m_http.get(m_sandbox->url("/_admin/requests?platform=sandbox")).document().array();
    QCOMPARE(seen.size(), 1);
    const QJsonObject record = seen.first().toObject();
    QCOMPARE(record["endpoint"].toString(), QString("healthz"));
    QCOMPARE(record["status"].toInt(), 200);
    QCOMPARE(record["query"].toString(), QString("probe=1"));
    QCOMPARE(record["user_agent"].toString(), QString("tester/1.0"));
}

void SandboxAdminTest::clockAdvancesAndSurvivesRestart() {
    const double before = m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble();
    auto advanced = m_http.postJson(m_sandbox->url("/_admin/clock"), {{"advance_seconds", 86400}});
    QCOMPARE(advanced.status, 200);
    QVERIFY(advanced.json()["now"].toDouble() >= before + 86400);
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/clock"), {{"advance_seconds", -5}}).status,
             400);

    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    const auto clock = m_http.get(m_sandbox->url("/_admin/clock")).json();
    QVERIFY(clock["offset_seconds"].toDouble() >= 86400);
}

void SandboxAdminTest::webhookSettingsAreAdjustable() {
    auto set = m_http.postJson(m_sandbox->url("/_admin/webhooks"),
                               {{"duplicates", true}, {"compression", 500}});
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json()["duplicates"].toBool(), true);
    QCOMPARE(set.json()["compression"].toDouble(), 500.0);
    const auto read = m_http.get(m_sandbox->url("/_admin/webhooks")).json();
    QVERIFY(read.contains("deliveries"));
    QCOMPARE(read["duplicates"].toBool(), true);
}

void SandboxAdminTest::endpointsNameEveryPlatform() {
    const QJsonObject endpoints = m_http.get(m_sandbox->url("/_admin/endpoints")).json();
    for (const char *platform : {"tiktok", "instagram", "reddit", "x"})
        QVERIFY2(endpoints["platforms"].toObject().contains(platform), platform);
    QCOMPARE(endpoints["base_url"].toString(), m_sandbox->baseUrl().toString());
}

QTEST_GUILESS_MAIN(SandboxAdminTest)
#include "tst_sandbox_admin.moc"
