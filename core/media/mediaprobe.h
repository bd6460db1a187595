#pragma once

#include "base/result.h"
#include "media/mediainfo.h"

namespace huntaze::media {

// Reads a local file's container, best video stream, size, frame rate and duration with
// libavformat. Reads a bounded amount of the file (a few MB, a few seconds of media, at
// most 15 s of wall time), only from the local file (no network, no other files), and
// only through the demuxers of ordinary video and image files. Thread-safe: call it from
// any thread, several at once.
//
// Errors (domain "media"): "file_missing", "file_unreadable", "not_media" (empty, a
// folder, or a file libavformat cannot recognise or open), "no_video_stream".
Result<MediaInfo> probeMedia(const QString &path);

} // namespace huntaze::media
