#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QString>

namespace huntaze::cli {

// What `huntaze publish --kind self|link|image|video` was given for a Reddit account.
struct RedditRequest {
    QString kind; // self | link | image | video
    QString subreddit;
    QString title;
    QString text; // the body of a self post
    QString url;  // a link post's link
    QString file; // an image or video post's local file
    QString flairId;
    QString flairText;
    bool nsfw = false;
    bool spoiler = false;
};

// The draft for the queue (kind, kindByProvider["reddit"], options.reddit as
// publications' contract has it), after the same local checks the window runs: Reddit's own
// (RedditSubmission::check: subreddit, title of at most 300 characters, the link), a link
// that is a web address, and for media a JPEG/PNG/GIF image or an MP4/MOV video of at most
// 15 minutes. Errors: code "usage" for what was asked wrongly, "media_rejected" for a file
// Reddit would refuse. The account is the caller's to add.
Result<jobs::PublicationDraft> redditDraftFrom(const RedditRequest &request);

} // namespace huntaze::cli
