#pragma once

#include "oauth/providerclient.h"

namespace huntaze::platforms {

// TikTok Login Kit v2 (shared/platforms/tiktok.md): form-encoded token endpoint with
// client_key + client_secret, top-level token JSON, errors read from the body whatever
// the status, user info with the fields the granted scopes allow.
class TikTokOAuth : public oauth::ProviderClient {
public:
    TikTokOAuth(oauth::ProviderCredentials credentials, QUrl apiBase);
    QString provider() const override { return QStringLiteral("tiktok"); }
    oauth::OutgoingRequest exchange(const QString &code, const QString &codeVerifier,
                                    const QString &redirectUri) const override;
    oauth::OutgoingRequest refresh(const QByteArray &refreshToken) const override;
    oauth::OutgoingRequest revoke(const QByteArray &token) const override;
    Result<oauth::TokenSet> parseTokens(int httpStatus, const QByteArray &body) const override;
    oauth::OutgoingRequest profile(const QByteArray &accessToken,
                                   const QString &scope) const override;
    Result<oauth::Profile> parseProfile(int httpStatus, const QByteArray &body) const override;

private:
    oauth::OutgoingRequest form(const QString &path,
                                const QList<std::pair<QString, QString>> &fields) const;
    oauth::ProviderCredentials m_credentials;
    QUrl m_apiBase;
};

} // namespace huntaze::platforms
