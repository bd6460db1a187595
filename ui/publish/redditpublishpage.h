#pragma once

#include "jobs/publicationdraft.h"
#include "media/mediainfo.h"
#include "platforms/reddit/redditlisting.h"
#include "publishpagelayout.h"

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace huntaze::jobs {
class PublicationQueue;
}
namespace huntaze::net {
class AccessTokens;
}
namespace huntaze::reddit {
class RedditClient;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class AccountCheckList;
class KindChoice;

// Publish to Reddit: choose the Reddit accounts, the kind of post (text, link, image,
// video), the subreddit (its link flairs are fetched once the name is typed), the title
// (counted live against Reddit's 300 characters), the text, the link or the local file,
// NSFW and spoiler; checked with Reddit's own rules before Publish is enabled, then
// queued as one draft: one publication per account (the contract's options.reddit).
class RedditPublishPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kFlairDelayMs = 600; // typing pause before the flairs are fetched

    explicit RedditPublishPage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue,
                     net::AccessTokens *tokens, reddit::RedditClient *reddit);
    void refresh(); // re-reads the accounts
    // Rows with id, display_name, username (connected Reddit accounts).
    void setAccounts(const QList<QJsonObject> &rows);
    void setKind(const QString &kind); // self | link | image | video
    QString kind() const;
    // The image or video to post (kinds image, video): an image is checked at once, a
    // video probed off the GUI thread.
    void setFile(const QString &path);
    // The flairs offered for the subreddit as typed (normally fetched from Reddit).
    void setFlairs(const QList<reddit::Flair> &flairs);

    QStringList publishBlockers() const;
    jobs::PublicationDraft buildDraft() const;

Q_SIGNALS:
    void published(const QList<qint64> &ids);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createAccountsBox();
    QWidget *createPostBox();
    QWidget *createOptionsBox();
    QList<qint64> tickedAccountIds() const;
    QString subreddit() const;
    void onKindChanged();
    void onSubredditEdited();
    void fetchFlairs();
    void onFlairChosen();
    void chooseFile();
    void showFile();
    QStringList fileProblems() const;
    void updateTitleCounter();
    void updatePublishState();
    void publish();

    jobs::PublicationQueue *m_queue = nullptr;
    net::AccessTokens *m_tokens = nullptr;
    reddit::RedditClient *m_reddit = nullptr;

    AccountCheckList *m_accounts = nullptr;
    KindChoice *m_kinds = nullptr;
    QLineEdit *m_subreddit = nullptr;
    QLineEdit *m_title = nullptr;
    QLabel *m_titleCounter = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QWidget *m_bodyPart = nullptr;
    QLineEdit *m_link = nullptr;
    QWidget *m_linkPart = nullptr;
    QWidget *m_filePart = nullptr;
    QPushButton *m_chooseFile = nullptr;
    QLabel *m_fileSummary = nullptr;
    QLabel *m_fileProblems = nullptr;
    QComboBox *m_flair = nullptr;
    QLineEdit *m_flairText = nullptr;
    QLabel *m_flairStatus = nullptr;
    QCheckBox *m_nsfw = nullptr;
    QCheckBox *m_spoiler = nullptr;
    PublishControls m_controls; // Publish, why it is disabled, what became of it

    QList<reddit::Flair> m_flairs;
    QTimer m_flairTimer;
    quint64 m_flairSerial = 0;
    QString m_filePath;
    qint64 m_fileBytes = 0;
    QString m_imageFormat; // jpeg, png, gif as QImageReader names it; empty: not an image
    QString m_fileError;   // the file cannot be read at all
    QString m_probeError;  // not a video libavformat can read
    std::optional<media::MediaInfo> m_video;
    bool m_probing = false;
    quint64 m_probeSerial = 0;
    bool m_publishing = false;
};

} // namespace huntaze::ui
