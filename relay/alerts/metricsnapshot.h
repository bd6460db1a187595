#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

namespace huntaze::relay::alerts {

using LabelSet = QMap<QString, QString>;
using LabelFilter = std::function<bool(const LabelSet &)>;
// Values grouped by some labels' values (joined by groupSeparator; "" when not grouped).
using Grouped = QMap<QString, double>;
inline constexpr QChar groupSeparator = QChar(0x1f);
// The group key of a sample's labels for `by`.
QString groupOf(const LabelSet &labels, const QStringList &by);

// The relay's /metrics text read back as samples, so the relay can evaluate its own alert
// rules from exactly what Prometheus would scrape.
class MetricSnapshot {
public:
    struct Sample {
        QString name;
        LabelSet labels;
        double value = 0;
    };
    MetricSnapshot() = default;
    static MetricSnapshot parse(const QByteArray &exposition, qint64 atMs);

    qint64 atMs() const { return m_atMs; }
    const QList<Sample> &samples() const { return m_samples; }
    // sum by (by) (name{filter}); by empty: one group "".
    Grouped sum(const QString &name, const QStringList &by, const LabelFilter &filter = {}) const;
    // max by (by) (name{filter}).
    Grouped max(const QString &name, const QStringList &by, const LabelFilter &filter = {}) const;
    // sum by (by) (increase of name{filter} since `earlier`): a series absent then started
    // at 0 (counters are born at 0 with the relay); a counter that went down was reset.
    Grouped increaseSince(const MetricSnapshot &earlier, const QString &name, const QStringList &by,
                          const LabelFilter &filter = {}) const;

private:
    QList<Sample> m_samples;
    qint64 m_atMs = 0;
};

} // namespace huntaze::relay::alerts
