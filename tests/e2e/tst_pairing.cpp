#include "accounts/accountspage.h"
#include "childprocess.h"
#include "desktopapp.h"
#include "httpclient.h"
#include "pairing/pairingstore.h"
#include "relayprocess.h"
#include "screenshots.h"
#include "secrets/credentialstore.h"
#include "settings/settingspage.h"
#include "shell/mainwindow.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// Pairing as a person does it: the relay's operator issues a code, the creator types the
// relay's address and the code into Settings and clicks Pair. The device credential and
// database login must land in the OS keychain (a real one, scripts/with-keyring.sh) and
// nowhere in the settings file; the next start connects by itself; Unpair forgets it.
// Meanwhile the window notifies what the database announces.
class PairingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void aWrongCodeShowsTheRelaysMessage();
    void pairingKeepsTheCredentialInTheKeychainOnly();
    void theNextStartConnectsWithTheStoredPairing();
    void unpairForgetsThePairing();

private:
    QJsonObject relayCommand(const QStringList &arguments);
    std::optional<QString> keychainEntry();
    void typeAndPair(app::DesktopApp &desktop, const QString &code);
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<RelayProcess> m_relay;
    std::optional<store::PgConnection> m_sql;
    QTemporaryDir m_scratch;
    qint64 m_userId = 0;
    QStringList m_roles;
};

void PairingTest::initTestCase() {
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run under scripts/with-keyring.sh");
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    m_relay = std::make_unique<RelayProcess>(m_db->url());
    QVERIFY2(m_relay->isRunning(), m_relay->output().constData());
    m_userId = relayCommand({"user", "add", "--email", "creator@example.com", "--name", "Creator"})
                   .value("user_id")
                   .toInteger();
    QVERIFY(m_userId > 0);
}

void PairingTest::cleanupTestCase() {
    m_relay.reset();
    m_sql.reset();
    m_db.reset();
    auto admin = store::PgConnection::open(TestDatabase::adminUrl());
    if (admin)
        for (const QString &role : m_roles)
            (void)admin->execScript("DROP ROLE IF EXISTS " + admin->quoteIdentifier(role));
}

QJsonObject PairingTest::relayCommand(const QStringList &arguments) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_db->url());
    ChildProcess process(HUNTAZE_RELAY_BIN, arguments, environment);
    if (process.waitForExit() != 0)
        qWarning("%s: %s", qPrintable(arguments.join(' ')), process.output().constData());
    return QJsonDocument::fromJson(process.output().trimmed().split('\n').last()).object();
}

std::optional<QString> PairingTest::keychainEntry() {
    secrets::CredentialStore keychain; // the app's own service
    std::optional<Result<QString>> loaded;
    keychain.load(app::PairingStore::kKeychainKey, [&](const Result<QString> &r) { loaded = r; });
    if (!QTest::qWaitFor([&] { return loaded.has_value(); }, 15000) || !loaded->ok())
        return std::nullopt;
    return loaded->value();
}

void PairingTest::typeAndPair(app::DesktopApp &desktop, const QString &code) {
    desktop.window()->showSection(ui::MainWindow::Section::Settings);
    auto *page = desktop.settingsPage();
    auto *url = page->findChild<QLineEdit *>("relayUrl");
    auto *codeField = page->findChild<QLineEdit *>("pairingCode");
    url->clear();
    codeField->clear();
    QTest::keyClicks(url, QString("http://127.0.0.1:%1").arg(m_relay->port()));
    QTest::keyClicks(codeField, code);
    QTest::mouseClick(page->findChild<QPushButton *>("pairButton"), Qt::LeftButton);
}

void PairingTest::aWrongCodeShowsTheRelaysMessage() {
    app::DesktopApp desktop({false, {}, m_scratch.filePath("huntaze.conf"), false});
    desktop.start();
    auto *page = desktop.settingsPage();
    auto *pairButton = page->findChild<QPushButton *>("pairButton");
    typeAndPair(desktop, "AAAA-BBBB-CCCC");
    // It shows it is working, and Pair cannot be clicked twice.
    QVERIFY(!pairButton->isEnabled());
    QVERIFY(page->findChild<QProgressBar *>("pairingBusy")->isVisible());
    QVERIFY(desktop.window()->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!page->isPairingBusy(), 20000);
    QVERIFY(pairButton->isEnabled());
    QVERIFY(page->pairingStatusIsError());
    QVERIFY2(page->pairingStatus().contains("device pair"), qPrintable(page->pairingStatus()));
    QVERIFY(!page->isPaired());
    QVERIFY(!desktop.window()->isBusy());
    QCOMPARE(desktop.window()->connectionStatus(), QString("Not connected to a relay"));
    QVERIFY(!test::saveScreenshot(desktop.window(), "pairing-wrong-code").isEmpty());
    QVERIFY(!keychainEntry().value_or("x").contains("credential"));
}

void PairingTest::pairingKeepsTheCredentialInTheKeychainOnly() {
    const QString settingsFile = m_scratch.filePath("huntaze.conf");
    app::DesktopApp desktop({false, {}, settingsFile, false});
    desktop.start();
    const QString code =
        relayCommand({"device", "pair", "--user", QString::number(m_userId)})["pairing_code"]
            .toString();
    QVERIFY(!code.isEmpty());
    auto *page = desktop.settingsPage();
    typeAndPair(desktop, code.toLower()); // typed as a person might
    QVERIFY(page->isPairingBusy());
    const QString deviceName = QSysInfo::machineHostName();
    QTRY_VERIFY_WITH_TIMEOUT(page->isPaired(), 20000);
    QCOMPARE(page->pairingStatus(),
             QString("Paired with 127.0.0.1:%1 as %2").arg(m_relay->port()).arg(deviceName));
    QVERIFY(!page->isPairingBusy());
    // The window connects to the relay and says so once it answered.
    QTRY_VERIFY_WITH_TIMEOUT(desktop.window()->connectionStatus().startsWith("Relay 127.0.0.1"),
                             15000);
    QVERIFY(!desktop.window()->isBusy());
    QVERIFY(!test::saveScreenshot(desktop.window(), "pairing-paired").isEmpty());

    // The keychain holds the credential and the database login ...
    const std::optional<QString> entry = keychainEntry();
    QVERIFY(entry.has_value());
    const QJsonObject secret = QJsonDocument::fromJson(entry->toUtf8()).object();
    const QString credential = secret["credential"].toString();
    const QUrl databaseUrl(secret["database_url"].toString());
    QVERIFY2(credential.startsWith("hzd_"), qPrintable(*entry));
    QVERIFY(!databaseUrl.password().isEmpty());
    m_roles << databaseUrl.userName();
    // ... which work: the relay knows this device by the computer's name.
    HttpClient http;
    const auto me = http.get(m_relay->url("/v1/devices/me"),
                             {{"Authorization", "Bearer " + credential.toUtf8()}});
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json()["name"].toString(), deviceName);

    // The settings file names the relay, and holds no secret.
    QCOMPARE(app::DesktopSettings(settingsFile).relayUrl(),
             QUrl(QString("http://127.0.0.1:%1").arg(m_relay->port())));
    QFile file(settingsFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(!stored.contains(credential.toUtf8()));
    QVERIFY(!stored.contains("hzd_"));
    QVERIFY(!stored.contains(databaseUrl.password().toUtf8()));
    QVERIFY(!stored.contains(databaseUrl.userName().toUtf8()));

    // Changes the database announces become notifications (the status bar offscreen,
    // where there is no tray). An account the platform disconnected:
    QSignalSpy notified(&desktop, &app::DesktopApp::notified);
    QVERIFY(m_sql->execScript(
        QString("INSERT INTO oauth_accounts (user_id, provider, open_id, display_name) VALUES "
                "(%1, 'tiktok', 'creator-tt', 'Creator TT')")
            .arg(m_userId)));
    const qint64 account =
        m_sql->exec("SELECT id FROM oauth_accounts WHERE open_id = 'creator-tt'")->int64(0, 0);
    const QString announce = "SELECT pg_notify('huntaze_changes', json_build_object('table', '%1', "
                             "'user_id', %2, 'key', '%3')::text)";
    QVERIFY(m_sql->execScript(announce.arg("oauth_accounts").arg(m_userId).arg(account)));
    QTest::qWait(300);
    QCOMPARE(notified.count(), 0); // connected: not news
    QVERIFY(m_sql->execScript(
        QString("UPDATE oauth_accounts SET status = 'needs_reconnect' WHERE id = %1; ")
            .arg(account) +
        announce.arg("oauth_accounts").arg(m_userId).arg(account)));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 10000);
    QCOMPARE(notified.first().at(0).toString(), QString("Reconnect TikTok"));
    QVERIFY(desktop.window()->statusBar()->currentMessage().contains("Creator TT on TikTok"));

    // A publication that reaches the TikTok inbox (kept paused so the queue leaves it be).
    QVERIFY(m_sql->execScript(
        QString("INSERT INTO publications (user_id, draft_id, account_id, provider, caption, "
                "state) VALUES (%1, gen_random_uuid(), %2, 'tiktok', 'Morning run', 'paused')")
            .arg(m_userId)
            .arg(account)));
    const qint64 publication =
        m_sql->exec("SELECT id FROM publications WHERE caption = 'Morning run'")->int64(0, 0);
    QVERIFY(m_sql->execScript(
        QString("INSERT INTO tiktok_posts (user_id, account_id, publication_id, publish_id, "
                "post_mode, source, status) VALUES (%1, %2, %3, 'v_inbox_1', 'inbox', "
                "'FILE_UPLOAD', 'SEND_TO_USER_INBOX'); "
                "UPDATE publications SET state = 'published' WHERE id = %3")
            .arg(m_userId)
            .arg(account)
            .arg(publication)));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, 10000);
    QCOMPARE(notified.last().at(0).toString(), QString("In your TikTok inbox"));
    QVERIFY(notified.last().at(1).toString().contains("Morning run"));
    // Announced again in the same state: nothing new to say.
    QVERIFY(m_sql->execScript(
        QString("UPDATE publications SET updated_at = now() WHERE id = %1").arg(publication)));
    QTest::qWait(500);
    QCOMPARE(notified.count(), 2);
}

void PairingTest::theNextStartConnectsWithTheStoredPairing() {
    app::DesktopApp desktop({false, {}, m_scratch.filePath("huntaze.conf")}); // welcome allowed
    desktop.start();
    QVERIFY(desktop.window()->isBusy());
    QCOMPARE(desktop.window()->connectionStatus(), QString("Connecting to relay…"));
    QTRY_VERIFY_WITH_TIMEOUT(desktop.settingsPage()->isPaired(), 15000);
    QVERIFY(desktop.settingsPage()->pairingStatus().startsWith("Paired with 127.0.0.1"));
    QTRY_VERIFY_WITH_TIMEOUT(desktop.window()->connectionStatus().startsWith("Relay 127.0.0.1"),
                             15000);
    QVERIFY(!desktop.window()->isBusy());
    QVERIFY(!desktop.welcomeDialog()); // paired: nothing to welcome to
    // Both the relay and the database are in use: the accounts list shows the account.
    QTRY_VERIFY_WITH_TIMEOUT(desktop.accountsPage()->accountLines().size() == 1, 15000);
    QVERIFY(desktop.accountsPage()->accountLines().first().contains("Creator TT"));
    QVERIFY(desktop.publishing());
}

void PairingTest::unpairForgetsThePairing() {
    const QString settingsFile = m_scratch.filePath("huntaze.conf");
    app::DesktopApp desktop({false, {}, settingsFile, false});
    desktop.start();
    auto *page = desktop.settingsPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->isPaired(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(desktop.publishing() != nullptr, 15000);
    desktop.window()->showSection(ui::MainWindow::Section::Settings);
    QTest::mouseClick(page->findChild<QPushButton *>("unpairButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->pairingStatus().startsWith("Unpaired"), 15000);
    QVERIFY(!page->isPaired());
    QCOMPARE(desktop.window()->connectionStatus(), QString("Not connected to a relay"));
    QVERIFY(!desktop.publishing());
    QVERIFY(desktop.accountsPage()->accountLines().isEmpty()); // fresh views, no relay
    QVERIFY(!desktop.accountsPage()->findChild<QPushButton *>("connect_tiktok")->isEnabled());
    QCOMPARE(keychainEntry().value_or("gone"), QString()); // none stored
    QVERIFY(app::DesktopSettings(settingsFile).relayUrl().isEmpty());
}

QTEST_MAIN(PairingTest)
#include "tst_pairing.moc"
