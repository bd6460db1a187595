#pragma once

#include "base/result.h"
#include "crypto/tokensealer.h"
#include "oauth/tokenset.h"

#include <QDateTime>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

struct StoredAccount {
    qint64 id = 0;
    qint64 userId = 0;
    QString provider;
    QString openId;
    QString status;
    QByteArray accessToken;
    QByteArray refreshToken;
    QDateTime accessExpiresAt;
};

// oauth_accounts as the broker sees it: tokens go in sealed (AES-256-GCM, bound to
// provider, account and kind) and come out opened, only ever inside the relay.
class AccountVault {
public:
    explicit AccountVault(const crypto::TokenSealer &sealer)
        : m_sealer(sealer) {}

    // Inserts or updates the account by its natural key (provider, open_id). An account
    // already connected by another user is refused.
    Result<qint64> upsert(store::PgConnection &db, qint64 userId, const QString &provider,
                          const oauth::TokenSet &tokens, const oauth::Profile &profile) const;
    // Locks the row (FOR UPDATE) for the caller's transaction and opens its tokens.
    Result<StoredAccount> lockAndOpen(store::PgConnection &db, qint64 accountId,
                                      qint64 userId) const;
    // Stores refreshed tokens; a rotated refresh token replaces the old one in the same
    // statement, and a missing one keeps the old.
    Result<void> storeRefreshed(store::PgConnection &db, const StoredAccount &account,
                                const oauth::TokenSet &tokens) const;

private:
    Result<QByteArray> sealOrNull(const QByteArray &token, const QString &provider,
                                  const QString &openId, const QString &kind) const;
    const crypto::TokenSealer &m_sealer;
};

} // namespace huntaze::relay
