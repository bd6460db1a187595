#pragma once

#include "jobs/publicationdraft.h"
#include "media/mediainfo.h"
#include "platforms/x/xmediarules.h"
#include "publishpagelayout.h"

#include <QJsonObject>
#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace huntaze::jobs {
class PublicationQueue;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

class AccountCheckList;

// Publish to X: choose the X accounts, write the post (counted as X counts it: most
// characters weigh 1, CJK and emoji 2, a link always 23, against 280), attach up to 4
// photos, or one GIF, or one video (each file checked at once against X's media rules,
// a video probed off the GUI thread), and queue it as one draft: one publication per
// account (kinds text | images | gif | video, photos in options.x.images).
class XPublishPage : public QWidget {
    Q_OBJECT
public:
    explicit XPublishPage(QWidget *parent = nullptr);

    void setServices(store::DesktopDatabase *database, jobs::PublicationQueue *queue);
    void refresh(); // re-reads the accounts
    // Rows with id, display_name, username (connected X accounts).
    void setAccounts(const QList<QJsonObject> &rows);
    void addFile(const QString &path); // a photo, a GIF or a video, checked at once
    void removeFile(int index);
    void clearFiles();

    QStringList publishBlockers() const;
    jobs::PublicationDraft buildDraft() const;

Q_SIGNALS:
    void published(const QList<qint64> &ids);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct Attachment {
        QString path;
        std::optional<x::MediaFile> file; // type, category and size, when X takes it
        QString problem;                  // why X would not take it
        bool probing = false;             // a video being read
        quint64 serial = 0;
    };
    QWidget *createAccountsBox();
    QWidget *createTextBox();
    QWidget *createMediaBox();
    void chooseFiles();
    void showFiles();
    QString setProblem() const; // the combination (4 photos, or 1 GIF, or 1 video)
    QString kind() const;       // text | images | gif | video
    void updateCounter();
    void updatePublishState();
    void publish();

    jobs::PublicationQueue *m_queue = nullptr;

    AccountCheckList *m_accounts = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_counter = nullptr;
    QListWidget *m_files = nullptr;
    QPushButton *m_addFiles = nullptr;
    QPushButton *m_removeFile = nullptr;
    QLabel *m_mediaProblems = nullptr;
    PublishControls m_controls; // Publish, why it is disabled, what became of it

    QList<Attachment> m_attachments;
    bool m_publishing = false;
};

} // namespace huntaze::ui
