#include "healthpage.h"

#include "activity/activitylistmodel.h"
#include "shell/livequery.h"
#include "shell/problemcolor.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr std::chrono::milliseconds kRefreshDelay{300};
constexpr int kTickMs = 60'000;
constexpr int kQueryCount = 4;

constexpr char kAccountsSql[] = R"sql(
SELECT id::text AS id, provider,
       coalesce(nullif(display_name, ''), nullif(username, ''), open_id) AS name,
       status, status_reason
  FROM oauth_accounts
 WHERE status <> 'revoked'
 ORDER BY provider, id
)sql";

// Created in the last 30 days, by platform and state, and whether within the last 7.
constexpr char kUploadsSql[] = R"sql(
SELECT provider, state, (created_at >= now() - interval '7 days')::text AS recent,
       count(*)::text AS n
  FROM publications
 WHERE created_at >= now() - interval '30 days'
 GROUP BY 1, 2, 3
)sql";

// The desktop's role cannot read the relay's webhook inbox (webhook_events is granted to
// no desktop), so this is the latest row the relay wrote from what each platform reported:
// webhooks and the relay's own checks. Rows the desktop writes itself are left out where
// they can be told apart (a TikTok post's first status, an X post it published).
constexpr char kHeardSql[] = R"sql(
SELECT provider, source, (extract(epoch FROM at) * 1000)::bigint::text AS at
  FROM (SELECT 'tiktok' AS provider, 'post_status' AS source, max(updated_at) AS at
          FROM tiktok_posts WHERE status <> 'PROCESSING_UPLOAD'
        UNION ALL SELECT 'instagram', 'comment', max(created_at) FROM ig_comments
        UNION ALL SELECT 'instagram', 'insights', max(insights_updated_at) FROM ig_media
        UNION ALL SELECT 'instagram', 'sync', max(synced_at) FROM instagram_accounts
        UNION ALL SELECT 'reddit', 'comment', max(updated_at) FROM reddit_comments
        UNION ALL SELECT 'reddit', 'stats', max(recorded_at) FROM reddit_post_stats
        UNION ALL SELECT 'x', 'post', max(created_at) FROM x_posts WHERE publication_id IS NULL
        UNION ALL SELECT 'x', 'metrics', max(metrics_updated_at) FROM x_posts
        UNION ALL SELECT provider, 'account_event', max(at) FROM audit_log
                   WHERE actor = 'platform' AND provider IS NOT NULL GROUP BY provider) s
 WHERE at IS NOT NULL
)sql";

// TikTok's pending inbox uploads (PublicationStore::tiktokPendingShares), Instagram's posts
// in its rolling day (PublicationStore::instagramPublishedRecently), and every publication
// the queue holds back until a limit or a retry delay passes.
constexpr char kQuotasSql[] = R"sql(
SELECT 'tiktok_inbox' AS kind, 'tiktok' AS provider,
       coalesce(nullif(a.display_name, ''), nullif(a.username, ''), a.open_id) AS account,
       count(t.id)::text AS used,
       (extract(epoch FROM min(t.created_at) + interval '24 hours') * 1000)::bigint::text
           AS resets_at,
       NULL::text AS code, NULL::text AS message
  FROM oauth_accounts a
  LEFT JOIN tiktok_posts t
         ON t.account_id = a.id AND t.post_mode = 'inbox'
        AND t.status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD', 'SEND_TO_USER_INBOX')
        AND t.created_at > now() - interval '24 hours'
 WHERE a.provider = 'tiktok' AND a.status <> 'revoked'
 GROUP BY a.id
UNION ALL
SELECT 'instagram_posts', 'instagram', coalesce(nullif(i.username, ''), i.ig_business_id),
       count(p.id)::text,
       (extract(epoch FROM min(p.published_at) + interval '24 hours') * 1000)::bigint::text,
       NULL, NULL
  FROM instagram_accounts i
  JOIN oauth_accounts a ON a.id = i.account_id AND a.status <> 'revoked'
  LEFT JOIN publications p
         ON p.provider = 'instagram' AND p.state = 'published'
        AND p.options ->> 'ig_business_id' = i.ig_business_id
        AND p.published_at > now() - interval '24 hours'
 GROUP BY i.id
UNION ALL
SELECT 'wait', p.provider,
       coalesce(nullif(a.display_name, ''), nullif(a.username, ''), a.open_id), NULL,
       (extract(epoch FROM p.next_attempt_at) * 1000)::bigint::text, p.last_error_code,
       p.last_error_message
  FROM publications p
  JOIN oauth_accounts a ON a.id = p.account_id
 WHERE p.state IN ('queued', 'uploading', 'processing') AND p.next_attempt_at > now()
   AND p.last_error_code IS NOT NULL
)sql";

QLabel *heading(const QString &text, QWidget *parent) {
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    label->setFont(font);
    return label;
}

QLabel *note(const QString &text, QWidget *parent) {
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

// A read-only table as tall as its rows, no taller.
QTableWidget *figuresTable(const char *name, const QStringList &headers, QWidget *parent) {
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(QLatin1String(name));
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::NoFocus);
    table->setWordWrap(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return table;
}

// After its rows changed: exactly as tall as header and rows, so the page scrolls instead.
void fitHeight(QTableWidget *table) {
    table->resizeRowsToContents();
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row)
        height += table->rowHeight(row);
    table->setFixedHeight(height);
}

QTableWidgetItem *cell(const QString &text, bool problem = false) {
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    if (problem)
        item->setForeground(problemColor());
    return item;
}
} // namespace

HealthPage::HealthPage(QWidget *parent)
    : QWidget(parent)
    , m_status(new StatusLabel(this))
    , m_allConnected(new QLabel(tr("Every connected account is signed in and working."), this))
    , m_reconnectTable(nullptr)
    , m_openAccounts(new QPushButton(tr("Open Accounts to reconnect"), this))
    , m_uploadsTable(nullptr)
    , m_heardTable(nullptr)
    , m_quotasTable(nullptr)
    , m_noQuotas(note(tr("Nothing is held back by a quota or a wait."), this))
    , m_export(new QPushButton(tr("Export diagnostics\u2026"), this))
    , m_exportResult(new QLabel(this)) {
    auto *content = new QWidget;
    m_reconnectTable =
        figuresTable("healthReconnect", {tr("Account"), tr("Platform"), tr("What to do")}, content);
    m_uploadsTable =
        figuresTable("healthUploads",
                     {tr("Platform"), tr("Last %1 days").arg(HealthFigures::kShortDays),
                      tr("Last %1 days").arg(HealthFigures::kLongDays)},
                     content);
    m_heardTable =
        figuresTable("healthHeard", {tr("Platform"), tr("Last heard"), tr("What")}, content);
    m_quotasTable =
        figuresTable("healthQuotas",
                     {tr("Platform"), tr("Account"), tr("Frees up / resets"), tr("Use")}, content);

    m_status->setObjectName(QStringLiteral("healthStatus"));
    m_allConnected->setObjectName(QStringLiteral("healthAllConnected"));
    m_openAccounts->setObjectName(QStringLiteral("openAccountsButton"));
    connect(m_openAccounts, &QPushButton::clicked, this, &HealthPage::accountsRequested);
    m_noQuotas->setObjectName(QStringLiteral("healthNoQuotas"));
    m_export->setObjectName(QStringLiteral("exportDiagnosticsButton"));
    connect(m_export, &QPushButton::clicked, this, &HealthPage::chooseExportPath);
    m_exportResult->setObjectName(QStringLiteral("exportResult"));
    m_exportResult->setWordWrap(true);
    m_exportResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportResult->hide();

    auto *reconnectRow = new QHBoxLayout;
    reconnectRow->addWidget(m_allConnected, 1);
    reconnectRow->addStretch();
    reconnectRow->addWidget(m_openAccounts);

    auto *exportRow = new QHBoxLayout;
    exportRow->addWidget(m_export);
    exportRow->addStretch();

    auto *layout = new QVBoxLayout(content);
    layout->addWidget(heading(tr("Accounts needing reconnection"), content));
    layout->addLayout(reconnectRow);
    layout->addWidget(m_reconnectTable);
    layout->addWidget(heading(tr("Uploads"), content));
    layout->addWidget(note(tr("Published out of everything that finished or stopped for your "
                              "action, by when it was queued. Failed and needs-action uploads "
                              "are in the Queue, with what to do."),
                           content));
    layout->addWidget(m_uploadsTable);
    layout->addWidget(heading(tr("Last heard from each platform"), content));
    layout->addWidget(note(tr("This window cannot read the relay's webhook inbox (only the "
                              "relay can). It shows the latest thing the relay recorded from "
                              "each platform for your accounts: a webhook or one of its "
                              "regular checks. Nothing for a long while with posts going out "
                              "may mean webhooks do not reach the relay: tell its operator."),
                           content));
    layout->addWidget(m_heardTable);
    layout->addWidget(heading(tr("Quotas and waits"), content));
    layout->addWidget(m_quotasTable);
    layout->addWidget(m_noQuotas);
    layout->addWidget(heading(tr("Diagnostics for support"), content));
    layout->addWidget(note(tr("One text file with the app and system versions, your settings, "
                              "recent logs, your accounts and your recent queue (states, error "
                              "codes and messages; captions and file paths are left out). "
                              "Tokens, passwords, the device credential and database "
                              "addresses with passwords are removed; the keychain is never "
                              "read."),
                           content));
    layout->addLayout(exportRow);
    layout->addWidget(m_exportResult);
    layout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("healthScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *outer = new QVBoxLayout(this);
    outer->addWidget(createSectionTitle(tr("Health"), this));
    outer->addWidget(m_status);
    outer->addWidget(scroll, 1);

    addQuery(kAccountsSql, {QStringLiteral("oauth_accounts")}, &HealthPage::showAccounts);
    addQuery(kUploadsSql, {QStringLiteral("publications")}, &HealthPage::showUploads);
    addQuery(kHeardSql,
             {QStringLiteral("tiktok_posts"), QStringLiteral("ig_comments"),
              QStringLiteral("ig_media"), QStringLiteral("reddit_comments"),
              QStringLiteral("reddit_posts"), QStringLiteral("x_posts"),
              QStringLiteral("oauth_accounts"), QStringLiteral("audit_log")},
             &HealthPage::showHeard);
    addQuery(kQuotasSql,
             {QStringLiteral("publications"), QStringLiteral("tiktok_posts"),
              QStringLiteral("oauth_accounts")},
             &HealthPage::showQuotas);

    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &HealthPage::refresh);
    showAccounts({});
    showUploads({});
    showHeard({});
    showQuotas({});
    m_answered = 0;
}

LiveQuery *HealthPage::addQuery(const char *sql, const QStringList &tables,
                                void (HealthPage::*showRows)(const QList<QJsonObject> &)) {
    auto *query = new LiveQuery(QString::fromUtf8(sql), tables, kRefreshDelay, this);
    const int bit = 1 << m_queries.size();
    connect(query, &LiveQuery::answered, this,
            [this, showRows, bit](const QList<QJsonObject> &rows) {
                (this->*showRows)(rows);
                m_answered |= bit;
                m_status->clearProblem();
            });
    connect(query, &LiveQuery::failed, this, [this](const QString &message) {
        m_status->showProblem(tr("Could not read your health figures: %1").arg(message));
    });
    m_queries.append(query);
    return query;
}

void HealthPage::setDatabase(store::DesktopDatabase *database) {
    m_answered = 0;
    for (LiveQuery *query : std::as_const(m_queries))
        query->setDatabase(database);
}

void HealthPage::refresh() {
    for (LiveQuery *query : std::as_const(m_queries))
        query->refresh();
}

bool HealthPage::isLoaded() const {
    return m_answered == (1 << kQueryCount) - 1;
}

void HealthPage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    refresh(); // "ago" and "in" moved on while hidden
    m_tick.start();
}

void HealthPage::hideEvent(QHideEvent *event) {
    QWidget::hideEvent(event);
    m_tick.stop();
}

QStringList HealthPage::shownProviders() const {
    // Platforms with an account, and those with uploads even if the account is gone.
    QStringList shown = m_accountProviders;
    for (const QJsonObject &row : m_uploadRows)
        shown.append(row.value(QStringLiteral("provider")).toString());
    return shown;
}

void HealthPage::showAccounts(const QList<QJsonObject> &rows) {
    m_accountProviders.clear();
    m_reconnect.clear();
    m_reconnectTable->setRowCount(0);
    for (const QJsonObject &row : rows) {
        const QString provider = row.value(QStringLiteral("provider")).toString();
        m_accountProviders.append(provider);
        if (row.value(QStringLiteral("status")).toString() != QLatin1String("needs_reconnect"))
            continue;
        const QString name = row.value(QStringLiteral("name")).toString();
        const QString why = HealthFigures::reconnectReasonText(
            provider, row.value(QStringLiteral("status_reason")).toString());
        m_reconnect.append({name, why});
        const int at = m_reconnectTable->rowCount();
        m_reconnectTable->insertRow(at);
        m_reconnectTable->setItem(at, 0, cell(name, true));
        m_reconnectTable->setItem(at, 1, cell(ActivityListModel::platformName(provider)));
        m_reconnectTable->setItem(at, 2, cell(why));
    }
    fitHeight(m_reconnectTable);
    m_reconnectTable->setVisible(!m_reconnect.isEmpty());
    m_openAccounts->setVisible(!m_reconnect.isEmpty());
    m_allConnected->setText(
        m_reconnect.isEmpty()
            ? (rows.isEmpty() ? tr("No account connected yet: connect one in Accounts.")
                              : tr("Every connected account is signed in and working."))
            : (m_reconnect.size() == 1
                   ? tr("1 account can no longer publish until you reconnect it.")
                   : tr("%1 accounts can no longer publish until you reconnect them.")
                         .arg(m_reconnect.size())));
    if (!m_reconnect.isEmpty()) {
        QPalette palette = m_allConnected->palette();
        palette.setColor(QPalette::WindowText, problemColor());
        m_allConnected->setPalette(palette);
    } else {
        m_allConnected->setPalette(QPalette());
    }
    redrawUploads();
    redrawHeard();
}

void HealthPage::showUploads(const QList<QJsonObject> &rows) {
    m_uploadRows = rows;
    redrawUploads();
}

void HealthPage::redrawUploads() {
    m_uploads = HealthFigures::uploads(m_uploadRows, shownProviders());
    m_uploadsTable->setRowCount(int(m_uploads.size()));
    for (int row = 0; row < m_uploads.size(); ++row) {
        const HealthFigures::Uploads &u = m_uploads.at(row);
        m_uploadsTable->setItem(row, 0, cell(ActivityListModel::platformName(u.provider)));
        m_uploadsTable->setItem(
            row, 1,
            cell(HealthFigures::uploadsText(u.lastWeek), HealthFigures::hasProblems(u.lastWeek)));
        m_uploadsTable->setItem(
            row, 2,
            cell(HealthFigures::uploadsText(u.lastMonth), HealthFigures::hasProblems(u.lastMonth)));
    }
    fitHeight(m_uploadsTable);
}

void HealthPage::showHeard(const QList<QJsonObject> &rows) {
    m_heardRows = rows;
    redrawHeard();
}

void HealthPage::redrawHeard() {
    m_heard = HealthFigures::lastHeard(m_heardRows, shownProviders());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_heardTable->setRowCount(int(m_heard.size()));
    for (int row = 0; row < m_heard.size(); ++row) {
        const HealthFigures::Heard &h = m_heard.at(row);
        m_heardTable->setItem(row, 0, cell(ActivityListModel::platformName(h.provider)));
        QTableWidgetItem *when = cell(HealthFigures::agoText(h.at, now));
        if (h.at.isValid())
            when->setToolTip(QLocale().toString(h.at.toLocalTime(), QLocale::LongFormat));
        m_heardTable->setItem(row, 1, when);
        m_heardTable->setItem(row, 2,
                              cell(h.at.isValid() ? HealthFigures::sourceText(h.source)
                                                  : tr("Nothing recorded from this platform "
                                                       "yet.")));
    }
    fitHeight(m_heardTable);
}

void HealthPage::showQuotas(const QList<QJsonObject> &rows) {
    m_quotas = HealthFigures::quotas(rows);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_quotasTable->setRowCount(int(m_quotas.size()));
    for (int row = 0; row < m_quotas.size(); ++row) {
        const HealthFigures::Quota &q = m_quotas.at(row);
        m_quotasTable->setItem(row, 0, cell(ActivityListModel::platformName(q.provider)));
        m_quotasTable->setItem(row, 1, cell(q.account));
        m_quotasTable->setItem(row, 2, cell(HealthFigures::resetText(q.resetsAt, now)));
        m_quotasTable->setItem(row, 3, cell(q.usage, q.exhausted));
    }
    fitHeight(m_quotasTable);
    m_quotasTable->setVisible(!m_quotas.isEmpty());
    m_noQuotas->setVisible(m_quotas.isEmpty());
}

void HealthPage::chooseExportPath() {
    const QString name =
        QStringLiteral("huntaze-diagnostics-%1.txt")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export diagnostics"), QDir::home().filePath(name), tr("Text files (*.txt)"));
    if (!path.isEmpty())
        exportDiagnosticsTo(path);
}

void HealthPage::exportDiagnosticsTo(const QString &path) {
    m_export->setEnabled(false);
    m_exportResult->setText(tr("Writing %1\u2026").arg(QDir::toNativeSeparators(path)));
    m_exportResult->setPalette(QPalette());
    m_exportResult->show();
    Q_EMIT diagnosticsExportRequested(path);
}

void HealthPage::showExportResult(bool ok, const QString &message) {
    m_export->setEnabled(true);
    QPalette palette;
    if (!ok)
        palette.setColor(QPalette::WindowText, problemColor());
    m_exportResult->setPalette(palette);
    m_exportResult->setText(message);
    m_exportResult->show();
}

} // namespace huntaze::ui
