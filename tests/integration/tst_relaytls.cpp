#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// The relay can terminate TLS itself (HUNTAZE_TLS_CERT / HUNTAZE_TLS_KEY) when it is not
// behind a reverse proxy.
class RelayTlsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void servesHttpsWithTheConfiguredCertificate();
    void halfAConfigurationIsRefused();
};

void RelayTlsTest::servesHttpsWithTheConfiguredCertificate() {
    QTemporaryDir dir;
    const QString cert = dir.filePath("cert.pem");
    const QString key = dir.filePath("key.pem");
    QCOMPARE(
        QProcess::execute("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                      key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                                      "-addext", "subjectAltName=IP:127.0.0.1"}),
        0);
    TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = store::PgConnection::open(db.url());
    QVERIFY(store::Migrator().migrate(*connection));
    RelayProcess relay(db.url(), {{"HUNTAZE_TLS_CERT", cert}, {"HUNTAZE_TLS_KEY", key}});
    QVERIFY2(relay.isRunning(), relay.output().constData());

    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QString("https://127.0.0.1:%1/healthz").arg(relay.port())));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(cert));
    request.setSslConfiguration(tls);
    QNetworkReply *reply = manager.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("\"ok\""));
    delete reply;

    // Plain HTTP to the TLS port gets nothing useful, and the relay keeps serving.
    QNetworkReply *plain = manager.get(
        QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/healthz").arg(relay.port()))));
    QSignalSpy plainFinished(plain, &QNetworkReply::finished);
    QVERIFY(plainFinished.wait(15000));
    QVERIFY(plain->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200);
    delete plain;
}

void RelayTlsTest::halfAConfigurationIsRefused() {
    TestDatabase db;
    auto connection = store::PgConnection::open(db.url());
    QVERIFY(store::Migrator().migrate(*connection));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", db.url());
    environment.insert("HUNTAZE_LISTEN", "127.0.0.1:0");
    environment.insert("HUNTAZE_TLS_CERT", "/nonexistent/cert.pem");
    ChildProcess relay(HUNTAZE_RELAY_BIN, {"serve"}, environment);
    QCOMPARE(relay.waitForExit(), 1);
    QVERIFY2(relay.output().contains("HUNTAZE_TLS"), relay.output().constData());
}

QTEST_GUILESS_MAIN(RelayTlsTest)
#include "tst_relaytls.moc"
