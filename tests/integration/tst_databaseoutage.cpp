#include "httpclient.h"
#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"

#include <QDateTime>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QByteArray kSecret = "outage-secret";

QByteArray webhookBody(int n) {
    const QJsonObject content{{"publish_id", QString("outage-%1").arg(n)}};
    return QJsonDocument(QJsonObject{{"client_key", "sbx"},
                                     {"event", "post.publish.complete"},
                                     {"create_time", 1732400000 + n},
                                     {"user_openid", "open-1"},
                                     {"content", QString::fromUtf8(QJsonDocument(content).toJson(
                                                     QJsonDocument::Compact))}})
        .toJson(QJsonDocument::Compact);
}

QByteArray sign(const QByteArray &body) {
    const QByteArray t = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    return "t=" + t + ",s=" +
           QMessageAuthenticationCode::hash(t + "." + body, kSecret, QCryptographicHash::Sha256)
               .toHex();
}
} // namespace

// The database goes away in the middle of a stream of webhooks. The relay must never
// answer 2xx for an event it did not commit: it answers 503 with Retry-After while the
// database is down, recovers by itself when it returns, and every event it acknowledged
// is there and processed.
class DatabaseOutageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void acknowledgedEventsSurviveAnOutage();

private:
    bool cluster(const QString &command);
    QTemporaryDir m_scratch;
};

bool DatabaseOutageTest::cluster(const QString &command) {
    return QProcess::execute("bash", {HUNTAZE_PG_CLUSTER_SCRIPT, command, m_scratch.filePath("pg"),
                                      "--fast"}) == 0;
}

void DatabaseOutageTest::acknowledgedEventsSurviveAnOutage() {
    QFile::setPermissions(m_scratch.path(), QFile::permissions(m_scratch.path()) | QFile::ExeOther |
                                                QFile::ReadOther);
    QVERIFY(cluster("start"));
    QFile urlFile(m_scratch.filePath("pg/url"));
    QVERIFY(urlFile.open(QIODevice::ReadOnly));
    const QString url = QString::fromUtf8(urlFile.readAll()).trimmed();
    {
        auto db = store::PgConnection::open(url);
        QVERIFY(db);
        QVERIFY(store::Migrator().migrate(*db));
        QVERIFY(db->execScript(R"(
            INSERT INTO users (display_name) VALUES ('creator');
            INSERT INTO oauth_accounts (user_id, provider, open_id) VALUES (1, 'tiktok', 'open-1');
            INSERT INTO tiktok_posts (user_id, account_id, publish_id, source)
              SELECT 1, 1, 'outage-' || n, 'FILE_UPLOAD' FROM generate_series(0, 89) n;)"));
    }
    RelayProcess relay(url, {{"TIKTOK_WEBHOOK_SECRET", kSecret}, {"HUNTAZE_RETRY_BASE_MS", "100"}});
    QVERIFY2(relay.isRunning(), relay.output().constData());
    HttpClient http;

    QSet<int> acknowledged;
    QList<int> refused;
    for (int n = 0; n < 90; ++n) {
        if (n == 30)
            QVERIFY(cluster("stop"));
        if (n == 60) {
            QTRY_COMPARE_WITH_TIMEOUT(http.get(relay.url("/readyz")).status, 503, 15000);
            QVERIFY(cluster("start"));
        }
        const QByteArray body = webhookBody(n);
        const auto answer = http.post(relay.url("/webhooks/tiktok"), body, "application/json",
                                      {{"TikTok-Signature", sign(body)}});
        if (answer.status == 200) {
            acknowledged.insert(n);
        } else {
            QCOMPARE(answer.status, 503);
            QCOMPARE(answer.header("Retry-After"), QByteArray("5"));
            refused.append(n);
        }
    }
    QVERIFY2(!refused.isEmpty(), "the outage was not noticed");
    QVERIFY(acknowledged.size() >= 30);

    // The platform retries what was refused; the relay has recovered by itself.
    for (int n : refused) {
        const QByteArray body = webhookBody(n);
        QTRY_COMPARE_WITH_TIMEOUT(http.post(relay.url("/webhooks/tiktok"), body, "application/json",
                                            {{"TikTok-Signature", sign(body)}})
                                      .status,
                                  200, 20000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(http.get(relay.url("/readyz")).status, 200, 15000);

    auto db = store::PgConnection::open(url);
    QVERIFY(db);
    QDeadlineTimer deadline(30000);
    qint64 done = 0;
    while (!deadline.hasExpired() &&
           (done = db->exec("SELECT count(*) FROM tiktok_posts WHERE status = 'PUBLISH_COMPLETE'")
                       ->int64(0, 0)) < 90)
        QTest::qWait(100);
    QCOMPARE(done, 90);
    QCOMPARE(db->exec("SELECT count(*) FROM webhook_events")->int64(0, 0), 90);
    QCOMPARE(db->exec("SELECT count(*) FROM webhook_events WHERE state <> 'done'")->int64(0, 0), 0);
    cluster("stop");
}

QTEST_GUILESS_MAIN(DatabaseOutageTest)
#include "tst_databaseoutage.moc"
