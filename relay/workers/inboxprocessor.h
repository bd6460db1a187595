#pragma once

#include <QString>

#include <atomic>
#include <thread>
#include <vector>

namespace huntaze::relay {

struct ProcessorOptions {
    int workers = 2;
    int batchSize = 50;
    int maxAttempts = 10;         // then the event is parked as dead
    int baseBackoffMs = 2000;     // doubled per attempt, full jitter
    int maxBackoffMs = 3'600'000; // capped at an hour
    int idlePollMs = 1000;        // NOTIFY wakes us sooner
};

// Workers that drain webhook_events. Each claims due events with FOR UPDATE SKIP
// LOCKED, so any number of workers in any number of relay processes share the inbox
// and no event is applied by two at once; each event is applied in its own savepoint
// and marked done, retried later with backoff, or parked as dead after maxAttempts.
// A crash mid-batch rolls the claim back: the events are simply claimed again.
class InboxProcessor {
public:
    InboxProcessor(QString databaseUrl, ProcessorOptions options);
    ~InboxProcessor();
    void start();
    void stop(); // finishes the batch in hand

    // Backoff before attempt `attempt` (1-based count of failures so far), full jitter.
    static qint64 backoffMs(int attempt, int baseMs, int maxMs);

private:
    void run(int index);
    QString m_databaseUrl;
    ProcessorOptions m_options;
    std::atomic<bool> m_stopping{false};
    std::vector<std::thread> m_threads;
};

} // namespace huntaze::relay
