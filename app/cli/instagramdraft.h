#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QStringList>

namespace huntaze::cli {

// What `huntaze publish --kind photo|reel|story|carousel` was given.
struct InstagramRequest {
    QString kind;
    QString file;       // reel or story: a local video
    QStringList photos; // photo or story: one https URL of a public JPEG, or a local JPEG
    QStringList items;  // carousel: each an https photo URL, a local .jpg/.jpeg or a video
    QString caption;
    bool shareToFeed = true;
};

// The draft for the queue, after the same local checks the window runs (caption counts,
// video limits for the kind, carousel size, photo addresses, local photos' format, size
// and shape). A local JPEG goes in filePath (options.source_type "image") or as a
// carousel item's path: the relay hosts it for Instagram. Errors: code "usage" for
// what was asked wrongly, "media_rejected" for media Instagram would refuse. The account
// (account id, options.ig_business_id and username) is the caller's to add.
Result<jobs::PublicationDraft> instagramDraftFrom(const InstagramRequest &request);

} // namespace huntaze::cli
