#include "log/logger.h"
#include "log/platformtext.h"
#include "log/redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using huntaze::log::Redaction;

class RedactionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void platformTextIsQuotedSafely();
    void secretFieldNamesAreRecognised_data();
    void secretFieldNamesAreRecognised();
    void secretsInsideTextAreMasked_data();
    void secretsInsideTextAreMasked();
    void nestedObjectsAndArraysAreScrubbed();
    void loggerNeverWritesASecretEvenWhenHandedOne();
};

void RedactionTest::secretFieldNamesAreRecognised_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("secret");
    const struct {
        const char *name;
        bool secret;
    } cases[] = {
        {"access_token", true},
        {"refresh_token", true},
        {"token", true},
        {"accessToken", true},
        {"id_token", true},
        {"client_secret", true},
        {"clientSecret", true},
        {"TIKTOK_WEBHOOK_SECRET", true},
        {"password", true},
        {"db_password", true},
        {"passwd", true},
        {"code", true},
        {"auth_code", true},
        {"pairing_code", true},
        {"authorization_code", true},
        {"code_verifier", true},
        {"verifier", true},
        {"Authorization", true},
        {"cookie", true},
        {"Set-Cookie", true},
        {"X-Hub-Signature-256", true},
        {"TikTok-Signature", true},
        {"x-twitter-webhooks-signature", true},
        {"api_key", true},
        {"apiKey", true},
        {"private_key", true},
        {"key", true},
        {"session_id", true},
        {"credentials", true},
        {"fb_exchange_token", true},
        {"page_access_token", true},
        {"device_credential", true},
        // Readable on purpose: they identify, they do not authenticate.
        {"error_code", false},
        {"status_code", false},
        {"http_code", false},
        {"exit_code", false},
        {"key_id", false},
        {"client_key", false},
        {"media_key", false},
        {"dedupe_key", false},
        {"open_id", false},
        {"publish_id", false},
        {"external_id", false},
        {"correlation_id", false},
        {"fail_reason", false},
        {"scope", false},
        {"expires_in", false},
        {"message", false},
        {"username", false},
        {"provider", false},
    };
    for (const auto &c : cases)
        QTest::newRow(c.name) << QString::fromLatin1(c.name) << c.secret;
}

void RedactionTest::secretFieldNamesAreRecognised() {
    QFETCH(QString, name);
    QFETCH(bool, secret);
    QCOMPARE(Redaction::isSecretField(name), secret);
}

void RedactionTest::secretsInsideTextAreMasked_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mustNotContain");
    QTest::addColumn<QString>("mustContain");
    QTest::newRow("bearer header") << "Authorization: Bearer act.abc123XYZ"
                                   << "act.abc123XYZ"
                                   << "Bearer [redacted]";
    QTest::newRow("lower-case bearer") << "bearer eyJhbGciOi.J9.sig"
                                       << "eyJhbGciOi"
                                       << "[redacted]";
    QTest::newRow("basic auth") << "Basic dXNlcjpwYXNz"
                                << "dXNlcjpwYXNz"
                                << "[redacted]";
    QTest::newRow("meta oauth header") << "Authorization: OAuth EAAB123"
                                       << "EAAB123"
                                       << "[redacted]";
    QTest::newRow("query access_token") << "GET /me?fields=id&access_token=EAAGm0PX4ZCps"
                                        << "EAAGm0PX4ZCps"
                                        << "fields=id";
    QTest::newRow("form refresh_token") << "grant_type=refresh_token&refresh_token=rft.9f8e7d"
                                        << "rft.9f8e7d"
                                        << "grant_type=refresh_token";
    QTest::newRow("callback code") << "/callback?code=c0de-x1&state=s1"
                                   << "c0de-x1"
                                   << "state=s1";
    QTest::newRow("json secret") << R"({"client_secret":"shh-123","client_key":"ck"})"
                                 << "shh-123"
                                 << "ck";
    QTest::newRow("verifier") << "code_verifier=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
                              << "abcdefghijklmnop"
                              << "[redacted]";
    QTest::newRow("error code kept") << "error_code=rate_limit_exceeded"
                                     << "[redacted]"
                                     << "rate_limit_exceeded";
}

void RedactionTest::secretsInsideTextAreMasked() {
    QFETCH(QString, text);
    QFETCH(QString, mustNotContain);
    QFETCH(QString, mustContain);
    const QString scrubbed = Redaction::scrubText(text);
    QVERIFY2(!scrubbed.contains(mustNotContain), qPrintable(scrubbed));
    QVERIFY2(scrubbed.contains(mustContain), qPrintable(scrubbed));
}

void RedactionTest::nestedObjectsAndArraysAreScrubbed() {
    const QJsonObject fields{
        {QStringLiteral("open_id"), QStringLiteral("user-1")},
        {QStringLiteral("response"),
         QJsonObject{
             {QStringLiteral("access_token"), QStringLiteral("act.1")},
             {QStringLiteral("expires_in"), 86400},
             {QStringLiteral("history"), QJsonArray{QJsonObject{{QStringLiteral("refresh_token"),
                                                                 QStringLiteral("rft.2")}}}}}},
        {QStringLiteral("headers"), QJsonArray{QStringLiteral("Authorization: Bearer act.3")}},
        {QStringLiteral("tokens"), QJsonArray{QStringLiteral("act.4"), QStringLiteral("act.5")}},
    };
    const QByteArray out = QJsonDocument(Redaction::scrub(fields)).toJson(QJsonDocument::Compact);
    for (const char *secret : {"act.1", "rft.2", "act.3", "act.4", "act.5"})
        QVERIFY2(!out.contains(secret), out.constData());
    QVERIFY(out.contains("user-1"));
    QVERIFY(out.contains("86400"));
}

void RedactionTest::loggerNeverWritesASecretEvenWhenHandedOne() {
    QByteArrayList lines;
    auto &logger = huntaze::log::Logger::instance();
    logger.setSink([&](const QByteArray &line) { lines << line; });
    huntaze::log::info(
        QStringLiteral("test"), QStringLiteral("token.refreshed"),
        {{QStringLiteral("open_id"), QStringLiteral("u1")},
         {QStringLiteral("access_token"), QStringLiteral("act.SECRET")},
         {QStringLiteral("url"), QStringLiteral("https://x/cb?code=SECRETCODE&state=1")}});
    logger.setSink([](const QByteArray &) {});
    QCOMPARE(lines.size(), 1);
    QVERIFY(!lines.first().contains("SECRET"));
    const QJsonObject line = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(line.value(QStringLiteral("access_token")).toString(), Redaction::kMask);
    QCOMPARE(line.value(QStringLiteral("open_id")).toString(), QStringLiteral("u1"));
}

// What every platform's error catalogue quotes to the creator: bounded, one line, no
// markup, no credential, cut on a character boundary.
void RedactionTest::platformTextIsQuotedSafely() {
    using huntaze::log::quotePlatformText;
    QCOMPARE(quotePlatformText("  Invalid\r\n <b>title</b>\t ", 200), QString("Invalid title"));
    const QString withToken = "bad access_token=abc123secret and " + QString(40, 'Z') + " end";
    const QString quoted = quotePlatformText(withToken, 200);
    QVERIFY2(!quoted.contains("abc123secret") && !quoted.contains(QString(40, 'Z')),
             qPrintable(quoted));
    QVERIFY(quoted.contains("[redacted]") && quoted.endsWith("end"));
    QCOMPARE(quotePlatformText(QString(500, 'a') + ' ' + QString(500, 'b'), 10).size(), 11);
    // An emoji (a surrogate pair) straddling the limit is dropped whole, never split.
    const QString emoji = QString::fromUtf8("abcdefghi\xF0\x9F\x98\x80xyz");
    const QString cut = quotePlatformText(emoji, 10);
    QCOMPARE(cut, QString("abcdefghi") + QChar(0x2026));
    QCOMPARE(quotePlatformText(QString(), 50), QString());
    QCOMPARE(quotePlatformText("x", 0), QString("x")); // a limit below 1 reads as 1
    const QRegularExpression meta("\\bEAA[A-Za-z0-9]{8,}");
    QCOMPARE(quotePlatformText("token EAAbcdefghij12 leaked", 100, meta),
             QString("token [redacted] leaked"));
}

QTEST_GUILESS_MAIN(RedactionTest)
#include "tst_redaction.moc"
