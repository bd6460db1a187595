#include "insightspage.h"

#include "activity/activitylistmodel.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QColor>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QStackedBarSeries>
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

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_status);
    layout->addWidget(heading(tr("Accounts"), this));
    layout->addWidget(m_accounts);
    layout->addWidget(m_accountsEmpty);
    layout->addWidget(heading(tr("Publishing in the last %1 days").arg(kSummaryDays), this));
    layout->addLayout(figures);
    layout->addLayout(rateRow);
    layout->addWidget(m_chartView, 1);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &InsightsPage::refresh);
    showAccounts({});
    showPublishing({}, QDate::currentDate());
}

void InsightsPage::setDatabase(store::DesktopDatabase *database) {
    if (m_database)
        disconnect(m_database, nullptr, this, nullptr);
    m_database = database;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("oauth_accounts") || table == QLatin1String("publications"))
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
    m_pending = 2;
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

} // namespace huntaze::ui
