#pragma once

#include "oauth/providerclient.h"

namespace huntaze::platforms {

// Facebook Login for Instagram (shared/platforms/instagram.md): the code is exchanged
// with GET .../oauth/access_token (app secret as a parameter) for a short-lived user
// token, which is then traded for a long-lived one (fb_exchange_token). Meta issues no
// refresh token: a long-lived token is renewed by the creator logging in again.
class InstagramOAuth : public oauth::ProviderClient {
public:
    InstagramOAuth(oauth::ProviderCredentials credentials, QUrl graphBase, QString version);
    QString provider() const override { return QStringLiteral("instagram"); }
    oauth::OutgoingRequest exchange(const QString &code, const QString &codeVerifier,
                                    const QString &redirectUri) const override;
    oauth::OutgoingRequest refresh(const QByteArray &refreshToken) const override;
    oauth::OutgoingRequest revoke(const QByteArray &token) const override;
    Result<oauth::TokenSet> parseTokens(int httpStatus, const QByteArray &body) const override;
    oauth::OutgoingRequest profile(const QByteArray &accessToken,
                                   const QString &scope) const override;
    Result<oauth::Profile> parseProfile(int httpStatus, const QByteArray &body) const override;
    std::optional<oauth::OutgoingRequest> upgrade(const QByteArray &shortLivedToken) const override;

private:
    oauth::OutgoingRequest get(const QString &path,
                               const QList<std::pair<QString, QString>> &query) const;
    oauth::ProviderCredentials m_credentials;
    QUrl m_graphBase;
    QString m_version;
};

} // namespace huntaze::platforms
