#pragma once

#include "base/error.h"
#include "inboxevent.h"

#include <QDeadlineTimer>
#include <QList>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

struct InboxOutcome {
    bool committed = false; // false: nothing can be promised, answer 503
    int inserted = 0;
    int duplicates = 0;
    Error error;
};

// The durable inbox's single writer. Requests hand their events over and wait; the
// writer takes everything that queued up while the previous commit ran and commits it
// in one statement (group commit), then answers every waiting request. So concurrency
// raises throughput instead of contention, and no request is answered 2xx before its
// events are committed. A duplicate (same provider and external_id) is not stored
// twice. If the database is unreachable every waiting request is told so.
class InboxWriter {
public:
    using Done = std::function<void(const InboxOutcome &)>;

    // writers > 1 runs that many commits at once, each on its own connection. Measured
    // on one database, one writer is faster: concurrent inserts contend for the same
    // right-most index pages (bench/webhook-ingest.sh, README).
    explicit InboxWriter(QString databaseUrl, int maxEventsPerStatement = 500, int writers = 1);
    ~InboxWriter();

    void start();
    // Commits what is queued, then stops. Call after the HTTP server stopped accepting.
    void stop();
    // Thread-safe. done runs on the writer thread.
    void submit(QList<InboxEvent> events, Done done);

private:
    struct Submission {
        QList<InboxEvent> events;
        Done done;
    };
    void run();
    // Commits a batch and answers its submissions; false if it had to answer failure.
    // skipDuplicatesFirst: while running, the insert that skips duplicates goes first.
    bool commit(store::PgConnection &connection, std::deque<Submission> &batch,
                QDeadlineTimer &skipDuplicatesFirst);
    // Answers a batch whose insert failed (or retries its requests one by one when
    // the database refused it); false if it had to answer failure.
    bool failCommit(store::PgConnection &connection, std::deque<Submission> &batch,
                    const Error &error, qsizetype events, QDeadlineTimer &skipDuplicatesFirst);

    QString m_databaseUrl;
    int m_maxEventsPerStatement;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Submission> m_queue;
    bool m_stopping = false;
    int m_writerCount;
    std::vector<std::thread> m_threads;
};

} // namespace huntaze::relay
