#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class LiveQuery;
class PostListModel;
class StatusLabel;

// Posts: what TikTok reports about each post Huntaze made (status, why it failed, the
// link once it is public), the creator's Instagram media (kind, caption, likes, comments,
// views and reach, the permalink), Reddit posts (subreddit, title, score, comments, upvote
// ratio, removal) and X posts (text, likes, reposts, replies, quotes, impressions), each
// with the platform named and its link openable, followed live as the database announces
// changes.
class PostsPage : public QWidget {
    Q_OBJECT
public:
    explicit PostsPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    void refresh();
    PostListModel *model() const { return m_model; }

private:
    void openLink(const QModelIndex &index);

    LiveQuery *m_live;
    PostListModel *m_model;
    QTableView *m_table;
    QLabel *m_empty;
    StatusLabel *m_status;
};

} // namespace huntaze::ui
