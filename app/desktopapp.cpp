#include "desktopapp.h"

#include "accounts/accountspage.h"
#include "jobs/publishingsession.h"
#include "net/relayclient.h"
#include "publish/postspage.h"
#include "publish/publishpage.h"
#include "publish/queuepage.h"
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
    m_publish = new ui::PublishPage;
    m_window->setSectionView(ui::MainWindow::Section::Publish, m_publish);
    m_queue = new ui::QueuePage;
    m_window->setSectionView(ui::MainWindow::Section::Queue, m_queue);
    m_posts = new ui::PostsPage;
    m_window->setSectionView(ui::MainWindow::Section::Posts, m_posts);
    // After queueing, show where the publication goes on.
    connect(m_publish, &ui::PublishPage::published, this,
            [this] { m_window->showSection(ui::MainWindow::Section::Queue); });
}

DesktopApp::~DesktopApp() {
    // Uploads stop where they are; their rows say how to go on next time.
    m_publishing.reset();
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
    m_posts->setDatabase(m_database);
    startPublishing();
}

void DesktopApp::startPublishing() {
    if (!m_database || !m_relay || !m_platforms)
        return; // both the database and the relay's platform directory are needed
    m_publishing.reset();
    m_publishing = std::make_unique<jobs::PublishingSession>(
        m_database, m_relay, jobs::PublishingSession::apiBasesFrom(*m_platforms));
    m_publish->setServices(m_database, m_publishing->queue(), m_publishing->store(),
                           m_publishing->tokens(), m_publishing->tiktok());
    m_queue->setServices(m_database, m_publishing->queue());
    m_publishing->queue()->start();
}

void DesktopApp::useRelay(const QUrl &relayUrl, const QByteArray &credential) {
    m_publishing.reset(); // it uses the relay client about to go
    m_platforms.reset();
    delete m_relay;
    m_relay = new net::RelayClient(relayUrl, this);
    m_relay->setCredential(credential);
    m_relay->platforms([this](const Result<QJsonObject> &platforms) {
        if (!platforms) {
            m_window->setConnectionProblem(platforms.error().message);
            return;
        }
        m_accounts->setRelay(m_relay, *platforms);
        m_platforms = *platforms;
        startPublishing();
    });
}

} // namespace huntaze::app
