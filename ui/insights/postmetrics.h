#pragma once

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace huntaze::ui {

// One post's figures as of one day, from a platform's history table (reddit_post_stats,
// x_post_metrics): what the Reddit and X charts are drawn from.
struct PostSnapshot {
    QString post;  // fullname or tweet id
    QString label; // what the post list shows: its title or text
    qint64 postedAt = 0;
    QDate day;             // local day; snapshots before the first charted day count on it
    QList<qint64> figures; // in the chart's line order
};

// The Reddit and X charts' arithmetic, free of widgets and of the database.
class PostMetrics {
public:
    struct Day {
        QDate date;
        QList<qint64> totals; // one per figure
    };

    // Reddit's score and comment count, from rows {post, day, score, num_comments, label,
    // posted_at} (the latest history row per post and day). A figure Reddit did not give
    // counts as 0.
    static QList<PostSnapshot> redditSnapshots(const QList<QJsonObject> &rows);
    // X's impressions, likes and reposts, from rows {post, day, metrics, private_metrics
    // (jsonb as text), label, posted_at}. Impressions come from the public metrics, or the
    // private ones when X only shares them there.
    static QList<PostSnapshot> xSnapshots(const QList<QJsonObject> &rows);

    // For each of the `days` days ending with lastDay, oldest first, the sum over posts of
    // each one's latest snapshot so far: a post keeps counting on days without a new
    // snapshot (history is written only when the figures change). Days before any snapshot
    // have no entry. onlyPost limits it to one post (its own curve). `figureCount` is the
    // number of figures a snapshot carries (missing ones count as 0).
    static QList<Day> perDay(const QList<PostSnapshot> &snapshots, const QDate &lastDay, int days,
                             int figureCount, const QString &onlyPost = {});
};

} // namespace huntaze::ui
