#include "databasepool.h"

#include "store/pgconnection.h"

#include <optional>

namespace huntaze::relay {

DatabasePool::DatabasePool(QString databaseUrl, int threads)
    : m_databaseUrl(std::move(databaseUrl))
    , m_threadCount(qMax(1, threads)) {}

DatabasePool::~DatabasePool() {
    stop();
}

void DatabasePool::start() {
    for (int i = 0; i < m_threadCount; ++i)
        m_threads.emplace_back([this] { run(); });
}

void DatabasePool::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto &thread : m_threads)
        if (thread.joinable())
            thread.join();
    m_threads.clear();
}

void DatabasePool::submit(Job job) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(std::move(job));
            m_wake.notify_one();
            return;
        }
    }
    Error error;
    error.domain = QStringLiteral("store");
    error.code = QStringLiteral("shutting_down");
    error.retryable = true;
    job(error);
}

void DatabasePool::run() {
    std::optional<store::PgConnection> connection;
    while (true) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        if (!connection || !connection->isOk()) {
            connection.reset();
            auto opened = store::PgConnection::open(m_databaseUrl, 3);
            if (!opened) {
                job(opened.error());
                continue;
            }
            connection.emplace(std::move(opened).value());
        }
        job(&*connection);
    }
}

} // namespace huntaze::relay
