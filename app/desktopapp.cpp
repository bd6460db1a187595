#include "desktopapp.h"

#include "accounts/accountspage.h"
#include "net/relayclient.h"
#include "sandbox/sandboxlauncher.h"
#include "shell/mainwindow.h"
#include "store/desktopdatabase.h"

namespace huntaze::app {

DesktopApp::DesktopApp(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_settings(m_options.settingsFile.isEmpty() ? DesktopSettings::defaultFilePath()
                                                  : m_options.settingsFile)
    , m_window(std::make_unique<ui::MainWindow>()) {
    m_accounts = new ui::AccountsPage;
    m_window->setSectionView(ui::MainWindow::Section::Accounts, m_accounts);
}

DesktopApp::~DesktopApp() {
    m_settings.setWindowGeometry(m_window->saveGeometry());
    m_settings.sync();
    if (m_sandbox)
        m_sandbox->stop();
}

void DesktopApp::start() {
    if (const QByteArray geometry = m_settings.windowGeometry(); !geometry.isEmpty())
        m_window->restoreGeometry(geometry);
    m_window->show();
    if (m_options.sandbox || m_settings.sandboxMode())
        startSandbox();
}

void DesktopApp::startSandbox() {
    m_settings.setSandboxMode(true);
    QString directory = m_options.sandboxDirectory;
    if (directory.isEmpty())
        directory = m_settings.sandboxDataDirectory();
    m_sandbox = new SandboxLauncher(directory, this);
    connect(m_sandbox, &SandboxLauncher::progress, this,
            [this](SandboxLauncher::Step step, const QString &text) {
                m_window->setConnectionStatus(text, step != SandboxLauncher::Step::Ready);
            });
    connect(m_sandbox, &SandboxLauncher::ready, this, [this](const SandboxEndpoints &endpoints) {
        m_window->setConnectionStatus(
            tr("Sandbox mode · relay %1 · platforms %2")
                .arg(endpoints.relayUrl.authority(), endpoints.platformsUrl.authority()));
        useRelay(endpoints.relayUrl, endpoints.deviceCredential);
        useDatabase(endpoints.desktopDatabaseUrl);
    });
    connect(m_sandbox, &SandboxLauncher::failed, this, [this](const QString &message) {
        m_window->setConnectionProblem(
            tr("Sandbox mode stopped: %1").arg(message.section(QLatin1Char('\n'), 0, 0)));
        m_window->setToolTip(message);
    });
    m_sandbox->start();
}

void DesktopApp::useDatabase(const QString &url) {
    delete m_database;
    m_database = new store::DesktopDatabase(url, this);
    connect(m_database, &store::DesktopDatabase::unavailable, this,
            [this](const Error &error) { m_window->setConnectionProblem(error.message); });
    m_database->start();
    m_accounts->setDatabase(m_database);
}

void DesktopApp::useRelay(const QUrl &relayUrl, const QByteArray &credential) {
    delete m_relay;
    m_relay = new net::RelayClient(relayUrl, this);
    m_relay->setCredential(credential);
    m_relay->platforms([this](const Result<QJsonObject> &platforms) {
        if (!platforms) {
            m_window->setConnectionProblem(platforms.error().message);
            return;
        }
        m_accounts->setRelay(m_relay, *platforms);
    });
}

} // namespace huntaze::app
