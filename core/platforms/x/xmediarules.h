#pragma once

#include "base/result.h"
#include "media/mediainfo.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace huntaze::x {

// X's media categories (x.md, "Media upload").
enum class MediaCategory { Image, Gif, Video };
QString categoryName(MediaCategory category); // "tweet_image", "tweet_gif", "tweet_video"
// The category a type belongs in; nullopt for a type X does not take.
std::optional<MediaCategory> categoryForType(const QString &mediaType);
// X's size limits: image 5 MB, GIF 15 MB, video 512 MB. "MB" is not defined: the larger
// (binary) reading is used, so no file X may accept is refused here; one between the two
// readings is left for X to judge.
qint64 maxBytes(MediaCategory category);

// A local file ready to upload.
struct MediaFile {
    QString path;
    QString mediaType; // image/jpeg, image/png, image/webp, image/gif, video/mp4, video/quicktime
    MediaCategory category = MediaCategory::Image;
    qint64 size = 0;
};

// The type a file's first bytes show (suffix only tells MP4 from MOV when the file has no
// brand); nullopt for anything X does not take. Pure: unit-tested on byte strings.
std::optional<QString> mediaTypeOf(const QByteArray &head, const QString &suffix);
// Reads the file's size and first bytes: its type, category and size, checked against
// X's limits. Errors say what to change (domain "x", code "media_unreadable",
// "media_type_unsupported", "media_too_large", "media_empty").
Result<MediaFile> describeMediaFile(const QString &path);

// Media per post: up to 4 photos, or 1 GIF, or 1 video (code "media_combination").
Result<void> checkMediaSet(const QList<MediaCategory> &categories);

// A probed video against X's rules: 0.5-140 s, H.264 (+ AAC audio, or none), at most
// 60 fps, at most 512 MB. Each problem as a sentence that says what to change.
QStringList checkVideo(const media::MediaInfo &video);

// How a file is cut into APPEND segments: at most kSegmentBytes each ("5 MB or less":
// 5,000,000 bytes satisfies both readings of MB), indexes 0..999.
struct SegmentPlan {
    static constexpr qint64 kSegmentBytes = 5'000'000;
    static constexpr int kMaxSegments = 1000;

    qint64 totalBytes = 0;
    qint64 segmentBytes = 0;
    int count = 0;

    static Result<SegmentPlan> forSize(qint64 totalBytes, qint64 segmentBytes = kSegmentBytes);
    qint64 start(int index) const { return qint64(index) * segmentBytes; }
    qint64 length(int index) const;
};

} // namespace huntaze::x
