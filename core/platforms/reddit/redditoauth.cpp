#include "redditoauth.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace huntaze::platforms {

RedditOAuth::RedditOAuth(QString clientId, QUrl authBase, QUrl apiBase, QByteArray userAgent)
    : m_clientId(std::move(clientId))
    , m_authBase(std::move(authBase))
    , m_apiBase(std::move(apiBase))
    , m_userAgent(std::move(userAgent)) {}

oauth::OutgoingRequest RedditOAuth::basic(const QString &path,
                                          const QList<std::pair<QString, QString>> &fields) const {
    oauth::OutgoingRequest out = oauth::formRequest(oauth::joinUrl(m_authBase, path), fields);
    out.request.setRawHeader("Authorization",
                             "Basic " + QByteArray(m_clientId.toUtf8() + ':').toBase64());
    out.request.setRawHeader("User-Agent", m_userAgent);
    return out;
}

oauth::OutgoingRequest RedditOAuth::exchange(const QString &code, const QString &,
                                             const QString &redirectUri) const {
    return basic(QStringLiteral("/api/v1/access_token"),
                 {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                  {QStringLiteral("code"), code},
                  {QStringLiteral("redirect_uri"), redirectUri}});
}

oauth::OutgoingRequest RedditOAuth::refresh(const QByteArray &refreshToken) const {
    return basic(QStringLiteral("/api/v1/access_token"),
                 {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                  {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}});
}

oauth::OutgoingRequest RedditOAuth::revoke(const QByteArray &token) const {
    return basic(QStringLiteral("/api/v1/revoke_token"),
                 {{QStringLiteral("token"), QString::fromUtf8(token)},
                  {QStringLiteral("token_type_hint"), QStringLiteral("refresh_token")}});
}

Result<oauth::TokenSet> RedditOAuth::parseTokens(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (httpStatus != 200 || !root.value(QStringLiteral("access_token")).isString())
        return oauth::oauthError(provider(), httpStatus,
                                 root.value(QStringLiteral("error")).toVariant().toString(),
                                 root.value(QStringLiteral("message")).toString());
    oauth::TokenSet tokens;
    tokens.accessToken = root.value(QStringLiteral("access_token")).toString().toUtf8();
    tokens.refreshToken = root.value(QStringLiteral("refresh_token")).toString().toUtf8();
    tokens.expiresIn = qint64(root.value(QStringLiteral("expires_in")).toDouble());
    tokens.scope = root.value(QStringLiteral("scope")).toString();
    return tokens;
}

oauth::OutgoingRequest RedditOAuth::profile(const QByteArray &accessToken, const QString &) const {
    oauth::OutgoingRequest out;
    out.method = "GET";
    QUrl url = oauth::joinUrl(m_apiBase, QStringLiteral("/api/v1/me"));
    url.setQuery(QStringLiteral("raw_json=1"));
    out.request = QNetworkRequest(url);
    out.request.setRawHeader("Authorization", "bearer " + accessToken);
    out.request.setRawHeader("User-Agent", m_userAgent);
    return out;
}

Result<oauth::Profile> RedditOAuth::parseProfile(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (httpStatus != 200 || root.value(QStringLiteral("name")).toString().isEmpty())
        return oauth::oauthError(provider(), httpStatus,
                                 root.value(QStringLiteral("error")).toVariant().toString(),
                                 root.value(QStringLiteral("message")).toString());
    oauth::Profile profile;
    profile.openId = QStringLiteral("t2_") + root.value(QStringLiteral("id")).toString();
    profile.displayName = root.value(QStringLiteral("name")).toString();
    profile.username = profile.displayName;
    profile.avatarUrl = root.value(QStringLiteral("icon_img")).toString();
    profile.stats = {
        {QStringLiteral("link_karma"), root.value(QStringLiteral("link_karma"))},
        {QStringLiteral("comment_karma"), root.value(QStringLiteral("comment_karma"))}};
    profile.raw = root;
    return profile;
}

} // namespace huntaze::platforms
