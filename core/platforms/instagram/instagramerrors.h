#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace huntaze::instagram {

// A Graph API error envelope (instagram.md, "Errors"):
// {"error": {"message", "type", "code", "error_subcode", "error_user_title",
//            "error_user_msg", "is_transient", "fbtrace_id"}}
struct GraphError {
    int httpStatus = 0;
    int code = 0;
    int subcode = 0;
    QString message;
    QString type;
    QString userTitle;
    QString userMessage;
    bool isTransient = false;
    QString fbtraceId;
};

// The envelope of an answer, if it is one (any HTTP status); nullopt for a body that is
// not a Graph error. Bounded: bodies over 64 KiB are not parsed.
std::optional<GraphError> parseGraphError(int httpStatus, const QByteArray &body);

// What the publishing queue (and the relay's workers) do about a failure.
enum class Action {
    Reconnect,             // token invalid/expired or a permission missing: connect again
    WaitUntil,             // rate limit or daily publishing limit: wait (waitSeconds, or back off)
    FixMedia,              // the media itself must change (format, size, aspect, caption)
    NewContainer,          // the container is gone (expired): make a new one
    RetryThenNewContainer, // 24/2207008: retry once or twice, then a new container
    RetryWithBackoff,      // transient server trouble or a download timeout
    KeepPolling,           // 9007/2207027: the container is not ready yet
    CheckInstagram, // the account is restricted, flagged or blocked: only the creator can act
    None,
};

// A failure translated for the creator and the queue. Every row of the platform doc's
// table has its own message that says what happened and what to do next.
struct Problem {
    QString code; // "190/463", "9/2207042", "10", ...: safe to store and log
    Action action = Action::None;
    QString message; // user-facing; never carries a token
    bool retryable = false;
    int waitSeconds = 0; // WaitUntil: how long, when known (0: back off)
    QString permission;  // Reconnect for a missing permission: which one, when Meta named it
};

// regainMinutes: X-Business-Use-Case-Usage's estimated_time_to_regain_access from the same
// answer, when the caller has it; it becomes waitSeconds for 80002 (account rate limit).
Problem problemFor(const GraphError &error, int regainMinutes = 0);

// The error for logs (Error::detail): codes, type, fbtrace_id and Meta's message, cleaned
// of anything that looks like a credential and cut short.
QString detailFor(const GraphError &error);

// A container's status_code ERROR/EXPIRED (and its free-text status) as a Problem.
Problem problemForContainerStatus(const QString &statusCode, const QString &status);

// Platform text fit to quote to the creator: anything that looks like a credential
// masked, markup and control characters gone, one line, at most `limit` characters.
QString cleanPlatformText(const QString &raw, qsizetype limit = 200);

// domain "instagram", code, message, httpStatus, retryable (and retryAfter = waitSeconds).
Error toError(const Problem &problem, int httpStatus = 0);

} // namespace huntaze::instagram
