#pragma once

#include "httptypes.h"
#include "ratelimiter.h"

#include <QHash>
#include <QString>

namespace huntaze::relay {

// Exact-path routing by method. Unknown paths get 404, known paths with another
// method 405 with an Allow header, both in the relay's JSON error shape.
class Router {
public:
    // group names the rate limit that applies ("webhooks", "api", "pairing", "debug");
    // empty: none.
    void add(const QByteArray &method, const QString &path, HttpHandler handler,
             const QString &group = {});
    void setRateLimiter(RateLimiter *limiter) { m_limiter = limiter; }
    void dispatch(HttpRequest &&request, HttpResponder responder) const;

private:
    struct Route {
        HttpHandler handler;
        QString group;
    };
    QHash<QString, QHash<QByteArray, Route>> m_routes;
    RateLimiter *m_limiter = nullptr;
};

} // namespace huntaze::relay
