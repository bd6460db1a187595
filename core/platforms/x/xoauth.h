#pragma once

#include "oauth/providerclient.h"

namespace huntaze::platforms {

// X OAuth 2.0 (shared/platforms/x.md): a confidential client authenticates with HTTP
// Basic, a public one sends client_id in the body; every refresh returns a new refresh
// token and the old one stops working.
class XOAuth : public oauth::ProviderClient {
public:
    XOAuth(oauth::ProviderCredentials credentials, QUrl apiBase);
    QString provider() const override { return QStringLiteral("x"); }
    oauth::OutgoingRequest exchange(const QString &code, const QString &codeVerifier,
                                    const QString &redirectUri) const override;
    oauth::OutgoingRequest refresh(const QByteArray &refreshToken) const override;
    oauth::OutgoingRequest revoke(const QByteArray &token) const override;
    Result<oauth::TokenSet> parseTokens(int httpStatus, const QByteArray &body) const override;
    oauth::OutgoingRequest profile(const QByteArray &accessToken,
                                   const QString &scope) const override;
    Result<oauth::Profile> parseProfile(int httpStatus, const QByteArray &body) const override;
    // X answers a revoked or spent refresh token with invalid_request ("Value passed for
    // the token was invalid.") rather than invalid_grant.
    bool isRefusedGrant(const Error &error) const override;

private:
    oauth::OutgoingRequest authenticated(const QString &path,
                                         QList<std::pair<QString, QString>> fields) const;
    oauth::ProviderCredentials m_credentials;
    QUrl m_apiBase;
};

} // namespace huntaze::platforms
