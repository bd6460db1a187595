#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace sandbox {

// Everything the Reddit stand-in remembers, persisted as one JSON section.
struct RedditUser {
    QString id; // base36, the fullname is t2_<id>
    QString name;
    qint64 createdUtc = 0;
    int linkKarma = 0;
    int commentKarma = 0;
};

// A link flair template a subreddit offers (GET /r/<sub>/api/link_flair_v2).
struct RedditFlairTemplate {
    QString id; // a uuid, the flair_id submit takes
    QString text;
    bool textEditable = false; // the poster may replace the text
    bool modOnly = false;      // moderators only (no test user moderates anything)
    QString textColor;         // "dark" or "light"
    QString backgroundColor;   // "#rrggbb"
};

// Seeded subreddits carry the rules the submit endpoint enforces.
struct RedditSubreddit {
    QString name;
    bool allowSelf = true;
    bool allowLinks = true;            // links and native media
    bool restricted = false;           // only approved users: SUBREDDIT_NOTALLOWED
    int dailyQuota = 0;                // posts per user per 24 h (0: none): QUOTA_FILLED
    QList<RedditFlairTemplate> flairs; // fixed, documented in README.md

    const RedditFlairTemplate *flair(const QString &id) const;
};

struct RedditCode {
    QString code;
    QString userId;
    QStringList scopes;
    QString redirectUri;
    bool permanent = false;
    qint64 expiresAt = 0; // clock seconds
    bool used = false;
};

struct RedditToken {
    QString token;
    bool refresh = false;
    QString userId; // empty: an application-only (installed_client) token
    QStringList scopes;
    qint64 expiresAt = 0; // access tokens only
    QString fromCode;     // the authorization code it descends from
    QString refreshToken; // access token: the refresh token that minted it
    bool revoked = false;
};

struct RedditComment {
    QString id;
    QString author;
    QString body;
    qint64 createdUtc = 0;
    int score = 1;
};

struct RedditPost {
    QString id; // base36
    QString subreddit;
    QString authorId;
    QString author;
    QString kind; // self, link, image, video, videogif
    QString title;
    QString selftext;
    QString url;
    QString posterUrl;
    QString flairId;
    QString flairText;
    bool nsfw = false;
    bool spoiler = false;
    bool sendReplies = true;
    qint64 createdUtc = 0;
    int score = 1;
    int ups = 1;
    int downs = 0;
    QString removedByCategory;
    qint64 grownUntil = 0; // clock seconds up to which growth was applied
    QList<RedditComment> comments;

    QString fullname() const { return QStringLiteral("t3_") + id; }
    QString slug() const;
    QString permalink() const;
};

// A native media submit waiting for "processing" before the post exists.
struct RedditMediaSubmission {
    QString id;      // the websocket id
    RedditPost post; // id filled once created
    qint64 readyAt = 0;
    QString state; // processing, success, failed
    QString failure;
};

// A media lease and what the S3-style target received for it.
struct RedditAsset {
    QString assetId;
    QString key;
    QString fileName;
    QString mimeType;
    QString userId;
    QString policy;
    QString signature;
    QString securityToken;
    QString amzDate;
    qint64 expiresAt = 0;
    QString uploadId; // UploadStore id once uploaded
    bool uploaded = false;
};

struct RedditSettings {
    int expiresIn = 3600;
    bool rotateRefreshTokens = false;
    int revokeStatus = 204;
    bool failMedia = false;
    int mediaProcessingSeconds = 5;
    // Forced RATELIMIT on the next submits.
    QString forcedRateLimitUnit; // milliseconds, seconds, minutes
    int forcedRateLimitAmount = 0;
    int forcedRateLimitTimes = 0;
};

class RedditState {
public:
    RedditState();

    QList<RedditUser> users;
    QList<RedditSubreddit> subreddits;
    QHash<QString, RedditCode> codes;
    QHash<QString, RedditToken> tokens;
    QList<RedditPost> posts;
    QList<RedditMediaSubmission> mediaSubmissions;
    QList<RedditAsset> assets;
    RedditSettings settings;
    // The rate-limit window per OAuth client: window start (clock seconds) and use.
    QHash<QString, std::pair<qint64, int>> windows;
    qint64 nextPostNumber = 1000000;
    qint64 nextCommentNumber = 5000000;

    const RedditUser *user(const QString &idOrName) const;
    const RedditSubreddit *subreddit(const QString &name) const;
    RedditPost *post(const QString &idOrFullname);
    RedditAsset *assetByKey(const QString &key);
    RedditAsset *assetByUrl(const QString &url);
    QString newPostId();
    QString newCommentId();
    // Revokes the tokens descending from a code (its reuse).
    void revokeFromCode(const QString &code);
    void revokeUser(const QString &userId);

    QJsonObject save() const;
    void load(const QJsonObject &state);
    void seed();
};

QString base36(qint64 value);
QString randomToken(int bytes);

} // namespace sandbox
