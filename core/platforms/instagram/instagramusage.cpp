#include "instagramusage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace huntaze::instagram {

namespace {

// The highest of the three percentages Meta reports in one usage object.
int highestPercent(const QJsonObject &usage) {
    int highest = -1;
    for (const char *name : {"call_count", "total_cputime", "total_time"}) {
        const QJsonValue value = usage.value(QLatin1String(name));
        if (value.isDouble())
            highest = std::max(highest, int(std::clamp(value.toDouble(), 0.0, 1000.0)));
    }
    return highest;
}

} // namespace

UsageReport parseUsageHeaders(const QByteArray &appUsage, const QByteArray &businessUseCaseUsage) {
    UsageReport report;
    if (!appUsage.isEmpty() && appUsage.size() <= 4096)
        report.appPercent = highestPercent(QJsonDocument::fromJson(appUsage).object());
    if (businessUseCaseUsage.isEmpty() || businessUseCaseUsage.size() > 65536)
        return report;
    // {"<id>": [{"type", "call_count", ..., "estimated_time_to_regain_access"}], ...}
    const QJsonObject byId = QJsonDocument::fromJson(businessUseCaseUsage).object();
    for (auto it = byId.begin(); it != byId.end(); ++it) {
        for (const QJsonValue &entry : it->toArray()) {
            const QJsonObject usage = entry.toObject();
            report.accountPercent = std::max(report.accountPercent, highestPercent(usage));
            const QJsonValue regain = usage.value(QLatin1String("estimated_time_to_regain_access"));
            if (regain.isDouble())
                report.regainMinutes = std::max(
                    report.regainMinutes, int(std::clamp(regain.toDouble(), 0.0, 24.0 * 60.0)));
        }
    }
    return report;
}

qint64 UsageGovernor::slowdownMs(int percent) {
    if (percent < kSlowFromPercent)
        return 0;
    if (percent >= 100)
        return qint64(kStopMinutes) * 60'000;
    // Quadratic: a little slower at first, close to a minute between calls near 100.
    const double share = double(percent - kSlowFromPercent) / double(100 - kSlowFromPercent);
    return std::max<qint64>(250, qint64(share * share * double(kLongestSlowdownMs)));
}

void UsageGovernor::record(const QString &accountKey, const UsageReport &report,
                           const QDateTime &now) {
    const std::lock_guard lock(m_mutex);
    auto note = [&](const QString &key, int percent, int regainMinutes) {
        if (percent < 0)
            return;
        Reading &reading = m_readings[key];
        reading.percent = percent;
        reading.at = now;
        reading.blockedUntil =
            percent >= 100 ? now.addSecs(60LL * (regainMinutes > 0 ? regainMinutes : kStopMinutes))
                           : QDateTime();
    };
    note(QString(), report.appPercent, 0);
    if (!accountKey.isEmpty())
        note(accountKey, report.accountPercent, report.regainMinutes);
}

qint64 UsageGovernor::delayFor(const Reading &reading, const QDateTime &now) const {
    if (reading.blockedUntil.isValid())
        return std::max<qint64>(0, now.msecsTo(reading.blockedUntil));
    // The slowdown is a spacing between calls: measured from the last answer.
    const qint64 spacing = slowdownMs(reading.percent);
    return std::max<qint64>(0, spacing - reading.at.msecsTo(now));
}

qint64 UsageGovernor::delayMs(const QString &accountKey, const QDateTime &now) const {
    const std::lock_guard lock(m_mutex);
    qint64 delay = 0;
    if (const auto app = m_readings.constFind(QString()); app != m_readings.cend())
        delay = delayFor(*app, now);
    if (!accountKey.isEmpty())
        if (const auto account = m_readings.constFind(accountKey); account != m_readings.cend())
            delay = std::max(delay, delayFor(*account, now));
    return delay;
}

int UsageGovernor::lastPercent(const QString &accountKey) const {
    const std::lock_guard lock(m_mutex);
    int highest = m_readings.value(QString()).percent;
    if (!accountKey.isEmpty())
        highest = std::max(highest, m_readings.value(accountKey).percent);
    return highest;
}

} // namespace huntaze::instagram
