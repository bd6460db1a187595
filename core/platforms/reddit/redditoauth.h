#pragma once

#include "oauth/providerclient.h"

namespace huntaze::platforms {

// Reddit's installed-app OAuth (shared/platforms/reddit.md): HTTP Basic with the client
// id and an EMPTY password, a descriptive User-Agent on every call, API calls on the
// oauth host.
class RedditOAuth : public oauth::ProviderClient {
public:
    RedditOAuth(QString clientId, QUrl authBase, QUrl apiBase, QByteArray userAgent);
    QString provider() const override { return QStringLiteral("reddit"); }
    oauth::OutgoingRequest exchange(const QString &code, const QString &codeVerifier,
                                    const QString &redirectUri) const override;
    oauth::OutgoingRequest refresh(const QByteArray &refreshToken) const override;
    oauth::OutgoingRequest revoke(const QByteArray &token) const override;
    Result<oauth::TokenSet> parseTokens(int httpStatus, const QByteArray &body) const override;
    oauth::OutgoingRequest profile(const QByteArray &accessToken,
                                   const QString &scope) const override;
    Result<oauth::Profile> parseProfile(int httpStatus, const QByteArray &body) const override;

private:
    oauth::OutgoingRequest basic(const QString &path,
                                 const QList<std::pair<QString, QString>> &fields) const;
    QString m_clientId;
    QUrl m_authBase;
    QUrl m_apiBase;
    QByteArray m_userAgent;
};

} // namespace huntaze::platforms
