#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>

namespace huntaze::jobs {

// A sliding-window limiter: at most `limit` calls in any `window` per key (a platform
// limit such as TikTok's 6 init calls a minute per access token). Callers ask how long
// to wait before the next call, wait, then record the call. Time is passed in, so the
// logic is testable without sleeping.
class SlidingWindowLimiter {
public:
    using Clock = std::chrono::steady_clock;

    SlidingWindowLimiter(int limit, std::chrono::milliseconds window)
        : m_limit(limit)
        , m_window(window) {}

    // Zero when a call may go now; otherwise how long until the oldest call leaves the window.
    std::chrono::milliseconds delayFor(const QString &key, Clock::time_point now) const;
    void record(const QString &key, Clock::time_point now);
    int limit() const { return m_limit; }

private:
    void forgetOld(const QString &key, Clock::time_point now);
    int m_limit;
    std::chrono::milliseconds m_window;
    QHash<QString, QList<Clock::time_point>> m_calls;
};

} // namespace huntaze::jobs
