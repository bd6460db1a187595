#include "xpublishpage.h"

#include "accountchecklist.h"
#include "backgroundprobe.h"
#include "filedrop.h"
#include "jobs/publicationqueue.h"
#include "platforms/x/xpostrequest.h"
#include "platforms/x/xtextweight.h"
#include "publishpagelayout.h"
#include "queuedrafts.h"
#include "shell/problemcolor.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"

#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");

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
} // namespace

XPublishPage::XPublishPage(QWidget *parent)
    : QWidget(parent) {
    m_controls = layOutPublishPage(this, {createAccountsBox(), createTextBox(), createMediaBox()},
                                   tr("Post to X"), QStringLiteral("xPublish"));
    connect(m_controls.button, &QPushButton::clicked, this, &XPublishPage::publish);
    setAcceptDrops(true);
    setAccounts({});
    showFiles();
    updateCounter();
}

QWidget *XPublishPage::createAccountsBox() {
    m_accounts = new AccountCheckList(
        tr("X accounts"), tr("No X account is connected yet: connect one in Accounts."),
        QStringLiteral("xAccounts"), QStringLiteral("xAccountsEmpty"));
    connect(m_accounts, &AccountCheckList::rowsLoaded, this, &XPublishPage::setAccounts);
    connect(m_accounts, &AccountCheckList::loadFailed, this,
            [this](const QString &message) { m_controls.status->showProblem(message); });
    connect(m_accounts, &AccountCheckList::tickedChanged, this, &XPublishPage::updatePublishState);
    return m_accounts;
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
    m_mediaProblems = createProblemLabel(QStringLiteral("xMediaProblems"), box);
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
    m_queue = queue;
    m_accounts->loadFrom(database, QStringLiteral("x"), QStringLiteral("username, id"));
    updatePublishState();
}

void XPublishPage::refresh() {
    m_accounts->reload();
    updatePublishState();
}

void XPublishPage::setAccounts(const QList<QJsonObject> &rows) {
    QList<AccountCheckList::Account> accounts;
    for (const QJsonObject &row : rows)
        accounts.append(
            {row.value(QStringLiteral("id")).toString().toLongLong(), accountLabel(row)});
    m_accounts->setAccounts(accounts);
    updatePublishState();
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
    acceptDroppedFiles(event);
}

void XPublishPage::dropEvent(QDropEvent *event) {
    for (const QString &path : acceptDroppedFiles(event))
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
    probeInBackground(
        this, attachment.path,
        [this, serial = attachment.serial](std::optional<media::MediaInfo> info, QString error) {
            for (Attachment &it : m_attachments) {
                if (it.serial != serial)
                    continue;
                it.probing = false;
                it.problem = info ? x::checkVideo(*info).join(QLatin1Char(' ')) : error;
            }
            showFiles();
        });
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
                item->setForeground(problemColor());
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
    if (m_accounts->tickedAccountIds().isEmpty())
        blockers << tr("Tick at least one X account.");
    blockers << queueBlockers(m_queue, m_publishing);
    return blockers;
}

void XPublishPage::updatePublishState() {
    if (!m_controls.button)
        return; // still building the page
    showBlockers(m_controls.button, m_controls.hint, publishBlockers());
}

jobs::PublicationDraft XPublishPage::buildDraft() const {
    jobs::PublicationDraft draft;
    draft.accountIds = m_accounts->tickedAccountIds();
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
    queueDrafts(
        this, m_queue, {buildDraft()}, &m_publishing, m_controls.status,
        [this] { updatePublishState(); },
        [this](const QList<qint64> &ids) {
            // X refuses the same text twice anyway: the page starts afresh.
            m_text->clear();
            clearFiles();
            m_controls.status->showNote(tr("Queued: follow it in Queue."));
            updatePublishState();
            Q_EMIT published(ids);
        });
}

} // namespace huntaze::ui
