#include "relayconfig.h"

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
    return {
        // The URL may carry a password, hence a secret.
        secret("HUNTAZE_DATABASE_URL", Kind::DatabaseUrl, true),
        setting("HUNTAZE_LISTEN", Kind::HostPort, "127.0.0.1:8080"),
        setting("HUNTAZE_HTTP_THREADS", Kind::Integer, "2", 1, 64),
        setting("HUNTAZE_MAX_BODY_BYTES", Kind::Integer, "1048576", 1024, 64 * 1024 * 1024),
        setting("HUNTAZE_INBOX_BATCH", Kind::Integer, "500", 1, 5000),
        setting("HUNTAZE_WORKERS", Kind::Integer, "2", 0, 64),
        setting("HUNTAZE_MAX_ATTEMPTS", Kind::Integer, "10", 1, 1000),
        setting("HUNTAZE_RETRY_BASE_MS", Kind::Integer, "2000", 1, 3600000),
        setting("HUNTAZE_DB_POOL", Kind::Integer, "4", 1, 64),
        setting("HUNTAZE_DESKTOP_DATABASE_URL", Kind::DatabaseUrl),
        secret("HUNTAZE_ADMIN_TOKEN"),
        setting("HUNTAZE_KEYRING", Kind::Path),
        setting("HUNTAZE_RATE_LIMIT_WEBHOOKS", Kind::Integer, "20000", 1, 10000000),
        setting("HUNTAZE_RATE_LIMIT_API", Kind::Integer, "1200", 1, 10000000),
        setting("HUNTAZE_RATE_LIMIT_PAIRING", Kind::Integer, "10", 1, 10000),
        secret("TIKTOK_WEBHOOK_SECRET"),
        setting("HUNTAZE_WEBHOOK_TOLERANCE_SECONDS", Kind::Integer, "300", 1, 86400),
        secret("INSTAGRAM_APP_SECRET"),
        secret("INSTAGRAM_VERIFY_TOKEN"),
        secret("X_CONSUMER_SECRET"),
    };
}

} // namespace huntaze::relay
