#pragma once

#include "broker/oauthbroker.h"
#include "http/router.h"

#include <QJsonObject>
#include <QStringList>

namespace huntaze::store {
class PgConnection;
}
namespace huntaze::crypto {
class TokenSealer;
}

namespace huntaze::relay {

class AuditWriter;
class GraphApi;
struct InstagramCandidate;
struct InstagramDiscovery;
struct InstagramNotice;

// Which Instagram professional accounts a connected Facebook login publishes to
// (issue 6). After the login's exchange, on "Check again" and on the creator's choice:
//   GET  /v1/instagram/accounts?account_id=N
//        -> discovers again (no new login): {"candidates", "selected", "problem"?,
//           "warnings"}; a lone candidate is selected at once;
//   POST /v1/instagram/accounts/select {"account_id", "ig_business_ids": [...]}
//        -> stores the chosen candidates (Page token sealed), forgets the login's others,
//           subscribes each chosen Page to webhooks; same answer shape.
// Both with the device credential as bearer, for the device's own user's logins only.
class InstagramAccounts {
public:
    // graph is null when the relay has no Instagram app configured.
    InstagramAccounts(OAuthBroker &broker, const crypto::TokenSealer *sealer, GraphApi *graph,
                      AuditWriter &audit);
    void registerRoutes(Router &router);
    // The broker's hook after an Instagram login's exchange: the "instagram" answer.
    QJsonObject afterConnect(store::PgConnection &db, const OAuthBroker::Connected &login);

private:
    struct Actor {
        qint64 userId = 0;
        QString who; // "device:12"
        QString remoteAddress;
    };
    void list(HttpRequest &&request, HttpResponder respond);
    void select(HttpRequest &&request, HttpResponder respond);
    // Discovers, selects a lone candidate, and says what is selected now.
    QJsonObject review(store::PgConnection &db, qint64 accountId, const QByteArray &userToken,
                       const Actor &actor);
    // Stores the chosen candidates, subscribes their Pages; warnings for Pages that could
    // not be subscribed. Audited.
    Result<QList<InstagramNotice>> store(store::PgConnection &db, qint64 accountId,
                                         const QList<InstagramCandidate> &chosen,
                                         const Actor &actor, bool automatic);
    std::optional<InstagramNotice> subscribe(store::PgConnection &db,
                                             const InstagramCandidate &candidate);
    // The login's user token (refreshed first when due), or why not.
    Result<QByteArray> userToken(store::PgConnection &db, qint64 accountId, qint64 userId);

    OAuthBroker &m_broker;
    const crypto::TokenSealer *m_sealer;
    GraphApi *m_graph;
    AuditWriter &m_audit;
};

} // namespace huntaze::relay
