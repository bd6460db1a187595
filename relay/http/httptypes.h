#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <utility>

namespace huntaze::relay {

// A request as the relay's handlers see it: already bounded in size and fully read.
struct HttpRequest {
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased, in arrival order
    QByteArray body;
    QString remoteAddress;

    QByteArray header(QByteArrayView lowerCaseName) const;
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    static HttpResponse json(int status, const QByteArray &body);
    static HttpResponse text(int status, const QByteArray &body);
    // {"error": code, "message": message}: the one error shape every endpoint uses.
    static HttpResponse error(int status, const QString &code, const QString &message);
};

// Called exactly once per request, from any thread. A handler may answer at once or
// keep the responder and answer later (after a database commit, say).
using HttpResponder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest &&, HttpResponder)>;

} // namespace huntaze::relay
