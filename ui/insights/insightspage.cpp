#include "insightspage.h"

#include "activity/activitylistmodel.h"
#include "inbox/commentlistmodel.h"
#include "postmetricschart.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QColor>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPointer>
#include <QSet>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QTime>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace huntaze::ui {

namespace {
constexpr int kRefreshDelayMs = 300;

using Outcome = InsightsFigures::Outcome;
using Stat = InsightsFigures::Stat;

struct ChartOutcome {
    Outcome outcome;
    QColor color;
};
const ChartOutcome kChartOutcomes[] = {{Outcome::Published, QColor(0x2e, 0x7d, 0x32)},
                                       {Outcome::Failed, QColor(0xb0, 0x00, 0x20)},
                                       {Outcome::NeedsAction, QColor(0xef, 0x6c, 0x00)},
                                       {Outcome::InProgress, QColor(0x15, 0x65, 0xc0)}};
constexpr Stat kStats[] = {Stat::Followers, Stat::Following, Stat::Likes, Stat::Videos};

using MediaMetric = InsightsFigures::MediaMetric;
struct ChartMetric {
    MediaMetric metric;
    QColor color;
};
const ChartMetric kChartMetrics[] = {{MediaMetric::Views, QColor(0x15, 0x65, 0xc0)},
                                     {MediaMetric::Reach, QColor(0x6a, 0x1b, 0x9a)},
                                     {MediaMetric::Likes, QColor(0xc2, 0x18, 0x5b)},
                                     {MediaMetric::Interactions, QColor(0x2e, 0x7d, 0x32)}};

QString metricLabel(MediaMetric metric) {
    switch (metric) {
    case MediaMetric::Views:
        return InsightsPage::tr("Views");
    case MediaMetric::Reach:
        return InsightsPage::tr("Reach");
    case MediaMetric::Likes:
        return InsightsPage::tr("Likes");
    case MediaMetric::Interactions:
        return InsightsPage::tr("Interactions");
    }
    return {};
}

// The latest snapshot per media and local day. Snapshots older than the first charted day
// count as that day's, so a media charts from its figures so far, not from zero.
constexpr char kInstagramSql[] = R"sql(
SELECT DISTINCT ON (s.ig_id, s.day) s.ig_id, s.day, s.insights::text AS insights,
       m.caption, extract(epoch FROM coalesce(m.posted_at, m.created_at))::bigint AS posted_at
  FROM (SELECT ig_id, user_id, captured_at, insights,
               to_char((greatest(captured_at, $2::timestamptz) AT TIME ZONE 'UTC') +
                       make_interval(secs => $1::double precision), 'YYYY-MM-DD') AS day
          FROM ig_media_insights) s
  JOIN ig_media m ON m.user_id = s.user_id AND m.ig_id = s.ig_id
 ORDER BY s.ig_id, s.day, s.captured_at DESC
)sql";

// Reddit's and X's history the same way: the latest row per post and local day, rows before
// the first charted day counting as that day's ($1 the UTC offset, $2 the first day).
constexpr char kRedditSql[] = R"sql(
SELECT DISTINCT ON (s.fullname, s.day) s.fullname AS post, s.day, s.score::text AS score,
       s.num_comments::text AS num_comments, p.title AS label,
       extract(epoch FROM coalesce(p.posted_at, p.created_at))::bigint AS posted_at
  FROM (SELECT fullname, user_id, recorded_at, score, num_comments,
               to_char((greatest(recorded_at, $2::timestamptz) AT TIME ZONE 'UTC') +
                       make_interval(secs => $1::double precision), 'YYYY-MM-DD') AS day
          FROM reddit_post_stats) s
  JOIN reddit_posts p ON p.user_id = s.user_id AND p.fullname = s.fullname
 ORDER BY s.fullname, s.day, s.recorded_at DESC
)sql";

constexpr char kXSql[] = R"sql(
SELECT DISTINCT ON (s.tweet_id, s.day) s.tweet_id AS post, s.day,
       s.public_metrics::text AS metrics, s.non_public_metrics::text AS private_metrics,
       p.text AS label, extract(epoch FROM coalesce(p.posted_at, p.created_at))::bigint AS posted_at
  FROM (SELECT tweet_id, user_id, recorded_at, public_metrics, non_public_metrics,
               to_char((greatest(recorded_at, $2::timestamptz) AT TIME ZONE 'UTC') +
                       make_interval(secs => $1::double precision), 'YYYY-MM-DD') AS day
          FROM x_post_metrics) s
  JOIN x_posts p ON p.user_id = s.user_id AND p.tweet_id = s.tweet_id
 ORDER BY s.tweet_id, s.day, s.recorded_at DESC
)sql";

QLabel *heading(const QString &text, QWidget *parent) {
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

InsightsPage::InsightsPage(QWidget *parent)
    : QWidget(parent)
    , m_accounts(new QTableWidget(0, 2 + int(std::size(kStats)), this))
    , m_accountsEmpty(new QLabel(tr("Connect an account on the Accounts page to see its "
                                    "followers, likes and videos here."),
                                 this))
    , m_published(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_needsAction(new QLabel(this))
    , m_inProgress(new QLabel(this))
    , m_successRate(new QLabel(this))
    , m_chartView(new QChartView(this))
    , m_series(new QStackedBarSeries)
    , m_days(new QBarCategoryAxis)
    , m_counts(new QValueAxis)
    , m_instagramPost(new QComboBox(this))
    , m_instagramChart(new QChartView(this))
    , m_instagramDates(new QDateTimeAxis)
    , m_instagramCounts(new QValueAxis)
    , m_instagramEmpty(new QLabel(tr("Instagram's views, reach and likes appear here once it "
                                     "reports them, up to two days after a post goes up."),
                                  this))
    , m_redditChart(new PostMetricsChart(
          QStringLiteral("reddit"), tr("Reddit, last %1 days").arg(kChartDays),
          {{tr("Score"), QColor(0xff, 0x45, 0x00)}, {tr("Comments"), QColor(0x15, 0x65, 0xc0)}},
          tr("Reddit's score and comments appear here once Huntaze has checked your posts, "
             "a few minutes after they go up."),
          kChartDays, this))
    , m_xChart(new PostMetricsChart(
          QStringLiteral("x"), tr("X, last %1 days").arg(kChartDays),
          {{tr("Impressions"), QColor(0x15, 0x65, 0xc0)},
           {tr("Likes"), QColor(0xc2, 0x18, 0x5b)},
           {tr("Reposts"), QColor(0x2e, 0x7d, 0x32)}},
          tr("X's impressions, likes and reposts appear here once Huntaze has read them, "
             "a few minutes after a post goes up."),
          kChartDays, this))
    , m_status(new StatusLabel(this)) {
    QLabel *title = createSectionTitle(tr("Insights"), this);

    m_accounts->setObjectName(QStringLiteral("insightsAccounts"));
    m_accounts->setHorizontalHeaderLabels({tr("Account"), tr("Platform"), tr("Followers"),
                                           tr("Following"), tr("Likes"), tr("Videos")});
    m_accounts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_accounts->setSelectionMode(QAbstractItemView::NoSelection);
    m_accounts->setFocusPolicy(Qt::NoFocus);
    m_accounts->verticalHeader()->hide();
    m_accounts->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // As tall as its rows, no taller: the chart takes the rest.
    m_accounts->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_accounts->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_accountsEmpty->setObjectName(QStringLiteral("insightsAccountsEmpty"));
    m_accountsEmpty->setForegroundRole(QPalette::PlaceholderText);
    m_accountsEmpty->setWordWrap(true);

    m_published->setObjectName(QStringLiteral("publishedCount"));
    m_failed->setObjectName(QStringLiteral("failedCount"));
    m_needsAction->setObjectName(QStringLiteral("needsActionCount"));
    m_inProgress->setObjectName(QStringLiteral("inProgressCount"));
    m_successRate->setObjectName(QStringLiteral("successRate"));
    m_successRate->setToolTip(
        tr("Published out of everything that finished or stopped for your action: failed "
           "and needs-action publications count against it; those still in progress and "
           "those you cancelled are not counted."));
    auto *figures = new QGridLayout;
    QLabel *const labels[] = {m_published, m_failed, m_needsAction, m_inProgress};
    const QString names[] = {tr("Published"), tr("Failed"), tr("Needs action"), tr("In progress")};
    for (int i = 0; i < 4; ++i) {
        figures->addWidget(new QLabel(names[i], this), 0, i);
        QLabel *value = labels[i];
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.4);
        big.setBold(true);
        value->setFont(big);
        figures->addWidget(value, 1, i);
    }

    QChart *chart = new QChart;
    chart->setTitle(tr("Publications per day, last %1 days").arg(kChartDays));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    for (const ChartOutcome &shown : kChartOutcomes) {
        const QString name = shown.outcome == Outcome::Published     ? tr("Published")
                             : shown.outcome == Outcome::Failed      ? tr("Failed")
                             : shown.outcome == Outcome::NeedsAction ? tr("Needs action")
                                                                     : tr("In progress");
        auto *set = new QBarSet(name);
        set->setColor(shown.color);
        set->setBorderColor(shown.color);
        m_sets.append(set);
        m_series->append(set);
    }
    chart->addSeries(m_series);
    m_counts->setLabelFormat(QStringLiteral("%d"));
    m_counts->setMinorTickCount(0);
    chart->addAxis(m_days, Qt::AlignBottom);
    chart->addAxis(m_counts, Qt::AlignLeft);
    m_series->attachAxis(m_days);
    m_series->attachAxis(m_counts);
    m_chartView->setObjectName(QStringLiteral("publishingChart"));
    m_chartView->setChart(chart); // the view owns the chart, the chart its series and axes
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(280);

    m_status->setObjectName(QStringLiteral("insightsStatus"));

    auto *rateRow = new QHBoxLayout;
    rateRow->addWidget(new QLabel(tr("Upload success rate:"), this));
    rateRow->addWidget(m_successRate, 1);

    // One chart at a time, each in a tab: both need the full width for 14 days of labels.
    auto *charts = new QTabWidget(this);
    charts->setObjectName(QStringLiteral("insightsCharts"));
    charts->addTab(m_chartView, tr("Publishing"));
    charts->addTab(createInstagramTab(), tr("Instagram"));
    charts->addTab(m_redditChart, tr("Reddit"));
    charts->addTab(m_xChart, tr("X"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_status);
    layout->addWidget(heading(tr("Accounts"), this));
    layout->addWidget(m_accounts);
    layout->addWidget(m_accountsEmpty);
    layout->addWidget(heading(tr("Publishing in the last %1 days").arg(kSummaryDays), this));
    layout->addLayout(figures);
    layout->addLayout(rateRow);
    layout->addWidget(charts, 1);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &InsightsPage::refresh);
    showAccounts({});
    showPublishing({}, QDate::currentDate());
    showInstagram({}, QDate::currentDate());
}

QWidget *InsightsPage::createInstagramTab() {
    QChart *chart = new QChart;
    chart->setTitle(tr("Instagram, last %1 days").arg(kChartDays));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_instagramDates->setFormat(tr("d MMM", "day label under the Instagram chart"));
    // Every other day, on the day: the range starts a day before the first point (see
    // drawInstagram), so kChartDays days make kChartDays / 2 whole steps of two days.
    m_instagramDates->setTickCount(kChartDays / 2 + 1);
    QFont dayFont = m_instagramDates->labelsFont();
    dayFont.setPointSizeF(dayFont.pointSizeF() * 0.8);
    m_instagramDates->setLabelsFont(dayFont);
    m_instagramCounts->setLabelFormat(QStringLiteral("%d"));
    m_instagramCounts->setMinorTickCount(0);
    chart->addAxis(m_instagramDates, Qt::AlignBottom);
    chart->addAxis(m_instagramCounts, Qt::AlignLeft);
    for (const ChartMetric &shown : kChartMetrics) {
        auto *series = new QLineSeries;
        series->setName(metricLabel(shown.metric));
        series->setColor(shown.color);
        series->setPointsVisible(true);
        chart->addSeries(series);
        series->attachAxis(m_instagramDates);
        series->attachAxis(m_instagramCounts);
        m_instagramSeries.append(series);
    }
    m_instagramChart->setObjectName(QStringLiteral("instagramChart"));
    m_instagramChart->setChart(chart);
    m_instagramChart->setRenderHint(QPainter::Antialiasing);
    m_instagramChart->setMinimumHeight(280);

    m_instagramPost->setObjectName(QStringLiteral("instagramPost"));
    m_instagramPost->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_instagramPost->setMinimumContentsLength(24);
    m_instagramPost->setToolTip(tr("All posts summed, or one post's own curve."));
    connect(m_instagramPost, &QComboBox::activated, this, &InsightsPage::drawInstagram);
    m_instagramEmpty->setObjectName(QStringLiteral("instagramEmpty"));
    m_instagramEmpty->setForegroundRole(QPalette::PlaceholderText);
    m_instagramEmpty->setWordWrap(true);

    auto *tab = new QWidget(this);
    auto *postRow = new QHBoxLayout;
    postRow->addWidget(new QLabel(tr("Show:"), tab));
    postRow->addWidget(m_instagramPost);
    postRow->addStretch(1);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(postRow);
    layout->addWidget(m_instagramChart, 1);
    layout->addWidget(m_instagramEmpty);
    return tab;
}

void InsightsPage::setDatabase(store::DesktopDatabase *database) {
    if (m_database)
        disconnect(m_database, nullptr, this, nullptr);
    m_database = database;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            // A new insights snapshot comes with its media's update (ig_media.insights), a
            // Reddit or X history row with its post's (reddit_posts, x_posts).
            if (table == QLatin1String("oauth_accounts") ||
                table == QLatin1String("publications") || table == QLatin1String("ig_media") ||
                table == QLatin1String("ig_media_insights") ||
                table == QLatin1String("reddit_posts") || table == QLatin1String("x_posts"))
                scheduleRefresh();
        });
    refresh();
}

void InsightsPage::scheduleRefresh() {
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void InsightsPage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    scheduleRefresh(); // the window of days moves on while the page is hidden
}

void InsightsPage::refresh() {
    if (!m_database)
        return;
    if (m_pending > 0) {
        m_loadAgain = true;
        return;
    }
    m_pending = 5;
    m_roundProblem.clear();
    QPointer<InsightsPage> self(this);
    m_database->query(
        QStringLiteral("SELECT id::text AS id, provider, display_name, username, status, "
                       "stats::text AS stats FROM oauth_accounts WHERE status <> 'revoked' "
                       "ORDER BY provider, lower(coalesce(nullif(display_name, ''), username)), "
                       "id"),
        {}, [self](const Result<QList<QJsonObject>> &rows) {
            if (!self)
                return;
            if (rows)
                self->showAccounts(*rows);
            self->finishQuery(rows ? QString() : rows.error().message);
        });

    // Days are the creator's local days. The offset is today's: across a daylight saving
    // change an hour at the edge of a day may count for its neighbour.
    const QDate today = QDate::currentDate();
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime since(today.addDays(1 - kSummaryDays), QTime(0, 0));
    m_database->query(
        QStringLiteral("SELECT to_char((created_at AT TIME ZONE 'UTC') + "
                       "make_interval(secs => $1::double precision), 'YYYY-MM-DD') AS day, "
                       "state, count(*)::text AS n FROM publications "
                       "WHERE created_at >= $2::timestamptz GROUP BY 1, 2"),
        {now.offsetFromUtc(), since.toUTC().toString(Qt::ISODate)},
        [self, today](const Result<QList<QJsonObject>> &rows) {
            if (!self)
                return;
            if (rows)
                self->showPublishing(*rows, today);
            self->finishQuery(rows ? QString() : rows.error().message);
        });

    queryChart(kInstagramSql, &InsightsPage::showInstagram);
    queryChart(kRedditSql, &InsightsPage::showReddit);
    queryChart(kXSql, &InsightsPage::showX);
}

void InsightsPage::queryChart(const char *sql,
                              void (InsightsPage::*showRows)(const QList<QJsonObject> &,
                                                             const QDate &)) {
    const QDate today = QDate::currentDate();
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime chartSince(today.addDays(1 - kChartDays), QTime(0, 0));
    QPointer<InsightsPage> self(this);
    m_database->query(QString::fromUtf8(sql),
                      {now.offsetFromUtc(), chartSince.toUTC().toString(Qt::ISODate)},
                      [self, today, showRows](const Result<QList<QJsonObject>> &rows) {
                          if (!self)
                              return;
                          if (rows)
                              (self.data()->*showRows)(*rows, today);
                          self->finishQuery(rows ? QString() : rows.error().message);
                      });
}

void InsightsPage::finishQuery(const QString &problem) {
    if (!problem.isEmpty() && m_roundProblem.isEmpty())
        m_roundProblem = problem;
    if (--m_pending > 0)
        return;
    if (!m_roundProblem.isEmpty())
        m_status->showProblem(m_roundProblem);
    else
        m_status->clearProblem(); // the database answered: the problem is over
    if (m_loadAgain) {
        m_loadAgain = false;
        refresh();
    }
}

void InsightsPage::showAccounts(const QList<QJsonObject> &rows) {
    m_accounts->setRowCount(int(rows.size()));
    const auto field = [](const QJsonObject &row, const char *name) {
        return row.value(QLatin1String(name)).toString();
    };
    for (int row = 0; row < rows.size(); ++row) {
        const QJsonObject &account = rows.at(row);
        QString name = field(account, "display_name");
        const QString username = field(account, "username");
        if (name.isEmpty())
            name = username;
        else if (!username.isEmpty() && username != name)
            name = tr("%1 (@%2)").arg(name, username);
        if (field(account, "status") == QLatin1String("needs_reconnect"))
            name = tr("%1 — reconnect needed").arg(name);
        m_accounts->setItem(row, 0, new QTableWidgetItem(name));
        m_accounts->setItem(
            row, 1,
            new QTableWidgetItem(ActivityListModel::platformName(field(account, "provider"))));
        const QJsonObject stats = InsightsFigures::parseStats(field(account, "stats"));
        for (int i = 0; i < int(std::size(kStats)); ++i) {
            auto *item = new QTableWidgetItem(InsightsFigures::statText(stats, kStats[i]));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!InsightsFigures::statValue(stats, kStats[i])) {
                item->setForeground(palette().brush(QPalette::PlaceholderText));
                item->setToolTip(tr("The platform does not share this figure with Huntaze: "
                                    "the account did not grant that permission when it was "
                                    "connected. Reconnect it and allow its statistics."));
            }
            m_accounts->setItem(row, 2 + i, item);
        }
    }
    m_accounts->setVisible(!rows.isEmpty());
    m_accountsEmpty->setVisible(rows.isEmpty());
}

void InsightsPage::showPublishing(const QList<QJsonObject> &rows, const QDate &today) {
    const QList<InsightsFigures::Day> days = InsightsFigures::perDay(rows, today, kSummaryDays);
    m_summary = InsightsFigures::total(days);
    m_chartDays = days.mid(days.size() - kChartDays);

    const QLocale locale;
    m_published->setText(locale.toString(m_summary.published));
    m_failed->setText(locale.toString(m_summary.failed));
    m_needsAction->setText(locale.toString(m_summary.needsAction));
    m_inProgress->setText(locale.toString(m_summary.inProgress));
    m_successRate->setText(InsightsFigures::successRateText(m_summary));

    QStringList categories;
    int highest = 0;
    for (const InsightsFigures::Day &day : std::as_const(m_chartDays)) {
        categories.append(locale.toString(day.date, tr("d MMM", "day label under a bar")));
        highest = std::max(highest, day.counts.published + day.counts.failed +
                                        day.counts.needsAction + day.counts.inProgress);
    }
    for (int i = 0; i < m_sets.size(); ++i) {
        QBarSet *set = m_sets.at(i);
        set->remove(0, set->count());
        for (const InsightsFigures::Day &day : std::as_const(m_chartDays))
            set->append(day.counts.count(kChartOutcomes[i].outcome));
    }
    m_days->setCategories(categories);
    // Whole numbers only: at most five steps, each a whole number of publications.
    const int step = std::max(1, (highest + 4) / 5);
    const int steps = std::max(1, (highest + step - 1) / step);
    m_counts->setRange(0, step * steps);
    m_counts->setTickCount(steps + 1);
}

void InsightsPage::showInstagram(const QList<QJsonObject> &rows, const QDate &today) {
    m_instagramRows = rows;
    m_instagramToday = today;

    // The post list follows the rows; the post shown stays chosen while it is there.
    struct Post {
        QString id;
        QString caption;
        qint64 postedAt = 0;
    };
    QList<Post> posts;
    QSet<QString> seen;
    for (const QJsonObject &row : rows) {
        const QString id = row.value(QStringLiteral("ig_id")).toString();
        if (seen.contains(id))
            continue;
        seen.insert(id);
        posts.append({id, row.value(QStringLiteral("caption")).toString(),
                      row.value(QStringLiteral("posted_at")).toString().toLongLong()});
    }
    std::sort(posts.begin(), posts.end(),
              [](const Post &a, const Post &b) { return a.postedAt > b.postedAt; });
    const QString chosen = m_instagramPost->currentData().toString();
    m_instagramPost->clear();
    m_instagramPost->addItem(tr("All posts"), QString());
    for (const Post &post : std::as_const(posts))
        m_instagramPost->addItem(CommentListModel::captionExcerpt(post.caption), post.id);
    m_instagramPost->setCurrentIndex(std::max(0, m_instagramPost->findData(chosen)));
    m_instagramPost->setEnabled(!posts.isEmpty());
    drawInstagram();
}

void InsightsPage::showReddit(const QList<QJsonObject> &rows, const QDate &today) {
    m_redditChart->showSnapshots(PostMetrics::redditSnapshots(rows), today);
}

void InsightsPage::showX(const QList<QJsonObject> &rows, const QDate &today) {
    m_xChart->showSnapshots(PostMetrics::xSnapshots(rows), today);
}

QList<PostMetrics::Day> InsightsPage::redditDays() const {
    return m_redditChart->days();
}

QList<PostMetrics::Day> InsightsPage::xDays() const {
    return m_xChart->days();
}

void InsightsPage::drawInstagram() {
    const QString media = m_instagramPost->currentData().toString();
    m_instagramDays =
        InsightsFigures::mediaPerDay(m_instagramRows, m_instagramToday, kChartDays, media);
    qint64 highest = 0;
    for (int i = 0; i < m_instagramSeries.size(); ++i) {
        QList<QPointF> points;
        for (const InsightsFigures::MediaDay &day : std::as_const(m_instagramDays)) {
            const qint64 value = day.total(kChartMetrics[i].metric);
            points.append(
                QPointF(double(day.date.startOfDay().toMSecsSinceEpoch()), double(value)));
            highest = std::max(highest, value);
        }
        m_instagramSeries.at(i)->replace(points);
    }
    const QDate dayBefore = m_instagramToday.addDays(-kChartDays);
    m_instagramDates->setRange(dayBefore.startOfDay(), m_instagramToday.startOfDay());
    m_instagramCounts->setRange(0, double(std::max<qint64>(highest, 4)));
    m_instagramCounts->applyNiceNumbers();
    m_instagramEmpty->setVisible(m_instagramDays.isEmpty());
}

} // namespace huntaze::ui
