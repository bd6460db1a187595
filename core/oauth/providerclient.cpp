#include "providerclient.h"

#include <QObject>
#include <QUrl>

namespace huntaze::oauth {

Error oauthError(const QString &provider, int httpStatus, const QString &code,
                 const QString &description) {
    Error error;
    error.domain = provider;
    error.code = code.isEmpty() ? QStringLiteral("http_%1").arg(httpStatus) : code;
    error.httpStatus = httpStatus;
    error.detail = description.left(300);
    const bool serverTrouble = httpStatus == 0 || httpStatus == 429 || httpStatus >= 500 ||
                               code == QLatin1String("server_error") ||
                               code == QLatin1String("temporarily_unavailable");
    error.retryable = serverTrouble;
    if (code == QLatin1String("invalid_grant"))
        error.message = QObject::tr("The authorization is no longer valid. Reconnect the account.");
    else if (code == QLatin1String("access_denied"))
        error.message =
            QObject::tr("The authorization was denied. Connect again and allow access.");
    else if (code == QLatin1String("invalid_scope"))
        error.message = QObject::tr(
            "The requested permissions were not accepted. Connect again and allow them.");
    else if (code == QLatin1String("invalid_client") ||
             code == QLatin1String("unauthorized_client"))
        error.message = QObject::tr("The relay's app credentials for this platform were refused. "
                                    "The relay's operator must check them.");
    else if (serverTrouble)
        error.message = QObject::tr("The platform is unavailable right now; trying again shortly.");
    else
        error.message = QObject::tr("The platform refused the request (%1).").arg(error.code);
    return error;
}

QByteArray formEncode(const QList<std::pair<QString, QString>> &fields) {
    QByteArray out;
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace huntaze::oauth

namespace huntaze::oauth {

QUrl joinUrl(const QUrl &base, const QString &path) {
    QUrl url = base;
    url.setPath(base.path().chopped(base.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    return url;
}

OutgoingRequest formRequest(const QUrl &url, const QList<std::pair<QString, QString>> &fields) {
    OutgoingRequest out;
    out.request = QNetworkRequest(url);
    out.request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    out.body = formEncode(fields);
    return out;
}

} // namespace huntaze::oauth
