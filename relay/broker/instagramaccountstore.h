#pragma once

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace huntaze::store {
class PgConnection;
}
namespace huntaze::crypto {
class TokenSealer;
}

namespace huntaze::relay {

struct InstagramCandidate;

// instagram_accounts as the relay writes it: the Instagram professional accounts a
// connected Facebook login (an oauth_accounts row) publishes to, each with its Page
// token sealed like every other token (bound to instagram | ig id | "page", so key
// rotation re-seals it).
class InstagramAccountStore {
public:
    explicit InstagramAccountStore(const crypto::TokenSealer &sealer)
        : m_sealer(sealer) {}

    // In one transaction: upserts the chosen accounts for this login and forgets its
    // others (their media and comments go with them). An Instagram account another
    // Huntaze user already connected is refused (account_taken).
    Result<void> replaceSelection(store::PgConnection &db, qint64 userId, qint64 accountId,
                                  const QList<InstagramCandidate> &chosen) const;
    // The Instagram accounts stored for this login.
    static Result<QStringList> selected(store::PgConnection &db, qint64 accountId);
    static Result<void> setWebhooksSubscribed(store::PgConnection &db, const QString &igBusinessId,
                                              bool subscribed);

    // The login exists, is the user's and is an Instagram (Facebook) one; else 404.
    static Result<void> requireInstagramLogin(store::PgConnection &db, qint64 accountId,
                                              qint64 userId);
    // Meta refused the user token (code 190): as the deauthorization webhook does, the
    // login turns needs_reconnect and its dead tokens are dropped; audited, announced.
    static Result<void> markNeedsReconnect(store::PgConnection &db, qint64 accountId,
                                           const QString &reason);

private:
    const crypto::TokenSealer &m_sealer;
};

} // namespace huntaze::relay
