#pragma once

#include "metricsnapshot.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace huntaze::relay::alerts {

// One alert rule, written once and used twice: rendered as a Prometheus rule
// (packaging/prometheus/huntaze-alerts.yml is generated from these, and a test checks the
// file matches) and evaluated by the relay itself from its own /metrics values, so a small
// setup without Prometheus is told too.
struct AlertRule {
    enum class Compare { Above, AtLeast, Below };
    QString name;    // HuntazeQueueLag
    QString setting; // HUNTAZE_ALERT_QUEUE_LAG_SECONDS: the threshold, configurable
    qint64 defaultThreshold = 0;
    Compare compare = Compare::Above;
    QStringList by;   // the labels one alert is raised per ("provider"), or none
    QString severity; // warning | critical
    // PromQL of the measured value, %1 standing for the window ("5m"); the rule's expr is
    // this, the comparison and the threshold.
    QString measureExpr;
    QString summary; // Prometheus templates allowed: {{ $labels.provider }}, {{ $value }}
    QString description;
    QString runbook;
    // The same measure from the relay's own values: per group, over the window from
    // `earlier` to `now` (groups without enough data to judge are left out).
    std::function<Grouped(const MetricSnapshot &now, const MetricSnapshot &earlier)> measure;

    bool breached(double value, double threshold) const;
    QString expression(qint64 threshold, int windowSeconds) const;
};

// The rules, every one with its default threshold.
QList<AlertRule> alertRules();
// The window rates are measured over, and how long a condition must hold before it fires
// (Prometheus' `for:`), unless HUNTAZE_ALERT_FOR_SECONDS says otherwise.
inline constexpr int kAlertWindowSeconds = 300;
inline constexpr int kAlertForSeconds = 300;
// Fewest calls (or settled uploads) in the window before a ratio is judged: one failure
// out of one call is not an outage.
inline constexpr int kMinimumVolume = 5;

// The rules as a Prometheus rules file (YAML), with their default thresholds.
QByteArray renderPrometheusRules(const QList<AlertRule> &rules);
// A Prometheus annotation template with {{ $labels.x }} and {{ $value }} filled in.
QString fillTemplate(const QString &text, const LabelSet &labels, double value);

} // namespace huntaze::relay::alerts
