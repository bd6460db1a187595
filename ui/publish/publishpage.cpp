#include "publishpage.h"

#include "accountchecklist.h"
#include "backgroundprobe.h"
#include "filedrop.h"
#include "jobs/publicationqueue.h"
#include "jobs/publicationstore.h"
#include "platforms/tiktok/tiktokvideorules.h"
#include "publishpagelayout.h"
#include "queuedrafts.h"
#include "shell/sectionparts.h"
#include "shell/statuslabel.h"
#include "store/desktopdatabase.h"
#include "tiktokcreatorinfo.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace huntaze::ui {

namespace {
constexpr int kQuotaRefreshDelayMs = 200;
constexpr int kPhotoProblemsShown = 5;
const QString kProblemStyle = QStringLiteral("color: #b00020;");

QString codecName(const QString &codec) {
    if (codec == QLatin1String("h264"))
        return QStringLiteral("H.264");
    if (codec == QLatin1String("hevc"))
        return QStringLiteral("H.265");
    return codec.toUpper();
}

QString durationText(qint64 ms) {
    const qint64 seconds = (ms + 500) / 1000;
    return QString::number(seconds / 60) + QLatin1Char(':') +
           QStringLiteral("%1").arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

// Empty when the text is empty or a usable PULL_FROM_URL address.
QString videoUrlProblem(const QString &text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return PublishPage::tr("This is not a web address. Enter the video's full address, "
                               "starting with https://.");
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return PublishPage::tr("TikTok only downloads videos over HTTPS: the address must start "
                               "with https://.");
    return {};
}

// One photo address as typed: its line in the box (from 1) and its text, trimmed.
struct PhotoLine {
    int number = 0;
    QString url;
};

QList<PhotoLine> photoLines(const QString &text) {
    QList<PhotoLine> lines;
    const QStringList raw = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QString url = raw.at(i).trimmed();
        if (!url.isEmpty())
            lines.append({int(i + 1), url});
    }
    return lines;
}

// Empty when `url` (trimmed, not empty) is a usable photo address for PULL_FROM_URL.
QString photoUrlProblem(const QString &url) {
    for (const QChar c : url)
        if (c.isSpace())
            return PublishPage::tr("A web address cannot contain spaces (write them as %20).");
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme().isEmpty() || parsed.host().isEmpty())
        return PublishPage::tr("This is not a web address: it must start with https://.");
    if (parsed.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return PublishPage::tr("TikTok only downloads photos over HTTPS: the address must start "
                               "with https://.");
    return {};
}

// One line per bad address, naming its line in the box.
QStringList photoLineProblems(const QList<PhotoLine> &lines) {
    QStringList problems;
    for (const PhotoLine &line : lines) {
        const QString problem = photoUrlProblem(line.url);
        if (!problem.isEmpty())
            problems << PublishPage::tr("Line %1: %2").arg(line.number).arg(problem);
    }
    return problems;
}

QProgressBar *busyBar(const QString &objectName, QWidget *parent) {
    auto *bar = new QProgressBar(parent);
    bar->setObjectName(objectName);
    bar->setRange(0, 0);
    bar->setMaximumWidth(120);
    bar->setTextVisible(false);
    bar->hide();
    return bar;
}
} // namespace

PublishPage::PublishPage(QWidget *parent)
    : QWidget(parent) {
    m_creator = new TikTokCreatorInfo(this);
    QLabel *title = createSectionTitle(tr("Publish"), this);

    auto *content = new QWidget;
    auto *form = new QVBoxLayout(content);
    form->addWidget(createAccountsBox());
    form->addWidget(createVideoBox());
    form->addWidget(createModeBox());
    form->addWidget(createCaptionBox());
    form->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    // The title and the Publish row stay in sight; only the boxes scroll.
    m_controls = createPublishControls(tr("Publish"), QStringLiteral("publish"), this);
    m_controls.hint->setForegroundRole(QPalette::PlaceholderText);
    m_controls.button->setDefault(true);
    connect(m_controls.button, &QPushButton::clicked, this, &PublishPage::publish);
    auto *actions = new QHBoxLayout;
    auto *messages = new QVBoxLayout;
    messages->addWidget(m_controls.status);
    messages->addWidget(m_controls.hint);
    actions->addLayout(messages, 1);
    actions->addWidget(m_controls.button, 0, Qt::AlignBottom);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(scroll, 1);
    layout->addLayout(actions);
    setAcceptDrops(true);

    m_quotaTimer.setSingleShot(true);
    m_quotaTimer.setInterval(kQuotaRefreshDelayMs);
    connect(&m_quotaTimer, &QTimer::timeout, this, &PublishPage::refreshQuota);

    connect(m_creator, &TikTokCreatorInfo::arrived, this, [this] {
        showCreatorInfo();
        updateMediaProblems();
    });
    setAccounts({});
    updatePhotoTitleCounter();
    onKindChanged(); // also updates the caption counter and the targets
}

QWidget *PublishPage::createAccountsBox() {
    m_accounts = new AccountCheckList(
        tr("TikTok accounts"), tr("No TikTok account is connected. Connect one in Accounts."),
        QStringLiteral("accountList"), QStringLiteral("accountsEmpty"));
    m_accounts->list()->setMaximumHeight(120);
    connect(m_accounts, &AccountCheckList::rowsLoaded, this, &PublishPage::setAccounts);
    connect(m_accounts, &AccountCheckList::loadFailed, this,
            [this](const QString &message) { m_controls.status->showProblem(message); });
    connect(m_accounts, &AccountCheckList::tickedChanged, this, &PublishPage::onTargetsChanged);
    return m_accounts;
}

QWidget *PublishPage::createVideoBox() {
    auto *box = new QGroupBox(tr("What to publish"));
    m_kindVideo = new QRadioButton(tr("Video"), box);
    m_kindVideo->setObjectName(QStringLiteral("kindVideo"));
    m_kindVideo->setChecked(true);
    m_kindPhotos = new QRadioButton(tr("Photos"), box);
    m_kindPhotos->setObjectName(QStringLiteral("kindPhotos"));
    auto *kinds = new QButtonGroup(box);
    kinds->addButton(m_kindVideo);
    kinds->addButton(m_kindPhotos);
    connect(m_kindPhotos, &QRadioButton::toggled, this, &PublishPage::onKindChanged);
    auto *kindRow = new QHBoxLayout;
    kindRow->addWidget(new QLabel(tr("What:"), box));
    kindRow->addWidget(m_kindVideo);
    kindRow->addWidget(m_kindPhotos);
    kindRow->addStretch(1);

    m_videoPart = new QWidget(box);
    m_videoPart->setObjectName(QStringLiteral("videoPart"));
    m_chooseFile = new QPushButton(tr("Choose a video file…"), m_videoPart);
    m_chooseFile->setObjectName(QStringLiteral("chooseFileButton"));
    connect(m_chooseFile, &QPushButton::clicked, this, &PublishPage::chooseFile);
    m_fileLabel = new QLabel(tr("No file chosen: choose one, or drop it here."), m_videoPart);
    m_fileLabel->setObjectName(QStringLiteral("fileLabel"));
    m_fileLabel->setWordWrap(true);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_chooseFile);
    fileRow->addWidget(m_fileLabel, 1);

    m_mediaBusy = busyBar(QStringLiteral("mediaBusy"), m_videoPart);
    m_mediaSummary = new QLabel(m_videoPart);
    m_mediaSummary->setObjectName(QStringLiteral("mediaSummary"));
    m_mediaSummary->setWordWrap(true);
    m_mediaSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_mediaSummary->hide();
    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_mediaBusy);
    summaryRow->addWidget(m_mediaSummary, 1);
    m_mediaProblems = createProblemLabel(QStringLiteral("mediaProblems"), m_videoPart);

    m_videoUrl = new QLineEdit(m_videoPart);
    m_videoUrl->setObjectName(QStringLiteral("videoUrl"));
    m_videoUrl->setPlaceholderText(tr("https://…"));
    m_videoUrl->setToolTip(tr("TikTok downloads the video from this address. It must use "
                              "HTTPS, must not redirect, its domain must be verified for "
                              "Huntaze, and it must stay reachable for an hour."));
    m_videoUrl->setClearButtonEnabled(true);
    connect(m_videoUrl, &QLineEdit::textChanged, this, &PublishPage::onVideoUrlEdited);
    m_videoUrlProblem = createProblemLabel(QStringLiteral("videoUrlProblem"), m_videoPart);
    auto *urlRow = new QFormLayout;
    urlRow->addRow(tr("Or a video URL:"), m_videoUrl);
    auto *videoLayout = new QVBoxLayout(m_videoPart);
    videoLayout->setContentsMargins(0, 0, 0, 0);
    videoLayout->addLayout(fileRow);
    videoLayout->addLayout(summaryRow);
    videoLayout->addWidget(m_mediaProblems);
    videoLayout->addLayout(urlRow);
    videoLayout->addWidget(m_videoUrlProblem);

    m_photoPart = new QWidget(box);
    m_photoPart->setObjectName(QStringLiteral("photoPart"));
    auto *photoHint =
        new QLabel(tr("Photos cannot be uploaded from files: TikTok downloads each one from its "
                      "web address, which must use HTTPS, must not redirect, must be on a domain "
                      "verified for Huntaze, and must stay reachable for an hour."),
                   m_photoPart);
    photoHint->setObjectName(QStringLiteral("photoHint"));
    photoHint->setWordWrap(true);
    photoHint->setForegroundRole(QPalette::PlaceholderText);
    m_photoUrls = new QPlainTextEdit(m_photoPart);
    m_photoUrls->setObjectName(QStringLiteral("photoUrls"));
    m_photoUrls->setPlaceholderText(
        tr("One https:// address per line, 1 to %1 photos, in the order TikTok shows them")
            .arg(kMaxPhotos));
    m_photoUrls->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_photoUrls->setTabChangesFocus(true);
    m_photoUrls->setMaximumHeight(110);
    connect(m_photoUrls, &QPlainTextEdit::textChanged, this, &PublishPage::onPhotoUrlsEdited);
    m_photoUrlsProblem = createProblemLabel(QStringLiteral("photoUrlsProblem"), m_photoPart);
    auto *urlsForm = new QFormLayout;
    urlsForm->addRow(tr("Photo URLs:"), m_photoUrls);

    m_photoCover = new QSpinBox(m_photoPart);
    m_photoCover->setObjectName(QStringLiteral("photoCover"));
    m_photoCover->setRange(1, 1);
    m_photoCover->setMaximumWidth(100);
    m_photoCover->setToolTip(tr("The photo shown first, counting from 1 in the list above."));
    connect(m_photoCover, &QSpinBox::valueChanged, this, &PublishPage::updatePublishState);
    m_photoTitle = new QLineEdit(m_photoPart);
    m_photoTitle->setObjectName(QStringLiteral("photoTitle"));
    m_photoTitle->setPlaceholderText(tr("A short title for the post"));
    connect(m_photoTitle, &QLineEdit::textChanged, this, &PublishPage::updatePhotoTitleCounter);
    m_photoTitleCounter = new QLabel(m_photoPart);
    m_photoTitleCounter->setObjectName(QStringLiteral("photoTitleCounter"));
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_photoTitle, 1);
    titleRow->addWidget(m_photoTitleCounter);
    auto *detailsForm = new QFormLayout;
    detailsForm->addRow(tr("Cover photo:"), m_photoCover);
    detailsForm->addRow(tr("Title:"), titleRow);

    auto *photoLayout = new QVBoxLayout(m_photoPart);
    photoLayout->setContentsMargins(0, 0, 0, 0);
    photoLayout->addWidget(photoHint);
    photoLayout->addLayout(urlsForm);
    photoLayout->addWidget(m_photoUrlsProblem);
    photoLayout->addLayout(detailsForm);
    m_photoPart->hide();

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(kindRow);
    layout->addWidget(m_videoPart);
    layout->addWidget(m_photoPart);
    return box;
}

QWidget *PublishPage::createModeBox() {
    auto *box = new QGroupBox(tr("How"));
    m_modeInbox = new QRadioButton(tr("Send to TikTok inbox (draft)"), box);
    m_modeInbox->setObjectName(QStringLiteral("modeInbox"));
    m_modeInbox->setChecked(true);
    m_modeDirect = new QRadioButton(tr("Post directly"), box);
    m_modeDirect->setObjectName(QStringLiteral("modeDirect"));
    auto *modes = new QButtonGroup(box);
    modes->addButton(m_modeInbox);
    modes->addButton(m_modeDirect);
    connect(m_modeDirect, &QRadioButton::toggled, this, &PublishPage::onTargetsChanged);

    m_quota = new QLabel(box);
    m_quota->setObjectName(QStringLiteral("quotaLabel"));
    m_quota->setWordWrap(true);
    m_quota->hide();

    m_directOptions = new QWidget(box);
    m_directOptions->setObjectName(QStringLiteral("directOptions"));
    m_creatorBusy = busyBar(QStringLiteral("creatorInfoBusy"), m_directOptions);
    m_creatorStatus = new QLabel(m_directOptions);
    m_creatorStatus->setObjectName(QStringLiteral("creatorInfoStatus"));
    m_creatorStatus->setWordWrap(true);
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(m_creatorBusy);
    statusRow->addWidget(m_creatorStatus, 1);
    m_privacy = new QComboBox(m_directOptions);
    m_privacy->setObjectName(QStringLiteral("privacyCombo"));
    connect(m_privacy, &QComboBox::currentIndexChanged, this, &PublishPage::updatePublishState);
    m_disableComment = new QCheckBox(tr("Turn off comments"), m_directOptions);
    m_disableComment->setObjectName(QStringLiteral("disableComment"));
    m_disableDuet = new QCheckBox(tr("Turn off Duet"), m_directOptions);
    m_disableDuet->setObjectName(QStringLiteral("disableDuet"));
    m_disableStitch = new QCheckBox(tr("Turn off Stitch"), m_directOptions);
    m_disableStitch->setObjectName(QStringLiteral("disableStitch"));
    auto *directForm = new QFormLayout;
    directForm->addRow(tr("Who can see it:"), m_privacy);
    auto *directLayout = new QVBoxLayout(m_directOptions);
    directLayout->setContentsMargins(0, 0, 0, 0);
    directLayout->addLayout(statusRow);
    directLayout->addLayout(directForm);
    directLayout->addWidget(m_disableComment);
    directLayout->addWidget(m_disableDuet);
    directLayout->addWidget(m_disableStitch);

    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_modeInbox);
    layout->addWidget(m_modeDirect);
    layout->addWidget(m_quota);
    layout->addWidget(m_directOptions);
    return box;
}

QWidget *PublishPage::createCaptionBox() {
    auto *box = new QGroupBox(tr("Caption"));
    m_captionBox = box;
    m_caption = new QPlainTextEdit(box);
    m_caption->setObjectName(QStringLiteral("caption"));
    m_caption->setPlaceholderText(tr("What the video is about, #hashtags, @mentions"));
    m_caption->setMaximumHeight(110);
    connect(m_caption, &QPlainTextEdit::textChanged, this, &PublishPage::updateCaptionCounter);
    m_captionCounter = new QLabel(box);
    m_captionCounter->setObjectName(QStringLiteral("captionCounter"));
    m_captionHint = new QLabel(tr("TikTok's inbox upload carries no caption: you write it in "
                                  "TikTok when you post the draft. Huntaze keeps it with the "
                                  "publication."),
                               box);
    m_captionHint->setObjectName(QStringLiteral("captionHint"));
    m_captionHint->setWordWrap(true);
    m_captionHint->setForegroundRole(QPalette::PlaceholderText);
    auto *counterRow = new QHBoxLayout;
    counterRow->addWidget(m_captionHint, 1);
    counterRow->addWidget(m_captionCounter, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_caption);
    layout->addLayout(counterRow);
    return box;
}

void PublishPage::setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                              jobs::PublicationStore *store, net::AccessTokens *tokens,
                              tiktok::TikTokClient *tiktok) {
    m_queue = queue;
    m_store = store;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, [this](const QString &table) {
            if (table == QLatin1String("tiktok_posts") && !m_quotaTimer.isActive())
                m_quotaTimer.start();
        });
    m_accounts->loadFrom(database, QStringLiteral("tiktok"), QStringLiteral("display_name, id"));
    m_creator->setServices(tokens, tiktok); // asks again now that it can
    onTargetsChanged();
}

void PublishPage::refresh() {
    m_accounts->reload();
}

void PublishPage::setAccounts(const QList<QJsonObject> &rows) {
    m_accountRows = rows;
    QList<AccountCheckList::Account> accounts;
    for (const QJsonObject &row : rows)
        accounts.append(
            {row.value(QStringLiteral("id")).toString().toLongLong(), accountLabel(row)});
    // Never ticked for the creator: a TikTok post is public, so each target is chosen.
    m_accounts->setAccounts(accounts, false);
    onTargetsChanged();
}

QString PublishPage::accountUsername(qint64 id) const {
    for (const QJsonObject &account : m_accountRows)
        if (account.value(QStringLiteral("id")).toString().toLongLong() == id)
            return account.value(QStringLiteral("username")).toString();
    return {};
}

// ---- what to publish: a video or photos ----

bool PublishPage::photosChosen() const {
    return m_kindPhotos->isChecked();
}

QStringList PublishPage::photoUrls() const {
    QStringList urls;
    for (const PhotoLine &line : photoLines(m_photoUrls->toPlainText()))
        urls << line.url;
    return urls;
}

void PublishPage::onKindChanged() {
    const bool photos = photosChosen();
    m_videoPart->setVisible(!photos);
    m_photoPart->setVisible(photos);
    // TikTok's photo posts have no Duet or Stitch.
    m_disableDuet->setVisible(!photos);
    m_disableStitch->setVisible(!photos);
    m_captionBox->setTitle(photos ? tr("Description") : tr("Caption"));
    m_caption->setPlaceholderText(photos ? tr("What the photos are about, #hashtags, @mentions")
                                         : tr("What the video is about, #hashtags, @mentions"));
    updateCaptionCounter(); // the limit depends on the kind
    onTargetsChanged();     // so do the caption hint and the inbox quota
}

void PublishPage::onPhotoUrlsEdited() {
    const QList<PhotoLine> lines = photoLines(m_photoUrls->toPlainText());
    QStringList problems;
    if (lines.size() > kMaxPhotos)
        problems << tr("TikTok takes at most %1 photos; there are %2.")
                        .arg(kMaxPhotos)
                        .arg(lines.size());
    const QStringList lineProblems = photoLineProblems(lines);
    problems << lineProblems.mid(0, kPhotoProblemsShown);
    if (lineProblems.size() > kPhotoProblemsShown)
        problems << tr("…and %1 more.").arg(lineProblems.size() - kPhotoProblemsShown);
    m_photoUrlsProblem->setText(problems.join(QLatin1Char('\n')));
    m_photoUrlsProblem->setVisible(!problems.isEmpty());
    // The cover is one of the photos sent; shown from 1, stored from 0.
    m_photoCover->setMaximum(std::clamp(int(lines.size()), 1, kMaxPhotos));
    m_photoCover->setEnabled(lines.size() > 1);
    updatePublishState();
}

void PublishPage::updatePhotoTitleCounter() {
    const qsizetype length = m_photoTitle->text().size(); // UTF-16 units, as TikTok counts
    m_photoTitleCounter->setText(tr("%1 / %2").arg(length).arg(kMaxPhotoTitleLength));
    m_photoTitleCounter->setStyleSheet(length > kMaxPhotoTitleLength ? kProblemStyle : QString());
    updatePublishState();
}

void PublishPage::clearPhotos() {
    m_photoUrls->clear();
    m_photoTitle->clear();
    m_photoCover->setValue(1);
}

// ---- the video ----

void PublishPage::chooseFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Choose a video"), QString(),
                                     tr("Videos (*.mp4 *.mov *.webm *.m4v);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void PublishPage::dragEnterEvent(QDragEnterEvent *event) {
    // Photos are never uploaded from files: TikTok pulls them from their addresses.
    if (photosChosen())
        return event->ignore();
    acceptDroppedFile(event);
}

void PublishPage::dropEvent(QDropEvent *event) {
    if (photosChosen())
        return event->ignore();
    if (const QString path = acceptDroppedFile(event); !path.isEmpty())
        setFile(path);
}

void PublishPage::setFile(const QString &path) {
    clearSource();
    if (path.isEmpty())
        return;
    m_filePath = path;
    m_fileLabel->setText(QFileInfo(path).fileName());
    m_fileLabel->setToolTip(path);
    m_probing = true;
    showMedia();

    const quint64 serial = m_probeSerial;
    probeInBackground(this, path,
                      [this, serial](std::optional<media::MediaInfo> info, QString error) {
                          if (serial != m_probeSerial)
                              return; // another file (or a URL) was chosen meanwhile
                          m_probing = false;
                          m_media = info;
                          m_probeError = error;
                          updateMediaProblems();
                      });
}

void PublishPage::onVideoUrlEdited(const QString &text) {
    if (!text.trimmed().isEmpty() && !m_filePath.isEmpty()) {
        // The URL replaces the file: one source per publication.
        const QString url = text;
        clearSource();
        const QSignalBlocker blocker(m_videoUrl);
        m_videoUrl->setText(url);
    }
    const QString problem = videoUrlProblem(text);
    m_videoUrlProblem->setText(problem);
    m_videoUrlProblem->setVisible(!problem.isEmpty());
    showMedia();
    updatePublishState();
}

void PublishPage::clearSource() {
    ++m_probeSerial; // a probe still running is for a file no longer chosen
    m_filePath.clear();
    m_probing = false;
    m_media.reset();
    m_probeError.clear();
    m_mediaProblemList.clear();
    m_fileLabel->setText(tr("No file chosen: choose one, or drop it here."));
    m_fileLabel->setToolTip({});
    {
        const QSignalBlocker blocker(m_videoUrl);
        m_videoUrl->clear();
    }
    m_videoUrlProblem->hide();
    m_controls.status->hide();
    showMedia();
    updatePublishState();
}

void PublishPage::updateMediaProblems() {
    m_mediaProblemList.clear();
    if (!m_probeError.isEmpty()) {
        m_mediaProblemList << m_probeError;
    } else if (m_media) {
        const bool direct = m_modeDirect->isChecked();
        std::optional<int> maxSeconds;
        if (direct && m_creator->info() && m_creator->info()->maxVideoPostDurationSec > 0)
            maxSeconds = m_creator->info()->maxVideoPostDurationSec;
        m_mediaProblemList =
            tiktok::checkVideo(
                *m_media, direct ? tiktok::PostMode::Direct : tiktok::PostMode::Inbox, maxSeconds)
                .problems;
    }
    showMedia();
    updatePublishState();
}

void PublishPage::showMedia() {
    m_mediaBusy->setVisible(m_probing);
    QString summary;
    if (m_probing) {
        summary = tr("Checking the video…");
    } else if (m_media) {
        const media::MediaInfo &info = *m_media;
        const QLocale locale;
        QStringList parts;
        parts << (info.containerLabel.isEmpty() ? info.container : info.containerLabel);
        if (info.hasVideo) {
            parts << codecName(info.videoCodec);
            if (info.width > 0 && info.height > 0)
                parts << tr("%1 × %2 pixels").arg(info.width).arg(info.height);
            if (info.frameRate > 0)
                parts << tr("%1 fps").arg(
                    std::abs(info.frameRate - std::round(info.frameRate)) < 0.005
                        ? locale.toString(qint64(std::llround(info.frameRate)))
                        : locale.toString(info.frameRate, 'f', 2));
        }
        if (info.durationMs > 0)
            parts << durationText(info.durationMs);
        parts << locale.formattedDataSize(info.sizeBytes, 1, QLocale::DataSizeSIFormat);
        summary = parts.join(QStringLiteral(" · "));
    } else if (m_filePath.isEmpty() && !m_videoUrl->text().trimmed().isEmpty() &&
               videoUrlProblem(m_videoUrl->text()).isEmpty()) {
        summary = tr("TikTok downloads the video from this address: Huntaze cannot check it "
                     "beforehand, and TikTok reports any problem with it in Queue.");
    }
    m_mediaSummary->setText(summary);
    m_mediaSummary->setVisible(!summary.isEmpty());
    QStringList lines;
    for (const QString &problem : std::as_const(m_mediaProblemList))
        lines << QStringLiteral("• ") + problem;
    m_mediaProblems->setText(lines.join(QLatin1Char('\n')));
    m_mediaProblems->setVisible(!lines.isEmpty());
}

// ---- accounts, mode, creator_info ----

void PublishPage::onTargetsChanged() {
    const bool direct = m_modeDirect->isChecked();
    const QList<qint64> ids = m_accounts->tickedAccountIds();
    m_directOptions->setVisible(direct);
    // A photo MEDIA_UPLOAD carries its title and description; a video inbox upload does not.
    m_captionHint->setVisible(!direct && !photosChosen());
    const qint64 wanted = direct && ids.size() == 1 ? ids.first() : 0;
    if (m_creator->want(wanted) || (direct && ids.size() != 1))
        showCreatorInfo();
    refreshQuota();
    updateMediaProblems(); // the duration limit depends on the mode
}

void PublishPage::showCreatorInfo() {
    const QList<qint64> ids = m_accounts->tickedAccountIds();
    m_creatorBusy->setVisible(m_creator->loading());
    QString status;
    bool problem = false;
    if (ids.size() != 1) {
        status = tr("To post directly, tick exactly one account: what TikTok allows differs "
                    "per account.");
    } else if (m_creator->loading()) {
        status = tr("Asking TikTok what this account allows…");
    } else if (!m_creator->error().isEmpty()) {
        status = m_creator->error();
        problem = true;
    } else if (m_creator->info()) {
        status = tr("Posting as %1 (@%2).")
                     .arg(m_creator->info()->nickname, m_creator->info()->username);
    }
    m_creatorStatus->setText(status);
    m_creatorStatus->setStyleSheet(problem ? kProblemStyle : QString());

    showPrivacyChoices(m_privacy, m_creator->info());
    const auto apply = [this](QCheckBox *box, bool turnedOffOnTikTok) {
        box->setEnabled(m_creator->info() && !turnedOffOnTikTok);
        box->setChecked(m_creator->info() && turnedOffOnTikTok);
        box->setToolTip(turnedOffOnTikTok ? tr("Turned off in this account's TikTok settings.")
                                          : QString());
    };
    apply(m_disableComment, m_creator->info() && m_creator->info()->commentDisabled);
    apply(m_disableDuet, m_creator->info() && m_creator->info()->duetDisabled);
    apply(m_disableStitch, m_creator->info() && m_creator->info()->stitchDisabled);
    updatePublishState();
}

// ---- inbox quota ----

void PublishPage::refreshQuota() {
    const quint64 serial = ++m_quotaSerial;
    // The pending-share count is kept for video inbox uploads, which the publisher checks.
    const QList<qint64> ids = m_modeInbox->isChecked() && !photosChosen()
                                  ? m_accounts->tickedAccountIds()
                                  : QList<qint64>();
    for (auto it = m_quotas.begin(); it != m_quotas.end();)
        it = ids.contains(it.key()) ? std::next(it) : m_quotas.erase(it);
    showQuota();
    if (!m_store)
        return;
    QPointer<PublishPage> self(this);
    for (qint64 id : ids)
        m_store->tiktokPendingShares(
            id, [self, serial, id](Result<jobs::PublicationStore::PendingShares> shares) {
                if (!self || serial != self->m_quotaSerial)
                    return;
                Quota quota;
                if (shares) {
                    quota.pending = shares->pending;
                    quota.nextFreesAt = shares->nextFreesAt;
                } else {
                    quota.error = shares.error().message;
                }
                self->m_quotas.insert(id, quota);
                self->showQuota();
            });
}

void PublishPage::showQuota() {
    const QList<qint64> ids = m_modeInbox->isChecked() && !photosChosen()
                                  ? m_accounts->tickedAccountIds()
                                  : QList<qint64>();
    QStringList lines;
    for (qint64 id : ids) {
        if (!m_quotas.contains(id))
            continue;
        const Quota &quota = m_quotas[id];
        QString line;
        if (!quota.error.isEmpty()) {
            line = quota.error;
        } else {
            const int left = std::max(0, kInboxSharesPerDay - quota.pending);
            line = tr("%1 of %2 inbox uploads left today").arg(left).arg(kInboxSharesPerDay);
            if (left == 0 && quota.nextFreesAt.isValid())
                line += QStringLiteral(", ") +
                        tr("next frees at %1")
                            .arg(quota.nextFreesAt.toLocalTime().toString(QStringLiteral("HH:mm")));
        }
        lines << (ids.size() > 1 ? QString(m_accounts->label(id) + QStringLiteral(": ") + line)
                                 : line);
    }
    m_quota->setText(lines.join(QLatin1Char('\n')));
    m_quota->setVisible(!lines.isEmpty());
}

// ---- caption and Publish ----

void PublishPage::updateCaptionCounter() {
    const qsizetype length = m_caption->toPlainText().size(); // UTF-16 units, as TikTok counts
    const int limit = photosChosen() ? kMaxPhotoDescriptionLength : kMaxCaptionLength;
    m_captionCounter->setText(tr("%1 / %2").arg(length).arg(limit));
    m_captionCounter->setStyleSheet(length > limit ? kProblemStyle : QString());
    updatePublishState();
}

QStringList PublishPage::publishBlockers() const {
    QStringList blockers;
    const bool photos = photosChosen();
    if (photos) {
        const QList<PhotoLine> lines = photoLines(m_photoUrls->toPlainText());
        if (lines.isEmpty())
            blockers << tr("Enter the web address of at least one photo, one per line.");
        else if (!photoLineProblems(lines).isEmpty())
            blockers << tr("Fix the photo URLs first.");
        if (lines.size() > kMaxPhotos)
            blockers << tr("TikTok takes at most %1 photos: remove %2.")
                            .arg(kMaxPhotos)
                            .arg(lines.size() - kMaxPhotos);
        const qsizetype titleLength = m_photoTitle->text().size();
        if (titleLength > kMaxPhotoTitleLength)
            blockers << tr("The title is %1 characters too long: TikTok allows %2.")
                            .arg(titleLength - kMaxPhotoTitleLength)
                            .arg(kMaxPhotoTitleLength);
    } else {
        const QString url = m_videoUrl->text().trimmed();
        if (m_filePath.isEmpty() && url.isEmpty())
            blockers << tr("Choose a video file, drop one here, or enter a video URL.");
        else if (m_probing)
            blockers << tr("Checking the video…");
        else if (!m_filePath.isEmpty() && !m_mediaProblemList.isEmpty())
            blockers << tr("Fix the problems with the video first.");
        else if (m_filePath.isEmpty() && !videoUrlProblem(url).isEmpty())
            blockers << tr("Fix the video URL first.");
    }

    const qsizetype length = m_caption->toPlainText().size();
    const int limit = photos ? kMaxPhotoDescriptionLength : kMaxCaptionLength;
    if (length > limit)
        blockers << (photos ? tr("The description is %1 characters too long: TikTok allows %2.")
                            : tr("The caption is %1 characters too long: TikTok allows %2."))
                        .arg(length - limit)
                        .arg(limit);

    const QList<qint64> ids = m_accounts->tickedAccountIds();
    if (ids.isEmpty())
        blockers << tr("Tick at least one TikTok account.");
    if (m_modeDirect->isChecked()) {
        if (ids.size() > 1)
            blockers << tr("To post directly, tick exactly one account.");
        else if (ids.size() == 1 && m_creator->loading())
            blockers << tr("Waiting for what TikTok allows this account…");
        else if (ids.size() == 1 && !m_creator->info())
            blockers
                << tr("What TikTok allows this account is unknown: %1").arg(m_creator->error());
        else if (ids.size() == 1 && m_privacy->currentData().toString().isEmpty())
            blockers << (photos ? tr("Choose who can see the photos.")
                                : tr("Choose who can see the video."));
    }
    blockers << queueBlockers(m_queue, m_publishing);
    return blockers;
}

void PublishPage::updatePublishState() {
    if (!m_controls.button)
        return; // still building the page
    showBlockers(m_controls.button, m_controls.hint, publishBlockers());
}

jobs::PublicationDraft PublishPage::buildDraft() const {
    const QList<qint64> ids = m_accounts->tickedAccountIds();
    const bool direct = m_modeDirect->isChecked();
    const bool photos = photosChosen();
    jobs::PublicationDraft draft;
    draft.accountIds = ids;
    draft.kind = photos ? QStringLiteral("photo") : QStringLiteral("video");
    draft.caption = m_caption->toPlainText(); // a photo post's description
    // Inbox photos go to TikTok as MEDIA_UPLOAD, direct ones as DIRECT_POST.
    QJsonObject options{
        {QStringLiteral("mode"), direct ? QStringLiteral("direct") : QStringLiteral("inbox")}};
    if (photos) {
        // TikTok pulls photos from their addresses: no file, no video URL.
        options.insert(QStringLiteral("photo_urls"), QJsonArray::fromStringList(photoUrls()));
        options.insert(QStringLiteral("photo_cover_index"), m_photoCover->value() - 1);
        options.insert(QStringLiteral("title"), m_photoTitle->text());
    } else if (!m_filePath.isEmpty() && m_media) {
        draft.filePath = m_filePath;
        draft.fileSize = m_media->sizeBytes;
        options.insert(QStringLiteral("content_type"), m_media->uploadContentType);
        options.insert(QStringLiteral("duration_ms"), m_media->durationMs);
    } else {
        draft.sourceUrl = m_videoUrl->text().trimmed();
    }
    if (direct) {
        options.insert(QStringLiteral("privacy_level"), m_privacy->currentData().toString());
        options.insert(QStringLiteral("disable_comment"), m_disableComment->isChecked());
        if (!photos) { // photo posts have no Duet or Stitch
            options.insert(QStringLiteral("disable_duet"), m_disableDuet->isChecked());
            options.insert(QStringLiteral("disable_stitch"), m_disableStitch->isChecked());
        }
    }
    // The post link is built from it; one draft's options serve all its targets, so it is
    // only given when there is one.
    if (ids.size() == 1)
        options.insert(QStringLiteral("username"), accountUsername(ids.first()));
    draft.options = options;
    return draft;
}

void PublishPage::publish() {
    if (!publishBlockers().isEmpty() || !m_queue)
        return;
    const jobs::PublicationDraft draft = buildDraft();
    const bool photos = draft.kind == QLatin1String("photo");
    queueDrafts(
        this, m_queue, {draft}, &m_publishing, m_controls.status, [this] { updatePublishState(); },
        [this, photos](const QList<qint64> &ids) {
            // So the same video or photos are not queued twice by accident.
            if (photos)
                clearPhotos();
            else
                clearSource();
            m_controls.status->showNote(tr("Queued: follow it in Queue."));
            refreshQuota();
            Q_EMIT published(ids);
        });
}

} // namespace huntaze::ui
