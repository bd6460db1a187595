#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

class QHttpMultiPart;
class QIODevice;
class QObject;

namespace huntaze::reddit {

// A lease to upload one file to Reddit's media bucket (reddit.md, "Native media", step 1).
struct MediaLease {
    QUrl action;                               // the bucket, with its scheme
    QList<std::pair<QString, QString>> fields; // sent back as they came, in this order
    QString key;                               // the "key" field: the file's name in the bucket
    QString assetId;
    QUrl assetWebsocketUrl;
    // <action>/<key>: what a media post's `url` (or `video_poster_url`) names.
    QUrl mediaUrl() const;
};

// A file that is in the bucket and ready to be named by a submit.
struct UploadedMedia {
    QUrl url; // MediaLease::mediaUrl()
    QString key;
    QString assetId;
    QString mimeType;
    qint64 bytes = 0;
    QString location; // the bucket's <Location>, for logs
};

struct UploadProgress {
    qint64 sent = 0;
    qint64 total = 0;
};

// The pure side of native media: which files Reddit takes, the lease answer, the
// multipart body, the bucket's answer.
class RedditMediaLease {
public:
    // image/jpeg, image/png, image/gif, video/mp4, video/quicktime by the file's extension;
    // empty for anything else.
    static QString mimeTypeFor(const QString &filePath);
    static bool isVideo(const QString &mimeType) {
        return mimeType.startsWith(QLatin1String("video/"));
    }
    // The lease's `filepath`: only the file's name (the local path is nobody's business),
    // reduced to letters, digits, '.', '_' and '-'.
    static QString leaseFileName(const QString &filePath);
    // `action` is scheme-relative ("//bucket.host"): `scheme` is prepended ("https", or the
    // API's own scheme when it is a plain-HTTP test platform).
    static Result<MediaLease> parseLease(int httpStatus, const QByteArray &body,
                                         const QString &scheme);
    // Every lease field, in order, then the file last as part "file"; the file is read
    // from `file` as it is sent, never held in memory. The multipart takes no ownership of
    // `file`; parent it to the reply.
    static QHttpMultiPart *multipart(const MediaLease &lease, QIODevice *file,
                                     const QString &fileName, const QString &mimeType,
                                     QObject *parent = nullptr);
    // 2xx (201 with an XML <Location>) -> the uploaded media; otherwise the bucket's error
    // as a Problem-made Error (too large, expired lease, ...).
    static Result<UploadedMedia> parseUploadAnswer(int httpStatus, const QByteArray &body,
                                                   const MediaLease &lease,
                                                   const QString &mimeType);
};

} // namespace huntaze::reddit
