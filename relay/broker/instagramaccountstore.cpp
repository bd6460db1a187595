#include "instagramaccountstore.h"

#include "crypto/tokensealer.h"
#include "instagramdiscovery.h"
#include "store/pgconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

namespace huntaze::relay {

namespace {

Error storeError(int status, const QString &code, const QString &message) {
    Error error;
    error.domain = QStringLiteral("broker");
    error.code = code;
    error.httpStatus = status;
    error.message = message;
    return error;
}

QString compact(const QJsonObject &object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString compact(const QJsonArray &array) {
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

Result<void> notifyAccounts(store::PgConnection &db, qint64 userId, qint64 accountId) {
    auto notified = db.exec(
        QStringLiteral("SELECT pg_notify('huntaze_changes', json_build_object('table', "
                       "'instagram_accounts', 'user_id', $1::bigint, 'key', $2::text)::text)"),
        {userId, QString::number(accountId)});
    if (!notified)
        return notified.error();
    return {};
}

} // namespace

Result<void>
InstagramAccountStore::replaceSelection(store::PgConnection &db, qint64 userId, qint64 accountId,
                                        const QList<InstagramCandidate> &chosen) const {
    if (auto begun = db.execScript(QStringLiteral("BEGIN")); !begun)
        return begun.error();
    const auto rollback = [&db](const Error &error) -> Result<void> {
        (void)db.execScript(QStringLiteral("ROLLBACK"));
        return error;
    };
    QJsonArray kept;
    for (const InstagramCandidate &candidate : chosen) {
        std::optional<store::PgParam> sealedParam;
        QString keyId;
        if (!candidate.pageToken.isEmpty()) {
            auto sealed = m_sealer.seal(
                candidate.pageToken,
                {QStringLiteral("instagram"), candidate.igBusinessId, QStringLiteral("page")});
            if (!sealed)
                return rollback(sealed.error());
            sealedParam = store::PgParam::binary(sealed->blob);
            keyId = sealed->keyId;
        }
        const QJsonObject profile{
            {QStringLiteral("id"), candidate.igBusinessId},
            {QStringLiteral("username"), candidate.username},
            {QStringLiteral("name"), candidate.name},
            {QStringLiteral("profile_picture_url"), candidate.profilePictureUrl}};
        auto upserted = db.exec(
            QStringLiteral(
                "INSERT INTO instagram_accounts (user_id, account_id, ig_business_id, page_id, "
                "page_name, username, access_level, page_token_sealed, key_id, profile) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9, ''), $10::jsonb) "
                "ON CONFLICT (ig_business_id) DO UPDATE SET account_id = EXCLUDED.account_id, "
                "page_id = EXCLUDED.page_id, page_name = EXCLUDED.page_name, "
                "username = EXCLUDED.username, access_level = EXCLUDED.access_level, "
                "page_token_sealed = EXCLUDED.page_token_sealed, key_id = EXCLUDED.key_id, "
                "profile = EXCLUDED.profile, updated_at = now() "
                "WHERE instagram_accounts.user_id = EXCLUDED.user_id RETURNING id"),
            {userId, accountId, candidate.igBusinessId, candidate.pageId, candidate.pageName,
             candidate.username, candidate.accessLevel,
             sealedParam ? *sealedParam : store::PgParam(std::nullopt), keyId, compact(profile)});
        if (!upserted)
            return rollback(upserted.error());
        if (upserted->rows() == 0)
            return rollback(
                storeError(409, QStringLiteral("account_taken"),
                           QObject::tr("@%1 is already connected to another Huntaze user.")
                               .arg(candidate.username)));
        kept.append(candidate.igBusinessId);
    }
    auto forgotten = db.exec(
        QStringLiteral("DELETE FROM instagram_accounts WHERE account_id = $1 AND ig_business_id "
                       "NOT IN (SELECT jsonb_array_elements_text($2::jsonb))"),
        {accountId, compact(kept)});
    if (!forgotten)
        return rollback(forgotten.error());
    if (auto notified = notifyAccounts(db, userId, accountId); !notified)
        return rollback(notified.error());
    if (auto committed = db.execScript(QStringLiteral("COMMIT")); !committed)
        return committed.error();
    return {};
}

Result<QStringList> InstagramAccountStore::selected(store::PgConnection &db, qint64 accountId) {
    auto rows = db.exec(QStringLiteral("SELECT ig_business_id FROM instagram_accounts WHERE "
                                       "account_id = $1 ORDER BY id"),
                        {accountId});
    if (!rows)
        return rows.error();
    QStringList out;
    for (int row = 0; row < rows->rows(); ++row)
        out.append(rows->text(row, 0));
    return out;
}

Result<void> InstagramAccountStore::setWebhooksSubscribed(store::PgConnection &db,
                                                          const QString &igBusinessId,
                                                          bool subscribed) {
    auto updated = db.exec(QStringLiteral("UPDATE instagram_accounts SET webhooks_subscribed = $2, "
                                          "updated_at = now() WHERE ig_business_id = $1 AND "
                                          "webhooks_subscribed IS DISTINCT FROM $2"),
                           {igBusinessId, subscribed});
    if (!updated)
        return updated.error();
    return {};
}

Result<void> InstagramAccountStore::requireInstagramLogin(store::PgConnection &db, qint64 accountId,
                                                          qint64 userId) {
    auto rows = db.exec(QStringLiteral("SELECT 1 FROM oauth_accounts WHERE id = $1 AND user_id = "
                                       "$2 AND provider = 'instagram'"),
                        {accountId, userId});
    if (!rows)
        return rows.error();
    if (rows->rows() == 0)
        return storeError(404, QStringLiteral("no_such_account"),
                          QObject::tr("No such connected Instagram login."));
    return {};
}

Result<void> InstagramAccountStore::markNeedsReconnect(store::PgConnection &db, qint64 accountId,
                                                       const QString &reason) {
    auto updated =
        db.exec(QStringLiteral(
                    "UPDATE oauth_accounts SET status = 'needs_reconnect', status_reason = $2, "
                    "access_token_sealed = NULL, refresh_token_sealed = NULL, updated_at = now() "
                    "WHERE id = $1 AND status = 'active' RETURNING user_id, provider, open_id"),
                {accountId, reason});
    if (!updated)
        return updated.error();
    if (updated->rows() == 0)
        return {}; // already marked (or gone)
    const qint64 userId = updated->int64(0, 0);
    auto audited = db.exec(
        QStringLiteral(
            "INSERT INTO audit_log (user_id, actor, event, provider, subject, outcome, details) "
            "VALUES ($1, 'platform', 'authorization.rejected', $2, $3, 'needs_reconnect', "
            "jsonb_build_object('reason', $4::text))"),
        {userId, updated->text(0, 1), updated->text(0, 2), reason});
    if (!audited)
        return audited.error();
    auto notified =
        db.exec(QStringLiteral("SELECT pg_notify('huntaze_changes', json_build_object('table', "
                               "'oauth_accounts', 'user_id', $1::bigint, 'key', $2::text)::text)"),
                {userId, QString::number(accountId)});
    if (!notified)
        return notified.error();
    return {};
}

} // namespace huntaze::relay
