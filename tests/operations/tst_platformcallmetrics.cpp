#include "broker/platformcallmetrics.h"
#include "log/metricsregistry.h"

#include <QTest>

using namespace huntaze;
using namespace huntaze::relay;

// Every platform call is recorded in one place: outcome, latency, retry, and the
// rate-limit window the platform reports, on the quota gauges dashboards and alerts read.
class PlatformCallMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void outcomesAreNamedByStatus();
    void callIsCountedTimedAndItsWindowRecorded();

private:
    static QByteArray metrics() { return log::MetricsRegistry::global().renderPrometheus(); }
};

void PlatformCallMetricsTest::outcomesAreNamedByStatus() {
    QCOMPARE(PlatformCallMetrics::outcomeOf(0), QString("no_answer"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(200), QString("ok"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(302), QString("ok"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(401), QString("unauthorized"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(429), QString("rate_limited"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(404), QString("client_error"));
    QCOMPARE(PlatformCallMetrics::outcomeOf(503), QString("server_error"));
}

void PlatformCallMetricsTest::callIsCountedTimedAndItsWindowRecorded() {
    PlatformCallMetrics::record("x", "tweets_lookup", false, 200, 0.3,
                                {{"X-Rate-Limit-Limit", "300"}, {"x-rate-limit-remaining", "30"}});
    PlatformCallMetrics::record("x", "tweets_lookup", true, 503, 12, {});
    PlatformCallMetrics::record("reddit", "submitted", false, 200, 0.1,
                                {{"x-ratelimit-used", "12.0"}, {"x-ratelimit-remaining", "588.0"}});
    PlatformCallMetrics::record("tiktok", "status_fetch", false, 200, 0.1,
                                {{"x-rate-limit-limit", "garbage"}});
    const QByteArray text = metrics();
    QVERIFY2(text.contains("huntaze_platform_calls_total{provider=\"x\",endpoint=\"tweets_lookup\","
                           "outcome=\"ok\"} 1"),
             text.constData());
    QVERIFY(text.contains("huntaze_platform_calls_total{provider=\"x\",endpoint=\"tweets_lookup\","
                          "outcome=\"server_error\"} 1"));
    QVERIFY(text.contains(
        "huntaze_platform_call_retries_total{provider=\"x\",endpoint=\"tweets_lookup\"} 1"));
    QVERIFY(text.contains(
        "huntaze_platform_call_retries_total{provider=\"reddit\",endpoint=\"submitted\"} 0"));
    QVERIFY(text.contains(
        "huntaze_platform_call_seconds_count{provider=\"x\",endpoint=\"tweets_lookup\"} 2"));
    QVERIFY(text.contains("huntaze_platform_call_seconds_bucket{provider=\"x\",endpoint=\"tweets_"
                          "lookup\",le=\"0.5\"} 1"));
    QVERIFY(text.contains("huntaze_quota_used{provider=\"x\",quota=\"tweets_lookup_window\"} 270"));
    QVERIFY(
        text.contains("huntaze_quota_limit{provider=\"x\",quota=\"tweets_lookup_window\"} 300"));
    QVERIFY(text.contains("huntaze_quota_used{provider=\"reddit\",quota=\"submitted_window\"} 12"));
    QVERIFY(
        text.contains("huntaze_quota_limit{provider=\"reddit\",quota=\"submitted_window\"} 600"));
    QVERIFY(!text.contains("quota=\"status_fetch_window\"")); // nothing readable: nothing set
}

QTEST_GUILESS_MAIN(PlatformCallMetricsTest)
#include "tst_platformcallmetrics.moc"
