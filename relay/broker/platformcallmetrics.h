#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace huntaze::relay {

// Records one finished platform call on /metrics: its outcome, its latency, whether it
// was a retry, and the rate-limit window the platform reported in its headers (X's
// x-rate-limit-*, Reddit's x-ratelimit-*) as huntaze_quota_used/huntaze_quota_limit.
struct PlatformCallMetrics {
    // "ok" (1xx-3xx), "unauthorized" (401), "rate_limited" (429), "client_error" (other
    // 4xx), "server_error" (5xx), "no_answer" (0: network error or timeout).
    static QString outcomeOf(int status);
    static void record(const QString &provider, const QString &endpoint, bool retry, int status,
                       double seconds, const QList<std::pair<QByteArray, QByteArray>> &headers);
};

} // namespace huntaze::relay
