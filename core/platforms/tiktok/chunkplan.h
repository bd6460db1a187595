#pragma once

#include "base/result.h"

#include <QtGlobal>

namespace huntaze::tiktok {

// How a FILE_UPLOAD is cut into chunks, by the rules of shared/platforms/tiktok.md:
// total_chunk_count = floor(video_size / chunk_size), the remainder joins the last
// chunk; every chunk but the last between 5 MB and 64 MB, the last up to 128 MB; a file
// that fits one chunk goes whole; 1 to 1000 chunks. "MB" is undefined, so chunk sizes
// stay within 5,242,880..64,000,000 bytes, which satisfies both readings.
struct ChunkPlan {
    static constexpr qint64 kMinChunk = 5'242'880;
    static constexpr qint64 kMaxChunk = 64'000'000;
    static constexpr qint64 kDefaultChunk = 10'000'000;
    static constexpr int kMaxChunks = 1000;

    qint64 videoSize = 0;
    qint64 chunkSize = 0;
    int chunkCount = 0;

    // preferredChunk is clamped into the allowed range.
    static Result<ChunkPlan> forSize(qint64 videoSize, qint64 preferredChunk = kDefaultChunk);

    qint64 chunkStart(int index) const { return qint64(index) * chunkSize; }
    qint64 chunkLength(int index) const;
    // The chunk that holds byte `offset` (where a resumed upload continues).
    int chunkAt(qint64 offset) const;
};

} // namespace huntaze::tiktok
