#pragma once

#include <QHash>
#include <QList>

#include <mutex>

namespace huntaze::relay {

// Which accounts a sync pass visits first: the ones this process visited longest ago
// (never visited: first of all). A pass cut short by a rate limit then reaches the
// others next time, instead of the same leading accounts every time. Thread-safe.
class AccountRotation {
public:
    // The positions of `ids` in visiting order, at most `limit` of them.
    QList<qsizetype> order(const QList<qint64> &ids, qsizetype limit) const;
    void visited(qint64 id, qint64 nowMs);

private:
    mutable std::mutex m_mutex;
    QHash<qint64, qint64> m_lastVisitMs;
};

} // namespace huntaze::relay
