#include "inboxwriter.h"

#include "log/logger.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <optional>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.inbox");

// INSERT ... VALUES (...), (...) for n rows; duplicates are skipped by the natural key,
// and a NOTIFY wakes the processors when anything new landed, all in one round trip.
QString buildInsertStatement(int rows) {
    QString values;
    for (int row = 0; row < rows; ++row) {
        const int p = row * 6;
        values += QStringLiteral("%1($%2,$%3,$%4,$%5,$%6::jsonb,$%7)")
                      .arg(row ? QStringLiteral(",") : QString())
                      .arg(p + 1)
                      .arg(p + 2)
                      .arg(p + 3)
                      .arg(p + 4)
                      .arg(p + 5)
                      .arg(p + 6);
    }
    return QStringLiteral("WITH ins AS (INSERT INTO webhook_events "
                          "(provider, external_id, event_type, verified, headers, body) VALUES ") +
           values +
           QStringLiteral(
               " ON CONFLICT (provider, external_id) DO NOTHING RETURNING provider, external_id),"
               " wake AS (SELECT pg_notify('huntaze_inbox', '') WHERE EXISTS (SELECT 1 FROM ins))"
               " SELECT provider, external_id, (SELECT count(*) FROM wake) FROM ins");
}

// The statement for n rows, built once per size and writer thread: formatting it per
// batch showed in profiles (hundreds of QString::arg calls per commit).
const QString &insertStatement(int rows) {
    thread_local QHash<int, QString> statements;
    auto it = statements.find(rows);
    if (it == statements.end())
        it = statements.insert(rows, buildInsertStatement(rows));
    return *it;
}

struct Metrics {
    log::Histogram &batchEvents = log::MetricsRegistry::global().histogram(
        QStringLiteral("huntaze_inbox_batch_events"),
        QStringLiteral("Events committed per inbox batch."), {},
        {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000});
    log::Histogram &commitSeconds =
        log::MetricsRegistry::global().histogram(QStringLiteral("huntaze_inbox_commit_seconds"),
                                                 QStringLiteral("Time to commit one inbox batch."));
    log::Counter &failures = log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_inbox_commit_failures_total"),
        QStringLiteral("Inbox batches that could not be committed."));
};

Metrics &metrics() {
    static Metrics instance;
    return instance;
}

} // namespace

InboxWriter::InboxWriter(QString databaseUrl, int maxEventsPerStatement, int writers)
    : m_databaseUrl(std::move(databaseUrl))
    , m_maxEventsPerStatement(qBound(1, maxEventsPerStatement, 10000))
    , m_writerCount(qBound(1, writers, 16)) {}

InboxWriter::~InboxWriter() {
    stop();
}

void InboxWriter::start() {
    metrics();
    for (int i = 0; i < m_writerCount; ++i)
        m_threads.emplace_back([this] { run(); });
}

void InboxWriter::stop() {
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

void InboxWriter::submit(QList<InboxEvent> events, Done done) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back({std::move(events), std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    InboxOutcome refused;
    refused.error.code = QStringLiteral("shutting_down");
    done(refused);
}

void InboxWriter::run() {
    std::optional<store::PgConnection> connection;
    while (true) {
        std::deque<Submission> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                return;
            batch.swap(m_queue);
        }
        // Connect lazily, and again after a failure.
        InboxOutcome failed;
        if (!connection || !connection->isOk()) {
            connection.reset();
            auto opened = store::PgConnection::open(m_databaseUrl, 3);
            if (opened) {
                connection.emplace(std::move(opened).value());
                // One prepared INSERT per batch size, each run thousands of times: plan
                // them once instead of planning every execution's 6 x rows parameters.
                if (auto generic = connection->execScript(
                        QStringLiteral("SET plan_cache_mode = force_generic_plan"));
                    !generic)
                    log::warning(kComponent, QStringLiteral("inbox.generic_plans_unavailable"),
                                 {{QStringLiteral("detail"), generic.error().detail}});
            } else
                failed.error = opened.error();
        }
        if (!connection) {
            metrics().failures.inc();
            for (Submission &submission : batch)
                submission.done(failed);
            continue;
        }

        if (!commit(*connection, batch) && !connection->isOk())
            connection.reset();
    }
}

bool InboxWriter::commit(store::PgConnection &connection, std::deque<Submission> &batch) {
    // First occurrence per key is written; the rest (and anything already in the table)
    // count as duplicates.
    QList<const InboxEvent *> unique;
    QSet<QString> seen;
    for (const Submission &submission : batch)
        for (const InboxEvent &event : submission.events) {
            const QString key = event.provider + QLatin1Char('\n') + event.externalId;
            if (!seen.contains(key)) {
                seen.insert(key);
                unique.append(&event);
            }
        }

    QElapsedTimer timer;
    timer.start();
    QSet<QString> inserted;
    for (qsizetype offset = 0; offset < unique.size(); offset += m_maxEventsPerStatement) {
        const qsizetype rows = qMin<qsizetype>(m_maxEventsPerStatement, unique.size() - offset);
        QList<store::PgParam> params;
        params.reserve(rows * 6);
        for (qsizetype i = offset; i < offset + rows; ++i) {
            const InboxEvent &event = *unique.at(i);
            params << event.provider << event.externalId << event.eventType << event.verified
                   << QString::fromUtf8(event.headersJson.isEmpty() ? QByteArrayLiteral("{}")
                                                                    : event.headersJson)
                   << store::PgParam::binary(event.body);
        }
        auto result = connection.execPrepared(insertStatement(int(rows)), params);
        if (!result) {
            const Error error = result.error();
            metrics().failures.inc();
            log::error(kComponent, QStringLiteral("inbox.commit_failed"),
                       {{QStringLiteral("error_code"), error.code},
                        {QStringLiteral("detail"), error.detail},
                        {QStringLiteral("events"), int(unique.size())}});
            if (!error.retryable && batch.size() > 1) {
                // One request's events were refused by the database: commit the others
                // on their own so a bad delivery cannot hold good ones hostage.
                for (Submission &submission : batch) {
                    std::deque<Submission> single;
                    single.push_back(std::move(submission));
                    commit(connection, single);
                }
                return true;
            }
            InboxOutcome failed;
            failed.error = error;
            for (Submission &submission : batch)
                submission.done(failed);
            return false;
        }
        for (int row = 0; row < result->rows(); ++row)
            inserted.insert(result->text(row, 0) + QLatin1Char('\n') + result->text(row, 1));
    }
    metrics().commitSeconds.observe(double(timer.nsecsElapsed()) / 1e9);
    metrics().batchEvents.observe(double(unique.size()));

    // Each submission learns how many of its own events were new.
    for (Submission &submission : batch) {
        InboxOutcome outcome;
        outcome.committed = true;
        for (const InboxEvent &event : submission.events) {
            const QString key = event.provider + QLatin1Char('\n') + event.externalId;
            if (inserted.remove(key))
                ++outcome.inserted;
            else
                ++outcome.duplicates;
        }
        submission.done(outcome);
    }
    return true;
}

} // namespace huntaze::relay
