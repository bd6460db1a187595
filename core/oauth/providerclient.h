#pragma once

#include "base/result.h"
#include "tokenset.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QUrl>

namespace huntaze::oauth {

// One HTTP request to make: built by a provider client, sent by whoever owns the
// network (the relay's event loop), its answer handed back to the same client to parse.
struct OutgoingRequest {
    QByteArray method = "POST";
    QNetworkRequest request;
    QByteArray body;
};

struct ProviderCredentials {
    QString clientId;     // TikTok client_key, Meta app id, Reddit/X client id
    QString clientSecret; // empty for Reddit's installed app and a public X client
};

// The server side of one platform's OAuth, exactly as shared/platforms/*.md describe
// it: exchange, refresh, revoke, and the profile that names the account. Builders and
// parsers only: no I/O here, so each is unit-testable and the sandbox checks them.
class ProviderClient {
public:
    virtual ~ProviderClient() = default;
    virtual QString provider() const = 0;
    virtual OutgoingRequest exchange(const QString &code, const QString &codeVerifier,
                                     const QString &redirectUri) const = 0;
    virtual OutgoingRequest refresh(const QByteArray &refreshToken) const = 0;
    virtual OutgoingRequest revoke(const QByteArray &token) const = 0;
    virtual Result<TokenSet> parseTokens(int httpStatus, const QByteArray &body) const = 0;
    virtual OutgoingRequest profile(const QByteArray &accessToken, const QString &scope) const = 0;
    virtual Result<Profile> parseProfile(int httpStatus, const QByteArray &body) const = 0;
    // Whether a failed refresh means the grant is dead (the creator must reconnect), as
    // opposed to trouble on the platform's or our side. Only then is an account
    // marked needs_reconnect.
    virtual bool isRefusedGrant(const Error &error) const {
        return error.code == QLatin1String("invalid_grant");
    }
    // Meta only: trade a short-lived user token for a long-lived one. Others: no request.
    virtual std::optional<OutgoingRequest> upgrade(const QByteArray &) const {
        return std::nullopt;
    }
};

// Shared reading of OAuth error answers: invalid_grant (and the like) means the grant is
// dead and the account needs reconnecting; server trouble is retryable.
Error oauthError(const QString &provider, int httpStatus, const QString &code,
                 const QString &description);
QByteArray formEncode(const QList<std::pair<QString, QString>> &fields);
// base + path, keeping any path prefix of the base (the sandbox serves under /tiktok).
QUrl joinUrl(const QUrl &base, const QString &path);
// A request with a form body.
OutgoingRequest formRequest(const QUrl &url, const QList<std::pair<QString, QString>> &fields);

} // namespace huntaze::oauth
