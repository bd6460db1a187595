#include "chunkplan.h"

#include <QCoreApplication>

#include <algorithm>

namespace huntaze::tiktok {

Result<ChunkPlan> ChunkPlan::forSize(qint64 videoSize, qint64 preferredChunk) {
    if (videoSize <= 0)
        return Error{
            QStringLiteral("tiktok"),
            QStringLiteral("empty_file"),
            QCoreApplication::translate("ChunkPlan", "The file is empty: choose a video file."),
            {},
            0,
            false,
            {}};
    ChunkPlan plan;
    plan.videoSize = videoSize;
    plan.chunkSize = std::clamp(preferredChunk, kMinChunk, kMaxChunk);
    // More than 1000 chunks: grow the chunk (a 4 GB file needs about 4.3 MB each at most).
    if (videoSize / plan.chunkSize > kMaxChunks)
        plan.chunkSize = std::min(kMaxChunk, (videoSize + kMaxChunks - 1) / kMaxChunks);
    plan.chunkCount = int(videoSize / plan.chunkSize);
    if (plan.chunkCount == 0) { // smaller than one chunk: the file goes whole
        plan.chunkSize = videoSize;
        plan.chunkCount = 1;
    }
    if (plan.chunkCount > kMaxChunks || plan.chunkLength(plan.chunkCount - 1) > 2 * kMaxChunk)
        return Error{
            QStringLiteral("tiktok"),
            QStringLiteral("file_too_large"),
            QCoreApplication::translate("ChunkPlan", "The file is too large for TikTok's upload."),
            {},
            0,
            false,
            {}};
    return plan;
}

qint64 ChunkPlan::chunkLength(int index) const {
    if (index < 0 || index >= chunkCount)
        return 0;
    return index == chunkCount - 1 ? videoSize - chunkStart(index) : chunkSize;
}

int ChunkPlan::chunkAt(qint64 offset) const {
    if (chunkSize <= 0 || offset <= 0)
        return 0;
    return int(std::min<qint64>(offset / chunkSize, chunkCount - 1));
}

} // namespace huntaze::tiktok
