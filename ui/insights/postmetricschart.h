#pragma once

#include "postmetrics.h"

#include <QColor>
#include <QWidget>

class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace huntaze::ui {

// One platform's figures per day as lines (Reddit's score and comments, X's impressions,
// likes and reposts), summed across posts or for one post chosen in a list. The widgets are
// named after the platform ("reddit": redditChart, redditPost, redditEmpty) for tests.
class PostMetricsChart : public QWidget {
    Q_OBJECT
public:
    struct Line {
        QString name;
        QColor color;
    };

    PostMetricsChart(const QString &platform, const QString &title, const QList<Line> &lines,
                     const QString &emptyText, int days, QWidget *parent = nullptr);

    // The snapshots to chart, up to `today`; the chosen post stays chosen while it is there.
    void showSnapshots(const QList<PostSnapshot> &snapshots, const QDate &today);
    QList<PostMetrics::Day> days() const { return m_days; }

private:
    void draw();

    const int m_dayCount;
    QComboBox *m_post; // "All posts", then each post with snapshots, newest first
    QChartView *m_chart;
    QList<QLineSeries *> m_series; // one per line, in order
    QDateTimeAxis *m_dates;
    QValueAxis *m_counts;
    QLabel *m_empty;
    QList<PostSnapshot> m_snapshots; // kept to redraw for another post without a query
    QDate m_today;
    QList<PostMetrics::Day> m_days;
};

} // namespace huntaze::ui
