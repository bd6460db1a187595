#include "tiktokanswers.h"

#include "tiktokerrors.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace huntaze::tiktok {

namespace {
QString translate(const char *text) {
    return QCoreApplication::translate("TikTokClient", text);
}
} // namespace

QJsonObject sourceInfoJson(const VideoSource &source) {
    if (source.pullFromUrl)
        return {{QStringLiteral("source"), QStringLiteral("PULL_FROM_URL")},
                {QStringLiteral("video_url"), source.videoUrl}};
    return {{QStringLiteral("source"), QStringLiteral("FILE_UPLOAD")},
            {QStringLiteral("video_size"), source.videoSize},
            {QStringLiteral("chunk_size"), source.chunkSize},
            {QStringLiteral("total_chunk_count"), source.totalChunkCount}};
}

QJsonObject postInfoJson(const PostInfo &post, bool photo) {
    QJsonObject info{{QStringLiteral("title"), post.title},
                     {QStringLiteral("disable_comment"), post.disableComment}};
    // Only when chosen: a photo sent to the inbox (MEDIA_UPLOAD) has no privacy yet, and
    // an empty privacy_level is refused as invalid.
    if (!post.privacyLevel.isEmpty())
        info.insert(QStringLiteral("privacy_level"), post.privacyLevel);
    if (photo) {
        info.insert(QStringLiteral("description"), post.description);
    } else {
        info.insert(QStringLiteral("disable_duet"), post.disableDuet);
        info.insert(QStringLiteral("disable_stitch"), post.disableStitch);
    }
    return info;
}

Result<QJsonObject> parseEnvelope(int httpStatus, const QByteArray &body) {
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject root = document.object();
    const QJsonObject error = root.value(QStringLiteral("error")).toObject();
    const QString code = error.value(QStringLiteral("code")).toString();
    if (code == QLatin1String("ok") && httpStatus >= 200 && httpStatus < 300)
        return root.value(QStringLiteral("data")).toObject();
    if (code.isEmpty() || code == QLatin1String("ok")) {
        // No usable envelope (a proxy's page, a truncated body): judge by the status.
        Error unknown = toError(problemForApiError(QString(), httpStatus, QString()), httpStatus);
        unknown.detail = QStringLiteral("HTTP %1 without a TikTok error envelope").arg(httpStatus);
        return unknown;
    }
    Error failure = toError(
        problemForApiError(code, httpStatus, error.value(QStringLiteral("message")).toString()),
        httpStatus);
    failure.detail =
        QStringLiteral("log_id %1").arg(error.value(QStringLiteral("log_id")).toString());
    return failure;
}

Result<CreatorInfo> parseCreatorInfo(const QJsonObject &data) {
    CreatorInfo info;
    info.username = data.value(QStringLiteral("creator_username")).toString();
    info.nickname = data.value(QStringLiteral("creator_nickname")).toString();
    info.avatarUrl = data.value(QStringLiteral("creator_avatar_url")).toString();
    for (const QJsonValue &option : data.value(QStringLiteral("privacy_level_options")).toArray())
        info.privacyLevelOptions.append(option.toString());
    info.commentDisabled = data.value(QStringLiteral("comment_disabled")).toBool();
    info.duetDisabled = data.value(QStringLiteral("duet_disabled")).toBool();
    info.stitchDisabled = data.value(QStringLiteral("stitch_disabled")).toBool();
    info.maxVideoPostDurationSec =
        data.value(QStringLiteral("max_video_post_duration_sec")).toInt();
    if (info.privacyLevelOptions.isEmpty())
        return Error{QStringLiteral("tiktok"),
                     QStringLiteral("invalid_answer"),
                     translate("TikTok did not say who may see this creator's posts; try again."),
                     QStringLiteral("creator_info without privacy_level_options"),
                     200,
                     true,
                     {}};
    return info;
}

Result<InitAnswer> parseInit(const QJsonObject &data, bool expectUploadUrl) {
    InitAnswer answer;
    answer.publishId = data.value(QStringLiteral("publish_id")).toString();
    answer.uploadUrl = QUrl(data.value(QStringLiteral("upload_url")).toString(), QUrl::StrictMode);
    const bool badUrl = expectUploadUrl && (!answer.uploadUrl.isValid() ||
                                            !answer.uploadUrl.scheme().startsWith(u"http"));
    if (answer.publishId.isEmpty() || answer.publishId.size() > 64 || badUrl)
        // TikTok answered "ok": something was created, but we cannot follow it.
        return Error{QStringLiteral("tiktok"),
                     QStringLiteral("outcome_unknown"),
                     translate("TikTok accepted the post but its answer was incomplete; check "
                               "your TikTok inbox before publishing again."),
                     QStringLiteral("init answer without a usable publish_id/upload_url"),
                     200,
                     false,
                     {}};
    return answer;
}

PublishStatus parseStatus(const QJsonObject &data) {
    PublishStatus status;
    status.status = data.value(QStringLiteral("status")).toString();
    status.failReason = data.value(QStringLiteral("fail_reason")).toString();
    status.uploadedBytes = data.value(QStringLiteral("uploaded_bytes")).toInteger();
    status.downloadedBytes = data.value(QStringLiteral("downloaded_bytes")).toInteger();
    // TikTok's spelling, and the corrected one in case it is ever fixed.
    QJsonArray ids = data.value(QStringLiteral("publicaly_available_post_id")).toArray();
    if (ids.isEmpty())
        ids = data.value(QStringLiteral("publicly_available_post_id")).toArray();
    for (const QJsonValue &id : ids)
        status.postIds.append(id.isString() ? id.toString() : QString::number(id.toInteger()));
    return status;
}

} // namespace huntaze::tiktok
