#pragma once

#include "base/result.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrl>

namespace huntaze::tiktok {

// What TikTok's Content Posting API (shared/platforms/tiktok.md) takes and answers, and
// the pure builders and parsers of it: shared by the desktop's TikTokClient and the
// relay's status poller (which must not link the desktop's client), unit-tested alone.

struct CreatorInfo {
    QString username;
    QString nickname;
    QString avatarUrl;
    QStringList privacyLevelOptions;
    bool commentDisabled = false;
    bool duetDisabled = false;
    bool stitchDisabled = false;
    int maxVideoPostDurationSec = 0;
};

struct PostInfo {
    QString title;
    QString description; // photos only
    QString privacyLevel;
    bool disableDuet = false;
    bool disableComment = false;
    bool disableStitch = false;
};

struct VideoSource {
    bool pullFromUrl = false;
    qint64 videoSize = 0; // FILE_UPLOAD
    qint64 chunkSize = 0;
    int totalChunkCount = 0;
    QString videoUrl; // PULL_FROM_URL
};

struct InitAnswer {
    QString publishId;
    QUrl uploadUrl; // FILE_UPLOAD only
};

struct PublishStatus {
    QString status; // PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, SEND_TO_USER_INBOX, ...
    QString failReason;
    qint64 uploadedBytes = 0;
    qint64 downloadedBytes = 0;
    QStringList postIds;
};

QJsonObject sourceInfoJson(const VideoSource &source);
QJsonObject postInfoJson(const PostInfo &post, bool photo);
// The {"data", "error"} envelope: data on "ok", else an Error from tiktokerrors.h.
Result<QJsonObject> parseEnvelope(int httpStatus, const QByteArray &body);
Result<CreatorInfo> parseCreatorInfo(const QJsonObject &data);
Result<InitAnswer> parseInit(const QJsonObject &data, bool expectUploadUrl);
PublishStatus parseStatus(const QJsonObject &data);

} // namespace huntaze::tiktok
