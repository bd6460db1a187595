#include "metricsregistry.h"

#include "logger.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace huntaze::log {

namespace {

QString renderLabels(const Labels &labels, const QString &extraName = {},
                     const QString &extraValue = {}) {
    QStringList parts;
    for (const auto &[name, value] : labels)
        parts << name + QStringLiteral("=\"") + MetricsRegistry::escapeLabelValue(value) +
                     QLatin1Char('"');
    if (!extraName.isEmpty())
        parts << extraName + QStringLiteral("=\"") + extraValue + QLatin1Char('"');
    return parts.isEmpty() ? QString()
                           : QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

QString number(double value) {
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    if (std::isnan(value))
        return QStringLiteral("NaN");
    return QString::number(value, 'g', 17);
}

QString escapeHelp(QString help) {
    return help.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"));
}

} // namespace

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds))
    , m_buckets(new std::atomic<quint64>[m_bounds.size()]()) {
    std::sort(m_bounds.begin(), m_bounds.end());
}

void Histogram::observe(double value) {
    const auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), value);
    if (it != m_bounds.end())
        m_buckets[size_t(it - m_bounds.begin())].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

quint64 Histogram::cumulativeCount(size_t bucket) const {
    quint64 total = 0;
    for (size_t i = 0; i <= bucket && i < m_bounds.size(); ++i)
        total += m_buckets[i].load(std::memory_order_relaxed);
    return total;
}

MetricsRegistry &MetricsRegistry::global() {
    static MetricsRegistry registry;
    return registry;
}

std::vector<double> MetricsRegistry::defaultLatencyBuckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

bool MetricsRegistry::isValidMetricName(const QString &name) {
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return pattern.match(name).hasMatch();
}

bool MetricsRegistry::isValidLabelName(const QString &name) {
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    return pattern.match(name).hasMatch() && !name.startsWith(QLatin1String("__")) &&
           name != QLatin1String("le");
}

QString MetricsRegistry::escapeLabelValue(const QString &value) {
    QString escaped;
    escaped.reserve(value.size());
    for (const QChar c : value) {
        if (c == QLatin1Char('\\'))
            escaped += QLatin1String("\\\\");
        else if (c == QLatin1Char('"'))
            escaped += QLatin1String("\\\"");
        else if (c == QLatin1Char('\n'))
            escaped += QLatin1String("\\n");
        else
            escaped += c;
    }
    return escaped;
}

MetricsRegistry::Series &MetricsRegistry::series(const QString &name, const QString &help,
                                                 Type type, const Labels &labels) {
    QMutexLocker lock(&m_mutex);
    bool valid = isValidMetricName(name);
    for (const auto &label : labels)
        valid = valid && isValidLabelName(label.first);

    auto familyIt = m_families.find(name);
    if (valid && familyIt != m_families.end() && familyIt->second.type != type)
        valid = false;
    if (!valid) {
        // A programming error, but metrics must never take the program down: hand back
        // a working series that is simply not exported, and say so once in the log.
        auto &family = m_misdeclared[name];
        auto &misdeclared = family.series[renderLabels(labels)];
        if (!misdeclared.counter) {
            warning(QStringLiteral("metrics"), QStringLiteral("metric.misdeclared"),
                    {{QStringLiteral("metric"), name}});
            misdeclared.counter = std::make_unique<Counter>();
            misdeclared.gauge = std::make_unique<Gauge>();
            misdeclared.histogram = std::make_unique<Histogram>(defaultLatencyBuckets());
        }
        return misdeclared;
    }
    if (familyIt == m_families.end())
        familyIt = m_families.emplace(name, Family{type, help, {}}).first;
    Series &entry = familyIt->second.series[renderLabels(labels)];
    if (!entry.counter && !entry.gauge && !entry.histogram)
        entry.labels = labels;
    return entry;
}

Counter &MetricsRegistry::counter(const QString &name, const QString &help, const Labels &labels) {
    Series &entry = series(name, help, Type::Counter, labels);
    QMutexLocker lock(&m_mutex);
    if (!entry.counter)
        entry.counter = std::make_unique<Counter>();
    return *entry.counter;
}

Gauge &MetricsRegistry::gauge(const QString &name, const QString &help, const Labels &labels) {
    Series &entry = series(name, help, Type::Gauge, labels);
    QMutexLocker lock(&m_mutex);
    if (!entry.gauge)
        entry.gauge = std::make_unique<Gauge>();
    return *entry.gauge;
}

Histogram &MetricsRegistry::histogram(const QString &name, const QString &help,
                                      const Labels &labels, std::vector<double> upperBounds) {
    Series &entry = series(name, help, Type::Histogram, labels);
    QMutexLocker lock(&m_mutex);
    if (!entry.histogram)
        entry.histogram = std::make_unique<Histogram>(std::move(upperBounds));
    return *entry.histogram;
}

QByteArray MetricsRegistry::renderPrometheus() const {
    QMutexLocker lock(&m_mutex);
    QString out;
    for (const auto &[name, family] : m_families) {
        static const char *typeNames[] = {"counter", "gauge", "histogram"};
        out += QStringLiteral("# HELP ") + name + QLatin1Char(' ') + escapeHelp(family.help) +
               QLatin1Char('\n');
        out += QStringLiteral("# TYPE ") + name + QLatin1Char(' ') +
               QLatin1String(typeNames[int(family.type)]) + QLatin1Char('\n');
        for (const auto &[key, entry] : family.series) {
            if (entry.counter)
                out += name + key + QLatin1Char(' ') + number(entry.counter->value()) +
                       QLatin1Char('\n');
            if (entry.gauge)
                out += name + key + QLatin1Char(' ') + number(entry.gauge->value()) +
                       QLatin1Char('\n');
            if (entry.histogram) {
                const Histogram &h = *entry.histogram;
                for (size_t i = 0; i < h.upperBounds().size(); ++i)
                    out += name + QStringLiteral("_bucket") +
                           renderLabels(entry.labels, QStringLiteral("le"),
                                        number(h.upperBounds()[i])) +
                           QLatin1Char(' ') + QString::number(h.cumulativeCount(i)) +
                           QLatin1Char('\n');
                out += name + QStringLiteral("_bucket") +
                       renderLabels(entry.labels, QStringLiteral("le"), QStringLiteral("+Inf")) +
                       QLatin1Char(' ') + QString::number(h.count()) + QLatin1Char('\n');
                out += name + QStringLiteral("_sum") + key + QLatin1Char(' ') + number(h.sum()) +
                       QLatin1Char('\n');
                out += name + QStringLiteral("_count") + key + QLatin1Char(' ') +
                       QString::number(h.count()) + QLatin1Char('\n');
            }
        }
    }
    return out.toUtf8();
}

} // namespace huntaze::log
