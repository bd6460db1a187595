#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class ActivityListModel;

// Activity: one list, newest first, of what happened (sign-ins, token refreshes,
// disconnections, device pairing, and where each publication stands), each with its
// correlation id to copy for support. A filter line matches any column. Followed live:
// re-read whenever the database announces a change to what it shows.
class ActivityPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRowLimit = 300;

    explicit ActivityPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    void refresh();
    ActivityListModel *model() const { return m_model; }
    QSortFilterProxyModel *filterModel() const { return m_filter; }
    QString selectedCorrelationId() const; // empty when nothing (or a row without one)
    void copySelectedCorrelationId();

    // The one query (audit events UNION ALL publications, every column as text, newest
    // first); public so integration tests can run it under the desktop's role.
    static QString querySql();

private:
    void scheduleRefresh();
    void showRows(const QList<QJsonObject> &rows);
    void showStatus(const QString &text, bool problem = false);
    void updateSelection();
    void updateEmpty();
    QString selectedKey() const;

    store::DesktopDatabase *m_database = nullptr;
    ActivityListModel *m_model;
    QSortFilterProxyModel *m_filter;
    QLineEdit *m_filterEdit;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_status;
    QLabel *m_correlationId;
    QPushButton *m_copy;
    QAction *m_copyAction;
    QTimer m_refreshTimer; // coalesces bursts of changes into one query
    bool m_loading = false;
    bool m_loadAgain = false;
};

} // namespace huntaze::ui
