#pragma once

#include <QString>

namespace huntaze::media {

// What a local media file holds, as libavformat reads it (media/mediaprobe.h).
//
// containerLabel, decided in mediaprobe.cpp:
//  - libavformat's mov/mp4 family ("mov,mp4,m4a,3gp,3g2,mj2"): "MOV" when the file's
//    major brand (ftyp) is "qt  " (QuickTime); "MP4" for any other major brand; with no
//    major brand at all, by the extension (.mov/.qt -> "MOV", else "MP4").
//  - "matroska,webm": "WebM" when every stream is one WebM allows (video vp8/vp9/av1,
//    audio opus/vorbis, subtitles webvtt), else "Matroska".
//  - others: a fixed label ("AVI", "GIF", "PNG", ...) or the demuxer's name in capitals.
struct MediaInfo {
    QString path;
    qint64 sizeBytes = 0;
    QString container;      // libavformat's short name list, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
                            // or "matroska,webm"
    QString containerLabel; // human: "MP4", "MOV", "WebM", "GIF", ...
    bool hasVideo = false;
    QString videoCodec; // avcodec_get_name: "h264", "hevc", "vp8", "vp9", ...
    QString audioCodec; // "aac", "" when there is no audio
    int width = 0;
    int height = 0;
    double frameRate = 0;      // frames per second; 0 when unknown
    qint64 durationMs = 0;     // 0 when unknown
    QString uploadContentType; // "video/mp4" | "video/quicktime" | "video/webm" | ""
};

} // namespace huntaze::media
