#include "metricsnapshot.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace huntaze::relay::alerts {

namespace {

// Reads `{a="x",b="y"}` from text[pos] (just after the metric name); false if malformed.
bool parseLabels(const QString &text, qsizetype *pos, LabelSet *labels) {
    qsizetype i = *pos + 1; // past '{'
    while (i < text.size() && text[i] != QLatin1Char('}')) {
        const qsizetype equals = text.indexOf(QLatin1Char('='), i);
        if (equals < 0 || equals + 1 >= text.size() || text[equals + 1] != QLatin1Char('"'))
            return false;
        const QString name = text.mid(i, equals - i).trimmed();
        QString value;
        qsizetype j = equals + 2;
        for (; j < text.size() && text[j] != QLatin1Char('"'); ++j) {
            if (text[j] == QLatin1Char('\\') && j + 1 < text.size()) {
                ++j;
                value += text[j] == QLatin1Char('n') ? QLatin1Char('\n') : text[j];
            } else {
                value += text[j];
            }
        }
        if (j >= text.size())
            return false;
        labels->insert(name, value);
        i = j + 1;
        if (i < text.size() && text[i] == QLatin1Char(','))
            ++i;
    }
    if (i >= text.size())
        return false;
    *pos = i + 1;
    return true;
}

QString seriesKey(const MetricSnapshot::Sample &sample) {
    QString key = sample.name;
    for (auto it = sample.labels.cbegin(); it != sample.labels.cend(); ++it)
        key += QLatin1Char('\x1f') + it.key() + QLatin1Char('=') + it.value();
    return key;
}

} // namespace

QString groupOf(const LabelSet &labels, const QStringList &by) {
    QStringList values;
    for (const QString &label : by)
        values.append(labels.value(label));
    return values.join(groupSeparator);
}

MetricSnapshot MetricSnapshot::parse(const QByteArray &exposition, qint64 atMs) {
    MetricSnapshot snapshot;
    snapshot.m_atMs = atMs;
    for (const QByteArray &rawLine : exposition.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        Sample sample;
        qsizetype pos = 0;
        while (pos < line.size() && line[pos] != QLatin1Char('{') && !line[pos].isSpace())
            ++pos;
        sample.name = line.left(pos);
        if (pos < line.size() && line[pos] == QLatin1Char('{') &&
            !parseLabels(line, &pos, &sample.labels))
            continue;
        bool ok = false;
        sample.value = line.mid(pos).trimmed().section(QLatin1Char(' '), 0, 0).toDouble(&ok);
        if (ok && !sample.name.isEmpty())
            snapshot.m_samples.append(std::move(sample));
    }
    return snapshot;
}

Grouped MetricSnapshot::sum(const QString &name, const QStringList &by,
                            const LabelFilter &filter) const {
    Grouped out;
    for (const Sample &sample : m_samples)
        if (sample.name == name && (!filter || filter(sample.labels)))
            out[groupOf(sample.labels, by)] += sample.value;
    return out;
}

Grouped MetricSnapshot::max(const QString &name, const QStringList &by,
                            const LabelFilter &filter) const {
    Grouped out;
    for (const Sample &sample : m_samples) {
        if (sample.name != name || (filter && !filter(sample.labels)) || std::isnan(sample.value))
            continue;
        const QString group = groupOf(sample.labels, by);
        const auto found = out.constFind(group);
        out[group] = found == out.cend() ? sample.value : std::max(*found, sample.value);
    }
    return out;
}

Grouped MetricSnapshot::increaseSince(const MetricSnapshot &earlier, const QString &name,
                                      const QStringList &by, const LabelFilter &filter) const {
    QHash<QString, double> before;
    for (const Sample &sample : earlier.m_samples)
        if (sample.name == name)
            before.insert(seriesKey(sample), sample.value);
    Grouped out;
    for (const Sample &sample : m_samples) {
        if (sample.name != name || (filter && !filter(sample.labels)))
            continue;
        const double then = before.value(seriesKey(sample), 0);
        const double increase = sample.value >= then ? sample.value - then : sample.value;
        out[groupOf(sample.labels, by)] += increase;
    }
    return out;
}

} // namespace huntaze::relay::alerts
