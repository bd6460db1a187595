#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace huntaze::log {

using Labels = QList<std::pair<QString, QString>>;

class Counter {
public:
    void inc(double by = 1.0) { m_value.fetch_add(by < 0 ? 0 : by, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Gauge {
public:
    void set(double value) { m_value.store(value, std::memory_order_relaxed); }
    void inc(double by = 1.0) { m_value.fetch_add(by, std::memory_order_relaxed); }
    void dec(double by = 1.0) { m_value.fetch_sub(by, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upperBounds);
    void observe(double value);
    const std::vector<double> &upperBounds() const { return m_bounds; }
    // Cumulative count of observations <= upperBounds()[i].
    quint64 cumulativeCount(size_t bucket) const;
    quint64 count() const { return m_count.load(std::memory_order_relaxed); }
    double sum() const { return m_sum.load(std::memory_order_relaxed); }

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_buckets; // per bucket, not cumulative
    std::atomic<quint64> m_count{0};
    std::atomic<double> m_sum{0};
};

// Counters, gauges and histograms with labels, rendered as Prometheus text (exposition
// format 0.0.4). Looking a metric up takes a lock; updating one is a relaxed atomic, so
// hot paths look their metric up once and keep the reference (references stay valid
// for the registry's lifetime).
class MetricsRegistry {
public:
    static MetricsRegistry &global();

    Counter &counter(const QString &name, const QString &help, const Labels &labels = {});
    Gauge &gauge(const QString &name, const QString &help, const Labels &labels = {});
    Histogram &histogram(const QString &name, const QString &help, const Labels &labels = {},
                         std::vector<double> upperBounds = defaultLatencyBuckets());

    QByteArray renderPrometheus() const;

    // Seconds, from 1 ms to 10 s: request and processing latencies.
    static std::vector<double> defaultLatencyBuckets();
    static bool isValidMetricName(const QString &name);
    static bool isValidLabelName(const QString &name);
    static QString escapeLabelValue(const QString &value);

private:
    enum class Type { Counter, Gauge, Histogram };
    struct Series {
        Labels labels;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
    };
    struct Family {
        Type type;
        QString help;
        std::map<QString, Series> series; // keyed by rendered label set
    };
    Series &series(const QString &name, const QString &help, Type type, const Labels &labels);

    mutable QMutex m_mutex;
    std::map<QString, Family> m_families;
    std::map<QString, Family> m_misdeclared; // wrong type or name: kept, never rendered
};

} // namespace huntaze::log
