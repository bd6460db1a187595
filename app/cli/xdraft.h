#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QStringList>

namespace huntaze::cli {

// What `huntaze publish --kind text|images|gif|video` was given for an X account.
struct XRequest {
    QString kind; // text | images | gif | video
    QString text;
    QString file;       // gif or video: the local file
    QStringList images; // images: 1 to 4 local photos (JPEG, PNG or WebP)
};

// The draft for the queue (kind, kindByProvider["x"], caption = the text, options.x.images
// as absolute paths, as publications' contract has it), after the same local checks the
// window runs: X's post rules (xpostrequest.h: text, 280 characters, media count) and its
// media rules (xmediarules.h: type, size, and a video's length, codec and frame rate).
// Errors: code "usage" for what was asked wrongly; X's media codes (media_too_large, ...)
// or "media_rejected" for a file X would refuse. The account is the caller's to add.
Result<jobs::PublicationDraft> xDraftFrom(const XRequest &request);

} // namespace huntaze::cli
