#include "inboxpage.h"

#include "commentlistmodel.h"
#include "net/relayclient.h"
#include "replybox.h"
#include "shell/livequery.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"

#include <QButtonGroup>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr std::chrono::milliseconds kRefreshDelay{200};

using Filter = CommentListModel::Filter;

// Every comment with its post, newest first. "own" marks the account's own words (its
// replies), "answered" a comment the account replied to on Instagram itself; replied_at is
// set by the relay for replies sent through Huntaze. Joins stay within one user (Citus).
constexpr char kInboxSql[] = R"sql(
SELECT c.ig_id, c.parent_ig_id, c.username, c.text, c.hidden,
       extract(epoch FROM coalesce(c.posted_at, c.created_at))::bigint AS posted_at,
       extract(epoch FROM c.replied_at)::bigint AS replied_at,
       m.caption, m.permalink,
       coalesce(c.from_id = c.ig_business_id OR (a.username <> '' AND c.username = a.username),
                false) AS own,
       EXISTS (SELECT 1 FROM ig_comments r
                WHERE r.user_id = c.user_id AND r.parent_ig_id = c.ig_id
                  AND (r.from_id = r.ig_business_id
                       OR (a.username <> '' AND r.username = a.username))) AS answered
  FROM ig_comments c
  LEFT JOIN ig_media m ON m.user_id = c.user_id AND m.ig_id = c.media_ig_id
  LEFT JOIN instagram_accounts a
         ON a.user_id = c.user_id AND a.ig_business_id = c.ig_business_id
 ORDER BY coalesce(c.posted_at, c.created_at) DESC, c.id DESC
 LIMIT %1
)sql";

struct FilterButton {
    Filter filter;
    const char *objectName;
};
constexpr FilterButton kFilterButtons[] = {{Filter::All, "filterAll"},
                                           {Filter::Unanswered, "filterUnanswered"},
                                           {Filter::Hidden, "filterHidden"}};

QString filterName(Filter filter) {
    switch (filter) {
    case Filter::All:
        return InboxPage::tr("All");
    case Filter::Unanswered:
        return InboxPage::tr("Unanswered");
    case Filter::Hidden:
        return InboxPage::tr("Hidden");
    }
    return {};
}
} // namespace

InboxPage::InboxPage(QWidget *parent)
    : QWidget(parent)
    , m_live(new LiveQuery(querySql(),
                           {QStringLiteral("ig_comments"), QStringLiteral("ig_media"),
                            QStringLiteral("instagram_accounts")},
                           kRefreshDelay, this))
    , m_model(new CommentListModel(this))
    , m_filters(new QButtonGroup(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(QString(), this))
    , m_post(new QLabel(this))
    , m_replyBox(new ReplyBox(this))
    , m_hide(new QPushButton(tr("Hide"), this))
    , m_status(new StatusLabel(this))
    , m_actionStatus(new StatusLabel(this)) {
    QLabel *title = createSectionTitle(tr("Inbox"), this);

    auto *filterRow = new QHBoxLayout;
    for (const FilterButton &shown : kFilterButtons) {
        auto *button = new QPushButton(filterName(shown.filter), this);
        button->setObjectName(QLatin1String(shown.objectName));
        button->setCheckable(true);
        button->setChecked(shown.filter == Filter::All);
        m_filters->addButton(button, int(shown.filter));
        filterRow->addWidget(button);
    }
    filterRow->addStretch(1);
    m_filters->setExclusive(true);
    connect(m_filters, &QButtonGroup::idClicked, this, [this](int id) {
        const QString selected = selectedCommentId();
        m_model->setFilter(Filter(id));
        if (const int row = m_model->rowOf(selected); row >= 0)
            m_table->selectRow(row);
        updateEmpty();
        updateSelection();
    });

    m_table->setObjectName(QStringLiteral("inboxTable"));
    setUpRowTable(m_table, m_model);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(CommentListModel::FromColumn, 130);
    header->resizeSection(CommentListModel::CommentColumn, 320);
    header->resizeSection(CommentListModel::PostColumn, 220);
    header->resizeSection(CommentListModel::WhenColumn, 150);
    header->setStretchLastSection(true);
    connect(m_table, &QTableView::doubleClicked, this, [](const QModelIndex &index) {
        const QUrl link = index.data(CommentListModel::PermalinkRole).toUrl();
        if (index.column() == CommentListModel::PostColumn && link.isValid())
            QDesktopServices::openUrl(link);
    });

    m_empty->setObjectName(QStringLiteral("inboxEmpty"));
    m_post->setObjectName(QStringLiteral("inboxPost"));
    m_post->setTextFormat(Qt::RichText);
    m_post->setOpenExternalLinks(true);
    m_post->setWordWrap(true);
    m_replyBox->setObjectName(QStringLiteral("replyBox"));
    connect(m_replyBox, &ReplyBox::replyRequested, this, &InboxPage::sendReply);
    m_hide->setObjectName(QStringLiteral("hideComment"));
    m_hide->setToolTip(tr("A hidden comment stays visible to its author and to you, and to "
                          "nobody else."));
    connect(m_hide, &QPushButton::clicked, this, &InboxPage::toggleHidden);
    m_status->setObjectName(QStringLiteral("inboxStatus"));
    m_actionStatus->setObjectName(QStringLiteral("inboxActionStatus"));

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_post, 1);
    actions->addWidget(m_hide);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(filterRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addLayout(actions);
    layout->addWidget(m_replyBox);
    layout->addWidget(m_actionStatus);
    layout->addWidget(m_status);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &InboxPage::updateSelection);
    connect(m_model, &QAbstractItemModel::modelReset, this, &InboxPage::updateSelection);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &InboxPage::updateSelection);

    connect(m_live, &LiveQuery::answered, this, &InboxPage::showRows);
    // The database answered: a problem it had is over.
    connect(m_live, &LiveQuery::answered, m_status, &StatusLabel::clearProblem);
    connect(m_live, &LiveQuery::failed, m_status, &StatusLabel::showProblem);
    updateFilterButtons();
    updateEmpty();
    updateSelection();
}

QString InboxPage::querySql() {
    return QString::fromUtf8(kInboxSql).arg(kRowLimit);
}

void InboxPage::setDatabase(store::DesktopDatabase *database) {
    m_live->setDatabase(database);
}

void InboxPage::setRelay(net::RelayClient *relay) {
    m_relay = relay;
    updateSelection();
}

void InboxPage::refresh() {
    m_live->refresh();
}

void InboxPage::showRows(const QList<QJsonObject> &rows) {
    const QString selected = selectedCommentId();
    m_model->setComments(rows);
    if (!selected.isEmpty() && selectedCommentId() != selected) {
        if (const int row = m_model->rowOf(selected); row >= 0)
            m_table->selectRow(row);
    }
    updateFilterButtons();
    updateEmpty();
    updateSelection();
}

QString InboxPage::selectedCommentId() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->commentId(rows.first().row());
}

void InboxPage::updateFilterButtons() {
    for (const FilterButton &shown : kFilterButtons) {
        const int count = m_model->countOf(shown.filter);
        m_filters->button(int(shown.filter))
            ->setText(count > 0 ? tr("%1 (%2)").arg(filterName(shown.filter)).arg(count)
                                : filterName(shown.filter));
    }
}

void InboxPage::updateEmpty() {
    const bool empty = m_model->rowCount() == 0;
    switch (m_model->filter()) {
    case Filter::All:
        m_empty->setText(tr("No Instagram comments yet. Comments on your posts appear here "
                            "as Instagram reports them."));
        break;
    case Filter::Unanswered:
        m_empty->setText(tr("Every comment has an answer."));
        break;
    case Filter::Hidden:
        m_empty->setText(tr("No hidden comments."));
        break;
    }
    m_empty->setVisible(empty);
}

void InboxPage::updateSelection() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const int row = rows.isEmpty() ? -1 : rows.first().row();
    if (row < 0) {
        m_post->clear();
        m_replyBox->setRecipient({});
        m_hide->setEnabled(false);
        m_hide->setText(tr("Hide"));
        return;
    }
    const QModelIndex post = m_model->index(row, CommentListModel::PostColumn);
    const QUrl link = post.data(CommentListModel::PermalinkRole).toUrl();
    const QString excerpt = post.data().toString().toHtmlEscaped();
    m_post->setText(link.isValid()
                        ? tr("On <a href=\"%1\">%2</a>")
                              .arg(link.toString(QUrl::FullyEncoded).toHtmlEscaped(), excerpt)
                        : tr("On %1").arg(excerpt));

    const QString username = m_model->author(row);
    QString whyNot;
    if (!m_relay)
        whyNot = tr("Pair with a relay in Settings to answer comments from here.");
    else if (m_model->isOwn(row))
        whyNot = tr("This is your own reply.");
    m_replyBox->setRecipient(username, whyNot);
    m_replyBox->setBusy(m_replying);
    m_hide->setText(m_model->isHidden(row) ? tr("Unhide") : tr("Hide"));
    m_hide->setEnabled(m_relay && !m_hiding && !m_model->isOwn(row));
}

void InboxPage::sendReply(const QString &text) {
    const QString commentId = selectedCommentId();
    if (!m_relay || commentId.isEmpty() || text.isEmpty() || m_replying)
        return;
    const int row = m_model->rowOf(commentId);
    const QString username = m_model->author(row);
    // Posting is not retried on its own: a second click after a failure is the creator's.
    m_replying = true;
    m_replyBox->setBusy(true);
    m_actionStatus->showNote(tr("Sending your reply to @%1…").arg(username));
    QPointer<InboxPage> self(this);
    m_relay->replyToInstagramComment(
        commentId, text, [self, username](const Result<QJsonObject> &answer) {
            if (!self)
                return;
            self->m_replying = false;
            self->m_replyBox->setBusy(false);
            if (!answer) {
                self->m_actionStatus->showProblem(answer.error().message);
                return;
            }
            self->m_replyBox->clear();
            // The relay recorded the reply and the database announces it: the list follows.
            self->m_actionStatus->showNote(tr("Your reply to @%1 is on Instagram.").arg(username));
        });
}

void InboxPage::toggleHidden() {
    const QString commentId = selectedCommentId();
    if (!m_relay || commentId.isEmpty() || m_hiding)
        return;
    const int row = m_model->rowOf(commentId);
    const bool hide = !m_model->isHidden(row);
    const QString username = m_model->author(row);
    m_hiding = true;
    m_hide->setEnabled(false);
    QPointer<InboxPage> self(this);
    m_relay->hideInstagramComment(
        commentId, hide, [self, hide, username](const Result<QJsonObject> &answer) {
            if (!self)
                return;
            self->m_hiding = false;
            self->updateSelection();
            if (!answer) {
                self->m_actionStatus->showProblem(answer.error().message);
                return;
            }
            // The relay recorded Instagram's answer, and the database announces it: the
            // list follows by itself.
            const bool hidden = answer->value(QStringLiteral("hidden")).toBool(hide);
            self->m_actionStatus->showNote(
                hidden ? tr("The comment from @%1 is hidden.").arg(username)
                       : tr("The comment from @%1 is visible to everyone again.").arg(username));
        });
}

} // namespace huntaze::ui
