#include "mediahost.h"

#include "audit/auditwriter.h"
#include "broker/oauthbroker.h"
#include "databasepool.h"
#include "devices/devicestore.h"
#include "log/logger.h"
#include "log/metricsregistry.h"
#include "store/pgconnection.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <array>

namespace huntaze::relay {

namespace {

const QString kComponent = QStringLiteral("relay.media");
// The internal route GET /media/<token>.jpg is dispatched to (see rewrite()).
const QString kFetchRoute = QStringLiteral("/media/");
const QString kTokenItem = QStringLiteral("token");
constexpr int kTokenBytes = 16; // 128 random bits, 32 hex digits
constexpr qint64 kMaxCacheSeconds = 3600;

log::Counter &uploads(const QString &outcome) {
    return log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_media_uploads_total"),
        QStringLiteral("Photos uploaded to the relay's media host, by outcome."),
        {{QStringLiteral("outcome"), outcome}});
}

log::Counter &fetches(const QString &outcome) {
    return log::MetricsRegistry::global().counter(
        QStringLiteral("huntaze_media_fetches_total"),
        QStringLiteral("Hosted photos fetched (by Instagram), by outcome."),
        {{QStringLiteral("outcome"), outcome}});
}

QString outcomeOf(int status) {
    switch (status) {
    case 200:
    case 201:
        return QStringLiteral("ok");
    case 401:
        return QStringLiteral("unauthorized");
    case 404:
        return QStringLiteral("not_found");
    case 413:
        return QStringLiteral("too_large");
    case 415:
        return QStringLiteral("not_jpeg");
    case 503:
        return QStringLiteral("unavailable");
    default:
        return QStringLiteral("error");
    }
}

HttpResponse unavailable() {
    HttpResponse response =
        HttpResponse::error(503, QStringLiteral("unavailable"),
                            QObject::tr("The relay cannot reach its database; retry shortly."));
    response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
    return response;
}

HttpResponse notFound() {
    return HttpResponse::error(404, QStringLiteral("not_found"),
                               QObject::tr("No such photo, or its address has expired."));
}

QString newToken() {
    std::array<quint32, kTokenBytes / sizeof(quint32)> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words.data()), kTokenBytes).toHex());
}

bool isToken(const QString &text) {
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{32}$"));
    return pattern.match(text).hasMatch();
}

bool isJpegType(const QByteArray &contentType) {
    return contentType.split(';').value(0).trimmed().toLower() == "image/jpeg";
}

bool looksLikeJpeg(const QByteArray &body) {
    return body.size() >= 3 && quint8(body.at(0)) == 0xFF && quint8(body.at(1)) == 0xD8 &&
           quint8(body.at(2)) == 0xFF;
}

} // namespace

MediaHost::MediaHost(QUrl publicBase, DatabasePool &pool, OAuthBroker &broker, AuditWriter &audit,
                     int cleanupIntervalSeconds)
    : m_publicBase(
          publicBase.toString(QUrl::StripTrailingSlash | QUrl::RemoveQuery | QUrl::RemoveFragment))
    , m_pool(pool)
    , m_broker(broker)
    , m_audit(audit) {
    m_cleanup.setInterval(std::max(1, cleanupIntervalSeconds) * 1000);
    QObject::connect(&m_cleanup, &QTimer::timeout, [this] { deleteExpired(); });
}

QString MediaHost::urlFor(const QString &token) const {
    return m_publicBase + QStringLiteral("/media/") + token + QStringLiteral(".jpg");
}

void MediaHost::rewrite(HttpRequest &request) {
    if (!request.path.startsWith(kFetchRoute) || request.path == kFetchRoute)
        return;
    QString name = request.path.mid(kFetchRoute.size());
    // Only "<token>.jpg" names a photo; anything else keeps no token and is not found.
    const bool jpg = name.endsWith(QLatin1String(".jpg"));
    name.chop(jpg ? 4 : 0);
    request.path = kFetchRoute;
    request.query.clear();
    if (jpg && isToken(name))
        request.query.addQueryItem(kTokenItem, name);
}

void MediaHost::registerRoutes(Router &router, const QString &fetchGroup) {
    router.add(
        "POST", QLatin1String(kUploadPath),
        [this](HttpRequest &&request, HttpResponder respond) {
            upload(std::move(request), std::move(respond));
        },
        QStringLiteral("api"));
    router.add(
        "GET", kFetchRoute,
        [this](HttpRequest &&request, HttpResponder respond) {
            fetch(std::move(request), std::move(respond));
        },
        fetchGroup);
}

void MediaHost::start() {
    uploads(QStringLiteral("ok")); // at 0 from the start, for dashboards
    fetches(QStringLiteral("ok"));
    m_cleanup.start();
    deleteExpired();
}

void MediaHost::deleteExpired() {
    m_pool.submit([](Result<store::PgConnection *> db) {
        if (!db)
            return;
        auto deleted =
            (*db)->exec(QStringLiteral("DELETE FROM hosted_media WHERE expires_at <= now()"));
        if (!deleted) {
            log::warning(kComponent, QStringLiteral("cleanup.failed"),
                         {{QStringLiteral("detail"), deleted.error().message}});
            return;
        }
        if (const qint64 count = deleted->affectedRows(); count > 0) {
            log::MetricsRegistry::global()
                .counter(QStringLiteral("huntaze_media_expired_total"),
                         QStringLiteral("Hosted photos deleted once their address expired."))
                .inc(double(count));
            log::info(kComponent, QStringLiteral("cleanup.deleted"),
                      {{QStringLiteral("count"), count}});
        }
    });
}

void MediaHost::upload(HttpRequest &&request, HttpResponder respond) {
    // Every answer is counted by its outcome.
    HttpResponder answer = [respond](HttpResponse response) {
        uploads(outcomeOf(response.status)).inc();
        respond(std::move(response));
    };
    if (request.body.size() > kMaxBytes)
        return answer(HttpResponse::error(
            413, QStringLiteral("body_too_large"),
            QObject::tr("Instagram takes photos of at most 8 MiB; this one is larger.")));
    if (!isJpegType(request.header("content-type")) || !looksLikeJpeg(request.body))
        return answer(HttpResponse::error(
            415, QStringLiteral("unsupported_media_type"),
            QObject::tr("Send a JPEG photo (Content-Type: image/jpeg): Instagram takes no other "
                        "format.")));
    const QByteArray body = request.body;
    const QString remote = request.remoteAddress;
    m_broker.withDevice(
        request, answer,
        [this, body, remote, answer](store::PgConnection &db, const DeviceIdentity &device) {
            const QByteArray sha256 = QCryptographicHash::hash(body, QCryptographicHash::Sha256);
            const QString candidate = newToken();
            // One statement, so two uploads of one photo at once still get one address. An
            // expired row still waiting for the cleanup gets a new token: an address that
            // expired never comes back.
            auto stored = db.exec(
                QStringLiteral(
                    "INSERT INTO hosted_media (token, user_id, content_type, bytes, sha256, "
                    "expires_at) VALUES ($1, $2, 'image/jpeg', $3, $4, now() + "
                    "make_interval(hours => $5)) "
                    "ON CONFLICT (user_id, sha256) DO UPDATE SET "
                    "token = CASE WHEN hosted_media.expires_at > now() THEN hosted_media.token "
                    "ELSE EXCLUDED.token END, "
                    "created_at = CASE WHEN hosted_media.expires_at > now() THEN "
                    "hosted_media.created_at ELSE now() END, "
                    "expires_at = EXCLUDED.expires_at "
                    "RETURNING token, extract(epoch FROM expires_at)::bigint, token <> $1"),
                {candidate, device.userId, store::PgParam::binary(body),
                 store::PgParam::binary(sha256), kLifetimeHours});
            const QString sha256Hex = QString::fromLatin1(sha256.toHex());
            AuditEntry entry{QStringLiteral("media.upload"),
                             stored ? QStringLiteral("ok") : QStringLiteral("failed"),
                             QStringLiteral("device:%1").arg(device.deviceId),
                             QStringLiteral("instagram"),
                             QStringLiteral("sha256:") + sha256Hex,
                             remote,
                             device.userId,
                             QJsonObject{{QStringLiteral("bytes"), qint64(body.size())}}};
            if (!stored) {
                m_audit.record(entry);
                log::warning(kComponent, QStringLiteral("upload.not_stored"),
                             {{QStringLiteral("detail"), stored.error().message}});
                return answer(unavailable());
            }
            const QString token = stored->text(0, 0);
            const QDateTime expires = QDateTime::fromSecsSinceEpoch(stored->int64(0, 1), Qt::UTC);
            const bool reused = stored->boolean(0, 2);
            entry.details.insert(QStringLiteral("reused"), reused);
            m_audit.record(entry);
            log::info(kComponent, QStringLiteral("upload.stored"),
                      {{QStringLiteral("user_id"), device.userId},
                       {QStringLiteral("bytes"), qint64(body.size())},
                       {QStringLiteral("reused"), reused}});
            answer(HttpResponse::json(
                201, QJsonDocument(
                         QJsonObject{{QStringLiteral("url"), urlFor(token)},
                                     {QStringLiteral("expires_at"), expires.toString(Qt::ISODate)}})
                         .toJson(QJsonDocument::Compact)));
        });
}

void MediaHost::fetch(HttpRequest &&request, HttpResponder respond) {
    HttpResponder answer = [respond](HttpResponse response) {
        fetches(outcomeOf(response.status)).inc();
        respond(std::move(response));
    };
    const QString token = request.query.queryItemValue(kTokenItem);
    if (!isToken(token))
        return answer(notFound());
    const bool head = request.method == "HEAD";
    m_pool.submit([token, head, answer](Result<store::PgConnection *> db) {
        if (!db)
            return answer(unavailable());
        auto found = (*db)->execPrepared(
            QStringLiteral("SELECT bytes, content_type, "
                           "extract(epoch FROM expires_at - now())::bigint "
                           "FROM hosted_media WHERE token = $1 AND expires_at > now()"),
            {token});
        if (!found)
            return answer(unavailable());
        if (found->rows() == 0)
            return answer(notFound());
        HttpResponse response;
        response.status = 200;
        response.contentType = found->bytes(0, 1);
        // The HTTP layer sets Content-Length from the body; a HEAD answer carries none.
        if (!head)
            response.body = QByteArray::fromHex(found->bytes(0, 0).mid(2));
        // Never changes while it lives; caches keep it no longer than that.
        const qint64 maxAge = std::clamp<qint64>(found->int64(0, 2), 0, kMaxCacheSeconds);
        response.headers.append(
            {QByteArrayLiteral("Cache-Control"),
             QByteArrayLiteral("public, max-age=") + QByteArray::number(maxAge)});
        response.headers.append({QByteArrayLiteral("X-Content-Type-Options"), "nosniff"});
        answer(std::move(response));
    });
}

} // namespace huntaze::relay
