#include "sandboxsettings.h"

#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>

namespace sandbox {

namespace {

const QString kListen = QStringLiteral("HUNTAZE_LISTEN");
const QString kRelay = QStringLiteral("SANDBOX_RELAY_URL");
const QString kState = QStringLiteral("SANDBOX_STATE_DIR");

bool parseListen(const QString &text, QHostAddress *address, quint16 *port) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    const QHostAddress parsed(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                 : host);
    if (!ok || number > 65535 || parsed.isNull())
        return false;
    *address = parsed;
    *port = quint16(number);
    return true;
}

} // namespace

std::optional<SandboxSettings> SandboxSettings::fromSources(const QString &configFile,
                                                            const QString &listenOption,
                                                            const QString &relayOption,
                                                            const QString &stateOption,
                                                            QString *error) {
    QSettings file(configFile, QSettings::IniFormat);
    if (!configFile.isEmpty()) {
        if (file.status() != QSettings::NoError) {
            *error = QStringLiteral("cannot read config file %1").arg(configFile);
            return std::nullopt;
        }
        for (const QString &key : file.allKeys())
            if (key != kListen && key != kRelay && key != kState) {
                *error = QStringLiteral("%1: unknown setting in %2").arg(key, configFile);
                return std::nullopt;
            }
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto pick = [&](const QString &option, const QString &key) {
        if (!option.isEmpty())
            return option;
        if (environment.contains(key))
            return environment.value(key);
        return configFile.isEmpty() ? QString() : file.value(key).toString();
    };

    SandboxSettings settings;
    if (const QString listen = pick(listenOption, kListen);
        !listen.isEmpty() && !parseListen(listen, &settings.listenAddress, &settings.listenPort)) {
        *error = QStringLiteral("%1: expected host:port such as 127.0.0.1:8090, got '%2'")
                     .arg(kListen, listen);
        return std::nullopt;
    }
    if (const QString relay = pick(relayOption, kRelay); !relay.isEmpty()) {
        settings.relayUrl = QUrl(relay, QUrl::StrictMode);
        if (!settings.relayUrl.isValid() || settings.relayUrl.host().isEmpty() ||
            !(settings.relayUrl.scheme() == QLatin1String("http") ||
              settings.relayUrl.scheme() == QLatin1String("https"))) {
            *error = QStringLiteral("%1: expected an http:// or https:// URL, got '%2'")
                         .arg(kRelay, relay);
            return std::nullopt;
        }
    }
    settings.stateDirectory = pick(stateOption, kState);
    if (settings.stateDirectory.isEmpty())
        settings.stateDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return settings;
}

} // namespace sandbox
