#pragma once

#include "insightsfigures.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QTimer>
#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QChartView;
class QLabel;
class QStackedBarSeries;
class QTableWidget;
class QValueAxis;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class StatusLabel;

// Insights: per connected account the figures its platform shares (followers, following,
// likes, videos), and how publishing went: the last 30 days by outcome, the upload success
// rate, and a chart of publications per day over the last 14 days stacked by outcome.
// Re-read whenever the database announces a change to accounts or publications.
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

    InsightsFigures::Counts summary() const { return m_summary; }
    QList<InsightsFigures::Day> chartDays() const { return m_chartDays; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();
    void finishQuery(const QString &problem);

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
    StatusLabel *m_status;
    QTimer m_refreshTimer; // coalesces bursts of changes into one round of queries
    InsightsFigures::Counts m_summary;
    QList<InsightsFigures::Day> m_chartDays;
    int m_pending = 0; // queries of the current round still running
    QString m_roundProblem;
    bool m_loadAgain = false;
};

} // namespace huntaze::ui
