#include "httpclient.h"
#include "publishingstack.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

namespace {

QByteArray readFile(const QString &path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every huntaze_* name in a query expression.
QSet<QString> metricNames(const QString &expression) {
    static const QRegularExpression name(QStringLiteral("\\bhuntaze_[a-z0-9_]+"));
    QSet<QString> out;
    for (auto it = name.globalMatch(expression); it.hasNext();)
        out.insert(it.next().captured(0));
    return out;
}

// The exprs of every dashboard panel (rows included), walking the JSON.
void collectDashboardExprs(const QJsonValue &value, QStringList *out) {
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectDashboardExprs(item, out);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("expr"))
                out->append(it.value().toString());
            else
                collectDashboardExprs(it.value(), out);
        }
    }
}

QSet<QString> exposedNames(const QByteArray &metrics) {
    QSet<QString> out;
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype end = line.indexOf(line.contains('{') ? '{' : ' ');
        out.insert(QString::fromUtf8(line.left(end)));
    }
    return out;
}

} // namespace

// Every metric a Grafana dashboard panel or a Prometheus alert rule queries exists in the
// /metrics of a running relay that did a little of everything: the dashboards and rules
// cannot silently point at a name the relay never exports.
class OperationsMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyQueriedMetricIsExported();
    void platformCallsAreCountedAndTimedInOnePlace();

private:
    PublishingStack m_stack;
    HttpClient m_http;
    QByteArray m_metrics;
};

void OperationsMetricsTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    // Platform calls: the OAuth exchange and profile against the sandbox.
    QVERIFY(m_stack.connectTikTok(QStringLiteral("tt-alice")));
    // Webhooks: one signed (accepted, then processed), one forged.
    const QByteArray body = QJsonDocument(QJsonObject{{"client_key", "sbx"},
                                                      {"event", "post.publish.failed"},
                                                      {"create_time", 1732400000},
                                                      {"user_openid", "nobody"},
                                                      {"content", "{\"publish_id\":\"p-ops\"}"}})
                                .toJson(QJsonDocument::Compact);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray signature =
        "t=" + QByteArray::number(now) + ",s=" +
        QMessageAuthenticationCode::hash(QByteArray::number(now) + "." + body, "sbx-tiktok-secret",
                                         QCryptographicHash::Sha256)
            .toHex();
    const QUrl webhook = m_stack.relay().url("/webhooks/tiktok");
    QCOMPARE(
        m_http.post(webhook, body, "application/json", {{"TikTok-Signature", signature}}).status,
        200);
    QCOMPARE(m_http
                 .post(webhook, body, "application/json",
                       {{"TikTok-Signature", "t=" + QByteArray::number(now) + ",s=00"}})
                 .status,
             401);
    // Processed, and the database gauges sampled (every 5 s).
    QTRY_VERIFY_WITH_TIMEOUT(
        (m_metrics = m_http.get(m_stack.relay().url("/metrics")).body)
                .contains("huntaze_events_processed_total{provider=\"tiktok\"") &&
            m_metrics.contains("huntaze_upload_success_ratio_24h{provider=\"tiktok\"}"),
        30000);
}

void OperationsMetricsTest::everyQueriedMetricIsExported() {
    QStringList expressions;
    const QString grafana = QStringLiteral(HUNTAZE_SOURCE_DIR "/packaging/grafana");
    for (const QString &file : {QStringLiteral("/huntaze-relay.json")}) {
        const QJsonDocument dashboard = QJsonDocument::fromJson(readFile(grafana + file));
        QVERIFY2(dashboard.isObject(), qPrintable(file));
        QCOMPARE(dashboard[QStringLiteral("schemaVersion")].toInt(), 39);
        collectDashboardExprs(dashboard.object(), &expressions);
    }
    const int dashboardExprs = int(expressions.size());
    QVERIFY(dashboardExprs >= 15);
    static const QRegularExpression expr(QStringLiteral("\\n\\s+expr: '([^\\n]*)'\\n"));
    const QString rules = QString::fromUtf8(
        readFile(QStringLiteral(HUNTAZE_SOURCE_DIR "/packaging/prometheus/huntaze-alerts.yml")));
    for (auto it = expr.globalMatch(rules); it.hasNext();)
        expressions.append(it.next().captured(1));
    QVERIFY(expressions.size() - dashboardExprs >= 7);

    const QSet<QString> exposed = exposedNames(m_metrics);
    QSet<QString> queried;
    for (const QString &expression : std::as_const(expressions))
        queried.unite(metricNames(expression));
    QVERIFY2(queried.size() >= 18, qPrintable(QStringList(queried.values()).join(", ")));
    QStringList missing;
    for (const QString &name : std::as_const(queried))
        if (!exposed.contains(name))
            missing.append(name);
    missing.sort();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("queried but not exported: ") +
                                           missing.join(QStringLiteral(", "))));
}

void OperationsMetricsTest::platformCallsAreCountedAndTimedInOnePlace() {
    QVERIFY2(m_metrics.contains("huntaze_platform_calls_total{provider=\"tiktok\",endpoint="
                                "\"token_exchange\",outcome=\"ok\"} 1"),
             m_metrics.constData());
    QVERIFY(m_metrics.contains(
        "huntaze_platform_calls_total{provider=\"tiktok\",endpoint=\"profile\",outcome=\"ok\"} 1"));
    QVERIFY(m_metrics.contains("huntaze_platform_call_seconds_count{provider=\"tiktok\","
                               "endpoint=\"token_exchange\"} 1"));
    QVERIFY(m_metrics.contains(
        "huntaze_webhooks_received_total{provider=\"tiktok\",outcome=\"bad_signature\"} 1"));
    QVERIFY(m_metrics.contains(
        "huntaze_token_refresh_total{provider=\"reddit\",outcome=\"invalid_grant\"} 0"));
    for (const char *provider : {"tiktok", "instagram", "reddit", "x"})
        QVERIFY(m_metrics.contains(QByteArray("huntaze_publications_settled_24h{provider=\"") +
                                   provider + "\",state=\"failed\"} 0"));
}

QTEST_GUILESS_MAIN(OperationsMetricsTest)
#include "tst_operationsmetrics.moc"
