#pragma once

#include <QJsonObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace huntaze::relay {

struct AuditEntry {
    QString event; // "webhook.bad_signature", "device.paired", "token.refreshed", ...
    QString outcome = QStringLiteral("ok");
    QString actor; // "relay", "device:12", "admin"
    QString provider;
    QString subject; // what it concerned: an open_id, a device id, a path
    QString remoteAddress;
    qint64 userId = 0;   // 0: none
    QJsonObject details; // redacted before it is written
};

// Appends to audit_log from its own thread, in batches, so recording an event never
// slows the request that caused it. Entries that cannot be written are logged instead.
class AuditWriter {
public:
    static constexpr size_t kMaxQueued = 10000;
    explicit AuditWriter(QString databaseUrl);
    ~AuditWriter();
    void start();
    void stop(); // writes what is queued first
    void record(AuditEntry entry);

private:
    void run();
    QString m_databaseUrl;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<AuditEntry> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace huntaze::relay
