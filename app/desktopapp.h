#pragma once

#include "desktopsettings.h"

#include <QObject>

#include <memory>

namespace huntaze::ui {
class MainWindow;
class AccountsPage;
} // namespace huntaze::ui
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

private:
    void startSandbox();
    // Once paired with a relay: learn what it brokers and let the Accounts page use it.
    void useRelay(const QUrl &relayUrl, const QByteArray &credential);
    void useDatabase(const QString &url);
    Options m_options;
    DesktopSettings m_settings;
    std::unique_ptr<ui::MainWindow> m_window;
    SandboxLauncher *m_sandbox = nullptr;
    ui::AccountsPage *m_accounts = nullptr;
    net::RelayClient *m_relay = nullptr;
    store::DesktopDatabase *m_database = nullptr;
};

} // namespace huntaze::app
