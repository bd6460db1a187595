#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace huntaze::jobs {
class PublicationQueue;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class LiveQuery;
class PublicationListModel;
class StatusLabel;

// Queue: every publication with its state, live progress and message, followed live
// (re-read whenever the database announces a change), and Pause, Resume, Cancel and
// Retry for the selected one.
class QueuePage : public QWidget {
    Q_OBJECT
public:
    explicit QueuePage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue);
    void refresh();
    // Cancel asks for confirmation unless turned off (tests).
    void setConfirmCancel(bool confirm) { m_confirmCancel = confirm; }
    PublicationListModel *model() const { return m_model; }
    qint64 selectedId() const; // 0 when nothing is selected

private:
    void showRows(const QList<QJsonObject> &rows);
    void updateButtons();
    void updateCountdown();
    void cancelSelected();

    LiveQuery *m_live;
    jobs::PublicationQueue *m_queue = nullptr;
    PublicationListModel *m_model;
    QTableView *m_table;
    QLabel *m_empty;
    StatusLabel *m_status;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QTimer m_countdown; // "retrying in N s", every second while a row waits
    bool m_confirmCancel = true;
};

} // namespace huntaze::ui
