#include "sandboxsettings.h"

#include <QTemporaryDir>
#include <QTest>

using sandbox::SandboxSettings;

class SandboxSettingsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badValuesNameTheKey_data();
    void badValuesNameTheKey();
    void commandLineWinsOverEnvironmentOverFile();
};

void SandboxSettingsTest::badValuesNameTheKey_data() {
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("relay");
    QTest::addColumn<QString>("key");
    QTest::newRow("listen without port") << "127.0.0.1"
                                         << ""
                                         << "HUNTAZE_LISTEN";
    QTest::newRow("listen bad host") << "not a host:80"
                                     << ""
                                     << "HUNTAZE_LISTEN";
    QTest::newRow("listen bad port") << "127.0.0.1:99999"
                                     << ""
                                     << "HUNTAZE_LISTEN";
    QTest::newRow("relay not a url") << ""
                                     << "relay"
                                     << "SANDBOX_RELAY_URL";
    QTest::newRow("relay wrong scheme") << ""
                                        << "ftp://127.0.0.1/"
                                        << "SANDBOX_RELAY_URL";
}

void SandboxSettingsTest::badValuesNameTheKey() {
    QFETCH(QString, listen);
    QFETCH(QString, relay);
    QFETCH(QString, key);
    QString error;
    QVERIFY(!SandboxSettings::fromSources({}, listen, relay, "/tmp/x", &error));
    QVERIFY2(error.startsWith(key + ":"), qPrintable(error));
}

void SandboxSettingsTest::commandLineWinsOverEnvironmentOverFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("sandbox.conf");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("HUNTAZE_LISTEN=127.0.0.1:7000\nSANDBOX_RELAY_URL=http://127.0.0.1:8080/\n");
    file.close();
    qputenv("SANDBOX_RELAY_URL", "http://127.0.0.1:9999/");
    QString error;
    auto settings = SandboxSettings::fromSources(path, {}, {}, dir.path(), &error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->listenPort, quint16(7000));
    QCOMPARE(settings->relayUrl.port(), 9999);
    settings = SandboxSettings::fromSources(path, "127.0.0.1:0", {}, dir.path(), &error);
    QCOMPARE(settings->listenPort, quint16(0));
    qunsetenv("SANDBOX_RELAY_URL");

    QFile bad(dir.filePath("bad.conf"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("SANDBOX_RELAY=http://x/\n");
    bad.close();
    QVERIFY(!SandboxSettings::fromSources(bad.fileName(), {}, {}, dir.path(), &error));
    QVERIFY2(error.startsWith("SANDBOX_RELAY:"), qPrintable(error));
}

QTEST_GUILESS_MAIN(SandboxSettingsTest)
#include "tst_sandboxsettings.moc"
