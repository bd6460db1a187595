#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace huntaze::ui {

// The Insights section's arithmetic, kept free of widgets and of the database so it can
// be tested from plain rows: account stats as platforms report them, and publishing
// figures counted by outcome.
class InsightsFigures {
    Q_DECLARE_TR_FUNCTIONS(InsightsFigures)
public:
    enum class Stat { Followers, Following, Likes, Videos };
    enum class Outcome { Published, Failed, NeedsAction, InProgress, Cancelled };

    struct Counts {
        int published = 0;
        int failed = 0;
        int needsAction = 0;
        int inProgress = 0; // queued, uploading, processing, paused
        int cancelled = 0;

        int count(Outcome outcome) const;
        void add(Outcome outcome, int n);
        Counts &operator+=(const Counts &other);
        bool operator==(const Counts &) const = default;
    };

    struct Day {
        QDate date;
        Counts counts;
    };

    // What the Instagram chart draws, in this order.
    enum class MediaMetric { Views, Reach, Likes, Interactions };
    static constexpr int kMediaMetricCount = 4;
    // Across media, each media's latest figures as of the end of a day, summed.
    struct MediaDay {
        QDate date;
        std::array<qint64, kMediaMetricCount> totals{};
        qint64 total(MediaMetric metric) const { return totals[std::size_t(metric)]; }
    };

    // A stat from oauth_accounts.stats (TikTok's follower_count, following_count,
    // likes_count, video_count; X's public_metrics names too), or nothing when the
    // platform did not share it (the scope was not granted).
    static std::optional<qint64> statValue(const QJsonObject &stats, Stat stat);
    // The stat as a localized number, or "not shared".
    static QString statText(const QJsonObject &stats, Stat stat);
    // oauth_accounts.stats as the database returns it (jsonb as text).
    static QJsonObject parseStats(const QString &json);

    // One Instagram media metric (views, reach, likes, total_interactions, ...) from
    // ig_media.insights or an ig_media_insights snapshot: either flat ({"views": 12}) or as
    // the Graph API answers ({"data": [{"name", "values": [{"value"}] | "total_value"}]}).
    // Nothing when the media has no such figure (yet: insights lag up to 48 hours).
    static std::optional<qint64> mediaMetric(const QJsonObject &insights, const QString &name);

    // The metric's name in Instagram's insights: views, reach, likes, total_interactions.
    static QString mediaMetricName(MediaMetric metric);
    // From rows {ig_id, day: "YYYY-MM-DD" (local day; earlier snapshots on the first day),
    // insights: a snapshot as JSON text}, one per media and day: for each of the `days`
    // days ending with lastDay, oldest first, the sum over media of each one's latest
    // snapshot so far. A media keeps counting on days without a new snapshot (figures only
    // grow, the sync worker writes one when they change). Days before any snapshot have
    // no entry. onlyMedia limits it to one media (its own curve).
    static QList<MediaDay> mediaPerDay(const QList<QJsonObject> &rows, const QDate &lastDay,
                                       int days, const QString &onlyMedia = {});

    static Outcome outcomeOf(const QString &state);
    // From rows {day: "YYYY-MM-DD" (local day), state, n}: one Day per date of the
    // `days` days ending with lastDay, oldest first, zero where nothing happened.
    static QList<Day> perDay(const QList<QJsonObject> &rows, const QDate &lastDay, int days);
    static Counts total(const QList<Day> &days);
    // Published out of everything that reached an end or stopped for the creator
    // (published + failed + needs action); nothing when none has. In progress and
    // cancelled publications are not counted.
    static std::optional<double> successRate(const Counts &counts);
    // "92 % (23 of 25)" or "no finished uploads yet".
    static QString successRateText(const Counts &counts);
};

} // namespace huntaze::ui
