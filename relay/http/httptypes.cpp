#include "httptypes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace huntaze::relay {

QByteArray HttpRequest::header(QByteArrayView lowerCaseName) const {
    for (const auto &[name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

HttpResponse HttpResponse::json(int status, const QByteArray &body) {
    return HttpResponse{status, QByteArrayLiteral("application/json"), body, {}};
}

HttpResponse HttpResponse::text(int status, const QByteArray &body) {
    return HttpResponse{status, QByteArrayLiteral("text/plain; charset=utf-8"), body, {}};
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message) {
    const QJsonObject object{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
    return json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace huntaze::relay
