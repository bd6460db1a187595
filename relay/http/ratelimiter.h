#pragma once

#include <QHash>
#include <QString>

#include <chrono>
#include <mutex>

namespace huntaze::relay {

// Token buckets per (route group, client). allow() takes one token; when none is left
// it says how long until one is, for the 429's Retry-After.
class RateLimiter {
public:
    struct Limit {
        double perSecond = 10;
        double burst = 20;
    };

    void setLimit(const QString &group, Limit limit);
    // true when allowed; otherwise *retryAfterSeconds is set (at least 1).
    bool allow(const QString &group, const QString &client, int *retryAfterSeconds);

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };
    void forgetIdle(std::chrono::steady_clock::time_point now);

    std::mutex m_mutex;
    QHash<QString, Limit> m_limits;
    QHash<QString, Bucket> m_buckets; // key: group + '\n' + client
    std::chrono::steady_clock::time_point m_lastCleanup;
};

} // namespace huntaze::relay
