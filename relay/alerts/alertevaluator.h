#pragma once

#include "alertevent.h"
#include "alertrules.h"
#include "alertsettings.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

namespace huntaze::relay::alerts {

// Evaluates the alert rules every few seconds from the relay's own /metrics values, as
// Prometheus would: a rule must breach for `for` seconds before it fires; an event is
// raised when an alert starts firing and when it resolves (not on every evaluation).
class AlertEvaluator : public QObject {
    Q_OBJECT
public:
    using Raise = std::function<void(const AlertEvent &)>;
    AlertEvaluator(QList<AlertRule> rules, AlertSettings settings, Raise raise,
                   QObject *parent = nullptr);
    void start();
    // One evaluation against a snapshot (the timer passes the registry's; tests their own).
    void evaluate(const MetricSnapshot &now);

private:
    struct State {
        qint64 sinceMs = 0;
        bool firing = false;
        double value = 0;
        LabelSet labels;
    };
    AlertEvent event(const AlertRule &rule, const State &state, const QString &status,
                     qint64 atMs) const;
    QList<AlertRule> m_rules;
    AlertSettings m_settings;
    Raise m_raise;
    QTimer m_timer;
    std::deque<MetricSnapshot> m_history; // the front is the window's start
    QHash<QString, State> m_states;       // by rule name and group
};

} // namespace huntaze::relay::alerts
