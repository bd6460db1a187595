#include "metaredirectpage.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace huntaze::relay {

QUrl MetaRedirectPage::forwardTarget(const QUrlQuery &query) {
    static const QRegularExpression statePattern(
        QStringLiteral("^[A-Za-z0-9_-]{16,200}\\.(\\d{4,5})$"));
    const auto match =
        statePattern.match(query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded));
    if (!match.hasMatch())
        return {};
    const int port = match.captured(1).toInt();
    if (port < 1024 || port > 65535)
        return {};
    QUrl target(QStringLiteral("http://127.0.0.1:%1/callback").arg(port));
    QUrlQuery forwarded;
    // Only what a Login dialog returns; anything else in the request is dropped.
    for (const char *name : {"code", "state", "error", "error_reason", "error_description",
                             "error_code", "error_message"}) {
        const QString key = QLatin1String(name);
        if (query.hasQueryItem(key))
            forwarded.addQueryItem(key, query.queryItemValue(key, QUrl::FullyEncoded));
    }
    target.setQuery(forwarded);
    return target;
}

void MetaRedirectPage::registerRoutes(Router &router) {
    router.add(
        "GET", QStringLiteral("/oauth/meta/callback"),
        [](HttpRequest &&request, HttpResponder respond) {
            const QUrl target = forwardTarget(request.query);
            if (target.isEmpty()) {
                HttpResponse page = HttpResponse::text(
                    400, QByteArrayLiteral(
                             "<!doctype html><meta charset=utf-8><title>Huntaze</title>"
                             "<p>This sign-in link is not complete. Go back to Huntaze and start "
                             "connecting Instagram again.</p>"));
                page.contentType = "text/html; charset=utf-8";
                respond(std::move(page));
                return;
            }
            HttpResponse redirect = HttpResponse::text(302, QByteArray());
            redirect.headers.append({QByteArrayLiteral("Location"), target.toEncoded()});
            redirect.headers.append(
                {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")});
            redirect.headers.append(
                {QByteArrayLiteral("Referrer-Policy"), QByteArrayLiteral("no-referrer")});
            respond(std::move(redirect));
        },
        QStringLiteral("api"));
}

} // namespace huntaze::relay
