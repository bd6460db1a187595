#include "alerts/alertevaluator.h"
#include "alerts/alertrules.h"
#include "alerts/alertwebhook.h"
#include "relayconfig.h"

#include <QFile>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace huntaze;
using namespace huntaze::relay::alerts;

namespace {

const QString kRulesFile =
    QStringLiteral(HUNTAZE_SOURCE_DIR "/packaging/prometheus/huntaze-alerts.yml");

QByteArray readFile(const QString &path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

MetricSnapshot snapshot(const QByteArray &text, qint64 atSeconds) {
    return MetricSnapshot::parse(text, atSeconds * 1000);
}

} // namespace

// The alert rules are written once (relay/alerts/alertrules.cpp): the Prometheus file is
// generated from them and must match, promtool must accept it, and the relay's own
// evaluation fires and resolves the way Prometheus would.
class AlertRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void prometheusFileIsGeneratedFromTheCode();
    void fileThresholdsAreTheConfigDefaults();
    void promtoolAcceptsTheRules();
    void everyRuleHasAnnotationsAndARunbook();
    void expositionIsReadBack();
    void counterRateFiresAfterForAndResolves();
    void ratioNeedsVolume();
    void configuredThresholdWins();
    void webhookSignatureIsHmacOfTheBody();
};

void AlertRulesTest::prometheusFileIsGeneratedFromTheCode() {
    const QByteArray rendered = renderPrometheusRules(alertRules());
    if (qEnvironmentVariableIsSet("HUNTAZE_WRITE_ALERT_RULES")) {
        QFile file(kRulesFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(rendered);
    }
    QCOMPARE(QString::fromUtf8(readFile(kRulesFile)), QString::fromUtf8(rendered));
}

// An independent check of the file itself: every rule's expr ends with the default of the
// setting named in the comment above it, as relay/relayconfig.cpp declares it.
void AlertRulesTest::fileThresholdsAreTheConfigDefaults() {
    QHash<QString, QString> defaults;
    for (const config::ConfigKey &key : relay::relayConfigSchema())
        defaults.insert(key.name, key.defaultValue);
    const QString yaml = QString::fromUtf8(readFile(kRulesFile));
    static const QRegularExpression rule(
        QStringLiteral("# threshold: (HUNTAZE_ALERT_[A-Z_]+)\\n\\s+- alert: (\\w+)\\n\\s+expr: "
                       "'.*(?:>|>=|<) (\\d+)'\\n"));
    int rules = 0;
    for (auto it = rule.globalMatch(yaml); it.hasNext(); ++rules) {
        const auto match = it.next();
        QVERIFY2(defaults.contains(match.captured(1)), qPrintable(match.captured(1)));
        QCOMPARE(match.captured(3), defaults.value(match.captured(1)));
    }
    QCOMPARE(rules, alertRules().size());
    QCOMPARE(yaml.count(QStringLiteral("- alert: ")), rules);
}

void AlertRulesTest::promtoolAcceptsTheRules() {
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!promtool.isEmpty(), "promtool missing: scripts/install-deps.sh installs prometheus");
    QProcess process;
    process.start(promtool, {QStringLiteral("check"), QStringLiteral("rules"), kRulesFile});
    QVERIFY(process.waitForFinished(30000));
    const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
    QVERIFY2(process.exitCode() == 0, output.constData());
    QVERIFY2(output.contains(QByteArray::number(alertRules().size()) + " rules found"),
             output.constData());
}

void AlertRulesTest::everyRuleHasAnnotationsAndARunbook() {
    QSet<QString> names;
    for (const AlertRule &rule : alertRules()) {
        QVERIFY(!names.contains(rule.name));
        names.insert(rule.name);
        QVERIFY2(rule.name.startsWith(QLatin1String("Huntaze")), qPrintable(rule.name));
        QVERIFY(!rule.summary.isEmpty() && !rule.description.isEmpty());
        QVERIFY(rule.runbook.startsWith(QLatin1String("README.md#operations")));
        QVERIFY(rule.severity == QLatin1String("warning") ||
                rule.severity == QLatin1String("critical"));
        QVERIFY(rule.setting.startsWith(QLatin1String("HUNTAZE_ALERT_")));
        QVERIFY(rule.measure);
    }
}

void AlertRulesTest::expositionIsReadBack() {
    const MetricSnapshot parsed = snapshot("# HELP a_total x\n# TYPE a_total counter\n"
                                           "a_total{provider=\"tiktok\",outcome=\"ok\"} 3\n"
                                           "a_total{provider=\"tiktok\",outcome=\"bad\\\"q\"} 2\n"
                                           "a_total{provider=\"x\",outcome=\"ok\"} 4\n"
                                           "g 7.5\nbroken{provider=\"x\" 1\n",
                                           0);
    QCOMPARE(parsed.samples().size(), 4);
    const Grouped byProvider = parsed.sum("a_total", {"provider"});
    QCOMPARE(byProvider.value("tiktok"), 5.0);
    QCOMPARE(byProvider.value("x"), 4.0);
    QCOMPARE(parsed.max("g", {}).value(QString()), 7.5);
    QCOMPARE(parsed.samples()[1].labels.value("outcome"), QString("bad\"q"));
}

void AlertRulesTest::counterRateFiresAfterForAndResolves() {
    AlertSettings settings;
    settings.forSeconds = 30;
    QList<AlertEvent> events;
    AlertEvaluator evaluator(alertRules(), settings,
                             [&events](const AlertEvent &event) { events.append(event); });
    const auto bad = [](int count) {
        return QByteArray("huntaze_webhooks_received_total{provider=\"tiktok\",outcome="
                          "\"bad_signature\"} ") +
               QByteArray::number(count) + "\n";
    };
    evaluator.evaluate(snapshot(bad(0), 1000));
    evaluator.evaluate(snapshot(bad(5), 1010)); // 5 is not more than 5
    QVERIFY(events.isEmpty());
    evaluator.evaluate(snapshot(bad(9), 1020)); // breaching: pending
    QVERIFY(events.isEmpty());
    evaluator.evaluate(snapshot(bad(9), 1049)); // 29 s: still pending
    QVERIFY(events.isEmpty());
    evaluator.evaluate(snapshot(bad(9), 1050)); // held 30 s: fires, once
    evaluator.evaluate(snapshot(bad(10), 1060));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].rule, QString("HuntazeWebhookSignatureFailures"));
    QCOMPARE(events[0].status, QString("firing"));
    QCOMPARE(events[0].labels.value("provider"), QString("tiktok"));
    QCOMPARE(events[0].value, 9.0);
    QCOMPARE(events[0].threshold, 5);
    QCOMPARE(events[0].summary, QString("tiktok: 9 webhooks with a bad signature"));
    QVERIFY(events[0].toJson().value("runbook").toString().contains("README.md#operations"));
    // Five minutes later nothing new arrived in the window: resolved.
    evaluator.evaluate(snapshot(bad(10), 1400));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].status, QString("resolved"));
    QCOMPARE(events[1].rule, QString("HuntazeWebhookSignatureFailures"));
}

void AlertRulesTest::ratioNeedsVolume() {
    AlertSettings settings;
    settings.forSeconds = 0;
    QList<AlertEvent> events;
    AlertEvaluator evaluator(alertRules(), settings,
                             [&events](const AlertEvent &event) { events.append(event); });
    const auto calls = [](int ok, int failed) {
        return QByteArray("huntaze_platform_calls_total{provider=\"x\",endpoint=\"e\",outcome="
                          "\"ok\"} ") +
               QByteArray::number(ok) +
               "\nhuntaze_platform_calls_total{provider=\"x\",endpoint=\"e\",outcome="
               "\"server_error\"} " +
               QByteArray::number(failed) + "\n";
    };
    evaluator.evaluate(snapshot(calls(0, 0), 0));
    evaluator.evaluate(snapshot(calls(0, 2), 10)); // 100% of 2 calls: too few to judge
    QVERIFY(events.isEmpty());
    evaluator.evaluate(snapshot(calls(2, 4), 20)); // 4 of 6 failed
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].rule, QString("HuntazePlatformErrorRate"));
    QCOMPARE(qRound(events[0].value), 67);
}

void AlertRulesTest::configuredThresholdWins() {
    AlertSettings settings;
    settings.forSeconds = 0;
    settings.thresholds.insert("HUNTAZE_ALERT_QUEUE_LAG_SECONDS", 10);
    QList<AlertEvent> events;
    AlertEvaluator evaluator(alertRules(), settings,
                             [&events](const AlertEvent &event) { events.append(event); });
    evaluator.evaluate(snapshot("huntaze_inbox_lag_seconds 9\n", 0));
    QVERIFY(events.isEmpty());
    evaluator.evaluate(snapshot("huntaze_inbox_lag_seconds 11\n", 1));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].rule, QString("HuntazeQueueLag"));
    QCOMPARE(events[0].threshold, 10);
    evaluator.evaluate(snapshot("huntaze_inbox_lag_seconds 0\n", 2));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].status, QString("resolved"));
}

void AlertRulesTest::webhookSignatureIsHmacOfTheBody() {
    const QByteArray body = R"({"alert":"HuntazeQueueLag"})";
    QCOMPARE(
        AlertWebhook::signatureOf("s3cret", body),
        "sha256=" +
            QMessageAuthenticationCode::hash(body, "s3cret", QCryptographicHash::Sha256).toHex());
}

QTEST_GUILESS_MAIN(AlertRulesTest)
#include "tst_alertrules.moc"
