#include "xmediarules.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

namespace huntaze::x {

namespace {

constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kMinVideoMs = 500;
constexpr qint64 kMaxVideoMs = 140'000;
constexpr double kMaxFrameRate = 60.0;

QString tr(const char *text) {
    return QCoreApplication::translate("XMediaRules", text);
}

Error ruleError(const char *code, const QString &message, const QString &detail = {}) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = QString::fromLatin1(code);
    error.message = message;
    error.detail = detail;
    return error;
}

QString megabytes(qint64 bytes) {
    return QLocale().toString(double(bytes) / double(kMiB), 'f', 1);
}

} // namespace

QString categoryName(MediaCategory category) {
    switch (category) {
    case MediaCategory::Image:
        return QStringLiteral("tweet_image");
    case MediaCategory::Gif:
        return QStringLiteral("tweet_gif");
    case MediaCategory::Video:
        break;
    }
    return QStringLiteral("tweet_video");
}

std::optional<MediaCategory> categoryForType(const QString &mediaType) {
    if (mediaType == QLatin1String("image/jpeg") || mediaType == QLatin1String("image/png") ||
        mediaType == QLatin1String("image/webp"))
        return MediaCategory::Image;
    if (mediaType == QLatin1String("image/gif"))
        return MediaCategory::Gif;
    if (mediaType == QLatin1String("video/mp4") || mediaType == QLatin1String("video/quicktime"))
        return MediaCategory::Video;
    return std::nullopt;
}

qint64 maxBytes(MediaCategory category) {
    switch (category) {
    case MediaCategory::Image:
        return 5 * kMiB;
    case MediaCategory::Gif:
        return 15 * kMiB;
    case MediaCategory::Video:
        break;
    }
    return 512 * kMiB;
}

std::optional<QString> mediaTypeOf(const QByteArray &head, const QString &suffix) {
    if (head.startsWith("\xFF\xD8\xFF"))
        return QStringLiteral("image/jpeg");
    if (head.startsWith("\x89PNG\r\n\x1A\n"))
        return QStringLiteral("image/png");
    if (head.startsWith("GIF87a") || head.startsWith("GIF89a"))
        return QStringLiteral("image/gif");
    if (head.startsWith("RIFF") && head.mid(8, 4) == "WEBP")
        return QStringLiteral("image/webp");
    // ISO base media (MP4) and QuickTime: a box type at offset 4. The ftyp box's major
    // brand "qt  " is QuickTime; a file without ftyp goes by its suffix.
    const QByteArray box = head.mid(4, 4);
    if (box == "ftyp")
        return head.mid(8, 4) == "qt  " ? QStringLiteral("video/quicktime")
                                        : QStringLiteral("video/mp4");
    if (box == "moov" || box == "mdat" || box == "wide" || box == "free")
        return suffix.compare(QLatin1String("mov"), Qt::CaseInsensitive) == 0 ||
                       suffix.compare(QLatin1String("qt"), Qt::CaseInsensitive) == 0
                   ? QStringLiteral("video/quicktime")
                   : QStringLiteral("video/mp4");
    return std::nullopt;
}

Result<MediaFile> describeMediaFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ruleError("media_unreadable",
                         tr("Huntaze cannot read this file. Check that it is still there and "
                            "readable, then post again."),
                         file.errorString());
    MediaFile media;
    media.path = path;
    media.size = file.size();
    if (media.size <= 0)
        return ruleError("media_empty",
                         tr("This file is empty. Choose the photo or video again, then post."));
    const auto type = mediaTypeOf(file.read(16), QFileInfo(path).suffix());
    if (!type)
        return ruleError("media_type_unsupported",
                         tr("X only takes JPEG, PNG, WebP and GIF images and MP4 or MOV videos. "
                            "Convert the file to one of these, then post again."));
    media.mediaType = *type;
    media.category = *categoryForType(*type);
    const qint64 limit = maxBytes(media.category);
    if (media.size > limit)
        return ruleError("media_too_large",
                         tr("This file is %1 MB; X takes at most %2 MB for this kind of file. "
                            "Use a smaller file, then post again.")
                             .arg(megabytes(media.size), megabytes(limit)));
    return media;
}

Result<void> checkMediaSet(const QList<MediaCategory> &categories) {
    const auto images = categories.count(MediaCategory::Image);
    const auto others = categories.size() - images;
    if (categories.size() > 4 || others > 1 || (others == 1 && images > 0))
        return ruleError("media_combination",
                         tr("X allows up to 4 photos, or 1 GIF, or 1 video in a post, never a "
                            "mix. Change the attached media, then post again."));
    return {};
}

QStringList checkVideo(const media::MediaInfo &video) {
    QStringList problems;
    if (video.uploadContentType != QLatin1String("video/mp4") &&
        video.uploadContentType != QLatin1String("video/quicktime"))
        problems.append(tr("X takes MP4 or MOV videos; export the video as MP4."));
    if (video.videoCodec != QLatin1String("h264"))
        problems.append(tr("X needs H.264 video; export the video with the H.264 codec."));
    if (!video.audioCodec.isEmpty() && video.audioCodec != QLatin1String("aac"))
        problems.append(tr("X needs AAC sound; export the video with AAC audio."));
    if (video.durationMs > 0 && (video.durationMs < kMinVideoMs || video.durationMs > kMaxVideoMs))
        problems.append(tr("X takes videos from 0.5 to 140 seconds long; this one is %1 "
                           "seconds. Trim it to fit.")
                            .arg(QLocale().toString(double(video.durationMs) / 1000.0, 'f', 1)));
    if (video.frameRate > kMaxFrameRate + 0.01)
        problems.append(tr("X takes videos at up to 60 frames per second; export it at 60 fps "
                           "or less."));
    if (video.sizeBytes > maxBytes(MediaCategory::Video))
        problems.append(tr("X takes videos of at most 512 MB; export a smaller file."));
    return problems;
}

Result<SegmentPlan> SegmentPlan::forSize(qint64 totalBytes, qint64 segmentBytes) {
    if (totalBytes <= 0 || segmentBytes <= 0 || segmentBytes > kSegmentBytes)
        return ruleError("invalid_segment_plan",
                         tr("Huntaze could not plan this upload. Choose the file again, then "
                            "post."),
                         QStringLiteral("total %1, segment %2").arg(totalBytes).arg(segmentBytes));
    SegmentPlan plan;
    plan.totalBytes = totalBytes;
    plan.segmentBytes = segmentBytes;
    const qint64 count = (totalBytes + segmentBytes - 1) / segmentBytes;
    if (count > kMaxSegments)
        return ruleError("media_too_large",
                         tr("This file is too large to upload to X. Use a smaller file, then "
                            "post again."),
                         QStringLiteral("%1 segments").arg(count));
    plan.count = int(count);
    return plan;
}

qint64 SegmentPlan::length(int index) const {
    if (index < 0 || index >= count)
        return 0;
    return std::min(segmentBytes, totalBytes - start(index));
}

} // namespace huntaze::x
