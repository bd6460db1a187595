#include "activitypage.h"

#include "activitylistmodel.h"
#include "shell/livequery.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"

#include <QAction>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr std::chrono::milliseconds kRefreshDelay{300};

// Audit events (each named after the account they concern: the subject is the account's
// open_id, or "account:<id>") and every publication as it stands now, both newest
// first, each branch limited before the union so neither reads more than it could show.
constexpr char kActivitySql[] = R"sql(
SELECT kind, id, at, event, provider, account, subject, outcome, correlation_id, message,
       source, tiktok_status
  FROM (
    (SELECT 'audit'::text AS kind, l.id::text AS id,
            (extract(epoch FROM l.at) * 1000)::bigint::text AS at, l.event::text AS event,
            coalesce(l.provider, a.provider)::text AS provider,
            coalesce(nullif(a.display_name, ''), nullif(a.username, ''))::text AS account,
            l.subject::text AS subject, l.outcome::text AS outcome,
            l.correlation_id::text AS correlation_id,
            coalesce(l.details ->> 'error_code', l.details ->> 'reason')::text AS message,
            NULL::text AS source, NULL::text AS tiktok_status, l.at AS sort_at
       FROM audit_log l
       LEFT JOIN LATERAL (
            SELECT o.provider, o.display_name, o.username FROM oauth_accounts o
             WHERE (o.provider = l.provider AND o.open_id = l.subject)
                OR 'account:' || o.id::text = l.subject
             LIMIT 1) a ON true
      ORDER BY l.at DESC, l.id DESC
      LIMIT %1)
    UNION ALL
    (SELECT 'publication'::text, p.id::text,
            (extract(epoch FROM p.updated_at) * 1000)::bigint::text, p.state::text,
            p.provider::text,
            coalesce(nullif(a.display_name, ''), nullif(a.username, ''))::text,
            NULL::text, p.state::text, p.correlation_id::text, p.last_error_message::text,
            coalesce(nullif(p.source_path, ''), nullif(p.source_url, ''))::text,
            t.status::text, p.updated_at
       FROM publications p
       JOIN oauth_accounts a ON a.id = p.account_id
       LEFT JOIN tiktok_posts t ON t.publish_id = p.remote_id
      ORDER BY p.updated_at DESC, p.id DESC
      LIMIT %1)
  ) AS activity
 ORDER BY sort_at DESC, kind, id DESC
 LIMIT %1
)sql";
} // namespace

ActivityPage::ActivityPage(QWidget *parent)
    : QWidget(parent)
    , m_live(new LiveQuery(querySql(),
                           {QStringLiteral("audit_log"), QStringLiteral("publications"),
                            QStringLiteral("tiktok_posts"), QStringLiteral("oauth_accounts")},
                           kRefreshDelay, this))
    , m_model(new ActivityListModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(QString(), this))
    , m_status(new StatusLabel(this))
    , m_correlationId(new QLabel(this))
    , m_copy(new QPushButton(tr("Copy correlation id"), this))
    , m_copyAction(new QAction(tr("Copy correlation id"), this)) {
    QLabel *title = createSectionTitle(tr("Activity"), this);

    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(-1); // any column, the correlation id included
    m_filter->setFilterRole(ActivityListModel::SearchRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filterEdit->setObjectName(QStringLiteral("activityFilter"));
    m_filterEdit->setPlaceholderText(
        tr("Filter by time, account, event, outcome or correlation id"));
    m_filterEdit->setClearButtonEnabled(true);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text.trimmed());
        updateEmpty();
        updateSelection();
    });

    m_table->setObjectName(QStringLiteral("activityTable"));
    setUpRowTable(m_table, m_filter);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(ActivityListModel::TimeColumn, 140);
    header->resizeSection(ActivityListModel::KindColumn, 100);
    header->resizeSection(ActivityListModel::AccountColumn, 160);
    header->resizeSection(ActivityListModel::WhatColumn, 380);
    header->resizeSection(ActivityListModel::OutcomeColumn, 130);
    header->setStretchLastSection(true);

    m_copyAction->setObjectName(QStringLiteral("copyCorrelationIdAction"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(m_copyAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_copyAction, &QAction::triggered, this, &ActivityPage::copySelectedCorrelationId);

    m_empty->setObjectName(QStringLiteral("activityEmpty"));
    m_status->setObjectName(QStringLiteral("activityStatus"));

    auto *referenceLabel = new QLabel(tr("Correlation id:"), this);
    m_correlationId->setObjectName(QStringLiteral("selectedCorrelationId"));
    m_correlationId->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_correlationId->setTextInteractionFlags(Qt::TextSelectableByMouse |
                                             Qt::TextSelectableByKeyboard);
    m_correlationId->setToolTip(
        tr("Quote this reference to support: it finds this event in the logs."));
    m_copy->setObjectName(QStringLiteral("copyCorrelationId"));
    connect(m_copy, &QPushButton::clicked, this, &ActivityPage::copySelectedCorrelationId);
    auto *details = new QHBoxLayout;
    details->addWidget(referenceLabel);
    details->addWidget(m_correlationId, 1);
    details->addWidget(m_copy);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_status);
    layout->addLayout(details);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ActivityPage::updateSelection);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ActivityPage::updateEmpty);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ActivityPage::updateSelection);

    connect(m_live, &LiveQuery::answered, this, &ActivityPage::showRows);
    // The database answered: a problem it had is over.
    connect(m_live, &LiveQuery::answered, m_status, &StatusLabel::clearProblem);
    connect(m_live, &LiveQuery::failed, m_status, &StatusLabel::showProblem);
    updateEmpty();
    updateSelection();
}

QString ActivityPage::querySql() {
    return QString::fromUtf8(kActivitySql).arg(kRowLimit);
}

void ActivityPage::setDatabase(store::DesktopDatabase *database) {
    m_live->setDatabase(database);
}

void ActivityPage::refresh() {
    m_live->refresh();
}

void ActivityPage::showRows(const QList<QJsonObject> &rows) {
    const QString selected = selectedKey();
    m_model->setRows(rows);
    if (!selected.isEmpty() && selectedKey() != selected) {
        const int row = m_model->rowOfKey(selected);
        const QModelIndex shown = m_filter->mapFromSource(m_model->index(row, 0));
        if (row >= 0 && shown.isValid())
            m_table->selectRow(shown.row());
    }
}

QString ActivityPage::selectedKey() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ActivityListModel::KeyRole).toString();
}

QString ActivityPage::selectedCorrelationId() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.first().data(ActivityListModel::CorrelationIdRole).toString();
}

void ActivityPage::copySelectedCorrelationId() {
    const QString id = selectedCorrelationId();
    if (id.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(id);
    m_status->showNote(tr("Copied correlation id %1.").arg(id));
}

void ActivityPage::updateSelection() {
    const QString id = selectedCorrelationId();
    const bool selected = !m_table->selectionModel()->selectedRows().isEmpty();
    m_correlationId->setText(id.isEmpty() && selected ? tr("none for this event") : id);
    m_copy->setEnabled(!id.isEmpty());
    m_copyAction->setEnabled(!id.isEmpty());
}

void ActivityPage::updateEmpty() {
    const bool nothingShown = m_filter->rowCount() == 0;
    if (m_model->rowCount() == 0)
        m_empty->setText(tr("Nothing has happened yet. Sign-ins, token refreshes, pairings "
                            "and publications will appear here as they happen."));
    else
        m_empty->setText(tr("Nothing matches “%1”.").arg(m_filterEdit->text().trimmed()));
    m_empty->setVisible(nothingShown);
}

} // namespace huntaze::ui
