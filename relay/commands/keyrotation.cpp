#include "keyrotation.h"

#include "crypto/keyring.h"
#include "crypto/tokensealer.h"
#include "store/pgconnection.h"

#include <QFile>
#include <QObject>
#include <QSaveFile>

namespace huntaze::relay {

namespace {

Error rotationError(const QString &message) {
    Error error;
    error.domain = QStringLiteral("crypto");
    error.code = QStringLiteral("rotation_failed");
    error.message = message;
    return error;
}

// bytea comes back as text "\x..." from libpq's text format.
QByteArray byteaValue(const store::PgResult &rows, int row, int column) {
    return QByteArray::fromHex(rows.bytes(row, column).mid(2));
}

Result<QByteArray> reseal(const crypto::TokenSealer &sealer, const QString &keyId,
                          const QByteArray &blob, const crypto::TokenContext &context) {
    auto opened = sealer.open({keyId, blob}, context);
    if (!opened)
        return opened.error();
    auto sealed = sealer.seal(*opened, context);
    if (!sealed)
        return sealed.error();
    return sealed->blob;
}

} // namespace

Result<RotationReport> rotateKeys(store::PgConnection &db, const QString &keyRingPath) {
    QByteArray text;
    QFile existing(keyRingPath);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            return rotationError(
                QObject::tr("cannot read %1: %2").arg(keyRingPath, existing.errorString()));
        text = existing.readAll();
        if (!text.trimmed().isEmpty()) {
            if (auto current = crypto::KeyRing::parse(text); !current)
                return current.error();
        }
    }
    RotationReport report;
    const QByteArray rotated = crypto::KeyRing::withNewActiveKey(text, &report.newKeyId);
    auto ring = crypto::KeyRing::parse(rotated);
    if (!ring)
        return ring.error();
    QSaveFile file(keyRingPath);
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(rotated) != rotated.size() || !file.commit())
        return rotationError(
            QObject::tr("cannot write %1: %2").arg(keyRingPath, file.errorString()));
    const crypto::TokenSealer sealer(*ring);

    // Accounts: access and refresh tokens, bound to provider, open_id and kind.
    while (true) {
        if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
            return begun.error();
        auto rows = db.exec(
            QStringLiteral(
                "SELECT id, provider, open_id, key_id, access_token_sealed, refresh_token_sealed "
                "FROM oauth_accounts WHERE key_id IS NOT NULL AND key_id <> $1 "
                "ORDER BY id LIMIT 100 FOR UPDATE"),
            {report.newKeyId});
        if (!rows) {
            (void)db.execScript(QStringLiteral("ROLLBACK"));
            return rows.error();
        }
        for (int row = 0; row < rows->rows(); ++row) {
            const QString provider = rows->text(row, 1);
            const QString openId = rows->text(row, 2);
            const QString keyId = rows->text(row, 3);
            QList<store::PgParam> params{rows->int64(row, 0), report.newKeyId};
            for (const auto &[column, kind] : {std::pair{4, QStringLiteral("access")},
                                               std::pair{5, QStringLiteral("refresh")}}) {
                if (rows->isNull(row, column)) {
                    params << std::nullopt;
                    continue;
                }
                auto blob =
                    reseal(sealer, keyId, byteaValue(*rows, row, column), {provider, openId, kind});
                if (!blob) {
                    (void)db.execScript(QStringLiteral("ROLLBACK"));
                    return blob.error();
                }
                params << store::PgParam::binary(*blob);
            }
            auto updated = db.exec(
                QStringLiteral("UPDATE oauth_accounts SET key_id = $2, access_token_sealed = $3, "
                               "refresh_token_sealed = $4 WHERE id = $1"),
                params);
            if (!updated) {
                (void)db.execScript(QStringLiteral("ROLLBACK"));
                return updated.error();
            }
            ++report.accountsResealed;
        }
        if (auto committed = db.execScript(QStringLiteral("COMMIT")); !committed)
            return committed.error();
        if (rows->rows() < 100)
            break;
    }

    // Instagram Page tokens, bound to the Instagram business account.
    while (true) {
        if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
            return begun.error();
        auto rows = db.exec(
            QStringLiteral(
                "SELECT id, ig_business_id, key_id, page_token_sealed FROM instagram_accounts "
                "WHERE page_token_sealed IS NOT NULL AND key_id IS NOT NULL AND key_id <> $1 "
                "ORDER BY id LIMIT 100 FOR UPDATE"),
            {report.newKeyId});
        if (!rows) {
            (void)db.execScript(QStringLiteral("ROLLBACK"));
            return rows.error();
        }
        for (int row = 0; row < rows->rows(); ++row) {
            auto blob =
                reseal(sealer, rows->text(row, 2), byteaValue(*rows, row, 3),
                       {QStringLiteral("instagram"), rows->text(row, 1), QStringLiteral("page")});
            if (!blob) {
                (void)db.execScript(QStringLiteral("ROLLBACK"));
                return blob.error();
            }
            auto updated =
                db.exec(QStringLiteral("UPDATE instagram_accounts SET key_id = $2, "
                                       "page_token_sealed = $3 WHERE id = $1"),
                        {rows->int64(row, 0), report.newKeyId, store::PgParam::binary(*blob)});
            if (!updated) {
                (void)db.execScript(QStringLiteral("ROLLBACK"));
                return updated.error();
            }
            ++report.pageTokensResealed;
        }
        if (auto committed = db.execScript(QStringLiteral("COMMIT")); !committed)
            return committed.error();
        if (rows->rows() < 100)
            break;
    }
    return report;
}

} // namespace huntaze::relay
