#include "clicontext.h"

#include "desktopsettings.h"
#include "secrets/credentialstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

#include <memory>

namespace huntaze::cli {

namespace {
Error notPaired(const QString &why) {
    return Error{QStringLiteral("cli"),
                 QStringLiteral("not_paired"),
                 QCoreApplication::translate("huntaze-cli",
                                             "This computer is not paired with a relay (%1). Pair "
                                             "it in the window's Settings, or set "
                                             "HUNTAZE_RELAY_URL, HUNTAZE_DEVICE_CREDENTIAL and "
                                             "HUNTAZE_DESKTOP_DATABASE_URL.")
                     .arg(why),
                 {},
                 0,
                 false,
                 {}};
}
} // namespace

void resolveConnection(const QString &settingsFile, std::function<void(Result<Connection>)> done) {
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (env.contains(QStringLiteral("HUNTAZE_RELAY_URL"))) {
        Connection c{QUrl(env.value(QStringLiteral("HUNTAZE_RELAY_URL"))),
                     env.value(QStringLiteral("HUNTAZE_DEVICE_CREDENTIAL")).toUtf8(),
                     env.value(QStringLiteral("HUNTAZE_DESKTOP_DATABASE_URL"))};
        if (c.credential.isEmpty() || c.databaseUrl.isEmpty())
            return done(notPaired(QStringLiteral("HUNTAZE_RELAY_URL is set but not "
                                                 "HUNTAZE_DEVICE_CREDENTIAL and "
                                                 "HUNTAZE_DESKTOP_DATABASE_URL")));
        return done(c);
    }
    const app::DesktopSettings settings(
        settingsFile.isEmpty() ? app::DesktopSettings::defaultFilePath() : settingsFile);
    const QUrl relay = settings.relayUrl();
    if (relay.isEmpty())
        return done(notPaired(QStringLiteral("no relay in the settings")));
    auto store = std::make_shared<secrets::CredentialStore>();
    store->load(
        QStringLiteral("relay-pairing"), [store, relay, done](const Result<QString> &secret) {
            if (!secret)
                return done(secret.error());
            const QJsonObject pairing = QJsonDocument::fromJson(secret->toUtf8()).object();
            Connection c{relay, pairing.value(QStringLiteral("credential")).toString().toUtf8(),
                         pairing.value(QStringLiteral("database_url")).toString()};
            if (c.credential.isEmpty() || c.databaseUrl.isEmpty())
                return done(notPaired(QStringLiteral("no pairing in the keychain")));
            done(c);
        });
}

} // namespace huntaze::cli
