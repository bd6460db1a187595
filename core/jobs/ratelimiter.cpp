#include "ratelimiter.h"

namespace huntaze::jobs {

std::chrono::milliseconds SlidingWindowLimiter::delayFor(const QString &key,
                                                         Clock::time_point now) const {
    const auto found = m_calls.constFind(key);
    if (found == m_calls.cend())
        return std::chrono::milliseconds(0);
    const QList<Clock::time_point> &calls = *found;
    int inWindow = 0;
    for (const auto &at : calls)
        if (now - at < m_window)
            ++inWindow;
    if (inWindow < m_limit)
        return std::chrono::milliseconds(0);
    // The (inWindow - limit + 1)-th oldest call in the window must leave it first.
    const int mustLeave = inWindow - m_limit;
    int seen = 0;
    for (const auto &at : calls) {
        if (now - at >= m_window)
            continue;
        if (seen++ == mustLeave)
            // +1 ms: the platform's window may be measured a little later than ours.
            return std::chrono::duration_cast<std::chrono::milliseconds>(at + m_window - now) +
                   std::chrono::milliseconds(1);
    }
    return std::chrono::milliseconds(0);
}

void SlidingWindowLimiter::record(const QString &key, Clock::time_point now) {
    forgetOld(key, now);
    m_calls[key].append(now);
}

void SlidingWindowLimiter::forgetOld(const QString &key, Clock::time_point now) {
    auto found = m_calls.find(key);
    if (found == m_calls.end())
        return;
    found->removeIf([&](const Clock::time_point &at) { return now - at >= m_window; });
}

} // namespace huntaze::jobs
