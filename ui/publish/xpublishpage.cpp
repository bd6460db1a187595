#include "xpublishpage.h"

#include "jobs/publicationqueue.h"
#include "media/mediaprobe.h"
#include "platforms/x/xpostrequest.h"
#include "platforms/x/xtextweight.h"
#include "shell/sectionparts.h"
#include "store/desktopdatabase.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");

struct Probe {
    std::optional<media::MediaInfo> info;
    QString error;
};

QString categoryLabel(x::MediaCategory category) {
    switch (category) {
    case x::MediaCategory::Image:
        return XPublishPage::tr("photo");
    case x::MediaCategory::Gif:
        return XPublishPage::tr("GIF");
    case x::MediaCategory::Video:
        break;
    }
    return XPublishPage::tr("video");
}

QStringList droppedFiles(const QMimeData *mime) {
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    return paths;
}
} // namespace

XPublishPage::XPublishPage(QWidget *parent)
    : QWidget(parent) {
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(createAccountsBox());
    layout->addWidget(createTextBox());
    layout->addWidget(createMediaBox());
    m_publishHint = new QLabel;
    m_publishHint->setObjectName(QStringLiteral("xPublishHint"));
    m_publishHint->setWordWrap(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("xPublishStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    m_publish = new QPushButton(tr("Post to X"));
    m_publish->setObjectName(QStringLiteral("xPublishButton"));
    connect(m_publish, &QPushButton::clicked, this, &XPublishPage::publish);
    auto *row = new QHBoxLayout;
    row->addWidget(m_publishHint, 1);
    row->addWidget(m_publish);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    setAcceptDrops(true);
    setAccounts({});
    showFiles();
    updateCounter();
}

QWidget *XPublishPage::createAccountsBox() {
    auto *box = new QGroupBox(tr("X accounts"));
    m_accounts = new QListWidget(box);
    m_accounts->setObjectName(QStringLiteral("xAccounts"));
    m_accounts->setMaximumHeight(110);
    connect(m_accounts, &QListWidget::itemChanged, this, &XPublishPage::updatePublishState);
    m_noAccounts = new QLabel(tr("No X account is connected yet: connect one in Accounts."), box);
    m_noAccounts->setObjectName(QStringLiteral("xAccountsEmpty"));
    m_noAccounts->setWordWrap(true);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_noAccounts);
    layout->addWidget(m_accounts);
    return box;
}

QWidget *XPublishPage::createTextBox() {
    auto *box = new QGroupBox(tr("Post"));
    m_text = new QPlainTextEdit(box);
    m_text->setObjectName(QStringLiteral("xText"));
    m_text->setPlaceholderText(tr("What is happening?"));
    m_text->setTabChangesFocus(true);
    m_text->setMaximumHeight(130);
    connect(m_text, &QPlainTextEdit::textChanged, this, &XPublishPage::updateCounter);
    m_counter = new QLabel(box);
    m_counter->setObjectName(QStringLiteral("xCounter"));
    m_counter->setToolTip(tr("Counted as X counts: a link is always 23 characters, emoji and "
                             "Chinese, Japanese or Korean characters count 2."));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_text);
    layout->addWidget(m_counter, 0, Qt::AlignRight);
    return box;
}

QWidget *XPublishPage::createMediaBox() {
    auto *box = new QGroupBox(tr("Media"));
    auto *hint = new QLabel(tr("Up to 4 photos, or one GIF, or one video. Choose files or drop "
                               "them here."),
                            box);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_files = new QListWidget(box);
    m_files->setObjectName(QStringLiteral("xFiles"));
    m_files->setMaximumHeight(110);
    connect(m_files, &QListWidget::currentRowChanged, this,
            [this](int row) { m_removeFile->setEnabled(row >= 0); });
    m_addFiles = new QPushButton(tr("Add photos, a GIF or a video…"), box);
    m_addFiles->setObjectName(QStringLiteral("xAddFiles"));
    connect(m_addFiles, &QPushButton::clicked, this, &XPublishPage::chooseFiles);
    m_removeFile = new QPushButton(tr("Remove"), box);
    m_removeFile->setObjectName(QStringLiteral("xRemoveFile"));
    m_removeFile->setEnabled(false);
    connect(m_removeFile, &QPushButton::clicked, this,
            [this] { removeFile(m_files->currentRow()); });
    m_mediaProblems = new QLabel(box);
    m_mediaProblems->setObjectName(QStringLiteral("xMediaProblems"));
    m_mediaProblems->setWordWrap(true);
    m_mediaProblems->setStyleSheet(kProblemStyle);
    m_mediaProblems->hide();
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addFiles);
    buttons->addWidget(m_removeFile);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(hint);
    layout->addWidget(m_files);
    layout->addLayout(buttons);
    layout->addWidget(m_mediaProblems);
    return box;
}

void XPublishPage::setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue) {
    m_database = database;
    m_queue = queue;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("oauth_accounts"))
                refresh();
        });
    refresh();
}

void XPublishPage::refresh() {
    if (!m_database)
        return updatePublishState();
    QPointer self(this);
    m_database->query(QStringLiteral("SELECT id, display_name, username FROM oauth_accounts "
                                     "WHERE provider = 'x' AND status = 'active' "
                                     "ORDER BY username, id"),
                      {}, [self](const Result<QList<QJsonObject>> &rows) {
                          if (!self)
                              return;
                          if (!rows)
                              return self->showStatus(rows.error().message, true);
                          self->setAccounts(*rows);
                      });
}

void XPublishPage::setAccounts(const QList<QJsonObject> &accounts) {
    const QList<qint64> ticked = tickedAccountIds();
    {
        const QSignalBlocker blocker(m_accounts);
        m_accounts->clear();
        for (const QJsonObject &row : accounts) {
            const qint64 id = row.value(QStringLiteral("id")).toString().toLongLong();
            const QString username = row.value(QStringLiteral("username")).toString();
            const QString name = row.value(QStringLiteral("display_name")).toString();
            QString label = username.isEmpty() ? name : QString(QLatin1Char('@') + username);
            if (!name.isEmpty() && !username.isEmpty())
                label = QString(name + QStringLiteral(" (@") + username + QLatin1Char(')'));
            auto *item = new QListWidgetItem(label, m_accounts);
            item->setData(Qt::UserRole, id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(ticked.contains(id) || accounts.size() == 1 ? Qt::Checked
                                                                            : Qt::Unchecked);
        }
    }
    m_noAccounts->setVisible(accounts.isEmpty());
    m_accounts->setVisible(!accounts.isEmpty());
    updatePublishState();
}

QList<qint64> XPublishPage::tickedAccountIds() const {
    QList<qint64> ids;
    for (int row = 0; row < m_accounts->count(); ++row)
        if (m_accounts->item(row)->checkState() == Qt::Checked)
            ids.append(m_accounts->item(row)->data(Qt::UserRole).toLongLong());
    return ids;
}

// ---- media ----

void XPublishPage::chooseFiles() {
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Choose photos, a GIF or a video"), QString(),
        tr("Photos, GIFs and videos (*.jpg *.jpeg *.png *.webp *.gif *.mp4 *.mov)"));
    for (const QString &path : paths)
        addFile(path);
}

void XPublishPage::dragEnterEvent(QDragEnterEvent *event) {
    if (droppedFiles(event->mimeData()).isEmpty())
        return event->ignore();
    event->acceptProposedAction();
}

void XPublishPage::dropEvent(QDropEvent *event) {
    const QStringList paths = droppedFiles(event->mimeData());
    if (paths.isEmpty())
        return event->ignore();
    event->acceptProposedAction();
    for (const QString &path : paths)
        addFile(path);
}

void XPublishPage::addFile(const QString &path) {
    static quint64 serials = 0;
    Attachment attachment;
    attachment.path = QFileInfo(path).absoluteFilePath();
    attachment.serial = ++serials;
    // The first bytes say what the file is, whatever its name says.
    Result<x::MediaFile> described = x::describeMediaFile(attachment.path);
    if (!described) {
        attachment.problem = described.error().message;
    } else {
        attachment.file = *described;
        attachment.probing = described->category == x::MediaCategory::Video;
    }
    m_attachments.append(attachment);
    showFiles();
    if (!attachment.probing)
        return;
    auto *watcher = new QFutureWatcher<Probe>(this);
    connect(watcher, &QFutureWatcher<Probe>::finished, this,
            [this, watcher, serial = attachment.serial] {
                watcher->deleteLater();
                const Probe probe = watcher->result();
                for (Attachment &it : m_attachments) {
                    if (it.serial != serial)
                        continue;
                    it.probing = false;
                    it.problem = probe.info ? x::checkVideo(*probe.info).join(QLatin1Char(' '))
                                            : probe.error;
                }
                showFiles();
            });
    watcher->setFuture(QtConcurrent::run([path = attachment.path] {
        Probe probe;
        if (auto probed = media::probeMedia(path))
            probe.info = *probed;
        else
            probe.error = probed.error().message;
        return probe;
    }));
}

void XPublishPage::removeFile(int index) {
    if (index < 0 || index >= m_attachments.size())
        return;
    m_attachments.removeAt(index);
    showFiles();
}

void XPublishPage::clearFiles() {
    m_attachments.clear();
    showFiles();
}

QString XPublishPage::setProblem() const {
    QList<x::MediaCategory> categories;
    for (const Attachment &attachment : m_attachments)
        if (attachment.file)
            categories << attachment.file->category;
    const Result<void> checked = x::checkMediaSet(categories);
    return checked ? QString() : checked.error().message;
}

void XPublishPage::showFiles() {
    QStringList problems;
    {
        const QSignalBlocker blocker(m_files);
        m_files->clear();
        const QLocale locale;
        for (qsizetype i = 0; i < m_attachments.size(); ++i) {
            const Attachment &attachment = m_attachments.at(i);
            const QString name = QFileInfo(attachment.path).fileName();
            QString text = QStringLiteral("%1. %2").arg(i + 1).arg(name);
            if (attachment.file)
                text +=
                    QStringLiteral(" · ") + categoryLabel(attachment.file->category) +
                    QStringLiteral(" · ") +
                    locale.formattedDataSize(attachment.file->size, 1, QLocale::DataSizeSIFormat);
            if (attachment.probing)
                text += tr(" — checking…");
            auto *item = new QListWidgetItem(text, m_files);
            if (!attachment.problem.isEmpty()) {
                item->setForeground(QColor(0xb0, 0x00, 0x20));
                problems << tr("%1: %2").arg(name, attachment.problem);
            }
        }
    }
    if (const QString combination = setProblem(); !combination.isEmpty())
        problems << combination;
    m_mediaProblems->setText(problems.join(QLatin1Char('\n')));
    m_mediaProblems->setVisible(!problems.isEmpty());
    m_removeFile->setEnabled(m_files->currentRow() >= 0);
    updatePublishState();
}

QString XPublishPage::kind() const {
    QString kind = QStringLiteral("text");
    for (const Attachment &attachment : m_attachments) {
        if (!attachment.file)
            continue;
        if (attachment.file->category == x::MediaCategory::Video)
            return QStringLiteral("video");
        if (attachment.file->category == x::MediaCategory::Gif)
            kind = QStringLiteral("gif");
        else if (kind == QLatin1String("text"))
            kind = QStringLiteral("images");
    }
    return kind;
}

// ---- text, checks and Publish ----

void XPublishPage::updateCounter() {
    const int length = x::weightedLength(m_text->toPlainText());
    m_counter->setText(tr("%1 / %2").arg(length).arg(x::kMaxWeightedLength));
    m_counter->setStyleSheet(length > x::kMaxWeightedLength ? kProblemStyle : QString());
    updatePublishState();
}

QStringList XPublishPage::publishBlockers() const {
    QStringList blockers;
    const QString text = m_text->toPlainText();
    const int length = x::weightedLength(text);
    if (length > x::kMaxWeightedLength)
        blockers << tr("The post is %1 characters too long for X (%2 at most; a link counts 23, "
                       "an emoji 2). Shorten it.")
                        .arg(length - x::kMaxWeightedLength)
                        .arg(x::kMaxWeightedLength);
    // X's own rules for the request; the media ids exist only once the job uploaded them.
    // The length was reported above: a stand-in text keeps it from being reported twice.
    x::PostRequest post;
    post.text = length > x::kMaxWeightedLength ? QStringLiteral("-") : text;
    for (const Attachment &attachment : m_attachments)
        if (attachment.file)
            post.mediaIds << QStringLiteral("1");
    if (post.mediaIds.size() > 4)
        post.mediaIds = post.mediaIds.mid(0, 4); // the combination is reported below
    if (const auto body = x::postJson(post); !body)
        blockers << body.error().message;
    for (const Attachment &attachment : m_attachments) {
        if (attachment.probing) {
            blockers << tr("Checking the video…");
            break;
        }
        if (!attachment.problem.isEmpty()) {
            blockers << tr("Fix the problems with the attached files first.");
            break;
        }
    }
    if (const QString combination = setProblem(); !combination.isEmpty())
        blockers << combination;
    if (tickedAccountIds().isEmpty())
        blockers << tr("Tick at least one X account.");
    if (!m_queue)
        blockers << tr("Publishing is available once Huntaze is connected to its database.");
    if (m_publishing)
        blockers << tr("Adding it to the queue…");
    return blockers;
}

void XPublishPage::updatePublishState() {
    if (!m_publish)
        return; // still building the page
    showBlockers(m_publish, m_publishHint, publishBlockers());
}

jobs::PublicationDraft XPublishPage::buildDraft() const {
    jobs::PublicationDraft draft;
    draft.accountIds = tickedAccountIds();
    draft.kind = kind();
    draft.caption = m_text->toPlainText();
    if (draft.kind == QLatin1String("images")) {
        QStringList images;
        for (const Attachment &attachment : m_attachments)
            if (attachment.file) {
                images << attachment.path;
                draft.fileSize += attachment.file->size;
            }
        draft.options.insert(
            QStringLiteral("x"),
            QJsonObject{{QStringLiteral("images"), QJsonArray::fromStringList(images)}});
    } else if (draft.kind != QLatin1String("text")) {
        for (const Attachment &attachment : m_attachments)
            if (attachment.file) {
                draft.filePath = attachment.path;
                draft.fileSize = attachment.file->size;
            }
    }
    return draft;
}

void XPublishPage::publish() {
    if (!publishBlockers().isEmpty() || !m_queue)
        return;
    m_publishing = true;
    showStatus(tr("Adding it to the queue…"), false);
    updatePublishState();
    QPointer self(this);
    m_queue->enqueue(buildDraft(), [self](Result<QList<qint64>> queued) {
        if (!self)
            return;
        self->m_publishing = false;
        if (!queued) {
            self->showStatus(queued.error().message, true);
            return self->updatePublishState();
        }
        // X refuses the same text twice anyway: the page starts afresh.
        self->m_text->clear();
        self->clearFiles();
        self->showStatus(tr("Queued: follow it in Queue."), false);
        self->updatePublishState();
        Q_EMIT self->published(*queued);
    });
}

void XPublishPage::showStatus(const QString &text, bool problem) {
    m_status->setText(text);
    m_status->setStyleSheet(problem ? kProblemStyle : QString());
    m_status->setVisible(!text.isEmpty());
}

} // namespace huntaze::ui
