#pragma once

#include "http/router.h"

#include <QTimer>
#include <QUrl>

namespace huntaze::relay {

class AuditWriter;
class DatabasePool;
class OAuthBroker;

// Photos for Instagram, which only takes them by a public URL (instagram.md,
// "Publishing"): a paired desktop uploads the creator's local JPEG, and Meta fetches it
// from the relay.
//   POST /v1/media (device credential as bearer; body: the JPEG, Content-Type
//        image/jpeg, starting FF D8 FF, at most 8 MiB)
//        -> 201 {"url": "<HUNTAZE_MEDIA_PUBLIC_URL>/media/<token>.jpg", "expires_at"}
//        413 too large, 415 not a JPEG, 401 no valid credential, 503 database down.
//        The same bytes from the same user get the same address back (its life renewed).
//   GET /media/<token>.jpg (no credential: Meta fetches it; rate-limited per client)
//        -> the bytes, image/jpeg; 404 for an unknown or expired token.
// The token is 128 random bits; an address lives 48 hours, and expired rows are deleted
// by a timer. Uploads are audited; uploads and fetches are counted by outcome.
// On only when HUNTAZE_MEDIA_PUBLIC_URL is set.
class MediaHost {
public:
    static constexpr qint64 kMaxBytes = 8 * 1024 * 1024; // Instagram's limit for a photo
    static constexpr int kLifetimeHours = 48;
    static constexpr const char *kUploadPath = "/v1/media";

    MediaHost(QUrl publicBase, DatabasePool &pool, OAuthBroker &broker, AuditWriter &audit,
              int cleanupIntervalSeconds);
    MediaHost(const MediaHost &) = delete;
    MediaHost &operator=(const MediaHost &) = delete;

    // fetchGroup names the rate limit for the public GET.
    void registerRoutes(Router &router, const QString &fetchGroup);
    // The router matches exact paths only: a request for /media/<anything> is pointed at
    // the one route registerRoutes added for it, the token moved to the query. Call on
    // every request before the router dispatches it.
    static void rewrite(HttpRequest &request);
    // Starts the cleanup timer (and cleans once now). Call on the relay's main thread.
    void start();
    void deleteExpired();

    // <public base>/media/<token>.jpg
    QString urlFor(const QString &token) const;

private:
    void upload(HttpRequest &&request, HttpResponder respond);
    void fetch(HttpRequest &&request, HttpResponder respond);

    QString m_publicBase; // without a trailing slash
    DatabasePool &m_pool;
    OAuthBroker &m_broker;
    AuditWriter &m_audit;
    QTimer m_cleanup;
};

} // namespace huntaze::relay
