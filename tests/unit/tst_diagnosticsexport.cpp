#include "desktopapp.h"
#include "desktopsettings.h"
#include "diagnostics/desktoplog.h"
#include "diagnostics/diagnosticsexport.h"
#include "health/healthpage.h"
#include "instagramtestbed.h"
#include "log/logger.h"
#include "shell/mainwindow.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using huntaze::app::DesktopLog;
using huntaze::app::DesktopSettings;
using huntaze::app::DiagnosticsExport;
using huntaze::app::DiagnosticsInput;

namespace {
constexpr int kWaitMs = 10000;

// Secrets planted where a careless export would pick them up.
const QString kDeviceCredential =
    QStringLiteral("hzd_Qm9vb1NlY3JldERldmljZUNyZWRlbnRpYWwxMjM0NTY3ODk");
const QString kAccessToken = QStringLiteral("act.Zx81kPq0LmN4vB7cR2sT9uW3yA6dE5fG");
const QString kDatabasePassword = QStringLiteral("S3cretDbPassw0rd");
const QString kDatabaseUrl =
    QStringLiteral("postgresql://desk_7:%1@db.example.com:5432/huntaze").arg(kDatabasePassword);
const QString kRelaySecret = QStringLiteral("rly_9f8e7d6c5b4a39281706f5e4d3c2b1a0");
const QString kBearer =
    QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl");
const QString kCorrelationId = QStringLiteral("6f1c2d3e-4b5a-4978-8a6b-5c4d3e2f1a0b");

QStringList plantedSecrets() {
    return {kDeviceCredential,
            kAccessToken,
            kDatabasePassword,
            kRelaySecret,
            kBearer,
            QStringLiteral("pw-in-env-0123"),
            QStringLiteral("Lqa8Xv2Kz0Rm4Tn6Wp9Ys1Bc3Df5Gh7J"),
            QStringLiteral("TopSecretCaption"),
            QStringLiteral("/home/alice/Videos")};
}

void writeLines(const QString &path, const QList<QByteArray> &lines) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    for (const QByteArray &line : lines)
        file.write(line + '\n');
}
} // namespace

class DiagnosticsExportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void redactMasksSecretsInText_data();
    void redactMasksSecretsInText();
    void tokenLikeValuesAreRecognised_data();
    void tokenLikeValuesAreRecognised();
    void bundleCarriesNoPlantedSecretButTheUsefulParts();
    void desktopLogFeedsTheBundleAndRotates();
    void exportReadsTheQueueWithoutCaptionsOrPaths();
    void desktopExportsFromItsHealthSection();

private:
    DiagnosticsInput plantedInput();

    QTemporaryDir m_dir;
};

void DiagnosticsExportTest::initTestCase() {
    QVERIFY(m_dir.isValid());
}

void DiagnosticsExportTest::cleanupTestCase() {
    // Back to stderr only, as the Logger starts.
    huntaze::log::Logger::instance().setSink([](const QByteArray &line) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    });
}

void DiagnosticsExportTest::redactMasksSecretsInText_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("kept");
    QTest::newRow("database url") << "connecting to " + kDatabaseUrl << kDatabasePassword
                                  << "postgresql://desk_7:[redacted]@db.example.com:5432/huntaze";
    QTest::newRow("libpq keywords")
        << "host=db password=" + kDatabasePassword + " user=desk" << kDatabasePassword << "host=db";
    QTest::newRow("device credential")
        << "credential " + kDeviceCredential + " rejected" << kDeviceCredential << "rejected";
    QTest::newRow("bearer") << "Authorization: Bearer " + kBearer << kBearer << "Authorization";
    QTest::newRow("web token alone") << "token was " + kBearer + " then" << kBearer << "then";
    QTest::newRow("query parameter")
        << "GET /v2/user?access_token=" + kAccessToken + "&x=1" << kAccessToken << "&x=1";
}

void DiagnosticsExportTest::redactMasksSecretsInText() {
    QFETCH(QString, raw);
    QFETCH(QString, secret);
    QFETCH(QString, kept);
    const QString shown = DiagnosticsExport::redact(raw);
    QVERIFY2(!shown.contains(secret), qPrintable(shown));
    QVERIFY2(shown.contains(kept), qPrintable(shown));
    QVERIFY2(shown.contains("[redacted]"), qPrintable(shown));
}

void DiagnosticsExportTest::tokenLikeValuesAreRecognised_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("secret");
    QTest::newRow("random") << "Lqa8Xv2Kz0Rm4Tn6Wp9Ys1Bc3Df5Gh7J" << true;
    QTest::newRow("uuid") << kCorrelationId << false;
    QTest::newRow("path") << "/home/alice/.local/share/huntaze/sandbox2" << false;
    QTest::newRow("words") << "https://relay.example.com" << false;
    QTest::newRow("short") << "abc123" << false;
    QTest::newRow("letters only") << "abcdefghijklmnopqrstuvwxyzabcdef" << false;
}

void DiagnosticsExportTest::tokenLikeValuesAreRecognised() {
    QFETCH(QString, value);
    QFETCH(bool, secret);
    QCOMPARE(DiagnosticsExport::looksLikeSecret(value), secret);
}

DiagnosticsInput DiagnosticsExportTest::plantedInput() {
    // Settings as the app writes them, plus secrets someone put there by hand.
    const QString settingsFile = m_dir.filePath("huntaze.conf");
    {
        DesktopSettings settings(settingsFile);
        settings.setRelayUrl(QUrl("https://relay.example.com"));
        settings.setRelayDeviceName("studio-laptop");
        settings.setSandboxMode(false);
        settings.setWindowGeometry(QByteArray(48, '\x01'));
        settings.sync();
        QSettings raw(settingsFile, QSettings::IniFormat);
        raw.setValue("relay/credential", kDeviceCredential);
        raw.setValue("relay/databaseUrl", kDatabaseUrl);
        raw.setValue("tiktok/access_token", kAccessToken);
        raw.setValue("misc/note", "paired with " + kDeviceCredential);
        raw.setValue("misc/opaque", "Lqa8Xv2Kz0Rm4Tn6Wp9Ys1Bc3Df5Gh7J");
        raw.sync();
    }
    // Log lines: the Logger's own (already redacted), and lines written by anything else.
    const QString logFile = m_dir.filePath("planted.log");
    writeLines(logFile,
               {huntaze::log::Logger::format(huntaze::log::Level::Warning, "jobs.x", "needs_action",
                                             {{"error_code", "rate_limited"},
                                              {"correlation_id", kCorrelationId},
                                              {"access_token", kAccessToken}},
                                             "2026-11-25T04:00:00.000Z")
                    .trimmed(),
                R"({"ts":"2026-11-25T04:01:00Z","level":"error","event":"relay.unreachable",)"
                R"("relay_secret":")" +
                    kRelaySecret.toUtf8() + R"(","url":")" + kDatabaseUrl.toUtf8() + R"("})",
                "plain text: Authorization: Bearer " + kBearer.toUtf8() + " sent",
                "device " + kDeviceCredential.toUtf8() + " paired"});

    DiagnosticsInput input;
    input.appVersion = "9.8.7";
    input.platform = "offscreen";
    input.connectionStatus = "Relay relay.example.com · paired as studio-laptop";
    input.settingsFile = settingsFile;
    input.logFiles = {logFile};
    input.environment.insert("HUNTAZE_DEVICE_CREDENTIAL", kDeviceCredential);
    input.environment.insert("HUNTAZE_ACCESS_TOKEN", kAccessToken);
    input.environment.insert("HUNTAZE_DATABASE_URL", kDatabaseUrl);
    input.environment.insert("HUNTAZE_RELAY", "Lqa8Xv2Kz0Rm4Tn6Wp9Ys1Bc3Df5Gh7J");
    input.environment.insert("PGPASSWORD", "pw-in-env-0123");
    input.environment.insert("DATABASE_URL", kDatabaseUrl);
    input.environment.insert("AWS_SECRET", "pw-in-env-0123");
    input.environment.insert("QT_QPA_PLATFORM", "offscreen");
    input.environment.insert("LANG", "en_GB.UTF-8");
    input.accounts = {QJsonObject{{"id", "3"},
                                  {"provider", "reddit"},
                                  {"display_name", "Sam on Reddit"},
                                  {"status", "needs_reconnect"},
                                  {"status_reason", "refresh:invalid_grant"}}};
    input.publications = {
        QJsonObject{{"id", "12"},
                    {"provider", "x"},
                    {"state", "failed"},
                    {"last_error_code", "rate_limited"},
                    {"last_error_message", "X said: bad access_token=" + kAccessToken},
                    {"correlation_id", kCorrelationId}}};
    return input;
}

void DiagnosticsExportTest::bundleCarriesNoPlantedSecretButTheUsefulParts() {
    const QString path = m_dir.filePath("bundle.txt");
    QVERIFY(DiagnosticsExport::writeFile(
                path, DiagnosticsExport::compose(plantedInput(), QDateTime::currentDateTimeUtc()))
                .ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString bundle = QString::fromUtf8(file.readAll());

    // Kept beside the screenshots for a look at what support receives.
    if (const QString artifacts = qEnvironmentVariable("HUNTAZE_TEST_ARTIFACTS");
        !artifacts.isEmpty() && QDir().mkpath(artifacts)) {
        QFile::remove(artifacts + "/diagnostics-bundle.txt");
        QFile::copy(path, artifacts + "/diagnostics-bundle.txt");
    }
    for (const QString &secret : plantedSecrets())
        QVERIFY2(!bundle.contains(secret), qPrintable("leaked: " + secret));

    // What support needs is all there.
    const QStringList useful = {
        "Huntaze version: 9.8.7",
        "Qt: " + QString::fromLatin1(qVersion()),
        "Window system: offscreen",
        "relay/url = https://relay.example.com",
        "relay/deviceName = studio-laptop",
        "window/geometry = (48 bytes of binary data)",
        "relay/credential = [redacted]",
        "relay/databaseUrl = postgresql://desk_7:[redacted]@db.example.com:5432/huntaze",
        "tiktok/access_token = [redacted]",
        "misc/note = paired with [redacted]",
        "misc/opaque = [redacted]",
        "HUNTAZE_DATABASE_URL=postgresql://desk_7:[redacted]@db.example.com:5432/huntaze",
        "HUNTAZE_DEVICE_CREDENTIAL=[redacted]",
        "HUNTAZE_RELAY=[redacted]",
        "PGPASSWORD=[redacted]",
        "QT_QPA_PLATFORM=offscreen",
        "LANG=en_GB.UTF-8",
        "(2 other variables left out)", // AWS_SECRET and DATABASE_URL
        "\"status_reason\":\"refresh:invalid_grant\"",
        "\"last_error_code\":\"rate_limited\"",
        kCorrelationId,
        "\"event\":\"needs_action\"",
        "\"event\":\"relay.unreachable\"",
        "postgresql://desk_7:[redacted]@db.example.com",
        "plain text: Authorization: Bearer [redacted] sent",
    };
    for (const QString &part : useful)
        QVERIFY2(bundle.contains(part), qPrintable("missing: " + part + "\n" + bundle));
}

void DiagnosticsExportTest::desktopLogFeedsTheBundleAndRotates() {
    const QString path = m_dir.filePath("logs/huntaze.log");
    constexpr qint64 kLimit = 16 * 1024;
    QVERIFY(DesktopLog::install(path, kLimit));
    huntaze::log::error("desktop.test", "upload.failed",
                        {{"error_code", "http_500"}, {"refresh_token", kAccessToken}});
    QCOMPARE(DesktopLog::files(path), QStringList{path});

    DiagnosticsInput input;
    input.logFiles = DesktopLog::files(path);
    const QString bundle = DiagnosticsExport::compose(input, QDateTime::currentDateTimeUtc());
    QVERIFY(bundle.contains("\"event\":\"upload.failed\""));
    QVERIFY(bundle.contains("http_500"));
    QVERIFY(!bundle.contains(kAccessToken));

    // Past the size limit the file starts over, the previous one kept beside it.
    const QString filler(1000, QLatin1Char('x'));
    for (qint64 written = 0; written < kLimit + 2000; written += 1000)
        huntaze::log::info("desktop.test", "filler", {{"text", filler}});
    QCOMPARE(DesktopLog::files(path), (QStringList{path + ".1", path}));
    QVERIFY(QFileInfo(path + ".1").size() <= kLimit);
    QVERIFY(QFileInfo(path).size() > 0);
    input.logFiles = DesktopLog::files(path);
    const QString later = DiagnosticsExport::compose(input, QDateTime::currentDateTimeUtc());
    QVERIFY(later.count("\"event\":\"filler\"") >= 16);

    // Only the most recent lines go into the bundle.
    const QString many = m_dir.filePath("many.log");
    QList<QByteArray> lines;
    for (int i = 0; i < DiagnosticsExport::kLogLines + 100; ++i)
        lines.append(QByteArray("line number ") + QByteArray::number(i) + " end");
    writeLines(many, lines);
    input.logFiles = {many};
    const QString tail = DiagnosticsExport::compose(input, QDateTime::currentDateTimeUtc());
    QCOMPARE(tail.count("line number "), DiagnosticsExport::kLogLines);
    QVERIFY(!tail.contains("line number 99 end"));
    QVERIFY(
        tail.contains(QStringLiteral("line number %1 end").arg(DiagnosticsExport::kLogLines + 99)));
}

void DiagnosticsExportTest::exportReadsTheQueueWithoutCaptionsOrPaths() {
    huntaze::test::InstagramTestBed bed;
    QVERIFY2(bed.isValid(), qPrintable(bed.errorString()));
    QVERIFY(bed.run(R"sql(
        INSERT INTO publications (user_id, draft_id, account_id, provider, kind, caption,
                                  source_path, upload_url, state, last_error_code,
                                  last_error_message)
             VALUES (1, gen_random_uuid(), 1, 'instagram', 'reel',
                     'TopSecretCaption for my fans', '/home/alice/Videos/holiday.MP4',
                     'https://upload.example.com/u?upload_token=Lqa8Xv2Kz0Rm4Tn6Wp9Ys1Bc3Df5Gh7J',
                     'needs_action', '2207026', 'Instagram could not process the video.');
    )sql")
                .isEmpty());

    DiagnosticsInput input = plantedInput();
    input.accounts.clear();
    input.publications.clear();
    const QString path = m_dir.filePath("from-database.txt");
    std::optional<huntaze::Result<QString>> outcome;
    QObject context;
    DiagnosticsExport::exportTo(
        path, input, bed.desktop(), &context,
        [&outcome](const huntaze::Result<QString> &written) { outcome = written; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWaitMs);
    QVERIFY2(outcome->ok(), qPrintable(outcome->ok() ? QString() : outcome->error().message));
    QCOMPARE(outcome->value(), path);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString bundle = QString::fromUtf8(file.readAll());
    for (const QString &secret : plantedSecrets())
        QVERIFY2(!bundle.contains(secret), qPrintable("leaked: " + secret));
    QVERIFY(!bundle.contains("upload.example.com"));
    for (const char *part : {"\"display_name\":\"Creator FB\"", "\"state\":\"needs_action\"",
                             "\"last_error_code\":\"2207026\"", "\"file_type\":\"mp4\"",
                             "\"caption_chars\":\"28\"", "\"kind\":\"reel\""})
        QVERIFY2(bundle.contains(QLatin1String(part)), part);

    // Without a database the bundle still comes, and says why the rows are missing.
    outcome.reset();
    DiagnosticsExport::exportTo(
        path, input, nullptr, &context,
        [&outcome](const huntaze::Result<QString> &written) { outcome = written; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWaitMs);
    QVERIFY(outcome->ok());
    QFile again(path);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(again.readAll())
                .contains("(could not be read: not connected to a database)"));

    // A folder it cannot write to: a clear error.
    outcome.reset();
    DiagnosticsExport::exportTo(
        "/proc/no-such-folder/bundle.txt", input, nullptr, &context,
        [&outcome](const huntaze::Result<QString> &written) { outcome = written; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWaitMs);
    QVERIFY(!outcome->ok());
    QVERIFY(outcome->error().message.contains("Choose another folder"));
}

void DiagnosticsExportTest::desktopExportsFromItsHealthSection() {
    QTemporaryDir scratch;
    huntaze::app::DesktopApp desktop({false, {}, scratch.filePath("huntaze.conf"), false});
    desktop.start();
    auto *window = desktop.window();
    QVERIFY(window->sectionNames().contains("Health"));
    window->showSection(huntaze::ui::MainWindow::Section::Health);
    huntaze::ui::HealthPage *health = desktop.healthPage();
    QVERIFY(health);
    QVERIFY(health->isVisible());

    // Its reconnect button leads to Accounts.
    Q_EMIT health->accountsRequested();
    QCOMPARE(window->currentSection(), huntaze::ui::MainWindow::Section::Accounts);

    const QString path = scratch.filePath("support.txt");
    health->exportDiagnosticsTo(path);
    auto *result = health->findChild<QLabel *>("exportResult");
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith("Saved"), kWaitMs);
    QVERIFY(result->text().contains(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString bundle = QString::fromUtf8(file.readAll());
    QVERIFY(bundle.contains("Sandbox mode: off"));
    QVERIFY(bundle.contains("Connection: Not connected to a relay"));
    QVERIFY(bundle.contains("(could not be read: not connected to a database)"));
}

QTEST_MAIN(DiagnosticsExportTest)
#include "tst_diagnosticsexport.moc"
