#include "accountrotation.h"

#include <algorithm>
#include <numeric>

namespace huntaze::relay {

QList<qsizetype> AccountRotation::order(const QList<qint64> &ids, qsizetype limit) const {
    QList<qsizetype> positions(ids.size());
    std::iota(positions.begin(), positions.end(), qsizetype(0));
    {
        std::lock_guard lock(m_mutex);
        // Stable: accounts never visited keep the database's order among themselves.
        std::stable_sort(positions.begin(), positions.end(), [&](qsizetype a, qsizetype b) {
            return m_lastVisitMs.value(ids.at(a), 0) < m_lastVisitMs.value(ids.at(b), 0);
        });
    }
    if (positions.size() > limit)
        positions.resize(limit);
    return positions;
}

void AccountRotation::visited(qint64 id, qint64 nowMs) {
    std::lock_guard lock(m_mutex);
    m_lastVisitMs.insert(id, nowMs);
}

} // namespace huntaze::relay
