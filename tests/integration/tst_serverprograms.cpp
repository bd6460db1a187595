#include "childprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
};

Reply get(const QUrl &url) {
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    Reply out{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return out;
}

} // namespace

// huntaze-relay and huntaze-sandbox as an operator runs them.
class ServerProgramsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void relayAnswersHealthz();
    void relayRefusesBadConfigurationNamingTheKey_data();
    void relayRefusesBadConfigurationNamingTheKey();
    void relayCheckConfigNeverPrintsTheDatabaseUrl();
    void relayLoadsNoDesktopLibraries();
    void sandboxAnswersHealthzAndPublishesItsEndpoints();
    void sandboxRefusesBadConfigurationNamingTheKey();
};

void ServerProgramsTest::relayAnswersHealthz() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    {
        auto connection = store::PgConnection::open(db.url());
        QVERIFY(store::Migrator().migrate(*connection));
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", db.url());
    environment.insert("HUNTAZE_LISTEN", "127.0.0.1:0");
    test::ChildProcess relay(HUNTAZE_RELAY_BIN, {"serve"}, environment);
    const QJsonObject listening = relay.waitForJsonLine(
        [](const QJsonObject &line) { return line["event"].toString() == "http.listening"; });
    QVERIFY2(!listening.isEmpty(), relay.output().constData());
    const int port = listening["port"].toInt();
    QVERIFY(port > 0);

    const Reply health = get(QUrl(QString("http://127.0.0.1:%1/healthz").arg(port)));
    QCOMPARE(health.status, 200);
    QCOMPARE(QJsonDocument::fromJson(health.body)["status"].toString(), QString("ok"));
    const Reply missing = get(QUrl(QString("http://127.0.0.1:%1/nope").arg(port)));
    QCOMPARE(missing.status, 404);
    QCOMPARE(QJsonDocument::fromJson(missing.body)["error"].toString(), QString("not_found"));

    // SIGTERM shuts it down cleanly.
    relay.process().terminate();
    QCOMPARE(relay.waitForExit(), 0);
    QVERIFY(relay.output().contains("shutdown.finished"));
    QVERIFY(!relay.output().contains(db.url().toUtf8()));
}

void ServerProgramsTest::relayRefusesBadConfigurationNamingTheKey_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("listen") << "HUNTAZE_LISTEN"
                            << "127.0.0.1";
    QTest::newRow("threads") << "HUNTAZE_HTTP_THREADS"
                             << "0";
    QTest::newRow("database") << "HUNTAZE_DATABASE_URL"
                              << "postgresql://[broken";
    QTest::newRow("body limit") << "HUNTAZE_MAX_BODY_BYTES"
                                << "lots";
}

void ServerProgramsTest::relayRefusesBadConfigurationNamingTheKey() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", "postgresql://127.0.0.1:1/none");
    environment.insert(key, value);
    for (const char *command : {"serve", "check-config"}) {
        test::ChildProcess relay(HUNTAZE_RELAY_BIN, {command}, environment);
        QCOMPARE(relay.waitForExit(), 1);
        QVERIFY2(relay.output().contains(key.toUtf8() + ": "), relay.output().constData());
    }
}

void ServerProgramsTest::relayCheckConfigNeverPrintsTheDatabaseUrl() {
    QTemporaryDir dir;
    QFile file(dir.filePath("relay.conf"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("HUNTAZE_LISTEN=127.0.0.1:9999\n");
    file.close();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", "postgresql://relay:hunter2@127.0.0.1/huntaze");
    test::ChildProcess relay(HUNTAZE_RELAY_BIN, {"check-config", "--config", file.fileName()},
                             environment);
    QCOMPARE(relay.waitForExit(), 0);
    const QByteArray output = relay.output();
    QVERIFY(!output.contains("hunter2"));
    const QJsonObject report = QJsonDocument::fromJson(output).object();
    QCOMPARE(report["HUNTAZE_LISTEN"]["origin"].toString(), QString("file"));
    QCOMPARE(report["HUNTAZE_LISTEN"]["value"].toString(), QString("127.0.0.1:9999"));
    QCOMPARE(report["HUNTAZE_DATABASE_URL"]["origin"].toString(), QString("environment"));
    QCOMPARE(report["HUNTAZE_HTTP_THREADS"]["origin"].toString(), QString("default"));
}

void ServerProgramsTest::relayLoadsNoDesktopLibraries() {
    // A server gets no GUI, WebSockets or keychain libraries installed: the relay must
    // not need them (core/CMakeLists.txt keeps the desktop's publishing code apart).
    QProcess readelf;
    readelf.start("readelf", {"-d", HUNTAZE_RELAY_BIN});
    QVERIFY2(readelf.waitForFinished(20000) && readelf.exitCode() == 0,
             "readelf (Debian package binutils) could not read the relay");
    const QString dynamic = QString::fromUtf8(readelf.readAllStandardOutput());
    QVERIFY2(dynamic.contains("libQt6Core.so"), qPrintable(dynamic));
    for (const char *library : {"libQt6Gui", "libQt6Widgets", "libQt6WebSockets", "libqt6keychain",
                                "libavformat", "libcurl", "libQt6HttpServer"})
        QVERIFY2(!dynamic.contains(QLatin1String(library)), library);
}

void ServerProgramsTest::sandboxAnswersHealthzAndPublishesItsEndpoints() {
    QTemporaryDir state;
    test::ChildProcess sandbox(HUNTAZE_SANDBOX_BIN,
                               {"--listen", "127.0.0.1:0", "--state-dir", state.path()});
    const QJsonObject endpoints =
        sandbox.waitForJsonLine([](const QJsonObject &line) { return line.contains("base_url"); });
    QVERIFY2(!endpoints.isEmpty(), sandbox.output().constData());
    const QUrl base(endpoints["base_url"].toString());
    QCOMPARE(base.host(), QString("127.0.0.1"));
    QVERIFY(base.port() > 0);

    const Reply health = get(base.resolved(QUrl("/healthz")));
    QCOMPARE(health.status, 200);
    QCOMPARE(QJsonDocument::fromJson(health.body)["status"].toString(), QString("ok"));

    QFile written(state.filePath("endpoints.json"));
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(written.readAll())["base_url"].toString(), base.toString());

    sandbox.process().terminate();
    QCOMPARE(sandbox.waitForExit(), 0);
}

void ServerProgramsTest::sandboxRefusesBadConfigurationNamingTheKey() {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("SANDBOX_RELAY_URL", "not-a-url");
    test::ChildProcess sandbox(HUNTAZE_SANDBOX_BIN, {"--listen", "127.0.0.1:0"}, environment);
    QCOMPARE(sandbox.waitForExit(), 1);
    QVERIFY2(sandbox.output().contains("SANDBOX_RELAY_URL: "), sandbox.output().constData());
}

QTEST_GUILESS_MAIN(ServerProgramsTest)
#include "tst_serverprograms.moc"
