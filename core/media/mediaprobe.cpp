#include "mediaprobe.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <mutex>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
}

namespace huntaze::media {

namespace {

// Bounds on how much of a file libavformat may read and for how long, so that a hostile
// or broken file cannot make it read gigabytes or spin: 5 MB to recognise the container
// and streams, 5 s of media to measure them, 15 s of wall time in all.
constexpr const char *kProbeSizeBytes = "5000000";
constexpr const char *kAnalyzeDurationMicroseconds = "5000000";
constexpr int kWallTimeLimitMs = 15000;

// Only the local file: no network, and no demuxer that opens other files or URLs
// (playlists such as HLS or concat lists). The demuxers of ordinary video, audio and
// still/animated image files; anything else is reported as not_media.
constexpr const char *kProtocolWhitelist = "file";
constexpr const char *kFormatWhitelist =
    "mov,matroska,webm,avi,flv,mpegts,mpeg,asf,ogg,mxf,ivf,h264,hevc,m4v,"
    "gif,apng,png_pipe,jpeg_pipe,webp_pipe,mp3,wav,aac,flac";

QString tr(const char *text) {
    return QCoreApplication::translate("MediaProbe", text);
}

// libav's own messages would otherwise go to stderr for every broken file; the useful
// part of a failure goes into Error::detail instead.
void quietLibavOnce() {
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

QString avErrorText(int code) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, buffer, sizeof buffer) < 0)
        return QStringLiteral("libav error %1").arg(code);
    return QString::fromUtf8(buffer);
}

Error mediaError(const QString &code, const QString &message, const QString &detail = {}) {
    Error error;
    error.domain = QStringLiteral("media");
    error.code = code;
    error.message = message;
    error.detail = detail;
    error.retryable = false;
    return error;
}

Error notMedia(const QString &fileName, const QString &detail) {
    return mediaError(QStringLiteral("not_media"),
                      tr("The file “%1” is not a video Huntaze can read: it may be damaged or "
                         "in an unsupported format. Export it again as an MP4 (H.264) video.")
                          .arg(fileName),
                      detail);
}

struct FormatContextCloser {
    void operator()(AVFormatContext *context) const { avformat_close_input(&context); }
};
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;

struct DictionaryFree {
    void operator()(AVDictionary *dictionary) const { av_dict_free(&dictionary); }
};

int interruptWhenExpired(void *opaque) {
    return static_cast<const QDeadlineTimer *>(opaque)->hasExpired() ? 1 : 0;
}

QString metadataValue(const AVDictionary *metadata, const char *key) {
    const AVDictionaryEntry *entry = av_dict_get(metadata, key, nullptr, 0);
    return entry ? QString::fromUtf8(entry->value) : QString();
}

// The video stream to describe: libavformat's best one unless it is only cover art.
const AVStream *bestVideoStream(AVFormatContext *context) {
    const int best = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (best >= 0 && !(context->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return context->streams[best];
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        const AVStream *stream = context->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return stream;
    }
    return nullptr;
}

// WebM is Matroska restricted to VP8/VP9/AV1 video, Opus/Vorbis audio and WebVTT text.
bool fitsWebM(const AVFormatContext *context) {
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        const AVCodecParameters *codec = context->streams[i]->codecpar;
        switch (codec->codec_type) {
        case AVMEDIA_TYPE_VIDEO:
            if (context->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC)
                return false;
            if (codec->codec_id != AV_CODEC_ID_VP8 && codec->codec_id != AV_CODEC_ID_VP9 &&
                codec->codec_id != AV_CODEC_ID_AV1)
                return false;
            break;
        case AVMEDIA_TYPE_AUDIO:
            if (codec->codec_id != AV_CODEC_ID_OPUS && codec->codec_id != AV_CODEC_ID_VORBIS)
                return false;
            break;
        case AVMEDIA_TYPE_SUBTITLE:
            if (codec->codec_id != AV_CODEC_ID_WEBVTT)
                return false;
            break;
        default:
            return false;
        }
    }
    return true;
}

// See mediainfo.h for the rules.
void labelContainer(const AVFormatContext *context, const QFileInfo &file, MediaInfo &info) {
    const QString name = info.container;
    const QString first = name.section(QLatin1Char(','), 0, 0);
    if (first == QLatin1String("mov")) {
        const QString brand = metadataValue(context->metadata, "major_brand").trimmed();
        bool quickTime;
        if (!brand.isEmpty()) {
            quickTime = brand == QLatin1String("qt");
        } else {
            const QString suffix = file.suffix().toLower();
            quickTime = suffix == QLatin1String("mov") || suffix == QLatin1String("qt");
        }
        info.containerLabel = quickTime ? QStringLiteral("MOV") : QStringLiteral("MP4");
        info.uploadContentType =
            quickTime ? QStringLiteral("video/quicktime") : QStringLiteral("video/mp4");
        return;
    }
    if (first == QLatin1String("matroska")) {
        const bool webm = fitsWebM(context);
        info.containerLabel = webm ? QStringLiteral("WebM") : QStringLiteral("Matroska");
        info.uploadContentType = webm ? QStringLiteral("video/webm") : QString();
        return;
    }
    static const std::pair<const char *, const char *> labels[] = {
        {"avi", "AVI"},        {"flv", "FLV"},        {"mpegts", "MPEG-TS"}, {"mpeg", "MPEG-PS"},
        {"asf", "ASF"},        {"ogg", "Ogg"},        {"mxf", "MXF"},        {"ivf", "IVF"},
        {"h264", "raw H.264"}, {"hevc", "raw H.265"}, {"m4v", "raw MPEG-4"}, {"gif", "GIF"},
        {"apng", "APNG"},      {"png_pipe", "PNG"},   {"jpeg_pipe", "JPEG"}, {"webp_pipe", "WebP"},
        {"mp3", "MP3"},        {"wav", "WAV"},        {"aac", "AAC"},        {"flac", "FLAC"},
    };
    info.containerLabel = first.toUpper();
    for (const auto &[demuxer, label] : labels) {
        if (first == QLatin1String(demuxer)) {
            info.containerLabel = QString::fromUtf8(label);
            break;
        }
    }
    info.uploadContentType.clear();
}

} // namespace

Result<MediaInfo> probeMedia(const QString &path) {
    quietLibavOnce();

    const QFileInfo file(path);
    const QString fileName = file.fileName().isEmpty() ? path : file.fileName();
    if (path.isEmpty() || !file.exists()) {
        return mediaError(QStringLiteral("file_missing"),
                          tr("The file “%1” does not exist. It may have been moved, renamed or "
                             "deleted; choose it again.")
                              .arg(fileName),
                          path);
    }
    if (file.isDir()) {
        return mediaError(
            QStringLiteral("not_media"),
            tr("“%1” is a folder, not a video file. Choose a video file.").arg(fileName), path);
    }
    if (!file.isFile()) {
        // A pipe or device could block or never end.
        return mediaError(QStringLiteral("not_media"),
                          tr("“%1” is not an ordinary file. Choose a video file.").arg(fileName),
                          path);
    }
    {
        QFile probe(file.absoluteFilePath());
        if (!probe.open(QIODevice::ReadOnly)) {
            return mediaError(QStringLiteral("file_unreadable"),
                              tr("Huntaze cannot read the file “%1”. Check that you have "
                                 "permission to open it, then try again.")
                                  .arg(fileName),
                              probe.errorString());
        }
    }
    const qint64 sizeBytes = file.size();
    if (sizeBytes <= 0) {
        return mediaError(QStringLiteral("not_media"),
                          tr("The file “%1” is empty. Choose a video file, or export the video "
                             "again.")
                              .arg(fileName),
                          path);
    }

    AVDictionary *rawOptions = nullptr;
    av_dict_set(&rawOptions, "probesize", kProbeSizeBytes, 0);
    av_dict_set(&rawOptions, "analyzeduration", kAnalyzeDurationMicroseconds, 0);
    av_dict_set(&rawOptions, "protocol_whitelist", kProtocolWhitelist, 0);
    av_dict_set(&rawOptions, "format_whitelist", kFormatWhitelist, 0);
    std::unique_ptr<AVDictionary, DictionaryFree> options(rawOptions);

    QDeadlineTimer deadline(kWallTimeLimitMs);
    AVFormatContext *raw = avformat_alloc_context();
    if (!raw)
        return notMedia(fileName, QStringLiteral("avformat_alloc_context failed"));
    raw->interrupt_callback.callback = &interruptWhenExpired;
    raw->interrupt_callback.opaque = &deadline;

    // "file:" so that a ':' in the path is never read as a protocol name.
    const QByteArray url = "file:" + QFile::encodeName(file.absoluteFilePath());
    rawOptions = options.release();
    const int opened = avformat_open_input(&raw, url.constData(), nullptr, &rawOptions);
    options.reset(rawOptions);
    if (opened < 0) { // avformat_open_input freed the context
        const QString detail = QStringLiteral("avformat_open_input: ") + avErrorText(opened);
        if (opened == AVERROR(ENOENT))
            return mediaError(QStringLiteral("file_missing"),
                              tr("The file “%1” does not exist. It may have been moved, "
                                 "renamed or deleted; choose it again.")
                                  .arg(fileName),
                              detail);
        if (opened == AVERROR(EACCES) || opened == AVERROR(EPERM))
            return mediaError(QStringLiteral("file_unreadable"),
                              tr("Huntaze cannot read the file “%1”. Check that you have "
                                 "permission to open it, then try again.")
                                  .arg(fileName),
                              detail);
        return notMedia(fileName, detail);
    }
    FormatContextPtr context(raw);

    QString detail;
    const int found = avformat_find_stream_info(context.get(), nullptr);
    if (found < 0)
        detail = QStringLiteral("avformat_find_stream_info: ") + avErrorText(found);
    if (deadline.hasExpired())
        return notMedia(
            fileName,
            QStringLiteral("reading the file took longer than %1 ms").arg(kWallTimeLimitMs));
    if (context->nb_streams == 0)
        return notMedia(fileName, detail.isEmpty() ? QStringLiteral("no streams") : detail);

    MediaInfo info;
    info.path = path;
    info.sizeBytes = sizeBytes;
    info.container = QString::fromUtf8(context->iformat->name);
    labelContainer(context.get(), file, info);

    const AVStream *video = bestVideoStream(context.get());
    if (!video) {
        return mediaError(QStringLiteral("no_video_stream"),
                          tr("The file “%1” has no video picture (it may be audio only). "
                             "Choose a video file.")
                              .arg(fileName),
                          detail);
    }
    const AVCodecParameters *codec = video->codecpar;
    if (codec->codec_id == AV_CODEC_ID_NONE && (codec->width <= 0 || codec->height <= 0))
        return notMedia(fileName,
                        detail.isEmpty() ? QStringLiteral("unknown video codec") : detail);

    info.hasVideo = true;
    info.videoCodec = QString::fromUtf8(avcodec_get_name(codec->codec_id));
    info.width = codec->width;
    info.height = codec->height;

    // The first audio stream's codec: Instagram wants AAC (instagram.md, "Media").
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        const AVCodecParameters *stream = context->streams[i]->codecpar;
        if (stream->codec_type == AVMEDIA_TYPE_AUDIO) {
            info.audioCodec = QString::fromUtf8(avcodec_get_name(stream->codec_id));
            break;
        }
    }

    AVRational rate = video->avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0)
        rate = video->r_frame_rate;
    info.frameRate = (rate.num > 0 && rate.den > 0) ? av_q2d(rate) : 0.0;

    if (context->duration != AV_NOPTS_VALUE && context->duration > 0)
        info.durationMs = av_rescale(context->duration, 1000, AV_TIME_BASE);
    else if (video->duration != AV_NOPTS_VALUE && video->duration > 0)
        info.durationMs = av_rescale_q(video->duration, video->time_base, AVRational{1, 1000});

    return info;
}

} // namespace huntaze::media
