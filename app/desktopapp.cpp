#include "desktopapp.h"

#include "accounts/accountspage.h"
#include "activity/activitypage.h"
#include "diagnostics/desktoplog.h"
#include "diagnostics/diagnosticsexport.h"
#include "health/healthpage.h"
#include "inbox/inboxpage.h"
#include "insights/insightspage.h"
#include "jobs/publishingsession.h"
#include "net/relayclient.h"
#include "pairing/pairingstore.h"
#include "publish/instagrampublishpage.h"
#include "publish/multipublishpage.h"
#include "publish/postspage.h"
#include "publish/publishpage.h"
#include "publish/publishsection.h"
#include "publish/queuepage.h"
#include "publish/redditpublishpage.h"
#include "publish/xpublishpage.h"
#include "sandbox/sandboxlauncher.h"
#include "settings/settingspage.h"
#include "shell/mainwindow.h"
#include "shell/trayicon.h"
#include "shell/welcomedialog.h"
#include "store/desktopdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QGuiApplication>
#include <QStatusBar>
#include <QSysInfo>

namespace huntaze::app {

namespace {
// What a notification needs to know about a changed row (the desktop's login reads its
// user's rows only, and never a token column).
const QString kPublicationRow = QStringLiteral(
    "SELECT p.id, p.state, p.provider, p.caption, p.last_error_message, p.permalink, "
    "a.display_name AS account, t.post_mode, t.status AS tiktok_status "
    "FROM publications p "
    "LEFT JOIN oauth_accounts a ON a.id = p.account_id AND a.user_id = p.user_id "
    "LEFT JOIN LATERAL (SELECT post_mode, status FROM tiktok_posts "
    "WHERE publication_id = p.id AND user_id = p.user_id ORDER BY id DESC LIMIT 1) t ON true "
    "WHERE p.id = $1");
const QString kAccountRow =
    QStringLiteral("SELECT id, provider, display_name, status FROM oauth_accounts WHERE id = $1");
} // namespace

DesktopApp::DesktopApp(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_settings(m_options.settingsFile.isEmpty() ? DesktopSettings::defaultFilePath()
                                                  : m_options.settingsFile)
    , m_window(std::make_unique<ui::MainWindow>()) {
    m_pairing = new PairingStore(m_settings, QStringLiteral("huntaze"), this);
    createSessionViews();
    m_settingsPage = new ui::SettingsPage;
    m_window->setSectionView(ui::MainWindow::Section::Settings, m_settingsPage);
    connect(m_settingsPage, &ui::SettingsPage::pairRequested, this, &DesktopApp::pair);
    connect(m_settingsPage, &ui::SettingsPage::unpairRequested, this, &DesktopApp::unpair);
    connect(m_settingsPage, &ui::SettingsPage::sandboxModeChanged, this, [this](bool enabled) {
        m_settings.setSandboxMode(enabled);
        m_settings.sync();
    });
}

DesktopApp::~DesktopApp() {
    // Uploads stop where they are; their rows say how to go on next time.
    m_publishing.reset();
    m_tray.reset();
    m_settings.setWindowGeometry(m_window->saveGeometry());
    m_settings.sync();
    if (m_sandbox)
        m_sandbox->stop();
}

ui::WelcomeDialog *DesktopApp::welcomeDialog() const {
    return m_welcome.data();
}

ui::PublishPage *DesktopApp::publishPage() const {
    return m_publish->tiktok();
}

ui::InstagramPublishPage *DesktopApp::instagramPublishPage() const {
    return m_publish->instagram();
}

ui::RedditPublishPage *DesktopApp::redditPublishPage() const {
    return m_publish->reddit();
}

ui::XPublishPage *DesktopApp::xPublishPage() const {
    return m_publish->x();
}

ui::MultiPublishPage *DesktopApp::multiPublishPage() const {
    return m_publish->multi();
}

void DesktopApp::createSessionViews() {
    // A fresh view takes the section; the old one goes at once (not later): it points at
    // the relay and database about to go.
    const auto replace = [this]<typename View>(ui::MainWindow::Section section, View *&view) {
        QWidget *old = view;
        view = new View;
        m_window->setSectionView(section, view);
        delete old;
    };
    replace(ui::MainWindow::Section::Accounts, m_accounts);
    replace(ui::MainWindow::Section::Publish, m_publish);
    replace(ui::MainWindow::Section::Queue, m_queue);
    replace(ui::MainWindow::Section::Posts, m_posts);
    replace(ui::MainWindow::Section::Inbox, m_inbox);
    replace(ui::MainWindow::Section::Insights, m_insights);
    replace(ui::MainWindow::Section::Activity, m_activity);
    replace(ui::MainWindow::Section::Health, m_health);
    connect(m_health, &ui::HealthPage::accountsRequested, this,
            [this] { m_window->showSection(ui::MainWindow::Section::Accounts); });
    connect(m_health, &ui::HealthPage::diagnosticsExportRequested, this,
            &DesktopApp::exportDiagnostics);
    // After queueing, show where the publication goes on.
    connect(m_publish, &ui::PublishSection::published, this,
            [this] { m_window->showSection(ui::MainWindow::Section::Queue); });
}

void DesktopApp::endSession() {
    createSessionViews();
    m_publishing.reset();
    m_platforms.reset();
    delete m_relay;
    m_relay = nullptr;
    delete m_database; // its pending answers are dropped with it
    m_database = nullptr;
    m_reading.clear();
    m_readAgain.clear();
    m_notifier = PublicationNotifier();
}

void DesktopApp::start() {
    if (const QByteArray geometry = m_settings.windowGeometry(); !geometry.isEmpty())
        m_window->restoreGeometry(geometry);
    m_window->show();
    if (!m_tray && ui::TrayIcon::isAvailable()) {
        m_tray = std::make_unique<ui::TrayIcon>(m_window.get());
        connect(m_tray.get(), &ui::TrayIcon::quitRequested, qApp, &QCoreApplication::quit,
                Qt::QueuedConnection);
    }
    if (m_options.sandbox || m_settings.sandboxMode()) {
        startSandbox();
        return;
    }
    m_settingsPage->setSandboxMode(false, false);
    m_settingsPage->setRelayUrl(m_settings.relayUrl());
    if (m_pairing->looksPaired())
        loadPairing();
    else
        offerWelcome();
}

void DesktopApp::offerWelcome() {
    if (!m_options.showWelcome || m_settings.welcomeShown() || m_sandbox || m_welcome)
        return;
    m_settings.setWelcomeShown(true);
    m_settings.sync();
    auto *dialog = new ui::WelcomeDialog(m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_welcome = dialog;
    connect(dialog, &ui::WelcomeDialog::chosen, this, [this](ui::WelcomeDialog::Choice choice) {
        switch (choice) {
        case ui::WelcomeDialog::Choice::Sandbox:
            if (!m_sandbox && !m_relay)
                startSandbox();
            break;
        case ui::WelcomeDialog::Choice::Pair:
            m_window->showSection(ui::MainWindow::Section::Settings);
            m_settingsPage->focusPairing();
            break;
        case ui::WelcomeDialog::Choice::Later:
            m_window->statusBar()->showMessage(
                tr("Pair with a relay or switch on sandbox mode in Settings whenever you like."),
                15000);
            break;
        }
    });
    dialog->open();
}

void DesktopApp::startSandbox() {
    m_settings.setSandboxMode(true);
    m_settingsPage->setSandboxMode(true, true);
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

void DesktopApp::loadPairing() {
    m_window->setConnectionStatus(tr("Connecting to relay\u2026"), true);
    m_settingsPage->setPairingBusy(true);
    m_settingsPage->setPairingStatus(tr("Reading the pairing from the system keychain\u2026"));
    m_pairing->load([this](const Result<std::optional<Pairing>> &loaded) {
        m_settingsPage->setPairingBusy(false);
        if (!loaded) {
            m_window->setConnectionProblem(loaded.error().message);
            m_settingsPage->setPairingStatus(loaded.error().message, true);
            return;
        }
        const std::optional<Pairing> &pairing = loaded.value();
        if (!pairing) {
            m_window->setConnectionStatus(tr("Not connected to a relay"));
            m_settingsPage->setUnpaired(
                tr("The system keychain no longer holds the pairing with %1: pair again.")
                    .arg(m_settings.relayUrl().authority()));
            offerWelcome();
            return;
        }
        connectTo(*pairing);
        m_settingsPage->setPaired(pairing->relayUrl, pairing->deviceName);
    });
}

void DesktopApp::pair(const QUrl &relayUrl, const QString &code) {
    if (m_pairingBusy || m_sandbox)
        return;
    m_pairingBusy = true;
    const QString deviceName = QSysInfo::machineHostName();
    m_settingsPage->setPairingBusy(true);
    m_settingsPage->setPairingStatus(tr("Pairing with %1\u2026").arg(relayUrl.authority()));
    m_window->setConnectionStatus(tr("Pairing with %1\u2026").arg(relayUrl.authority()), true);
    auto *client = new net::RelayClient(relayUrl, this);
    client->pair(
        code, deviceName, [this, client, relayUrl, deviceName](const Result<QJsonObject> &paired) {
            client->deleteLater();
            Pairing pairing{relayUrl, {}, {}, deviceName};
            if (paired) {
                pairing.credential =
                    paired->value(QStringLiteral("credential")).toString().toUtf8();
                pairing.databaseUrl = paired->value(QStringLiteral("database_url")).toString();
            }
            if (!paired || pairing.credential.isEmpty() || pairing.databaseUrl.isEmpty()) {
                m_pairingBusy = false;
                m_settingsPage->setPairingBusy(false);
                m_settingsPage->setPairingStatus(
                    paired ? tr("%1 answered, but not as a Huntaze relay does: check "
                                "the address.")
                                 .arg(relayUrl.authority())
                           : paired.error().message,
                    true);
                showRelayStatus();
                return;
            }
            m_pairing->save(pairing, [this, pairing](const Result<void> &saved) {
                m_pairingBusy = false;
                m_settingsPage->setPairingBusy(false);
                connectTo(pairing);
                m_settingsPage->setPaired(pairing.relayUrl, pairing.deviceName);
                if (!saved)
                    m_settingsPage->setPairingStatus(
                        tr("Paired with %1 as %2, but the system keychain could not "
                           "keep the credential, so you will have to pair again after "
                           "a restart. %3")
                            .arg(pairing.relayUrl.authority(), pairing.deviceName,
                                 saved.error().message),
                        true);
            });
        });
}

void DesktopApp::unpair() {
    if (m_pairingBusy || m_sandbox)
        return;
    m_pairingBusy = true;
    m_settingsPage->setPairingBusy(true);
    m_settingsPage->setPairingStatus(tr("Removing the pairing\u2026"));
    m_pairing->forget([this](const Result<void> &forgotten) {
        m_pairingBusy = false;
        m_settingsPage->setPairingBusy(false);
        if (!forgotten) {
            m_settingsPage->setPairingStatus(forgotten.error().message, true);
            return;
        }
        endSession();
        m_deviceName.clear();
        m_settingsPage->setUnpaired(
            tr("Unpaired: the device credential was removed from this computer. To cut this "
               "device's access on the relay too, ask the relay's operator to revoke it."));
        showRelayStatus();
    });
}

void DesktopApp::connectTo(const Pairing &pairing) {
    if (m_relay || m_database)
        endSession(); // another relay, another user: start from fresh views
    m_deviceName = pairing.deviceName;
    m_window->setConnectionStatus(
        tr("Connecting to relay %1\u2026").arg(pairing.relayUrl.authority()), true);
    useRelay(pairing.relayUrl, pairing.credential);
    useDatabase(pairing.databaseUrl);
}

void DesktopApp::showRelayStatus() {
    if (m_sandbox)
        return; // the sandbox launcher says how it is doing
    if (!m_relay)
        m_window->setConnectionStatus(tr("Not connected to a relay"));
    else if (!m_platforms)
        m_window->setConnectionStatus(
            tr("Connecting to relay %1\u2026").arg(m_relay->relayUrl().authority()), true);
    else
        m_window->setConnectionStatus(
            tr("Relay %1 · paired as %2").arg(m_relay->relayUrl().authority(), m_deviceName));
}

void DesktopApp::useDatabase(const QString &url) {
    delete m_database;
    m_database = new store::DesktopDatabase(url, this);
    connect(m_database, &store::DesktopDatabase::unavailable, this,
            [this](const Error &error) { m_window->setConnectionProblem(error.message); });
    connect(m_database, &store::DesktopDatabase::changed, this, &DesktopApp::readChangedRow);
    m_database->start();
    m_accounts->setDatabase(m_database);
    m_posts->setDatabase(m_database);
    m_inbox->setDatabase(m_database);
    m_insights->setDatabase(m_database);
    m_activity->setDatabase(m_database);
    m_health->setDatabase(m_database);
    startPublishing();
}

void DesktopApp::startPublishing() {
    if (!m_database || !m_relay || !m_platforms)
        return; // both the database and the relay's platform directory are needed
    m_publishing.reset();
    m_publishing = std::make_unique<jobs::PublishingSession>(
        m_database, m_relay, jobs::PublishingSession::apiBasesFrom(*m_platforms));
    m_publish->tiktok()->setServices(m_database, m_publishing->queue(), m_publishing->store(),
                                     m_publishing->tokens(), m_publishing->tiktok());
    m_publish->instagram()->setServices(m_database, m_publishing->queue(), m_publishing->tokens(),
                                        m_publishing->instagram());
    m_publish->instagram()->setMediaHost(m_platforms->value(QStringLiteral("instagram"))
                                             .toObject()
                                             .value(QStringLiteral("media_host"))
                                             .toBool());
    m_publish->reddit()->setServices(m_database, m_publishing->queue(), m_publishing->tokens(),
                                     m_publishing->reddit());
    m_publish->x()->setServices(m_database, m_publishing->queue());
    m_publish->multi()->setServices(m_database, m_publishing->queue(), m_publishing->tokens(),
                                    m_publishing->tiktok());
    m_publish->multi()->setMediaHost(m_publish->instagram()->mediaHost());
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
            if (!m_sandbox)
                m_settingsPage->setPairingStatus(platforms.error().message, true);
            return;
        }
        m_accounts->setRelay(m_relay, *platforms);
        m_inbox->setRelay(m_relay);
        m_platforms = *platforms;
        showRelayStatus();
        startPublishing();
    });
}

void DesktopApp::readChangedRow(const QString &table, const QString &key) {
    const bool publication = table == QLatin1String("publications");
    if (!m_database || (!publication && table != QLatin1String("oauth_accounts")))
        return;
    bool numeric = false;
    const qint64 id = key.toLongLong(&numeric);
    if (!numeric)
        return;
    const QString slot = table + QLatin1Char(':') + key;
    if (m_reading.contains(slot)) {
        m_readAgain.insert(slot); // read once more when the answer in flight is in
        return;
    }
    m_reading.insert(slot);
    m_database->query(
        publication ? kPublicationRow : kAccountRow, {id},
        [this, table, key, slot, publication](const Result<store::DesktopDatabase::Rows> &rows) {
            m_reading.remove(slot);
            if (rows && !rows->isEmpty()) {
                const auto notification = publication ? m_notifier.publicationChanged(rows->first())
                                                      : m_notifier.accountChanged(rows->first());
                if (notification)
                    notify(notification->title, notification->message);
            }
            if (m_readAgain.remove(slot))
                readChangedRow(table, key);
        });
}

void DesktopApp::exportDiagnostics(const QString &path) {
    DiagnosticsInput input;
    input.appVersion = QCoreApplication::applicationVersion();
    input.platform = QGuiApplication::platformName();
    input.connectionStatus = m_window->connectionStatus();
    input.sandboxMode = m_sandbox != nullptr;
    input.settingsFile = m_settings.filePath();
    input.logFiles = DesktopLog::files(DesktopLog::defaultFilePath());
    input.environment = QProcessEnvironment::systemEnvironment();
    QPointer<ui::HealthPage> health(m_health);
    DiagnosticsExport::exportTo(
        path, std::move(input), m_database, this, [health](const Result<QString> &written) {
            if (!health)
                return;
            if (written)
                health->showExportResult(
                    true, tr("Saved %1. Send this file to support; you can read it first: it "
                             "holds no password or token.")
                              .arg(QDir::toNativeSeparators(*written)));
            else
                health->showExportResult(false, written.error().message);
        });
}

void DesktopApp::notify(const QString &title, const QString &message) {
    if (m_tray)
        m_tray->notify(title, message);
    else
        m_window->statusBar()->showMessage(tr("%1: %2").arg(title, message), 20000);
    Q_EMIT notified(title, message);
}

} // namespace huntaze::app
