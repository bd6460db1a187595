#include "redditratelimit.h"

#include <algorithm>
#include <cmath>

namespace huntaze::reddit {

namespace {

using std::chrono::milliseconds;

constexpr double kMaxCount = 1'000'000;
constexpr double kMaxResetSeconds = 3600;
// Two answers whose windows end this close together report on the same window.
constexpr milliseconds kSameWindow{2000};

std::optional<double> number(const QByteArray &raw, double cap) {
    const QByteArray text = raw.trimmed();
    if (text.isEmpty() || text.size() > 32)
        return std::nullopt;
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return std::min(value, cap);
}

milliseconds toMs(double seconds) {
    return milliseconds(qint64(std::ceil(seconds * 1000.0)));
}

milliseconds atLeastOne(milliseconds wait) {
    return std::max(wait, milliseconds(1));
}

} // namespace

RateLimitHeaders parseRateLimitHeaders(const QByteArray &used, const QByteArray &remaining,
                                       const QByteArray &reset) {
    RateLimitHeaders headers;
    headers.used = number(used, kMaxCount);
    headers.remaining = number(remaining, kMaxCount);
    headers.resetSeconds = number(reset, kMaxResetSeconds);
    return headers;
}

milliseconds RateLimitPacer::spacing(double remaining, double resetSeconds) {
    if (resetSeconds <= 0)
        return milliseconds(0);
    if (remaining < 1)
        return toMs(resetSeconds); // nothing left: the whole rest of the window
    // R calls at even steps of T/(R+1): spread over the window, none crowded at its end.
    return toMs(resetSeconds / (std::floor(remaining) + 1));
}

void RateLimitPacer::forgetStale(Window &window, Clock::time_point now) {
    window.inFlight.removeIf([now](Clock::time_point at) { return now - at >= kInFlightExpiry; });
    // A window that has ended says nothing about the next one.
    if (window.known && now >= window.resetAt) {
        window.known = false;
        window.granted = false;
    }
}

milliseconds RateLimitPacer::acquire(const QString &key, Clock::time_point now) {
    const std::lock_guard lock(m_mutex);
    Window &window = m_windows[key];
    forgetStale(window, now);
    const auto grant = [&] {
        window.lastGrant = now;
        window.granted = true;
        window.inFlight.append(now);
        return milliseconds(0);
    };
    if (!window.known) {
        // One call finds out the budget; the rest wait for its answer.
        if (!window.inFlight.isEmpty())
            return kProbeWait;
        return grant();
    }
    const auto untilReset = std::chrono::duration_cast<milliseconds>(window.resetAt - now);
    // Calls in flight will be counted against what the last answer reported.
    const double available = window.remaining - double(window.inFlight.size());
    if (available < 1)
        return atLeastOne(untilReset); // stop at 0 until the window ends
    if (!window.granted)
        return grant();
    // Measured from the last call, so asking again (or often) never shortens the step.
    const auto sinceLast =
        std::chrono::duration_cast<milliseconds>(window.resetAt - window.lastGrant);
    const auto next = window.lastGrant + spacing(available, double(sinceLast.count()) / 1000.0);
    if (now >= next)
        return grant();
    return atLeastOne(std::chrono::duration_cast<milliseconds>(next - now));
}

void RateLimitPacer::record(const QString &key, int httpStatus, const RateLimitHeaders &headers,
                            Clock::time_point now) {
    const std::lock_guard lock(m_mutex);
    Window &window = m_windows[key];
    if (!window.inFlight.isEmpty())
        window.inFlight.removeFirst();
    forgetStale(window, now);
    if (headers.present()) {
        const auto resetAt = now + toMs(*headers.resetSeconds) + kResetMargin;
        const bool older = window.known && window.resetAt - resetAt >= kSameWindow;
        const bool sameWindow = window.known && !older && resetAt - window.resetAt < kSameWindow;
        // Answers can arrive out of order: within one window the lowest count is the newest,
        // and a late answer from a window that has since ended is no news at all.
        if (!older) {
            window.remaining =
                sameWindow ? std::min(window.remaining, *headers.remaining) : *headers.remaining;
            window.used = headers.used.value_or(window.used);
            if (!sameWindow)
                window.resetAt = resetAt;
            window.known = true;
        }
    }
    if (httpStatus == 429) {
        // Over the limit after all (another program on the same account, say): nothing
        // goes until the window ends.
        window.known = true;
        window.remaining = 0;
        window.resetAt = now +
                         (headers.resetSeconds
                              ? toMs(*headers.resetSeconds)
                              : std::chrono::duration_cast<milliseconds>(kTooManyWithoutReset)) +
                         kResetMargin;
    }
}

RateLimitPacer::Snapshot RateLimitPacer::snapshot(const QString &key, Clock::time_point now) const {
    const std::lock_guard lock(m_mutex);
    Snapshot snapshot;
    const auto it = m_windows.constFind(key);
    if (it == m_windows.cend())
        return snapshot;
    snapshot.known = it->known && now < it->resetAt;
    snapshot.remaining = it->remaining;
    snapshot.used = it->used;
    snapshot.inFlight = int(it->inFlight.size());
    if (snapshot.known)
        snapshot.msUntilReset = std::chrono::duration_cast<milliseconds>(it->resetAt - now).count();
    return snapshot;
}

} // namespace huntaze::reddit
