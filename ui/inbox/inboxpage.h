#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QButtonGroup;
class QLabel;
class QPushButton;
class QTableView;

namespace huntaze::net {
class RelayClient;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class CommentListModel;
class LiveQuery;
class ReplyBox;
class StatusLabel;

// Inbox: the comments people leave on the creator's Instagram posts, newest conversation
// first, each with the post it is on; All / Unanswered / Hidden; Reply and Hide/Unhide
// for the selected one, through the relay (which holds the Page tokens). Followed live:
// re-read whenever the database announces a change to comments or media.
class InboxPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRowLimit = 500;

    explicit InboxPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    // Replying and hiding need the relay; without one the page only reads.
    void setRelay(net::RelayClient *relay);
    void refresh();

    CommentListModel *model() const { return m_model; }
    QString selectedCommentId() const; // empty when nothing is selected

    // The one query, every column as text; public so tests can run it under the
    // desktop's role.
    static QString querySql();

private:
    void showRows(const QList<QJsonObject> &rows);
    void updateFilterButtons();
    void updateEmpty();
    void updateSelection();
    void sendReply(const QString &text);
    void toggleHidden();

    LiveQuery *m_live;
    CommentListModel *m_model;
    QButtonGroup *m_filters;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_post;
    ReplyBox *m_replyBox;
    QPushButton *m_hide;
    StatusLabel *m_status;       // the database: cleared once it answers again
    StatusLabel *m_actionStatus; // what came of the last reply or hide (the relay's words)
    QPointer<net::RelayClient> m_relay;
    bool m_replying = false;
    bool m_hiding = false;
};

} // namespace huntaze::ui
