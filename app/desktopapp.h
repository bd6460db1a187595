#pragma once

#include "desktopsettings.h"

#include <QObject>

#include <memory>

namespace huntaze::ui {
class MainWindow;
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

private:
    void startSandbox();
    Options m_options;
    DesktopSettings m_settings;
    std::unique_ptr<ui::MainWindow> m_window;
    SandboxLauncher *m_sandbox = nullptr;
};

} // namespace huntaze::app
