#pragma once

#include "base/error.h"

#include <QString>

namespace huntaze::tiktok {

// What the publishing queue does about a TikTok failure.
enum class Action {
    RefreshAndRetry,      // refresh the access token, retry once; reconnect if that fails
    Reconnect,            // the user must connect the TikTok account again
    WaitThenRetry,        // a quota or rate limit: retry after it frees
    RetryWithBackoff,     // TikTok-side trouble: retry with exponential backoff
    FixMedia,             // the video/photo itself must change
    FixRequest,           // the post's settings, caption or source must change
    ChooseAnotherPrivacy, // the chosen privacy level is not allowed
    CheckTikTok,          // something on the account needs the user's attention in TikTok
    ContactSupport,       // a problem with Huntaze's TikTok app the user cannot fix
    None,                 // nothing to do
};

// A TikTok failure translated for the user and the queue (shared/platforms/tiktok.md).
struct Problem {
    QString code; // the TikTok code, normalised; safe to store and log
    Action action = Action::None;
    QString message; // user-facing: what happened + what to do; never carries a token
    bool retryable = false;
};

// For an API envelope error.code or an OAuth "error". Codes TikTok does not document
// fall back on the HTTP status; platformMessage is only ever quoted as a short,
// cleaned excerpt.
Problem problemForApiError(const QString &code, int httpStatus, const QString &platformMessage);

// For status/fetch data.fail_reason (and the post.publish.failed webhook's reason).
Problem problemForFailReason(const QString &failReason);

// domain "tiktok", code, message, httpStatus, retryable.
Error toError(const Problem &p, int httpStatus = 0);

} // namespace huntaze::tiktok
