#include "auditwriter.h"

#include "log/logger.h"
#include "log/metricsregistry.h"
#include "log/redaction.h"
#include "store/pgconnection.h"

#include <QJsonDocument>

#include <optional>

namespace huntaze::relay {

AuditWriter::AuditWriter(QString databaseUrl)
    : m_databaseUrl(std::move(databaseUrl)) {}

AuditWriter::~AuditWriter() {
    stop();
}

void AuditWriter::start() {
    m_thread = std::thread([this] { run(); });
}

void AuditWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void AuditWriter::record(AuditEntry entry) {
    // Every audit event is also a log line, so it is never lost silently.
    log::info(QStringLiteral("relay.audit"), entry.event,
              {{QStringLiteral("outcome"), entry.outcome},
               {QStringLiteral("actor"), entry.actor},
               {QStringLiteral("provider"), entry.provider},
               {QStringLiteral("subject"), entry.subject},
               {QStringLiteral("remote_addr"), entry.remoteAddress}});
    static log::Counter &dropped = log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_audit_dropped_total"),
        QStringLiteral(
            "Audit rows not written because the queue was full (a flood); logged instead."));
    std::lock_guard lock(m_mutex);
    if (m_queue.size() >= kMaxQueued) { // a flood (of bad signatures, say) must not eat memory
        dropped.inc();
        return;
    }
    m_queue.push_back(std::move(entry));
    m_wake.notify_one();
}

void AuditWriter::run() {
    std::optional<store::PgConnection> connection;
    while (true) {
        std::deque<AuditEntry> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                return;
            batch.swap(m_queue);
        }
        if (!connection || !connection->isOk()) {
            auto opened = store::PgConnection::open(m_databaseUrl, 3);
            if (!opened) {
                log::error(QStringLiteral("relay.audit"), QStringLiteral("audit.unwritten"),
                           {{QStringLiteral("entries"), int(batch.size())},
                            {QStringLiteral("detail"), opened.error().detail}});
                continue;
            }
            connection.emplace(std::move(opened).value());
        }
        const auto insert = [&connection](const AuditEntry &entry) {
            QString remote = entry.remoteAddress;
            remote = remote.section(QLatin1Char('%'), 0, 0); // inet takes no IPv6 zone
            return connection->execPrepared(
                QStringLiteral(
                    "INSERT INTO audit_log (user_id, actor, event, provider, subject, outcome, "
                    "remote_addr, details) VALUES (nullif($1, 0), $2, $3, nullif($4, ''), "
                    "nullif($5, ''), $6, nullif($7, '')::inet, $8::jsonb)"),
                {entry.userId, entry.actor, entry.event, entry.provider, entry.subject,
                 entry.outcome, remote,
                 QString::fromUtf8(QJsonDocument(log::Redaction::scrub(entry.details))
                                       .toJson(QJsonDocument::Compact))});
        };
        // One transaction, one commit, for the batch; should a row be refused, the batch is
        // written again row by row so only that row is lost (and logged).
        bool ok = bool(connection->execScript(QStringLiteral("BEGIN")));
        for (const AuditEntry &entry : batch)
            ok = ok && bool(insert(entry));
        if (ok && connection->execScript(QStringLiteral("COMMIT")))
            continue;
        (void)connection->execScript(QStringLiteral("ROLLBACK"));
        for (const AuditEntry &entry : batch)
            if (auto written = insert(entry); !written)
                log::error(QStringLiteral("relay.audit"), QStringLiteral("audit.unwritten"),
                           {{QStringLiteral("event"), entry.event},
                            {QStringLiteral("detail"), written.error().detail}});
    }
}

} // namespace huntaze::relay
