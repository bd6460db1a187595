#include "postmetricschart.h"

#include "inbox/commentlistmodel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QSet>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace huntaze::ui {

PostMetricsChart::PostMetricsChart(const QString &platform, const QString &title,
                                   const QList<Line> &lines, const QString &emptyText, int days,
                                   QWidget *parent)
    : QWidget(parent)
    , m_dayCount(days)
    , m_post(new QComboBox(this))
    , m_chart(new QChartView(this))
    , m_dates(new QDateTimeAxis)
    , m_counts(new QValueAxis)
    , m_empty(new QLabel(emptyText, this)) {
    QChart *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_dates->setFormat(tr("d MMM", "day label under a chart of post figures"));
    // Every other day, on the day: the range starts a day before the first point (see
    // draw), so an even number of days makes whole steps of two days.
    m_dates->setTickCount(days / 2 + 1);
    QFont dayFont = m_dates->labelsFont();
    dayFont.setPointSizeF(dayFont.pointSizeF() * 0.8);
    m_dates->setLabelsFont(dayFont);
    m_counts->setLabelFormat(QStringLiteral("%d"));
    m_counts->setMinorTickCount(0);
    chart->addAxis(m_dates, Qt::AlignBottom);
    chart->addAxis(m_counts, Qt::AlignLeft);
    for (const Line &line : lines) {
        auto *series = new QLineSeries;
        series->setName(line.name);
        series->setColor(line.color);
        series->setPointsVisible(true);
        chart->addSeries(series);
        series->attachAxis(m_dates);
        series->attachAxis(m_counts);
        m_series.append(series);
    }
    m_chart->setObjectName(platform + QStringLiteral("Chart"));
    m_chart->setChart(chart); // the view owns the chart, the chart its series and axes
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(280);

    m_post->setObjectName(platform + QStringLiteral("Post"));
    m_post->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_post->setMinimumContentsLength(24);
    m_post->setToolTip(tr("All posts summed, or one post's own curve."));
    connect(m_post, &QComboBox::activated, this, &PostMetricsChart::draw);
    m_empty->setObjectName(platform + QStringLiteral("Empty"));
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setWordWrap(true);

    auto *postRow = new QHBoxLayout;
    postRow->addWidget(new QLabel(tr("Show:"), this));
    postRow->addWidget(m_post);
    postRow->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(postRow);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_empty);
    showSnapshots({}, QDate::currentDate());
}

void PostMetricsChart::showSnapshots(const QList<PostSnapshot> &snapshots, const QDate &today) {
    m_snapshots = snapshots;
    m_today = today;
    struct Post {
        QString id;
        QString label;
        qint64 postedAt = 0;
    };
    QList<Post> posts;
    QSet<QString> seen;
    for (const PostSnapshot &snapshot : snapshots) {
        if (seen.contains(snapshot.post))
            continue;
        seen.insert(snapshot.post);
        posts.append({snapshot.post, snapshot.label, snapshot.postedAt});
    }
    std::sort(posts.begin(), posts.end(), [](const Post &a, const Post &b) {
        return a.postedAt != b.postedAt ? a.postedAt > b.postedAt : a.id < b.id;
    });
    const QString chosen = m_post->currentData().toString();
    m_post->clear();
    m_post->addItem(tr("All posts"), QString());
    for (const Post &post : std::as_const(posts))
        m_post->addItem(CommentListModel::captionExcerpt(post.label), post.id);
    m_post->setCurrentIndex(std::max(0, m_post->findData(chosen)));
    m_post->setEnabled(!posts.isEmpty());
    draw();
}

void PostMetricsChart::draw() {
    const QString post = m_post->currentData().toString();
    m_days = PostMetrics::perDay(m_snapshots, m_today, m_dayCount, int(m_series.size()), post);
    qint64 highest = 0;
    qint64 lowest = 0; // a Reddit score can fall below zero
    for (int i = 0; i < m_series.size(); ++i) {
        QList<QPointF> points;
        for (const PostMetrics::Day &day : std::as_const(m_days)) {
            const qint64 value = day.totals.value(i);
            points.append(
                QPointF(double(day.date.startOfDay().toMSecsSinceEpoch()), double(value)));
            highest = std::max(highest, value);
            lowest = std::min(lowest, value);
        }
        m_series.at(i)->replace(points);
    }
    const QDate dayBefore = m_today.addDays(-m_dayCount);
    m_dates->setRange(dayBefore.startOfDay(), m_today.startOfDay());
    m_counts->setRange(double(lowest), double(std::max<qint64>(highest, 4)));
    m_counts->applyNiceNumbers();
    m_empty->setVisible(m_days.isEmpty());
}

} // namespace huntaze::ui
