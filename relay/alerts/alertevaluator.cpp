#include "alertevaluator.h"

#include "log/metricsregistry.h"

#include <QDateTime>
#include <QSet>

namespace huntaze::relay::alerts {

AlertEvaluator::AlertEvaluator(QList<AlertRule> rules, AlertSettings settings, Raise raise,
                               QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_settings(std::move(settings))
    , m_raise(std::move(raise)) {
    m_timer.setInterval(m_settings.intervalSeconds * 1000);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        evaluate(MetricSnapshot::parse(log::MetricsRegistry::global().renderPrometheus(),
                                       QDateTime::currentMSecsSinceEpoch()));
    });
}

void AlertEvaluator::start() {
    // Counters start at 0 with the relay: an empty snapshot is the first window's start.
    m_history.push_back(MetricSnapshot::parse({}, QDateTime::currentMSecsSinceEpoch()));
    m_timer.start();
}

void AlertEvaluator::evaluate(const MetricSnapshot &now) {
    if (m_history.empty())
        m_history.push_back(MetricSnapshot::parse({}, now.atMs()));
    // Keep the latest snapshot taken at or before the window's start as its baseline.
    const qint64 windowStart = now.atMs() - qint64(kAlertWindowSeconds) * 1000;
    while (m_history.size() > 1 && m_history[1].atMs() <= windowStart)
        m_history.pop_front();
    const MetricSnapshot &earlier = m_history.front();

    QSet<QString> breaching;
    for (const AlertRule &rule : std::as_const(m_rules)) {
        const qint64 threshold = m_settings.thresholdOf(rule);
        const Grouped values = rule.measure(now, earlier);
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            if (!rule.breached(it.value(), double(threshold)))
                continue;
            const QString key = rule.name + QLatin1Char('\x1e') + it.key();
            breaching.insert(key);
            State &state = m_states[key];
            if (state.sinceMs == 0) {
                state.sinceMs = now.atMs();
                const QStringList labelValues = it.key().split(groupSeparator);
                for (qsizetype i = 0; i < rule.by.size() && i < labelValues.size(); ++i)
                    state.labels.insert(rule.by[i], labelValues[i]);
            }
            state.value = it.value();
            if (!state.firing &&
                now.atMs() - state.sinceMs >= qint64(m_settings.forSeconds) * 1000) {
                state.firing = true;
                m_raise(event(rule, state, QStringLiteral("firing"), now.atMs()));
            }
        }
    }
    // Whatever no longer breaches resolves (if it fired) or stops pending.
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (breaching.contains(it.key())) {
            ++it;
            continue;
        }
        if (it->firing) {
            const QString name = it.key().section(QLatin1Char('\x1e'), 0, 0);
            for (const AlertRule &rule : std::as_const(m_rules))
                if (rule.name == name)
                    m_raise(event(rule, *it, QStringLiteral("resolved"), now.atMs()));
        }
        it = m_states.erase(it);
    }
    m_history.push_back(now);
}

AlertEvent AlertEvaluator::event(const AlertRule &rule, const State &state, const QString &status,
                                 qint64 atMs) const {
    AlertEvent out;
    out.rule = rule.name;
    out.status = status;
    out.severity = rule.severity;
    out.labels = state.labels;
    out.value = state.value;
    out.threshold = m_settings.thresholdOf(rule);
    out.summary = fillTemplate(rule.summary, state.labels, state.value);
    out.description = fillTemplate(rule.description, state.labels, state.value);
    out.runbook = rule.runbook;
    out.atMs = atMs;
    return out;
}

} // namespace huntaze::relay::alerts
