#pragma once

#include "media/mediainfo.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace huntaze::instagram {

// The Instagram kinds a creator can publish (instagram.md, "Publishing").
enum class PostKind { Photo, Reel, Story, Carousel };
QString kindName(PostKind kind); // "photo", "reel", "story", "carousel"
std::optional<PostKind> kindFromName(const QString &name);

// Live counts for the caption field, and what is over the limit.
struct CaptionCheck {
    int characters = 0; // UTF-16 code units, as Meta counts (an emoji is 2 or more)
    int hashtags = 0;
    int mentions = 0;
    QStringList problems; // empty when the caption can be published
    static constexpr int kMaxCharacters = 2200;
    static constexpr int kMaxHashtags = 30;
    static constexpr int kMaxMentions = 20;
};
CaptionCheck checkCaption(const QString &caption);

// A local JPEG read from its header only (QImageReader: no full decode).
struct ImageFacts {
    QString format; // "jpeg", "png", ... as QImageReader names it; empty if unreadable
    qint64 bytes = 0;
    QSize size;
    QString error; // when the file could not be read at all
};
ImageFacts readImageFacts(const QString &path);

// Each returns every problem as a sentence that says what to change (empty: fine).
// Feed photo and carousel photo: JPEG, at most 8 MB, aspect 4:5 to 1.91:1.
QStringList checkFeedImage(const ImageFacts &image);
// Story photo: JPEG, at most 8 MB (no aspect rule documented).
QStringList checkStoryImage(const ImageFacts &image);
// Reel (and carousel video): MOV/MP4, H.264 or HEVC, AAC audio (or none), 23-60 fps,
// 3 s to 15 min, at most 300 MB.
QStringList checkReelVideo(const media::MediaInfo &video);
// Story video: as a reel but 3-60 s and at most 100 MB.
QStringList checkStoryVideo(const media::MediaInfo &video);
// Carousel: 2-10 items.
QStringList checkCarouselCount(int items);

} // namespace huntaze::instagram
