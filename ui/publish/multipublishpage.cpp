#include "multipublishpage.h"

#include "backgroundprobe.h"
#include "filedrop.h"
#include "jobs/publicationqueue.h"
#include "platforms/reddit/redditsubmission.h"
#include "platforms/tiktok/tiktokvideorules.h"
#include "platforms/x/xmediarules.h"
#include "platforms/x/xpostrequest.h"
#include "platforms/x/xtextweight.h"
#include "publishpage.h"
#include "publishpagelayout.h"
#include "queuedrafts.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"
#include "tiktokcreatorinfo.h"
#include "xpublishpage.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");
constexpr int kProviderRole = Qt::UserRole + 1;
constexpr int kIgBusinessIdRole = Qt::UserRole + 2;
constexpr int kUsernameRole = Qt::UserRole + 3;
constexpr int kAccessLevelRole = Qt::UserRole + 4;

const QString kTikTok = QStringLiteral("tiktok");
const QString kInstagram = QStringLiteral("instagram");
const QString kReddit = QStringLiteral("reddit");
const QString kX = QStringLiteral("x");

QString platformName(const QString &provider) {
    if (provider == kTikTok)
        return QStringLiteral("TikTok");
    if (provider == kInstagram)
        return QStringLiteral("Instagram");
    if (provider == kReddit)
        return QStringLiteral("Reddit");
    return QStringLiteral("X");
}

// Every blocker says which platform it is about.
QStringList named(const QString &provider, const QStringList &blockers) {
    QStringList out;
    for (const QString &blocker : blockers)
        out << platformName(provider) + QStringLiteral(": ") + blocker;
    return out;
}

} // namespace

MultiPublishPage::MultiPublishPage(QWidget *parent)
    : QWidget(parent) {
    m_creator = new TikTokCreatorInfo(this);
    m_controls = layOutPublishPage(this,
                                   {createAccountsBox(), createContentBox(), createTikTokBox(),
                                    createRedditBox(), createPlatformNotes()},
                                   tr("Publish everywhere ticked"), QStringLiteral("multiPublish"));
    connect(m_controls.button, &QPushButton::clicked, this, &MultiPublishPage::publish);
    connect(m_creator, &TikTokCreatorInfo::arrived, this, &MultiPublishPage::showCreatorInfo);
    setAcceptDrops(true);
    setAccounts({}, {});
    showFile();
}

QWidget *MultiPublishPage::createAccountsBox() {
    auto *box = new QGroupBox(tr("Where to publish"));
    m_accounts = new QTreeWidget(box);
    m_accounts->setObjectName(QStringLiteral("multiAccounts"));
    m_accounts->setHeaderHidden(true);
    m_accounts->setRootIsDecorated(false);
    m_accounts->setMinimumHeight(140);
    connect(m_accounts, &QTreeWidget::itemChanged, this, &MultiPublishPage::onTargetsChanged);
    m_noAccounts = new QLabel(tr("No account is connected yet: connect accounts in Accounts."));
    m_noAccounts->setObjectName(QStringLiteral("multiAccountsEmpty"));
    m_noAccounts->setWordWrap(true);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_noAccounts);
    layout->addWidget(m_accounts);
    return box;
}

QWidget *MultiPublishPage::createContentBox() {
    auto *box = new QGroupBox(tr("What to publish"));
    m_chooseFile = new QPushButton(tr("Choose a video or a photo…"), box);
    m_chooseFile->setObjectName(QStringLiteral("multiChooseFile"));
    connect(m_chooseFile, &QPushButton::clicked, this, &MultiPublishPage::chooseFile);
    m_textOnly = new QPushButton(tr("Text only"), box);
    m_textOnly->setObjectName(QStringLiteral("multiTextOnly"));
    m_textOnly->setToolTip(tr("Publish the caption alone, without a file."));
    connect(m_textOnly, &QPushButton::clicked, this, [this] { setFile(QString()); });
    m_fileSummary = new QLabel(box);
    m_fileSummary->setObjectName(QStringLiteral("multiFileSummary"));
    m_fileSummary->setWordWrap(true);
    m_fileProblem = createProblemLabel(QStringLiteral("multiFileProblem"), box);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_chooseFile);
    buttons->addWidget(m_textOnly);
    buttons->addWidget(m_fileSummary, 1);

    m_caption = new QPlainTextEdit(box);
    m_caption->setObjectName(QStringLiteral("multiCaption"));
    m_caption->setPlaceholderText(tr("The caption, the same everywhere (on X it is the post's "
                                     "text, on Reddit a text post's body)"));
    m_caption->setTabChangesFocus(true);
    m_caption->setMaximumHeight(120);
    connect(m_caption, &QPlainTextEdit::textChanged, this, &MultiPublishPage::updatePublishState);
    m_captionCounter = new QLabel(box);
    m_captionCounter->setObjectName(QStringLiteral("multiCaptionCounter"));
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(buttons);
    layout->addWidget(m_fileProblem);
    layout->addWidget(m_caption);
    layout->addWidget(m_captionCounter, 0, Qt::AlignRight);
    return box;
}

QWidget *MultiPublishPage::createTikTokBox() {
    m_tiktokBox = new QGroupBox(tr("TikTok"));
    m_tiktokBox->setObjectName(QStringLiteral("multiTikTokBox"));
    m_tiktokInbox = new QRadioButton(tr("Send to the TikTok inbox (draft)"), m_tiktokBox);
    m_tiktokInbox->setObjectName(QStringLiteral("multiTikTokInbox"));
    m_tiktokInbox->setChecked(true);
    m_tiktokDirect = new QRadioButton(tr("Post directly"), m_tiktokBox);
    m_tiktokDirect->setObjectName(QStringLiteral("multiTikTokDirect"));
    auto *modes = new QButtonGroup(m_tiktokBox);
    modes->addButton(m_tiktokInbox);
    modes->addButton(m_tiktokDirect);
    connect(m_tiktokDirect, &QRadioButton::toggled, this, &MultiPublishPage::onTargetsChanged);
    m_tiktokDirectPart = new QWidget(m_tiktokBox);
    m_creatorStatus = new QLabel(m_tiktokDirectPart);
    m_creatorStatus->setObjectName(QStringLiteral("multiTikTokCreatorStatus"));
    m_creatorStatus->setWordWrap(true);
    m_privacy = new QComboBox(m_tiktokDirectPart);
    m_privacy->setObjectName(QStringLiteral("multiTikTokPrivacy"));
    connect(m_privacy, &QComboBox::currentIndexChanged, this,
            &MultiPublishPage::updatePublishState);
    auto *form = new QFormLayout(m_tiktokDirectPart);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(m_creatorStatus);
    form->addRow(tr("Who can see it:"), m_privacy);
    auto *layout = new QVBoxLayout(m_tiktokBox);
    layout->addWidget(m_tiktokInbox);
    layout->addWidget(m_tiktokDirect);
    layout->addWidget(m_tiktokDirectPart);
    return m_tiktokBox;
}

QWidget *MultiPublishPage::createRedditBox() {
    m_redditBox = new QGroupBox(tr("Reddit"));
    m_redditBox->setObjectName(QStringLiteral("multiRedditBox"));
    m_subreddit = new QLineEdit(m_redditBox);
    m_subreddit->setObjectName(QStringLiteral("multiRedditSubreddit"));
    m_subreddit->setPlaceholderText(tr("r/subreddit"));
    connect(m_subreddit, &QLineEdit::textChanged, this, &MultiPublishPage::updatePublishState);
    m_redditTitle = new QLineEdit(m_redditBox);
    m_redditTitle->setObjectName(QStringLiteral("multiRedditTitle"));
    m_redditTitle->setPlaceholderText(tr("The post's title on Reddit"));
    connect(m_redditTitle, &QLineEdit::textChanged, this, &MultiPublishPage::updatePublishState);
    m_redditTitleCounter = new QLabel(m_redditBox);
    m_redditTitleCounter->setObjectName(QStringLiteral("multiRedditTitleCounter"));
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_redditTitle, 1);
    titleRow->addWidget(m_redditTitleCounter);
    auto *form = new QFormLayout(m_redditBox);
    form->addRow(tr("Subreddit:"), m_subreddit);
    form->addRow(tr("Title:"), titleRow);
    return m_redditBox;
}

QWidget *MultiPublishPage::createPlatformNotes() {
    // What each chosen platform will make of the post, so no surprise waits in Queue.
    m_platformNotes = new QLabel;
    m_platformNotes->setObjectName(QStringLiteral("multiPlatformNotes"));
    m_platformNotes->setWordWrap(true);
    return m_platformNotes;
}

// ---- accounts ----

void MultiPublishPage::setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                                   net::AccessTokens *tokens, tiktok::TikTokClient *tiktok) {
    m_database = database;
    m_queue = queue;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("oauth_accounts") ||
                table == QLatin1String("instagram_accounts"))
                refresh();
        });
    refresh();
    m_creator->setServices(tokens, tiktok); // asks again now that it can
    onTargetsChanged();
}

void MultiPublishPage::refresh() {
    if (!m_database)
        return updatePublishState();
    // Two reads, one after the other, shown together; a newer refresh drops older answers.
    const quint64 serial = ++m_refreshSerial;
    QPointer self(this);
    m_database->query(
        QStringLiteral("SELECT id, provider, display_name, username FROM oauth_accounts "
                       "WHERE provider IN ('tiktok', 'reddit', 'x') AND status = 'active' "
                       "ORDER BY provider, username, id"),
        {}, [self, serial](const Result<QList<QJsonObject>> &accounts) {
            if (!self || serial != self->m_refreshSerial)
                return;
            if (!accounts)
                return self->m_controls.status->showProblem(accounts.error().message);
            self->m_database->query(
                QStringLiteral("SELECT i.account_id, i.ig_business_id, i.username, "
                               "i.access_level FROM instagram_accounts i JOIN oauth_accounts a "
                               "ON a.id = i.account_id WHERE a.status = 'active' "
                               "ORDER BY i.username, i.ig_business_id"),
                {}, [self, serial, rows = *accounts](const Result<QList<QJsonObject>> &instagram) {
                    if (!self || serial != self->m_refreshSerial)
                        return;
                    if (!instagram)
                        return self->m_controls.status->showProblem(instagram.error().message);
                    self->setAccounts(rows, *instagram);
                });
        });
}

void MultiPublishPage::setAccounts(const QList<QJsonObject> &accounts,
                                   const QList<QJsonObject> &instagram) {
    // What was ticked stays ticked: by account, and for Instagram by which account.
    QSet<QString> wasTicked;
    for (const Target &target : ticked())
        wasTicked.insert(target.provider + QString::number(target.accountId) + target.igBusinessId);
    {
        const QSignalBlocker blocker(m_accounts);
        m_accounts->clear();
        QHash<QString, QTreeWidgetItem *> groups;
        const auto group = [this, &groups](const QString &provider) {
            if (!groups.contains(provider)) {
                auto *item = new QTreeWidgetItem(m_accounts, {platformName(provider)});
                item->setFlags(Qt::ItemIsEnabled);
                item->setData(0, kProviderRole, provider);
                QFont bold = item->font(0);
                bold.setBold(true);
                item->setFont(0, bold);
                groups.insert(provider, item);
            }
            return groups.value(provider);
        };
        const auto add = [&wasTicked](QTreeWidgetItem *parent, const QString &label, qint64 id,
                                      const QString &provider, const QString &igId,
                                      const QString &username, const QString &access) {
            auto *item = new QTreeWidgetItem(parent, {label});
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setData(0, Qt::UserRole, id);
            item->setData(0, kProviderRole, provider);
            item->setData(0, kIgBusinessIdRole, igId);
            item->setData(0, kUsernameRole, username);
            item->setData(0, kAccessLevelRole, access);
            item->setCheckState(0, wasTicked.contains(provider + QString::number(id) + igId)
                                       ? Qt::Checked
                                       : Qt::Unchecked);
        };
        // The platforms in the product's order, each with its accounts.
        for (const QString &provider : {kTikTok, kInstagram, kReddit, kX}) {
            if (provider == kInstagram) {
                for (const QJsonObject &row : instagram) {
                    const QString username = row.value(QStringLiteral("username")).toString();
                    add(group(provider), QLatin1Char('@') + username,
                        row.value(QStringLiteral("account_id")).toString().toLongLong(), provider,
                        row.value(QStringLiteral("ig_business_id")).toString(), username,
                        row.value(QStringLiteral("access_level")).toString());
                }
                continue;
            }
            for (const QJsonObject &row : accounts) {
                if (row.value(QStringLiteral("provider")).toString() != provider)
                    continue;
                const QString username = row.value(QStringLiteral("username")).toString();
                const QString name = row.value(QStringLiteral("display_name")).toString();
                const QString prefix =
                    provider == kReddit ? QStringLiteral("u/") : QStringLiteral("@");
                add(group(provider), username.isEmpty() ? name : QString(prefix + username),
                    row.value(QStringLiteral("id")).toString().toLongLong(), provider, QString(),
                    username, QString());
            }
        }
        m_accounts->expandAll();
    }
    const bool none = m_accounts->topLevelItemCount() == 0;
    m_noAccounts->setVisible(none);
    m_accounts->setVisible(!none);
    onTargetsChanged();
}

QList<MultiPublishPage::Target> MultiPublishPage::ticked() const {
    QList<Target> out;
    for (int g = 0; g < m_accounts->topLevelItemCount(); ++g) {
        const QTreeWidgetItem *group = m_accounts->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            const QTreeWidgetItem *item = group->child(i);
            if (item->checkState(0) != Qt::Checked)
                continue;
            out.append({item->data(0, Qt::UserRole).toLongLong(),
                        item->data(0, kProviderRole).toString(),
                        item->data(0, kIgBusinessIdRole).toString(),
                        item->data(0, kUsernameRole).toString(),
                        item->data(0, kAccessLevelRole).toString()});
        }
    }
    return out;
}

QList<MultiPublishPage::Target> MultiPublishPage::ticked(const QString &provider) const {
    QList<Target> out;
    for (const Target &target : ticked())
        if (target.provider == provider)
            out.append(target);
    return out;
}

void MultiPublishPage::onTargetsChanged() {
    const QList<Target> tiktok = ticked(kTikTok);
    // Only what the chosen platforms need is shown.
    m_tiktokBox->setVisible(!tiktok.isEmpty());
    m_redditBox->setVisible(!ticked(kReddit).isEmpty());
    const bool direct = m_tiktokDirect->isChecked();
    m_tiktokDirectPart->setVisible(direct);
    m_creator->want(direct && tiktok.size() == 1 ? tiktok.first().accountId : 0);
    showCreatorInfo();
}

// ---- TikTok's creator_info (direct posts) ----

void MultiPublishPage::showCreatorInfo() {
    QString status;
    if (ticked(kTikTok).size() > 1)
        status = tr("To post directly, tick exactly one TikTok account: what TikTok allows "
                    "differs per account.");
    else if (m_creator->loading())
        status = tr("Asking TikTok what this account allows…");
    else if (!m_creator->error().isEmpty())
        status = m_creator->error();
    else if (m_creator->info())
        status = tr("Posting as %1 (@%2).")
                     .arg(m_creator->info()->nickname, m_creator->info()->username);
    m_creatorStatus->setText(status);
    m_creatorStatus->setStyleSheet(m_creator->error().isEmpty() ? QString() : kProblemStyle);
    const QString chosen = m_privacy->currentData().toString();
    showPrivacyChoices(m_privacy, m_creator->info());
    {
        const QSignalBlocker blocker(m_privacy);
        m_privacy->setCurrentIndex(std::max(0, m_privacy->findData(chosen)));
    }
    showFile(); // TikTok's longest video depends on the account
}

// ---- the file ----

void MultiPublishPage::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a video or a photo"), QString(),
        tr("Videos and photos (*.mp4 *.mov *.jpg *.jpeg *.png *.gif *.webp);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void MultiPublishPage::dragEnterEvent(QDragEnterEvent *event) {
    acceptDroppedFile(event);
}

void MultiPublishPage::dropEvent(QDropEvent *event) {
    if (const QString path = acceptDroppedFile(event); !path.isEmpty())
        setFile(path);
}

void MultiPublishPage::setMediaHost(bool available) {
    m_mediaHost = available;
    updatePublishState();
}

void MultiPublishPage::setFile(const QString &path) {
    const quint64 serial = ++m_probeSerial; // a probe still running is for another file
    m_filePath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    m_fileBytes = 0;
    m_imageFormat.clear();
    m_imageFacts = {};
    m_video.reset();
    m_fileError.clear();
    m_xFileProblem.clear();
    m_probing = false;
    if (m_filePath.isEmpty())
        return showFile();
    m_fileError = unreadableFileProblem(m_filePath);
    if (!m_fileError.isEmpty())
        return showFile();
    m_fileBytes = QFileInfo(m_filePath).size();
    // Its first bytes and size, against X's rules: read once, not at every keystroke.
    if (const Result<x::MediaFile> described = x::describeMediaFile(m_filePath); !described)
        m_xFileProblem = described.error().message;
    // A photo shows in its first bytes, whatever its name says.
    m_imageFormat = imageFormatOf(m_filePath);
    if (!m_imageFormat.isEmpty()) {
        m_imageFacts = instagram::readImageFacts(m_filePath);
        return showFile();
    }
    m_probing = true; // libavformat reads the rest, never on the GUI thread
    showFile();
    probeInBackground(
        this, m_filePath, [this, serial](std::optional<media::MediaInfo> info, QString error) {
            if (serial != m_probeSerial)
                return;
            m_probing = false;
            if (info && info->hasVideo)
                m_video = info;
            else
                m_fileError = tr("Huntaze cannot read \"%1\" as a video or a photo. Choose "
                                 "an MP4 or MOV video, or a JPEG, PNG or GIF photo.")
                                  .arg(QFileInfo(m_filePath).fileName()) +
                              (error.isEmpty() ? QString() : QLatin1Char(' ') + error);
            showFile();
        });
}

MultiPublishPage::Content MultiPublishPage::content() const {
    if (!m_imageFormat.isEmpty())
        return Content::Photo;
    if (!m_filePath.isEmpty())
        return Content::Video; // or being checked, or unreadable: blocked until it is a video
    return Content::Text;
}

void MultiPublishPage::showFile() {
    const QLocale locale;
    const QString name = QFileInfo(m_filePath).fileName();
    if (m_filePath.isEmpty())
        m_fileSummary->setText(tr("Text only: no file. Choose one, or drop it here."));
    else if (m_probing)
        m_fileSummary->setText(tr("Checking %1…").arg(name));
    else if (content() == Content::Photo)
        m_fileSummary->setText(
            tr("%1 · %2 photo · %3")
                .arg(name, m_imageFormat.toUpper(),
                     locale.formattedDataSize(m_fileBytes, 1, QLocale::DataSizeSIFormat)));
    else if (m_video)
        m_fileSummary->setText(
            tr("%1 · video · %2 s · %3")
                .arg(name, locale.toString(double(m_video->durationMs) / 1000.0, 'f', 1),
                     locale.formattedDataSize(m_fileBytes, 1, QLocale::DataSizeSIFormat)));
    else
        m_fileSummary->setText(name);
    m_fileProblem->setText(m_fileError);
    m_fileProblem->setVisible(!m_fileError.isEmpty());
    updatePublishState();
}

// ---- each platform's rules ----

QStringList MultiPublishPage::tiktokBlockers() const {
    const QList<Target> accounts = ticked(kTikTok);
    QStringList blockers;
    const bool direct = m_tiktokDirect->isChecked();
    if (content() == Content::Text)
        blockers << tr("a video is needed here: choose one, or untick TikTok.");
    else if (content() == Content::Photo)
        blockers << tr("photos go to TikTok by their web addresses only: post them from the "
                       "TikTok tab, or untick TikTok.");
    else if (m_video) {
        std::optional<int> maxSeconds;
        if (direct && m_creator->info() && m_creator->info()->maxVideoPostDurationSec > 0)
            maxSeconds = m_creator->info()->maxVideoPostDurationSec;
        blockers << tiktok::checkVideo(*m_video,
                                       direct ? tiktok::PostMode::Direct : tiktok::PostMode::Inbox,
                                       maxSeconds)
                        .problems;
    }
    const qsizetype length = m_caption->toPlainText().size(); // UTF-16 units, as TikTok counts
    if (length > PublishPage::kMaxCaptionLength)
        blockers << tr("the caption is %1 characters too long (TikTok allows %2).")
                        .arg(length - PublishPage::kMaxCaptionLength)
                        .arg(PublishPage::kMaxCaptionLength);
    if (direct) {
        if (accounts.size() > 1)
            blockers << tr("to post directly, tick exactly one TikTok account.");
        else if (m_creator->loading())
            blockers << tr("waiting for what TikTok allows this account…");
        else if (!m_creator->info())
            blockers
                << tr("what TikTok allows this account is unknown: %1").arg(m_creator->error());
        else if (m_privacy->currentData().toString().isEmpty())
            blockers << tr("choose who can see the video.");
    }
    return blockers;
}

QStringList MultiPublishPage::instagramBlockers() const {
    const QList<Target> accounts = ticked(kInstagram);
    QStringList blockers;
    // One draft carries one ig_business_id: one Instagram account per publication.
    if (accounts.size() > 1)
        blockers << tr("tick one Instagram account only (publish to the others from the "
                       "Instagram tab).");
    for (const Target &target : accounts)
        if (target.accessLevel == QLatin1String("read_only"))
            blockers << tr("@%1 did not allow Huntaze to publish: connect Instagram again and "
                           "keep \"instagram_content_publish\" ticked.")
                            .arg(target.username);
    if (content() == Content::Text) {
        blockers << tr("text alone cannot be published there: choose a video or a photo, or "
                       "untick Instagram.");
    } else if (content() == Content::Photo) {
        if (!m_mediaHost)
            blockers << tr("your relay does not host photos, and Instagram only fetches photos "
                           "from the web: post it from the Instagram tab by its address, or "
                           "untick Instagram.");
        else
            blockers << (m_imageFacts.error.isEmpty() ? instagram::checkFeedImage(m_imageFacts)
                                                      : QStringList{m_imageFacts.error});
    } else if (m_video) {
        blockers << instagram::checkReelVideo(*m_video);
    }
    blockers << instagram::checkCaption(m_caption->toPlainText()).problems;
    return blockers;
}

QStringList MultiPublishPage::redditBlockers() const {
    QStringList blockers;
    reddit::Submission submission;
    submission.subreddit = m_subreddit->text();
    submission.title = m_redditTitle->text();
    submission.kind = content() == Content::Text    ? reddit::PostKind::Self
                      : content() == Content::Photo ? reddit::PostKind::Image
                                                    : reddit::PostKind::Video;
    // The media's URL (and a video's poster) exist only once the job uploaded them.
    submission.url = QStringLiteral("https://upload.invalid/file");
    submission.videoPosterUrl = QStringLiteral("https://upload.invalid/poster");
    submission.text = m_caption->toPlainText();
    if (const auto problem = reddit::RedditSubmission::check(submission))
        blockers << problem->message;
    if (content() == Content::Photo && m_imageFormat != QLatin1String("jpeg") &&
        m_imageFormat != QLatin1String("png") && m_imageFormat != QLatin1String("gif"))
        blockers << tr("Reddit takes JPEG, PNG and GIF images; this one is %1.")
                        .arg(m_imageFormat.toUpper());
    if (m_video && m_video->uploadContentType != QLatin1String("video/mp4") &&
        m_video->uploadContentType != QLatin1String("video/quicktime"))
        blockers << tr("Reddit takes MP4 and MOV videos: export the video as MP4.");
    return blockers;
}

QStringList MultiPublishPage::xBlockers() const {
    QStringList blockers;
    const QString text = m_caption->toPlainText();
    const int length = x::weightedLength(text);
    if (length > x::kMaxWeightedLength)
        blockers << tr("the caption is %1 characters too long for a post on X (%2 at most; a "
                       "link counts 23, an emoji 2).")
                        .arg(length - x::kMaxWeightedLength)
                        .arg(x::kMaxWeightedLength);
    else if (content() == Content::Text && text.trimmed().isEmpty())
        blockers << tr("write the caption: on X it is the post's text.");
    if (!m_xFileProblem.isEmpty())
        blockers << m_xFileProblem;
    else if (m_video)
        blockers << x::checkVideo(*m_video);
    return blockers;
}

void MultiPublishPage::showPlatformNotes() {
    QStringList notes;
    const Content c = content();
    if (!ticked(kInstagram).isEmpty() && c != Content::Text)
        notes << (c == Content::Video ? tr("Instagram: the video goes out as a reel.")
                                      : tr("Instagram: the photo goes out as a feed photo."));
    if (!ticked(kReddit).isEmpty())
        notes << (c == Content::Text    ? tr("Reddit: a text post, the caption as its body.")
                  : c == Content::Photo ? tr("Reddit: an image post (the caption is not used).")
                                        : tr("Reddit: a video post (the caption is not used)."));
    if (!ticked(kX).isEmpty())
        notes << tr("X: the caption is the post's text (%1 / %2).")
                     .arg(x::weightedLength(m_caption->toPlainText()))
                     .arg(x::kMaxWeightedLength);
    m_platformNotes->setText(notes.join(QLatin1Char('\n')));
    m_platformNotes->setVisible(!notes.isEmpty());
}

QStringList MultiPublishPage::publishBlockers() const {
    QStringList blockers;
    const QList<Target> all = ticked();
    if (all.isEmpty())
        blockers << tr("Tick at least one account.");
    if (m_probing)
        blockers << tr("Checking the file…");
    else if (!m_fileError.isEmpty())
        blockers << m_fileError;
    else {
        QSet<QString> providers;
        for (const Target &target : all)
            providers.insert(target.provider);
        // Named by platform, in the product's order.
        if (providers.contains(kTikTok))
            blockers << named(kTikTok, tiktokBlockers());
        if (providers.contains(kInstagram))
            blockers << named(kInstagram, instagramBlockers());
        if (providers.contains(kReddit))
            blockers << named(kReddit, redditBlockers());
        if (providers.contains(kX))
            blockers << named(kX, xBlockers());
    }
    blockers << queueBlockers(m_queue, m_publishing);
    return blockers;
}

void MultiPublishPage::updatePublishState() {
    if (!m_controls.button || !m_platformNotes)
        return; // still building the page
    const qsizetype title = m_redditTitle->text().toUcs4().size();
    m_redditTitleCounter->setText(
        tr("%1 / %2").arg(title).arg(reddit::RedditSubmission::kMaxTitle));
    m_redditTitleCounter->setStyleSheet(title > reddit::RedditSubmission::kMaxTitle ? kProblemStyle
                                                                                    : QString());
    m_captionCounter->setText(tr("%1 characters").arg(m_caption->toPlainText().size()));
    showPlatformNotes();
    const QStringList blockers = publishBlockers();
    showBlockers(m_controls.button, m_controls.hint, blockers);
    // Several platforms can each block at once: all are listed, each naming its platform,
    // so the creator fixes them in one go instead of discovering them one by one.
    m_controls.hint->setText(blockers.join(QLatin1Char('\n')));
}

// ---- the draft ----

jobs::PublicationDraft MultiPublishPage::buildDraft() const {
    const Content c = content();
    const QList<Target> all = ticked();
    jobs::PublicationDraft draft;
    for (const Target &target : all)
        draft.accountIds.append(target.accountId);
    draft.caption = m_caption->toPlainText();
    const bool gif = m_imageFormat == QLatin1String("gif");
    if (c == Content::Video) {
        draft.kind = QStringLiteral("video");
        draft.kindByProvider = {{kTikTok, QStringLiteral("video")},
                                {kInstagram, QStringLiteral("reel")},
                                {kReddit, QStringLiteral("video")},
                                {kX, QStringLiteral("video")}};
    } else if (c == Content::Photo) {
        draft.kind = QStringLiteral("photo");
        draft.kindByProvider = {{kInstagram, QStringLiteral("photo")},
                                {kReddit, QStringLiteral("image")},
                                {kX, gif ? QStringLiteral("gif") : QStringLiteral("images")}};
    } else {
        draft.kind = QStringLiteral("text");
        draft.kindByProvider = {{kReddit, QStringLiteral("self")}, {kX, QStringLiteral("text")}};
    }
    if (c != Content::Text) {
        draft.filePath = m_filePath;
        draft.fileSize = m_fileBytes;
    }

    QJsonObject options;
    const QList<Target> tiktok = ticked(kTikTok);
    const QList<Target> instagram = ticked(kInstagram);
    if (!tiktok.isEmpty()) {
        const bool direct = m_tiktokDirect->isChecked();
        options.insert(QStringLiteral("mode"),
                       direct ? QStringLiteral("direct") : QStringLiteral("inbox"));
        if (direct) {
            options.insert(QStringLiteral("privacy_level"), m_privacy->currentData().toString());
            // What the account turned off on TikTok stays off; nothing else is.
            options.insert(QStringLiteral("disable_comment"),
                           m_creator->info() && m_creator->info()->commentDisabled);
            options.insert(QStringLiteral("disable_duet"),
                           m_creator->info() && m_creator->info()->duetDisabled);
            options.insert(QStringLiteral("disable_stitch"),
                           m_creator->info() && m_creator->info()->stitchDisabled);
        }
        if (m_video) {
            options.insert(QStringLiteral("content_type"), m_video->uploadContentType);
            options.insert(QStringLiteral("duration_ms"), m_video->durationMs);
        }
    }
    if (!instagram.isEmpty()) {
        options.insert(QStringLiteral("ig_business_id"), instagram.first().igBusinessId);
        if (c == Content::Video)
            options.insert(QStringLiteral("share_to_feed"), true);
        else if (c == Content::Photo)
            options.insert(QStringLiteral("source_type"), QStringLiteral("image"));
    }
    // TikTok builds the post's link from it; Instagram learns its link from Instagram.
    if (tiktok.size() == 1)
        options.insert(QStringLiteral("username"), tiktok.first().username);
    else if (tiktok.isEmpty() && instagram.size() == 1)
        options.insert(QStringLiteral("username"), instagram.first().username);
    if (!ticked(kReddit).isEmpty())
        options.insert(
            kReddit,
            QJsonObject{{QStringLiteral("subreddit"),
                         reddit::RedditSubmission::normaliseSubreddit(m_subreddit->text())},
                        {QStringLiteral("title"), m_redditTitle->text().trimmed()},
                        {QStringLiteral("flair_id"), QString()},
                        {QStringLiteral("flair_text"), QString()},
                        {QStringLiteral("nsfw"), false},
                        {QStringLiteral("spoiler"), false}});
    if (!ticked(kX).isEmpty() && c == Content::Photo && !gif)
        options.insert(kX,
                       QJsonObject{{QStringLiteral("images"), QJsonArray{QJsonValue(m_filePath)}}});
    draft.options = options;
    return draft;
}

void MultiPublishPage::publish() {
    if (!publishBlockers().isEmpty() || !m_queue)
        return;
    // One draft, so one enqueue: every row is created together or none is.
    queueDrafts(
        this, m_queue, {buildDraft()}, &m_publishing, m_controls.status,
        [this] { updatePublishState(); },
        [this](const QList<qint64> &ids) {
            setFile(QString()); // so the same post is not queued twice by accident
            m_caption->clear();
            m_redditTitle->clear();
            m_controls.status->showNote(
                tr("Queued: one publication per account (%1), each followed in Queue.")
                    .arg(ids.size()));
            updatePublishState();
            Q_EMIT published(ids);
        });
}

} // namespace huntaze::ui
