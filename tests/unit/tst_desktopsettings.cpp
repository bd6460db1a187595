#include "desktopsettings.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using huntaze::app::DesktopSettings;

class DesktopSettingsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void livesInThePlatformConfigFolder();
    void valuesSurviveARestart();

private:
    QTemporaryDir m_config;
};

void DesktopSettingsTest::initTestCase() {
    // QStandardPaths reads XDG_CONFIG_HOME on Linux; point it at a scratch folder.
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setApplicationName("huntaze");
}

void DesktopSettingsTest::livesInThePlatformConfigFolder() {
    QCOMPARE(DesktopSettings::defaultFilePath(), m_config.filePath("huntaze/huntaze.conf"));
    DesktopSettings settings;
    QCOMPARE(settings.filePath(), m_config.filePath("huntaze/huntaze.conf"));
}

void DesktopSettingsTest::valuesSurviveARestart() {
    {
        DesktopSettings settings;
        QVERIFY(!settings.sandboxMode());
        settings.setSandboxMode(true);
        settings.setRelayUrl(QUrl("https://relay.example.com"));
        settings.setSandboxDataDirectory("/var/tmp/sbx");
    }
    DesktopSettings reopened;
    QVERIFY(reopened.sandboxMode());
    QCOMPARE(reopened.relayUrl(), QUrl("https://relay.example.com"));
    QCOMPARE(reopened.sandboxDataDirectory(), QString("/var/tmp/sbx"));
    // Nothing secret is ever written here.
    QFile file(reopened.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().toLower().contains("token"));
}

QTEST_GUILESS_MAIN(DesktopSettingsTest)
#include "tst_desktopsettings.moc"
