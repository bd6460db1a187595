#pragma once

#include "jobs/publicationdraft.h"
#include "media/mediainfo.h"
#include "platforms/instagram/instagrammediarules.h"
#include "publishpagelayout.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace huntaze::instagram {
class InstagramClient;
}
namespace huntaze::jobs {
class PublicationQueue;
}
namespace huntaze::net {
class AccessTokens;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class AccountCheckList;
class KindChoice;

// Publish to Instagram: choose the Instagram professional accounts, the kind (photo,
// reel, story, carousel of 2-10 items) and its media — local videos (checked against
// Instagram's limits before anything is sent, uploaded without a public URL) and photos
// by the address of a public JPEG, or, when the relay hosts media, local JPEGs (checked
// at once, uploaded to the relay for Instagram to fetch) — write the caption
// (characters, hashtags and mentions counted live), see each account's publishing
// quota, and queue it: one publication per account.
class InstagramPublishPage : public QWidget {
    Q_OBJECT
public:
    explicit InstagramPublishPage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                     net::AccessTokens *tokens, instagram::InstagramClient *instagram);
    void refresh(); // re-reads the accounts
    // Rows with ig_business_id, username, page_name, access_level, account_id.
    void setAccounts(const QList<QJsonObject> &rows);
    void setKind(const QString &kind); // photo | reel | story | carousel
    // The reel's or story's video (probed off the GUI thread), or a carousel video item.
    void setVideoFile(const QString &path);
    void addCarouselVideo(const QString &path);
    void addCarouselPhotoUrl(const QString &url);
    // Whether the relay hosts local photos for Instagram (its /v1/platforms says
    // "media_host" in the instagram entry): only then are local JPEGs offered.
    void setMediaHost(bool available);
    bool mediaHost() const { return m_mediaHost; }
    // The photo's or story's local JPEG, checked at once (empty: none, use the address).
    void setPhotoFile(const QString &path);
    void addCarouselPhotoFile(const QString &path);

    QStringList publishBlockers() const;
    QList<jobs::PublicationDraft> buildDrafts() const;

Q_SIGNALS:
    void published(const QList<qint64> &ids);

private:
    struct Item {     // a carousel item
        QString type; // image | video
        QString url;
        QString path;
        qint64 bytes = 0; // a local photo's
        std::optional<media::MediaInfo> media;
        QString problem; // probe failure or broken rule
        bool probing = false;
        quint64 serial = 0; // finds the item again when its probe answers
    };
    QWidget *createAccountsBox();
    QWidget *createMediaBox();
    QWidget *createCaptionBox();
    QString kind() const;
    void onKindChanged();
    void chooseVideo();
    void chooseCarouselVideo();
    void choosePhoto();
    void chooseCarouselPhoto();
    void showPhoto();
    void showPhotoOptions();
    QStringList photoFileProblems() const;
    bool usesPhotoFile() const; // photo or story from a local JPEG
    void showVideo();
    void showItems();
    void updateCaptionCounter();
    void updatePublishState();
    void refreshQuota();
    QList<QJsonObject> tickedAccounts() const;
    void publish();

    store::DesktopDatabase *m_database = nullptr;
    jobs::PublicationQueue *m_queue = nullptr;
    net::AccessTokens *m_tokens = nullptr;
    instagram::InstagramClient *m_instagram = nullptr;

    AccountCheckList *m_accounts = nullptr;
    QLabel *m_quota = nullptr;
    KindChoice *m_kinds = nullptr;
    QWidget *m_urlPart = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_urlProblem = nullptr;
    QLabel *m_urlHint = nullptr;
    QPushButton *m_choosePhoto = nullptr;
    QPushButton *m_clearPhoto = nullptr;
    QLabel *m_photoSummary = nullptr;
    QLabel *m_photoProblems = nullptr;
    QPushButton *m_addPhotoFile = nullptr;
    QWidget *m_videoPart = nullptr;
    QPushButton *m_chooseVideo = nullptr;
    QLabel *m_videoSummary = nullptr;
    QLabel *m_videoProblems = nullptr;
    QCheckBox *m_shareToFeed = nullptr;
    QWidget *m_carouselPart = nullptr;
    QListWidget *m_items = nullptr;
    QLineEdit *m_itemUrl = nullptr;
    QLabel *m_itemsProblem = nullptr;
    QPlainTextEdit *m_caption = nullptr;
    QLabel *m_captionCounter = nullptr;
    QLabel *m_captionProblems = nullptr;
    PublishControls m_controls; // Publish, why it is disabled, what became of it

    QList<QJsonObject> m_accountRows;
    QHash<QString, QString> m_quotaText; // ig_business_id -> "2 of 50 posts used…"
    QString m_videoPath;
    std::optional<media::MediaInfo> m_video;
    QString m_videoError;
    bool m_videoProbing = false;
    quint64 m_probeSerial = 0;
    QList<Item> m_itemList;
    bool m_mediaHost = false;
    QString m_photoPath;
    instagram::ImageFacts m_photoFacts;
    bool m_publishing = false;
};

} // namespace huntaze::ui
