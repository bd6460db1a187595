#include "config/serverconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace huntaze::config;

namespace {

QList<ConfigKey> schema() {
    using Kind = ConfigKey::Kind;
    return {
        {"HUNTAZE_DATABASE_URL", Kind::DatabaseUrl, true, {}, true, 0, 0},
        {"HUNTAZE_LISTEN", Kind::HostPort, false, "127.0.0.1:8080", false, 0, 0},
        {"HUNTAZE_THREADS", Kind::Integer, false, "2", false, 1, 64},
        {"HUNTAZE_PUBLIC_URL", Kind::HttpUrl, false, {}, false, 0, 0},
        {"TIKTOK_CLIENT_SECRET", Kind::Text, false, {}, true, 0, 0},
    };
}

QProcessEnvironment env(const QList<std::pair<QString, QString>> &values) {
    QProcessEnvironment environment;
    for (const auto &[k, v] : values)
        environment.insert(k, v);
    return environment;
}

QString writeFile(QTemporaryDir &dir, const QString &name, const QByteArray &content) {
    const QString path = dir.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return path;
}

const QString kDb = "postgresql://relay@127.0.0.1:5432/huntaze";

} // namespace

class ServerConfigTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badValuesNameTheKey_data();
    void badValuesNameTheKey();
    void environmentWinsOverFile();
    void defaultsApplyAndOriginsAreReported();
    void secretsComeFromFilesAndAreNeverEchoed();
    void unknownKeyInFileIsNamed();
    void malformedFileLineIsReported();
    void hostPortParsing_data();
    void hostPortParsing();
};

void ServerConfigTest::badValuesNameTheKey_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("missing database") << "HUNTAZE_DATABASE_URL"
                                      << "";
    QTest::newRow("garbage database") << "HUNTAZE_DATABASE_URL"
                                      << "host";
    QTest::newRow("listen without port") << "HUNTAZE_LISTEN"
                                         << "127.0.0.1";
    QTest::newRow("listen port too big") << "HUNTAZE_LISTEN"
                                         << "127.0.0.1:70000";
    QTest::newRow("listen port not a number") << "HUNTAZE_LISTEN"
                                              << "localhost:http";
    QTest::newRow("threads zero") << "HUNTAZE_THREADS"
                                  << "0";
    QTest::newRow("threads text") << "HUNTAZE_THREADS"
                                  << "many";
    QTest::newRow("url without scheme") << "HUNTAZE_PUBLIC_URL"
                                        << "relay.example.com";
    QTest::newRow("url ftp") << "HUNTAZE_PUBLIC_URL"
                             << "ftp://relay.example.com/";
}

void ServerConfigTest::badValuesNameTheKey() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QList<std::pair<QString, QString>> values{{"HUNTAZE_DATABASE_URL", kDb}};
    if (key == "HUNTAZE_DATABASE_URL")
        values.clear();
    if (!value.isEmpty())
        values.append({key, value});
    const auto config = ServerConfig::load(schema(), {}, env(values));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, key);
    QVERIFY2(config.error().message.startsWith(key + ": "), qPrintable(config.error().message));
}

void ServerConfigTest::environmentWinsOverFile() {
    QTemporaryDir dir;
    const QString file = writeFile(dir, "relay.conf",
                                   "# comment\n\nHUNTAZE_DATABASE_URL=" + kDb.toUtf8() +
                                       "\nHUNTAZE_LISTEN=\"0.0.0.0:9000\"\nHUNTAZE_THREADS=4\n");
    const auto config = ServerConfig::load(schema(), file, env({{"HUNTAZE_THREADS", "8"}}));
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->value("HUNTAZE_LISTEN"), QString("0.0.0.0:9000"));
    QCOMPARE(config->origin("HUNTAZE_LISTEN"), QString("file"));
    QCOMPARE(config->integer("HUNTAZE_THREADS"), 8);
    QCOMPARE(config->origin("HUNTAZE_THREADS"), QString("environment"));
}

void ServerConfigTest::defaultsApplyAndOriginsAreReported() {
    const auto config = ServerConfig::load(schema(), {}, env({{"HUNTAZE_DATABASE_URL", kDb}}));
    QVERIFY(config.ok());
    QCOMPARE(config->value("HUNTAZE_LISTEN"), QString("127.0.0.1:8080"));
    QCOMPARE(config->origin("HUNTAZE_LISTEN"), QString("default"));
    QVERIFY(!config->has("HUNTAZE_PUBLIC_URL"));
}

void ServerConfigTest::secretsComeFromFilesAndAreNeverEchoed() {
    QTemporaryDir dir;
    const QString secretFile = writeFile(dir, "secret", "s3cr3t-value\n");
    auto config = ServerConfig::load(
        schema(), {},
        env({{"HUNTAZE_DATABASE_URL", kDb}, {"TIKTOK_CLIENT_SECRET_FILE", secretFile}}));
    QVERIFY(config.ok());
    QCOMPARE(config->value("TIKTOK_CLIENT_SECRET"), QString("s3cr3t-value"));

    // Both forms at once is ambiguous.
    config = ServerConfig::load(schema(), {},
                                env({{"HUNTAZE_DATABASE_URL", kDb},
                                     {"TIKTOK_CLIENT_SECRET", "a"},
                                     {"TIKTOK_CLIENT_SECRET_FILE", secretFile}}));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, QString("TIKTOK_CLIENT_SECRET"));

    // A missing secret file names the _FILE key.
    config = ServerConfig::load(
        schema(), {},
        env({{"HUNTAZE_DATABASE_URL", kDb}, {"TIKTOK_CLIENT_SECRET_FILE", dir.filePath("nope")}}));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, QString("TIKTOK_CLIENT_SECRET_FILE"));

    // A bad secret value is reported without showing it.
    config =
        ServerConfig::load(schema(), {}, env({{"HUNTAZE_DATABASE_URL", "password=hunter2 host"}}));
    QVERIFY(!config.ok());
    QVERIFY(!config.error().toString().contains("hunter2"));
}

void ServerConfigTest::unknownKeyInFileIsNamed() {
    QTemporaryDir dir;
    const QString file = writeFile(dir, "relay.conf", "HUNTAZE_DATABSE_URL=" + kDb.toUtf8() + "\n");
    const auto config = ServerConfig::load(schema(), file, env({{"HUNTAZE_DATABASE_URL", kDb}}));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, QString("HUNTAZE_DATABSE_URL"));
}

void ServerConfigTest::malformedFileLineIsReported() {
    QTemporaryDir dir;
    const QString file = writeFile(dir, "relay.conf", "HUNTAZE_LISTEN=127.0.0.1:1\njust words\n");
    const auto config = ServerConfig::load(schema(), file, env({{"HUNTAZE_DATABASE_URL", kDb}}));
    QVERIFY(!config.ok());
    QVERIFY2(config.error().message.contains("line 2"), qPrintable(config.error().message));

    const auto missing = ServerConfig::load(schema(), dir.filePath("absent.conf"), env({}));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains("absent.conf"));
}

void ServerConfigTest::hostPortParsing_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("expectedHost");
    QTest::addColumn<int>("expectedPort");
    QTest::newRow("ipv4") << "127.0.0.1:8080" << true << "127.0.0.1" << 8080;
    QTest::newRow("port zero") << "127.0.0.1:0" << true << "127.0.0.1" << 0;
    QTest::newRow("ipv6") << "[::1]:443" << true << "::1" << 443;
    QTest::newRow("bare ipv6") << "::1:443" << false << "" << 0;
    QTest::newRow("empty host") << ":80" << false << "" << 0;
    QTest::newRow("negative") << "h:-1" << false << "" << 0;
}

void ServerConfigTest::hostPortParsing() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QString host;
    quint16 port = 0;
    QCOMPARE(ServerConfig::splitHostPort(text, &host, &port), valid);
    if (valid) {
        QFETCH(QString, expectedHost);
        QFETCH(int, expectedPort);
        QCOMPARE(host, expectedHost);
        QCOMPARE(int(port), expectedPort);
    }
}

QTEST_GUILESS_MAIN(ServerConfigTest)
#include "tst_serverconfig.moc"
