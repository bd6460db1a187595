#include "postspage.h"

#include "postlistmodel.h"
#include "store/desktopdatabase.h"

#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr int kRefreshDelayMs = 200;
}

PostsPage::PostsPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new PostListModel(this))
    , m_table(new QTableView(this))
    , m_empty(new QLabel(tr("No TikTok posts yet. Posts you publish appear here with what "
                            "TikTok reports about them."),
                         this))
    , m_status(new QLabel(this)) {
    auto *title = new QLabel(tr("Posts"), this);
    title->setObjectName(QStringLiteral("sectionTitle"));
    QFont headingFont = title->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.6);
    headingFont.setBold(true);
    title->setFont(headingFont);

    m_table->setObjectName(QStringLiteral("postsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableView::doubleClicked, this, &PostsPage::openLink);

    m_empty->setObjectName(QStringLiteral("postsEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_status->setObjectName(QStringLiteral("postsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    connect(m_model, &QAbstractItemModel::modelReset, this,
            [this] { m_empty->setVisible(m_model->rowCount() == 0); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_status);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &PostsPage::refresh);
}

void PostsPage::setDatabase(store::DesktopDatabase *database) {
    m_database = database;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if ((table == QLatin1String("tiktok_posts") ||
                 table == QLatin1String("oauth_accounts")) &&
                !m_refreshTimer.isActive())
                m_refreshTimer.start();
        });
    refresh();
}

void PostsPage::refresh() {
    if (!m_database)
        return;
    if (m_loading) {
        m_loadAgain = true;
        return;
    }
    m_loading = true;
    QPointer<PostsPage> self(this);
    m_database->query(
        QStringLiteral("SELECT t.publish_id, t.status, t.post_mode, t.source, t.fail_reason, "
                       "t.post_id, a.display_name, a.username, "
                       "extract(epoch from t.updated_at)::bigint AS updated_at "
                       "FROM tiktok_posts t JOIN oauth_accounts a ON a.id = t.account_id "
                       "ORDER BY t.created_at DESC LIMIT 500"),
        {}, [self](const Result<QList<QJsonObject>> &rows) {
            if (!self)
                return;
            self->m_loading = false;
            if (!rows) {
                self->showStatus(rows.error().message, true);
            } else {
                self->showStatus({});
                self->m_model->setRows(*rows);
            }
            if (self->m_loadAgain) {
                self->m_loadAgain = false;
                self->refresh();
            }
        });
}

void PostsPage::showStatus(const QString &text, bool problem) {
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
    m_status->setVisible(!text.isEmpty());
}

void PostsPage::openLink(const QModelIndex &index) {
    if (index.column() != PostListModel::LinkColumn)
        return;
    const QUrl link = index.data(PostListModel::LinkRole).toUrl();
    if (link.isValid())
        QDesktopServices::openUrl(link);
}

} // namespace huntaze::ui
