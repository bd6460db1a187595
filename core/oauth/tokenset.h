#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace huntaze::oauth {

// What a token endpoint answered. Lifetimes are scheduled from expires_in, never from
// constants (TikTok's documented lifetimes changed; Reddit's vary).
struct TokenSet {
    QByteArray accessToken;
    QByteArray refreshToken;     // empty: the platform did not send one (keep the old one)
    qint64 expiresIn = 0;        // seconds
    qint64 refreshExpiresIn = 0; // seconds, 0 when unknown
    QString scope;               // as granted, comma or space separated as the platform sends it
    QString openId;              // when the token endpoint names the account (TikTok)
};

// Who the account is, from the platform's profile endpoint.
struct Profile {
    QString openId;
    QString displayName;
    QString username;
    QString avatarUrl;
    QJsonObject stats;
    QJsonObject raw;
};

} // namespace huntaze::oauth
