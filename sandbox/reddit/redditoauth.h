#pragma once

#include "redditenv.h"

namespace sandbox {

// www.reddit.com's login side: the authorization page (interactive and the sandbox's
// non-interactive shortcut), the token endpoint and token revocation.
class RedditOAuth {
public:
    explicit RedditOAuth(RedditEnv &env)
        : m_env(env) {}
    void registerRoutes(Router &router);

    static const QStringList &knownScopes();

private:
    struct Request {
        QString clientId;
        QString responseType;
        QString state;
        bool hasState = false;
        QString redirectUri;
        QString duration;
        QString scope;
    };
    static Request requestFrom(const QUrlQuery &query);
    // An error shown as a page (nothing may be redirected), or empty when the client and
    // the redirect URI are fine.
    QString pageError(const Request &request) const;
    // The error to send back to the redirect URI, or empty.
    QString redirectError(const Request &request) const;
    void authorize(const ExchangePtr &exchange, const QUrlQuery &params, bool fromForm);
    void redirectWith(const ExchangePtr &exchange, const Request &request,
                      const QList<std::pair<QString, QString>> &items);
    void servePage(const ExchangePtr &exchange, const Request &request);
    void token(const ExchangePtr &exchange);
    void revoke(const ExchangePtr &exchange);
    bool basicAuthOk(const ExchangePtr &exchange) const;
    QJsonObject issue(const QString &userId, const QStringList &scopes, bool withRefresh,
                      const QString &fromCode, const QString &existingRefresh);

    RedditEnv &m_env;
};

} // namespace sandbox
