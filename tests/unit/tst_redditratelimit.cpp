#include "platforms/reddit/redditratelimit.h"

#include <QTest>

#include <atomic>
#include <functional>
#include <map>
#include <thread>
#include <vector>

using namespace huntaze::reddit;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using Clock = RateLimitPacer::Clock;

namespace {

RateLimitHeaders headers(double remaining, double reset, double used = 0) {
    RateLimitHeaders h;
    h.used = used;
    h.remaining = remaining;
    h.resetSeconds = reset;
    return h;
}

// A fixed origin, so every test reads as "t0 + ...".
const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1000);

} // namespace

// The Reddit pacer: X-Ratelimit-* parsing, the even spreading of the remaining calls over
// the window, the stop at zero, and that a burst never meets a 429.
class RedditRateLimitTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headersAreParsed_data();
    void headersAreParsed();
    void spacingSpreadsTheRemainingCallsOverTheReset_data();
    void spacingSpreadsTheRemainingCallsOverTheReset();
    void firstCallFindsOutTheBudgetWhileTheOthersWait();
    void callsAreSpacedEvenlyOverTheWindow();
    void nothingGoesAtZeroUntilTheWindowEnds();
    void callsInFlightCountAgainstTheBudget();
    void tooManyRequestsStopsCallsUntilTheReset();
    void lateAnswersNeverRaiseTheBudget();
    void accountsArePacedApart();
    void aCallThatNeverEndsStopsHoldingOthersBack();
    void hostileHeadersCannotStopCallsForDays();
    void answersWithoutHeadersChangeNothing();
    void aBurstStaysUnderTheLimit_data();
    void aBurstStaysUnderTheLimit();
    void concurrentCallersAreGrantedOneAtATime();
};

void RedditRateLimitTest::headersAreParsed_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<double>("value"); // -1: unreadable
    QTest::newRow("integer") << QByteArray("12") << 12.0;
    QTest::newRow("decimal string") << QByteArray("599.0") << 599.0;
    QTest::newRow("fraction") << QByteArray("0.5") << 0.5;
    QTest::newRow("spaces") << QByteArray("  7 ") << 7.0;
    QTest::newRow("zero") << QByteArray("0") << 0.0;
    QTest::newRow("absent") << QByteArray() << -1.0;
    QTest::newRow("text") << QByteArray("lots") << -1.0;
    QTest::newRow("negative") << QByteArray("-3") << -1.0;
    QTest::newRow("nan") << QByteArray("nan") << -1.0;
    QTest::newRow("inf") << QByteArray("inf") << -1.0;
    QTest::newRow("two numbers") << QByteArray("5, 6") << -1.0;
    QTest::newRow("very long") << QByteArray(100, '1') << -1.0;
}

void RedditRateLimitTest::headersAreParsed() {
    QFETCH(QByteArray, raw);
    QFETCH(double, value);
    const RateLimitHeaders h = parseRateLimitHeaders(raw, raw, raw);
    if (value < 0) {
        QVERIFY(!h.used && !h.remaining && !h.resetSeconds);
        QVERIFY(!h.present());
    } else {
        QCOMPARE(*h.used, value);
        QCOMPARE(*h.remaining, value);
        QCOMPARE(*h.resetSeconds, value);
        QVERIFY(h.present());
    }
    // Caps: counts at a million, the reset at an hour.
    const RateLimitHeaders huge = parseRateLimitHeaders("1e300", "1e300", "1e300");
    QCOMPARE(*huge.used, 1e6);
    QCOMPARE(*huge.remaining, 1e6);
    QCOMPARE(*huge.resetSeconds, 3600.0);
    // Remaining without a reset (or the reverse) cannot pace anything.
    QVERIFY(!parseRateLimitHeaders("1", "5", "").present());
    QVERIFY(!parseRateLimitHeaders("1", "", "5").present());
}

void RedditRateLimitTest::spacingSpreadsTheRemainingCallsOverTheReset_data() {
    QTest::addColumn<double>("remaining");
    QTest::addColumn<double>("reset");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("9 calls in a minute") << 9.0 << 60.0 << qint64(6000);
    QTest::newRow("Reddit's full window") << 999.0 << 600.0 << qint64(600);
    QTest::newRow("100 a minute") << 99.0 << 60.0 << qint64(600);
    QTest::newRow("rounded up to the ms") << 10.0 << 60.0 << qint64(5455);
    QTest::newRow("one left: halfway") << 1.0 << 42.0 << qint64(21000);
    QTest::newRow("a fraction left rounds down") << 2.7 << 9.0 << qint64(3000);
    QTest::newRow("none left: the whole window") << 0.0 << 30.0 << qint64(30000);
    QTest::newRow("half a call: none") << 0.5 << 30.0 << qint64(30000);
    QTest::newRow("window over") << 5.0 << 0.0 << qint64(0);
}

void RedditRateLimitTest::spacingSpreadsTheRemainingCallsOverTheReset() {
    QFETCH(double, remaining);
    QFETCH(double, reset);
    QFETCH(qint64, ms);
    QCOMPARE(RateLimitPacer::spacing(remaining, reset).count(), ms);
}

void RedditRateLimitTest::firstCallFindsOutTheBudgetWhileTheOthersWait() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("alice", t0), 0ms);
    QCOMPARE(pacer.acquire("alice", t0), RateLimitPacer::kProbeWait);
    QCOMPARE(pacer.acquire("alice", t0 + 50ms), RateLimitPacer::kProbeWait);
    QCOMPARE(pacer.snapshot("alice", t0).inFlight, 1);
    pacer.record("alice", 200, headers(999, 600, 1), t0 + 80ms);
    const auto snapshot = pacer.snapshot("alice", t0 + 80ms);
    QVERIFY(snapshot.known);
    QCOMPARE(snapshot.remaining, 999.0);
    QCOMPARE(snapshot.used, 1.0);
    QCOMPARE(snapshot.inFlight, 0);
    QCOMPARE(snapshot.msUntilReset, 601'000); // the reset plus a second of rounding
    // The budget is known: the next call goes once the spacing has passed.
    QCOMPARE(pacer.acquire("alice", t0 + 1s), 0ms);
}

void RedditRateLimitTest::callsAreSpacedEvenlyOverTheWindow() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, headers(9, 59), t0); // the window ends at t0 + 60 s
    // 9 calls over 60 s: one every 6 s, counted from the last one.
    QCOMPARE(pacer.acquire("k", t0), 6000ms);
    QCOMPARE(pacer.acquire("k", t0 + 5999ms), 1ms);
    QCOMPARE(pacer.acquire("k", t0 + 6s), 0ms);
    pacer.record("k", 200, headers(8, 53), t0 + 6s);
    // 8 left over 54 s: again 6 s.
    QCOMPARE(pacer.acquire("k", t0 + 6s), 6000ms);
    QCOMPARE(pacer.acquire("k", t0 + 12s), 0ms);
}

void RedditRateLimitTest::nothingGoesAtZeroUntilTheWindowEnds() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, headers(0, 30, 1000), t0);
    QCOMPARE(pacer.acquire("k", t0), 31000ms);
    QCOMPARE(pacer.acquire("k", t0 + 20s), 11000ms);
    QCOMPARE(pacer.acquire("k", t0 + 30999ms), 1ms);
    // A new window: one call finds out its budget.
    QCOMPARE(pacer.acquire("k", t0 + 31s), 0ms);
    QCOMPARE(pacer.acquire("k", t0 + 31s), RateLimitPacer::kProbeWait);
}

void RedditRateLimitTest::callsInFlightCountAgainstTheBudget() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, headers(2, 9), t0);  // two left; the window ends at t0 + 10 s
    QCOMPARE(pacer.acquire("k", t0 + 6s), 0ms); // 2 over 10 s: a step of 3.3 s
    QCOMPARE(pacer.snapshot("k", t0 + 6s).inFlight, 1);
    // 1 (2 minus the one in flight) over the 4 s left: a step of 2 s.
    QCOMPARE(pacer.acquire("k", t0 + 7999ms), 1ms);
    QCOMPARE(pacer.acquire("k", t0 + 9s), 0ms);
    // Both in flight use up the two: nothing more until the window ends.
    QCOMPARE(pacer.acquire("k", t0 + 9500ms), 500ms);
    pacer.record("k", 200, headers(1, 0), t0 + 9600ms);
    QCOMPARE(pacer.acquire("k", t0 + 9600ms), 400ms);
}

void RedditRateLimitTest::tooManyRequestsStopsCallsUntilTheReset() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 429, headers(0, 20, 1000), t0);
    QCOMPARE(pacer.acquire("k", t0), 21000ms);
    RateLimitPacer bare;
    QCOMPARE(bare.acquire("k", t0), 0ms);
    bare.record("k", 429, RateLimitHeaders(), t0); // a 429 with no headers at all
    QCOMPARE(bare.acquire("k", t0), 61000ms);
    // Even when the headers claimed calls were left.
    RateLimitPacer lying;
    QCOMPARE(lying.acquire("k", t0), 0ms);
    lying.record("k", 429, headers(500, 10), t0);
    QCOMPARE(lying.acquire("k", t0), 11000ms);
}

void RedditRateLimitTest::lateAnswersNeverRaiseTheBudget() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, headers(5, 60), t0);
    // An earlier call's answer, arriving after: same window, more remaining.
    pacer.record("k", 200, headers(9, 60), t0 + 100ms);
    QCOMPARE(pacer.snapshot("k", t0 + 100ms).remaining, 5.0);
    // An answer from the window before (it ended as it was sent): no news.
    pacer.record("k", 200, headers(900, 0), t0 + 200ms);
    QCOMPARE(pacer.snapshot("k", t0 + 200ms).remaining, 5.0);
    QCOMPARE(pacer.snapshot("k", t0 + 200ms).msUntilReset, 60'800);
}

void RedditRateLimitTest::accountsArePacedApart() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("alice", t0), 0ms);
    pacer.record("alice", 200, headers(0, 300), t0);
    QVERIFY(pacer.acquire("alice", t0) > 0ms);
    QCOMPARE(pacer.acquire("bob", t0), 0ms);
    QVERIFY(!pacer.snapshot("carol", t0).known);
}

void RedditRateLimitTest::aCallThatNeverEndsStopsHoldingOthersBack() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms); // never recorded
    QCOMPARE(pacer.acquire("k", t0 + 59s), RateLimitPacer::kProbeWait);
    QCOMPARE(pacer.acquire("k", t0 + RateLimitPacer::kInFlightExpiry), 0ms);
}

void RedditRateLimitTest::hostileHeadersCannotStopCallsForDays() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, parseRateLimitHeaders("1", "0", "999999999999"), t0);
    QCOMPARE(pacer.acquire("k", t0), 3601000ms);
}

void RedditRateLimitTest::answersWithoutHeadersChangeNothing() {
    RateLimitPacer pacer;
    QCOMPARE(pacer.acquire("k", t0), 0ms);
    pacer.record("k", 200, headers(100, 60), t0);
    QCOMPARE(pacer.acquire("k", t0 + 1s), 0ms);
    // A proxy's 503, a dropped connection: no headers, the budget stands.
    pacer.record("k", 503, RateLimitHeaders(), t0 + 1100ms);
    pacer.record("k", 0, RateLimitHeaders(), t0 + 1200ms);
    const auto snapshot = pacer.snapshot("k", t0 + 1200ms);
    QVERIFY(snapshot.known);
    QCOMPARE(snapshot.remaining, 100.0);
    QCOMPARE(snapshot.inFlight, 0);
}

void RedditRateLimitTest::aBurstStaysUnderTheLimit_data() {
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("windowSeconds");
    QTest::addColumn<int>("calls");
    QTest::addColumn<int>("workers");
    QTest::addColumn<int>("usedBefore"); // calls made before the burst (other programs)
    QTest::newRow("Reddit's 100 a minute, 250 calls, 8 at once") << 100 << 60 << 250 << 8 << 0;
    QTest::newRow("1000 per 10 minutes, 40 calls, nearly used up") << 1000 << 600 << 40 << 4 << 990;
    QTest::newRow("tiny window") << 5 << 10 << 30 << 3 << 4;
}

// A simulated Reddit (a fixed window, headers on every answer, 429 over the limit) and
// workers calling as fast as the pacer lets them, with 50 ms round trips.
void RedditRateLimitTest::aBurstStaysUnderTheLimit() {
    QFETCH(int, limit);
    QFETCH(int, windowSeconds);
    QFETCH(int, calls);
    QFETCH(int, workers);
    QFETCH(int, usedBefore);
    const qint64 windowMs = qint64(windowSeconds) * 1000;
    RateLimitPacer pacer;
    std::multimap<qint64, std::function<void()>> events;
    // The burst starts a third into a window that has already seen usedBefore calls.
    qint64 now = windowMs / 3;
    qint64 windowStart = 0;
    int used = usedBefore;
    int done = 0;
    int tooMany = 0;
    int started = 0;
    const auto at = [&](qint64 ms) { return t0 + milliseconds(ms); };
    std::function<void()> work = [&] {
        if (started >= calls)
            return;
        const milliseconds wait = pacer.acquire("acct", at(now));
        if (wait > 0ms) {
            events.emplace(now + wait.count(), work);
            return;
        }
        ++started;
        events.emplace(now + 25, [&] {
            // Reddit counts the call.
            if (now - windowStart >= windowMs) {
                windowStart = now - now % windowMs;
                used = 0;
            }
            const qint64 reset = (windowStart + windowMs - now) / 1000; // whole seconds
            int status = 200;
            if (used >= limit)
                status = 429;
            else
                ++used;
            const RateLimitHeaders h = headers(limit - used, double(reset), used);
            events.emplace(now + 25, [&, status, h] {
                pacer.record("acct", status, h, at(now));
                if (status == 429) {
                    ++tooMany;
                    --started; // not done: it must be made again
                } else {
                    ++done;
                }
                work();
            });
        });
    };
    for (int i = 0; i < workers; ++i)
        events.emplace(now, work);
    while (!events.empty() && now < 100LL * windowMs) {
        auto first = events.begin();
        now = first->first;
        auto event = std::move(first->second);
        events.erase(first);
        event();
    }
    QCOMPARE(tooMany, 0);
    QCOMPARE(done, calls);
    // No slower than needed: each window's budget is used within that window.
    const int windowsNeeded = (calls + usedBefore) / limit + 1;
    QVERIFY2(now <= qint64(windowsNeeded + 1) * windowMs,
             qPrintable(QString("took %1 ms").arg(now)));
}

void RedditRateLimitTest::concurrentCallersAreGrantedOneAtATime() {
    RateLimitPacer pacer;
    std::atomic<int> grants = 0;
    const auto storm = [&](Clock::time_point when) {
        grants = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 2000; ++i)
                    if (pacer.acquire("shared", when) == 0ms) {
                        ++grants;
                        pacer.record("shared", 200, headers(1000, 600), when);
                    }
            });
        for (auto &thread : threads)
            thread.join();
        return grants.load();
    };
    // The probe, then nothing at the same instant (spacing 0.6 s)...
    QCOMPARE(storm(t0), 1);
    // ... and one more per spacing.
    QCOMPARE(storm(t0 + 10s), 1);
    QCOMPARE(pacer.snapshot("shared", t0 + 10s).inFlight, 0);
}

QTEST_GUILESS_MAIN(RedditRateLimitTest)
#include "tst_redditratelimit.moc"
