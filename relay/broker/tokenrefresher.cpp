#include "tokenrefresher.h"

#include "databasepool.h"
#include "log/logger.h"
#include "oauthbroker.h"
#include "store/pgconnection.h"

#include <atomic>

namespace huntaze::relay {

TokenRefresher::TokenRefresher(OAuthBroker &broker, DatabasePool &pool, int intervalSeconds,
                               QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_pool(pool) {
    m_timer.setInterval(qMax(1, intervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &TokenRefresher::runOnce);
}

void TokenRefresher::start() {
    m_timer.start();
    runOnce();
}

void TokenRefresher::runOnce() {
    if (m_running)
        return;
    m_running = true;
    m_pool.submit([this](Result<store::PgConnection *> db) {
        if (db) {
            auto due = (*db)->exec(QStringLiteral(
                "SELECT id, provider FROM oauth_accounts WHERE status = 'active' AND "
                "access_expires_at IS NOT NULL AND "
                "((refresh_token_sealed IS NOT NULL AND access_expires_at < now() + "
                "interval '10 minutes') OR "
                " (provider = 'instagram' AND access_expires_at < now() + interval "
                "'7 days')) ORDER BY access_expires_at LIMIT 500"));
            for (int row = 0; due && row < due->rows(); ++row) {
                const qint64 id = due->int64(row, 0);
                // Meta's long-lived tokens are renewed a week ahead: an expired one cannot be.
                const qint64 margin =
                    due->text(row, 1) == QLatin1String("instagram") ? 7 * 86400 : 600;
                auto outcome = m_broker.refreshIfDue(**db, id, 0, margin);
                if (!outcome)
                    log::warning(QStringLiteral("relay.refresh"),
                                 QStringLiteral("token.refresh_failed"),
                                 {{QStringLiteral("account_id"), id},
                                  {QStringLiteral("error_code"), outcome.error().code},
                                  {QStringLiteral("retryable"), outcome.error().retryable}});
            }
        }
        QMetaObject::invokeMethod(
            this, [this] { m_running = false; }, Qt::QueuedConnection);
    });
}

} // namespace huntaze::relay
