#include "serverconfig.h"

#include <QFile>
#include <QObject>
#include <QUrl>

#include <libpq-fe.h>

namespace huntaze::config {

namespace {

constexpr qsizetype kMaxFileSize = 1 << 20;
constexpr qsizetype kMaxSecretFileSize = 64 * 1024;

Error configError(const QString &key, const QString &message) {
    Error error;
    error.domain = QStringLiteral("config");
    error.code = key;
    error.message = key.isEmpty() ? message : key + QLatin1String(": ") + message;
    return error;
}

// Parses KEY=VALUE lines; blank lines and # comments are ignored; a value may be
// wrapped in single or double quotes.
Result<QHash<QString, QString>> parseFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return configError(
            QString(), QObject::tr("cannot read config file %1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxFileSize)
        return configError(QString(), QObject::tr("config file %1 is larger than 1 MiB").arg(path));
    QHash<QString, QString> values;
    int lineNumber = 0;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &raw : lines) {
        ++lineNumber;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return configError(
                QString(), QObject::tr("%1 line %2: expected KEY=VALUE").arg(path).arg(lineNumber));
        const QString key = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 &&
            (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\'')) &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        values.insert(key, value);
    }
    return values;
}

Result<QString> readSecretFile(const QString &key, const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return configError(key + QLatin1String("_FILE"),
                           QObject::tr("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray content = file.read(kMaxSecretFileSize + 1);
    if (content.size() > kMaxSecretFileSize)
        return configError(key + QLatin1String("_FILE"),
                           QObject::tr("%1 is larger than 64 KiB").arg(path));
    // Files written by editors and `echo` end with a newline that is not part of a secret.
    QByteArray trimmed = content;
    while (trimmed.endsWith('\n') || trimmed.endsWith('\r'))
        trimmed.chop(1);
    return QString::fromUtf8(trimmed);
}

Result<void> validate(const ConfigKey &key, const QString &value) {
    const auto shown = [&](const QString &v) {
        return key.secret ? QStringLiteral("(hidden)") : v;
    };
    switch (key.kind) {
    case ConfigKey::Kind::Text:
    case ConfigKey::Kind::Path:
        if (value.contains(QChar(0)) || value.contains(QLatin1Char('\n')))
            return configError(key.name, QObject::tr("contains a control character"));
        return {};
    case ConfigKey::Kind::HostPort:
        if (!ServerConfig::splitHostPort(value, nullptr, nullptr))
            return configError(key.name, QObject::tr("expected host:port such as 127.0.0.1:8080, "
                                                     "got '%1'")
                                             .arg(shown(value)));
        return {};
    case ConfigKey::Kind::HttpUrl: {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return configError(key.name, QObject::tr("expected an http:// or https:// URL, got "
                                                     "'%1'")
                                             .arg(shown(value)));
        return {};
    }
    case ConfigKey::Kind::DatabaseUrl: {
        // libpq's own parser decides what libpq will accept.
        char *message = nullptr;
        PQconninfoOption *options = PQconninfoParse(value.toUtf8().constData(), &message);
        const bool ok = options != nullptr;
        if (options)
            PQconninfoFree(options);
        if (message)
            PQfreemem(message);
        if (!ok)
            return configError(key.name, QObject::tr("not a PostgreSQL connection string or "
                                                     "postgresql:// URL"));
        return {};
    }
    case ConfigKey::Kind::Integer: {
        bool ok = false;
        const qint64 number = value.toLongLong(&ok);
        if (!ok || number < key.minimum || number > key.maximum)
            return configError(key.name, QObject::tr("expected a whole number from %1 to %2, got "
                                                     "'%3'")
                                             .arg(key.minimum)
                                             .arg(key.maximum)
                                             .arg(shown(value)));
        return {};
    }
    }
    return {};
}

} // namespace

bool ServerConfig::splitHostPort(const QString &text, QString *host, quint16 *port) {
    QString hostPart;
    QString portPart;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return false;
        hostPart = text.mid(1, close - 1);
        portPart = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || text.left(colon).contains(QLatin1Char(':')))
            return false;
        hostPart = text.left(colon);
        portPart = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = portPart.toUInt(&ok);
    if (!ok || number > 65535 || hostPart.isEmpty() || hostPart.contains(QLatin1Char(' ')))
        return false;
    if (host)
        *host = hostPart;
    if (port)
        *port = quint16(number);
    return true;
}

Result<ServerConfig> ServerConfig::load(const QList<ConfigKey> &schema, const QString &filePath,
                                        const QProcessEnvironment &environment) {
    QHash<QString, QString> fileValues;
    if (!filePath.isEmpty()) {
        auto parsed = parseFile(filePath);
        if (!parsed)
            return parsed.error();
        fileValues = *parsed;
    }
    // A misspelt key in the file would otherwise be silently ignored.
    for (auto it = fileValues.cbegin(); it != fileValues.cend(); ++it) {
        bool known = false;
        for (const ConfigKey &key : schema)
            known = known || it.key() == key.name ||
                    (key.secret && it.key() == key.name + QLatin1String("_FILE"));
        if (!known)
            return configError(it.key(), QObject::tr("unknown setting in %1").arg(filePath));
    }

    ServerConfig config;
    for (const ConfigKey &key : schema) {
        const QString fileKey = key.name + QLatin1String("_FILE");
        QString value;
        QString origin;
        // Environment first, then the file; within each, NAME and NAME_FILE are exclusive.
        const struct {
            bool hasValue, hasFile;
            QString value, file, origin;
        } layers[] = {
            {environment.contains(key.name), key.secret && environment.contains(fileKey),
             environment.value(key.name), environment.value(fileKey),
             QStringLiteral("environment")},
            {fileValues.contains(key.name), key.secret && fileValues.contains(fileKey),
             fileValues.value(key.name), fileValues.value(fileKey), QStringLiteral("file")},
        };
        for (const auto &layer : layers) {
            if (layer.hasValue && layer.hasFile)
                return configError(key.name, QObject::tr("set both %1 and %2 in the %3; keep one")
                                                 .arg(key.name, fileKey, layer.origin));
            if (layer.hasValue) {
                value = layer.value;
                origin = layer.origin;
                break;
            }
            if (layer.hasFile) {
                auto secret = readSecretFile(key.name, layer.file);
                if (!secret)
                    return secret.error();
                value = *secret;
                origin = layer.origin;
                break;
            }
        }
        if (origin.isEmpty() && !key.defaultValue.isEmpty()) {
            value = key.defaultValue;
            origin = QStringLiteral("default");
        }
        if (value.isEmpty()) {
            if (key.required)
                return configError(key.name, QObject::tr("is required but not set"));
            continue;
        }
        if (auto valid = validate(key, value); !valid)
            return valid.error();
        config.m_values.insert(key.name, value);
        config.m_origins.insert(key.name, origin);
    }
    return config;
}

} // namespace huntaze::config
