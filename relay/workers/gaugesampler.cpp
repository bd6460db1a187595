#include "gaugesampler.h"

#include "databasepool.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

#include <algorithm>
#include <map>

namespace huntaze::relay {

namespace {
log::Gauge &gauge(const char *name, const char *help, const log::Labels &labels = {}) {
    return log::MetricsRegistry::global().gauge(QLatin1String(name), QLatin1String(help), labels);
}
const char *const kProviders[] = {"tiktok", "instagram", "reddit", "x"};
const char *const kSettled[] = {"published", "failed", "needs_action"};

// Upload outcomes the desktops record: every row by state, and the rows settled in the
// last 24 hours with their success ratio (1 when none settled: nothing failed).
void samplePublications(store::PgConnection &db) {
    auto rows = db.execPrepared(
        QStringLiteral("SELECT provider, state, count(*), count(*) FILTER (WHERE updated_at > "
                       "now() - interval '24 hours') FROM publications GROUP BY provider, state"),
        {});
    if (!rows)
        return;
    std::map<std::pair<QString, QString>, std::pair<qint64, qint64>> counts;
    for (int row = 0; row < rows->rows(); ++row)
        counts[{rows->text(row, 0), rows->text(row, 1)}] = {rows->int64(row, 2),
                                                            rows->int64(row, 3)};
    for (const char *provider : kProviders) {
        qint64 settled = 0, published = 0;
        for (const char *state :
             {"queued", "uploading", "processing", "published", "failed", "needs_action"}) {
            const auto found = counts.find({QLatin1String(provider), QLatin1String(state)});
            const auto [all, recent] =
                found == counts.end() ? std::pair<qint64, qint64>{0, 0} : found->second;
            const log::Labels labels{{QStringLiteral("provider"), QLatin1String(provider)},
                                     {QStringLiteral("state"), QLatin1String(state)}};
            gauge("huntaze_publications", "Publications the desktops recorded, by state.", labels)
                .set(double(all));
            if (std::find_if(std::begin(kSettled), std::end(kSettled), [state](const char *s) {
                    return qstrcmp(s, state) == 0;
                }) == std::end(kSettled))
                continue;
            gauge("huntaze_publications_settled_24h",
                  "Publications that reached a final state in the last 24 hours, by state.", labels)
                .set(double(recent));
            settled += recent;
            if (qstrcmp(state, "published") == 0)
                published = recent;
        }
        gauge("huntaze_upload_success_ratio_24h",
              "Share of the last 24 hours' settled publications that were published (1 when "
              "none settled).",
              {{QStringLiteral("provider"), QLatin1String(provider)}})
            .set(settled ? double(published) / double(settled) : 1.0);
    }
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
        samplePublications(**db);
    });
}

} // namespace huntaze::relay
