#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace huntaze::x {

// Which of X's limits holds a call back.
enum class LimitKind {
    Window,  // the endpoint's 15-minute window for this account
    UserDay, // the account's 24-hour posting cap
    AppDay,  // the app's 24-hour posting cap (every account together)
};

// One limit as X reports it in an answer's headers (x.md, "Posting"): how many calls
// the window allows, how many are left, and when it starts over (epoch seconds).
struct RateWindow {
    int limit = -1;        // -1: not reported
    int remaining = -1;    // -1: not reported
    qint64 resetEpoch = 0; // 0: not reported

    bool reported() const { return remaining >= 0 && resetEpoch > 0; }
    bool exhausted() const { return reported() && remaining == 0; }
};

// Every limit one answer reported.
struct RateLimits {
    RateWindow window;  // x-rate-limit-*: this endpoint, this token, its 15-minute window
    RateWindow userDay; // x-user-limit-24hour-*: posts by this user in 24 hours
    RateWindow appDay;  // x-app-limit-24hour-*: posts through Huntaze's app in 24 hours
};

// Reads the three header triples, names matched case-insensitively. A value that is not
// a plain non-negative integer in a sane range (a reset in milliseconds, "-1", "1e9",
// 40 digits) counts as not reported, so a hostile header cannot stall or rush the pacer.
RateLimits parseRateLimits(const QList<std::pair<QByteArray, QByteArray>> &headers);

} // namespace huntaze::x
