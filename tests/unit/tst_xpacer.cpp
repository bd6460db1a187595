#include "platforms/x/xpacer.h"

#include <QTest>

using namespace huntaze::x;

namespace {

constexpr qint64 kNowSecs = 1'760'000'000;
constexpr qint64 kNowMs = kNowSecs * 1000;
const QString kPost = "tweets.create";
const QString kAlice = "1500000000000000001";
const QString kBob = "1500000000000000002";

RateWindow window(int remaining, qint64 reset, int limit = 100) {
    RateWindow w;
    w.limit = limit;
    w.remaining = remaining;
    w.resetEpoch = reset;
    return w;
}

RateLimits windowOnly(int remaining, qint64 reset) {
    RateLimits limits;
    limits.window = window(remaining, reset);
    return limits;
}

bool goesNow(const XPacer &pacer, const QString &endpoint, const QString &account, qint64 nowMs) {
    return pacer.holdFor(endpoint, account, nowMs).untilMs <= nowMs;
}

} // namespace

// XPacer: what X's rate-limit headers said decides when the next call may go, per
// endpoint and account, so that normal use never meets a 429.
class XPacerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unknownWindowsLetCallsGo();
    void anExhaustedWindowHoldsUntilItsResetPlusAMargin();
    void callsInFlightCountAgainstWhatIsLeft();
    void windowsAreKeptPerEndpointAndAccount();
    void lateAnswersNeverRaiseWhatIsLeft();
    void aNewWindowReplacesTheOldOne();
    void aPassedResetFreesTheWindow();
    void userDailyCapHoldsOnlyThatAccount();
    void appDailyCapHoldsEveryAccount();
    void theLatestResetDecidesWhenSeveralLimitsHold();
    void aResetlessHoldIsHonoured();
    void unreportedLimitsChangeNothing();
};

void XPacerTest::unknownWindowsLetCallsGo() {
    XPacer pacer;
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
    pacer.sent(kPost, kAlice, kNowMs); // nothing known: nothing to count against
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
}

void XPacerTest::anExhaustedWindowHoldsUntilItsResetPlusAMargin() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(0, kNowSecs + 600));
    const XPacer::Hold hold = pacer.holdFor(kPost, kAlice, kNowMs);
    QCOMPARE(hold.untilMs, (kNowSecs + 600) * 1000 + XPacer::kMarginMs);
    QCOMPARE(hold.kind, LimitKind::Window);
    QCOMPARE(hold.resetEpoch, kNowSecs + 600);
    QVERIFY(goesNow(pacer, kPost, kAlice, hold.untilMs));
}

void XPacerTest::callsInFlightCountAgainstWhatIsLeft() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(2, kNowSecs + 600));
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
    pacer.sent(kPost, kAlice, kNowMs);
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
    pacer.sent(kPost, kAlice, kNowMs);
    // Two calls are on their way; neither has answered: the window is used up.
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
}

void XPacerTest::windowsAreKeptPerEndpointAndAccount() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(0, kNowSecs + 600));
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
    QVERIFY(goesNow(pacer, kPost, kBob, kNowMs));
    QVERIFY(goesNow(pacer, "media.append", kAlice, kNowMs));
}

void XPacerTest::lateAnswersNeverRaiseWhatIsLeft() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(0, kNowSecs + 600));
    // An answer sent earlier in the same window arrives last.
    pacer.answered(kPost, kAlice, windowOnly(5, kNowSecs + 600));
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
    // And one about an earlier window says nothing new.
    pacer.answered(kPost, kAlice, windowOnly(50, kNowSecs - 300));
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
}

void XPacerTest::aNewWindowReplacesTheOldOne() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(0, kNowSecs + 60));
    pacer.answered(kPost, kAlice, windowOnly(99, kNowSecs + 960));
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
}

void XPacerTest::aPassedResetFreesTheWindow() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(1, kNowSecs + 60));
    pacer.sent(kPost, kAlice, kNowMs);
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
    const qint64 later = (kNowSecs + 62) * 1000;
    QVERIFY(goesNow(pacer, kPost, kAlice, later));
    pacer.sent(kPost, kAlice, later); // the old window is forgotten, not counted down
    QVERIFY(goesNow(pacer, kPost, kAlice, later));
}

void XPacerTest::userDailyCapHoldsOnlyThatAccount() {
    XPacer pacer;
    RateLimits limits = windowOnly(80, kNowSecs + 600);
    limits.userDay = window(0, kNowSecs + 20 * 3600, 2400);
    pacer.answered(kPost, kAlice, limits);
    const XPacer::Hold hold = pacer.holdFor(kPost, kAlice, kNowMs);
    QCOMPARE(hold.kind, LimitKind::UserDay);
    QCOMPARE(hold.resetEpoch, kNowSecs + 20 * 3600);
    QVERIFY(goesNow(pacer, kPost, kBob, kNowMs));
}

void XPacerTest::appDailyCapHoldsEveryAccount() {
    XPacer pacer;
    RateLimits limits;
    limits.appDay = window(0, kNowSecs + 3600, 10000);
    pacer.answered(kPost, kAlice, limits);
    QCOMPARE(pacer.holdFor(kPost, kAlice, kNowMs).kind, LimitKind::AppDay);
    QCOMPARE(pacer.holdFor(kPost, kBob, kNowMs).kind, LimitKind::AppDay);
    QVERIFY(!goesNow(pacer, kPost, kBob, kNowMs));
    QVERIFY(goesNow(pacer, "tweets.lookup", kBob, kNowMs));
}

void XPacerTest::theLatestResetDecidesWhenSeveralLimitsHold() {
    XPacer pacer;
    RateLimits limits = windowOnly(0, kNowSecs + 600);
    limits.userDay = window(0, kNowSecs + 7200, 2400);
    limits.appDay = window(0, kNowSecs + 3600, 10000);
    pacer.answered(kPost, kAlice, limits);
    const XPacer::Hold hold = pacer.holdFor(kPost, kAlice, kNowMs);
    QCOMPARE(hold.kind, LimitKind::UserDay);
    QCOMPARE(hold.untilMs, (kNowSecs + 7200) * 1000 + XPacer::kMarginMs);
}

void XPacerTest::aResetlessHoldIsHonoured() {
    XPacer pacer;
    pacer.holdUntil(kPost, kAlice, kNowSecs + 60);
    QVERIFY(!goesNow(pacer, kPost, kAlice, kNowMs));
    QVERIFY(goesNow(pacer, kPost, kAlice, (kNowSecs + 62) * 1000));
    // It never shortens a longer hold already known.
    pacer.answered(kPost, kBob, windowOnly(0, kNowSecs + 900));
    pacer.holdUntil(kPost, kBob, kNowSecs + 60);
    QCOMPARE(pacer.holdFor(kPost, kBob, kNowMs).resetEpoch, kNowSecs + 900);
}

void XPacerTest::unreportedLimitsChangeNothing() {
    XPacer pacer;
    pacer.answered(kPost, kAlice, windowOnly(3, kNowSecs + 600));
    RateLimits nothing;
    nothing.window.remaining = 0; // no reset: not reported
    pacer.answered(kPost, kAlice, nothing);
    QVERIFY(goesNow(pacer, kPost, kAlice, kNowMs));
}

QTEST_GUILESS_MAIN(XPacerTest)
#include "tst_xpacer.moc"
