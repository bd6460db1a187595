#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace huntaze::app {

// What to tell the creator, e.g. in a tray notification.
struct Notification {
    QString title;
    QString message;
    bool operator==(const Notification &) const = default;
};

// Decides which changes deserve a notification: a publication that reached the TikTok
// inbox, was published, failed or needs the creator; an account that must be
// reconnected. Rows are as the database hands them (column -> text):
//   publications: id, state, provider, caption, last_error_message, permalink, account
//                 (display name), post_mode and tiktok_status (of its TikTok post, if any)
//   oauth_accounts: id, provider, display_name, status
// Pure logic: the window reads the rows and shows what comes out.
class PublicationNotifier {
    Q_DECLARE_TR_FUNCTIONS(PublicationNotifier)
public:
    // before: the row as last seen, empty when not seen before.
    static std::optional<Notification> forPublication(const QJsonObject &before,
                                                      const QJsonObject &after);
    static std::optional<Notification> forAccount(const QJsonObject &before,
                                                  const QJsonObject &after);

    // The same, remembering every row seen so far: a state already notified for an id is
    // never notified again until the row has left it (a retried upload may fail again).
    std::optional<Notification> publicationChanged(const QJsonObject &row);
    std::optional<Notification> accountChanged(const QJsonObject &row);

private:
    struct Seen {
        QJsonObject row;
        QString notified; // the state last notified, empty when none
    };
    static std::optional<Notification> remember(Seen &seen, const QJsonObject &row,
                                                const QString &state,
                                                std::optional<Notification> notification);
    QHash<QString, Seen> m_publications;
    QHash<QString, Seen> m_accounts;
};

} // namespace huntaze::app
