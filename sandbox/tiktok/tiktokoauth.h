#pragma once

#include "tiktokcore.h"

namespace sandbox::tiktok {

// Login Kit for desktop: the authorize page (interactive, or immediate with
// sandbox_decision), the token endpoint (authorization_code, refresh_token) and revoke.
class TikTokOAuth {
public:
    explicit TikTokOAuth(TikTokCore &core)
        : m_core(core) {}
    void registerRoutes(Router &router);

    static const QStringList &knownScopes();
    // Desktop redirect rules: http(s), host localhost or 127.0.0.1, explicit port, no
    // query or fragment, matching a registered URI whose port may be "*".
    static bool redirectUriAllowed(const QString &uri);
    // hex(SHA-256(verifier)) == challenge, verifier 43-128 of [A-Za-z0-9-._~].
    static bool pkceMatches(const QString &verifier, const QString &challenge);

private:
    struct Request {
        QString clientKey;
        QString redirectUri;
        QString state;
        QString challenge;
        QStringList scopes;
    };
    // Validates an authorize request. On a failure that cannot be redirected it answers
    // an error page; on one that can, it redirects with error; returns nullopt for both.
    std::optional<Request> validate(const ExchangePtr &e, const QUrlQuery &query);
    void decide(const ExchangePtr &e, const Request &request, const QString &decision,
                const QString &userId, const QString &grantedScopes, bool scopesGiven);
    void authorize(const ExchangePtr &e);
    void decision(const ExchangePtr &e);
    void token(const ExchangePtr &e);
    void revoke(const ExchangePtr &e);
    bool clientAuthenticated(const ExchangePtr &e, const QUrlQuery &form);
    void errorPage(const ExchangePtr &e, const QString &error, const QString &description);
    void redirectError(const ExchangePtr &e, const Request &request, const QString &error,
                       const QString &description);

    TikTokCore &m_core;
};

} // namespace sandbox::tiktok
