#include "xoauth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace huntaze::platforms {

XOAuth::XOAuth(oauth::ProviderCredentials credentials, QUrl apiBase)
    : m_credentials(std::move(credentials))
    , m_apiBase(std::move(apiBase)) {}

oauth::OutgoingRequest XOAuth::authenticated(const QString &path,
                                             QList<std::pair<QString, QString>> fields) const {
    if (m_credentials.clientSecret.isEmpty())
        fields.append({QStringLiteral("client_id"), m_credentials.clientId});
    oauth::OutgoingRequest out = oauth::formRequest(oauth::joinUrl(m_apiBase, path), fields);
    if (!m_credentials.clientSecret.isEmpty())
        out.request.setRawHeader(
            "Authorization",
            "Basic " + QByteArray(QUrl::toPercentEncoding(m_credentials.clientId) + ':' +
                                  QUrl::toPercentEncoding(m_credentials.clientSecret))
                           .toBase64());
    return out;
}

oauth::OutgoingRequest XOAuth::exchange(const QString &code, const QString &codeVerifier,
                                        const QString &redirectUri) const {
    return authenticated(QStringLiteral("/2/oauth2/token"),
                         {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("code"), code},
                          {QStringLiteral("redirect_uri"), redirectUri},
                          {QStringLiteral("code_verifier"), codeVerifier}});
}

oauth::OutgoingRequest XOAuth::refresh(const QByteArray &refreshToken) const {
    return authenticated(QStringLiteral("/2/oauth2/token"),
                         {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}});
}

oauth::OutgoingRequest XOAuth::revoke(const QByteArray &token) const {
    return authenticated(QStringLiteral("/2/oauth2/revoke"),
                         {{QStringLiteral("token"), QString::fromUtf8(token)}});
}

Result<oauth::TokenSet> XOAuth::parseTokens(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (httpStatus != 200 || !root.value(QStringLiteral("access_token")).isString())
        return oauth::oauthError(provider(), httpStatus,
                                 root.value(QStringLiteral("error")).toString(),
                                 root.value(QStringLiteral("error_description")).toString());
    oauth::TokenSet tokens;
    tokens.accessToken = root.value(QStringLiteral("access_token")).toString().toUtf8();
    tokens.refreshToken = root.value(QStringLiteral("refresh_token")).toString().toUtf8();
    tokens.expiresIn = qint64(root.value(QStringLiteral("expires_in")).toDouble());
    tokens.scope = root.value(QStringLiteral("scope")).toString();
    return tokens;
}

oauth::OutgoingRequest XOAuth::profile(const QByteArray &accessToken, const QString &) const {
    QUrl url = oauth::joinUrl(m_apiBase, QStringLiteral("/2/users/me"));
    url.setQuery(QUrlQuery{
        {QStringLiteral("user.fields"), QStringLiteral("profile_image_url,public_metrics")}});
    oauth::OutgoingRequest out;
    out.method = "GET";
    out.request = QNetworkRequest(url);
    out.request.setRawHeader("Authorization", "Bearer " + accessToken);
    return out;
}

Result<oauth::Profile> XOAuth::parseProfile(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonObject data = root.value(QStringLiteral("data")).toObject();
    if (httpStatus != 200 || data.value(QStringLiteral("id")).toString().isEmpty())
        return oauth::oauthError(provider(), httpStatus,
                                 root.value(QStringLiteral("title")).toString(),
                                 root.value(QStringLiteral("detail")).toString());
    oauth::Profile profile;
    profile.openId = data.value(QStringLiteral("id")).toString();
    profile.displayName = data.value(QStringLiteral("name")).toString();
    profile.username = data.value(QStringLiteral("username")).toString();
    profile.avatarUrl = data.value(QStringLiteral("profile_image_url")).toString();
    profile.stats = data.value(QStringLiteral("public_metrics")).toObject();
    profile.raw = data;
    return profile;
}

bool XOAuth::isRefusedGrant(const Error &error) const {
    return error.code == QLatin1String("invalid_grant") ||
           (error.code == QLatin1String("invalid_request") &&
            error.detail.contains(QLatin1String("token"), Qt::CaseInsensitive));
}

} // namespace huntaze::platforms
