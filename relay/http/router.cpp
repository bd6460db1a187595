#include "router.h"

#include <QObject>

namespace huntaze::relay {

void Router::add(const QByteArray &method, const QString &path, HttpHandler handler) {
    m_routes[path].insert(method, std::move(handler));
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
    (*handler)(std::move(request), std::move(responder));
}

} // namespace huntaze::relay
