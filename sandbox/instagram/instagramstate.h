#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace sandbox {

// Everything the Instagram (Graph API) side remembers, persisted as JSON. Ids are
// numeric strings like Meta's; each kind of object has its own range so one generic
// /{id} route can tell them apart.

// A Facebook test user who logs in through the dialog.
struct IgFacebookUser {
    QString id;
    QString name;
    QStringList pageIds;
    QStringList grantedScopes; // what the user granted the app last time
    bool authorized = false;   // false after a deauthorization
};

// A Facebook Page. igAccountId is the linked Instagram professional account (empty:
// none). A personal Instagram account linked to the Page is kept in personalUsername:
// the Graph API never returns it as instagram_business_account (the sandbox's model of
// "linked but not professional").
struct IgPage {
    QString id;
    QString name;
    QString category;
    QString igAccountId;
    QString personalUsername;
    QStringList subscribedFields; // subscribed_apps for the sandbox app
};

// An Instagram professional account (IG User).
struct IgAccount {
    QString id;
    QString username;
    QString name;
    QString accountType; // BUSINESS or CREATOR
    QString biography;
    QString website;
    QString pageId;
    int followers = 0;
    int follows = 0;
    // Publishing quota (content_publishing_limit) and natural failures set by admin.
    int quotaTotal = 50;
    int quotaDuration = 86400;
    bool restricted = false;    // 25 / 2207050
    bool spam = false;          // 4 / 2207051
    bool policyBlocked = false; // 368
};

struct IgToken {
    QString token;
    QString kind; // user_short, user_long, page
    QString userId;
    QString pageId; // page tokens
    QStringList scopes;
    qint64 expiresMs = 0;   // 0: never
    int invalidSubcode = 0; // non-zero: invalidated (190 with this subcode)
};

struct IgCode {
    QString code;
    QString userId;
    QString redirectUri;
    QStringList scopes;
    qint64 expiresMs = 0;
    bool used = false;
};

struct IgContainer {
    QString id;
    QString igUserId;
    QString mediaType; // IMAGE, VIDEO (carousel item), REELS, STORIES, CAROUSEL
    bool carouselItem = false;
    QString imageUrl;
    QString videoUrl;
    QString caption;
    QStringList children;
    bool resumable = false;
    QString uploadId;      // resumable bytes in the UploadStore
    bool uploaded = false; // resumable: all bytes (or file_url) received
    qint64 createdMs = 0;
    qint64 readyMs = 0; // when processing finishes (0: not started)
    QString statusCode = QStringLiteral("IN_PROGRESS");
    // Set when processing will fail / has failed.
    int errorCode = 0;
    int errorSubcode = 0;
    QString errorMessage;
    QString mediaId; // once published
};

struct IgMedia {
    QString id;
    QString igUserId;
    QString containerId;
    QString mediaType;   // IMAGE, VIDEO, CAROUSEL_ALBUM
    QString productType; // FEED, REELS, STORY
    QString caption;
    QString shortcode;
    QString mediaUrl;
    QStringList children;
    bool carouselChild = false;
    qint64 createdMs = 0;
    int autoComments = 0; // comments that arrived over time so far
};

struct IgComment {
    QString id;
    QString mediaId;
    QString parentId;
    QString fromId;
    QString username;
    QString text;
    qint64 createdMs = 0;
    int likeCount = 0;
    bool hidden = false;
};

struct InstagramState {
    QString clientId = QStringLiteral("sbx-instagram-client");
    QString clientSecret = QStringLiteral("sbx-instagram-secret");
    QString appMode = QStringLiteral("development"); // or live
    QStringList redirectUris;
    QString verifyToken = QStringLiteral("sbx-instagram-verify");
    QJsonObject lastVerification;
    QJsonObject appSubscription; // POST /{app-id}/subscriptions, once verified

    QMap<QString, IgFacebookUser> users;
    QMap<QString, IgPage> pages;
    QMap<QString, IgAccount> accounts;
    QHash<QString, IgToken> tokens;
    QHash<QString, IgCode> codes;
    QMap<QString, IgContainer> containers;
    QMap<QString, IgMedia> media;
    QMap<QString, IgComment> comments;
    // Creation / publish times per IG account, for the rolling 24 h limits.
    QHash<QString, QList<qint64>> containerTimes;
    QHash<QString, QList<qint64>> publishTimes;
    // Admin-declared media facts by URL: size, width, height, duration, codec.
    QHash<QString, QJsonObject> mediaFacts;
    int appCallLimit = 200; // calls per rolling hour before X-App-Usage reaches 100
    int bucCallLimit = 200; // calls per account per rolling hour (business use case)
    // Per Facebook user (code 17) and per Page token (code 32); 0: no limit.
    int userCallLimit = 0;
    int pageCallLimit = 0;
    qint64 nextId = 1;

    InstagramState();
    void seed();
    QString newId(const QString &prefix);
    QJsonObject save() const;
    void load(const QJsonObject &object);
};

} // namespace sandbox
