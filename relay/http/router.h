#pragma once

#include "httptypes.h"

#include <QHash>
#include <QString>

namespace huntaze::relay {

// Exact-path routing by method. Unknown paths get 404, known paths with another
// method 405 with an Allow header, both in the relay's JSON error shape.
class Router {
public:
    void add(const QByteArray &method, const QString &path, HttpHandler handler);
    void dispatch(HttpRequest &&request, HttpResponder responder) const;

private:
    QHash<QString, QHash<QByteArray, HttpHandler>> m_routes;
};

} // namespace huntaze::relay
