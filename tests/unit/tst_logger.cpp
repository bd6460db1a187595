#include "log/logger.h"

#include <QJsonDocument>
#include <QTest>
#include <QThread>

using namespace huntaze::log;

class LoggerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lineIsOneJsonObjectWithTheFixedKeys();
    void fixedKeysCannotBeOverriddenByFields();
    void levelsBelowTheMinimumAreDropped();
    void concurrentWritersNeverInterleaveLines();
};

void LoggerTest::lineIsOneJsonObjectWithTheFixedKeys() {
    const QByteArray line = Logger::format(
        Level::Warning, QStringLiteral("relay.webhooks"), QStringLiteral("webhook.duplicate"),
        {{QStringLiteral("correlation_id"), QStringLiteral("c-1")},
         {QStringLiteral("external_id"), QStringLiteral("e-1")},
         {QStringLiteral("publish_id"), QStringLiteral("p-1")},
         {QStringLiteral("open_id"), QStringLiteral("o-1")}},
        QStringLiteral("2026-11-24T10:00:00.000Z"));
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(object.value(QStringLiteral("ts")).toString(),
             QStringLiteral("2026-11-24T10:00:00.000Z"));
    QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
    QCOMPARE(object.value(QStringLiteral("component")).toString(),
             QStringLiteral("relay.webhooks"));
    QCOMPARE(object.value(QStringLiteral("event")).toString(), QStringLiteral("webhook.duplicate"));
    for (const char *key : {"correlation_id", "external_id", "publish_id", "open_id"})
        QVERIFY(object.contains(QLatin1String(key)));
}

void LoggerTest::fixedKeysCannotBeOverriddenByFields() {
    const QByteArray line = Logger::format(Level::Info, QStringLiteral("c"), QStringLiteral("e"),
                                           {{QStringLiteral("level"), QStringLiteral("debug")},
                                            {QStringLiteral("ts"), QStringLiteral("forged")}},
                                           QStringLiteral("real"));
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QCOMPARE(object.value(QStringLiteral("ts")).toString(), QStringLiteral("real"));
}

void LoggerTest::levelsBelowTheMinimumAreDropped() {
    QByteArrayList lines;
    Logger::instance().setSink([&](const QByteArray &line) { lines << line; });
    Logger::instance().setMinimumLevel(Level::Warning);
    info(QStringLiteral("c"), QStringLiteral("quiet"));
    error(QStringLiteral("c"), QStringLiteral("loud"));
    Logger::instance().setMinimumLevel(Level::Info);
    Logger::instance().setSink([](const QByteArray &) {});
    QCOMPARE(lines.size(), 1);
    QVERIFY(lines.first().contains("loud"));
}

void LoggerTest::concurrentWritersNeverInterleaveLines() {
    QByteArray all;
    Logger::instance().setSink([&](const QByteArray &line) { all += line; });
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t)
        threads << QThread::create([t] {
            for (int i = 0; i < 500; ++i)
                info(QStringLiteral("c"), QStringLiteral("e"),
                     {{QStringLiteral("n"), t * 1000 + i}});
        });
    for (QThread *thread : threads)
        thread->start();
    for (QThread *thread : threads) {
        thread->wait();
        delete thread;
    }
    Logger::instance().setSink([](const QByteArray &) {});
    const QByteArrayList lines = all.split('\n');
    QCOMPARE(lines.size(), 2001); // 2000 lines and the empty tail
    for (qsizetype i = 0; i < 2000; ++i)
        QVERIFY(QJsonDocument::fromJson(lines.at(i)).isObject());
}

QTEST_GUILESS_MAIN(LoggerTest)
#include "tst_logger.moc"
