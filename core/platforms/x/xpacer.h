#pragma once

#include "xratelimits.h"

#include <QHash>
#include <QString>

#include <mutex>

namespace huntaze::x {

// Paces calls to X from what its answers said (x-rate-limit-*, and the 24-hour posting
// caps), per endpoint and account, so that normal use never meets a 429: once a window
// has nothing left, the next call for it waits until the window's reset. Calls in flight
// count against what is left before their answers arrive, so concurrent callers cannot
// overrun a window between two answers. A window never heard of lets calls go. One
// pacer is shared by every caller in a process (thread-safe). Times are passed in
// (epoch milliseconds), so the logic is testable without waiting.
class XPacer {
public:
    // A reset is X's clock, whole seconds: wait a little past it.
    static constexpr qint64 kMarginMs = 1000;

    struct Hold {
        qint64 untilMs = 0; // the call may go at this time (<= now: at once)
        LimitKind kind = LimitKind::Window;
        qint64 resetEpoch = 0; // the reset that holds it, when held
    };

    // When a call to `endpoint` ("tweets.create", "media.append", ...) for `account` may go.
    Hold holdFor(const QString &endpoint, const QString &account, qint64 nowMs) const;
    // A call leaves now: one fewer left in each window that applies.
    void sent(const QString &endpoint, const QString &account, qint64 nowMs);
    // What an answer to that call reported.
    void answered(const QString &endpoint, const QString &account, const RateLimits &limits);
    // A 429 that named no reset: hold this endpoint for the account until then.
    void holdUntil(const QString &endpoint, const QString &account, qint64 resetEpoch);

private:
    struct Window {
        int remaining = 0;
        qint64 resetEpoch = 0;
    };
    static QString key(LimitKind kind, const QString &endpoint, const QString &account);
    void merge(const QString &key, const RateWindow &reported);
    mutable std::mutex m_mutex;
    QHash<QString, Window> m_windows;
};

} // namespace huntaze::x
