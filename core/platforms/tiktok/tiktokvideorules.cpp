#include "tiktokvideorules.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace huntaze::tiktok {

namespace {

// Average frame rates measured from timestamps wobble a little around the nominal rate
// (a 60 fps clip may read as 60.02); allow that much either side of 23-60.
constexpr double kFrameRateTolerance = 0.05;

QString tr(const char *text) {
    return QCoreApplication::translate("TikTokVideoRules", text);
}

QString formatFrameRate(double fps) {
    const QLocale locale;
    if (std::abs(fps - std::round(fps)) < 0.005)
        return locale.toString(static_cast<qint64>(std::llround(fps)));
    return locale.toString(fps, 'f', 2);
}

// "2:05", or "10:00.001" when the duration is not a whole number of seconds.
QString formatDuration(qint64 ms) {
    const qint64 minutes = ms / 60000;
    const qint64 seconds = (ms / 1000) % 60;
    const qint64 millis = ms % 1000;
    QString text = QString::number(minutes) + QLatin1Char(':') +
                   QStringLiteral("%1").arg(seconds, 2, 10, QLatin1Char('0'));
    if (millis != 0)
        text += QLatin1Char('.') + QStringLiteral("%1").arg(millis, 3, 10, QLatin1Char('0'));
    return text;
}

QString formatLimit(int seconds) {
    if (seconds == 60)
        return tr("1 minute");
    if (seconds % 60 == 0)
        return tr("%1 minutes").arg(seconds / 60);
    if (seconds == 1)
        return tr("1 second");
    return tr("%1 seconds").arg(seconds);
}

} // namespace

VideoCheck checkVideo(const media::MediaInfo &info, PostMode mode,
                      std::optional<int> maxDurationSeconds) {
    VideoCheck check;
    const QLocale locale;
    const QString label = info.containerLabel.isEmpty() ? info.container : info.containerLabel;

    if (!info.hasVideo) {
        check.problems << tr("The file has no video picture. Choose a video file.");
    }

    if (info.uploadContentType.isEmpty()) {
        check.problems << tr("The file is a %1 file; TikTok accepts MP4, WebM and MOV videos. "
                             "Export the video again as an MP4.")
                              .arg(label.isEmpty() ? tr("unknown") : label);
    }

    static const QStringList codecs = {QStringLiteral("h264"), QStringLiteral("hevc"),
                                       QStringLiteral("vp8"), QStringLiteral("vp9")};
    if (info.hasVideo && !codecs.contains(info.videoCodec)) {
        check.problems << tr("The video is encoded as %1; TikTok accepts H.264, H.265, VP8 and "
                             "VP9. Export the video again with H.264.")
                              .arg(info.videoCodec.isEmpty() ? tr("an unknown codec")
                                                             : info.videoCodec);
    }

    if (info.hasVideo) {
        if (info.frameRate <= 0) {
            check.problems << tr("Huntaze could not read the frame rate; TikTok accepts 23 to 60 "
                                 "fps. Export the video again at 30 fps.");
        } else if (info.frameRate < kMinFrameRate - kFrameRateTolerance ||
                   info.frameRate > kMaxFrameRate + kFrameRateTolerance) {
            check.problems << tr("The frame rate is %1 fps; TikTok accepts 23 to 60 fps. "
                                 "Export the video again at 30 fps.")
                                  .arg(formatFrameRate(info.frameRate));
        }

        if (info.width <= 0 || info.height <= 0) {
            check.problems << tr("Huntaze could not read the picture size; TikTok accepts 360 "
                                 "to 4096 pixels on each side. Export the video again, for "
                                 "example at 1080 × 1920.");
        } else if (info.width < kMinSide || info.height < kMinSide || info.width > kMaxSide ||
                   info.height > kMaxSide) {
            check.problems << tr("The picture is %1 × %2 pixels; TikTok accepts 360 to 4096 "
                                 "pixels on each side. Export the video again at a size in "
                                 "that range, for example 1080 × 1920.")
                                  .arg(info.width)
                                  .arg(info.height);
        }
    }

    if (info.sizeBytes > kMaxVideoBytes) {
        check.problems << tr("The file is %1 (%2 bytes); TikTok accepts at most 4 GB (%3 "
                             "bytes). Export the video again at a lower bit rate, or shorten "
                             "it.")
                              .arg(locale.formattedDataSize(info.sizeBytes, 2,
                                                            QLocale::DataSizeSIFormat),
                                   locale.toString(info.sizeBytes),
                                   locale.toString(kMaxVideoBytes));
    }

    int limitSeconds = kMaxInboxDurationSeconds;
    if (mode == PostMode::Direct && maxDurationSeconds && *maxDurationSeconds > 0)
        limitSeconds = *maxDurationSeconds;
    if (info.durationMs > qint64(limitSeconds) * 1000) {
        const QString duration = formatDuration(info.durationMs);
        const QString limit = formatLimit(limitSeconds);
        if (mode == PostMode::Inbox) {
            check.problems << tr("The video is %1 long; TikTok accepts at most %2 through inbox "
                                 "upload. Trim the video to %2 or less.")
                                  .arg(duration, limit);
        } else {
            check.problems << tr("The video is %1 long; this TikTok account can post videos of "
                                 "at most %2. Trim the video to %2 or less.")
                                  .arg(duration, limit);
        }
    }

    return check;
}

} // namespace huntaze::tiktok
