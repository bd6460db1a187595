#include "router.h"

#include "log/metricsregistry.h"

#include <QObject>

namespace huntaze::relay {

void Router::add(const QByteArray &method, const QString &path, HttpHandler handler,
                 const QString &group) {
    m_routes[path].insert(method, Route{std::move(handler), group});
}

void Router::dispatch(HttpRequest &&request, HttpResponder responder) const {
    const auto route = m_routes.constFind(request.path);
    if (route == m_routes.cend()) {
        responder(HttpResponse::error(404, QStringLiteral("not_found"),
                                      QObject::tr("No such endpoint.")));
        return;
    }
    QByteArray method = request.method;
    if (method == "HEAD")
        method = "GET";
    const auto handler = route->constFind(method);
    if (handler == route->cend()) {
        HttpResponse response = HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                                    QObject::tr("Method not allowed here."));
        QByteArrayList allowed = route->keys();
        std::sort(allowed.begin(), allowed.end());
        response.headers.append({"Allow", allowed.join(", ")});
        responder(std::move(response));
        return;
    }
    int retryAfter = 1;
    if (m_limiter && !handler->group.isEmpty() &&
        !m_limiter->allow(handler->group, request.remoteAddress, &retryAfter)) {
        log::MetricsRegistry::global()
            .counter(QStringLiteral("huntaze_http_rate_limited_total"),
                     QStringLiteral("Requests refused by the relay's rate limits."),
                     {{QStringLiteral("group"), handler->group}})
            .inc();
        HttpResponse response = HttpResponse::error(429, QStringLiteral("rate_limited"),
                                                    QObject::tr("Too many requests; slow down."));
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfter)});
        responder(std::move(response));
        return;
    }
    handler->handler(std::move(request), std::move(responder));
}

} // namespace huntaze::relay
