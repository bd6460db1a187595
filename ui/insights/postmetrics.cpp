#include "postmetrics.h"

#include "insightsfigures.h"
#include "publish/redditxposts.h"

#include <QHash>

namespace huntaze::ui {

namespace {
QString field(const QJsonObject &row, const char *name) {
    return row.value(QLatin1String(name)).toString();
}

PostSnapshot snapshotOf(const QJsonObject &row) {
    PostSnapshot snapshot;
    snapshot.post = field(row, "post");
    snapshot.label = field(row, "label");
    snapshot.postedAt = field(row, "posted_at").toLongLong();
    snapshot.day = QDate::fromString(field(row, "day"), Qt::ISODate);
    return snapshot;
}
} // namespace

QList<PostSnapshot> PostMetrics::redditSnapshots(const QList<QJsonObject> &rows) {
    QList<PostSnapshot> snapshots;
    snapshots.reserve(rows.size());
    for (const QJsonObject &row : rows) {
        PostSnapshot snapshot = snapshotOf(row);
        snapshot.figures = {field(row, "score").toLongLong(),
                            field(row, "num_comments").toLongLong()};
        snapshots.append(snapshot);
    }
    return snapshots;
}

QList<PostSnapshot> PostMetrics::xSnapshots(const QList<QJsonObject> &rows) {
    QList<PostSnapshot> snapshots;
    snapshots.reserve(rows.size());
    for (const QJsonObject &row : rows) {
        PostSnapshot snapshot = snapshotOf(row);
        const QJsonObject open = InsightsFigures::parseStats(field(row, "metrics"));
        const QJsonObject own = InsightsFigures::parseStats(field(row, "private_metrics"));
        for (const char *name : {"impression_count", "like_count", "retweet_count"})
            snapshot.figures.append(
                RedditXPosts::xMetric(open, own, QLatin1String(name)).value_or(0));
        snapshots.append(snapshot);
    }
    return snapshots;
}

QList<PostMetrics::Day> PostMetrics::perDay(const QList<PostSnapshot> &snapshots,
                                            const QDate &lastDay, int days, int figureCount,
                                            const QString &onlyPost) {
    QList<Day> result;
    if (!lastDay.isValid() || days <= 0 || figureCount <= 0)
        return result;
    const QDate first = lastDay.addDays(1 - days);
    QList<QList<const PostSnapshot *>> snapshotsOfDay(days);
    for (const PostSnapshot &snapshot : snapshots) {
        const qint64 index = first.daysTo(snapshot.day);
        if (!snapshot.day.isValid() || index < 0 || index >= days)
            continue;
        if (!onlyPost.isEmpty() && snapshot.post != onlyPost)
            continue;
        snapshotsOfDay[index].append(&snapshot);
    }
    QHash<QString, QList<qint64>> latest; // post -> its figures so far
    for (int i = 0; i < days; ++i) {
        for (const PostSnapshot *snapshot : std::as_const(snapshotsOfDay[i]))
            latest.insert(snapshot->post, snapshot->figures);
        if (latest.isEmpty())
            continue;
        Day day{first.addDays(i), QList<qint64>(figureCount, 0)};
        for (const QList<qint64> &figures : std::as_const(latest))
            for (int f = 0; f < figureCount && f < figures.size(); ++f)
                day.totals[f] += figures[f];
        result.append(day);
    }
    return result;
}

} // namespace huntaze::ui
