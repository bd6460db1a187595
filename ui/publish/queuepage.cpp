#include "queuepage.h"

#include "jobs/publicationqueue.h"
#include "publicationlistmodel.h"
#include "shell/isoneof.h"
#include "shell/livequery.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr std::chrono::milliseconds kRefreshDelay{200};

constexpr char kQueueSql[] =
    "SELECT p.id, p.provider, p.state, p.caption, p.source_path, p.source_url, "
    "p.bytes_sent, p.bytes_total, p.last_error_code, p.last_error_message, p.permalink, "
    "extract(epoch from p.next_attempt_at)::bigint AS next_attempt_at, p.correlation_id, "
    "COALESCE(p.options->'x'->'images', p.options->'items') AS media_files, "
    "a.display_name, t.status AS tiktok_status FROM publications p "
    "JOIN oauth_accounts a ON a.id = p.account_id "
    "LEFT JOIN tiktok_posts t ON t.publish_id = p.remote_id "
    "ORDER BY p.created_at DESC LIMIT 200";

// The Progress column as a bar with its text ("42 % · 3.1 MB/s · about 12 s left").
class ProgressBarDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        const int percent = index.data(PublicationListModel::PercentRole).toInt();
        if (percent < 0)
            return QStyledItemDelegate::paint(painter, option, index);
        if (option.state & QStyle::State_Selected)
            painter->fillRect(option.rect, option.palette.highlight());
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = percent;
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }
};
} // namespace

QueuePage::QueuePage(QWidget *parent)
    : QWidget(parent)
    , m_live(new LiveQuery(QString::fromUtf8(kQueueSql),
                           {QStringLiteral("publications"), QStringLiteral("tiktok_posts")},
                           kRefreshDelay, this))
    , m_model(new PublicationListModel(this))
    , m_table(new QTableView(this))
    , m_empty(createEmptyStateLabel(
          tr("Nothing is queued yet. Publish a video and follow it here."), this))
    , m_status(new StatusLabel(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_resume(new QPushButton(tr("Resume"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_retry(new QPushButton(tr("Retry"), this)) {
    QLabel *title = createSectionTitle(tr("Queue"), this);

    m_table->setObjectName(QStringLiteral("queueTable"));
    setUpRowTable(m_table, m_model);
    m_table->setItemDelegateForColumn(PublicationListModel::ProgressColumn,
                                      new ProgressBarDelegate(m_table));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(PublicationListModel::ProgressColumn, 260);

    m_empty->setObjectName(QStringLiteral("queueEmpty"));
    m_status->setObjectName(QStringLiteral("queueStatus"));

    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_pause->setToolTip(tr("Stop working on it for now; Resume carries on where it stopped."));
    m_cancel->setToolTip(tr("Stop it for good and withdraw what the platform already holds."));
    m_retry->setToolTip(tr("Try again now."));
    const auto act = [this](void (jobs::PublicationQueue::*action)(qint64)) {
        if (const qint64 id = selectedId(); id > 0 && m_queue)
            (m_queue->*action)(id);
    };
    connect(m_pause, &QPushButton::clicked, this, [act] { act(&jobs::PublicationQueue::pause); });
    connect(m_resume, &QPushButton::clicked, this, [act] { act(&jobs::PublicationQueue::resume); });
    connect(m_retry, &QPushButton::clicked, this, [act] { act(&jobs::PublicationQueue::retry); });
    connect(m_cancel, &QPushButton::clicked, this, &QueuePage::cancelSelected);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_retry);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueuePage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueuePage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &QueuePage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueuePage::updateCountdown);
    connect(m_model, &QAbstractItemModel::modelReset, this,
            [this] { m_empty->setVisible(m_model->rowCount() == 0); });

    connect(m_live, &LiveQuery::answered, this, &QueuePage::showRows);
    // The database answered: a problem it had is over.
    connect(m_live, &LiveQuery::answered, m_status, &StatusLabel::clearProblem);
    connect(m_live, &LiveQuery::failed, m_status, &StatusLabel::showProblem);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        m_model->setCurrentTime(QDateTime::currentDateTimeUtc());
        updateCountdown();
    });
    updateButtons();
}

void QueuePage::setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue) {
    m_queue = queue;
    if (queue) {
        connect(queue, &jobs::PublicationQueue::progress, m_model,
                &PublicationListModel::setProgress);
        connect(queue, &jobs::PublicationQueue::jobFinished, m_live, &LiveQuery::scheduleRefresh);
        connect(queue, &jobs::PublicationQueue::problem, m_status,
                [this](const Error &error) { m_status->showProblem(error.message); });
    }
    updateButtons();
    m_live->setDatabase(database);
}

void QueuePage::refresh() {
    m_live->refresh();
}

void QueuePage::showRows(const QList<QJsonObject> &rows) {
    const qint64 selected = selectedId();
    m_model->setCurrentTime(QDateTime::currentDateTimeUtc());
    m_model->setRows(rows);
    if (selected > 0 && selectedId() != selected) {
        if (const int row = m_model->rowOf(selected); row >= 0)
            m_table->selectRow(row);
    }
    updateCountdown();
    updateButtons();
}

qint64 QueuePage::selectedId() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_model->publicationId(rows.first().row());
}

void QueuePage::updateButtons() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QString state = rows.isEmpty() ? QString() : m_model->state(rows.first().row());
    m_pause->setEnabled(PublicationListModel::isSendingState(state));
    m_resume->setEnabled(state == QLatin1String("paused"));
    m_cancel->setEnabled(!state.isEmpty() && !isOneOf(state, {"published", "cancelled"}));
    m_retry->setEnabled(PublicationListModel::isProblemState(state));
}

void QueuePage::updateCountdown() {
    if (m_model->hasCountdowns()) {
        if (!m_countdown.isActive())
            m_countdown.start();
    } else {
        m_countdown.stop();
    }
}

void QueuePage::cancelSelected() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_queue)
        return;
    const int row = rows.first().row();
    const qint64 id = m_model->publicationId(row);
    if (m_confirmCancel) {
        const QString what =
            m_model->index(row, PublicationListModel::SourceColumn).data().toString();
        const QString account =
            m_model->index(row, PublicationListModel::AccountColumn).data().toString();
        const auto answer = QMessageBox::question(
            this, tr("Cancel publishing?"),
            tr("Stop publishing %1 to %2? Huntaze will not try again, and withdraws what the "
               "platform already received.")
                .arg(what, account),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_queue->cancel(id);
}

} // namespace huntaze::ui
