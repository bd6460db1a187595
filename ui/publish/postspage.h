#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QTableView;

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class PostListModel;

// Posts: what TikTok reports about each post Huntaze made (status, why it failed, the
// link once it is public), followed live as the database announces changes.
class PostsPage : public QWidget {
    Q_OBJECT
public:
    explicit PostsPage(QWidget *parent = nullptr);

    void setDatabase(store::DesktopDatabase *database);
    void refresh();
    PostListModel *model() const { return m_model; }

private:
    void showStatus(const QString &text, bool problem = false);
    void openLink(const QModelIndex &index);

    store::DesktopDatabase *m_database = nullptr;
    PostListModel *m_model;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_status;
    QTimer m_refreshTimer; // coalesces bursts of changes into one query
    bool m_loading = false;
    bool m_loadAgain = false;
};

} // namespace huntaze::ui
