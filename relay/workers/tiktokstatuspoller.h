#pragma once

#include "jobs/ratelimiter.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <mutex>

namespace huntaze::relay {

class DatabasePool;
class OAuthBroker;
class OutboundHttp;

// Advances TikTok posts when no webhook comes (none configured, or delivery failing)
// and no desktop is looking: every interval it asks TikTok's status endpoint about posts
// still processing that nothing has updated for a while, and applies the answer as the
// webhook would (tiktok_posts, the publication, NOTIFY). It spends at most 10 of the 30
// status calls a minute TikTok allows per token, leaving the rest to the desktops.
class TikTokStatusPoller : public QObject {
    Q_OBJECT
public:
    TikTokStatusPoller(OAuthBroker &broker, DatabasePool &pool, OutboundHttp &http, QUrl apiBase,
                       int intervalSeconds, QObject *parent = nullptr);
    void start();
    void runOnce();

    static constexpr int kCallsPerMinutePerAccount = 10;

private:
    OAuthBroker &m_broker;
    DatabasePool &m_pool;
    OutboundHttp &m_http;
    QUrl m_apiBase;
    QTimer m_timer;
    bool m_running = false;
    std::mutex m_limiterMutex; // the limiter is used on a pool thread
    jobs::SlidingWindowLimiter m_limiter;
};

} // namespace huntaze::relay
