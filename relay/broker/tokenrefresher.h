#pragma once

#include <QObject>
#include <QTimer>

namespace huntaze::relay {

class DatabasePool;
class OAuthBroker;

// Renews access tokens ahead of expiry: every interval it looks for active accounts
// expiring within ten minutes (Meta's long-lived tokens: within a week) and refreshes
// each under its row lock. A refused grant marks the account needs_reconnect; anything
// temporary is simply tried again next round.
class TokenRefresher : public QObject {
    Q_OBJECT
public:
    TokenRefresher(OAuthBroker &broker, DatabasePool &pool, int intervalSeconds,
                   QObject *parent = nullptr);
    void start();
    void runOnce();

private:
    OAuthBroker &m_broker;
    DatabasePool &m_pool;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace huntaze::relay
