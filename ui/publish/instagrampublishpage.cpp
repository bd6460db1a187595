#include "instagrampublishpage.h"

#include "accountchecklist.h"
#include "backgroundprobe.h"
#include "jobs/publicationqueue.h"
#include "kindchoice.h"
#include "net/accesstokens.h"
#include "platforms/instagram/instagramclient.h"
#include "platforms/instagram/instagrammediarules.h"
#include "publishpagelayout.h"
#include "queuedrafts.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
const QString kProblemStyle = QStringLiteral("color: #b00020;");
constexpr int kMaxItems = 10;

QString summary(const media::MediaInfo &m) {
    return InstagramPublishPage::tr("%1 · %2×%3 · %4 fps · %5 s · %6 MB")
        .arg(m.containerLabel)
        .arg(m.width)
        .arg(m.height)
        .arg(m.frameRate, 0, 'f', 0)
        .arg(double(m.durationMs) / 1000.0, 0, 'f', 1)
        .arg(double(m.sizeBytes) / 1e6, 0, 'f', 1);
}

// Instagram fetches photos itself: the address must be public (https) and, since only
// JPEG is accepted, must not name another image format.
QString photoUrlProblem(const QString &text) {
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (text.trimmed().isEmpty())
        return InstagramPublishPage::tr("Enter the web address of a public JPEG photo.");
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        return InstagramPublishPage::tr("Use a public https:// address Instagram can download.");
    const QString suffix = QFileInfo(url.path()).suffix().toLower();
    for (const char *other : {"png", "gif", "webp", "heic", "bmp", "tif", "tiff"})
        if (suffix == QLatin1String(other))
            return InstagramPublishPage::tr("Instagram accepts JPEG photos only; this address "
                                            "names a .%1 file.")
                .arg(suffix);
    return {};
}
} // namespace

InstagramPublishPage::InstagramPublishPage(QWidget *parent)
    : QWidget(parent) {
    m_controls =
        layOutPublishPage(this, {createAccountsBox(), createMediaBox(), createCaptionBox()},
                          tr("Publish to Instagram"), QStringLiteral("instagramPublish"));
    connect(m_controls.button, &QPushButton::clicked, this, &InstagramPublishPage::publish);
    showPhotoOptions();
    onKindChanged();
}

QWidget *InstagramPublishPage::createAccountsBox() {
    m_accounts = new AccountCheckList(tr("Instagram accounts"),
                                      tr("No Instagram account is connected yet: connect one in "
                                         "Accounts (a Business or Creator account linked to a "
                                         "Facebook Page)."),
                                      QStringLiteral("instagramAccounts"));
    connect(m_accounts, &AccountCheckList::tickedChanged, this, [this] {
        refreshQuota();
        updatePublishState();
    });
    m_quota = new QLabel;
    m_quota->setObjectName(QStringLiteral("instagramQuota"));
    m_quota->setWordWrap(true);
    m_accounts->boxLayout()->addWidget(m_quota);
    return m_accounts;
}

QWidget *InstagramPublishPage::createMediaBox() {
    auto *box = new QGroupBox(tr("What to publish"));
    auto *layout = new QVBoxLayout(box);
    m_kinds = new KindChoice({{QStringLiteral("photo"), tr("Photo")},
                              {QStringLiteral("reel"), tr("Reel")},
                              {QStringLiteral("story"), tr("Story")},
                              {QStringLiteral("carousel"), tr("Carousel")}},
                             QStringLiteral("instagramKind_"), QStringLiteral("reel"));
    connect(m_kinds, &KindChoice::kindChanged, this, &InstagramPublishPage::onKindChanged);
    layout->addWidget(m_kinds);

    m_urlPart = new QWidget;
    auto *urlLayout = new QVBoxLayout(m_urlPart);
    urlLayout->setContentsMargins(0, 0, 0, 0);
    m_url = new QLineEdit;
    m_url->setObjectName(QStringLiteral("instagramPhotoUrl"));
    m_url->setPlaceholderText(tr("https://… address of a public JPEG"));
    m_urlProblem = createProblemLabel(QString(), nullptr);
    connect(m_url, &QLineEdit::textChanged, this, [this] { updatePublishState(); });
    // A local JPEG instead of an address, when the relay hosts photos for Instagram.
    m_choosePhoto = new QPushButton(tr("Choose a photo…"));
    m_choosePhoto->setObjectName(QStringLiteral("instagramChoosePhoto"));
    connect(m_choosePhoto, &QPushButton::clicked, this, &InstagramPublishPage::choosePhoto);
    m_clearPhoto = new QPushButton(tr("Use an address instead"));
    m_clearPhoto->setObjectName(QStringLiteral("instagramClearPhoto"));
    connect(m_clearPhoto, &QPushButton::clicked, this, [this] { setPhotoFile(QString()); });
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_choosePhoto);
    urlRow->addWidget(m_clearPhoto);
    m_photoSummary = new QLabel;
    m_photoSummary->setObjectName(QStringLiteral("instagramPhotoSummary"));
    m_photoSummary->setWordWrap(true);
    m_photoProblems = createProblemLabel(QStringLiteral("instagramPhotoProblems"), nullptr);
    m_urlHint = new QLabel;
    m_urlHint->setObjectName(QStringLiteral("instagramPhotoHint"));
    m_urlHint->setWordWrap(true);
    urlLayout->addLayout(urlRow);
    urlLayout->addWidget(m_photoSummary);
    urlLayout->addWidget(m_photoProblems);
    urlLayout->addWidget(m_urlHint);
    urlLayout->addWidget(m_urlProblem);
    layout->addWidget(m_urlPart);

    m_videoPart = new QWidget;
    auto *videoLayout = new QVBoxLayout(m_videoPart);
    videoLayout->setContentsMargins(0, 0, 0, 0);
    m_chooseVideo = new QPushButton(tr("Choose a video…"));
    m_chooseVideo->setObjectName(QStringLiteral("instagramChooseVideo"));
    connect(m_chooseVideo, &QPushButton::clicked, this, &InstagramPublishPage::chooseVideo);
    m_videoSummary = new QLabel;
    m_videoSummary->setObjectName(QStringLiteral("instagramVideoSummary"));
    m_videoSummary->setWordWrap(true);
    m_videoProblems = createProblemLabel(QStringLiteral("instagramVideoProblems"), nullptr);
    m_shareToFeed = new QCheckBox(tr("Also show the reel in the feed"));
    m_shareToFeed->setChecked(true);
    videoLayout->addWidget(m_chooseVideo, 0, Qt::AlignLeft);
    videoLayout->addWidget(m_videoSummary);
    videoLayout->addWidget(m_videoProblems);
    videoLayout->addWidget(m_shareToFeed);
    layout->addWidget(m_videoPart);

    m_carouselPart = new QWidget;
    auto *carouselLayout = new QVBoxLayout(m_carouselPart);
    carouselLayout->setContentsMargins(0, 0, 0, 0);
    m_items = new QListWidget;
    m_items->setObjectName(QStringLiteral("instagramCarouselItems"));
    m_items->setMaximumHeight(160);
    auto *itemRow = new QHBoxLayout;
    m_itemUrl = new QLineEdit;
    m_itemUrl->setObjectName(QStringLiteral("instagramCarouselPhotoUrl"));
    m_itemUrl->setPlaceholderText(tr("https://… a photo for the carousel"));
    auto *addPhoto = new QPushButton(tr("Add photo"));
    connect(addPhoto, &QPushButton::clicked, this, [this] {
        addCarouselPhotoUrl(m_itemUrl->text());
        m_itemUrl->clear();
    });
    m_addPhotoFile = new QPushButton(tr("Add photo…"));
    m_addPhotoFile->setObjectName(QStringLiteral("instagramCarouselAddPhotoFile"));
    connect(m_addPhotoFile, &QPushButton::clicked, this,
            &InstagramPublishPage::chooseCarouselPhoto);
    auto *addVideo = new QPushButton(tr("Add video…"));
    connect(addVideo, &QPushButton::clicked, this, &InstagramPublishPage::chooseCarouselVideo);
    auto *remove = new QPushButton(tr("Remove"));
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_items->currentRow();
        if (row >= 0 && row < m_itemList.size()) {
            m_itemList.removeAt(row);
            showItems();
        }
    });
    itemRow->addWidget(m_itemUrl, 1);
    itemRow->addWidget(addPhoto);
    itemRow->addWidget(m_addPhotoFile);
    itemRow->addWidget(addVideo);
    itemRow->addWidget(remove);
    m_itemsProblem = createProblemLabel(QStringLiteral("instagramCarouselProblem"), nullptr);
    carouselLayout->addWidget(m_items);
    carouselLayout->addLayout(itemRow);
    carouselLayout->addWidget(m_itemsProblem);
    layout->addWidget(m_carouselPart);
    return box;
}

QWidget *InstagramPublishPage::createCaptionBox() {
    auto *box = new QGroupBox(tr("Caption"));
    auto *layout = new QVBoxLayout(box);
    m_caption = new QPlainTextEdit;
    m_caption->setObjectName(QStringLiteral("instagramCaption"));
    m_caption->setPlaceholderText(tr("Write a caption: #hashtags and @mentions are counted."));
    m_caption->setMaximumHeight(120);
    m_captionCounter = new QLabel;
    m_captionCounter->setObjectName(QStringLiteral("instagramCaptionCounter"));
    m_captionProblems = createProblemLabel(QStringLiteral("instagramCaptionProblems"), nullptr);
    connect(m_caption, &QPlainTextEdit::textChanged, this,
            &InstagramPublishPage::updateCaptionCounter);
    layout->addWidget(m_caption);
    layout->addWidget(m_captionCounter);
    layout->addWidget(m_captionProblems);
    updateCaptionCounter();
    return box;
}

void InstagramPublishPage::setServices(store::DesktopDatabase *database,
                                       jobs::PublicationQueue *queue, net::AccessTokens *tokens,
                                       instagram::InstagramClient *instagram) {
    m_database = database;
    m_queue = queue;
    m_tokens = tokens;
    m_instagram = instagram;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("oauth_accounts") ||
                table == QLatin1String("instagram_accounts"))
                refresh();
            else if (table == QLatin1String("publications"))
                refreshQuota();
        });
    refresh();
}

void InstagramPublishPage::refresh() {
    if (!m_database)
        return updatePublishState();
    QPointer self(this);
    m_database->query(
        QStringLiteral("SELECT i.ig_business_id, i.username, i.page_name, i.access_level, "
                       "i.account_id FROM instagram_accounts i JOIN oauth_accounts a "
                       "ON a.id = i.account_id WHERE a.status = 'active' "
                       "ORDER BY i.username, i.ig_business_id"),
        {}, [self](const Result<QList<QJsonObject>> &rows) {
            if (!self)
                return;
            if (!rows)
                return self->m_controls.status->showProblem(rows.error().message);
            self->setAccounts(*rows);
        });
}

void InstagramPublishPage::setAccounts(const QList<QJsonObject> &rows) {
    m_accountRows = rows;
    QList<AccountCheckList::Account> accounts;
    for (const QJsonObject &row : rows) {
        QString label = QLatin1Char('@') + row.value(QStringLiteral("username")).toString();
        if (const QString page = row.value(QStringLiteral("page_name")).toString(); !page.isEmpty())
            label += tr(" (Page %1)").arg(page);
        if (row.value(QStringLiteral("access_level")).toString() == QLatin1String("read_only"))
            label += tr(" — cannot publish: reconnect and allow publishing");
        accounts.append({row.value(QStringLiteral("ig_business_id")).toString(), label});
    }
    m_accounts->setAccounts(accounts);
    refreshQuota();
    updatePublishState();
}

QList<QJsonObject> InstagramPublishPage::tickedAccounts() const {
    QList<QJsonObject> out;
    for (int row : m_accounts->tickedRows())
        out.append(m_accountRows.value(row));
    return out;
}

QString InstagramPublishPage::kind() const {
    return m_kinds->kind();
}

void InstagramPublishPage::setKind(const QString &name) {
    m_kinds->setKind(name);
}

void InstagramPublishPage::onKindChanged() {
    if (!m_controls.button)
        return; // still building the page; the constructor calls this at the end
    const QString k = kind();
    m_urlPart->setVisible(k == QLatin1String("photo") || k == QLatin1String("story"));
    m_url->setPlaceholderText(k == QLatin1String("story")
                                  ? tr("https://… a public JPEG for the story (or choose a video)")
                                  : tr("https://… address of a public JPEG"));
    showPhoto(); // feed and story photos have different rules
    m_videoPart->setVisible(k == QLatin1String("reel") || k == QLatin1String("story"));
    m_shareToFeed->setVisible(k == QLatin1String("reel"));
    m_carouselPart->setVisible(k == QLatin1String("carousel"));
    m_caption->setEnabled(k != QLatin1String("story"));
    m_caption->setToolTip(k == QLatin1String("story") ? tr("Stories take no caption.") : QString());
    showVideo(); // the limits differ between reels and stories
    showItems();
    updatePublishState();
}

void InstagramPublishPage::chooseVideo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a video"), QString(),
                                                      tr("Videos (*.mp4 *.mov)"));
    if (!path.isEmpty())
        setVideoFile(path);
}

void InstagramPublishPage::setVideoFile(const QString &path) {
    if (!path.isEmpty() && kind() == QLatin1String("story") && !m_photoPath.isEmpty())
        setPhotoFile(QString()); // a story is one or the other
    m_videoPath = path;
    m_video.reset();
    m_videoError.clear();
    m_videoProbing = !path.isEmpty();
    const quint64 serial = ++m_probeSerial;
    showVideo();
    if (path.isEmpty())
        return;
    probeInBackground(this, path,
                      [this, serial](std::optional<media::MediaInfo> info, QString error) {
                          if (serial != m_probeSerial)
                              return; // another video was chosen meanwhile
                          m_videoProbing = false;
                          m_video = info;
                          m_videoError = error;
                          showVideo();
                      });
}

void InstagramPublishPage::showVideo() {
    if (!m_videoSummary)
        return;
    QStringList problems;
    if (m_videoPath.isEmpty()) {
        m_videoSummary->setText(kind() == QLatin1String("story")
                                    ? tr("No video chosen (or enter a photo address above).")
                                    : tr("No video chosen."));
    } else if (m_videoProbing) {
        m_videoSummary->setText(tr("Checking %1…").arg(QFileInfo(m_videoPath).fileName()));
    } else if (m_video) {
        m_videoSummary->setText(QFileInfo(m_videoPath).fileName() + QStringLiteral(": ") +
                                summary(*m_video));
        problems = kind() == QLatin1String("story") ? instagram::checkStoryVideo(*m_video)
                                                    : instagram::checkReelVideo(*m_video);
    } else {
        m_videoSummary->setText(QFileInfo(m_videoPath).fileName());
        problems << m_videoError;
    }
    m_videoProblems->setText(problems.join(QLatin1Char('\n')));
    m_videoProblems->setVisible(!problems.isEmpty());
    updatePublishState();
}

void InstagramPublishPage::chooseCarouselVideo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a video"), QString(),
                                                      tr("Videos (*.mp4 *.mov)"));
    if (!path.isEmpty())
        addCarouselVideo(path);
}

void InstagramPublishPage::addCarouselVideo(const QString &path) {
    static quint64 serials = 0;
    Item item;
    item.type = QStringLiteral("video");
    item.path = path;
    item.probing = true;
    item.serial = ++serials;
    m_itemList.append(item);
    showItems();
    probeInBackground(
        this, path,
        [this, serial = item.serial](std::optional<media::MediaInfo> info, QString error) {
            for (Item &it : m_itemList) {
                if (it.serial != serial)
                    continue;
                it.probing = false;
                it.media = info;
                it.problem = info ? instagram::checkReelVideo(*info).join(QLatin1Char(' ')) : error;
            }
            showItems();
        });
}

void InstagramPublishPage::addCarouselPhotoUrl(const QString &url) {
    Item item;
    item.type = QStringLiteral("image");
    item.url = url.trimmed();
    item.problem = photoUrlProblem(item.url);
    m_itemList.append(item);
    showItems();
}

void InstagramPublishPage::setMediaHost(bool available) {
    m_mediaHost = available;
    showPhotoOptions();
    showItems();
}

void InstagramPublishPage::showPhotoOptions() {
    if (!m_choosePhoto)
        return;
    m_choosePhoto->setVisible(m_mediaHost);
    m_addPhotoFile->setVisible(m_mediaHost);
    m_urlHint->setText(
        m_mediaHost
            ? tr("Give the public https:// address of a JPEG, or choose one on this computer: "
                 "your relay hosts it for Instagram.")
            : tr("Instagram downloads photos itself, so they go by a public https:// address "
                 "(your relay does not host photos)."));
    showPhoto();
}

bool InstagramPublishPage::usesPhotoFile() const {
    const QString k = kind();
    return m_mediaHost && !m_photoPath.isEmpty() &&
           (k == QLatin1String("photo") || (k == QLatin1String("story") && m_videoPath.isEmpty()));
}

QStringList InstagramPublishPage::photoFileProblems() const {
    if (m_photoPath.isEmpty())
        return {};
    if (!m_photoFacts.error.isEmpty())
        return {m_photoFacts.error};
    return kind() == QLatin1String("story") ? instagram::checkStoryImage(m_photoFacts)
                                            : instagram::checkFeedImage(m_photoFacts);
}

void InstagramPublishPage::choosePhoto() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a photo"), QString(),
                                                      tr("JPEG photos (*.jpg *.jpeg)"));
    if (!path.isEmpty())
        setPhotoFile(path);
}

void InstagramPublishPage::setPhotoFile(const QString &path) {
    m_photoPath = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    // The header only, so at once: the problems show while the creator looks.
    m_photoFacts =
        m_photoPath.isEmpty() ? instagram::ImageFacts{} : instagram::readImageFacts(m_photoPath);
    if (!m_photoPath.isEmpty() && kind() == QLatin1String("story"))
        setVideoFile(QString()); // a story is one or the other
    showPhoto();
}

void InstagramPublishPage::showPhoto() {
    if (!m_photoSummary)
        return;
    const bool chosen = m_mediaHost && !m_photoPath.isEmpty();
    m_url->setEnabled(!chosen);
    m_clearPhoto->setVisible(chosen);
    if (chosen && m_photoFacts.error.isEmpty())
        m_photoSummary->setText(tr("%1 · %2×%3 · %4 MB")
                                    .arg(QFileInfo(m_photoPath).fileName())
                                    .arg(m_photoFacts.size.width())
                                    .arg(m_photoFacts.size.height())
                                    .arg(double(m_photoFacts.bytes) / 1e6, 0, 'f', 1));
    else
        m_photoSummary->setText(chosen ? QFileInfo(m_photoPath).fileName() : QString());
    m_photoSummary->setVisible(chosen);
    const QStringList problems = chosen ? photoFileProblems() : QStringList();
    m_photoProblems->setText(problems.join(QLatin1Char('\n')));
    m_photoProblems->setVisible(!problems.isEmpty());
    updatePublishState();
}

void InstagramPublishPage::chooseCarouselPhoto() {
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Choose photos"), QString(),
                                                            tr("JPEG photos (*.jpg *.jpeg)"));
    for (const QString &path : paths)
        addCarouselPhotoFile(path);
}

void InstagramPublishPage::addCarouselPhotoFile(const QString &path) {
    Item item;
    item.type = QStringLiteral("image");
    item.path = QFileInfo(path).absoluteFilePath();
    const instagram::ImageFacts facts = instagram::readImageFacts(item.path);
    item.bytes = facts.bytes;
    item.problem = !facts.error.isEmpty() ? facts.error
                                          : instagram::checkFeedImage(facts).join(QLatin1Char(' '));
    m_itemList.append(item);
    showItems();
}

void InstagramPublishPage::showItems() {
    if (!m_items)
        return;
    m_items->clear();
    for (qsizetype i = 0; i < m_itemList.size(); ++i) {
        const Item &item = m_itemList.at(i);
        QString text = QStringLiteral("%1. ").arg(i + 1);
        text += item.type == QLatin1String("video")
                    ? tr("Video %1").arg(QFileInfo(item.path).fileName())
                    : tr("Photo %1")
                          .arg(item.url.isEmpty() ? QFileInfo(item.path).fileName() : item.url);
        if (item.probing)
            text += tr(" — checking…");
        else if (!item.problem.isEmpty())
            text += QStringLiteral(" — ") + item.problem;
        auto *row = new QListWidgetItem(text, m_items);
        if (!item.problem.isEmpty())
            row->setForeground(QColor(0xb0, 0x00, 0x20));
    }
    const QStringList count = instagram::checkCarouselCount(int(m_itemList.size()));
    m_itemsProblem->setText(count.join(QLatin1Char(' ')));
    m_itemsProblem->setVisible(!count.isEmpty());
    updatePublishState();
}

void InstagramPublishPage::updateCaptionCounter() {
    const instagram::CaptionCheck check = instagram::checkCaption(m_caption->toPlainText());
    m_captionCounter->setText(tr("%1 / %2 characters · %3 / %4 hashtags · %5 / %6 mentions")
                                  .arg(check.characters)
                                  .arg(instagram::CaptionCheck::kMaxCharacters)
                                  .arg(check.hashtags)
                                  .arg(instagram::CaptionCheck::kMaxHashtags)
                                  .arg(check.mentions)
                                  .arg(instagram::CaptionCheck::kMaxMentions));
    m_captionCounter->setStyleSheet(check.problems.isEmpty() ? QString() : kProblemStyle);
    m_captionProblems->setText(check.problems.join(QLatin1Char('\n')));
    m_captionProblems->setVisible(!check.problems.isEmpty());
    updatePublishState();
}

void InstagramPublishPage::refreshQuota() {
    if (!m_quota)
        return;
    const QList<QJsonObject> ticked = tickedAccounts();
    if (!m_instagram || !m_tokens || ticked.isEmpty()) {
        m_quota->clear();
        return;
    }
    const auto show = [this] {
        QStringList lines;
        for (const QJsonObject &row : tickedAccounts())
            if (const QString text =
                    m_quotaText.value(row.value(QStringLiteral("ig_business_id")).toString());
                !text.isEmpty())
                lines << text;
        m_quota->setText(lines.join(QLatin1Char('\n')));
    };
    for (const QJsonObject &row : ticked) {
        const QString igId = row.value(QStringLiteral("ig_business_id")).toString();
        const QString name = QLatin1Char('@') + row.value(QStringLiteral("username")).toString();
        QPointer self(this);
        m_tokens->get(
            row.value(QStringLiteral("account_id")).toString().toLongLong(), false,
            [self, igId, name, show](Result<QByteArray> token) {
                if (!self)
                    return;
                if (!token) {
                    self->m_quotaText.insert(
                        igId, tr("%1: quota unknown (%2)").arg(name, token.error().message));
                    return show();
                }
                self->m_instagram->publishingLimit(
                    igId, *token,
                    [self, igId, name, show](Result<instagram::PublishingLimit> limit) {
                        if (!self)
                            return;
                        if (!limit)
                            self->m_quotaText.insert(
                                igId,
                                tr("%1: quota unknown (%2)").arg(name, limit.error().message));
                        else
                            self->m_quotaText.insert(
                                igId, tr("%1: %2 of %3 posts used in the last %4 hours%5")
                                          .arg(name)
                                          .arg(limit->quotaUsage)
                                          .arg(limit->quotaTotal)
                                          .arg(limit->quotaDurationSeconds / 3600)
                                          .arg(limit->quotaUsage >= limit->quotaTotal
                                                   ? tr(" — new posts wait until a "
                                                        "place frees up")
                                                   : QString()));
                        show();
                    });
            });
    }
}

QStringList InstagramPublishPage::publishBlockers() const {
    QStringList blockers;
    const QString k = kind();
    const bool storyVideo = k == QLatin1String("story") && !m_videoPath.isEmpty();
    if (usesPhotoFile()) {
        if (!photoFileProblems().isEmpty())
            blockers << tr("Fix the problems with the photo first.");
    } else if (k == QLatin1String("photo") || (k == QLatin1String("story") && !storyVideo)) {
        const QString problem = photoUrlProblem(m_url->text());
        const bool empty = m_url->text().trimmed().isEmpty();
        if (!problem.isEmpty())
            blockers << (k == QLatin1String("story") && empty
                             ? (m_mediaHost ? tr("Choose a video or a photo, or enter the address "
                                                 "of a photo for the story.")
                                            : tr("Choose a video or enter the address of a photo "
                                                 "for the story."))
                         : k == QLatin1String("photo") && empty && m_mediaHost
                             ? tr("Choose a photo or enter the address of a public JPEG.")
                             : problem);
    }
    if (k == QLatin1String("reel") || storyVideo) {
        if (m_videoPath.isEmpty())
            blockers << tr("Choose the video for the reel.");
        else if (m_videoProbing)
            blockers << tr("Checking the video…");
        else if (!m_videoProblems->text().isEmpty())
            blockers << tr("Fix the problems with the video first.");
    }
    if (k == QLatin1String("carousel")) {
        if (!instagram::checkCarouselCount(int(m_itemList.size())).isEmpty())
            blockers
                << instagram::checkCarouselCount(int(m_itemList.size())).join(QLatin1Char(' '));
        for (const Item &item : m_itemList) {
            if (item.probing) {
                blockers << tr("Checking the carousel's videos…");
                break;
            }
            if (!item.problem.isEmpty()) {
                blockers << tr("Fix the problems with the carousel's items first.");
                break;
            }
            if (!m_mediaHost && !item.path.isEmpty() && item.type == QLatin1String("image")) {
                blockers << tr("This relay does not host photos: give the carousel's photos by "
                               "their public https address.");
                break;
            }
        }
    }
    if (k != QLatin1String("story"))
        blockers << instagram::checkCaption(m_caption->toPlainText()).problems;
    const QList<QJsonObject> ticked = tickedAccounts();
    if (ticked.isEmpty())
        blockers << tr("Tick at least one Instagram account.");
    for (const QJsonObject &row : ticked)
        if (row.value(QStringLiteral("access_level")).toString() == QLatin1String("read_only"))
            blockers << tr("@%1 did not allow Huntaze to publish: connect Instagram again and "
                           "keep \"instagram_content_publish\" ticked.")
                            .arg(row.value(QStringLiteral("username")).toString());
    blockers << queueBlockers(m_queue, m_publishing);
    return blockers;
}

void InstagramPublishPage::updatePublishState() {
    if (!m_controls.button)
        return; // still building the page
    showBlockers(m_controls.button, m_controls.hint, publishBlockers());
}

QList<jobs::PublicationDraft> InstagramPublishPage::buildDrafts() const {
    const QString k = kind();
    jobs::PublicationDraft draft;
    draft.kind = k;
    draft.caption = k == QLatin1String("story") ? QString() : m_caption->toPlainText();
    QJsonObject options;
    if (usesPhotoFile()) {
        // The relay hosts it for Instagram when the post goes out.
        draft.filePath = m_photoPath;
        draft.fileSize = m_photoFacts.bytes;
        options.insert(QStringLiteral("source_type"), QStringLiteral("image"));
    } else if (k == QLatin1String("photo")) {
        draft.sourceUrl = m_url->text().trimmed();
    } else if (k == QLatin1String("reel") ||
               (k == QLatin1String("story") && !m_videoPath.isEmpty())) {
        draft.filePath = m_videoPath;
        draft.fileSize = m_video ? m_video->sizeBytes : QFileInfo(m_videoPath).size();
        if (k == QLatin1String("reel"))
            options.insert(QStringLiteral("share_to_feed"), m_shareToFeed->isChecked());
    } else if (k == QLatin1String("story")) {
        draft.sourceUrl = m_url->text().trimmed();
    } else {
        QJsonArray items;
        for (const Item &item : m_itemList) {
            if (item.type == QLatin1String("video")) {
                const qint64 bytes =
                    item.media ? item.media->sizeBytes : QFileInfo(item.path).size();
                items.append(QJsonObject{{QStringLiteral("type"), item.type},
                                         {QStringLiteral("path"), item.path},
                                         {QStringLiteral("bytes"), bytes}});
                draft.fileSize += bytes;
            } else if (!item.path.isEmpty()) {
                items.append(QJsonObject{{QStringLiteral("type"), item.type},
                                         {QStringLiteral("path"), item.path},
                                         {QStringLiteral("bytes"), item.bytes}});
            } else {
                items.append(QJsonObject{{QStringLiteral("type"), item.type},
                                         {QStringLiteral("url"), item.url}});
            }
        }
        options.insert(QStringLiteral("items"), items);
    }
    QList<jobs::PublicationDraft> drafts;
    for (const QJsonObject &row : tickedAccounts()) {
        jobs::PublicationDraft one = draft;
        one.accountIds = {row.value(QStringLiteral("account_id")).toString().toLongLong()};
        one.options = options;
        one.options.insert(QStringLiteral("ig_business_id"),
                           row.value(QStringLiteral("ig_business_id")));
        one.options.insert(QStringLiteral("username"), row.value(QStringLiteral("username")));
        drafts.append(one);
    }
    return drafts;
}

void InstagramPublishPage::publish() {
    if (!publishBlockers().isEmpty() || !m_queue)
        return;
    // One publication per account, queued one after the other.
    queueDrafts(
        this, m_queue, buildDrafts(), &m_publishing, m_controls.status,
        [this] { updatePublishState(); },
        [this](const QList<qint64> &ids) {
            setVideoFile(QString()); // so the same post is not queued twice by accident
            setPhotoFile(QString());
            m_itemList.clear();
            showItems();
            m_url->clear();
            m_controls.status->showNote(tr("Queued: follow it in Queue."));
            updatePublishState();
            Q_EMIT published(ids);
        });
}

} // namespace huntaze::ui
