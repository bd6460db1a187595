#include "deviceendpoints.h"

#include "audit/auditwriter.h"
#include "databasepool.h"
#include "devicestore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace huntaze::relay {

namespace {

HttpResponse fromError(const Error &error) {
    if (error.domain == QLatin1String("devices"))
        return HttpResponse::error(error.httpStatus ? error.httpStatus : 400, error.code,
                                   error.message);
    HttpResponse response =
        HttpResponse::error(503, QStringLiteral("unavailable"),
                            QStringLiteral("The relay's database is unavailable; retry shortly."));
    response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
    return response;
}

QString bearer(const HttpRequest &request) {
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return {};
}

} // namespace

DeviceEndpoints::DeviceEndpoints(DatabasePool &pool, AuditWriter &audit, QUrl desktopDatabaseUrl)
    : m_pool(pool)
    , m_audit(audit)
    , m_desktopDatabaseUrl(std::move(desktopDatabaseUrl)) {
    m_desktopDatabaseUrl = sanitized(m_desktopDatabaseUrl);
}

QUrl DeviceEndpoints::sanitized(const QUrl &url) {
    // Only where the server is and how to reach it safely: never the relay's own user,
    // password (which libpq also accepts as ?password=) or other options.
    QUrl clean;
    clean.setScheme(url.scheme());
    clean.setHost(url.host());
    clean.setPort(url.port());
    clean.setPath(url.path());
    const QUrlQuery query(url);
    QUrlQuery kept;
    for (const char *key : {"sslmode", "sslrootcert", "connect_timeout", "target_session_attrs"})
        if (query.hasQueryItem(QLatin1String(key)))
            kept.addQueryItem(QLatin1String(key), query.queryItemValue(QLatin1String(key)));
    clean.setQuery(kept);
    return clean;
}

void DeviceEndpoints::registerRoutes(Router &router) {
    router.add(
        "POST", QStringLiteral("/v1/devices/pair"),
        [this](HttpRequest &&request, HttpResponder respond) {
            pair(std::move(request), std::move(respond));
        },
        QStringLiteral("pairing"));
    router.add(
        "GET", QStringLiteral("/v1/devices/me"),
        [this](HttpRequest &&request, HttpResponder respond) {
            me(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
}

void DeviceEndpoints::pair(HttpRequest &&request, HttpResponder respond) {
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &parseError).object();
    const QString code = body.value(QStringLiteral("code")).toString();
    const QString name = body.value(QStringLiteral("name")).toString().left(200);
    if (parseError.error != QJsonParseError::NoError || code.isEmpty()) {
        respond(HttpResponse::error(
            400, QStringLiteral("bad_request"),
            QStringLiteral("Send {\"code\": \"...\", \"name\": \"...\"} as JSON.")));
        return;
    }
    const QString remote = request.remoteAddress;
    m_pool.submit([this, code, name, remote, respond](Result<store::PgConnection *> db) {
        if (!db) {
            respond(fromError(db.error()));
            return;
        }
        auto paired = DeviceStore::pair(**db, code, name);
        if (!paired) {
            m_audit.record({QStringLiteral("device.pair"),
                            QStringLiteral("rejected"),
                            QStringLiteral("desktop"),
                            {},
                            {},
                            remote,
                            0,
                            QJsonObject{{QStringLiteral("reason"), paired.error().code}}});
            respond(fromError(paired.error()));
            return;
        }
        m_audit.record({QStringLiteral("device.pair"),
                        QStringLiteral("ok"),
                        QStringLiteral("desktop"),
                        {},
                        QStringLiteral("device:%1").arg(paired->deviceId),
                        remote,
                        paired->userId,
                        {}});
        QUrl database = m_desktopDatabaseUrl;
        database.setUserName(paired->databaseRole);
        database.setPassword(paired->databasePassword);
        respond(HttpResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("device_id"), paired->deviceId},
                                           {QStringLiteral("user_id"), paired->userId},
                                           {QStringLiteral("credential"), paired->credential},
                                           {QStringLiteral("database_url"), database.toString()}})
                     .toJson(QJsonDocument::Compact)));
    });
}

void DeviceEndpoints::me(HttpRequest &&request, HttpResponder respond) {
    const QString credential = bearer(request);
    m_pool.submit([credential, respond](Result<store::PgConnection *> db) {
        if (!db) {
            respond(fromError(db.error()));
            return;
        }
        auto identity = DeviceStore::authenticate(**db, credential);
        if (!identity) {
            respond(fromError(identity.error()));
            return;
        }
        respond(HttpResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("device_id"), identity->deviceId},
                                           {QStringLiteral("user_id"), identity->userId},
                                           {QStringLiteral("name"), identity->name}})
                     .toJson(QJsonDocument::Compact)));
    });
}

} // namespace huntaze::relay
