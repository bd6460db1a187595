#pragma once

#include "metricsnapshot.h"

#include <QJsonObject>
#include <QString>

namespace huntaze::relay::alerts {

// One alert starting to fire, or resolving: what the log line, the audit row and the
// outgoing webhook all say.
struct AlertEvent {
    QString rule;   // HuntazeQueueLag
    QString status; // "firing" | "resolved"
    QString severity;
    LabelSet labels;      // {"provider": "tiktok"}; empty for relay-wide rules
    double value = 0;     // the measured value (the last one that breached, once resolved)
    qint64 threshold = 0; // the threshold in force
    QString summary;      // templates filled in
    QString description;
    QString runbook;
    qint64 atMs = 0;

    QJsonObject toJson() const;
};

} // namespace huntaze::relay::alerts
