#pragma once

#include "platform.h"
#include "tiktokstate.h"

namespace sandbox::tiktok {

// What every TikTok component shares: the sandbox context, the platform's state and
// the answers in TikTok's shapes (API envelope, OAuth errors), token and scope checks,
// rate windows and webhooks.
class TikTokCore {
public:
    explicit TikTokCore(SandboxContext &context);

    SandboxContext &context;
    State state;

    qint64 nowMs() const { return context.clock.nowMs(); }
    QString baseUrl() const;
    void changed() { context.state.markDirty(); }
    static QString randomString(int length);
    static QString logId(qint64 nowMs);

    // {"data": data, "error": {"code", "message", "log_id"}}
    void apiOk(const ExchangePtr &e, const QJsonObject &data = {});
    void apiError(const ExchangePtr &e, int status, const QString &code, const QString &message,
                  const QJsonObject &data = {});
    // {"error", "error_description", "log_id"}
    void oauthError(const ExchangePtr &e, int status, const QString &error,
                    const QString &description);

    // The bearer token when valid and granted `scope` (empty: any); otherwise answers
    // access_token_invalid / scope_not_authorized and returns nullopt.
    std::optional<Token> authenticate(const ExchangePtr &e, const QString &scope);
    // Counts this request in the token's sliding minute for `bucket`; answers 429
    // rate_limit_exceeded and returns true when over `limit`.
    bool rateLimited(const ExchangePtr &e, const QString &bucket, const QString &token, int limit);
    // The request body as a JSON object, or answers invalid_param and returns nullopt.
    // An empty body counts as {} when allowEmpty.
    std::optional<QJsonObject> jsonBody(const ExchangePtr &e, bool allowEmpty = false);

    // Issues tokens for a user with scopes; the token endpoint's success body.
    QJsonObject issueTokens(const QString &userId, const QStringList &scopes,
                            const QString &keepRefreshToken = {});
    // Kills every access (and optionally refresh) token of a user (empty: everyone).
    int invalidateTokens(const QString &userId, bool refreshToo);

    // Forgets what can no longer matter: stale rate windows, long-dead tokens and codes.
    void prune();

    void sendWebhook(const QString &event, const QString &openId, const QJsonObject &content);
};

} // namespace sandbox::tiktok
