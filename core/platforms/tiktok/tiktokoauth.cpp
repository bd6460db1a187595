#include "tiktokoauth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace huntaze::platforms {

TikTokOAuth::TikTokOAuth(oauth::ProviderCredentials credentials, QUrl apiBase)
    : m_credentials(std::move(credentials))
    , m_apiBase(std::move(apiBase)) {}

oauth::OutgoingRequest TikTokOAuth::form(const QString &path,
                                         const QList<std::pair<QString, QString>> &fields) const {
    return oauth::formRequest(oauth::joinUrl(m_apiBase, path), fields);
}

oauth::OutgoingRequest TikTokOAuth::exchange(const QString &code, const QString &codeVerifier,
                                             const QString &redirectUri) const {
    return form(QStringLiteral("/v2/oauth/token/"),
                {{QStringLiteral("client_key"), m_credentials.clientId},
                 {QStringLiteral("client_secret"), m_credentials.clientSecret},
                 {QStringLiteral("code"), code},
                 {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                 {QStringLiteral("redirect_uri"), redirectUri},
                 {QStringLiteral("code_verifier"), codeVerifier}});
}

oauth::OutgoingRequest TikTokOAuth::refresh(const QByteArray &refreshToken) const {
    return form(QStringLiteral("/v2/oauth/token/"),
                {{QStringLiteral("client_key"), m_credentials.clientId},
                 {QStringLiteral("client_secret"), m_credentials.clientSecret},
                 {QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                 {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}});
}

oauth::OutgoingRequest TikTokOAuth::revoke(const QByteArray &token) const {
    return form(QStringLiteral("/v2/oauth/revoke/"),
                {{QStringLiteral("client_key"), m_credentials.clientId},
                 {QStringLiteral("client_secret"), m_credentials.clientSecret},
                 {QStringLiteral("token"), QString::fromUtf8(token)}});
}

Result<oauth::TokenSet> TikTokOAuth::parseTokens(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    // The status of an error is undocumented (invalid_grant was seen with 200): the body decides.
    if (root.contains(QStringLiteral("error")) && root.value(QStringLiteral("error")).isString())
        return oauth::oauthError(provider(), httpStatus,
                                 root.value(QStringLiteral("error")).toString(),
                                 root.value(QStringLiteral("error_description")).toString());
    if (httpStatus != 200 || !root.value(QStringLiteral("access_token")).isString())
        return oauth::oauthError(provider(), httpStatus, {}, QString::fromUtf8(body.left(200)));
    oauth::TokenSet tokens;
    tokens.accessToken = root.value(QStringLiteral("access_token")).toString().toUtf8();
    tokens.refreshToken = root.value(QStringLiteral("refresh_token")).toString().toUtf8();
    tokens.expiresIn = qint64(root.value(QStringLiteral("expires_in")).toDouble());
    tokens.refreshExpiresIn = qint64(root.value(QStringLiteral("refresh_expires_in")).toDouble());
    tokens.scope = root.value(QStringLiteral("scope")).toString();
    tokens.openId = root.value(QStringLiteral("open_id")).toString();
    return tokens;
}

oauth::OutgoingRequest TikTokOAuth::profile(const QByteArray &accessToken,
                                            const QString &scope) const {
    // Asking for a field whose scope was not granted fails the whole request.
    QStringList fields{QStringLiteral("open_id"), QStringLiteral("union_id"),
                       QStringLiteral("avatar_url"), QStringLiteral("display_name")};
    const QStringList granted = scope.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (granted.contains(QStringLiteral("user.info.profile")))
        fields << QStringLiteral("username") << QStringLiteral("is_verified");
    if (granted.contains(QStringLiteral("user.info.stats")))
        fields << QStringLiteral("follower_count") << QStringLiteral("following_count")
               << QStringLiteral("likes_count") << QStringLiteral("video_count");
    QUrl url = oauth::joinUrl(m_apiBase, QStringLiteral("/v2/user/info/"));
    url.setQuery(QUrlQuery{{QStringLiteral("fields"), fields.join(QLatin1Char(','))}});
    oauth::OutgoingRequest out;
    out.method = "GET";
    out.request = QNetworkRequest(url);
    out.request.setRawHeader("Authorization", "Bearer " + accessToken);
    return out;
}

Result<oauth::Profile> TikTokOAuth::parseProfile(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonObject error = root.value(QStringLiteral("error")).toObject();
    const QString code = error.value(QStringLiteral("code")).toString();
    if (code != QLatin1String("ok") || httpStatus != 200)
        return oauth::oauthError(provider(), httpStatus, code,
                                 error.value(QStringLiteral("message")).toString());
    const QJsonObject user =
        root.value(QStringLiteral("data")).toObject().value(QStringLiteral("user")).toObject();
    oauth::Profile profile;
    profile.openId = user.value(QStringLiteral("open_id")).toString();
    profile.displayName = user.value(QStringLiteral("display_name")).toString();
    profile.username = user.value(QStringLiteral("username")).toString();
    profile.avatarUrl = user.value(QStringLiteral("avatar_url")).toString();
    for (const char *stat : {"follower_count", "following_count", "likes_count", "video_count"})
        if (user.contains(QLatin1String(stat)))
            profile.stats.insert(QLatin1String(stat), user.value(QLatin1String(stat)));
    profile.raw = user;
    return profile;
}

} // namespace huntaze::platforms
