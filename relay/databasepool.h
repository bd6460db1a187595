#pragma once

#include "base/result.h"

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

// A few threads, each with its own database connection, that run blocking database
// work for the HTTP handlers (which must never block an I/O thread). A job gets the
// connection, or the error that kept it from having one.
class DatabasePool {
public:
    using Job = std::function<void(Result<store::PgConnection *> connection)>;

    DatabasePool(QString databaseUrl, int threads);
    ~DatabasePool();
    void start();
    void stop(); // runs what is queued, then stops
    void submit(Job job);

private:
    void run();
    QString m_databaseUrl;
    int m_threadCount;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace huntaze::relay
