#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <chrono>
#include <mutex>
#include <optional>

namespace huntaze::reddit {

// What one answer's X-Ratelimit-* headers said (reddit.md, "Rate limit"): calls used and
// remaining in the current window, and seconds until it ends. Each is nullopt when absent
// or unreadable (negative, not a number); counts are capped at a million and the reset at
// an hour (Reddit's window is ten minutes), so a hostile header cannot stop calls for days.
struct RateLimitHeaders {
    std::optional<double> used;
    std::optional<double> remaining; // may arrive as "599.0"
    std::optional<double> resetSeconds;
    bool present() const { return remaining.has_value() && resetSeconds.has_value(); }
};

RateLimitHeaders parseRateLimitHeaders(const QByteArray &used, const QByteArray &remaining,
                                       const QByteArray &reset);

// Paces Reddit API calls from the rate-limit headers so normal use never meets a 429: the
// calls still allowed are spread evenly over the seconds left in the window, and at 0
// nothing goes until the window ends. Keyed by account (each one's calls are counted
// apart); shared by every caller in a process (thread-safe). Time is passed in, so the
// logic is testable without sleeping.
//
// Use: acquire() until it answers zero (wait what it says between tries), send the call,
// then record() its answer's headers - also when there was no answer, so the call no
// longer counts as in flight.
class RateLimitPacer {
public:
    using Clock = std::chrono::steady_clock;
    // Nothing known yet (first call, or the window ended): one call goes and finds out the
    // budget while the others wait this long between looks.
    static constexpr std::chrono::milliseconds kProbeWait{100};
    // A call in flight longer than this no longer holds the others back.
    static constexpr std::chrono::milliseconds kInFlightExpiry{60'000};
    // A 429 without usable headers stops calls this long.
    static constexpr std::chrono::seconds kTooManyWithoutReset{60};
    // Reddit sends whole seconds to the reset: the window may end up to a second later.
    static constexpr std::chrono::milliseconds kResetMargin{1000};

    // Zero: the call may go now and is counted as in flight. Otherwise how long to wait
    // before asking again (nothing is counted).
    std::chrono::milliseconds acquire(const QString &key, Clock::time_point now = Clock::now());
    // The answer to an acquired call: its status (0: none) and headers. A 429 stops the
    // account's calls until the window's reset.
    void record(const QString &key, int httpStatus, const RateLimitHeaders &headers,
                Clock::time_point now = Clock::now());

    // The even step between calls: `remaining` calls over `resetSeconds`, each one step
    // after the last, the window's last step left free (9 calls left with 60 s to go is
    // one every 6 s); with none left, the whole rest of the window.
    static std::chrono::milliseconds spacing(double remaining, double resetSeconds);

    struct Snapshot {
        bool known = false;   // headers seen for the current window
        double remaining = 0; // as last reported
        double used = 0;      // as last reported
        int inFlight = 0;     // acquired, not yet recorded
        qint64 msUntilReset = 0;
    };
    Snapshot snapshot(const QString &key, Clock::time_point now = Clock::now()) const;

private:
    struct Window {
        bool known = false;
        double remaining = 0;
        double used = 0;
        Clock::time_point resetAt;
        Clock::time_point lastGrant;
        bool granted = false;
        QList<Clock::time_point> inFlight; // when each call in flight was acquired
    };
    static void forgetStale(Window &window, Clock::time_point now);
    mutable std::mutex m_mutex;
    QHash<QString, Window> m_windows;
};

} // namespace huntaze::reddit
