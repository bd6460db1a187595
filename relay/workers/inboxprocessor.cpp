#include "inboxprocessor.h"

#include "eventapplier.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <libpq-fe.h>
#include <optional>
#include <poll.h>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.processor");

log::Counter &processed(const QString &provider, const QString &outcome) {
    return log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_events_processed_total"),
        QStringLiteral("Inbox events processed, by provider and outcome (done, retry, dead)."),
        {{QStringLiteral("provider"), provider}, {QStringLiteral("outcome"), outcome}});
}

log::Histogram &processingLatency(const QString &provider) {
    return log::MetricsRegistry::global().histogram(
        QStringLiteral("huntaze_event_processing_lag_seconds"),
        QStringLiteral("Time from an event's arrival to its processing."),
        {{QStringLiteral("provider"), provider}}, {0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600});
}

// Waits for a NOTIFY on the connection's socket, or the timeout.
void waitForNotification(store::PgConnection &connection, int timeoutMs) {
    pg_conn *conn = connection.handle();
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (fd.fd >= 0)
        ::poll(&fd, 1, timeoutMs);
    PQconsumeInput(conn);
    while (PGnotify *notification = PQnotifies(conn))
        PQfreemem(notification);
}

} // namespace

InboxProcessor::InboxProcessor(QString databaseUrl, ProcessorOptions options)
    : m_databaseUrl(std::move(databaseUrl))
    , m_options(options) {}

InboxProcessor::~InboxProcessor() {
    stop();
}

qint64 InboxProcessor::backoffMs(int attempt, int baseMs, int maxMs) {
    const double ceiling =
        qMin(double(maxMs), double(baseMs) * std::pow(2.0, qMax(0, attempt - 1)));
    return qint64(QRandomGenerator::global()->bounded(ceiling + 1));
}

void InboxProcessor::start() {
    // Series at 0 from the start for the providers that send webhooks, so dashboards and
    // alert rules see them before the first event.
    for (const char *provider : {"tiktok", "instagram", "x"}) {
        for (const char *outcome : {"done", "retry", "dead"})
            processed(QLatin1String(provider), QLatin1String(outcome));
        processingLatency(QLatin1String(provider));
    }
    for (int i = 0; i < qMax(1, m_options.workers); ++i)
        m_threads.emplace_back([this, i] { run(i); });
}

void InboxProcessor::stop() {
    m_stopping = true;
    for (auto &thread : m_threads)
        if (thread.joinable())
            thread.join();
    m_threads.clear();
}

void InboxProcessor::run(int index) {
    std::optional<store::PgConnection> db;
    while (!m_stopping) {
        if (!db || !db->isOk()) {
            db.reset();
            auto opened = store::PgConnection::open(m_databaseUrl, 3);
            if (!opened) {
                log::warning(kComponent, QStringLiteral("processor.database_unavailable"),
                             {{QStringLiteral("worker"), index},
                              {QStringLiteral("detail"), opened.error().detail}});
                for (int i = 0; i < 20 && !m_stopping; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            db.emplace(std::move(opened).value());
            (void)db->execScript(QStringLiteral("LISTEN huntaze_inbox"));
        }
        if (auto begun = db->execScript(QStringLiteral("BEGIN")); !begun)
            continue;
        auto claimed = db->execPrepared(
            QStringLiteral(
                "SELECT id, provider, event_type, body, attempts, verified, "
                "extract(epoch FROM now() - received_at)::float8 AS lag FROM webhook_events "
                "WHERE state = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id "
                "FOR UPDATE SKIP LOCKED LIMIT $1"),
            {m_options.batchSize});
        if (!claimed) {
            (void)db->execScript(QStringLiteral("ROLLBACK"));
            continue;
        }
        bool failedBatch = false;
        for (int row = 0; row < claimed->rows() && !failedBatch; ++row) {
            const qint64 id = claimed->int64(row, 0);
            const QString provider = claimed->text(row, 1);
            const QString eventType = claimed->text(row, 2);
            // bytea arrives as text in hex form: \x...
            const QByteArray body = QByteArray::fromHex(claimed->bytes(row, 3).mid(2));
            const int attempts = int(claimed->int64(row, 4)) + 1;
            const bool verified = claimed->boolean(row, 5);
            (void)db->execScript(QStringLiteral("SAVEPOINT event"));
            // An event whose signature could not be checked (no TIKTOK_WEBHOOK_SECRET) is
            // kept for the record but never allowed to change anything.
            auto applied =
                verified ? EventApplier::apply(*db, provider, eventType, body)
                         : Result<Applied>(Applied{0, QStringLiteral("unverified: recorded only")});
            Result<store::PgResult> marked = Error{};
            if (applied) {
                (void)db->execScript(QStringLiteral("RELEASE SAVEPOINT event"));
                marked = db->execPrepared(
                    QStringLiteral(
                        "UPDATE webhook_events SET state = 'done', attempts = $2, processed_at = "
                        "now(), "
                        "user_id = nullif($3, 0), last_error = nullif($4, '') WHERE id = $1"),
                    {id, attempts, applied->userId, applied->note});
                processed(provider, QStringLiteral("done")).inc();
                processingLatency(provider).observe(claimed->bytes(row, 6).toDouble());
            } else {
                (void)db->execScript(QStringLiteral("ROLLBACK TO SAVEPOINT event"));
                const bool deadNow =
                    attempts >= m_options.maxAttempts || !applied.error().retryable;
                const qint64 wait =
                    backoffMs(attempts, m_options.baseBackoffMs, m_options.maxBackoffMs);
                marked = db->execPrepared(
                    QStringLiteral(
                        "UPDATE webhook_events SET state = $2, attempts = $3, last_error = $4, "
                        "next_attempt_at = now() + make_interval(secs => $5::float8 / 1000) WHERE "
                        "id = $1"),
                    {id, deadNow ? QStringLiteral("dead") : QStringLiteral("pending"), attempts,
                     QString(applied.error().code + QLatin1String(": ") + applied.error().detail),
                     wait});
                processed(provider, deadNow ? QStringLiteral("dead") : QStringLiteral("retry"))
                    .inc();
                log::warning(kComponent,
                             deadNow ? QStringLiteral("event.dead") : QStringLiteral("event.retry"),
                             {{QStringLiteral("event_id"), id},
                              {QStringLiteral("provider"), provider},
                              {QStringLiteral("event_type"), eventType},
                              {QStringLiteral("attempts"), attempts},
                              {QStringLiteral("error_code"), applied.error().code},
                              {QStringLiteral("detail"), applied.error().detail}});
            }
            failedBatch = !marked;
        }
        if (failedBatch || !db->execScript(QStringLiteral("COMMIT"))) {
            (void)db->execScript(QStringLiteral("ROLLBACK"));
            continue;
        }
        if (claimed->rows() < m_options.batchSize && !m_stopping)
            waitForNotification(*db, claimed->rows() == 0 ? m_options.idlePollMs : 0);
    }
}

} // namespace huntaze::relay
