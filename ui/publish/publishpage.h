#pragma once

#include "jobs/publicationdraft.h"
#include "media/mediainfo.h"
#include "platforms/tiktok/tiktokclient.h"
#include "publishpagelayout.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QTimer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace huntaze::jobs {
class PublicationQueue;
class PublicationStore;
} // namespace huntaze::jobs
namespace huntaze::net {
class AccessTokens;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class AccountCheckList;
class TikTokCreatorInfo;

// Publish: choose TikTok accounts and what to publish, either a video (a local file,
// checked against TikTok's rules before anything is sent, or an https URL TikTok pulls)
// or photos (1 to 35 https URLs TikTok pulls, with a cover, a title and a description);
// send it to the TikTok inbox as a draft or post it directly (with the privacy and
// interaction settings the account allows), write the caption, and hand it to the
// publishing queue.
class PublishPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxCaptionLength = 2200;          // UTF-16 units (TikTok's title limit)
    static constexpr int kMaxPhotoDescriptionLength = 4000; // UTF-16 units
    static constexpr int kMaxPhotoTitleLength = 90;         // UTF-16 units
    static constexpr int kMaxPhotos = 35;
    static constexpr int kInboxSharesPerDay = 5;

    explicit PublishPage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                     jobs::PublicationStore *store, net::AccessTokens *tokens,
                     tiktok::TikTokClient *tiktok);
    void refresh(); // re-reads the accounts
    // The video to publish: probed off the GUI thread, then checked against TikTok's rules.
    void setFile(const QString &path);
    // The accounts offered (rows with id, display_name, username); refresh() sets them.
    void setAccounts(const QList<QJsonObject> &rows);
    // Why Publish is disabled, most useful first; empty when it is enabled.
    QStringList publishBlockers() const;
    // What Publish hands to the queue, built from the page as it is (blockers unchecked).
    jobs::PublicationDraft buildDraft() const;

Q_SIGNALS:
    void published(const QList<qint64> &ids);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct Quota {
        int pending = 0;
        QDateTime nextFreesAt;
        QString error;
    };
    QWidget *createAccountsBox();
    QWidget *createVideoBox();
    QWidget *createModeBox();
    QWidget *createCaptionBox();

    bool photosChosen() const;
    QStringList photoUrls() const; // the non-empty lines, trimmed
    void onKindChanged();
    void onPhotoUrlsEdited();
    void updatePhotoTitleCounter();
    void clearPhotos();
    void chooseFile();
    void onVideoUrlEdited(const QString &text);
    void clearSource();
    void updateMediaProblems();
    void showMedia();
    QString accountUsername(qint64 id) const;
    void onTargetsChanged();
    void showCreatorInfo();
    void refreshQuota();
    void showQuota();
    void updateCaptionCounter();
    void updatePublishState();
    void publish();

    jobs::PublicationQueue *m_queue = nullptr;
    jobs::PublicationStore *m_store = nullptr;

    AccountCheckList *m_accounts = nullptr;
    QRadioButton *m_kindVideo = nullptr;
    QRadioButton *m_kindPhotos = nullptr;
    QWidget *m_videoPart = nullptr;
    QWidget *m_photoPart = nullptr;
    QPlainTextEdit *m_photoUrls = nullptr;
    QLabel *m_photoUrlsProblem = nullptr;
    QSpinBox *m_photoCover = nullptr;
    QLineEdit *m_photoTitle = nullptr;
    QLabel *m_photoTitleCounter = nullptr;
    QPushButton *m_chooseFile = nullptr;
    QLabel *m_fileLabel = nullptr;
    QProgressBar *m_mediaBusy = nullptr;
    QLabel *m_mediaSummary = nullptr;
    QLabel *m_mediaProblems = nullptr;
    QLineEdit *m_videoUrl = nullptr;
    QLabel *m_videoUrlProblem = nullptr;
    QRadioButton *m_modeInbox = nullptr;
    QRadioButton *m_modeDirect = nullptr;
    QLabel *m_quota = nullptr;
    QWidget *m_directOptions = nullptr;
    QProgressBar *m_creatorBusy = nullptr;
    QLabel *m_creatorStatus = nullptr;
    QComboBox *m_privacy = nullptr;
    QCheckBox *m_disableComment = nullptr;
    QCheckBox *m_disableDuet = nullptr;
    QCheckBox *m_disableStitch = nullptr;
    QGroupBox *m_captionBox = nullptr;
    QPlainTextEdit *m_caption = nullptr;
    QLabel *m_captionCounter = nullptr;
    QLabel *m_captionHint = nullptr;
    PublishControls m_controls; // Publish, why it is disabled, what became of it

    QList<QJsonObject> m_accountRows;
    QString m_filePath;
    bool m_probing = false;
    quint64 m_probeSerial = 0;
    std::optional<media::MediaInfo> m_media;
    QString m_probeError;
    QStringList m_mediaProblemList;

    TikTokCreatorInfo *m_creator = nullptr; // for direct posts

    QHash<qint64, Quota> m_quotas;
    quint64 m_quotaSerial = 0;
    QTimer m_quotaTimer; // coalesces bursts of tiktok_posts changes

    bool m_publishing = false;
};

} // namespace huntaze::ui
