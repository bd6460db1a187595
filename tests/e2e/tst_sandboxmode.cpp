#include "accounts/accountspage.h"
#include "desktopapp.h"
#include "httpclient.h"
#include "sandbox/sandboxlauncher.h"
#include "screenshots.h"
#include "scriptedbrowser.h"
#include "shell/mainwindow.h"

#include <QDesktopServices>
#include <QFile>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace huntaze;
using app::SandboxLauncher;

namespace {

int statusOf(const QUrl &url) {
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(5000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

} // namespace

// The README's first command opens the desktop in sandbox mode: it must bring up the
// embedded database, the sandbox platforms and the local relay by itself, show that it
// is working meanwhile, and take everything down again on quit.
class SandboxModeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsEverythingShowsItAndStopsOnQuit();
    void unusableFolderIsReportedInTheWindow();
};

void SandboxModeTest::startsEverythingShowsItAndStopsOnQuit() {
    QTemporaryDir scratch;
    // As root the database runs as the postgres user, who must be able to enter it.
    QFile::setPermissions(scratch.path(),
                          QFile::permissions(scratch.path()) | QFile::ExeOther | QFile::ReadOther);
    const QString dataDir = scratch.filePath("sandbox");

    app::SandboxEndpoints endpoints;
    {
        app::DesktopApp desktop({true, dataDir, scratch.filePath("huntaze.conf")});
        desktop.start();
        QVERIFY(desktop.sandbox());
        QSignalSpy ready(desktop.sandbox(), &SandboxLauncher::ready);
        QSignalSpy failed(desktop.sandbox(), &SandboxLauncher::failed);
        // While it starts, the window says so and shows it is busy.
        QTRY_VERIFY_WITH_TIMEOUT(desktop.window()->isBusy() || ready.count() > 0, 10000);
        QVERIFY(ready.wait(120000) || ready.count() == 1);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        endpoints = desktop.sandbox()->endpoints();

        QVERIFY(!desktop.window()->isBusy());
        QVERIFY2(desktop.window()->connectionStatus().startsWith("Sandbox mode"),
                 qPrintable(desktop.window()->connectionStatus()));
        QCOMPARE(statusOf(endpoints.relayUrl.resolved(QUrl("/healthz"))), 200);
        QCOMPARE(statusOf(endpoints.platformsUrl.resolved(QUrl("/healthz"))), 200);
        QVERIFY(endpoints.databaseUrl.endsWith("/huntaze"));
        // The local relay was given the sandbox apps: brokering TikTok asks for a device
        // credential (401), it is not "not configured" (503).
        {
            QNetworkAccessManager manager;
            QNetworkRequest request(endpoints.relayUrl.resolved(QUrl("/v1/oauth/tiktok/exchange")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
            QNetworkReply *reply = manager.post(
                request,
                R"({"code":"c","code_verifier":"v","redirect_uri":"http://127.0.0.1:1/callback/"})");
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(finished.wait(10000));
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
            delete reply;
        }
        QVERIFY(!test::saveScreenshot(desktop.window(), "sandbox-mode-ready").isEmpty());

        // Sandbox mode paired itself: connecting TikTok works from the Accounts page.
        auto *page = desktop.accountsPage();
        auto *connectTikTok = page->findChild<QPushButton *>("connect_tiktok");
        QVERIFY(connectTikTok);
        QTRY_VERIFY_WITH_TIMEOUT(connectTikTok->isEnabled(), 15000);
        test::ScriptedBrowser browser;
        QDesktopServices::setUrlHandler("http", &browser, "open");
        QTest::mouseClick(connectTikTok, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(page->accountLines().size(), 1, 30000);
        QDesktopServices::unsetUrlHandler("http");
        QCOMPARE(browser.opened.size(), 1);
        QVERIFY(browser.opened.first().path().endsWith("/v2/auth/authorize/"));
        QVERIFY2(page->accountLines().first().contains("Alice Sandbox"),
                 qPrintable(page->accountLines().first()));
        QVERIFY(page->statusText().startsWith("Connected"));
        QVERIFY(connectTikTok->isEnabled());
        desktop.window()->showSection(ui::MainWindow::Section::Accounts);
        // The account's picture arrives in the background (the sandbox draws initials).
        auto *accountList = page->findChild<QListWidget *>("accountList");
        QTRY_VERIFY_WITH_TIMEOUT(!accountList->item(0)->icon().isNull(), 15000);
        QVERIFY(!test::saveScreenshot(desktop.window(), "accounts-connected").isEmpty());
        QVERIFY(page->accountLines().first().contains("connected, token until"));

        // The creator removes Huntaze in TikTok: the platform's webhook reaches the relay,
        // which marks the account, and the window shows it live (LISTEN/NOTIFY).
        test::HttpClient admin;
        QCOMPARE(admin
                     .postJson(endpoints.platformsUrl.resolved(
                                   QUrl("/_admin/tiktok/authorization/remove")),
                               {{"open_id", "sbx-openid-alice"}, {"reason", 1}})
                     .status,
                 200);
        QTRY_VERIFY_WITH_TIMEOUT(!page->accountLines().isEmpty() &&
                                     page->accountLines().first().contains("needs reconnecting"),
                                 30000);
        QVERIFY(!test::saveScreenshot(desktop.window(), "accounts-needs-reconnect").isEmpty());

        // Disconnect removes it.
        auto *list = page->findChild<QListWidget *>("accountList");
        list->setCurrentRow(0);
        QTest::mouseClick(page->findChild<QPushButton *>("disconnectAccount"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page->accountLines().isEmpty(), 15000);
        QVERIFY(page->statusText().startsWith("Disconnected"));
    }
    // Quitting took the relay, the platforms and the database down.
    QCOMPARE(statusOf(endpoints.relayUrl.resolved(QUrl("/healthz"))), 0);
    QCOMPARE(statusOf(endpoints.platformsUrl.resolved(QUrl("/healthz"))), 0);
    const int running = QProcess::execute(
        "bash", {QCoreApplication::applicationDirPath() + "/../share/huntaze/pg-cluster.sh",
                 "status", dataDir + "/postgres"});
    QVERIFY(running != 0);

    // The choice is remembered for the next start.
    QVERIFY(app::DesktopSettings(scratch.filePath("huntaze.conf")).sandboxMode());
}

void SandboxModeTest::unusableFolderIsReportedInTheWindow() {
    QTemporaryDir scratch;
    QFile blocker(scratch.filePath("file"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    app::DesktopApp desktop(
        {true, scratch.filePath("file/sandbox"), scratch.filePath("huntaze.conf")});
    desktop.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        desktop.window()->connectionStatus().startsWith("Sandbox mode stopped"), 10000);
    QVERIFY(desktop.window()->connectionStatus().contains("Cannot create the sandbox folder"));
    QVERIFY(!desktop.window()->isBusy());
}

QTEST_MAIN(SandboxModeTest)
#include "tst_sandboxmode.moc"
