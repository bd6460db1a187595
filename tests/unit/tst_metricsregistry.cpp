#include "log/metricsregistry.h"

#include <QTest>

using namespace huntaze::log;

class MetricsRegistryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countersAndGaugesRenderWithHelpTypeAndLabels();
    void labelValuesAreEscaped();
    void histogramBucketsAreCumulativeWithInfSumAndCount();
    void sameNameAndLabelsReturnTheSameSeries();
    void misdeclaredMetricsWorkButAreNotExported();
};

void MetricsRegistryTest::countersAndGaugesRenderWithHelpTypeAndLabels() {
    MetricsRegistry registry;
    registry
        .counter(QStringLiteral("huntaze_webhooks_total"), QStringLiteral("Webhooks received."),
                 {{QStringLiteral("provider"), QStringLiteral("tiktok")},
                  {QStringLiteral("outcome"), QStringLiteral("accepted")}})
        .inc(3);
    registry.gauge(QStringLiteral("huntaze_queue_depth"), QStringLiteral("Pending events.")).set(7);
    const QByteArray text = registry.renderPrometheus();
    QVERIFY(text.contains("# HELP huntaze_webhooks_total Webhooks received.\n"));
    QVERIFY(text.contains("# TYPE huntaze_webhooks_total counter\n"));
    QVERIFY2(text.contains("huntaze_webhooks_total{provider=\"tiktok\",outcome=\"accepted\"} 3\n"),
             text);
    QVERIFY(text.contains("# TYPE huntaze_queue_depth gauge\n"));
    QVERIFY(text.contains("huntaze_queue_depth 7\n"));
}

void MetricsRegistryTest::labelValuesAreEscaped() {
    MetricsRegistry registry;
    registry
        .counter(QStringLiteral("m_total"), QStringLiteral("h"),
                 {{QStringLiteral("path"), QStringLiteral("a\"b\\c\nd")}})
        .inc();
    QVERIFY2(registry.renderPrometheus().contains("m_total{path=\"a\\\"b\\\\c\\nd\"} 1\n"),
             registry.renderPrometheus());
}

void MetricsRegistryTest::histogramBucketsAreCumulativeWithInfSumAndCount() {
    MetricsRegistry registry;
    Histogram &h = registry.histogram(QStringLiteral("lat_seconds"), QStringLiteral("Latency."),
                                      {{QStringLiteral("route"), QStringLiteral("x")}}, {0.1, 1});
    h.observe(0.05);
    h.observe(0.1); // upper bounds are inclusive
    h.observe(0.5);
    h.observe(5);
    const QByteArray text = registry.renderPrometheus();
    QVERIFY(text.contains("# TYPE lat_seconds histogram\n"));
    QVERIFY2(text.contains("lat_seconds_bucket{route=\"x\",le=\"0.10000000000000001\"} 2\n") ||
                 text.contains("lat_seconds_bucket{route=\"x\",le=\"0.1\"} 2\n"),
             text);
    QVERIFY2(text.contains("lat_seconds_bucket{route=\"x\",le=\"1\"} 3\n"), text);
    QVERIFY2(text.contains("lat_seconds_bucket{route=\"x\",le=\"+Inf\"} 4\n"), text);
    QVERIFY(text.contains("lat_seconds_sum{route=\"x\"} 5.6500000000000004\n") ||
            text.contains("lat_seconds_sum{route=\"x\"} 5.65\n"));
    QVERIFY(text.contains("lat_seconds_count{route=\"x\"} 4\n"));
}

void MetricsRegistryTest::sameNameAndLabelsReturnTheSameSeries() {
    MetricsRegistry registry;
    Counter &a = registry.counter(QStringLiteral("c_total"), QStringLiteral("h"),
                                  {{QStringLiteral("k"), QStringLiteral("v")}});
    Counter &b = registry.counter(QStringLiteral("c_total"), QStringLiteral("h"),
                                  {{QStringLiteral("k"), QStringLiteral("v")}});
    Counter &other = registry.counter(QStringLiteral("c_total"), QStringLiteral("h"),
                                      {{QStringLiteral("k"), QStringLiteral("w")}});
    QCOMPARE(&a, &b);
    QVERIFY(&a != &other);
}

void MetricsRegistryTest::misdeclaredMetricsWorkButAreNotExported() {
    MetricsRegistry registry;
    registry.counter(QStringLiteral("dual"), QStringLiteral("h")).inc();
    registry.gauge(QStringLiteral("dual"), QStringLiteral("h")).set(99); // wrong type
    registry.counter(QStringLiteral("bad name!"), QStringLiteral("h")).inc();
    registry
        .counter(QStringLiteral("ok_total"), QStringLiteral("h"),
                 {{QStringLiteral("le"), QStringLiteral("x")}})
        .inc();
    const QByteArray text = registry.renderPrometheus();
    QVERIFY(text.contains("dual 1\n"));
    QVERIFY(!text.contains("99"));
    QVERIFY(!text.contains("bad name"));
    QVERIFY(!text.contains("ok_total"));
}

QTEST_GUILESS_MAIN(MetricsRegistryTest)
#include "tst_metricsregistry.moc"
