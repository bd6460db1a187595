#include "instagramoauth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace huntaze::platforms {

InstagramOAuth::InstagramOAuth(oauth::ProviderCredentials credentials, QUrl graphBase,
                               QString version)
    : m_credentials(std::move(credentials))
    , m_graphBase(std::move(graphBase))
    , m_version(std::move(version)) {}

oauth::OutgoingRequest InstagramOAuth::get(const QString &path,
                                           const QList<std::pair<QString, QString>> &query) const {
    QUrl url = oauth::joinUrl(m_graphBase, QLatin1Char('/') + m_version + path);
    QUrlQuery items;
    for (const auto &[name, value] : query)
        items.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(items.query(QUrl::FullyEncoded), QUrl::StrictMode);
    oauth::OutgoingRequest out;
    out.method = "GET";
    out.request = QNetworkRequest(url);
    return out;
}

oauth::OutgoingRequest InstagramOAuth::exchange(const QString &code, const QString &,
                                                const QString &redirectUri) const {
    return get(QStringLiteral("/oauth/access_token"),
               {{QStringLiteral("client_id"), m_credentials.clientId},
                {QStringLiteral("redirect_uri"), redirectUri},
                {QStringLiteral("client_secret"), m_credentials.clientSecret},
                {QStringLiteral("code"), code}});
}

std::optional<oauth::OutgoingRequest>
InstagramOAuth::upgrade(const QByteArray &shortLivedToken) const {
    return get(QStringLiteral("/oauth/access_token"),
               {{QStringLiteral("grant_type"), QStringLiteral("fb_exchange_token")},
                {QStringLiteral("client_id"), m_credentials.clientId},
                {QStringLiteral("client_secret"), m_credentials.clientSecret},
                {QStringLiteral("fb_exchange_token"), QString::fromUtf8(shortLivedToken)}});
}

oauth::OutgoingRequest InstagramOAuth::refresh(const QByteArray &token) const {
    // A still-valid long-lived token can be exchanged again for a fresh one.
    return *upgrade(token);
}

oauth::OutgoingRequest InstagramOAuth::revoke(const QByteArray &token) const {
    oauth::OutgoingRequest out = get(QStringLiteral("/me/permissions"),
                                     {{QStringLiteral("access_token"), QString::fromUtf8(token)}});
    out.method = "DELETE";
    return out;
}

Result<oauth::TokenSet> InstagramOAuth::parseTokens(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (root.value(QStringLiteral("error")).isObject() || httpStatus != 200 ||
        !root.value(QStringLiteral("access_token")).isString()) {
        const QJsonObject error = root.value(QStringLiteral("error")).toObject();
        const int code = error.value(QStringLiteral("code")).toInt();
        // 190: the token or code is invalid or expired; for a grant that is invalid_grant.
        return oauth::oauthError(provider(), httpStatus,
                                 code == 190 ? QStringLiteral("invalid_grant")
                                             : QString::number(code),
                                 error.value(QStringLiteral("message")).toString());
    }
    oauth::TokenSet tokens;
    tokens.accessToken = root.value(QStringLiteral("access_token")).toString().toUtf8();
    tokens.expiresIn = qint64(root.value(QStringLiteral("expires_in")).toDouble());
    return tokens;
}

oauth::OutgoingRequest InstagramOAuth::profile(const QByteArray &accessToken,
                                               const QString &) const {
    oauth::OutgoingRequest out =
        get(QStringLiteral("/me"), {{QStringLiteral("fields"), QStringLiteral("id,name")}});
    out.request.setRawHeader("Authorization", "Bearer " + accessToken);
    return out;
}

Result<oauth::Profile> InstagramOAuth::parseProfile(int httpStatus, const QByteArray &body) const {
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (httpStatus != 200 || root.value(QStringLiteral("id")).toString().isEmpty()) {
        const QJsonObject error = root.value(QStringLiteral("error")).toObject();
        return oauth::oauthError(provider(), httpStatus,
                                 QString::number(error.value(QStringLiteral("code")).toInt()),
                                 error.value(QStringLiteral("message")).toString());
    }
    oauth::Profile profile;
    profile.openId = root.value(QStringLiteral("id")).toString();
    profile.displayName = root.value(QStringLiteral("name")).toString();
    profile.raw = root;
    return profile;
}

} // namespace huntaze::platforms
