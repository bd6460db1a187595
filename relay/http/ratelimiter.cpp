#include "ratelimiter.h"

#include <cmath>

namespace huntaze::relay {

void RateLimiter::setLimit(const QString &group, Limit limit) {
    std::lock_guard lock(m_mutex);
    m_limits.insert(group, limit);
}

bool RateLimiter::allow(const QString &group, const QString &client, int *retryAfterSeconds) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    const auto limit = m_limits.constFind(group);
    if (limit == m_limits.cend())
        return true;
    forgetIdle(now);
    const QString key = group + QLatin1Char('\n') + client;
    auto bucket = m_buckets.find(key);
    if (bucket == m_buckets.end())
        bucket = m_buckets.insert(key, Bucket{limit->burst, now});
    const double elapsed = std::chrono::duration<double>(now - bucket->updated).count();
    bucket->tokens = std::min(limit->burst, bucket->tokens + elapsed * limit->perSecond);
    bucket->updated = now;
    if (bucket->tokens >= 1) {
        bucket->tokens -= 1;
        return true;
    }
    *retryAfterSeconds = std::max(1, int(std::ceil((1 - bucket->tokens) / limit->perSecond)));
    return false;
}

void RateLimiter::forgetIdle(std::chrono::steady_clock::time_point now) {
    // Buckets that have refilled completely carry no information: drop them now and
    // then, so many distinct clients cannot grow the table without bound.
    if (now - m_lastCleanup < std::chrono::seconds(30))
        return;
    m_lastCleanup = now;
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        const Limit limit = m_limits.value(it.key().section(QLatin1Char('\n'), 0, 0));
        const double elapsed = std::chrono::duration<double>(now - it->updated).count();
        if (it->tokens + elapsed * limit.perSecond >= limit.burst)
            it = m_buckets.erase(it);
        else
            ++it;
    }
}

} // namespace huntaze::relay
