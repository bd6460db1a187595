#include "keyrotation.h"

#include "crypto/keyring.h"
#include "crypto/tokensealer.h"
#include "store/pgconnection.h"

#include <QFile>
#include <QObject>
#include <QSaveFile>

#include <functional>

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

// Rows are re-sealed a batch at a time, each batch in its own transaction, so a large
// table is never locked as a whole; the SELECT takes $1 (the new key id) and LIMIT kBatch.
constexpr int kBatch = 100;

Result<void> inBatches(store::PgConnection &db, const QString &select, const QString &newKeyId,
                       const std::function<Result<void>(const store::PgResult &, int)> &perRow) {
    while (true) {
        if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
            return begun.error();
        const auto rollback = [&db](const Error &error) {
            (void)db.execScript(QStringLiteral("ROLLBACK"));
            return error;
        };
        auto rows = db.exec(select, {newKeyId});
        if (!rows)
            return rollback(rows.error());
        for (int row = 0; row < rows->rows(); ++row)
            if (auto done = perRow(*rows, row); !done)
                return rollback(done.error());
        if (auto committed = db.execScript(QStringLiteral("COMMIT")); !committed)
            return committed.error();
        if (rows->rows() < kBatch)
            return {};
    }
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
    auto accounts = inBatches(
        db,
        QStringLiteral(
            "SELECT id, provider, open_id, key_id, access_token_sealed, refresh_token_sealed "
            "FROM oauth_accounts WHERE key_id IS NOT NULL AND key_id <> $1 "
            "ORDER BY id LIMIT %1 FOR UPDATE")
            .arg(kBatch),
        report.newKeyId, [&](const store::PgResult &rows, int row) -> Result<void> {
            const QString provider = rows.text(row, 1);
            const QString openId = rows.text(row, 2);
            const QString keyId = rows.text(row, 3);
            QList<store::PgParam> params{rows.int64(row, 0), report.newKeyId};
            for (const auto &[column, kind] : {std::pair{4, QStringLiteral("access")},
                                               std::pair{5, QStringLiteral("refresh")}}) {
                if (rows.isNull(row, column)) {
                    params << std::nullopt;
                    continue;
                }
                auto blob =
                    reseal(sealer, keyId, byteaValue(rows, row, column), {provider, openId, kind});
                if (!blob)
                    return blob.error();
                params << store::PgParam::binary(*blob);
            }
            auto updated = db.exec(
                QStringLiteral("UPDATE oauth_accounts SET key_id = $2, access_token_sealed = $3, "
                               "refresh_token_sealed = $4 WHERE id = $1"),
                params);
            if (!updated)
                return updated.error();
            ++report.accountsResealed;
            return {};
        });
    if (!accounts)
        return accounts.error();

    // Instagram Page tokens, bound to the Instagram business account.
    auto pages = inBatches(
        db,
        QStringLiteral(
            "SELECT id, ig_business_id, key_id, page_token_sealed FROM instagram_accounts "
            "WHERE page_token_sealed IS NOT NULL AND key_id IS NOT NULL AND key_id <> $1 "
            "ORDER BY id LIMIT %1 FOR UPDATE")
            .arg(kBatch),
        report.newKeyId, [&](const store::PgResult &rows, int row) -> Result<void> {
            auto blob =
                reseal(sealer, rows.text(row, 2), byteaValue(rows, row, 3),
                       {QStringLiteral("instagram"), rows.text(row, 1), QStringLiteral("page")});
            if (!blob)
                return blob.error();
            auto updated =
                db.exec(QStringLiteral("UPDATE instagram_accounts SET key_id = $2, "
                                       "page_token_sealed = $3 WHERE id = $1"),
                        {rows.int64(row, 0), report.newKeyId, store::PgParam::binary(*blob)});
            if (!updated)
                return updated.error();
            ++report.pageTokensResealed;
            return {};
        });
    if (!pages)
        return pages.error();
    return report;
}

} // namespace huntaze::relay
