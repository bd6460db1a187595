#pragma once

#include "desktopsettings.h"

#include <QJsonObject>
#include <QObject>

#include <memory>
#include <optional>

namespace huntaze::ui {
class MainWindow;
class AccountsPage;
class PublishPage;
class QueuePage;
class PostsPage;
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

// Owns the main window and whatever the session needs behind it (today: sandbox
// mode), and wires them together. main() only parses the command line.
class DesktopApp : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool sandbox = false;
        QString sandboxDirectory;
        QString settingsFile; // empty: the platform's config folder
    };

    explicit DesktopApp(Options options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start();
    ui::MainWindow *window() const { return m_window.get(); }
    SandboxLauncher *sandbox() const { return m_sandbox; }
    ui::AccountsPage *accountsPage() const { return m_accounts; }
    ui::PublishPage *publishPage() const { return m_publish; }
    ui::QueuePage *queuePage() const { return m_queue; }
    ui::PostsPage *postsPage() const { return m_posts; }
    jobs::PublishingSession *publishing() const { return m_publishing.get(); }

private:
    void startSandbox();
    // Once paired with a relay: learn what it brokers and let the Accounts page use it.
    void useRelay(const QUrl &relayUrl, const QByteArray &credential);
    void useDatabase(const QString &url);
    // Once both are there: the publishing queue starts working.
    void startPublishing();
    Options m_options;
    DesktopSettings m_settings;
    std::unique_ptr<ui::MainWindow> m_window;
    SandboxLauncher *m_sandbox = nullptr;
    ui::AccountsPage *m_accounts = nullptr;
    ui::PublishPage *m_publish = nullptr;
    ui::QueuePage *m_queue = nullptr;
    ui::PostsPage *m_posts = nullptr;
    std::optional<QJsonObject> m_platforms;
    std::unique_ptr<jobs::PublishingSession> m_publishing;
    net::RelayClient *m_relay = nullptr;
    store::DesktopDatabase *m_database = nullptr;
};

} // namespace huntaze::app
