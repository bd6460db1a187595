#include "accountvault.h"

#include "store/pgconnection.h"

#include <QJsonDocument>
#include <QObject>

namespace huntaze::relay {

namespace {
QByteArray bytea(const store::PgResult &rows, int row, int column) {
    return rows.isNull(row, column) ? QByteArray()
                                    : QByteArray::fromHex(rows.bytes(row, column).mid(2));
}

store::PgParam blobOrNull(const QByteArray &blob) {
    return blob.isEmpty() ? store::PgParam(std::nullopt) : store::PgParam::binary(blob);
}
} // namespace

Result<QByteArray> AccountVault::sealOrNull(const QByteArray &token, const QString &provider,
                                            const QString &openId, const QString &kind) const {
    if (token.isEmpty())
        return QByteArray();
    auto sealed = m_sealer.seal(token, {provider, openId, kind});
    if (!sealed)
        return sealed.error();
    return sealed->blob;
}

Result<qint64> AccountVault::upsert(store::PgConnection &db, qint64 userId, const QString &provider,
                                    const oauth::TokenSet &tokens,
                                    const oauth::Profile &profile) const {
    const QString openId = profile.openId.isEmpty() ? tokens.openId : profile.openId;
    auto access = sealOrNull(tokens.accessToken, provider, openId, QStringLiteral("access"));
    auto refresh = sealOrNull(tokens.refreshToken, provider, openId, QStringLiteral("refresh"));
    if (!access)
        return access.error();
    if (!refresh)
        return refresh.error();
    auto upserted = db.exec(
        QStringLiteral(
            "INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username, "
            "avatar_url, scope, "
            "access_token_sealed, refresh_token_sealed, key_id, access_expires_at, "
            "refresh_expires_at, status, "
            "status_reason, profile, stats) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "now() + make_interval(secs => $11), CASE WHEN $12 > 0 THEN now() + make_interval(secs "
            "=> $12) END, "
            "'active', '', $13::jsonb, $14::jsonb) "
            "ON CONFLICT (provider, open_id) DO UPDATE SET display_name = EXCLUDED.display_name, "
            "username = EXCLUDED.username, avatar_url = EXCLUDED.avatar_url, scope = "
            "EXCLUDED.scope, "
            "access_token_sealed = EXCLUDED.access_token_sealed, "
            // The kept refresh token is only valid under the key it was sealed with.
            "refresh_token_sealed = coalesce(EXCLUDED.refresh_token_sealed, CASE WHEN "
            "oauth_accounts.key_id = EXCLUDED.key_id THEN oauth_accounts.refresh_token_sealed "
            "END), "
            "key_id = EXCLUDED.key_id, access_expires_at = EXCLUDED.access_expires_at, "
            "refresh_expires_at = coalesce(EXCLUDED.refresh_expires_at, "
            "oauth_accounts.refresh_expires_at), "
            "status = 'active', status_reason = '', profile = EXCLUDED.profile, stats = "
            "EXCLUDED.stats, "
            "updated_at = now() WHERE oauth_accounts.user_id = EXCLUDED.user_id RETURNING id"),
        {userId, provider, openId, profile.displayName, profile.username, profile.avatarUrl,
         tokens.scope, blobOrNull(*access), blobOrNull(*refresh), m_sealer.keyRing().activeKeyId(),
         double(tokens.expiresIn), double(tokens.refreshExpiresIn),
         QString::fromUtf8(QJsonDocument(profile.raw).toJson(QJsonDocument::Compact)),
         QString::fromUtf8(QJsonDocument(profile.stats).toJson(QJsonDocument::Compact))});
    if (!upserted)
        return upserted.error();
    if (upserted->rows() == 0) {
        Error error;
        error.domain = QStringLiteral("broker");
        error.code = QStringLiteral("account_taken");
        error.httpStatus = 409;
        error.message = QObject::tr("This %1 account is already connected to another Huntaze user.")
                            .arg(provider);
        return error;
    }
    const qint64 accountId = upserted->int64(0, 0);
    // Desktops listening for changes show the new connection at once.
    (void)db.exec(
        QStringLiteral(
            "SELECT pg_notify('huntaze_changes', json_build_object('table', 'oauth_accounts', "
            "'user_id', $1::bigint, 'key', $2::text)::text)"),
        {userId, QString::number(accountId)});
    return accountId;
}

Result<StoredAccount> AccountVault::lockAndOpen(store::PgConnection &db, qint64 accountId,
                                                qint64 userId) const {
    auto rows =
        db.exec(QStringLiteral(
                    "SELECT id, user_id, provider, open_id, status, key_id, access_token_sealed, "
                    "refresh_token_sealed, access_expires_at FROM oauth_accounts "
                    "WHERE id = $1 AND ($2 = 0 OR user_id = $2) FOR UPDATE"),
                {accountId, userId});
    if (!rows)
        return rows.error();
    if (rows->rows() == 0) {
        Error error;
        error.domain = QStringLiteral("broker");
        error.code = QStringLiteral("no_such_account");
        error.httpStatus = 404;
        error.message = QObject::tr("No such connected account.");
        return error;
    }
    StoredAccount account;
    account.id = rows->int64(0, 0);
    account.userId = rows->int64(0, 1);
    account.provider = rows->text(0, 2);
    account.openId = rows->text(0, 3);
    account.status = rows->text(0, 4);
    account.accessExpiresAt = QDateTime::fromString(rows->text(0, 8), Qt::ISODate);
    const QString keyId = rows->text(0, 5);
    for (const auto &[column, kind, target] :
         {std::tuple{6, QStringLiteral("access"), &account.accessToken},
          std::tuple{7, QStringLiteral("refresh"), &account.refreshToken}}) {
        const QByteArray blob = bytea(*rows, 0, column);
        if (blob.isEmpty())
            continue;
        auto opened = m_sealer.open({keyId, blob}, {account.provider, account.openId, kind});
        if (!opened)
            return opened.error();
        *target = *opened;
    }
    return account;
}

Result<void> AccountVault::storeRefreshed(store::PgConnection &db, const StoredAccount &account,
                                          const oauth::TokenSet &tokens) const {
    auto access =
        sealOrNull(tokens.accessToken, account.provider, account.openId, QStringLiteral("access"));
    auto refresh = sealOrNull(tokens.refreshToken, account.provider, account.openId,
                              QStringLiteral("refresh"));
    if (!access)
        return access.error();
    if (!refresh)
        return refresh.error();
    // Re-seal the kept refresh token too when the key changed, so key_id fits both.
    QByteArray refreshBlob = *refresh;
    if (refreshBlob.isEmpty() && !account.refreshToken.isEmpty()) {
        auto kept = sealOrNull(account.refreshToken, account.provider, account.openId,
                               QStringLiteral("refresh"));
        if (!kept)
            return kept.error();
        refreshBlob = *kept;
    }
    auto updated = db.exec(
        QStringLiteral("UPDATE oauth_accounts SET access_token_sealed = $2, refresh_token_sealed = "
                       "$3, key_id = $4, "
                       "access_expires_at = now() + make_interval(secs => $5), "
                       "refresh_expires_at = CASE WHEN $6 > 0 THEN now() + make_interval(secs => "
                       "$6) ELSE refresh_expires_at END, "
                       "scope = coalesce(nullif($7, ''), scope), updated_at = now() WHERE id = $1"),
        {account.id, blobOrNull(*access), blobOrNull(refreshBlob), m_sealer.keyRing().activeKeyId(),
         double(tokens.expiresIn), double(tokens.refreshExpiresIn), tokens.scope});
    if (!updated)
        return updated.error();
    return {};
}

} // namespace huntaze::relay
