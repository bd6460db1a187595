#include "graphapi.h"

#include "log/logger.h"
#include "log/metricsregistry.h"
#include "oauth/providerclient.h"
#include "outboundhttp.h"
#include "platforms/instagram/instagramusage.h"

#include <QJsonDocument>
#include <QUrlQuery>

#include <chrono>
#include <thread>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.instagram_graph");

// The outcome label of one call, by Meta's error table (instagram.md, "Errors").
QString outcomeOf(const GraphAnswer &answer) {
    if (answer.deferredMs > 0)
        return QStringLiteral("deferred");
    if (!answer.error)
        return QStringLiteral("ok");
    const int code = answer.error->code;
    if (code == 190 || code == 102)
        return QStringLiteral("token_invalid");
    if (code == 10 || (code >= 200 && code <= 299))
        return QStringLiteral("permission");
    if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80002)
        return QStringLiteral("rate_limited");
    if (code == 1 || code == 2 || code == -1 || answer.error->httpStatus == 0 ||
        answer.error->httpStatus >= 500 || answer.error->isTransient)
        return QStringLiteral("transient");
    return QStringLiteral("refused");
}

void count(const QString &component, const QString &outcome) {
    log::MetricsRegistry::global()
        .counter(QStringLiteral("huntaze_instagram_graph_calls_total"),
                 QStringLiteral("Graph API calls made by the relay, by component and outcome "
                                "(deferred: held back by the usage governor, not sent)."),
                 {{QStringLiteral("component"), component}, {QStringLiteral("outcome"), outcome}})
        .inc();
}

void gauge(const QString &scope, int percent) {
    if (percent < 0)
        return;
    log::MetricsRegistry::global()
        .gauge(QStringLiteral("huntaze_instagram_usage_percent"),
               QStringLiteral("Meta's usage figure from the last Graph answer: the app's "
                              "(X-App-Usage) and the last account's (X-Business-Use-Case-Usage)."),
               {{QStringLiteral("scope"), scope}})
        .set(percent);
    // The same figure on the quota gauges every platform shares (dashboards, alerts).
    const log::Labels quota{{QStringLiteral("provider"), QStringLiteral("instagram")},
                            {QStringLiteral("quota"), scope + QStringLiteral("_usage_percent")}};
    log::MetricsRegistry::global()
        .gauge(QStringLiteral("huntaze_quota_used"),
               QStringLiteral("Highest use of a platform quota across accounts."), quota)
        .set(percent);
    log::MetricsRegistry::global()
        .gauge(QStringLiteral("huntaze_quota_limit"), QStringLiteral("The platform quota's limit."),
               quota)
        .set(100);
}

instagram::GraphError madeUpError(int httpStatus, const QString &message) {
    instagram::GraphError error;
    error.httpStatus = httpStatus;
    error.code = 2; // "service temporarily unavailable": retry later
    error.isTransient = true;
    error.message = message;
    return error;
}

} // namespace

GraphApi::GraphApi(OutboundHttp &http, instagram::UsageGovernor &governor, QUrl graphBase,
                   QString version)
    : m_http(http)
    , m_governor(governor)
    , m_graphBase(std::move(graphBase))
    , m_version(std::move(version)) {}

GraphAnswer GraphApi::call(const Call &call) {
    QUrl url =
        oauth::joinUrl(m_graphBase, QLatin1Char('/') + m_version + QLatin1Char('/') + call.path);
    if (!call.query.isEmpty()) {
        QUrlQuery query;
        for (const auto &[name, value] : call.query)
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    }
    return send(url, call);
}

GraphAnswer GraphApi::next(const QUrl &url, const Call &like) {
    if (!isGraphUrl(url)) {
        // A link elsewhere would carry the token elsewhere: treat it as the last page.
        log::warning(kComponent, QStringLiteral("paging.foreign_link"),
                     {{QStringLiteral("host"), url.host()}});
        return {};
    }
    Call call = like;
    call.method = "GET";
    call.form.clear();
    return send(url, call);
}

QUrl GraphApi::nextLink(const QJsonObject &page) {
    return QUrl(
        page.value(QStringLiteral("paging")).toObject().value(QStringLiteral("next")).toString(),
        QUrl::StrictMode);
}

bool GraphApi::isGraphUrl(const QUrl &url) const {
    const QString prefix =
        oauth::joinUrl(m_graphBase, QLatin1Char('/') + m_version + QLatin1Char('/')).path();
    return url.isValid() && url.scheme() == m_graphBase.scheme() &&
           url.host().compare(m_graphBase.host(), Qt::CaseInsensitive) == 0 &&
           url.port(url.scheme() == QLatin1String("https") ? 443 : 80) ==
               m_graphBase.port(m_graphBase.scheme() == QLatin1String("https") ? 443 : 80) &&
           url.path().startsWith(prefix);
}

GraphAnswer GraphApi::send(const QUrl &url, const Call &call) {
    // Slow down before Meta does: the governor's wait, if the caller can afford it.
    if (const qint64 wait = m_governor.delayMs(call.usageKey); wait > 0) {
        if (wait > call.patienceMs) {
            GraphAnswer deferred;
            deferred.deferredMs = wait;
            count(call.component, outcomeOf(deferred));
            return deferred;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
    oauth::OutgoingRequest request;
    request.method = call.method;
    request.request = QNetworkRequest(url);
    request.request.setRawHeader("Authorization", "Bearer " + call.token);
    if (call.method != "GET") {
        request.request.setHeader(QNetworkRequest::ContentTypeHeader,
                                  QByteArrayLiteral("application/x-www-form-urlencoded"));
        request.body = oauth::formEncode(call.form);
    }
    const OutboundHttp::Answer answer = m_http.sendAndWaitWithHeaders(
        request, {QStringLiteral("instagram"), QStringLiteral("graph_") + call.component});

    const instagram::UsageReport usage = instagram::parseUsageHeaders(
        answer.header("X-App-Usage"), answer.header("X-Business-Use-Case-Usage"));
    if (usage.present()) {
        m_governor.record(call.usageKey, usage);
        gauge(QStringLiteral("app"), usage.appPercent);
        gauge(QStringLiteral("account"), usage.accountPercent);
    }

    GraphAnswer out;
    if (answer.status == 0) {
        out.error = madeUpError(0, QStringLiteral("Instagram did not answer in time."));
    } else if (auto error = instagram::parseGraphError(answer.status, answer.body)) {
        out.error = std::move(error);
    } else {
        QJsonParseError parse;
        const QJsonDocument document = QJsonDocument::fromJson(answer.body, &parse);
        if (answer.status != 200 || parse.error != QJsonParseError::NoError || !document.isObject())
            out.error = madeUpError(answer.status,
                                    QStringLiteral("Instagram answered something unreadable."));
        else
            out.body = document.object();
    }
    const QString outcome = outcomeOf(out);
    count(call.component, outcome);
    if (out.error)
        log::info(kComponent, QStringLiteral("graph.error"),
                  {{QStringLiteral("component"), call.component},
                   {QStringLiteral("path"), url.path()},
                   {QStringLiteral("status"), answer.status},
                   // "code" alone would be redacted as an OAuth code.
                   {QStringLiteral("graph_code"), out.error->code},
                   {QStringLiteral("graph_subcode"), out.error->subcode},
                   {QStringLiteral("fbtrace_id"), out.error->fbtraceId},
                   {QStringLiteral("outcome"), outcome}});
    return out;
}

} // namespace huntaze::relay
