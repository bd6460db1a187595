#include "desktopapp.h"
#include "screenshots.h"
#include "settings/settingspage.h"
#include "shell/mainwindow.h"
#include "shell/trayicon.h"
#include "shell/welcomedialog.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using ui::SettingsPage;
using ui::WelcomeDialog;

// The Settings page and the first-run welcome, driven as a person would (offscreen).
class SettingsPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pairingCodesAreNormalised_data();
    void pairingCodesAreNormalised();
    void relayAddressesAreUnderstood_data();
    void relayAddressesAreUnderstood();
    void typingAddressAndCodeAndClickingPairAsksToPair();
    void incompleteInputIsExplainedAndNotSent();
    void pairButtonIsDisabledWhilePairing();
    void errorsAndThePairedStateAreShown();
    void unpairIsOfferedOnlyWhenPaired();
    void sandboxModeDisablesTheRelayGroupAndSaysSo();
    void switchingSandboxModeSaysItTakesEffectOnRestart();
    void welcomeButtonsEmitTheirChoice_data();
    void welcomeButtonsEmitTheirChoice();
    void closingTheWelcomeMeansLater();
    void welcomeIsShownOnceOnFirstRun();
    void welcomeCanBeTurnedOff();
    void welcomePairOpensSettings();
    void trayMenuShowsTheWindowAndQuits();
};

void SettingsPageTest::pairingCodesAreNormalised_data() {
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("code");
    QTest::newRow("as issued") << "ABCD-EFGH-2345"
                               << "ABCD-EFGH-2345";
    QTest::newRow("lower case, spaces") << " abcd efgh 2345 "
                                        << "ABCD-EFGH-2345";
    QTest::newRow("no separators") << "abcdefgh2345"
                                   << "ABCD-EFGH-2345";
    QTest::newRow("too short") << "ABCD-EFGH"
                               << "";
    QTest::newRow("too long") << "ABCD-EFGH-2345-6"
                              << "";
    QTest::newRow("punctuation") << "ABCD-EFGH-23!5"
                                 << "";
    QTest::newRow("empty") << ""
                           << "";
}

void SettingsPageTest::pairingCodesAreNormalised() {
    QFETCH(QString, typed);
    QFETCH(QString, code);
    QCOMPARE(SettingsPage::normalizedPairingCode(typed), code);
}

void SettingsPageTest::relayAddressesAreUnderstood_data() {
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QUrl>("url");
    QTest::newRow("https") << "https://relay.example.com" << QUrl("https://relay.example.com");
    QTest::newRow("host only means https")
        << "relay.example.com" << QUrl("https://relay.example.com");
    QTest::newRow("http with port, trailing slash")
        << " http://127.0.0.1:8080/ " << QUrl("http://127.0.0.1:8080");
    QTest::newRow("a path is kept")
        << "https://example.com/relay" << QUrl("https://example.com/relay");
    QTest::newRow("other scheme") << "ftp://relay.example.com" << QUrl();
    QTest::newRow("no host") << "https://" << QUrl();
    QTest::newRow("empty") << "  " << QUrl();
}

void SettingsPageTest::relayAddressesAreUnderstood() {
    QFETCH(QString, typed);
    QFETCH(QUrl, url);
    QCOMPARE(SettingsPage::relayUrlFromInput(typed), url);
}

void SettingsPageTest::typingAddressAndCodeAndClickingPairAsksToPair() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy pair(&page, &SettingsPage::pairRequested);
    QTest::keyClicks(page.findChild<QLineEdit *>("relayUrl"), "relay.example.com");
    QTest::keyClicks(page.findChild<QLineEdit *>("pairingCode"), "abcd efgh 2345");
    QTest::mouseClick(page.findChild<QPushButton *>("pairButton"), Qt::LeftButton);
    QCOMPARE(pair.count(), 1);
    QCOMPARE(pair.first().at(0).toUrl(), QUrl("https://relay.example.com"));
    QCOMPARE(pair.first().at(1).toString(), QString("ABCD-EFGH-2345"));
    QCOMPARE(page.findChild<QLineEdit *>("pairingCode")->text(), QString("ABCD-EFGH-2345"));

    // Return in the code field does the same.
    QTest::keyClick(page.findChild<QLineEdit *>("pairingCode"), Qt::Key_Return);
    QCOMPARE(pair.count(), 2);
}

void SettingsPageTest::incompleteInputIsExplainedAndNotSent() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy pair(&page, &SettingsPage::pairRequested);
    auto *button = page.findChild<QPushButton *>("pairButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(page.pairingStatusIsError());
    QVERIFY2(page.pairingStatus().contains("relay's address"), qPrintable(page.pairingStatus()));
    QTest::keyClicks(page.findChild<QLineEdit *>("relayUrl"), "https://relay.example.com");
    QTest::keyClicks(page.findChild<QLineEdit *>("pairingCode"), "ABCD");
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(page.pairingStatusIsError());
    QVERIFY2(page.pairingStatus().contains("pairing code"), qPrintable(page.pairingStatus()));
    QCOMPARE(pair.count(), 0);
}

void SettingsPageTest::pairButtonIsDisabledWhilePairing() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *button = page.findChild<QPushButton *>("pairButton");
    auto *busy = page.findChild<QProgressBar *>("pairingBusy");
    QVERIFY(button && busy);
    QVERIFY(button->isEnabled());
    QVERIFY(!busy->isVisible());

    page.setPairingBusy(true);
    QVERIFY(!button->isEnabled());
    QVERIFY(busy->isVisible());
    QVERIFY(page.findChild<QLineEdit *>("relayUrl")->isReadOnly());
    QVERIFY(page.findChild<QLineEdit *>("pairingCode")->isReadOnly());
    QVERIFY(!test::saveScreenshot(&page, "settings-pairing").isEmpty());
    // Clicking (or Return) while busy asks nothing.
    QSignalSpy pair(&page, &SettingsPage::pairRequested);
    QTest::keyClicks(page.findChild<QLineEdit *>("relayUrl"), "https://relay.example.com");
    QTest::keyClick(page.findChild<QLineEdit *>("pairingCode"), Qt::Key_Return);
    QCOMPARE(pair.count(), 0);

    page.setPairingBusy(false);
    QVERIFY(button->isEnabled());
    QVERIFY(!busy->isVisible());
}

void SettingsPageTest::errorsAndThePairedStateAreShown() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *status = page.findChild<QLabel *>("pairingStatus");
    QVERIFY(status);
    const QString message = "This pairing code is not valid (it may have expired or been used).";
    page.setPairingStatus(message, true);
    QCOMPARE(status->text(), message);
    QVERIFY(page.pairingStatusIsError());
    QVERIFY(status->styleSheet().contains("color"));

    page.setPaired(QUrl("https://relay.example.com"), "studio-laptop");
    QCOMPARE(status->text(), QString("Paired with relay.example.com as studio-laptop"));
    QVERIFY(!page.pairingStatusIsError());
    QVERIFY(status->styleSheet().isEmpty());
    QVERIFY(page.isPaired());
    QCOMPARE(page.findChild<QLineEdit *>("relayUrl")->text(), QString("https://relay.example.com"));
    QVERIFY(page.findChild<QLineEdit *>("pairingCode")->text().isEmpty());
    QVERIFY(!test::saveScreenshot(&page, "settings-paired").isEmpty());
}

void SettingsPageTest::unpairIsOfferedOnlyWhenPaired() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *unpair = page.findChild<QPushButton *>("unpairButton");
    QVERIFY(unpair);
    QVERIFY(!unpair->isEnabled());
    QSignalSpy unpaired(&page, &SettingsPage::unpairRequested);
    page.setPaired(QUrl("http://127.0.0.1:8080"), "host");
    QVERIFY(page.pairingStatus().contains("127.0.0.1:8080"));
    QVERIFY(unpair->isEnabled());
    page.setPairingBusy(true);
    QVERIFY(!unpair->isEnabled());
    page.setPairingBusy(false);
    QTest::mouseClick(unpair, Qt::LeftButton);
    QCOMPARE(unpaired.count(), 1);
    page.setUnpaired("Unpaired.");
    QVERIFY(!unpair->isEnabled());
    QCOMPARE(page.pairingStatus(), QString("Unpaired."));
}

void SettingsPageTest::sandboxModeDisablesTheRelayGroupAndSaysSo() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setSandboxMode(true, true);
    QVERIFY(!page.findChild<QGroupBox *>("relayGroup")->isEnabled());
    QVERIFY(!page.findChild<QPushButton *>("pairButton")->isEnabled());
    QCOMPARE(page.pairingStatus(),
             QString("Sandbox mode: paired with the local relay automatically"));
    QVERIFY(page.findChild<QCheckBox *>("sandboxMode")->isChecked());
    QVERIFY(!test::saveScreenshot(&page, "settings-sandbox").isEmpty());

    page.setSandboxMode(false, false);
    QVERIFY(page.findChild<QGroupBox *>("relayGroup")->isEnabled());
    QVERIFY(page.findChild<QPushButton *>("pairButton")->isEnabled());
}

void SettingsPageTest::switchingSandboxModeSaysItTakesEffectOnRestart() {
    SettingsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy changed(&page, &SettingsPage::sandboxModeChanged);
    page.setSandboxMode(false, false);
    QCOMPARE(changed.count(), 0); // showing the state is not a change
    auto *box = page.findChild<QCheckBox *>("sandboxMode");
    auto *note = page.findChild<QLabel *>("sandboxNote");
    QVERIFY(note->text().contains("restart"));
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(5, box->height() / 2));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().toBool(), true);
    QVERIFY2(note->text().contains("next time"), qPrintable(note->text()));
    QVERIFY(note->text().contains("restart"));
}

void SettingsPageTest::welcomeButtonsEmitTheirChoice_data() {
    QTest::addColumn<QString>("button");
    QTest::addColumn<WelcomeDialog::Choice>("choice");
    QTest::addColumn<int>("result");
    QTest::newRow("sandbox") << "welcomeSandbox" << WelcomeDialog::Choice::Sandbox
                             << int(QDialog::Accepted);
    QTest::newRow("pair") << "welcomePair" << WelcomeDialog::Choice::Pair << int(QDialog::Accepted);
    QTest::newRow("later") << "welcomeLater" << WelcomeDialog::Choice::Later
                           << int(QDialog::Rejected);
}

void SettingsPageTest::welcomeButtonsEmitTheirChoice() {
    QFETCH(QString, button);
    QFETCH(WelcomeDialog::Choice, choice);
    QFETCH(int, result);
    WelcomeDialog dialog;
    QSignalSpy chosen(&dialog, &WelcomeDialog::chosen);
    dialog.open();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *sandbox = dialog.findChild<QPushButton *>("welcomeSandbox");
    QVERIFY(sandbox && sandbox->isDefault());
    auto *clicked = dialog.findChild<QPushButton *>(button);
    QVERIFY(clicked);
    QTest::mouseClick(clicked, Qt::LeftButton);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().value<WelcomeDialog::Choice>(), choice);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), result);
}

void SettingsPageTest::closingTheWelcomeMeansLater() {
    WelcomeDialog dialog;
    QSignalSpy chosen(&dialog, &WelcomeDialog::chosen);
    dialog.open();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!test::saveScreenshot(&dialog, "welcome").isEmpty());
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().value<WelcomeDialog::Choice>(), WelcomeDialog::Choice::Later);
    QVERIFY(!dialog.isVisible());
}

void SettingsPageTest::welcomeIsShownOnceOnFirstRun() {
    QTemporaryDir scratch;
    const QString settings = scratch.filePath("huntaze.conf");
    {
        app::DesktopApp desktop({false, {}, settings});
        desktop.start();
        QVERIFY(desktop.welcomeDialog());
        QTRY_VERIFY(desktop.welcomeDialog()->isVisible());
        QVERIFY(desktop.settingsPage());
        QCOMPARE(desktop.settingsPage()->pairingStatus(), QString("Not paired with a relay."));
        QVERIFY(!desktop.window()->isBusy()); // nothing to wait for: no relay, no sandbox
        QTest::mouseClick(desktop.welcomeDialog()->findChild<QPushButton *>("welcomeLater"),
                          Qt::LeftButton);
        QTRY_VERIFY(!desktop.welcomeDialog());
        QVERIFY(!desktop.sandbox());
    }
    QVERIFY(app::DesktopSettings(settings).welcomeShown());
    app::DesktopApp again({false, {}, settings});
    again.start();
    QVERIFY(!again.welcomeDialog());
}

void SettingsPageTest::welcomeCanBeTurnedOff() {
    QTemporaryDir scratch;
    app::DesktopApp desktop({false, {}, scratch.filePath("huntaze.conf"), false});
    desktop.start();
    QVERIFY(!desktop.welcomeDialog());
    QVERIFY(!app::DesktopSettings(scratch.filePath("huntaze.conf")).welcomeShown());
}

void SettingsPageTest::welcomePairOpensSettings() {
    QTemporaryDir scratch;
    app::DesktopApp desktop({false, {}, scratch.filePath("huntaze.conf")});
    desktop.start();
    QVERIFY(desktop.welcomeDialog());
    QTest::mouseClick(desktop.welcomeDialog()->findChild<QPushButton *>("welcomePair"),
                      Qt::LeftButton);
    QCOMPARE(desktop.window()->currentSection(), ui::MainWindow::Section::Settings);
    QVERIFY(!desktop.sandbox());
    QVERIFY(desktop.settingsPage()->isVisible());
    QVERIFY(desktop.settingsPage()->findChild<QPushButton *>("pairButton")->isEnabled());
}

void SettingsPageTest::trayMenuShowsTheWindowAndQuits() {
    ui::MainWindow window;
    ui::TrayIcon tray(&window);
    QStringList entries;
    for (QAction *action : tray.menu()->actions())
        if (!action->isSeparator())
            entries << action->text();
    QCOMPARE(entries, (QStringList{"Show Huntaze", "Quit"}));
    QVERIFY(!window.isVisible());
    tray.menu()->findChild<QAction *>("trayShow")->trigger();
    QVERIFY(window.isVisible());
    QSignalSpy quit(&tray, &ui::TrayIcon::quitRequested);
    tray.menu()->findChild<QAction *>("trayQuit")->trigger();
    QCOMPARE(quit.count(), 1);
}

QTEST_MAIN(SettingsPageTest)
#include "tst_settingspage.moc"
