#include "inboxwriter.h"

#include "log/logger.h"
#include "log/metricsregistry.h"
#include "store/pgbinaryarray.h"
#include "store/pgconnection.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <vector>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.inbox");

// One statement for any number of rows: each column travels as one binary array, so
// the server parses no text and plans the statement once per connection. A NOTIFY
// wakes the processors when anything new landed, in the same round trip.
//
// Two forms. The plain insert is tried first: duplicates are rare, the natural key's
// unique index refuses one anyway (the whole statement then fails and nothing is
// written), and leaving out ON CONFLICT's extra index probe per row and the RETURNING
// list saves about a tenth of the server's work per event. The ON CONFLICT form skips
// duplicates and names the events that were new.
const QString kInsertRows =
    QStringLiteral("INSERT INTO webhook_events (provider, external_id, event_type, verified, "
                   "headers, body, correlation_id) "
                   "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], "
                   "$5::jsonb[], $6::bytea[], $7::uuid[]) ");
// Every row of a batch that succeeds is new, so nothing needs returning: the workers are
// woken unconditionally (the batch is never empty).
const QString kInsertAllNew = QStringLiteral("WITH ins AS (") + kInsertRows +
                              QStringLiteral(") SELECT pg_notify('huntaze_inbox', '')");
const QString kInsertSkippingDuplicates =
    QStringLiteral("WITH ins AS (") + kInsertRows +
    QStringLiteral(
        "ON CONFLICT (provider, external_id) DO NOTHING RETURNING provider, external_id),"
        " wake AS (SELECT pg_notify('huntaze_inbox', '') WHERE EXISTS (SELECT 1 FROM ins))"
        " SELECT provider, external_id, (SELECT count(*) FROM wake) FROM ins");

// After a duplicate, the ON CONFLICT form goes first for this long: a platform
// re-delivering a backlog must not make every batch run twice.
constexpr auto kSkipDuplicatesAfterConflict = std::chrono::seconds(10);

// (provider, external id): shared copies of the event's bytes, nothing is built.
using EventKey = std::pair<QByteArray, QByteArray>;
EventKey keyOf(const InboxEvent &event) {
    return {event.provider, event.externalId};
}

// A random (version 4) UUID that ties an event's log lines together. Not a secret, so a
// generator seeded once per thread serves; the column's default, gen_random_uuid(),
// cost the database a tenth of the insert's work (OpenSSL's RAND_bytes for every row).
std::array<char, 16> correlationId() {
    thread_local QRandomGenerator generator = [] {
        std::array<quint32, 8> seed;
        QRandomGenerator::system()->fillRange(seed.data(), seed.size());
        return QRandomGenerator(seed.data(), qsizetype(seed.size()));
    }();
    std::array<char, 16> id;
    const std::array<quint64, 2> bits{generator.generate64(), generator.generate64()};
    std::memcpy(id.data(), bits.data(), id.size());
    id[6] = char((id[6] & 0x0f) | 0x40); // version 4
    id[8] = char((id[8] & 0x3f) | 0x80); // RFC 4122 variant
    return id;
}

// The statement's parameters for these events, one array per column.
QList<store::PgParam> insertParameters(QList<const InboxEvent *>::const_iterator begin,
                                       QList<const InboxEvent *>::const_iterator end) {
    using store::PgBinaryArray;
    PgBinaryArray providers(PgBinaryArray::Element::Text);
    PgBinaryArray externalIds(PgBinaryArray::Element::Text);
    PgBinaryArray eventTypes(PgBinaryArray::Element::Text);
    PgBinaryArray verified(PgBinaryArray::Element::Bool);
    PgBinaryArray headers(PgBinaryArray::Element::Jsonb);
    PgBinaryArray bodies(PgBinaryArray::Element::Bytea);
    PgBinaryArray correlationIds(PgBinaryArray::Element::Uuid);
    for (auto it = begin; it != end; ++it) {
        const InboxEvent &event = **it;
        providers.append(event.provider);
        externalIds.append(event.externalId);
        eventTypes.append(event.eventType);
        verified.appendBool(event.verified);
        headers.append(event.headersJson.isEmpty() ? QByteArrayView("{}")
                                                   : QByteArrayView(event.headersJson));
        bodies.append(event.body);
        const std::array<char, 16> id = correlationId();
        correlationIds.append(QByteArrayView(id.data(), qsizetype(id.size())));
    }
    return {providers.param(), externalIds.param(), eventTypes.param(),    verified.param(),
            headers.param(),   bodies.param(),      correlationIds.param()};
}

struct Metrics {
    log::Histogram &batchEvents = log::MetricsRegistry::global().histogram(
        QStringLiteral("huntaze_inbox_batch_events"),
        QStringLiteral("Events committed per inbox batch."), {},
        {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000});
    log::Histogram &commitSeconds =
        log::MetricsRegistry::global().histogram(QStringLiteral("huntaze_inbox_commit_seconds"),
                                                 QStringLiteral("Time to commit one inbox batch."));
    log::Counter &duplicateRetries = log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_inbox_duplicate_retries_total"),
        QStringLiteral("Inbox batches whose plain insert met a duplicate and ran again "
                       "skipping duplicates."));
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
    QDeadlineTimer conflictsSeen; // see commit(): running while ON CONFLICT goes first
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
                // The insert runs thousands of times with the same shape: plan it once.
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

        if (!commit(*connection, batch, conflictsSeen) && !connection->isOk())
            connection.reset();
    }
}

bool InboxWriter::commit(store::PgConnection &connection, std::deque<Submission> &batch,
                         QDeadlineTimer &skipDuplicatesFirst) {
    // First occurrence per key is written; the rest (and anything already in the table)
    // count as duplicates. firstOccurrence maps each event, in batch order, to its place
    // in `unique`, or -1 for a repeat within the batch.
    qsizetype events = 0;
    for (const Submission &submission : batch)
        events += submission.events.size();
    QList<const InboxEvent *> unique;
    unique.reserve(events);
    std::vector<qsizetype> firstOccurrence;
    firstOccurrence.reserve(size_t(events));
    QSet<EventKey> seen;
    seen.reserve(events);
    for (const Submission &submission : batch)
        for (const InboxEvent &event : submission.events) {
            const auto before = seen.size();
            seen.insert(keyOf(event));
            firstOccurrence.push_back(seen.size() > before ? unique.size() : -1);
            if (seen.size() > before)
                unique.append(&event);
        }

    QElapsedTimer timer;
    timer.start();
    std::vector<bool> stored(size_t(unique.size()), false); // by place in `unique`
    for (qsizetype offset = 0; offset < unique.size(); offset += m_maxEventsPerStatement) {
        const qsizetype count = qMin<qsizetype>(m_maxEventsPerStatement, unique.size() - offset);
        const auto begin = unique.cbegin() + offset;
        const auto end = begin + count;
        const QList<store::PgParam> params = insertParameters(begin, end);
        if (skipDuplicatesFirst.hasExpired()) {
            auto allNew = connection.execPrepared(kInsertAllNew, params);
            if (allNew) {
                std::fill_n(stored.begin() + offset, count, true);
                continue;
            }
            if (allNew.error().code != QLatin1String("23505")) // not a unique violation
                return failCommit(connection, batch, allNew.error(), unique.size(),
                                  skipDuplicatesFirst);
            metrics().duplicateRetries.inc();
            skipDuplicatesFirst.setRemainingTime(kSkipDuplicatesAfterConflict);
        }
        auto result = connection.execPrepared(kInsertSkippingDuplicates, params);
        if (!result)
            return failCommit(connection, batch, result.error(), unique.size(),
                              skipDuplicatesFirst);
        QSet<EventKey> inserted;
        for (int row = 0; row < result->rows(); ++row)
            inserted.insert({result->bytes(row, 0), result->bytes(row, 1)});
        for (qsizetype i = offset; i < offset + count; ++i)
            stored[size_t(i)] = inserted.contains(keyOf(*unique[i]));
    }
    metrics().commitSeconds.observe(double(timer.nsecsElapsed()) / 1e9);
    metrics().batchEvents.observe(double(unique.size()));

    // Each submission learns how many of its own events were new.
    auto place = firstOccurrence.cbegin();
    for (Submission &submission : batch) {
        InboxOutcome outcome;
        outcome.committed = true;
        for (qsizetype i = 0; i < submission.events.size(); ++i, ++place) {
            if (*place >= 0 && stored[size_t(*place)])
                ++outcome.inserted;
            else
                ++outcome.duplicates;
        }
        submission.done(outcome);
    }
    return true;
}

bool InboxWriter::failCommit(store::PgConnection &connection, std::deque<Submission> &batch,
                             const Error &error, qsizetype events,
                             QDeadlineTimer &skipDuplicatesFirst) {
    metrics().failures.inc();
    log::error(kComponent, QStringLiteral("inbox.commit_failed"),
               {{QStringLiteral("error_code"), error.code},
                {QStringLiteral("detail"), error.detail},
                {QStringLiteral("events"), int(events)}});
    if (!error.retryable && batch.size() > 1) {
        // One request's events were refused by the database: commit the others on
        // their own so a bad delivery cannot hold good ones hostage.
        for (Submission &submission : batch) {
            std::deque<Submission> single;
            single.push_back(std::move(submission));
            commit(connection, single, skipDuplicatesFirst);
        }
        return true;
    }
    InboxOutcome failed;
    failed.error = error;
    for (Submission &submission : batch)
        submission.done(failed);
    return false;
}

} // namespace huntaze::relay
