#pragma once

#include <QJsonObject>
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
class LiveQuery;
class StatusLabel;

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
    void showRows(const QList<QJsonObject> &rows);
    void updateSelection();
    void updateEmpty();
    QString selectedKey() const;

    LiveQuery *m_live;
    ActivityListModel *m_model;
    QSortFilterProxyModel *m_filter;
    QLineEdit *m_filterEdit;
    QTableView *m_table;
    QLabel *m_empty;
    StatusLabel *m_status;
    QLabel *m_correlationId;
    QPushButton *m_copy;
    QAction *m_copyAction;
};

} // namespace huntaze::ui
