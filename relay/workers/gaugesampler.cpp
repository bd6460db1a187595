#include "gaugesampler.h"

#include "databasepool.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

namespace huntaze::relay {

namespace {
log::Gauge &gauge(const char *name, const char *help, const log::Labels &labels = {}) {
    return log::MetricsRegistry::global().gauge(QLatin1String(name), QLatin1String(help), labels);
}
} // namespace

GaugeSampler::GaugeSampler(DatabasePool &pool, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_pool(pool) {
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &GaugeSampler::sample);
}

void GaugeSampler::start() {
    m_timer.start();
    sample();
}

void GaugeSampler::sample() {
    m_pool.submit([](Result<store::PgConnection *> db) {
        if (!db)
            return;
        auto inbox = (*db)->execPrepared(
            QStringLiteral("SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER "
                           "(WHERE state = 'dead'), "
                           "coalesce(extract(epoch FROM now() - min(received_at) FILTER (WHERE "
                           "state = 'pending' AND next_attempt_at <= now())), 0)::float8 "
                           "FROM webhook_events WHERE state <> 'done'"),
            {});
        if (inbox) {
            gauge("huntaze_inbox_pending", "Inbox events waiting to be processed.")
                .set(double(inbox->int64(0, 0)));
            gauge("huntaze_inbox_dead", "Inbox events parked as dead.")
                .set(double(inbox->int64(0, 1)));
            gauge("huntaze_inbox_lag_seconds", "Age of the oldest inbox event that is due.")
                .set(inbox->bytes(0, 2).toDouble());
        }
        // TikTok: at most 5 inbox shares pending per account in any 24 hours.
        auto shares = (*db)->execPrepared(
            QStringLiteral(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM tiktok_posts WHERE "
                "post_mode = 'inbox' "
                "AND status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD', 'SEND_TO_USER_INBOX') "
                "AND created_at > now() - interval '24 hours' GROUP BY account_id) per_account"),
            {});
        if (shares) {
            const log::Labels labels{
                {QStringLiteral("provider"), QStringLiteral("tiktok")},
                {QStringLiteral("quota"), QStringLiteral("pending_inbox_shares_24h")}};
            gauge("huntaze_quota_used", "Highest use of a platform quota across accounts.", labels)
                .set(double(shares->int64(0, 0)));
            gauge("huntaze_quota_limit", "The platform quota's limit.", labels).set(5);
        }
    });
}

} // namespace huntaze::relay
