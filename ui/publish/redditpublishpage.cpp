#include "redditpublishpage.h"

#include "jobs/publicationqueue.h"
#include "media/mediaprobe.h"
#include "net/accesstokens.h"
#include "platforms/reddit/redditclient.h"
#include "platforms/reddit/redditsubmission.h"
#include "shell/sectionparts.h"
#include "store/desktopdatabase.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");
constexpr qint64 kMaxVideoMs = 15 * 60 * 1000; // Reddit's longest video post

struct Probe {
    std::optional<media::MediaInfo> info;
    QString error;
};

QString droppedFile(const QMimeData *mime) {
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 ||
        !mime->urls().first().isLocalFile())
        return {};
    return mime->urls().first().toLocalFile();
}

// The image format the file's bytes show (never its name): jpeg, png, gif, ...
QString imageFormatOf(const QString &path) {
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    return reader.canRead() ? QString::fromLatin1(reader.format()).toLower() : QString();
}

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
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(createAccountsBox());
    layout->addWidget(createPostBox());
    layout->addWidget(createOptionsBox());
    m_publishHint = new QLabel;
    m_publishHint->setObjectName(QStringLiteral("redditPublishHint"));
    m_publishHint->setWordWrap(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("redditPublishStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    m_publish = new QPushButton(tr("Publish to Reddit"));
    m_publish->setObjectName(QStringLiteral("redditPublishButton"));
    connect(m_publish, &QPushButton::clicked, this, &RedditPublishPage::publish);
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

    m_flairTimer.setSingleShot(true);
    m_flairTimer.setInterval(kFlairDelayMs);
    connect(&m_flairTimer, &QTimer::timeout, this, &RedditPublishPage::fetchFlairs);

    setAccounts({});
    setFlairs({});
    onKindChanged();
}

QWidget *RedditPublishPage::createAccountsBox() {
    auto *box = new QGroupBox(tr("Reddit accounts"));
    m_accounts = new QListWidget(box);
    m_accounts->setObjectName(QStringLiteral("redditAccounts"));
    m_accounts->setMaximumHeight(110);
    connect(m_accounts, &QListWidget::itemChanged, this, [this] {
        updatePublishState();
        if (!subreddit().isEmpty() && m_flairs.isEmpty())
            m_flairTimer.start(); // flairs are read with an account's token
    });
    m_noAccounts =
        new QLabel(tr("No Reddit account is connected yet: connect one in Accounts."), box);
    m_noAccounts->setObjectName(QStringLiteral("redditAccountsEmpty"));
    m_noAccounts->setWordWrap(true);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_noAccounts);
    layout->addWidget(m_accounts);
    return box;
}

QWidget *RedditPublishPage::createPostBox() {
    auto *box = new QGroupBox(tr("What to post"));
    auto *kinds = new QHBoxLayout;
    auto *group = new QButtonGroup(box);
    const QList<std::pair<QString, QString>> names{{QStringLiteral("self"), tr("Text")},
                                                   {QStringLiteral("link"), tr("Link")},
                                                   {QStringLiteral("image"), tr("Image")},
                                                   {QStringLiteral("video"), tr("Video")}};
    for (const auto &[key, label] : names) {
        auto *button = new QRadioButton(label, box);
        button->setObjectName(QStringLiteral("redditKind_") + key);
        group->addButton(button);
        kinds->addWidget(button);
        m_kinds.insert(key, button);
        connect(button, &QRadioButton::toggled, this, [this](bool on) {
            if (on)
                onKindChanged();
        });
    }
    kinds->addStretch();
    m_kinds.value(QStringLiteral("self"))->setChecked(true);

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
    m_fileProblems = new QLabel(m_filePart);
    m_fileProblems->setObjectName(QStringLiteral("redditFileProblems"));
    m_fileProblems->setWordWrap(true);
    m_fileProblems->setStyleSheet(kProblemStyle);
    m_fileProblems->hide();
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_chooseFile);
    fileRow->addWidget(m_fileSummary, 1);
    auto *fileLayout = new QVBoxLayout(m_filePart);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addLayout(fileRow);
    fileLayout->addWidget(m_fileProblems);

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(kinds);
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
    m_database = database;
    m_queue = queue;
    m_tokens = tokens;
    m_reddit = reddit;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("oauth_accounts"))
                refresh();
        });
    refresh();
}

void RedditPublishPage::refresh() {
    if (!m_database)
        return updatePublishState();
    QPointer self(this);
    m_database->query(QStringLiteral("SELECT id, display_name, username FROM oauth_accounts "
                                     "WHERE provider = 'reddit' AND status = 'active' "
                                     "ORDER BY username, id"),
                      {}, [self](const Result<QList<QJsonObject>> &rows) {
                          if (!self)
                              return;
                          if (!rows)
                              return self->showStatus(rows.error().message, true);
                          self->setAccounts(*rows);
                      });
}

void RedditPublishPage::setAccounts(const QList<QJsonObject> &accounts) {
    const QList<qint64> ticked = tickedAccountIds();
    {
        const QSignalBlocker blocker(m_accounts);
        m_accounts->clear();
        for (const QJsonObject &row : accounts) {
            const qint64 id = row.value(QStringLiteral("id")).toString().toLongLong();
            const QString username = row.value(QStringLiteral("username")).toString();
            const QString name = row.value(QStringLiteral("display_name")).toString();
            auto *item = new QListWidgetItem(
                username.isEmpty() ? name : QString(QStringLiteral("u/") + username), m_accounts);
            item->setData(Qt::UserRole, id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            // One account is the obvious target: ticked for the creator.
            item->setCheckState(ticked.contains(id) || accounts.size() == 1 ? Qt::Checked
                                                                            : Qt::Unchecked);
        }
    }
    m_noAccounts->setVisible(accounts.isEmpty());
    m_accounts->setVisible(!accounts.isEmpty());
    updatePublishState();
}

QList<qint64> RedditPublishPage::tickedAccountIds() const {
    QList<qint64> ids;
    for (int row = 0; row < m_accounts->count(); ++row)
        if (m_accounts->item(row)->checkState() == Qt::Checked)
            ids.append(m_accounts->item(row)->data(Qt::UserRole).toLongLong());
    return ids;
}

QString RedditPublishPage::subreddit() const {
    return reddit::RedditSubmission::normaliseSubreddit(m_subreddit->text());
}

void RedditPublishPage::setKind(const QString &kind) {
    if (QRadioButton *button = m_kinds.value(kind))
        button->setChecked(true);
}

QString RedditPublishPage::kind() const {
    for (auto it = m_kinds.cbegin(); it != m_kinds.cend(); ++it)
        if (it.value()->isChecked())
            return it.key();
    return QStringLiteral("self");
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
    if (droppedFile(event->mimeData()).isEmpty())
        return event->ignore();
    event->acceptProposedAction();
}

void RedditPublishPage::dropEvent(QDropEvent *event) {
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return event->ignore();
    event->acceptProposedAction();
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
    const QFileInfo file(m_filePath);
    if (!file.isFile() || !file.isReadable()) {
        m_fileError = tr("Huntaze cannot read \"%1\": it may have been moved or deleted. Choose "
                         "it again.")
                          .arg(file.fileName());
        return showFile();
    }
    m_fileBytes = file.size();
    m_imageFormat = imageFormatOf(m_filePath);
    if (!m_imageFormat.isEmpty())
        return showFile();
    // Not an image: libavformat reads it, never on the GUI thread.
    m_probing = true;
    showFile();
    auto *watcher = new QFutureWatcher<Probe>(this);
    connect(watcher, &QFutureWatcher<Probe>::finished, this, [this, watcher, serial] {
        watcher->deleteLater();
        if (serial != m_probeSerial)
            return;
        const Probe probe = watcher->result();
        m_probing = false;
        m_video = probe.info;
        m_probeError = probe.error;
        showFile();
    });
    watcher->setFuture(QtConcurrent::run([path = m_filePath] {
        Probe probe;
        if (auto probed = media::probeMedia(path))
            probe.info = *probed;
        else
            probe.error = probed.error().message;
        return probe;
    }));
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
    if (!m_queue)
        blockers << tr("Publishing is available once Huntaze is connected to its database.");
    if (m_publishing)
        blockers << tr("Adding it to the queue…");
    return blockers;
}

void RedditPublishPage::updatePublishState() {
    if (!m_publish)
        return; // still building the page
    showBlockers(m_publish, m_publishHint, publishBlockers());
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
        // So the same post is not queued twice by accident; the subreddit and flair stay.
        self->m_title->clear();
        self->m_body->clear();
        self->m_link->clear();
        self->setFile(QString());
        self->showStatus(tr("Queued: follow it in Queue."), false);
        self->updatePublishState();
        Q_EMIT self->published(*queued);
    });
}

void RedditPublishPage::showStatus(const QString &text, bool problem) {
    m_status->setText(text);
    m_status->setStyleSheet(problem ? kProblemStyle : QString());
    m_status->setVisible(!text.isEmpty());
}

} // namespace huntaze::ui
