#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QStringList>

namespace huntaze::cli {

// What `huntaze publish` was given for a TikTok account: one of a local video, a video URL
// or photo URLs.
struct TikTokRequest {
    QString file;
    QString url;
    QStringList photos;
    QString title; // photo posts
    QString mode;  // inbox | direct
    QString privacy;
    QString caption;
};

// The draft for the queue (options as tiktokpublisher.h reads them), after the same local
// checks the window runs: photo count and addresses, title and caption lengths, https
// sources, and a local video against TikTok's limits for the mode. Errors: code "usage"
// for what was asked wrongly, anything else for a file TikTok would refuse. The account
// (id and options.username) is the caller's to add.
Result<jobs::PublicationDraft> tiktokDraftFrom(const TikTokRequest &request);

} // namespace huntaze::cli
