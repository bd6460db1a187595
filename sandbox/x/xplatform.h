#pragma once

#include "platform.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QNetworkAccessManager>
#include <QStringList>

namespace sandbox {

// The sandbox app: a confidential-capable OAuth 2.0 client with its API key pair
// (consumer key and secret: the secret signs CRC answers and webhooks) and an app-only
// bearer token (for /2/webhooks). Documented in sandbox/x/README.md.
namespace xapp {
inline QString clientId() {
    return QStringLiteral("sbx-x-client");
}
inline QString clientSecret() {
    return QStringLiteral("sbx-x-secret");
}
inline QString consumerKey() {
    return QStringLiteral("sbx-x-consumer-key");
}
inline QString consumerSecret() {
    return QStringLiteral("sbx-x-consumer-secret");
}
inline QString appBearer() {
    return QStringLiteral("sbx-x-app-bearer-token");
}
} // namespace xapp

// The X side of shared/platforms/x.md. One class, its methods split by job:
//   xplatform.cpp  state, persistence, endpoints, authentication and rate-limit helpers
//   xoauth.cpp     authorize page and decision, token, refresh, revoke, /2/users/me
//   xtweets.cpp    POST /2/tweets, DELETE /2/tweets/{id}, lookup with metrics, growth
//   xmedia.cpp     media initialize / append / finalize / STATUS, processing over time
//   xwebhooks.cpp  /2/webhooks registration and CRC, event payloads, the signer
//   xadmin.cpp     /_admin/x/... knobs and inspection
class XPlatform : public Platform {
    Q_OBJECT
public:
    explicit XPlatform(SandboxContext &context, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("x"); }
    void registerRoutes(Router &router) override;
    QJsonObject save() const override;
    void load(const QJsonObject &state) override;
    void tick() override;
    QJsonObject endpoints() const override;

    struct User {
        QString id;
        QString name;
        QString username;
    };
    struct AuthCode {
        QString code;
        QString clientId;
        QString redirectUri;
        QStringList scopes;
        QString userId;
        QString challenge;
        QString method;
        qint64 createdMs = 0;
        bool used = false;
    };
    struct Token {
        QString token;
        QString kind; // access, refresh
        QString userId;
        QString clientId;
        QStringList scopes;
        QString code;         // the authorization code it descends from
        qint64 expiresMs = 0; // access tokens only
        bool revoked = false;
    };
    struct Post {
        QString id;
        QString authorId;
        QString text;
        qint64 createdMs = 0;
        QStringList mediaIds;
        QString replyTo;
        QString quoteOf;
        QJsonObject poll;
        QString replySettings;
        bool deleted = false;
        // public metrics
        qint64 retweets = 0, replies = 0, likes = 0, quotes = 0, bookmarks = 0, impressions = 0;
        qint64 linkClicks = 0, profileClicks = 0;
    };
    struct Media {
        QString id;
        QString mediaKey;
        QString userId;
        QString mediaType;
        QString category;
        qint64 totalBytes = 0;
        QString uploadId;
        QMap<int, qint64> segments; // index -> size; bytes wait in segmentPath()
        QString state;              // uploading, pending, in_progress, succeeded, failed
        qint64 createdMs = 0;
        qint64 finalizedMs = 0;
        bool failProcessing = false;
        QString failReason;
    };
    struct Webhook {
        QString id;
        QString url;
        bool valid = false;
        qint64 createdMs = 0;
        qint64 lastCrcMs = 0;
        QString lastCrcResult;
    };
    struct Limit {
        int limit = 0;
        int windowSecs = 900;
    };
    struct Window {
        qint64 startSecs = 0;
        int used = 0;
    };

private:
    // xplatform.cpp
    void seed();
    using Headers = QList<std::pair<QByteArray, QByteArray>>;
    // Problem JSON (or the older {"errors":[{code,message}]} with the legacy knob).
    void problem(const ExchangePtr &e, int status, const QString &title, const QString &detail,
                 const QString &type = QStringLiteral("about:blank"), int legacyCode = 0,
                 const Headers &headers = {});
    void invalidRequest(const ExchangePtr &e, const QString &detail, const Headers &headers = {});
    // The user token behind the request with every scope, or nullptr after answering
    // 401/403. appAllowed: the app-only bearer token is accepted (returns &m_appToken).
    const Token *authenticate(const ExchangePtr &e, const QStringList &scopes, bool appAllowed,
                              const Headers &headers = {});
    // Counts one call in the 15-minute window of `group` for the caller; false after
    // answering 429. Fills *headers with x-rate-limit-*.
    bool rateLimit(const ExchangePtr &e, const QString &group, const QString &caller,
                   Headers *headers);
    QString newId();
    QString randomToken(int bytes) const;
    const User *user(const QString &id) const;
    void revokeUserTokens(const QString &userId);

    // xoauth.cpp
    void registerOAuthRoutes(Router &router);
    void authorize(const ExchangePtr &e);
    void decide(const ExchangePtr &e);
    void token(const ExchangePtr &e);
    void revoke(const ExchangePtr &e);
    void usersMe(const ExchangePtr &e);
    // Client authentication at the token and revoke endpoints: Basic or client_id.
    bool clientAuthenticated(const ExchangePtr &e, const QUrlQuery &form, QString *clientId);
    void oauthError(const ExchangePtr &e, int status, const QString &error,
                    const QString &description);

    // xtweets.cpp
    void registerTweetRoutes(Router &router);
    void createTweet(const ExchangePtr &e);
    void deleteTweet(const ExchangePtr &e);
    void lookupTweets(const ExchangePtr &e);
    QJsonObject tweetJson(const Post &post, const QStringList &fields, bool nonPublic) const;
    void growMetrics();
    bool postingLimits(const ExchangePtr &e, const QString &userId, Headers *headers);

    // xmedia.cpp
    void registerMediaRoutes(Router &router);
    void mediaInitialize(const ExchangePtr &e);
    void mediaAppend(const ExchangePtr &e);
    void mediaFinalize(const ExchangePtr &e);
    void mediaStatus(const ExchangePtr &e);
    void advanceMedia();
    QJsonObject processingInfo(const Media &media) const;
    QString segmentPath(const QString &mediaId, int index) const;
    qint64 mediaLimit(const QString &category) const;

    // xwebhooks.cpp
    void registerWebhookRoutes(Router &router);
    void webhookCreate(const ExchangePtr &e);
    void webhookList(const ExchangePtr &e);
    void webhookDelete(const ExchangePtr &e);
    void webhookRevalidate(const ExchangePtr &e);
    // GETs <url>?crc_token=..., checks the answer, then calls done(valid).
    void runCrc(const QString &webhookId, std::function<void(bool)> done);
    QJsonObject webhookJson(const Webhook &hook) const;
    QJsonObject userJson(const QString &userId) const;
    QJsonObject legacyUser(const QString &userId) const;
    QJsonObject legacyTweet(const Post &post) const;
    void sendPostEvent(const Post &post);
    void sendLikeEvent(const Post &post, const QString &likerId);
    void sendReplyEvent(const Post &post, const Post &reply);
    void sendFollowEvent(const QString &userId, const QString &followerId);
    void sendDeleteEvent(const Post &post);
    void sendRevokeEvent(const QString &userId);
    void sendActivity(const QString &eventType, const QString &forUser, const QJsonObject &payload,
                      const QJsonObject &includes);
    void sendAccountActivity(const QString &event, const QString &forUser, const QString &key,
                             const QJsonValue &value);

    // xadmin.cpp
    void registerAdminRoutes(Router &router);

    QList<User> m_users;
    QStringList m_redirectUris;
    Token m_appToken;
    QHash<QString, AuthCode> m_codes;
    QHash<QString, Token> m_tokens;
    QMap<QString, Post> m_posts;
    QMap<QString, Media> m_media;
    QMap<QString, Webhook> m_webhooks;
    QHash<QString, Limit> m_limits;   // by group
    QHash<QString, Window> m_windows; // by group + caller
    int m_user24hLimit = 2400;
    int m_app24hLimit = 10000;
    QHash<QString, QList<qint64>> m_userPostTimes; // user id -> post times (ms), 24 h
    QList<qint64> m_appPostTimes;
    QString m_payloadShape = QStringLiteral("activity"); // or account_activity
    QString m_errorShape = QStringLiteral("problem");    // or legacy
    bool m_failNextMediaProcessing = false;
    qint64 m_nextId = 0;
    QNetworkAccessManager m_network;
};

} // namespace sandbox
