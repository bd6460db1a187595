#include "xpacer.h"

#include <algorithm>

namespace huntaze::x {

namespace {
constexpr LimitKind kKinds[] = {LimitKind::Window, LimitKind::UserDay, LimitKind::AppDay};
} // namespace

QString XPacer::key(LimitKind kind, const QString &endpoint, const QString &account) {
    switch (kind) {
    case LimitKind::Window:
        return QStringLiteral("window|") + endpoint + QLatin1Char('|') + account;
    case LimitKind::UserDay:
        return QStringLiteral("user-day|") + endpoint + QLatin1Char('|') + account;
    case LimitKind::AppDay:
        break;
    }
    // The app's cap counts every account's posts: one window for all of them.
    return QStringLiteral("app-day|") + endpoint;
}

XPacer::Hold XPacer::holdFor(const QString &endpoint, const QString &account, qint64 nowMs) const {
    std::lock_guard lock(m_mutex);
    Hold hold;
    hold.untilMs = nowMs;
    for (const LimitKind kind : kKinds) {
        const auto it = m_windows.constFind(key(kind, endpoint, account));
        if (it == m_windows.cend() || it->remaining > 0)
            continue;
        const qint64 until = it->resetEpoch * 1000 + kMarginMs;
        // The latest reset decides: a call held by two limits waits for both.
        if (until > hold.untilMs) {
            hold.untilMs = until;
            hold.kind = kind;
            hold.resetEpoch = it->resetEpoch;
        }
    }
    return hold;
}

void XPacer::sent(const QString &endpoint, const QString &account, qint64 nowMs) {
    std::lock_guard lock(m_mutex);
    for (const LimitKind kind : kKinds) {
        const auto it = m_windows.find(key(kind, endpoint, account));
        if (it == m_windows.end())
            continue;
        if (it->resetEpoch * 1000 <= nowMs)
            m_windows.erase(it); // that window is over; the next answer tells the new one
        else
            it->remaining = std::max(0, it->remaining - 1);
    }
}

void XPacer::merge(const QString &windowKey, const RateWindow &reported) {
    if (!reported.reported())
        return;
    const auto it = m_windows.find(windowKey);
    if (it == m_windows.end() || reported.resetEpoch > it->resetEpoch) {
        m_windows.insert(windowKey, Window{reported.remaining, reported.resetEpoch});
        return;
    }
    // The same window: what is left only goes down, whatever order answers arrive in.
    // An answer about an earlier window (it arrived late) says nothing new.
    if (reported.resetEpoch == it->resetEpoch)
        it->remaining = std::min(it->remaining, reported.remaining);
}

void XPacer::answered(const QString &endpoint, const QString &account, const RateLimits &limits) {
    std::lock_guard lock(m_mutex);
    merge(key(LimitKind::Window, endpoint, account), limits.window);
    merge(key(LimitKind::UserDay, endpoint, account), limits.userDay);
    merge(key(LimitKind::AppDay, endpoint, account), limits.appDay);
}

void XPacer::holdUntil(const QString &endpoint, const QString &account, qint64 resetEpoch) {
    std::lock_guard lock(m_mutex);
    const QString windowKey = key(LimitKind::Window, endpoint, account);
    const auto it = m_windows.constFind(windowKey);
    if (it == m_windows.cend() || it->resetEpoch <= resetEpoch)
        m_windows.insert(windowKey, Window{0, resetEpoch});
}

} // namespace huntaze::x
