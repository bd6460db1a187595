#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace huntaze::reddit {

// What the publishing queue does about a Reddit failure.
enum class Action {
    RefreshAndRetry,        // 401: get a fresh access token, retry once; reconnect if that fails
    Reconnect,              // the account must be connected again (or a permission is missing)
    WaitUntil,              // a rate limit or a subreddit quota: wait waitSeconds, then retry
    FixPost,                // the title, text, link, flair or an option must change
    FixMedia,               // the image or video itself must change
    ChooseAnotherSubreddit, // this subreddit does not take this post (or does not exist)
    RetryWithBackoff,       // Reddit-side trouble, or a lost answer to a call safe to repeat
    CheckReddit,            // the outcome is unknown: look on Reddit before posting again
    ContactSupport,         // Huntaze sent something Reddit cannot take; the creator cannot fix it
    None,                   // nothing to do
};

// A Reddit failure translated for the creator and the queue (shared/platforms/reddit.md).
struct Problem {
    QString code;  // Reddit's code (SUBREDDIT_NOEXIST, RATELIMIT, ...) or ours; safe to log
    QString field; // the form field Reddit blamed (title, url, sr, ...), when it named one
    Action action = Action::None;
    QString message; // user-facing: what happened and what to do; never carries a token
    bool retryable = false;
    int waitSeconds = 0; // WaitUntil: how long, when known (0: back off)
};

// One json.errors entry: ["CODE", "message", "field"] (the field may be null).
struct SubmitError {
    QString code;
    QString message;
    QString field;
};

// json.errors of a submit answer (at most the first 20 entries; codes that are not
// Reddit-shaped identifiers become "UNKNOWN"). Empty when there are none.
QList<SubmitError> parseSubmitErrors(const QByteArray &body);

// The wait Reddit names in a RATELIMIT message, in whole seconds rounded up (at least 1,
// at most a day): "you are doing that too much. try again in 7 minutes." -> 420;
// "... in 40 seconds." -> 40; "... in 1 minute." -> 60; "... in 500 milliseconds." -> 1.
// nullopt when the text names no wait it can read.
std::optional<int> parseRateLimitWait(const QString &message);

// For one json.errors entry. subreddit (without r/) names the community in the message
// when known; ratelimitSeconds is json.ratelimit from the same answer (negative: absent).
Problem problemForSubmitError(const SubmitError &error, const QString &subreddit = {},
                              double ratelimitSeconds = -1);

// For an answer that is not a success. The body is read for Reddit's
// SUBMIT_VALIDATION_ERROR (HTTP 400); wwwAuthenticate tells an expired token from a missing
// scope; resetSeconds (X-Ratelimit-Reset, negative: absent) is the wait of a 429.
Problem problemForHttpStatus(int httpStatus, const QByteArray &body = {},
                             const QByteArray &wwwAuthenticate = {}, double resetSeconds = -1,
                             const QString &subreddit = {});

// For the media bucket's XML error (<Error><Code>..</Code>..</Error>) or any other upload
// refusal: too large, an expired lease, a refused signature.
Problem problemForUploadError(int httpStatus, const QByteArray &xmlBody, bool video);

// The media websocket said {"type": "failed", "payload": {"message"}}.
Problem problemForMediaFailure(const QString &platformMessage, bool video);

// Failures found on this side of the wire.
enum class LocalFailure {
    LostAnswer,        // no HTTP answer to a call that is safe to repeat ("unreachable")
    OutcomeUnknown,    // no (readable) answer to a submit: it may have been posted
    SubmitServerError, // a 5xx to a submit: Reddit is known to post and then answer 5xx
    InvalidAnswer,     // an answer Huntaze cannot read, to a call safe to repeat
    FileUnreadable,    // the local image or video cannot be read, or is empty
    UnsupportedMedia,  // not a JPEG, PNG, GIF, MP4 or MOV file
    UploadStalled,     // the upload sent nothing for too long
    Aborted,           // the caller stopped the upload
    MediaNotFound,     // an image/video post accepted, but not seen on the profile in time
    InvalidId,         // a fullname, username or subreddit name unfit to go into a URL
};
Problem problemFor(LocalFailure failure);

// Reddit's text fit to quote to the creator: credentials masked, markup and control
// characters gone, one line, at most `limit` characters.
QString cleanPlatformText(const QString &raw, qsizetype limit = 200);

// domain "reddit", code, message, httpStatus, retryable, retryAfter = waitSeconds.
Error toError(const Problem &problem, int httpStatus = 0);

// The Action of the Problem an Error was made from, recovered from its code (the queue
// stores Errors, not Problems). Every Problem's code says its action on its own.
Action actionFor(const Error &error);

} // namespace huntaze::reddit
