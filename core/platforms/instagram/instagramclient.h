#pragma once

#include "base/result.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace huntaze::instagram {

class UsageGovernor;

// One container to create (instagram.md, "Publishing", step 1).
struct ContainerRequest {
    enum class Type {
        Image,             // image_url, caption
        Reel,              // media_type=REELS, video_url or upload_type=resumable
        StoryImage,        // media_type=STORIES, image_url
        StoryVideo,        // media_type=STORIES, video_url or upload_type=resumable
        CarouselImageItem, // is_carousel_item=true, image_url
        CarouselVideoItem, // is_carousel_item=true, media_type=VIDEO, video_url or resumable
        Carousel,          // media_type=CAROUSEL, children (2-10 ids), caption
    };
    Type type = Type::Image;
    QString imageUrl;
    QString videoUrl;        // empty with resumable = true
    bool resumable = false;  // the local file goes through rupload (videos only)
    QString caption;         // Image, Reel, Carousel
    bool shareToFeed = true; // Reel
    QStringList children;    // Carousel
};

struct ContainerAnswer {
    QString id;
    QUrl uploadUri; // resumable only: https://rupload.facebook.com/ig-api-upload/v25.0/<id>
};

struct ContainerStatus {
    QString statusCode; // IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED
    QString status;     // Meta's free text (carries the error subcode on ERROR)
};

struct PublishingLimit {
    int quotaUsage = 0;
    int quotaTotal = 0;
    qint64 quotaDurationSeconds = 86400;
};

struct UploadProgress {
    qint64 sent = 0;
    qint64 total = 0;
};

// The Graph API calls the desktop makes to publish (instagram.md): containers, the
// resumable upload of a local video, container status, media_publish, the permalink,
// content_publishing_limit. Every call waits for the usage governor first (Meta's usage
// headers, recorded from every answer, per Instagram account), so normal use slows down
// before Meta refuses. Errors come back as Errors made from instagramerrors.h's Problem
// (domain "instagram", code "190/463" etc.). Calls that create something (container,
// media_publish) are sent once: Qt never resends them, and a lost answer fails with code
// "outcome_unknown". All Graph calls carry the token as `access_token`; rupload as
// `Authorization: OAuth <token>`.
class InstagramClient : public QObject {
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    // graphBase: the Graph host (https://graph.facebook.com, or the sandbox's
    // <base>/instagram); version: "v25.0".
    InstagramClient(QUrl graphBase, QString version, QNetworkAccessManager *network,
                    UsageGovernor *governor, QObject *parent = nullptr);

    void createContainer(const QString &igUserId, const QByteArray &token,
                         const ContainerRequest &request, Done<ContainerAnswer> done);
    // POSTs the whole file to the container's upload URI with offset: 0 and file_size
    // (the only documented form). Progress is reported as bytes leave. The returned reply
    // can be aborted (pause/cancel); done then gets code "aborted". Meta's
    // {"debug_info": {"retriable", "type", "message"}} failures come back with
    // retryable = debug_info.retriable.
    QPointer<QNetworkReply> uploadVideo(const QString &igUserId, const QUrl &uploadUri,
                                        const QByteArray &token, const QString &filePath,
                                        std::function<void(UploadProgress)> progress,
                                        Done<bool> done);
    void containerStatus(const QString &igUserId, const QByteArray &token,
                         const QString &containerId, Done<ContainerStatus> done);
    // media_publish with creation_id: the new media id.
    void publish(const QString &igUserId, const QByteArray &token, const QString &containerId,
                 Done<QString> done);
    void permalink(const QString &igUserId, const QByteArray &token, const QString &mediaId,
                   Done<QString> done);
    void publishingLimit(const QString &igUserId, const QByteArray &token,
                         Done<PublishingLimit> done);

    // Pure builders and parsers, unit-tested on their own.
    static QList<std::pair<QString, QString>> containerParameters(const ContainerRequest &request);
    static Result<ContainerAnswer> parseContainer(int httpStatus, const QByteArray &body);
    static Result<ContainerStatus> parseStatus(int httpStatus, const QByteArray &body);
    static Result<PublishingLimit> parsePublishingLimit(int httpStatus, const QByteArray &body);
    static Result<bool> parseUploadAnswer(int httpStatus, const QByteArray &body);

private:
    // A Graph answer's body (2xx), or the Error it meant.
    using Answer = std::function<void(Result<QByteArray>)>;
    using Fields = QList<std::pair<QString, QString>>;
    // Runs `send` once the usage governor lets calls for this account go.
    void whenAllowed(const QString &igUserId, std::function<void()> send);
    void graphGet(const QString &igUserId, const QByteArray &token, const QString &path,
                  Fields query, Answer answer);
    // For calls that create something: sent once (net::sendOnce), never resent by Qt.
    void graphPostOnce(const QString &igUserId, const QByteArray &token, const QString &path,
                       Fields form, Answer answer);
    void whenFinished(QNetworkReply *reply, const QString &igUserId, bool creates, Answer answer);
    QUrl graphUrl(const QString &path) const;
    QUrl m_graphBase;
    QString m_version;
    QNetworkAccessManager *m_network;
    UsageGovernor *m_governor;
};

} // namespace huntaze::instagram
