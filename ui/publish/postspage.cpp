#include "postspage.h"

#include "postlistmodel.h"
#include "shell/livequery.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"

#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr std::chrono::milliseconds kRefreshDelay{200};

constexpr char kPostsSql[] = "SELECT t.publish_id, t.status, t.post_mode, t.source, t.fail_reason, "
                             "t.post_id, a.display_name, a.username, "
                             "extract(epoch from t.updated_at)::bigint AS updated_at "
                             "FROM tiktok_posts t JOIN oauth_accounts a ON a.id = t.account_id "
                             "ORDER BY t.created_at DESC LIMIT 500";
} // namespace

PostsPage::PostsPage(QWidget *parent)
    : QWidget(parent)
    , m_live(new LiveQuery(QString::fromUtf8(kPostsSql),
                           {QStringLiteral("tiktok_posts"), QStringLiteral("oauth_accounts")},
                           kRefreshDelay, this))
    , m_model(new PostListModel(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(tr("No TikTok posts yet. Posts you publish appear here "
                                       "with what TikTok reports about them."),
                                    this))
    , m_status(new StatusLabel(this)) {
    QLabel *title = createSectionTitle(tr("Posts"), this);

    m_table->setObjectName(QStringLiteral("postsTable"));
    setUpRowTable(m_table, m_model);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableView::doubleClicked, this, &PostsPage::openLink);

    m_empty->setObjectName(QStringLiteral("postsEmpty"));
    m_status->setObjectName(QStringLiteral("postsStatus"));
    connect(m_model, &QAbstractItemModel::modelReset, this,
            [this] { m_empty->setVisible(m_model->rowCount() == 0); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_status);

    connect(m_live, &LiveQuery::answered, m_model, &PostListModel::setRows);
    // The database answered: a problem it had is over.
    connect(m_live, &LiveQuery::answered, m_status, &StatusLabel::clearProblem);
    connect(m_live, &LiveQuery::failed, m_status, &StatusLabel::showProblem);
}

void PostsPage::setDatabase(store::DesktopDatabase *database) {
    m_live->setDatabase(database);
}

void PostsPage::refresh() {
    m_live->refresh();
}

void PostsPage::openLink(const QModelIndex &index) {
    if (index.column() != PostListModel::LinkColumn)
        return;
    const QUrl link = index.data(PostListModel::LinkRole).toUrl();
    if (link.isValid())
        QDesktopServices::openUrl(link);
}

} // namespace huntaze::ui
