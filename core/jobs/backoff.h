#pragma once

#include <QRandomGenerator>
#include <QtGlobal>

#include <algorithm>

namespace huntaze::jobs {

// Exponential backoff with full jitter (a random wait between 1 s and 5 s * 2^attempt,
// capped at 15 minutes), so many desktops coming back after an outage do not retry in step.
inline qint64 backoffSeconds(int attempt) {
    const qint64 ceiling = std::min<qint64>(900, qint64(5) << std::clamp(attempt, 0, 10));
    return 1 + QRandomGenerator::global()->bounded(ceiling);
}

} // namespace huntaze::jobs
