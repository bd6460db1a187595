#include "redditpublishpage.h"

#include "accountchecklist.h"
#include "backgroundprobe.h"
#include "filedrop.h"
#include "jobs/publicationqueue.h"
#include "kindchoice.h"
#include "net/accesstokens.h"
#include "platforms/reddit/redditclient.h"
#include "platforms/reddit/redditsubmission.h"
#include "publishpagelayout.h"
#include "queuedrafts.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalBlocker>
#include <QUrl>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");
constexpr qint64 kMaxVideoMs = 15 * 60 * 1000; // Reddit's longest video post

// Empty when `text` is a web address Reddit can link to.
QString linkProblem(const QString &text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return RedditPublishPage::tr("Enter the link to post.");
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return RedditPublishPage::tr(
            "The link is not a complete web address: it must start with https://.");
    return {};
}
} // namespace

RedditPublishPage::RedditPublishPage(QWidget *parent)
    : QWidget(parent) {
    m_controls = layOutPublishPage(this, {createAccountsBox(), createPostBox(), createOptionsBox()},
                                   tr("Publish to Reddit"), QStringLiteral("redditPublish"));
    connect(m_controls.button, &QPushButton::clicked, this, &RedditPublishPage::publish);
    setAcceptDrops(true);

    m_flairTimer.setSingleShot(true);
    m_flairTimer.setInterval(kFlairDelayMs);
    connect(&m_flairTimer, &QTimer::timeout, this, &RedditPublishPage::fetchFlairs);

    setAccounts({});
    setFlairs({});
    onKindChanged();
}

QWidget *RedditPublishPage::createAccountsBox() {
    m_accounts = new AccountCheckList(
        tr("Reddit accounts"), tr("No Reddit account is connected yet: connect one in Accounts."),
        QStringLiteral("redditAccounts"), QStringLiteral("redditAccountsEmpty"));
    connect(m_accounts, &AccountCheckList::rowsLoaded, this, &RedditPublishPage::setAccounts);
    connect(m_accounts, &AccountCheckList::loadFailed, this,
            [this](const QString &message) { m_controls.status->showProblem(message); });
    connect(m_accounts, &AccountCheckList::tickedChanged, this, [this] {
        updatePublishState();
        if (!subreddit().isEmpty() && m_flairs.isEmpty())
            m_flairTimer.start(); // flairs are read with an account's token
    });
    return m_accounts;
}

QWidget *RedditPublishPage::createPostBox() {
    auto *box = new QGroupBox(tr("What to post"));
    m_kinds = new KindChoice({{QStringLiteral("self"), tr("Text")},
                              {QStringLiteral("link"), tr("Link")},
                              {QStringLiteral("image"), tr("Image")},
                              {QStringLiteral("video"), tr("Video")}},
                             QStringLiteral("redditKind_"), QStringLiteral("self"), box);
    connect(m_kinds, &KindChoice::kindChanged, this, &RedditPublishPage::onKindChanged);

    m_subreddit = new QLineEdit(box);
    m_subreddit->setObjectName(QStringLiteral("redditSubreddit"));
    m_subreddit->setPlaceholderText(tr("r/subreddit"));
    connect(m_subreddit, &QLineEdit::textEdited, this, &RedditPublishPage::onSubredditEdited);
    connect(m_subreddit, &QLineEdit::textChanged, this, &RedditPublishPage::updatePublishState);
    m_title = new QLineEdit(box);
    m_title->setObjectName(QStringLiteral("redditTitle"));
    m_title->setPlaceholderText(tr("The post's title"));
    connect(m_title, &QLineEdit::textChanged, this, &RedditPublishPage::updateTitleCounter);
    m_titleCounter = new QLabel(box);
    m_titleCounter->setObjectName(QStringLiteral("redditTitleCounter"));
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_titleCounter);
    auto *form = new QFormLayout;
    form->addRow(tr("Subreddit:"), m_subreddit);
    form->addRow(tr("Title:"), titleRow);

    m_bodyPart = new QWidget(box);
    m_body = new QPlainTextEdit(m_bodyPart);
    m_body->setObjectName(QStringLiteral("redditBody"));
    m_body->setPlaceholderText(tr("The post's text (Markdown), optional"));
    m_body->setTabChangesFocus(true);
    m_body->setMaximumHeight(140);
    connect(m_body, &QPlainTextEdit::textChanged, this, &RedditPublishPage::updatePublishState);
    auto *bodyLayout = new QVBoxLayout(m_bodyPart);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(m_body);

    m_linkPart = new QWidget(box);
    m_link = new QLineEdit(m_linkPart);
    m_link->setObjectName(QStringLiteral("redditLink"));
    m_link->setPlaceholderText(tr("https://…"));
    connect(m_link, &QLineEdit::textChanged, this, &RedditPublishPage::updatePublishState);
    auto *linkLayout = new QFormLayout(m_linkPart);
    linkLayout->setContentsMargins(0, 0, 0, 0);
    linkLayout->addRow(tr("Link:"), m_link);

    m_filePart = new QWidget(box);
    m_chooseFile = new QPushButton(tr("Choose a file…"), m_filePart);
    m_chooseFile->setObjectName(QStringLiteral("redditChooseFile"));
    connect(m_chooseFile, &QPushButton::clicked, this, &RedditPublishPage::chooseFile);
    m_fileSummary = new QLabel(m_filePart);
    m_fileSummary->setObjectName(QStringLiteral("redditFileSummary"));
    m_fileSummary->setWordWrap(true);
    m_fileProblems = createProblemLabel(QStringLiteral("redditFileProblems"), m_filePart);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_chooseFile);
    fileRow->addWidget(m_fileSummary, 1);
    auto *fileLayout = new QVBoxLayout(m_filePart);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addLayout(fileRow);
    fileLayout->addWidget(m_fileProblems);

    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_kinds);
    layout->addLayout(form);
    layout->addWidget(m_bodyPart);
    layout->addWidget(m_linkPart);
    layout->addWidget(m_filePart);
    return box;
}

QWidget *RedditPublishPage::createOptionsBox() {
    auto *box = new QGroupBox(tr("Flair and labels"));
    m_flair = new QComboBox(box);
    m_flair->setObjectName(QStringLiteral("redditFlair"));
    connect(m_flair, &QComboBox::currentIndexChanged, this, &RedditPublishPage::onFlairChosen);
    m_flairText = new QLineEdit(box);
    m_flairText->setObjectName(QStringLiteral("redditFlairText"));
    m_flairText->setPlaceholderText(tr("Flair text (this flair lets you write your own)"));
    m_flairStatus = new QLabel(box);
    m_flairStatus->setObjectName(QStringLiteral("redditFlairStatus"));
    m_flairStatus->setWordWrap(true);
    m_nsfw = new QCheckBox(tr("NSFW (not safe for work)"), box);
    m_nsfw->setObjectName(QStringLiteral("redditNsfw"));
    m_spoiler = new QCheckBox(tr("Spoiler"), box);
    m_spoiler->setObjectName(QStringLiteral("redditSpoiler"));
    auto *form = new QFormLayout;
    form->addRow(tr("Flair:"), m_flair);
    form->addRow(QString(), m_flairText);
    auto *labels = new QHBoxLayout;
    labels->addWidget(m_nsfw);
    labels->addWidget(m_spoiler);
    labels->addStretch();
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(m_flairStatus);
    layout->addLayout(labels);
    return box;
}

void RedditPublishPage::setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                                    net::AccessTokens *tokens, reddit::RedditClient *reddit) {
    m_queue = queue;
    m_tokens = tokens;
    m_reddit = reddit;
    m_accounts->loadFrom(database, QStringLiteral("reddit"), QStringLiteral("username, id"));
    updatePublishState();
}

void RedditPublishPage::refresh() {
    m_accounts->reload();
    updatePublishState();
}

void RedditPublishPage::setAccounts(const QList<QJsonObject> &rows) {
    QList<AccountCheckList::Account> accounts;
    for (const QJsonObject &row : rows) {
        const QString username = row.value(QStringLiteral("username")).toString();
        accounts.append({row.value(QStringLiteral("id")).toString().toLongLong(),
                         username.isEmpty() ? row.value(QStringLiteral("display_name")).toString()
                                            : QString(QStringLiteral("u/") + username)});
    }
    m_accounts->setAccounts(accounts);
    updatePublishState();
}

QList<qint64> RedditPublishPage::tickedAccountIds() const {
    return m_accounts->tickedAccountIds();
}

QString RedditPublishPage::subreddit() const {
    return reddit::RedditSubmission::normaliseSubreddit(m_subreddit->text());
}

void RedditPublishPage::setKind(const QString &kind) {
    m_kinds->setKind(kind);
}

QString RedditPublishPage::kind() const {
    return m_kinds->kind();
}

void RedditPublishPage::onKindChanged() {
    if (!m_filePart)
        return; // still building the page
    const QString k = kind();
    m_bodyPart->setVisible(k == QLatin1String("self"));
    m_linkPart->setVisible(k == QLatin1String("link"));
    m_filePart->setVisible(k == QLatin1String("image") || k == QLatin1String("video"));
    m_chooseFile->setText(k == QLatin1String("video") ? tr("Choose a video…")
                                                      : tr("Choose an image…"));
    showFile(); // an image chosen for a video post is a problem, and the other way round
}

// ---- flairs ----

void RedditPublishPage::onSubredditEdited() {
    ++m_flairSerial; // flairs of the previous name no longer apply
    setFlairs({});
    if (!subreddit().isEmpty())
        m_flairTimer.start();
}

void RedditPublishPage::fetchFlairs() {
    const QString name = subreddit();
    const QList<qint64> ids = tickedAccountIds();
    if (name.isEmpty())
        return;
    if (!m_tokens || !m_reddit) {
        m_flairStatus->setText(
            tr("Flairs are offered once Huntaze is connected to its relay; you can post "
               "without one."));
        return;
    }
    if (ids.isEmpty()) {
        m_flairStatus->setText(tr("Tick a Reddit account to see the flairs of r/%1.").arg(name));
        return;
    }
    const quint64 serial = ++m_flairSerial;
    const qint64 account = ids.first();
    m_flairStatus->setText(tr("Looking up the flairs of r/%1…").arg(name));
    QPointer self(this);
    m_tokens->get(account, false, [self, serial, account, name](Result<QByteArray> token) {
        if (!self || serial != self->m_flairSerial)
            return;
        if (!token) {
            self->m_flairStatus->setText(token.error().message);
            return;
        }
        self->m_reddit->flairs(
            QString::number(account), *token, name,
            [self, serial, name](Result<QList<reddit::Flair>> flairs) {
                if (!self || serial != self->m_flairSerial)
                    return;
                if (!flairs) {
                    // A subreddit without flairs answers 403/404 here: posting still works.
                    self->setFlairs({});
                    self->m_flairStatus->setText(
                        tr("No flairs for r/%1: %2").arg(name, flairs.error().message));
                    return;
                }
                self->setFlairs(*flairs);
            });
    });
}

void RedditPublishPage::setFlairs(const QList<reddit::Flair> &flairs) {
    m_flairs.clear();
    for (const reddit::Flair &flair : flairs)
        if (!flair.modOnly && !flair.id.isEmpty()) // only moderators may set these
            m_flairs.append(flair);
    {
        const QSignalBlocker blocker(m_flair);
        m_flair->clear();
        m_flair->addItem(tr("No flair"), QString());
        for (const reddit::Flair &flair : std::as_const(m_flairs))
            m_flair->addItem(flair.text.isEmpty() ? tr("(flair without text)") : flair.text,
                             flair.id);
    }
    m_flair->setEnabled(!m_flairs.isEmpty());
    m_flairStatus->setText(
        m_flairs.isEmpty() || subreddit().isEmpty()
            ? QString()
            : tr("Flairs offered by r/%1: %2.").arg(subreddit()).arg(m_flairs.size()));
    onFlairChosen();
}

void RedditPublishPage::onFlairChosen() {
    const int index = m_flair->currentIndex() - 1; // item 0 is "No flair"
    const bool editable = index >= 0 && index < m_flairs.size() && m_flairs.at(index).textEditable;
    // Free text only where the subreddit allows it for that flair.
    m_flairText->setVisible(editable);
    if (!editable)
        m_flairText->clear();
    else
        m_flairText->setPlaceholderText(m_flairs.at(index).text);
}

// ---- the file ----

void RedditPublishPage::chooseFile() {
    const bool video = kind() == QLatin1String("video");
    const QString path = QFileDialog::getOpenFileName(
        this, video ? tr("Choose a video") : tr("Choose an image"), QString(),
        video ? tr("Videos (*.mp4 *.mov)") : tr("Images (*.jpg *.jpeg *.png *.gif)"));
    if (!path.isEmpty())
        setFile(path);
}

void RedditPublishPage::dragEnterEvent(QDragEnterEvent *event) {
    acceptDroppedFile(event);
}

void RedditPublishPage::dropEvent(QDropEvent *event) {
    const QString path = acceptDroppedFile(event);
    if (path.isEmpty())
        return;
    // A dropped file says what kind of post it makes.
    setKind(imageFormatOf(path).isEmpty() ? QStringLiteral("video") : QStringLiteral("image"));
    setFile(path);
}

void RedditPublishPage::setFile(const QString &path) {
    const quint64 serial = ++m_probeSerial; // a probe still running is for another file
    m_filePath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    m_fileBytes = 0;
    m_imageFormat.clear();
    m_fileError.clear();
    m_probeError.clear();
    m_video.reset();
    m_probing = false;
    if (m_filePath.isEmpty())
        return showFile();
    m_fileError = unreadableFileProblem(m_filePath);
    if (!m_fileError.isEmpty())
        return showFile();
    m_fileBytes = QFileInfo(m_filePath).size();
    m_imageFormat = imageFormatOf(m_filePath);
    if (!m_imageFormat.isEmpty())
        return showFile();
    // Not an image: libavformat reads it, never on the GUI thread.
    m_probing = true;
    showFile();
    probeInBackground(this, m_filePath,
                      [this, serial](std::optional<media::MediaInfo> info, QString error) {
                          if (serial != m_probeSerial)
                              return;
                          m_probing = false;
                          m_video = info;
                          m_probeError = error;
                          showFile();
                      });
}

QStringList RedditPublishPage::fileProblems() const {
    const QString k = kind();
    if (m_filePath.isEmpty() || m_probing ||
        (k != QLatin1String("image") && k != QLatin1String("video")))
        return {};
    if (!m_fileError.isEmpty())
        return {m_fileError};
    if (k == QLatin1String("image")) {
        if (m_imageFormat.isEmpty())
            return {tr("This file is not an image. Choose a JPEG, PNG or GIF image, or choose "
                       "\"Video\" for a video.")};
        if (m_imageFormat != QLatin1String("jpeg") && m_imageFormat != QLatin1String("png") &&
            m_imageFormat != QLatin1String("gif"))
            return {tr("Reddit takes JPEG, PNG and GIF images; this one is %1. Convert it, then "
                       "choose it again.")
                        .arg(m_imageFormat.toUpper())};
        return {};
    }
    if (!m_imageFormat.isEmpty())
        return {tr("This file is an image. Choose \"Image\" to post it, or choose a video.")};
    if (!m_probeError.isEmpty())
        return {m_probeError};
    if (!m_video || !m_video->hasVideo)
        return {tr("This file holds no video Huntaze can read. Choose an MP4 or MOV video.")};
    QStringList problems;
    if (m_video->uploadContentType != QLatin1String("video/mp4") &&
        m_video->uploadContentType != QLatin1String("video/quicktime"))
        problems << tr("Reddit takes MP4 and MOV videos: export the video as MP4.");
    if (m_video->durationMs > kMaxVideoMs)
        problems << tr("Reddit takes videos of up to 15 minutes: trim this one.");
    return problems;
}

void RedditPublishPage::showFile() {
    if (m_filePath.isEmpty())
        m_fileSummary->setText(tr("No file chosen: choose one, or drop it here."));
    else if (m_probing)
        m_fileSummary->setText(tr("Checking %1…").arg(QFileInfo(m_filePath).fileName()));
    else
        m_fileSummary->setText(tr("%1 · %2").arg(
            QFileInfo(m_filePath).fileName(),
            QLocale().formattedDataSize(m_fileBytes, 1, QLocale::DataSizeSIFormat)));
    const QStringList problems = fileProblems();
    m_fileProblems->setText(problems.join(QLatin1Char('\n')));
    m_fileProblems->setVisible(!problems.isEmpty());
    updatePublishState();
}

// ---- checks and Publish ----

void RedditPublishPage::updateTitleCounter() {
    // Reddit counts characters (code points), as RedditSubmission::check does.
    const qsizetype length = m_title->text().toUcs4().size();
    m_titleCounter->setText(tr("%1 / %2").arg(length).arg(reddit::RedditSubmission::kMaxTitle));
    m_titleCounter->setStyleSheet(length > reddit::RedditSubmission::kMaxTitle ? kProblemStyle
                                                                               : QString());
    updatePublishState();
}

QStringList RedditPublishPage::publishBlockers() const {
    QStringList blockers;
    const QString k = kind();
    const bool media = k == QLatin1String("image") || k == QLatin1String("video");
    reddit::Submission submission;
    submission.subreddit = m_subreddit->text();
    submission.title = m_title->text();
    submission.text = m_body->toPlainText();
    submission.kind = k == QLatin1String("link")    ? reddit::PostKind::Link
                      : k == QLatin1String("image") ? reddit::PostKind::Image
                      : k == QLatin1String("video") ? reddit::PostKind::Video
                                                    : reddit::PostKind::Self;
    // The media's URL (and a video's poster) exist only once the job uploaded them: the
    // file is checked below instead, so Reddit's own check sees them as given.
    submission.url = media ? QStringLiteral("https://upload.invalid/file") : m_link->text();
    submission.videoPosterUrl = QStringLiteral("https://upload.invalid/poster");
    if (const auto problem = reddit::RedditSubmission::check(submission))
        blockers << problem->message;
    if (k == QLatin1String("link") && !m_link->text().trimmed().isEmpty())
        if (const QString problem = linkProblem(m_link->text()); !problem.isEmpty())
            blockers << problem;
    if (media) {
        if (m_filePath.isEmpty())
            blockers << (k == QLatin1String("video") ? tr("Choose the video to post.")
                                                     : tr("Choose the image to post."));
        else if (m_probing)
            blockers << tr("Checking the file…");
        else if (!fileProblems().isEmpty())
            blockers << tr("Fix the problems with the file first.");
    }
    if (tickedAccountIds().isEmpty())
        blockers << tr("Tick at least one Reddit account.");
    blockers << queueBlockers(m_queue, m_publishing);
    return blockers;
}

void RedditPublishPage::updatePublishState() {
    if (!m_controls.button)
        return; // still building the page
    showBlockers(m_controls.button, m_controls.hint, publishBlockers());
}

jobs::PublicationDraft RedditPublishPage::buildDraft() const {
    const QString k = kind();
    jobs::PublicationDraft draft;
    draft.accountIds = tickedAccountIds();
    draft.kind = k;
    if (k == QLatin1String("self"))
        draft.caption = m_body->toPlainText(); // other kinds carry no text on Reddit
    else if (k == QLatin1String("link"))
        draft.sourceUrl = m_link->text().trimmed();
    else {
        draft.filePath = m_filePath;
        draft.fileSize = m_fileBytes;
    }
    const QString flairId = m_flair->currentData().toString();
    draft.options.insert(
        QStringLiteral("reddit"),
        QJsonObject{{QStringLiteral("subreddit"), subreddit()},
                    {QStringLiteral("title"), m_title->text().trimmed()},
                    {QStringLiteral("flair_id"), flairId},
                    {QStringLiteral("flair_text"),
                     flairId.isEmpty() ? QString() : m_flairText->text().trimmed()},
                    {QStringLiteral("nsfw"), m_nsfw->isChecked()},
                    {QStringLiteral("spoiler"), m_spoiler->isChecked()}});
    return draft;
}

void RedditPublishPage::publish() {
    if (!publishBlockers().isEmpty() || !m_queue)
        return;
    queueDrafts(
        this, m_queue, {buildDraft()}, &m_publishing, m_controls.status,
        [this] { updatePublishState(); },
        [this](const QList<qint64> &ids) {
            // So the same post is not queued twice by accident; the subreddit and flair stay.
            m_title->clear();
            m_body->clear();
            m_link->clear();
            setFile(QString());
            m_controls.status->showNote(tr("Queued: follow it in Queue."));
            updatePublishState();
            Q_EMIT published(ids);
        });
}

} // namespace huntaze::ui
