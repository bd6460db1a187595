#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace huntaze::relay {

// Checks every couple of seconds, on its own thread, that the database answers and its
// schema is the one this relay knows, so /readyz answers instantly from the last check
// and a flood of probes cannot load the database.
class DatabaseProbe {
public:
    explicit DatabaseProbe(QString databaseUrl, int intervalMs = 2000);
    ~DatabaseProbe();
    void start();
    void stop();
    bool ready() const { return m_ready.load(); }
    QString lastProblem() const;

private:
    void run();
    QString m_databaseUrl;
    int m_intervalMs;
    std::atomic<bool> m_ready{false};
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    QString m_problem;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace huntaze::relay
