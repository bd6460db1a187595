#pragma once

#include "base/result.h"
#include "http/router.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <memory>

namespace huntaze::store {
class PgConnection;
}
namespace huntaze::crypto {
class TokenSealer;
}
namespace huntaze::oauth {
class ProviderClient;
}

namespace huntaze::relay {

struct DeviceIdentity;
class AuditWriter;
class DatabasePool;
class OutboundHttp;

// The OAuth broker for paired desktops (device credential as bearer):
//   POST /v1/oauth/<provider>/exchange {code, code_verifier, redirect_uri}
//        -> the relay adds the app secret, exchanges, fetches the profile, seals the
//           tokens into oauth_accounts and answers the account (never a token);
//   POST /v1/oauth/<provider>/token {account_id}
//        -> a short-lived access token, refreshed first when it expires within 5 min;
//   POST /v1/oauth/<provider>/revoke {account_id}
//        -> revoked at the platform (best effort) and forgotten here.
// Refreshes hold the account's row lock, so two relays never spend one rotating
// refresh token twice.
class OAuthBroker {
public:
    OAuthBroker(QHash<QString, std::shared_ptr<oauth::ProviderClient>> providers,
                const crypto::TokenSealer *sealer, DatabasePool &pool, OutboundHttp &http,
                AuditWriter &audit);
    void registerRoutes(Router &router);

    // Refreshes one account if it expires within `margin` seconds; used by the endpoint
    // and the refresh worker. Runs on a database pool thread (blocks on the platform).
    struct RefreshOutcome {
        bool refreshed = false;
        QByteArray accessToken;
        qint64 expiresInSeconds = 0;
    };
    Result<RefreshOutcome> refreshIfDue(store::PgConnection &db, qint64 accountId, qint64 userId,
                                        qint64 marginSeconds);

    // Runs job on a database pool thread for the device whose credential the request
    // bears, or answers 401/503 itself. Other device-facing routes use it too.
    using DeviceJob = std::function<void(store::PgConnection &, const DeviceIdentity &)>;
    void withDevice(const HttpRequest &request, HttpResponder respond, DeviceJob job);

    // What a provider does once its new account is stored, on the exchange's pool thread
    // (Instagram: find the professional accounts behind the Facebook login). Its answer
    // joins the exchange's under the provider's name. Set before the relay serves.
    struct Connected {
        qint64 accountId = 0;
        qint64 userId = 0;
        qint64 deviceId = 0;
        QByteArray accessToken;
        QString remoteAddress;
    };
    using ConnectedHook = std::function<QJsonObject(store::PgConnection &, const Connected &)>;
    void setConnectedHook(const QString &provider, ConnectedHook hook);

private:
    void exchange(const QString &provider, HttpRequest &&request, HttpResponder respond);
    void token(HttpRequest &&request, HttpResponder respond);
    void revoke(HttpRequest &&request, HttpResponder respond);

    QHash<QString, std::shared_ptr<oauth::ProviderClient>> m_providers;
    const crypto::TokenSealer *m_sealer;
    DatabasePool &m_pool;
    OutboundHttp &m_http;
    AuditWriter &m_audit;
    QHash<QString, ConnectedHook> m_connectedHooks;
};

} // namespace huntaze::relay
