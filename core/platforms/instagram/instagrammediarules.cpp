#include "instagrammediarules.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace huntaze::instagram {

namespace {

// Limits from instagram.md, "Media". Megabytes are read as MiB, as the sandbox (and the
// stricter reading of Meta's "8 MB") does.
constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kMaxImageBytes = 8 * kMiB;
constexpr qint64 kMaxReelBytes = 300 * kMiB;
constexpr qint64 kMaxStoryVideoBytes = 100 * kMiB;
constexpr qint64 kMinVideoMs = 3'000;
constexpr qint64 kMaxReelMs = 15 * 60'000;
constexpr qint64 kMaxStoryVideoMs = 60'000;
constexpr int kMinFrameRate = 23;
constexpr int kMaxFrameRate = 60;
constexpr int kMinCarouselItems = 2;
constexpr int kMaxCarouselItems = 10;
// Feed aspect ratio, width:height, from 4:5 to 1.91:1, compared in integers.
constexpr qint64 kTallestWidth = 4, kTallestHeight = 5;
constexpr qint64 kWidestWidth = 191, kWidestHeight = 100;
// Frame rates measured from timestamps wobble around the nominal rate (60.02 for 60).
constexpr double kFrameRateTolerance = 0.05;

QString tr(const char *text) {
    return QCoreApplication::translate("InstagramMediaRules", text);
}

QString number(qint64 value) {
    return QLocale().toString(value);
}

// "9.5 MB" for the file and the limit; with exact byte counts when both would read the
// same ("8.0 MB" against "8.0 MB").
std::pair<QString, QString> sizes(qint64 bytes, qint64 limit) {
    const QLocale locale;
    QString actual = locale.formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
    QString allowed = locale.formattedDataSize(limit, 0, QLocale::DataSizeTraditionalFormat);
    if (actual == locale.formattedDataSize(limit, 1, QLocale::DataSizeTraditionalFormat)) {
        actual = tr("%1 bytes").arg(number(bytes));
        allowed = tr("%1 (%2 bytes)").arg(allowed, number(limit));
    }
    return {actual, allowed};
}

// "2.5 seconds" below a minute, "16:05" above.
QString duration(qint64 ms) {
    if (ms < 60'000)
        return tr("%1 seconds")
            .arg(QLocale().toString(double(ms) / 1000.0, 'f', ms % 1000 ? 1 : 0));
    const qint64 seconds = ms / 1000;
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString frameRate(double fps) {
    if (std::abs(fps - std::round(fps)) < 0.005)
        return number(std::llround(fps));
    return QLocale().toString(fps, 'f', 2);
}

int countMatches(const QRegularExpression &pattern, const QString &text) {
    int count = 0;
    for (auto it = pattern.globalMatch(text); it.hasNext(); it.next())
        ++count;
    return count;
}

QStringList checkImage(const ImageFacts &image, bool feed) {
    if (!image.error.isEmpty())
        return {image.error};
    QStringList problems;
    if (image.format != QLatin1String("jpeg"))
        problems << tr("This image is a %1 file; Instagram only accepts JPEG. Save it as a JPEG, "
                       "then choose it again.")
                        .arg(image.format.isEmpty() ? tr("an unknown kind of")
                                                    : image.format.toUpper());
    if (image.bytes > kMaxImageBytes) {
        const auto [actual, allowed] = sizes(image.bytes, kMaxImageBytes);
        problems << tr("This image is %1; Instagram accepts at most %2. Save it as a smaller "
                       "JPEG (lower quality or fewer pixels).")
                        .arg(actual, allowed);
    }
    const qint64 width = image.size.width();
    const qint64 height = image.size.height();
    if (feed && width > 0 && height > 0) {
        if (width * kTallestHeight < height * kTallestWidth)
            problems << tr("This image is %1 × %2 pixels, taller than the 4:5 Instagram allows "
                           "in the feed. Crop it to at most %1 × %3 pixels.")
                            .arg(number(width), number(height),
                                 number(width * kTallestHeight / kTallestWidth));
        else if (width * kWidestHeight > height * kWidestWidth)
            problems << tr("This image is %1 × %2 pixels, wider than the 1.91:1 Instagram allows "
                           "in the feed. Crop it to at most %3 × %2 pixels.")
                            .arg(number(width), number(height),
                                 number(height * kWidestWidth / kWidestHeight));
    }
    return problems;
}

QStringList checkVideo(const media::MediaInfo &video, qint64 maxMs, qint64 maxBytes, bool story) {
    QStringList problems;
    // libavformat's mov demuxer reads both MP4 and MOV ("mov,mp4,m4a,3gp,3g2,mj2").
    const bool movFamily = video.container.section(QLatin1Char(','), 0, 0) == QLatin1String("mov");
    if (!movFamily || (video.containerLabel != QLatin1String("MP4") &&
                       video.containerLabel != QLatin1String("MOV"))) {
        const QString label =
            video.containerLabel.isEmpty() ? video.container : video.containerLabel;
        problems << tr("This video is a %1 file; Instagram needs MP4 or MOV. Export it again as "
                       "an MP4.")
                        .arg(label.isEmpty() ? tr("an unknown kind of") : label);
    }
    if (!video.hasVideo) {
        problems << tr("This file has no video picture. Choose a video file.");
        return problems;
    }
    if (video.videoCodec != QLatin1String("h264") && video.videoCodec != QLatin1String("hevc"))
        problems << tr("This video is encoded as %1; Instagram needs H.264 or HEVC (H.265). "
                       "Export it again with H.264.")
                        .arg(video.videoCodec.isEmpty() ? tr("an unknown codec")
                                                        : video.videoCodec.toUpper());
    if (!video.audioCodec.isEmpty() && video.audioCodec != QLatin1String("aac"))
        problems << tr("This video's sound is encoded as %1; Instagram needs AAC sound (or none). "
                       "Export it again with AAC audio.")
                        .arg(video.audioCodec.toUpper());
    if (video.frameRate <= 0)
        problems << tr("Huntaze could not read this video's frame rate; Instagram needs 23 to 60 "
                       "fps. Export it again at 30 fps.");
    else if (video.frameRate < kMinFrameRate - kFrameRateTolerance ||
             video.frameRate > kMaxFrameRate + kFrameRateTolerance)
        problems << tr("This video is %1 fps; Instagram needs 23 to 60 fps. Export it again at "
                       "30 fps.")
                        .arg(frameRate(video.frameRate));
    // An unknown duration (0) is left to Instagram: refusing it would block a good video.
    if (video.durationMs > 0 && video.durationMs < kMinVideoMs)
        problems << tr("This video is %1 long; Instagram needs at least 3 seconds. Use a longer "
                       "clip.")
                        .arg(duration(video.durationMs));
    else if (video.durationMs > maxMs)
        problems << (story ? tr("This video is %1 long; a story video can be at most 60 seconds. "
                                "Trim it, or post it as a reel.")
                           : tr("This video is %1 long; a reel can be at most 15 minutes. Trim "
                                "it."))
                        .arg(duration(video.durationMs));
    if (video.sizeBytes > maxBytes) {
        const auto [actual, allowed] = sizes(video.sizeBytes, maxBytes);
        problems << (story ? tr("This video is %1; a story video can be at most %2. Export it "
                                "at a lower bitrate or trim it.")
                           : tr("This video is %1; a reel can be at most %2. Export it at a "
                                "lower bitrate or trim it."))
                        .arg(actual, allowed);
    }
    return problems;
}

} // namespace

QString kindName(PostKind kind) {
    switch (kind) {
    case PostKind::Photo:
        return QStringLiteral("photo");
    case PostKind::Reel:
        return QStringLiteral("reel");
    case PostKind::Story:
        return QStringLiteral("story");
    case PostKind::Carousel:
        return QStringLiteral("carousel");
    }
    return {};
}

std::optional<PostKind> kindFromName(const QString &name) {
    for (PostKind kind : {PostKind::Photo, PostKind::Reel, PostKind::Story, PostKind::Carousel})
        if (name.trimmed().compare(kindName(kind), Qt::CaseInsensitive) == 0)
            return kind;
    return std::nullopt;
}

CaptionCheck checkCaption(const QString &caption) {
    CaptionCheck check;
    // UTF-16 code units, as Meta's API counts them (and the sandbox with it): an emoji may
    // count 2 to 8. Counting what a person sees would let through captions Meta refuses.
    check.characters = int(std::min<qsizetype>(caption.size(), 1'000'000));
    // A '#' or '@' starts a tag only at the start of a word: "C#", "abc#def" and
    // "me@example.com" are not tags. Marks count as part of the word before them.
    static const QRegularExpression hashtag(QStringLiteral("(?<![\\w\\p{M}])#[\\w\\p{M}]"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression mention(QStringLiteral("(?<![\\w\\p{M}])@[\\w.]"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    check.hashtags = countMatches(hashtag, caption);
    check.mentions = countMatches(mention, caption);

    if (check.characters > CaptionCheck::kMaxCharacters)
        check.problems << tr("The caption has %1 characters; Instagram allows %2. Remove %3.")
                              .arg(number(check.characters), number(CaptionCheck::kMaxCharacters),
                                   number(check.characters - CaptionCheck::kMaxCharacters));
    if (check.hashtags > CaptionCheck::kMaxHashtags)
        check.problems << tr("The caption has %1 hashtags; Instagram allows %2. Remove %3.")
                              .arg(number(check.hashtags), number(CaptionCheck::kMaxHashtags),
                                   number(check.hashtags - CaptionCheck::kMaxHashtags));
    if (check.mentions > CaptionCheck::kMaxMentions)
        check.problems << tr("The caption has %1 @mentions; Instagram allows %2. Remove %3.")
                              .arg(number(check.mentions), number(CaptionCheck::kMaxMentions),
                                   number(check.mentions - CaptionCheck::kMaxMentions));
    return check;
}

QStringList checkFeedImage(const ImageFacts &image) {
    return checkImage(image, true);
}

QStringList checkStoryImage(const ImageFacts &image) {
    return checkImage(image, false);
}

QStringList checkReelVideo(const media::MediaInfo &video) {
    return checkVideo(video, kMaxReelMs, kMaxReelBytes, false);
}

QStringList checkStoryVideo(const media::MediaInfo &video) {
    return checkVideo(video, kMaxStoryVideoMs, kMaxStoryVideoBytes, true);
}

QStringList checkCarouselCount(int items) {
    if (items < kMinCarouselItems)
        return {tr("A carousel needs at least 2 photos or videos; this one has %1. Add more, or "
                   "post a single photo or reel instead.")
                    .arg(number(std::max(items, 0)))};
    if (items > kMaxCarouselItems)
        return {tr("A carousel can hold at most 10 photos or videos; this one has %1. Remove %2.")
                    .arg(number(items), number(items - kMaxCarouselItems))};
    return {};
}

} // namespace huntaze::instagram
