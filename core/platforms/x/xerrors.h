#pragma once

#include "base/error.h"
#include "xratelimits.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace huntaze::x {

// One error answer from X in the shape it came in (x.md): problem JSON
// {"type", "title", "detail", "status"} (sometimes with a nested "errors" list), the older
// {"errors": [{"code", "message"}]}, or the token endpoint's {"error", "error_description"}.
struct ErrorBody {
    enum class Shape { Problem, Legacy, OAuth };
    Shape shape = Shape::Problem;
    QString type;       // problem: "about:blank" or https://api.twitter.com/2/problems/<name>
    QString title;      // problem: "Forbidden", "Too Many Requests", ...
    QString detail;     // problem detail, the first legacy message, or error_description
    int status = 0;     // problem: its own "status" field
    QList<int> codes;   // legacy: every errors[].code, in order
    QString oauthError; // OAuth: "invalid_request", "invalid_grant", ...
    QStringList more;   // further messages (nested errors, other legacy entries), at most 5
};

// The error body of an answer, if it is one; nullopt for anything else (not JSON, not an
// object, no recognisable field). Bounded: bodies over 64 KiB are not parsed, each text
// is cut to 4000 characters.
std::optional<ErrorBody> parseErrorBody(const QByteArray &body);

// What the publishing queue does about a failure.
enum class Action {
    RefreshAndRetry,  // the access token was refused: get a fresh one, retry once, else Reconnect
    Reconnect,        // the user must connect the X account again (a scope is missing, ...)
    WaitUntil,        // a rate limit or posting cap: wait until waitUntil (or back off)
    RetryWithBackoff, // X-side trouble or no connection: retry later with backoff
    FixPost,          // the post itself must change (duplicate, too long, reply target gone)
    FixMedia,         // the file must change (type, size, X could not process it)
    UploadAgain,      // the uploaded media is gone or unusable: upload the file again
    CheckAccount,     // the account is suspended, locked or flagged: only the user can act
    ContactSupport,   // Huntaze's X app is refused something; the user cannot fix it
    None,             // nothing to do (a post that no longer exists, a field not available)
};

// A failure translated for the user and the queue.
struct Problem {
    QString code; // "duplicate_content", "rate_limited", ...: safe to store and log
    Action action = Action::None;
    QString message; // user-facing: what happened and what to do; never carries a token
    bool retryable = false;
    qint64 waitSeconds = 0; // WaitUntil: how long from now (0: not known, back off)
    QDateTime waitUntil;    // WaitUntil: when, in UTC (invalid when not known)
};

// A limit that is used up until resetEpoch (0: X did not say). For a 429 and for the
// pacer's refusal to send a call that would meet one. Waits are kept within 1 s..25 h.
Problem problemForLimit(LimitKind kind, qint64 resetEpoch, qint64 nowEpoch);

// An error answer: its HTTP status (0: no answer at all), its body if it had one, and the
// rate-limit headers that came with it. nowEpoch is the local clock in epoch seconds.
Problem problemFor(int httpStatus, const std::optional<ErrorBody> &body, const RateLimits &limits,
                   qint64 nowEpoch);

// STATUS said processing failed; X's processing_info.error {name, message}, if any.
Problem problemForProcessingFailure(const QString &errorName, const QString &errorMessage);

// For logs (Error::detail): status, shape, type, codes and X's own words, cleaned.
QString detailFor(int httpStatus, const std::optional<ErrorBody> &body);

// Platform text fit to quote: credentials masked, markup and control characters gone,
// one line, at most `limit` characters.
QString cleanPlatformText(const QString &raw, qsizetype limit = 200);

// domain "x", code, message, httpStatus, retryable, retryAfter = waitSeconds.
Error toError(const Problem &problem, int httpStatus = 0);

// The whole way from an error answer to an Error: parse, classify, detail.
Error errorFor(int httpStatus, const QByteArray &body, const RateLimits &limits, qint64 nowEpoch);

} // namespace huntaze::x
