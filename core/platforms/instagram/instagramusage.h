#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <mutex>

namespace huntaze::instagram {

// What one Graph answer's usage headers said (instagram.md, "Rate-limit headers"):
// X-App-Usage for the whole app, X-Business-Use-Case-Usage per Instagram account. Each
// percentage is the highest of call_count, total_cputime and total_time; -1 when the
// header was absent or unreadable.
struct UsageReport {
    int appPercent = -1;
    int accountPercent = -1;
    int regainMinutes = 0; // estimated_time_to_regain_access, when Meta gave one
    bool present() const { return appPercent >= 0 || accountPercent >= 0; }
};

UsageReport parseUsageHeaders(const QByteArray &appUsage, const QByteArray &businessUseCaseUsage);

// Slows calls down before Meta does: below kSlowFromPercent calls go at once; from there
// the wait grows with the usage so the rolling hour drains before 100; at 100 calls stop
// until Meta's estimated time to regain access (or kStopMinutes). One governor is shared
// by every caller in a process (thread-safe); accounts are keyed by Instagram id, the app
// by the empty key.
class UsageGovernor {
public:
    static constexpr int kSlowFromPercent = 75;
    static constexpr int kStopMinutes = 10;
    static constexpr qint64 kLongestSlowdownMs = 60'000;

    void record(const QString &accountKey, const UsageReport &report,
                const QDateTime &now = QDateTime::currentDateTimeUtc());
    // Milliseconds to wait before the next call for this account (0: go now).
    qint64 delayMs(const QString &accountKey,
                   const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // The highest usage last reported for this account or the app, -1 if none.
    int lastPercent(const QString &accountKey) const;

    // The wait for one usage figure, without state (exposed for tests).
    static qint64 slowdownMs(int percent);

private:
    struct Reading {
        int percent = -1;
        QDateTime at;
        QDateTime blockedUntil;
    };
    qint64 delayFor(const Reading &reading, const QDateTime &now) const;
    mutable std::mutex m_mutex;
    QHash<QString, Reading> m_readings; // "" is the app
};

} // namespace huntaze::instagram
