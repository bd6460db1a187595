#include "insightsfigures.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cmath>
#include <iterator>

namespace huntaze::ui {

namespace {
// The names platforms give each stat: TikTok's user info first, then X's public_metrics.
constexpr const char *kFollowers[] = {"follower_count", "followers_count"};
constexpr const char *kFollowing[] = {"following_count"};
constexpr const char *kLikes[] = {"likes_count", "like_count"};
constexpr const char *kVideos[] = {"video_count"};

QList<const char *> keysOf(InsightsFigures::Stat stat) {
    switch (stat) {
    case InsightsFigures::Stat::Followers:
        return {std::begin(kFollowers), std::end(kFollowers)};
    case InsightsFigures::Stat::Following:
        return {std::begin(kFollowing), std::end(kFollowing)};
    case InsightsFigures::Stat::Likes:
        return {std::begin(kLikes), std::end(kLikes)};
    case InsightsFigures::Stat::Videos:
        return {std::begin(kVideos), std::end(kVideos)};
    }
    return {};
}
} // namespace

int InsightsFigures::Counts::count(Outcome outcome) const {
    switch (outcome) {
    case Outcome::Published:
        return published;
    case Outcome::Failed:
        return failed;
    case Outcome::NeedsAction:
        return needsAction;
    case Outcome::InProgress:
        return inProgress;
    case Outcome::Cancelled:
        return cancelled;
    }
    return 0;
}

void InsightsFigures::Counts::add(Outcome outcome, int n) {
    switch (outcome) {
    case Outcome::Published:
        published += n;
        break;
    case Outcome::Failed:
        failed += n;
        break;
    case Outcome::NeedsAction:
        needsAction += n;
        break;
    case Outcome::InProgress:
        inProgress += n;
        break;
    case Outcome::Cancelled:
        cancelled += n;
        break;
    }
}

InsightsFigures::Counts &InsightsFigures::Counts::operator+=(const Counts &other) {
    published += other.published;
    failed += other.failed;
    needsAction += other.needsAction;
    inProgress += other.inProgress;
    cancelled += other.cancelled;
    return *this;
}

std::optional<qint64> InsightsFigures::statValue(const QJsonObject &stats, Stat stat) {
    for (const char *key : keysOf(stat)) {
        const QJsonValue value = stats.value(QLatin1String(key));
        if (value.isDouble() && std::isfinite(value.toDouble()))
            return qint64(value.toDouble());
        if (value.isString()) {
            bool ok = false;
            const qint64 number = value.toString().toLongLong(&ok);
            if (ok)
                return number;
        }
    }
    return std::nullopt;
}

QString InsightsFigures::statText(const QJsonObject &stats, Stat stat) {
    if (const auto value = statValue(stats, stat))
        return QLocale().toString(*value);
    return tr("not shared");
}

QJsonObject InsightsFigures::parseStats(const QString &json) {
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

std::optional<qint64> InsightsFigures::mediaMetric(const QJsonObject &insights,
                                                   const QString &name) {
    const auto number = [](const QJsonValue &value) -> std::optional<qint64> {
        if (value.isDouble() && std::isfinite(value.toDouble()))
            return qint64(value.toDouble());
        bool ok = false;
        const qint64 parsed = value.toString().toLongLong(&ok);
        return value.isString() && ok ? std::optional<qint64>(parsed) : std::nullopt;
    };
    if (insights.contains(name))
        return number(insights.value(name));
    for (const QJsonValue &entry : insights.value(QStringLiteral("data")).toArray()) {
        const QJsonObject metric = entry.toObject();
        if (metric.value(QStringLiteral("name")).toString() != name)
            continue;
        const QJsonObject total = metric.value(QStringLiteral("total_value")).toObject();
        if (total.contains(QStringLiteral("value")))
            return number(total.value(QStringLiteral("value")));
        const QJsonArray values = metric.value(QStringLiteral("values")).toArray();
        if (!values.isEmpty()) // lifetime metrics carry one value; the latest is last
            return number(values.last().toObject().value(QStringLiteral("value")));
    }
    return std::nullopt;
}

QString InsightsFigures::mediaMetricName(MediaMetric metric) {
    switch (metric) {
    case MediaMetric::Views:
        return QStringLiteral("views");
    case MediaMetric::Reach:
        return QStringLiteral("reach");
    case MediaMetric::Likes:
        return QStringLiteral("likes");
    case MediaMetric::Interactions:
        return QStringLiteral("total_interactions");
    }
    return {};
}

QList<InsightsFigures::MediaDay> InsightsFigures::mediaPerDay(const QList<QJsonObject> &rows,
                                                              const QDate &lastDay, int days,
                                                              const QString &onlyMedia) {
    QList<MediaDay> result;
    if (!lastDay.isValid() || days <= 0)
        return result;
    const QDate first = lastDay.addDays(1 - days);
    QList<QList<const QJsonObject *>> snapshotsOfDay(days);
    for (const QJsonObject &row : rows) {
        const QDate date =
            QDate::fromString(row.value(QStringLiteral("day")).toString(), Qt::ISODate);
        const qint64 index = first.daysTo(date);
        if (!date.isValid() || index < 0 || index >= days)
            continue;
        if (!onlyMedia.isEmpty() && row.value(QStringLiteral("ig_id")).toString() != onlyMedia)
            continue;
        snapshotsOfDay[index].append(&row);
    }
    QHash<QString, std::array<qint64, kMediaMetricCount>> latest; // media -> its figures
    for (int i = 0; i < days; ++i) {
        for (const QJsonObject *row : std::as_const(snapshotsOfDay[i])) {
            const QJsonObject insights =
                parseStats(row->value(QStringLiteral("insights")).toString());
            std::array<qint64, kMediaMetricCount> figures{};
            for (int m = 0; m < kMediaMetricCount; ++m)
                figures[m] = mediaMetric(insights, mediaMetricName(MediaMetric(m))).value_or(0);
            latest.insert(row->value(QStringLiteral("ig_id")).toString(), figures);
        }
        if (latest.isEmpty())
            continue;
        MediaDay day{first.addDays(i), {}};
        for (const auto &figures : std::as_const(latest))
            for (int m = 0; m < kMediaMetricCount; ++m)
                day.totals[m] += figures[m];
        result.append(day);
    }
    return result;
}

InsightsFigures::Outcome InsightsFigures::outcomeOf(const QString &state) {
    if (state == QLatin1String("published"))
        return Outcome::Published;
    if (state == QLatin1String("failed"))
        return Outcome::Failed;
    if (state == QLatin1String("needs_action"))
        return Outcome::NeedsAction;
    if (state == QLatin1String("cancelled"))
        return Outcome::Cancelled;
    return Outcome::InProgress; // queued, uploading, processing, paused
}

QList<InsightsFigures::Day> InsightsFigures::perDay(const QList<QJsonObject> &rows,
                                                    const QDate &lastDay, int days) {
    QList<Day> result;
    if (!lastDay.isValid() || days <= 0)
        return result;
    const QDate first = lastDay.addDays(1 - days);
    for (int i = 0; i < days; ++i)
        result.append(Day{first.addDays(i), {}});
    for (const QJsonObject &row : rows) {
        const QDate date =
            QDate::fromString(row.value(QStringLiteral("day")).toString(), Qt::ISODate);
        const qint64 index = first.daysTo(date);
        if (!date.isValid() || index < 0 || index >= days)
            continue;
        const int n = row.value(QStringLiteral("n")).toString().toInt();
        result[index].counts.add(outcomeOf(row.value(QStringLiteral("state")).toString()), n);
    }
    return result;
}

InsightsFigures::Counts InsightsFigures::total(const QList<Day> &days) {
    Counts sum;
    for (const Day &day : days)
        sum += day.counts;
    return sum;
}

std::optional<double> InsightsFigures::successRate(const Counts &counts) {
    const int attempted = counts.published + counts.failed + counts.needsAction;
    if (attempted <= 0)
        return std::nullopt;
    return double(counts.published) / double(attempted);
}

QString InsightsFigures::successRateText(const Counts &counts) {
    const auto rate = successRate(counts);
    if (!rate)
        return tr("no finished uploads yet");
    const int attempted = counts.published + counts.failed + counts.needsAction;
    // Tenths, rounded down so a failure never hides behind "100 %"; whole numbers bare.
    const double percent = std::floor(*rate * 1000.0 + 1e-9) / 10.0;
    const bool whole = percent == std::floor(percent);
    return tr("%1 % (%2 of %3)")
        .arg(QLocale().toString(percent, 'f', whole ? 0 : 1))
        .arg(counts.published)
        .arg(attempted);
}

} // namespace huntaze::ui
