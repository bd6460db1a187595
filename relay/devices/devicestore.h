#pragma once

#include "base/result.h"

#include <QDateTime>
#include <QString>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

struct PairingCode {
    qint64 deviceId = 0;
    QString code; // shown once to the operator, e.g. "K7QM-2XHD-9RTB"
    QDateTime expiresAt;
};

struct PairedDevice {
    qint64 deviceId = 0;
    qint64 userId = 0;
    QString credential; // shown once to the desktop, kept in its OS keychain
    QString databaseRole;
    QString databasePassword;
};

struct DeviceIdentity {
    qint64 deviceId = 0;
    qint64 userId = 0;
    QString name;
};

// Users and paired desktops. Pairing codes and device credentials are stored only as
// SHA-256 hashes; each paired desktop gets its own PostgreSQL role, member of
// huntaze_desktop, so row-level security confines it to its user's rows.
class DeviceStore {
public:
    static Result<qint64> addUser(store::PgConnection &db, const QString &email,
                                  const QString &name);
    static Result<PairingCode> issuePairingCode(store::PgConnection &db, qint64 userId,
                                                const QString &deviceName, int ttlMinutes);
    // Trades a valid, unexpired, unused code for a credential and a database role.
    static Result<PairedDevice> pair(store::PgConnection &db, const QString &code,
                                     const QString &deviceName);
    static Result<DeviceIdentity> authenticate(store::PgConnection &db, const QString &credential);
    // Revokes the credential, disables the role and ends its open sessions.
    static Result<void> revoke(store::PgConnection &db, qint64 deviceId);

    static QString normalizeCode(const QString &code);
};

} // namespace huntaze::relay
