#include "relayconfig.h"

#include "huntaze/version.h"

#include <QThread>

#include <algorithm>

namespace huntaze::relay {

namespace {
using Kind = config::ConfigKey::Kind;

config::ConfigKey setting(const char *name, Kind kind, const char *defaultValue = "",
                          qint64 minimum = 0, qint64 maximum = 0) {
    return {QLatin1String(name), kind, false, QLatin1String(defaultValue), false, minimum, maximum};
}

// Secrets are never echoed and may also be read from NAME_FILE.
config::ConfigKey secret(const char *name, Kind kind = Kind::Text, bool required = false) {
    return {QLatin1String(name), kind, required, {}, true, 0, 0};
}
} // namespace

QList<config::ConfigKey> relayConfigSchema() {
    // Half the cores: the relay shares its machine with PostgreSQL, and on 2 cores one
    // I/O thread acknowledges more webhooks than two (fewer hand-offs between threads;
    // bench/webhook-ingest.sh: 18.5k/s against 17.1k/s).
    const QByteArray httpThreads = QByteArray::number(std::max(1, QThread::idealThreadCount() / 2));
    return {
        // The URL may carry a password, hence a secret.
        secret("HUNTAZE_DATABASE_URL", Kind::DatabaseUrl, true),
        setting("HUNTAZE_LISTEN", Kind::HostPort, "127.0.0.1:8080"),
        setting("HUNTAZE_HTTP_THREADS", Kind::Integer, httpThreads.constData(), 1, 64),
        setting("HUNTAZE_MAX_BODY_BYTES", Kind::Integer, "1048576", 1024, 64 * 1024 * 1024),
        setting("HUNTAZE_INBOX_BATCH", Kind::Integer, "500", 1, 5000),
        setting("HUNTAZE_INBOX_WRITERS", Kind::Integer, "1", 1, 16),
        setting("HUNTAZE_WORKERS", Kind::Integer, "2", 0, 64),
        setting("HUNTAZE_MAX_ATTEMPTS", Kind::Integer, "10", 1, 1000),
        setting("HUNTAZE_RETRY_BASE_MS", Kind::Integer, "2000", 1, 3600000),
        setting("HUNTAZE_DB_POOL", Kind::Integer, "4", 1, 64),
        setting("HUNTAZE_TLS_CERT", Kind::Path),
        setting("HUNTAZE_TLS_KEY", Kind::Path),
        setting("HUNTAZE_DESKTOP_DATABASE_URL", Kind::DatabaseUrl),
        secret("HUNTAZE_ADMIN_TOKEN"),
        setting("HUNTAZE_KEYRING", Kind::Path),
        setting("HUNTAZE_RATE_LIMIT_WEBHOOKS", Kind::Integer, "20000", 1, 10000000),
        setting("HUNTAZE_RATE_LIMIT_API", Kind::Integer, "1200", 1, 10000000),
        setting("HUNTAZE_RATE_LIMIT_PAIRING", Kind::Integer, "10", 1, 10000),
        setting("HUNTAZE_REFRESH_INTERVAL_SECONDS", Kind::Integer, "60", 1, 86400),
        // How often the relay looks for TikTok posts no webhook or desktop has advanced.
        setting("HUNTAZE_TIKTOK_POLL_INTERVAL_SECONDS", Kind::Integer, "15", 1, 86400),
        // How often the relay pulls media, comments and insights of Instagram accounts.
        setting("HUNTAZE_INSTAGRAM_SYNC_INTERVAL_SECONDS", Kind::Integer, "300", 1, 86400),
        // How often the relay polls Reddit (no webhooks) for posts, scores and comments.
        setting("HUNTAZE_REDDIT_SYNC_INTERVAL_SECONDS", Kind::Integer, "300", 1, 86400),
        // How often the relay pulls the metrics of X posts.
        setting("HUNTAZE_X_SYNC_INTERVAL_SECONDS", Kind::Integer, "300", 1, 86400),
        // The relay's public base URL, for the photos it hosts for Instagram (which only
        // takes photos by URL); the media host is on only when this is set.
        setting("HUNTAZE_MEDIA_PUBLIC_URL", Kind::HttpUrl),
        // How often expired hosted photos are deleted.
        setting("HUNTAZE_MEDIA_CLEANUP_INTERVAL_SECONDS", Kind::Integer, "3600", 1, 86400),
        setting("TIKTOK_CLIENT_KEY", Kind::Text),
        secret("TIKTOK_CLIENT_SECRET"),
        setting("TIKTOK_API_BASE", Kind::HttpUrl, "https://open.tiktokapis.com"),
        setting("TIKTOK_AUTH_BASE", Kind::HttpUrl, "https://www.tiktok.com"),
        setting("INSTAGRAM_DIALOG_BASE", Kind::HttpUrl, "https://www.facebook.com"),
        setting("X_AUTH_BASE", Kind::HttpUrl, "https://x.com"),
        setting("INSTAGRAM_APP_ID", Kind::Text),
        setting("INSTAGRAM_GRAPH_BASE", Kind::HttpUrl, "https://graph.facebook.com"),
        setting("INSTAGRAM_GRAPH_VERSION", Kind::Text, "v25.0"),
        // The HTTPS address of this relay's /oauth/meta/callback page, as registered in the
        // Meta app: needed once the app is live (Meta then refuses loopback redirects).
        setting("INSTAGRAM_REDIRECT_URI", Kind::HttpUrl),
        setting("REDDIT_CLIENT_ID", Kind::Text),
        setting("REDDIT_AUTH_BASE", Kind::HttpUrl, "https://www.reddit.com"),
        setting("REDDIT_API_BASE", Kind::HttpUrl, "https://oauth.reddit.com"),
        // Reddit asks for "<platform>:<app id>:<version> (by /u/<developer>)" on every call.
        setting("REDDIT_USER_AGENT", Kind::Text,
                "server:com.huntaze.relay:" HUNTAZE_VERSION " (by /u/huntaze_app)"),
        setting("X_CLIENT_ID", Kind::Text),
        secret("X_CLIENT_SECRET"),
        setting("X_API_BASE", Kind::HttpUrl, "https://api.x.com"),
        secret("TIKTOK_WEBHOOK_SECRET"),
        setting("HUNTAZE_WEBHOOK_TOLERANCE_SECONDS", Kind::Integer, "300", 1, 86400),
        secret("INSTAGRAM_APP_SECRET"),
        secret("INSTAGRAM_VERIFY_TOKEN"),
        secret("X_CONSUMER_SECRET"),
        // The relay's own alerting (relay/alerts/): the same rules as
        // packaging/prometheus/huntaze-alerts.yml, evaluated every interval from /metrics.
        setting("HUNTAZE_ALERT_INTERVAL_SECONDS", Kind::Integer, "15", 1, 3600),
        // How long a rule must breach before it fires (Prometheus' `for:`).
        setting("HUNTAZE_ALERT_FOR_SECONDS", Kind::Integer, "300", 0, 86400),
        setting("HUNTAZE_ALERT_PLATFORM_ERROR_PERCENT", Kind::Integer, "25", 1, 100),
        setting("HUNTAZE_ALERT_BAD_SIGNATURES", Kind::Integer, "5", 0, 1000000),
        setting("HUNTAZE_ALERT_WEBHOOK_FAILURES", Kind::Integer, "5", 0, 1000000),
        setting("HUNTAZE_ALERT_DEAD_EVENTS", Kind::Integer, "0", 0, 1000000),
        setting("HUNTAZE_ALERT_QUEUE_LAG_SECONDS", Kind::Integer, "120", 1, 86400),
        setting("HUNTAZE_ALERT_REFRESH_FAILURES", Kind::Integer, "3", 0, 1000000),
        setting("HUNTAZE_ALERT_QUOTA_PERCENT", Kind::Integer, "90", 1, 100),
        setting("HUNTAZE_ALERT_UPLOAD_SUCCESS_PERCENT", Kind::Integer, "50", 0, 100),
        // Where alert events are POSTed as JSON (optional), signed when the secret is set.
        setting("HUNTAZE_ALERT_WEBHOOK_URL", Kind::HttpUrl),
        secret("HUNTAZE_ALERT_WEBHOOK_SECRET"),
    };
}

} // namespace huntaze::relay
