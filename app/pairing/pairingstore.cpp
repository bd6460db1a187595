#include "pairingstore.h"

#include "desktopsettings.h"
#include "log/logger.h"
#include "secrets/credentialstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace huntaze::app {

namespace {
const QString kComponent = QStringLiteral("desktop.pairing");
const QString kCredential = QStringLiteral("credential");
const QString kDatabaseUrl = QStringLiteral("database_url");
} // namespace

PairingStore::PairingStore(DesktopSettings &settings, QString keychainService, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keychain(new secrets::CredentialStore(std::move(keychainService), this)) {}

QString PairingStore::secretFor(const Pairing &pairing) {
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{kCredential, QString::fromUtf8(pairing.credential)},
                                  {kDatabaseUrl, pairing.databaseUrl}})
            .toJson(QJsonDocument::Compact));
}

std::optional<Pairing> PairingStore::pairingFrom(const QString &secret) {
    const QJsonObject entry = QJsonDocument::fromJson(secret.toUtf8()).object();
    const QString credential = entry.value(kCredential).toString();
    const QString databaseUrl = entry.value(kDatabaseUrl).toString();
    if (credential.isEmpty() || databaseUrl.isEmpty())
        return std::nullopt;
    Pairing pairing;
    pairing.credential = credential.toUtf8();
    pairing.databaseUrl = databaseUrl;
    return pairing;
}

bool PairingStore::looksPaired() const {
    return !m_settings.relayUrl().isEmpty();
}

void PairingStore::save(const Pairing &pairing, Done done) {
    QPointer self(this);
    const Pairing kept{pairing.relayUrl, {}, {}, pairing.deviceName}; // no secret held here
    m_keychain->store(kKeychainKey, secretFor(pairing),
                      [self, kept, done](const Result<void> &stored) {
                          if (!self)
                              return;
                          if (!stored) {
                              log::warning(kComponent, QStringLiteral("pairing.not_saved"),
                                           {{QStringLiteral("reason"), stored.error().detail}});
                              done(stored);
                              return;
                          }
                          self->m_settings.setRelayUrl(kept.relayUrl);
                          self->m_settings.setRelayDeviceName(kept.deviceName);
                          self->m_settings.sync();
                          log::info(kComponent, QStringLiteral("pairing.saved"),
                                    {{QStringLiteral("relay"), kept.relayUrl.authority()}});
                          done({});
                      });
}

void PairingStore::load(Loaded done) {
    const QUrl relayUrl = m_settings.relayUrl();
    if (relayUrl.isEmpty()) {
        done(std::optional<Pairing>());
        return;
    }
    QPointer self(this);
    m_keychain->load(kKeychainKey, [self, relayUrl, done](const Result<QString> &secret) {
        if (!self)
            return;
        if (!secret) {
            done(secret.error());
            return;
        }
        std::optional<Pairing> pairing = pairingFrom(*secret);
        if (!pairing) {
            if (!secret->isEmpty())
                log::warning(kComponent, QStringLiteral("pairing.unreadable"));
            done(std::optional<Pairing>());
            return;
        }
        pairing->relayUrl = relayUrl;
        pairing->deviceName = self->m_settings.relayDeviceName();
        done(pairing);
    });
}

void PairingStore::forget(Done done) {
    QPointer self(this);
    m_keychain->remove(kKeychainKey, [self, done](const Result<void> &removed) {
        if (!self)
            return;
        if (removed) {
            self->m_settings.setRelayUrl(QUrl());
            self->m_settings.setRelayDeviceName(QString());
            self->m_settings.sync();
            log::info(kComponent, QStringLiteral("pairing.forgotten"));
        }
        done(removed);
    });
}

} // namespace huntaze::app
