#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace huntaze {

// A failure as a value. Every layer returns one of these instead of throwing, so an
// error can cross the event loop, be stored in the queue and be shown to the user.
struct Error {
    QString domain;     // where it came from: "store", "config", "tiktok", "http", ...
    QString code;       // machine-readable code, e.g. a platform error code or SQLSTATE
    QString message;    // what happened and what to do next, in the user's words
    QString detail;     // technical detail for logs; never carries a secret
    int httpStatus = 0; // the HTTP status that produced it, when there was one
    bool retryable = false;
    std::optional<std::chrono::seconds> retryAfter;

    QString toString() const;
};

} // namespace huntaze
