#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace sandbox::tiktok {

// The sandbox app (fixed, documented credentials) and its registered redirect URIs.
inline QString clientKey() {
    return QStringLiteral("sbx-tiktok-client");
}
inline QString clientSecret() {
    return QStringLiteral("sbx-tiktok-secret");
}
inline QStringList registeredRedirectUris() {
    return {QStringLiteral("http://127.0.0.1:*/callback/"),
            QStringLiteral("http://localhost:*/callback/")};
}

// A seeded test user. Users are fixed: they are not persisted.
struct User {
    QString id; // what sandbox_user names
    QString openId;
    QString unionId;
    QString displayName;
    QString username;
    QString bio;
    bool verified = false;
    qint64 followers = 0;
    qint64 following = 0;
    qint64 likes = 0;
    qint64 videos = 0;
    QStringList privacyOptions;
    bool bannedFromPosting = false;
};

struct AuthCode {
    QString code;
    QString userId;
    QStringList scopes;
    QString redirectUri;
    QString challenge;
    qint64 expiresMs = 0;
    bool used = false;
};

struct Token {
    QString token;
    QString userId;
    QStringList scopes;
    qint64 expiresMs = 0;
};

// One publish_id: a video (inbox or direct) or a photo post.
struct Post {
    QString publishId;
    QString userId;
    QString accessToken; // the token that created it (status/cancel ownership is per user)
    QString mediaType;   // VIDEO, PHOTO
    QString mode;        // INBOX (draft in the creator's inbox) or DIRECT
    QString source;      // FILE_UPLOAD, PULL_FROM_URL
    QString uploadId;    // UploadStore id for FILE_UPLOAD
    QString status;      // PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, SEND_TO_USER_INBOX, ...
    QString failReason;
    QString title;
    QString description;
    QString privacyLevel;
    QStringList urls;
    qint64 videoSize = 0;
    qint64 chunkSize = 0;
    int chunkCount = 0;
    qint64 downloadedBytes = 0;
    qint64 createdMs = 0;
    qint64 uploadExpiresMs = 0;
    qint64 readyMs = 0;  // all bytes there (or download started): processing runs from here
    qint64 postId = 0;   // publicly available post id, once published and not SELF_ONLY
    bool posted = false; // an inbox draft the user has posted (no longer pending)
    bool publiclyAvailable = false;
};

struct Settings {
    bool rotatingRefresh = true;  // false: the older 24 h / 365 d non-rotating behaviour
    int invalidGrantStatus = 400; // 200 reproduces the report of invalid_grant with 200
    QStringList verifiedPrefixes{QStringLiteral("https://verified.example/")};
    bool audited = true;       // false: unaudited app, direct posts SELF_ONLY only
    int processingSeconds = 5; // sandbox seconds between "all bytes" and the outcome
    // The next chunkFaultTimes chunk PUTs answer chunkFaultStatus (with Content-Range,
    // unlike the generic fault injection, which knows nothing of uploads).
    int chunkFaultStatus = 503;
    int chunkFaultTimes = 0;
    // A slow link: each chunk PUT is handled this many milliseconds after it arrived, so
    // tests (and screenshots) can act mid-upload.
    int chunkDelayMs = 0;
};

struct State {
    QList<User> users;
    QHash<QString, AuthCode> codes;
    QHash<QString, Token> accessTokens;
    QHash<QString, Token> refreshTokens;
    QList<Post> posts;
    // Sliding-minute rate windows: "<bucket>|<token>" -> request times (ms).
    QHash<QString, QList<qint64>> windows;
    Settings settings;
    qint64 nextPostId = 7300000000000001; // below 2^53: exact as a JSON number

    const User *userById(const QString &id) const;
    const User *userByOpenId(const QString &openId) const;
    Post *post(const QString &publishId);

    QJsonObject toJson() const;
    void fromJson(const QJsonObject &object);
};

QList<User> seedUsers();

} // namespace sandbox::tiktok
