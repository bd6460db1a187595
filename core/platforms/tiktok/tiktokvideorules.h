#pragma once

#include "media/mediainfo.h"

#include <QStringList>

#include <optional>

namespace huntaze::tiktok {

// How the video reaches TikTok: Inbox = upload as a draft to the user's inbox
// (video.upload), Direct = post directly (video.publish).
enum class PostMode { Inbox, Direct };

struct VideoCheck {
    // Each a full user-facing sentence: what is wrong and what to do.
    QStringList problems;
    bool ok() const { return problems.isEmpty(); }
};

// TikTok's video limits (shared/platforms/tiktok.md, "Limits"): MP4 / WebM / MOV,
// H.264 / H.265 / VP8 / VP9, 23-60 fps, 360-4096 px each side, at most 4 GB (read as
// 4,000,000,000 bytes, which satisfies both the decimal and the binary reading), at most
// 10 minutes through inbox upload. For a direct post the limit is maxDurationSeconds
// (creator_info's max_video_post_duration_sec) when given, else 10 minutes.
// Every problem is reported, not only the first. An unknown duration (0) is not checked.
constexpr qint64 kMaxVideoBytes = 4'000'000'000;
constexpr int kMinFrameRate = 23;
constexpr int kMaxFrameRate = 60;
constexpr int kMinSide = 360;
constexpr int kMaxSide = 4096;
constexpr int kMaxInboxDurationSeconds = 10 * 60;

VideoCheck checkVideo(const media::MediaInfo &info, PostMode mode,
                      std::optional<int> maxDurationSeconds);

} // namespace huntaze::tiktok
