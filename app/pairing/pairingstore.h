#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

namespace huntaze::secrets {
class CredentialStore;
}

namespace huntaze::app {

class DesktopSettings;

// What pairing with a relay leaves behind: where the relay is, the device credential it
// issued and this device's own database login.
struct Pairing {
    QUrl relayUrl;
    QByteArray credential;
    QString databaseUrl; // carries the database password: a secret
    QString deviceName;
};

// Keeps the pairing across restarts. The relay URL and device name are preferences
// (DesktopSettings); the credential and the database login are secrets and go to the OS
// keychain only, as one JSON entry {"credential", "database_url"} under kKeychainKey.
// Asynchronous like the keychain; nothing here is ever logged.
class PairingStore : public QObject {
    Q_OBJECT
public:
    static inline const QString kKeychainKey = QStringLiteral("relay-pairing");

    explicit PairingStore(DesktopSettings &settings,
                          QString keychainService = QStringLiteral("huntaze"),
                          QObject *parent = nullptr);

    using Done = std::function<void(const Result<void> &)>;
    using Loaded = std::function<void(const Result<std::optional<Pairing>> &)>;

    // The keychain first: the settings only name a relay once its secret is stored.
    void save(const Pairing &pairing, Done done);
    // std::nullopt when this computer is not paired.
    void load(Loaded done);
    void forget(Done done);
    // Whether the settings name a relay (cheap; load() says whether the secret is there).
    bool looksPaired() const;

    // The keychain entry, and back (exposed for tests).
    static QString secretFor(const Pairing &pairing);
    static std::optional<Pairing> pairingFrom(const QString &secret);

private:
    DesktopSettings &m_settings;
    secrets::CredentialStore *m_keychain;
};

} // namespace huntaze::app
