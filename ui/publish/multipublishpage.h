#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"
#include "media/mediainfo.h"
#include "platforms/instagram/instagrammediarules.h"
#include "platforms/tiktok/tiktokclient.h"
#include "publishpagelayout.h"

#include <QJsonObject>
#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QTreeWidget;

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

class TikTokCreatorInfo;

// "Several platforms": one post to accounts of any connected platforms at once. The
// creator ticks accounts grouped by platform, gives one file (a video or a photo) or
// none (text only), one caption, and only what the chosen platforms need besides (Reddit:
// subreddit and title; TikTok: inbox or direct, and then who can see it, which TikTok
// wants the creator to choose). Each platform's rules are checked at once and every
// blocker names its platform. Publish queues ONE draft: one row per account, each with
// its own progress, status and error in Queue; the kind each platform gets is in
// kindByProvider (a video is a reel on Instagram, a photo an image on Reddit, ...).
class MultiPublishPage : public QWidget {
    Q_OBJECT
public:
    // What the file is: nothing (text only), a photo, or a video.
    enum class Content { Text, Photo, Video };

    explicit MultiPublishPage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                     net::AccessTokens *tokens, tiktok::TikTokClient *tiktok);
    void refresh(); // re-reads the accounts of every platform
    // accounts: oauth_accounts rows (id, provider, display_name, username) of TikTok,
    // Reddit and X; instagram: instagram_accounts rows (account_id, ig_business_id,
    // username, access_level), one per Instagram professional account.
    void setAccounts(const QList<QJsonObject> &accounts, const QList<QJsonObject> &instagram);
    // Whether the relay hosts local photos for Instagram (which fetches photos by URL).
    void setMediaHost(bool available);
    // The one file (probed off the GUI thread when it is not a photo); empty: text only.
    void setFile(const QString &path);
    Content content() const;

    QStringList publishBlockers() const;
    jobs::PublicationDraft buildDraft() const;

Q_SIGNALS:
    void published(const QList<qint64> &ids);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // A ticked account: its oauth_accounts id, platform, and for Instagram which one.
    struct Target {
        qint64 accountId = 0;
        QString provider;
        QString igBusinessId;
        QString username;
        QString accessLevel;
    };
    QWidget *createAccountsBox();
    QWidget *createContentBox();
    QWidget *createTikTokBox();
    QWidget *createRedditBox();
    QWidget *createPlatformNotes();
    QList<Target> ticked() const;
    QList<Target> ticked(const QString &provider) const;
    void onTargetsChanged();
    void chooseFile();
    void showFile();
    void showCreatorInfo();
    QStringList tiktokBlockers() const;
    QStringList instagramBlockers() const;
    QStringList redditBlockers() const;
    QStringList xBlockers() const;
    void showPlatformNotes();
    void updatePublishState();
    void publish();

    store::DesktopDatabase *m_database = nullptr;
    jobs::PublicationQueue *m_queue = nullptr;

    QTreeWidget *m_accounts = nullptr;
    QLabel *m_noAccounts = nullptr;
    QPushButton *m_chooseFile = nullptr;
    QPushButton *m_textOnly = nullptr;
    QLabel *m_fileSummary = nullptr;
    QLabel *m_fileProblem = nullptr;
    QPlainTextEdit *m_caption = nullptr;
    QLabel *m_captionCounter = nullptr;
    QGroupBox *m_tiktokBox = nullptr;
    QRadioButton *m_tiktokInbox = nullptr;
    QRadioButton *m_tiktokDirect = nullptr;
    QWidget *m_tiktokDirectPart = nullptr;
    QLabel *m_creatorStatus = nullptr;
    QComboBox *m_privacy = nullptr;
    QGroupBox *m_redditBox = nullptr;
    QLineEdit *m_subreddit = nullptr;
    QLineEdit *m_redditTitle = nullptr;
    QLabel *m_redditTitleCounter = nullptr;
    QLabel *m_platformNotes = nullptr;
    PublishControls m_controls; // Publish, why it is disabled, what became of it

    bool m_mediaHost = false;
    QString m_filePath;
    qint64 m_fileBytes = 0;
    QString m_imageFormat; // the photo's format by its bytes: jpeg, png, gif, webp
    instagram::ImageFacts m_imageFacts;
    std::optional<media::MediaInfo> m_video;
    QString m_fileError;
    QString m_xFileProblem; // X's media rules for the file, read once when it is chosen
    bool m_probing = false;
    quint64 m_probeSerial = 0;

    TikTokCreatorInfo *m_creator = nullptr; // for direct posts
    bool m_publishing = false;
    quint64 m_refreshSerial = 0; // the latest refresh(): older answers are dropped
};

} // namespace huntaze::ui
