#include "platformcallmetrics.h"

#include "log/metricsregistry.h"

namespace huntaze::relay {

namespace {

QByteArray headerOf(const QList<std::pair<QByteArray, QByteArray>> &headers,
                    const QByteArray &name) {
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// Reddit sends its counts as decimals ("598.0").
bool number(const QByteArray &text, double *out) {
    bool ok = false;
    *out = text.trimmed().toDouble(&ok);
    return ok && *out >= 0;
}

void setQuota(const QString &provider, const QString &endpoint, double used, double limit) {
    const log::Labels labels{{QStringLiteral("provider"), provider},
                             {QStringLiteral("quota"), endpoint + QStringLiteral("_window")}};
    auto &registry = log::MetricsRegistry::global();
    registry
        .gauge(QStringLiteral("huntaze_quota_used"),
               QStringLiteral("Highest use of a platform quota across accounts."), labels)
        .set(used);
    registry
        .gauge(QStringLiteral("huntaze_quota_limit"), QStringLiteral("The platform quota's limit."),
               labels)
        .set(limit);
}

void recordRateLimit(const QString &provider, const QString &endpoint,
                     const QList<std::pair<QByteArray, QByteArray>> &headers) {
    double limit = 0, remaining = 0, used = 0;
    if (number(headerOf(headers, "x-rate-limit-limit"), &limit) &&
        number(headerOf(headers, "x-rate-limit-remaining"), &remaining) && limit > 0)
        setQuota(provider, endpoint, std::max(0.0, limit - remaining), limit); // X
    else if (number(headerOf(headers, "x-ratelimit-used"), &used) &&
             number(headerOf(headers, "x-ratelimit-remaining"), &remaining))
        setQuota(provider, endpoint, used, used + remaining); // Reddit
}

} // namespace

QString PlatformCallMetrics::outcomeOf(int status) {
    if (status <= 0)
        return QStringLiteral("no_answer");
    if (status < 400)
        return QStringLiteral("ok");
    if (status == 401)
        return QStringLiteral("unauthorized");
    if (status == 429)
        return QStringLiteral("rate_limited");
    if (status < 500)
        return QStringLiteral("client_error");
    return QStringLiteral("server_error");
}

void PlatformCallMetrics::record(const QString &provider, const QString &endpoint, bool retry,
                                 int status, double seconds,
                                 const QList<std::pair<QByteArray, QByteArray>> &headers) {
    auto &registry = log::MetricsRegistry::global();
    const log::Labels call{{QStringLiteral("provider"), provider},
                           {QStringLiteral("endpoint"), endpoint}};
    log::Labels counted = call;
    counted.append({QStringLiteral("outcome"), outcomeOf(status)});
    registry
        .counter(QStringLiteral("huntaze_platform_calls_total"),
                 QStringLiteral("Calls the relay made to the platforms, by provider, endpoint "
                                "and outcome (ok, unauthorized, rate_limited, client_error, "
                                "server_error, no_answer)."),
                 counted)
        .inc();
    registry
        .histogram(QStringLiteral("huntaze_platform_call_seconds"),
                   QStringLiteral("Time a platform took to answer the relay's call."), call,
                   {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20})
        .observe(seconds);
    log::Counter &retries = registry.counter(
        QStringLiteral("huntaze_platform_call_retries_total"),
        QStringLiteral("Platform calls that repeated an earlier one (after a forced token "
                       "refresh, say)."),
        call);
    if (retry)
        retries.inc();
    recordRateLimit(provider, endpoint, headers);
}

} // namespace huntaze::relay
