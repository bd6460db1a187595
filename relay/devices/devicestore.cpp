#include "devicestore.h"

#include "store/pgconnection.h"

#include <QCryptographicHash>
#include <QObject>

#include <openssl/rand.h>

namespace huntaze::relay {

namespace {

// Crockford's base32 without I, L, O, U: easy to read aloud and to type.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

QByteArray randomBytes(int count) {
    QByteArray bytes(count, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count);
    return bytes;
}

QByteArray sha256(const QString &text) {
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

Error deviceError(const QString &code, const QString &message, int status = 400) {
    Error error;
    error.domain = QStringLiteral("devices");
    error.code = code;
    error.message = message;
    error.httpStatus = status;
    return error;
}

} // namespace

QString DeviceStore::normalizeCode(const QString &code) {
    QString out;
    for (const QChar c : code.toUpper())
        if (c.isLetterOrNumber())
            out += c == QLatin1Char('O')                              ? QLatin1Char('0')
                   : (c == QLatin1Char('I') || c == QLatin1Char('L')) ? QLatin1Char('1')
                                                                      : c;
    return out;
}

Result<qint64> DeviceStore::addUser(store::PgConnection &db, const QString &email,
                                    const QString &name) {
    auto inserted = db.exec(
        QStringLiteral("INSERT INTO users (email, display_name) VALUES (nullif($1, ''), $2) "
                       "RETURNING id"),
        {email, name});
    if (!inserted) {
        if (inserted.error().code == QLatin1String("23505"))
            return deviceError(QStringLiteral("user_exists"),
                               QObject::tr("A user with that email already exists."));
        return inserted.error();
    }
    return inserted->int64(0, 0);
}

Result<PairingCode> DeviceStore::issuePairingCode(store::PgConnection &db, qint64 userId,
                                                  const QString &deviceName, int ttlMinutes) {
    const QByteArray random = randomBytes(12);
    QString code;
    for (int i = 0; i < 12; ++i) {
        if (i && i % 4 == 0)
            code += QLatin1Char('-');
        code += QLatin1Char(kAlphabet[quint8(random.at(i)) % 32]);
    }
    auto inserted = db.exec(
        QStringLiteral(
            "INSERT INTO devices (user_id, name, status, pairing_code_hash, pairing_expires_at) "
            "SELECT id, $2, 'pending', $3, now() + make_interval(mins => $4) FROM users WHERE id = "
            "$1 "
            "RETURNING id, pairing_expires_at"),
        {userId, deviceName, store::PgParam::binary(sha256(normalizeCode(code))), ttlMinutes});
    if (!inserted)
        return inserted.error();
    if (inserted->rows() == 0)
        return deviceError(QStringLiteral("no_such_user"),
                           QObject::tr("There is no user %1.").arg(userId), 404);
    return PairingCode{inserted->int64(0, 0), code,
                       QDateTime::fromString(inserted->text(0, 1), Qt::ISODate)};
}

Result<PairedDevice> DeviceStore::pair(store::PgConnection &db, const QString &code,
                                       const QString &deviceName) {
    const QString normalized = normalizeCode(code);
    if (normalized.size() != 12)
        return deviceError(QStringLiteral("invalid_code"),
                           QObject::tr("That pairing code is not valid."), 401);
    PairedDevice device;
    device.credential = QStringLiteral("hzd_") +
                        QString::fromLatin1(randomBytes(32).toBase64(
                            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    device.databasePassword = QString::fromLatin1(randomBytes(24).toHex());

    if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
        return begun.error();
    // Single use: only one request can move the row from pending to active.
    auto claimed = db.exec(
        QStringLiteral(
            "UPDATE devices SET status = 'active', pairing_code_hash = NULL, paired_at = now(), "
            "token_hash = $2, name = coalesce(nullif($3, ''), name), db_role = 'huntaze_device_' "
            // Roles are cluster-wide: the database's own tag keeps two Huntaze databases
            // (or test databases) in one cluster from both claiming huntaze_device_1.
            "|| substr(md5(current_database()), 1, 8) || '_' || id "
            "WHERE pairing_code_hash = $1 AND status = 'pending' AND pairing_expires_at > now() "
            "RETURNING id, user_id, db_role"),
        {store::PgParam::binary(sha256(normalized)),
         store::PgParam::binary(sha256(device.credential)), deviceName});
    if (!claimed || claimed->rows() == 0) {
        (void)db.execScript(QStringLiteral("ROLLBACK"));
        if (!claimed)
            return claimed.error();
        return deviceError(
            QStringLiteral("invalid_code"),
            QObject::tr("That pairing code is unknown, used or expired. Ask for a new one "
                        "(huntaze-relay device pair)."),
            401);
    }
    device.deviceId = claimed->int64(0, 0);
    device.userId = claimed->int64(0, 1);
    device.databaseRole = claimed->text(0, 2);
    // Roles cannot be bound as parameters; both parts are quoted by libpq.
    auto role = db.execScript(
        QStringLiteral("CREATE ROLE ") + db.quoteIdentifier(device.databaseRole) +
        QStringLiteral(" LOGIN PASSWORD ") +
        db.quoteLiteral(db.encryptPassword(device.databaseRole, device.databasePassword)) +
        QStringLiteral(" IN ROLE huntaze_desktop"));
    if (!role) {
        (void)db.execScript(QStringLiteral("ROLLBACK"));
        return role.error();
    }
    if (auto committed = db.execScript(QStringLiteral("COMMIT")); !committed)
        return committed.error();
    return device;
}

Result<DeviceIdentity> DeviceStore::authenticate(store::PgConnection &db,
                                                 const QString &credential) {
    if (!credential.startsWith(QLatin1String("hzd_")) || credential.size() > 100)
        return deviceError(QStringLiteral("unauthorized"),
                           QObject::tr("Pair this desktop with the relay again."), 401);
    auto found = db.execPrepared(
        QStringLiteral(
            "UPDATE devices SET last_seen_at = now() WHERE token_hash = $1 AND status = 'active' "
            "RETURNING id, user_id, name"),
        {store::PgParam::binary(sha256(credential))});
    if (!found)
        return found.error();
    if (found->rows() == 0)
        return deviceError(
            QStringLiteral("unauthorized"),
            QObject::tr(
                "This desktop is not paired with the relay (or was revoked). Pair it again."),
            401);
    return DeviceIdentity{found->int64(0, 0), found->int64(0, 1), found->text(0, 2)};
}

Result<void> DeviceStore::revoke(store::PgConnection &db, qint64 deviceId) {
    auto revoked = db.exec(
        QStringLiteral(
            "UPDATE devices SET status = 'revoked', revoked_at = now(), token_hash = NULL, "
            "pairing_code_hash = NULL WHERE id = $1 AND status <> 'revoked' RETURNING db_role"),
        {deviceId});
    if (!revoked)
        return revoked.error();
    if (revoked->rows() == 0)
        return deviceError(QStringLiteral("no_such_device"),
                           QObject::tr("There is no active or pending device %1.").arg(deviceId),
                           404);
    if (!revoked->isNull(0, 0)) {
        const QString role = revoked->text(0, 0);
        if (auto disabled = db.execScript(QStringLiteral("ALTER ROLE ") + db.quoteIdentifier(role) +
                                          QStringLiteral(" NOLOGIN"));
            !disabled)
            return disabled.error();
        auto ended = db.exec(
            QStringLiteral(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1"),
            {role});
        if (!ended)
            return ended.error();
    }
    return {};
}

} // namespace huntaze::relay
