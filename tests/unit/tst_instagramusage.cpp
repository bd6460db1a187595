#include "platforms/instagram/instagramusage.h"

#include <QTest>

using huntaze::instagram::parseUsageHeaders;
using huntaze::instagram::UsageGovernor;
using huntaze::instagram::UsageReport;

namespace {

const QDateTime kStart = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

UsageReport account(int percent, int regainMinutes = 0) {
    UsageReport report;
    report.accountPercent = percent;
    report.regainMinutes = regainMinutes;
    return report;
}

} // namespace

class InstagramUsageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realHeadersAreRead();
    void theHighestFigureCountsAcrossEntriesAndIds();
    void brokenHeadersReadAsAbsent_data();
    void brokenHeadersReadAsAbsent();
    void outlandishNumbersAreClamped();
    void slowdownStartsAt75AndOnlyGrows();
    void slowdownIsASpacingFromTheLastAnswer();
    void at100CallsStopUntilTheRegainTime();
    void at100WithoutARegainTimeCallsStopForTheDefault();
    void theAppReadingSlowsEveryAccountButAccountsStayApart();
    void aLowerReadingLiftsABlock();
    void anAbsentReadingChangesNothing();
};

void InstagramUsageTest::realHeadersAreRead() {
    // As Meta sends them (Graph API "Rate limiting" examples).
    const UsageReport report =
        parseUsageHeaders(R"({"call_count":28,"total_time":25,"total_cputime":25})",
                          R"({"17841400000000001":[{"type":"instagram","call_count":95,)"
                          R"("total_cputime":20,"total_time":30,)"
                          R"("estimated_time_to_regain_access":0}]})");
    QCOMPARE(report.appPercent, 28);
    QCOMPARE(report.accountPercent, 95);
    QCOMPARE(report.regainMinutes, 0);
    QVERIFY(report.present());
    const UsageReport blocked = parseUsageHeaders(
        {}, R"({"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":5,)"
            R"("total_time":5,"estimated_time_to_regain_access":17}]})");
    QCOMPARE(blocked.appPercent, -1);
    QCOMPARE(blocked.accountPercent, 100);
    QCOMPARE(blocked.regainMinutes, 17);
}

void InstagramUsageTest::theHighestFigureCountsAcrossEntriesAndIds() {
    const UsageReport report = parseUsageHeaders(
        R"({"call_count":3,"total_time":41,"total_cputime":7})",
        R"({"1":[{"call_count":10},{"total_time":60,"estimated_time_to_regain_access":2}],)"
        R"("2":[{"total_cputime":70,"estimated_time_to_regain_access":9}]})");
    QCOMPARE(report.appPercent, 41);
    QCOMPARE(report.accountPercent, 70);
    QCOMPARE(report.regainMinutes, 9);
}

void InstagramUsageTest::brokenHeadersReadAsAbsent_data() {
    QTest::addColumn<QByteArray>("app");
    QTest::addColumn<QByteArray>("business");
    QTest::newRow("absent") << QByteArray() << QByteArray();
    QTest::newRow("not json") << QByteArray("call_count=28") << QByteArray("{oops");
    QTest::newRow("truncated") << QByteArray(R"({"call_count":2)")
                               << QByteArray(R"({"1":[{"call_count":9)");
    QTest::newRow("arrays") << QByteArray("[28]") << QByteArray(R"([{"call_count":9}])");
    QTest::newRow("strings") << QByteArray(R"({"call_count":"28"})")
                             << QByteArray(R"({"1":[{"call_count":"95"}]})");
    QTest::newRow("wrong nesting")
        << QByteArray(R"({"usage":{"call_count":28}})") << QByteArray(R"({"1":{"call_count":95}})");
    QTest::newRow("oversized") << QByteArray(R"({"call_count":28,"pad":")") +
                                      QByteArray(5000, 'a') + QByteArray(R"("})")
                               << QByteArray(R"({"1":[{"call_count":9,"pad":")") +
                                      QByteArray(70000, 'a') + QByteArray(R"("}]})");
}

void InstagramUsageTest::brokenHeadersReadAsAbsent() {
    QFETCH(QByteArray, app);
    QFETCH(QByteArray, business);
    const UsageReport report = parseUsageHeaders(app, business);
    QCOMPARE(report.appPercent, -1);
    QCOMPARE(report.accountPercent, -1);
    QCOMPARE(report.regainMinutes, 0);
    QVERIFY(!report.present());
}

void InstagramUsageTest::outlandishNumbersAreClamped() {
    const UsageReport report = parseUsageHeaders(
        R"({"call_count":5000})",
        R"({"1":[{"call_count":-40,"estimated_time_to_regain_access":1000000}]})");
    QCOMPARE(report.appPercent, 1000);
    QCOMPARE(report.accountPercent, 0);
    QCOMPARE(report.regainMinutes, 24 * 60);
}

void InstagramUsageTest::slowdownStartsAt75AndOnlyGrows() {
    QCOMPARE(UsageGovernor::slowdownMs(-1), 0);
    QCOMPARE(UsageGovernor::slowdownMs(0), 0);
    QCOMPARE(UsageGovernor::slowdownMs(UsageGovernor::kSlowFromPercent - 1), 0);
    QVERIFY(UsageGovernor::slowdownMs(UsageGovernor::kSlowFromPercent) > 0);
    qint64 previous = 0;
    for (int percent = 0; percent <= 120; ++percent) {
        const qint64 wait = UsageGovernor::slowdownMs(percent);
        QVERIFY2(wait >= previous, qPrintable(QString::number(percent)));
        previous = wait;
    }
    QVERIFY(UsageGovernor::slowdownMs(99) <= UsageGovernor::kLongestSlowdownMs);
    QCOMPARE(UsageGovernor::slowdownMs(100), qint64(UsageGovernor::kStopMinutes) * 60'000);
}

void InstagramUsageTest::slowdownIsASpacingFromTheLastAnswer() {
    UsageGovernor governor;
    QCOMPARE(governor.delayMs("ig", kStart), 0);
    governor.record("ig", account(90), kStart);
    const qint64 spacing = UsageGovernor::slowdownMs(90);
    QVERIFY(spacing > 0);
    QCOMPARE(governor.delayMs("ig", kStart), spacing);
    QCOMPARE(governor.delayMs("ig", kStart.addMSecs(spacing / 2)), spacing - spacing / 2);
    QCOMPARE(governor.delayMs("ig", kStart.addMSecs(spacing)), 0);
    QCOMPARE(governor.lastPercent("ig"), 90);
}

void InstagramUsageTest::at100CallsStopUntilTheRegainTime() {
    UsageGovernor governor;
    governor.record("ig", account(100, 5), kStart);
    QCOMPARE(governor.delayMs("ig", kStart), 5 * 60'000);
    QCOMPARE(governor.delayMs("ig", kStart.addSecs(4 * 60)), 60'000);
    QCOMPARE(governor.delayMs("ig", kStart.addSecs(5 * 60)), 0);
    QCOMPARE(governor.delayMs("ig", kStart.addSecs(6 * 60)), 0);
}

void InstagramUsageTest::at100WithoutARegainTimeCallsStopForTheDefault() {
    UsageGovernor governor;
    governor.record("ig", account(100), kStart);
    QCOMPARE(governor.delayMs("ig", kStart), qint64(UsageGovernor::kStopMinutes) * 60'000);
}

void InstagramUsageTest::theAppReadingSlowsEveryAccountButAccountsStayApart() {
    UsageGovernor governor;
    governor.record("busy", account(100, 3), kStart);
    QVERIFY(governor.delayMs("busy", kStart) > 0);
    QCOMPARE(governor.delayMs("quiet", kStart), 0);
    UsageReport app;
    app.appPercent = 100;
    governor.record("quiet", app, kStart);
    QVERIFY(governor.delayMs("other", kStart) > 0);
    QVERIFY(governor.delayMs("", kStart) > 0);
    QCOMPARE(governor.lastPercent("other"), 100);
}

void InstagramUsageTest::aLowerReadingLiftsABlock() {
    UsageGovernor governor;
    governor.record("ig", account(100, 30), kStart);
    governor.record("ig", account(40), kStart.addSecs(60));
    QCOMPARE(governor.delayMs("ig", kStart.addSecs(60)), 0);
}

void InstagramUsageTest::anAbsentReadingChangesNothing() {
    UsageGovernor governor;
    governor.record("ig", account(100, 2), kStart);
    governor.record("ig", UsageReport{}, kStart.addSecs(10));
    QCOMPARE(governor.delayMs("ig", kStart.addSecs(10)), 110'000);
    // Another account has no reading of its own, and the app none at all.
    QCOMPARE(governor.lastPercent("nobody-else"), -1);
}

QTEST_GUILESS_MAIN(InstagramUsageTest)
#include "tst_instagramusage.moc"
