#pragma once

#include "desktopsettings.h"
#include "notifications/publicationnotifier.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

namespace huntaze::ui {
class MainWindow;
class AccountsPage;
class InboxPage;
class InstagramPublishPage;
class MultiPublishPage;
class PublishPage;
class RedditPublishPage;
class XPublishPage;
class PublishSection;
class QueuePage;
class PostsPage;
class InsightsPage;
class ActivityPage;
class HealthPage;
class SettingsPage;
class TrayIcon;
class WelcomeDialog;
} // namespace huntaze::ui
namespace huntaze::jobs {
class PublishingSession;
}
namespace huntaze::net {
class RelayClient;
}
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::app {

class SandboxLauncher;
class PairingStore;
struct Pairing;

// Owns the main window and whatever the session needs behind it (sandbox mode or a
// relay this computer is paired with), and wires them together. main() only parses the
// command line.
class DesktopApp : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool sandbox = false;
        QString sandboxDirectory;
        QString settingsFile; // empty: the platform's config folder
        // The first-run welcome (once, when neither sandbox mode nor a pairing exists).
        // Tests that do not drive it turn it off.
        bool showWelcome = true;
    };

    explicit DesktopApp(Options options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start();
    ui::MainWindow *window() const { return m_window.get(); }
    SandboxLauncher *sandbox() const { return m_sandbox; }
    // The session's views: replaced by fresh ones when the relay changes (pair, unpair).
    ui::AccountsPage *accountsPage() const { return m_accounts; }
    ui::PublishPage *publishPage() const;
    ui::InstagramPublishPage *instagramPublishPage() const;
    ui::RedditPublishPage *redditPublishPage() const;
    ui::XPublishPage *xPublishPage() const;
    ui::MultiPublishPage *multiPublishPage() const;
    ui::QueuePage *queuePage() const { return m_queue; }
    ui::PostsPage *postsPage() const { return m_posts; }
    ui::InboxPage *inboxPage() const { return m_inbox; }
    ui::HealthPage *healthPage() const { return m_health; }
    ui::SettingsPage *settingsPage() const { return m_settingsPage; }
    // Open while the first-run welcome is shown, null otherwise.
    ui::WelcomeDialog *welcomeDialog() const;
    jobs::PublishingSession *publishing() const { return m_publishing.get(); }
    PairingStore *pairingStore() const { return m_pairing; }
    const DesktopSettings &settings() const { return m_settings; }

Q_SIGNALS:
    // Every notification shown (in the tray, or the status bar where there is none).
    void notified(const QString &title, const QString &message);

private:
    void startSandbox();
    void createSessionViews();
    // Back to no relay and no database: the views are replaced, the rest deleted.
    void endSession();
    void offerWelcome();
    void loadPairing();
    void pair(const QUrl &relayUrl, const QString &code);
    void unpair();
    void connectTo(const Pairing &pairing);
    void showRelayStatus();
    // Once paired with a relay: learn what it brokers and let the Accounts page use it.
    void useRelay(const QUrl &relayUrl, const QByteArray &credential);
    void useDatabase(const QString &url);
    // Once both are there: the publishing queue starts working.
    void startPublishing();
    // Re-reads a changed publication or account and notifies when it warrants it.
    void readChangedRow(const QString &table, const QString &key);
    void notify(const QString &title, const QString &message);
    // Writes the diagnostics bundle the Health section asked for.
    void exportDiagnostics(const QString &path);

    Options m_options;
    DesktopSettings m_settings;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<ui::TrayIcon> m_tray;
    SandboxLauncher *m_sandbox = nullptr;
    PairingStore *m_pairing = nullptr;
    ui::AccountsPage *m_accounts = nullptr;
    ui::PublishSection *m_publish = nullptr;
    ui::QueuePage *m_queue = nullptr;
    ui::PostsPage *m_posts = nullptr;
    ui::InboxPage *m_inbox = nullptr;
    ui::InsightsPage *m_insights = nullptr;
    ui::ActivityPage *m_activity = nullptr;
    ui::HealthPage *m_health = nullptr;
    ui::SettingsPage *m_settingsPage = nullptr;
    QPointer<ui::WelcomeDialog> m_welcome;
    std::optional<QJsonObject> m_platforms;
    std::unique_ptr<jobs::PublishingSession> m_publishing;
    net::RelayClient *m_relay = nullptr;
    bool m_pairingBusy = false; // pairing or unpairing under way
    QString m_deviceName;
    store::DesktopDatabase *m_database = nullptr;
    PublicationNotifier m_notifier;
    QSet<QString> m_reading;   // rows being re-read ("table:key")
    QSet<QString> m_readAgain; // changed again meanwhile
};

} // namespace huntaze::app
