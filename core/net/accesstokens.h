#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>

#include <functional>

namespace huntaze::net {

class RelayClient;

// Short-lived platform access tokens for this desktop's accounts, asked of the relay
// (which holds the refresh tokens) and kept in memory only, never on disk, until a
// minute before they expire. forceRefresh is for a token the platform just refused.
class AccessTokens : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Result<QByteArray>)>;
    explicit AccessTokens(RelayClient *relay, QObject *parent = nullptr);

    void get(qint64 accountId, bool forceRefresh, Done done);
    void forget(qint64 accountId) { m_cache.remove(accountId); }

private:
    struct Cached {
        QByteArray token;
        QDateTime usableUntil;
    };
    RelayClient *m_relay;
    QHash<qint64, Cached> m_cache;
};

} // namespace huntaze::net
