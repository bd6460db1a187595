#include "databaseprobe.h"

#include "log/metricsregistry.h"
#include "store/migrator.h"
#include "store/pgconnection.h"

#include <optional>

namespace huntaze::relay {

DatabaseProbe::DatabaseProbe(QString databaseUrl, int intervalMs)
    : m_databaseUrl(std::move(databaseUrl))
    , m_intervalMs(intervalMs) {}

DatabaseProbe::~DatabaseProbe() {
    stop();
}

void DatabaseProbe::start() {
    m_thread = std::thread([this] { run(); });
}

void DatabaseProbe::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

QString DatabaseProbe::lastProblem() const {
    std::lock_guard lock(m_mutex);
    return m_problem;
}

void DatabaseProbe::run() {
    log::Gauge &up = log::MetricsRegistry::global().gauge(
        QStringLiteral("huntaze_database_up"),
        QStringLiteral("1 when the database answers with the expected schema."));
    std::optional<store::PgConnection> connection;
    const store::Migrator migrator;
    while (true) {
        QString problem;
        if (!connection || !connection->isOk()) {
            connection.reset();
            auto opened = store::PgConnection::open(m_databaseUrl, 2);
            if (opened)
                connection.emplace(std::move(opened).value());
            else
                problem = opened.error().message;
        }
        if (connection) {
            if (auto current = migrator.checkCurrent(*connection); !current)
                problem = current.error().message;
        }
        m_ready = problem.isEmpty();
        up.set(problem.isEmpty() ? 1 : 0);
        std::unique_lock lock(m_mutex);
        m_problem = problem;
        if (m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs),
                            [this] { return m_stopping; }))
            return;
    }
}

} // namespace huntaze::relay
