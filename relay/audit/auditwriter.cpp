#include "auditwriter.h"

#include "log/logger.h"
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
    std::lock_guard lock(m_mutex);
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
        for (const AuditEntry &entry : batch) {
            auto written = connection->execPrepared(
                QStringLiteral(
                    "INSERT INTO audit_log (user_id, actor, event, provider, subject, outcome, "
                    "remote_addr, details) VALUES (nullif($1, 0), $2, $3, nullif($4, ''), "
                    "nullif($5, ''), $6, nullif($7, '')::inet, $8::jsonb)"),
                {entry.userId, entry.actor, entry.event, entry.provider, entry.subject,
                 entry.outcome, entry.remoteAddress,
                 QString::fromUtf8(QJsonDocument(log::Redaction::scrub(entry.details))
                                       .toJson(QJsonDocument::Compact))});
            if (!written)
                log::error(QStringLiteral("relay.audit"), QStringLiteral("audit.unwritten"),
                           {{QStringLiteral("event"), entry.event},
                            {QStringLiteral("detail"), written.error().detail}});
        }
    }
}

} // namespace huntaze::relay
