#include "relayconfig.h"

namespace huntaze::relay {

QList<config::ConfigKey> relayConfigSchema() {
    using Kind = config::ConfigKey::Kind;
    return {
        // May carry a password, hence secret: never echoed, may come from a file.
        {QStringLiteral("HUNTAZE_DATABASE_URL"), Kind::DatabaseUrl, true, {}, true, 0, 0},
        {QStringLiteral("HUNTAZE_LISTEN"), Kind::HostPort, false, QStringLiteral("127.0.0.1:8080"),
         false, 0, 0},
        {QStringLiteral("HUNTAZE_HTTP_THREADS"), Kind::Integer, false, QStringLiteral("2"), false,
         1, 64},
        {QStringLiteral("HUNTAZE_MAX_BODY_BYTES"), Kind::Integer, false, QStringLiteral("1048576"),
         false, 1024, 64 * 1024 * 1024},
    };
}

} // namespace huntaze::relay
