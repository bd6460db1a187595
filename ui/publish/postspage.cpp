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

// TikTok posts, Instagram media, Reddit posts and X posts in one list, newest first. Each
// branch names every column the model reads (NULL where the platform has none) and is
// limited before the union, so none reads more than the list shows.
constexpr char kPostsSql[] = R"sql(
SELECT platform, publish_id, status, post_mode, source, fail_reason, post_id, display_name,
       username, updated_at, caption, media_type, media_product_type, like_count,
       comments_count, insights, permalink, subreddit, score, upvote_ratio, removed, metrics,
       private_metrics
  FROM (
    (SELECT 'tiktok'::text AS platform, t.publish_id::text AS publish_id, t.status::text AS status,
            t.post_mode::text AS post_mode, t.source::text AS source,
            t.fail_reason::text AS fail_reason, t.post_id::text AS post_id,
            a.display_name::text AS display_name, a.username::text AS username,
            extract(epoch FROM t.updated_at)::bigint AS updated_at, NULL::text AS caption,
            NULL::text AS media_type, NULL::text AS media_product_type,
            NULL::bigint AS like_count, NULL::bigint AS comments_count,
            NULL::text AS insights, NULL::text AS permalink, NULL::text AS subreddit,
            NULL::bigint AS score, NULL::text AS upvote_ratio, NULL::text AS removed,
            NULL::text AS metrics, NULL::text AS private_metrics, t.created_at AS sort_at
       FROM tiktok_posts t JOIN oauth_accounts a ON a.id = t.account_id
      ORDER BY t.created_at DESC LIMIT %1)
    UNION ALL
    (SELECT 'instagram'::text, m.ig_id, NULL, NULL, NULL, NULL, NULL, NULL, i.username,
            extract(epoch FROM coalesce(m.posted_at, m.created_at))::bigint, m.caption,
            m.media_type, m.media_product_type, m.like_count, m.comments_count,
            m.insights::text, m.permalink, NULL, NULL, NULL, NULL, NULL, NULL,
            coalesce(m.posted_at, m.created_at)
       FROM ig_media m
       LEFT JOIN instagram_accounts i
              ON i.user_id = m.user_id AND i.ig_business_id = m.ig_business_id
      ORDER BY coalesce(m.posted_at, m.created_at) DESC LIMIT %1)
    UNION ALL
    (SELECT 'reddit'::text, r.fullname, NULL, NULL, NULL, NULL, NULL, a.display_name,
            a.username, extract(epoch FROM coalesce(r.posted_at, r.created_at))::bigint,
            r.title, r.kind, NULL, NULL, r.num_comments, NULL, r.permalink, r.subreddit,
            r.score, r.upvote_ratio::text, r.removed_by_category, NULL, NULL,
            coalesce(r.posted_at, r.created_at)
       FROM reddit_posts r JOIN oauth_accounts a ON a.id = r.account_id
      ORDER BY coalesce(r.posted_at, r.created_at) DESC LIMIT %1)
    UNION ALL
    (SELECT 'x'::text, x.tweet_id, CASE WHEN x.deleted_at IS NOT NULL THEN 'deleted' END,
            NULL, NULL, NULL, NULL, a.display_name, a.username,
            extract(epoch FROM coalesce(x.posted_at, x.created_at))::bigint, x.text, p.kind,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, x.public_metrics::text,
            x.non_public_metrics::text, coalesce(x.posted_at, x.created_at)
       FROM x_posts x JOIN oauth_accounts a ON a.id = x.account_id
       -- What kind of post it was is known when Huntaze made it.
       LEFT JOIN publications p ON p.id = x.publication_id
      ORDER BY coalesce(x.posted_at, x.created_at) DESC LIMIT %1)
  ) AS posts
 ORDER BY sort_at DESC, platform, publish_id
 LIMIT %1
)sql";
constexpr int kRowLimit = 500;
} // namespace

PostsPage::PostsPage(QWidget *parent)
    : QWidget(parent)
    , m_live(new LiveQuery(QString::fromUtf8(kPostsSql).arg(kRowLimit),
                           {QStringLiteral("tiktok_posts"), QStringLiteral("oauth_accounts"),
                            QStringLiteral("ig_media"), QStringLiteral("instagram_accounts"),
                            QStringLiteral("reddit_posts"), QStringLiteral("x_posts")},
                           kRefreshDelay, this))
    , m_model(new PostListModel(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(tr("No posts yet. Your TikTok, Instagram, Reddit and X posts "
                                       "appear here with what the platforms report about them."),
                                    this))
    , m_status(new StatusLabel(this)) {
    QLabel *title = createSectionTitle(tr("Posts"), this);

    m_table->setObjectName(QStringLiteral("postsTable"));
    setUpRowTable(m_table, m_model);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(PostListModel::CaptionColumn, 240);
    for (const int number :
         {PostListModel::LikesColumn, PostListModel::CommentsColumn, PostListModel::ViewsColumn,
          PostListModel::ReachColumn, PostListModel::ScoreColumn, PostListModel::UpvoteRatioColumn,
          PostListModel::RepostsColumn, PostListModel::QuotesColumn})
        m_table->horizontalHeader()->resizeSection(number, 80);
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
