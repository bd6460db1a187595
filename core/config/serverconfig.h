#pragma once

#include "base/result.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>

namespace huntaze::config {

// One setting a server program understands. The same name is used in the config file
// and in the environment, so an operator can move a setting between them freely.
struct ConfigKey {
    enum class Kind { Text, HostPort, HttpUrl, DatabaseUrl, Integer, Path };
    QString name;
    Kind kind = Kind::Text;
    bool required = false;
    QString defaultValue;
    bool secret = false; // never echoed in errors; may also come from NAME_FILE
    qint64 minimum = 0;
    qint64 maximum = 0;
};

// Configuration of huntaze-relay: KEY=VALUE lines in a file (the same shape as a
// systemd EnvironmentFile), overridden by the environment. Validated as a whole at
// start: the first bad key is named in the error and the program exits non-zero.
class ServerConfig {
public:
    static Result<ServerConfig> load(const QList<ConfigKey> &schema, const QString &filePath,
                                     const QProcessEnvironment &environment);

    QString value(const QString &name) const { return m_values.value(name); }
    qint64 integer(const QString &name) const { return m_values.value(name).toLongLong(); }
    bool has(const QString &name) const { return !m_values.value(name).isEmpty(); }
    // "environment", "file" or "default": shown by `check-config`.
    QString origin(const QString &name) const { return m_origins.value(name); }

    // host:port (IPv6 in brackets) into its parts; false when malformed.
    static bool splitHostPort(const QString &text, QString *host, quint16 *port);

private:
    QHash<QString, QString> m_values;
    QHash<QString, QString> m_origins;
};

} // namespace huntaze::config
