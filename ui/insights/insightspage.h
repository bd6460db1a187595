#pragma once

#include "insightsfigures.h"
#include "postmetrics.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QTimer>
#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QStackedBarSeries;
class QTableWidget;
class QValueAxis;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class PostMetricsChart;
class StatusLabel;

// Insights: per connected account the figures its platform shares (followers, following,
// likes, videos), and how publishing went: the last 30 days by outcome, the upload success
// rate, and a chart of publications per day over the last 14 days stacked by outcome.
// In a tab beside it, Instagram's views, reach, likes and interactions over the same days,
// summed across media or for one post; likewise Reddit's score and comments and X's
// impressions, likes and reposts. Re-read whenever the database announces a change to
// accounts, publications, Instagram media, Reddit posts or X posts.
class InsightsPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSummaryDays = 30;
    static constexpr int kChartDays = 14;

    explicit InsightsPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    void refresh();

    // What the queries return, shown (public for tests):
    // accounts: id, provider, display_name, username, status, stats (jsonb as text);
    void showAccounts(const QList<QJsonObject> &rows);
    // publishing: day ("YYYY-MM-DD", local), state, n for the kSummaryDays up to today.
    void showPublishing(const QList<QJsonObject> &rows, const QDate &today);
    // instagram: ig_id, day, insights (a snapshot), caption, posted_at (epoch): the
    // latest snapshot per media and day over the kChartDays up to today (see
    // InsightsFigures::mediaPerDay).
    void showInstagram(const QList<QJsonObject> &rows, const QDate &today);
    // reddit: post, day, score, num_comments, label, posted_at (PostMetrics::redditSnapshots).
    void showReddit(const QList<QJsonObject> &rows, const QDate &today);
    // x: post, day, metrics, private_metrics, label, posted_at (PostMetrics::xSnapshots).
    void showX(const QList<QJsonObject> &rows, const QDate &today);

    InsightsFigures::Counts summary() const { return m_summary; }
    QList<InsightsFigures::Day> chartDays() const { return m_chartDays; }
    QList<InsightsFigures::MediaDay> instagramDays() const { return m_instagramDays; }
    QList<PostMetrics::Day> redditDays() const;
    QList<PostMetrics::Day> xDays() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();
    void finishQuery(const QString &problem);
    QWidget *createInstagramTab();
    void drawInstagram();
    // Runs a chart query of the round; `show` receives its rows.
    void queryChart(const char *sql,
                    void (InsightsPage::*showRows)(const QList<QJsonObject> &, const QDate &));

    store::DesktopDatabase *m_database = nullptr;
    QTableWidget *m_accounts;
    QLabel *m_accountsEmpty;
    QLabel *m_published;
    QLabel *m_failed;
    QLabel *m_needsAction;
    QLabel *m_inProgress;
    QLabel *m_successRate;
    QChartView *m_chartView;
    QStackedBarSeries *m_series;
    QList<QBarSet *> m_sets; // one per outcome shown, in chartOutcomes() order
    QBarCategoryAxis *m_days;
    QValueAxis *m_counts;
    QComboBox *m_instagramPost; // "All posts", then each media with snapshots
    QChartView *m_instagramChart;
    QList<QLineSeries *> m_instagramSeries; // one per MediaMetric, in its order
    QDateTimeAxis *m_instagramDates;
    QValueAxis *m_instagramCounts;
    QLabel *m_instagramEmpty;
    PostMetricsChart *m_redditChart;
    PostMetricsChart *m_xChart;
    StatusLabel *m_status;
    QTimer m_refreshTimer; // coalesces bursts of changes into one round of queries
    InsightsFigures::Counts m_summary;
    QList<InsightsFigures::Day> m_chartDays;
    QList<QJsonObject> m_instagramRows; // kept to redraw for another post without a query
    QDate m_instagramToday;
    QList<InsightsFigures::MediaDay> m_instagramDays;
    int m_pending = 0; // queries of the current round still running
    QString m_roundProblem;
    bool m_loadAgain = false;
};

} // namespace huntaze::ui
