#include "httpclient.h"
#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"
#include "webhookreceiver.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace huntaze;
using namespace huntaze::test;

namespace {

const QByteArray kAlertSecret = "alert-hook-secret";

quint16 freePort() {
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool writeFile(const QString &path, const QByteArray &content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

} // namespace

// Under an injected fault (webhooks with forged signatures), a real Prometheus server
// scraping the relay with the shipped rules fires the matching alert, and the relay's own
// evaluation of the same rule raises its alert event: a log line, an audit row, and a
// signed outgoing webhook (retried when the receiver fails at first).
class PrometheusAlertsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void forgedWebhooksFireTheSignatureAlertInPrometheusAndTheRelay();
    void deadEventFiresThenResolvesInBoth();

private:
    bool startPrometheus(int relayPort);
    QJsonArray prometheusAlerts();
    // The state of a Prometheus alert by name ("" when not active).
    QString prometheusState(const QString &alertName);
    // The relay's webhook deliveries for one alert and status.
    QList<QJsonObject> delivered(const QString &alertName, const QString &status);
    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    std::unique_ptr<RelayProcess> m_relay;
    WebhookReceiver m_receiver;
    QTemporaryDir m_dir;
    QProcess m_prometheus;
    quint16 m_prometheusPort = 0;
    HttpClient m_http;
};

void PrometheusAlertsTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    // The first delivery of the alert webhook fails: the relay must retry it.
    m_receiver.failNext(1, 503);
    m_relay = std::make_unique<RelayProcess>(
        m_db->url(), QMap<QString, QString>{
                         {"TIKTOK_WEBHOOK_SECRET", "tiktok-secret"},
                         {"HUNTAZE_ALERT_INTERVAL_SECONDS", "1"},
                         {"HUNTAZE_ALERT_FOR_SECONDS", "1"},
                         {"HUNTAZE_ALERT_WEBHOOK_URL", m_receiver.url().toString() + "/alerts"},
                         {"HUNTAZE_ALERT_WEBHOOK_SECRET", QString::fromUtf8(kAlertSecret)}});
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
    QVERIFY(m_dir.isValid());
    QVERIFY(startPrometheus(m_relay->port()));
}

void PrometheusAlertsTest::cleanupTestCase() {
    if (m_prometheus.state() != QProcess::NotRunning) {
        m_prometheus.terminate();
        if (!m_prometheus.waitForFinished(10000))
            m_prometheus.kill();
    }
    if (m_relay)
        QVERIFY(!m_relay->output().contains(kAlertSecret));
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
}

// Debian's prometheus on a free port, scraping and evaluating every second, with the
// shipped rules whose `for:` is shortened to 1 s (a test copy; nothing else changes).
bool PrometheusAlertsTest::startPrometheus(int relayPort) {
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (binary.isEmpty()) {
        qWarning("prometheus missing: scripts/install-deps.sh installs it");
        return false;
    }
    QFile shipped(QStringLiteral(HUNTAZE_SOURCE_DIR "/packaging/prometheus/huntaze-alerts.yml"));
    if (!shipped.open(QIODevice::ReadOnly))
        return false;
    QByteArray rules = shipped.readAll();
    if (!rules.contains("for: 5m"))
        return false;
    rules.replace("for: 5m", "for: 1s");
    const QByteArray config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                              "rule_files:\n  - rules.yml\n"
                              "scrape_configs:\n  - job_name: huntaze-relay\n"
                              "    static_configs:\n      - targets: ['127.0.0.1:" +
                              QByteArray::number(relayPort) + "']\n";
    if (!writeFile(m_dir.filePath("rules.yml"), rules) ||
        !writeFile(m_dir.filePath("prometheus.yml"), config))
        return false;
    m_prometheusPort = freePort();
    m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus.setStandardOutputFile(m_dir.filePath("prometheus.log"));
    m_prometheus.start(binary,
                       {"--config.file=" + m_dir.filePath("prometheus.yml"),
                        "--storage.tsdb.path=" + m_dir.filePath("data"),
                        QString("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort)});
    if (!m_prometheus.waitForStarted(10000))
        return false;
    const QUrl ready(QString("http://127.0.0.1:%1/-/ready").arg(m_prometheusPort));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000) {
        if (m_http.get(ready, {}, 2000).status == 200)
            return true;
        QTest::qWait(200);
    }
    return false;
}

QJsonArray PrometheusAlertsTest::prometheusAlerts() {
    const auto answer =
        m_http.get(QUrl(QString("http://127.0.0.1:%1/api/v1/alerts").arg(m_prometheusPort)));
    return answer.json()["data"].toObject()["alerts"].toArray();
}

QString PrometheusAlertsTest::prometheusState(const QString &alertName) {
    for (const QJsonValue &alert : prometheusAlerts())
        if (alert["labels"].toObject()["alertname"].toString() == alertName)
            return alert["state"].toString();
    return {};
}

QList<QJsonObject> PrometheusAlertsTest::delivered(const QString &alertName,
                                                   const QString &status) {
    QList<QJsonObject> out;
    for (const WebhookReceiver::Received &delivery : m_receiver.received()) {
        const QJsonObject event = QJsonDocument::fromJson(delivery.body).object();
        if (event["alert"].toString() == alertName && event["status"].toString() == status)
            out.append(event);
    }
    return out;
}

void PrometheusAlertsTest::forgedWebhooksFireTheSignatureAlertInPrometheusAndTheRelay() {
    // Prometheus sees the relay (and the bad-signature series at 0) before the fault.
    const QUrl up(QString("http://127.0.0.1:%1/api/v1/query?query=%2")
                      .arg(m_prometheusPort)
                      .arg(QString::fromUtf8(QUrl::toPercentEncoding(
                          "huntaze_webhooks_received_total{provider=\"tiktok\",outcome=\"bad_"
                          "signature\"}"))));
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_http.get(up).json()["data"].toObject()["result"].toArray().size() == 1,
        m_http.get(QUrl(QString("http://127.0.0.1:%1/api/v1/targets").arg(m_prometheusPort)))
            .body.constData(),
        30000);
    QTest::qWait(2500); // a few samples at 0
    QVERIFY(prometheusAlerts().isEmpty());

    // The fault: 12 deliveries with a forged signature (the threshold is 5 in 5 minutes).
    const QByteArray body = R"({"event":"post.publish.complete","user_openid":"x"})";
    const QByteArray forged =
        "t=" + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + ",s=" + QByteArray(64, 'a');
    for (int i = 0; i < 12; ++i)
        QCOMPARE(m_http
                     .post(m_relay->url("/webhooks/tiktok"), body, "application/json",
                           {{"TikTok-Signature", forged}})
                     .status,
                 401);

    // Prometheus fires the matching alert.
    QJsonObject firing;
    QElapsedTimer clock;
    clock.start();
    while (firing.isEmpty() && clock.elapsed() < 60000) {
        for (const QJsonValue &alert : prometheusAlerts()) {
            const QJsonObject labels = alert["labels"].toObject();
            if (labels["alertname"].toString() == "HuntazeWebhookSignatureFailures" &&
                labels["provider"].toString() == "tiktok" && alert["state"].toString() == "firing")
                firing = alert.toObject();
        }
        if (firing.isEmpty())
            QTest::qWait(500);
    }
    QVERIFY2(!firing.isEmpty(), QJsonDocument(prometheusAlerts()).toJson().constData());
    QCOMPARE(firing["labels"].toObject()["severity"].toString(), QString("warning"));
    QVERIFY(
        firing["annotations"].toObject()["runbook"].toString().startsWith("README.md#operations"));
    QVERIFY(firing["annotations"].toObject()["summary"].toString().startsWith("tiktok: "));

    // The relay's own event: the webhook, failed once (503), then delivered again, signed.
    QVERIFY2(m_receiver.waitFor(2, 30000), m_relay->output().right(3000).constData());
    const auto &received = m_receiver.received();
    QCOMPARE(received[0].body, received[1].body);
    const WebhookReceiver::Received &delivery = received[1];
    QCOMPARE(delivery.method, QByteArray("POST"));
    QCOMPARE(delivery.path, QString("/alerts"));
    QCOMPARE(delivery.header("Content-Type"), QByteArray("application/json"));
    const QByteArray expected =
        "sha256=" +
        QMessageAuthenticationCode::hash(delivery.body, kAlertSecret, QCryptographicHash::Sha256)
            .toHex();
    QCOMPARE(delivery.header("X-Huntaze-Signature"), expected);
    const QJsonObject event = QJsonDocument::fromJson(delivery.body).object();
    QCOMPARE(event["alert"].toString(), QString("HuntazeWebhookSignatureFailures"));
    QCOMPARE(event["status"].toString(), QString("firing"));
    QCOMPARE(event["labels"].toObject()["provider"].toString(), QString("tiktok"));
    QCOMPARE(event["value"].toDouble(), 12.0);
    QCOMPARE(event["threshold"].toInt(), 5);
    QVERIFY(event["runbook"].toString().startsWith("README.md#operations"));

    // ... an audit row ...
    QTRY_COMPARE_WITH_TIMEOUT(
        m_sql
            ->exec("SELECT count(*) FROM audit_log WHERE event = 'alert.firing' AND subject = "
                   "'HuntazeWebhookSignatureFailures' AND provider = 'tiktok' AND actor = 'relay' "
                   "AND details->>'status' = 'firing'")
            ->int64(0, 0),
        qint64(1), 15000);
    // ... and a log line.
    const QJsonObject logged = m_relay->process().waitForJsonLine([](const QJsonObject &line) {
        return line["event"].toString() == "alert.firing" &&
               line["alert"].toString() == "HuntazeWebhookSignatureFailures";
    });
    QVERIFY2(!logged.isEmpty(), m_relay->output().right(3000).constData());
    QCOMPARE(logged["component"].toString(), QString("alerts"));
    // Only this rule fired, once.
    QCOMPARE(m_sql->exec("SELECT count(*) FROM audit_log WHERE event LIKE 'alert.%'")->int64(0, 0),
             qint64(1));
}

// The queue fault: an event parked as dead (as after every attempt failed). Both fire;
// once it is dealt with (deleted here) the relay raises the resolution and Prometheus
// drops the alert.
void PrometheusAlertsTest::deadEventFiresThenResolvesInBoth() {
    QVERIFY(m_sql->exec("INSERT INTO webhook_events (provider, external_id, verified, body, "
                        "state, attempts, last_error) VALUES ('tiktok', 'ops-dead', true, "
                        "'\\x7b7d', 'dead', 10, 'injected by the test')"));
    QTRY_COMPARE_WITH_TIMEOUT(prometheusState("HuntazeDeadEvents"), QString("firing"), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(delivered("HuntazeDeadEvents", "firing").size(), 1, 30000);
    const QJsonObject firing = delivered("HuntazeDeadEvents", "firing").first();
    QCOMPARE(firing["value"].toDouble(), 1.0);
    QCOMPARE(firing["threshold"].toInt(), 0);
    QCOMPARE(firing["severity"].toString(), QString("warning"));

    QVERIFY(m_sql->exec("DELETE FROM webhook_events WHERE external_id = 'ops-dead'"));
    QTRY_COMPARE_WITH_TIMEOUT(delivered("HuntazeDeadEvents", "resolved").size(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_sql
            ->exec("SELECT count(*) FROM audit_log WHERE subject = 'HuntazeDeadEvents' AND event "
                   "IN ('alert.firing', 'alert.resolved')")
            ->int64(0, 0),
        qint64(2), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(prometheusState("HuntazeDeadEvents"), QString(), 60000);
    // Every delivery was signed with the secret.
    for (const WebhookReceiver::Received &delivery : m_receiver.received())
        QCOMPARE(delivery.header("X-Huntaze-Signature"),
                 "sha256=" + QMessageAuthenticationCode::hash(delivery.body, kAlertSecret,
                                                              QCryptographicHash::Sha256)
                                 .toHex());
}

QTEST_GUILESS_MAIN(PrometheusAlertsTest)
#include "tst_prometheusalerts.moc"
