#pragma once

#include "instagramgraph.h"

namespace sandbox {

// Facebook Login for the sandbox app: the login dialog (HTML and non-interactive),
// the code exchange and the short-lived to long-lived token exchange.
class InstagramOAuth {
public:
    InstagramOAuth(InstagramGraph &graph, std::function<void()> changed);
    void registerRoutes(Router &router);

    static const QStringList &knownScopes();

private:
    struct Request {
        QString clientId;
        QString redirectUri;
        QString state;
        QString responseType;
        QStringList scopes;
    };
    // Validates what the dialog validates; empty string when fine, else the error page text.
    QString validate(const Request &request) const;
    bool redirectAllowed(const QString &uri) const;
    void decide(const ExchangePtr &e, const Request &request, const QString &decision,
                const QString &userId, const QStringList &granted);
    void dialog(const ExchangePtr &e);
    void decision(const ExchangePtr &e);
    void accessToken(GraphCall &call);
    void errorPage(const ExchangePtr &e, const QString &message);

    InstagramGraph &m_graph;
    std::function<void()> m_changed;
};

} // namespace sandbox
