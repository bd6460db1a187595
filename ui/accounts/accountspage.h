#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace huntaze::net {
class RelayClient;
}
namespace huntaze::store {
class DesktopDatabase;
}
namespace huntaze::oauth {
class ConnectFlow;
}

namespace huntaze::ui {

class AvatarCache;
class InstagramSetup;

// Accounts: one Connect button per platform the relay brokers, what is connected, and
// while a sign-in is open in the browser, that Huntaze is waiting (with Cancel), then
// either the new account or a message saying what to do. Under a Facebook login (the
// Instagram connection) the Instagram accounts chosen for it, with what the relay noted,
// and Choose accounts; a problem with it is shown prominently (InstagramSetup).
class AccountsPage : public QWidget {
    Q_OBJECT
public:
    using OpenUrl = std::function<bool(const QUrl &)>;

    explicit AccountsPage(QWidget *parent = nullptr);
    // The relay to broker through and what it offers (GET /v1/platforms).
    void setRelay(net::RelayClient *relay, const QJsonObject &platforms);
    // Where connected accounts are read from (live: refreshed on every change).
    void setDatabase(store::DesktopDatabase *database);
    void refresh();
    // Opens the system browser by default; tests and headless sessions replace it.
    void setOpenUrl(OpenUrl openUrl) { m_openUrl = std::move(openUrl); }

    QString statusText() const;
    QStringList accountLines() const;
    InstagramSetup *instagramSetup() const { return m_instagram; }

private:
    void connectPlatform(const QString &provider);
    void showStatus(const QString &text, bool problem = false, bool busy = false);
    void showAccounts();
    void addInstagramRows(qint64 loginId);
    qint64 selectedInstagramLogin() const; // 0 unless an Instagram login is selected
    void updateActions();
    void showAvatar(const QUrl &url);
    void disconnectSelected();

    net::RelayClient *m_relay = nullptr;
    QJsonObject m_platforms;
    OpenUrl m_openUrl;
    QPointer<oauth::ConnectFlow> m_flow;
    QHash<QString, QPushButton *> m_buttons;
    QLabel *m_status;
    QProgressBar *m_busy;
    QPushButton *m_cancel;
    QListWidget *m_accounts;
    AvatarCache *m_avatars;
    QPushButton *m_disconnect;
    QPushButton *m_chooseInstagram;
    InstagramSetup *m_instagram;
    store::DesktopDatabase *m_database = nullptr;
    QList<QJsonObject> m_accountRows;   // oauth_accounts, as last read
    QList<QJsonObject> m_instagramRows; // instagram_accounts (the chosen ones), as last read
};

} // namespace huntaze::ui
