#include "platformdirectory.h"

#include <QJsonDocument>

namespace huntaze::relay {

namespace {
// api_base_url: where the desktop sends its own calls (publishing, status), so a relay
// pointed at the sandbox points its desktops there too.
QJsonObject entry(const QString &clientId, const QString &authorizeUrl, const QString &apiBase) {
    return {{QStringLiteral("client_id"), clientId},
            {QStringLiteral("authorize_url"), authorizeUrl},
            {QStringLiteral("api_base_url"), apiBase}};
}
} // namespace

QJsonObject PlatformDirectory::describe(const config::ServerConfig &c) {
    const auto value = [&c](const char *key) { return c.value(QLatin1String(key)); };
    QJsonObject out;
    if (c.has(QStringLiteral("TIKTOK_CLIENT_KEY")))
        out.insert(QStringLiteral("tiktok"),
                   entry(value("TIKTOK_CLIENT_KEY"),
                         value("TIKTOK_AUTH_BASE") + QStringLiteral("/v2/auth/authorize/"),
                         value("TIKTOK_API_BASE")));
    if (c.has(QStringLiteral("INSTAGRAM_APP_ID"))) {
        QJsonObject instagram =
            entry(value("INSTAGRAM_APP_ID"),
                  value("INSTAGRAM_DIALOG_BASE") + QLatin1Char('/') +
                      value("INSTAGRAM_GRAPH_VERSION") + QStringLiteral("/dialog/oauth"),
                  value("INSTAGRAM_GRAPH_BASE"));
        // The desktop's own Graph calls must use the version the relay pins.
        instagram.insert(QStringLiteral("graph_version"), value("INSTAGRAM_GRAPH_VERSION"));
        // Instagram takes photos by public URL only: this relay hosts the creator's local
        // JPEGs for it (POST /v1/media).
        if (c.has(QStringLiteral("HUNTAZE_MEDIA_PUBLIC_URL")))
            instagram.insert(QStringLiteral("media_host"), true);
        // A Meta app in live mode refuses loopback redirects: desktops then send the
        // creator back through this relay's HTTPS page (/oauth/meta/callback).
        if (c.has(QStringLiteral("INSTAGRAM_REDIRECT_URI")))
            instagram.insert(QStringLiteral("redirect_uri"), value("INSTAGRAM_REDIRECT_URI"));
        out.insert(QStringLiteral("instagram"), instagram);
    }
    if (c.has(QStringLiteral("REDDIT_CLIENT_ID")))
        out.insert(QStringLiteral("reddit"),
                   entry(value("REDDIT_CLIENT_ID"),
                         value("REDDIT_AUTH_BASE") + QStringLiteral("/api/v1/authorize"),
                         value("REDDIT_API_BASE")));
    if (c.has(QStringLiteral("X_CLIENT_ID")))
        out.insert(QStringLiteral("x"),
                   entry(value("X_CLIENT_ID"),
                         value("X_AUTH_BASE") + QStringLiteral("/i/oauth2/authorize"),
                         value("X_API_BASE")));
    return out;
}

void PlatformDirectory::registerRoutes(Router &router, QJsonObject directory) {
    const QByteArray body = QJsonDocument(directory).toJson(QJsonDocument::Compact);
    router.add(
        "GET", QStringLiteral("/v1/platforms"),
        [body](HttpRequest &&, HttpResponder respond) { respond(HttpResponse::json(200, body)); },
        QStringLiteral("api"));
}

} // namespace huntaze::relay
