#include "httpclient.h"
#include "relayprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <libpq-fe.h>

using namespace huntaze;
using namespace huntaze::test;

namespace {

const QByteArray kSecret = "processing-secret";

QByteArray tiktokEvent(const QString &event, const QJsonObject &content,
                       const QString &openId = "open-1", qint64 createTime = 1732400000) {
    return QJsonDocument(QJsonObject{{"client_key", "sbx"},
                                     {"event", event},
                                     {"create_time", createTime},
                                     {"user_openid", openId},
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

const QMap<QString, QString> kRelaySettings{{"TIKTOK_WEBHOOK_SECRET", kSecret},
                                            {"HUNTAZE_RETRY_BASE_MS", "50"},
                                            {"HUNTAZE_MAX_ATTEMPTS", "50"}};

} // namespace

// Events in the inbox reach the CRM tables: once, in order of meaning, retried when
// they arrive too early, parked when they cannot apply, shared safely between relays,
// and never lost or doubled by a crash.
class InboxProcessingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void tiktokStatusesAdvanceAndNeverRegress();
    void duplicateDeliveredManyTimesIsProcessedOnce();
    void authorizationRemovedTurnsAccountToNeedsReconnect();
    void eventForAnUnrecordedPostWaitsThenApplies();
    void malformedEventIsParkedAsDeadAndReplayable();
    void changesAreAnnouncedToListeningDesktops();
    void unverifiedEventsAreRecordedButChangeNothing();
    void twoRelaysShareTheQueueWithoutDoubleProcessing();
    void killedRelayLosesNothingAndDoublesNothing();

private:
    bool post(RelayProcess &relay, const QByteArray &body);
    bool waitUntil(const QString &sql, qint64 expected, int timeoutMs = 30000);
    qint64 scalar(const QString &sql);
    void insertXEvents(int count);
    std::unique_ptr<TestDatabase> m_db;
    std::optional<store::PgConnection> m_sql;
    HttpClient m_http;
};

void InboxProcessingTest::init() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = store::PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
    QVERIFY(store::Migrator().migrate(*m_sql));
    QVERIFY(m_sql->execScript(R"(
        INSERT INTO users (display_name) VALUES ('creator');
        INSERT INTO oauth_accounts (user_id, provider, open_id, access_token_sealed, refresh_token_sealed, key_id)
          VALUES (1, 'tiktok', 'open-1', '\x01', '\x02', 'k1'), (1, 'x', '42', '\x03', '\x04', 'k1');
        INSERT INTO publications (user_id, draft_id, account_id, provider, state)
          VALUES (1, gen_random_uuid(), 1, 'tiktok', 'processing');
        INSERT INTO tiktok_posts (user_id, account_id, publication_id, publish_id, source)
          VALUES (1, 1, 1, 'p-1', 'FILE_UPLOAD'), (1, 1, NULL, 'p-dup', 'FILE_UPLOAD');
    )"));
}

void InboxProcessingTest::cleanup() {
    m_sql.reset();
    m_db.reset();
}

bool InboxProcessingTest::post(RelayProcess &relay, const QByteArray &body) {
    return m_http
               .post(relay.url("/webhooks/tiktok"), body, "application/json",
                     {{"TikTok-Signature", sign(body)}})
               .status == 200;
}

qint64 InboxProcessingTest::scalar(const QString &sql) {
    auto result = m_sql->exec(sql);
    return result && result->rows() ? result->int64(0, 0) : -1;
}

bool InboxProcessingTest::waitUntil(const QString &sql, qint64 expected, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (scalar(sql) == expected)
            return true;
        QTest::qWait(50);
    }
    qWarning("timed out: %s (last %lld, wanted %lld)", qPrintable(sql), scalar(sql), expected);
    return false;
}

void InboxProcessingTest::insertXEvents(int count) {
    // Straight into the inbox, as committed deliveries would be: one post.create each.
    QVERIFY(m_sql->execScript(QString(R"(
        INSERT INTO webhook_events (provider, external_id, event_type, verified, body)
        SELECT 'x', 'uuid-' || n, 'post.create', true,
               convert_to(json_build_object('data', json_build_object('event_uuid', 'uuid-' || n,
                 'event_type', 'post.create', 'filter', json_build_object('user_id', '42'),
                 'payload', json_build_object('id', (1000000 + n)::text, 'text', 'post ' || n)))::text, 'UTF8')
        FROM generate_series(1, %1) n;)")
                                  .arg(count)));
}

void InboxProcessingTest::tiktokStatusesAdvanceAndNeverRegress() {
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY2(relay.isRunning(), relay.output().constData());
    QVERIFY(post(relay, tiktokEvent("post.publish.inbox_delivered",
                                    {{"publish_id", "p-1"}, {"publish_type", "INBOX_SHARE"}})));
    QVERIFY(waitUntil("SELECT count(*) FROM tiktok_posts WHERE publish_id = 'p-1' AND status = "
                      "'SEND_TO_USER_INBOX'",
                      1));
    QCOMPARE(scalar("SELECT count(*) FROM publications WHERE id = 1 AND state = 'published' AND "
                    "published_at IS NOT NULL"),
             1);

    QVERIFY(post(relay,
                 tiktokEvent("post.publish.publicly_available",
                             {{"publish_id", "p-1"}, {"post_id", "7300"}}, "open-1", 1732400100)));
    QVERIFY(waitUntil("SELECT count(*) FROM tiktok_posts WHERE publish_id = 'p-1' AND status = "
                      "'PUBLISH_COMPLETE' AND post_id = '7300'",
                      1));
    // A late, older event (a retry that arrives after) does not move it back.
    QVERIFY(post(relay, tiktokEvent("post.publish.inbox_delivered",
                                    {{"publish_id", "p-1"}, {"publish_type", "INBOX_SHARE"}},
                                    "open-1", 1732400001)));
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done'", 3));
    QCOMPARE(scalar("SELECT count(*) FROM tiktok_posts WHERE publish_id = 'p-1' AND status = "
                    "'PUBLISH_COMPLETE'"),
             1);
    QCOMPARE(scalar("SELECT user_id FROM webhook_events ORDER BY id LIMIT 1"), 1);
}

void InboxProcessingTest::duplicateDeliveredManyTimesIsProcessedOnce() {
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY(relay.isRunning());
    const QByteArray body = tiktokEvent(
        "post.publish.failed", {{"publish_id", "p-dup"}, {"reason", "duration_check_failed"}});
    for (int i = 0; i < 10; ++i)
        QVERIFY(post(relay, body));
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done'", 1));
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events"), 1);
    QCOMPARE(scalar("SELECT attempts FROM webhook_events"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM tiktok_posts WHERE publish_id = 'p-dup' AND status = "
                    "'FAILED' AND fail_reason = 'duration_check_failed'"),
             1);
}

void InboxProcessingTest::authorizationRemovedTurnsAccountToNeedsReconnect() {
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY(relay.isRunning());
    QVERIFY(post(relay, tiktokEvent("authorization.removed", {{"reason", 1}})));
    QVERIFY(waitUntil("SELECT count(*) FROM oauth_accounts WHERE open_id = 'open-1' AND status = "
                      "'needs_reconnect'",
                      1));
    QCOMPARE(scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = 'open-1' AND "
                    "access_token_sealed IS NULL AND refresh_token_sealed IS NULL"),
             1);
    QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE event = 'authorization.removed' AND "
                    "subject = 'open-1'"),
             1);
    // An account never connected is simply recorded.
    QVERIFY(post(relay, tiktokEvent("authorization.removed", {{"reason", 2}}, "stranger")));
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done'", 2));
}

void InboxProcessingTest::eventForAnUnrecordedPostWaitsThenApplies() {
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY(relay.isRunning());
    QVERIFY(post(relay, tiktokEvent("post.publish.complete", {{"publish_id", "p-late"}})));
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE attempts >= 2 AND state = "
                      "'pending' AND last_error LIKE 'post_not_recorded%'",
                      1));
    // The desktop records its publish_id; the next retry applies the event.
    QVERIFY(m_sql->execScript("INSERT INTO tiktok_posts (user_id, account_id, publish_id, source) "
                              "VALUES (1, 1, 'p-late', 'FILE_UPLOAD')"));
    QVERIFY(waitUntil("SELECT count(*) FROM tiktok_posts WHERE publish_id = 'p-late' AND status = "
                      "'PUBLISH_COMPLETE'",
                      1));
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE state = 'done'"), 1);
}

void InboxProcessingTest::malformedEventIsParkedAsDeadAndReplayable() {
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY(relay.isRunning());
    // Signed and well-formed on the outside, but its content has no publish_id.
    QVERIFY(post(relay, tiktokEvent("post.publish.complete", {{"something", "else"}})));
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'dead' AND last_error "
                      "LIKE 'invalid_event%'",
                      1));
    const auto metrics = m_http.get(relay.url("/metrics"));
    QVERIFY(metrics.body.contains(
        "huntaze_events_processed_total{provider=\"tiktok\",outcome=\"dead\"} 1"));

    // `replay` re-queues dead events; this one dies again, and nothing else changes.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_db->url());
    ChildProcess replay(HUNTAZE_RELAY_BIN, {"replay"}, environment);
    QCOMPARE(replay.waitForExit(), 0);
    QVERIFY2(replay.output().contains("1 events queued"), replay.output().constData());
    QVERIFY(
        waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'dead' AND attempts = 1", 1));
}

void InboxProcessingTest::changesAreAnnouncedToListeningDesktops() {
    auto listener = store::PgConnection::open(m_db->url());
    QVERIFY(listener);
    QVERIFY(listener->execScript("LISTEN huntaze_changes"));
    RelayProcess relay(m_db->url(), kRelaySettings);
    QVERIFY(relay.isRunning());
    QVERIFY(post(relay, tiktokEvent("post.publish.inbox_delivered", {{"publish_id", "p-1"}})));
    QJsonObject payload;
    QDeadlineTimer deadline(15000);
    // The post's own announcement (its publication, if any, announces itself too).
    while (payload["table"] != QJsonValue("tiktok_posts") && !deadline.hasExpired()) {
        QTest::qWait(50);
        PQconsumeInput(listener->handle());
        while (PGnotify *note = PQnotifies(listener->handle())) {
            const QJsonObject seen = QJsonDocument::fromJson(note->extra).object();
            if (seen["table"] == QJsonValue("tiktok_posts"))
                payload = seen;
            PQfreemem(note);
        }
    }
    QCOMPARE(payload["table"].toString(), QString("tiktok_posts"));
    QCOMPARE(payload["user_id"].toInt(), 1);
    QCOMPARE(payload["key"].toString(), QString("p-1"));
}

void InboxProcessingTest::unverifiedEventsAreRecordedButChangeNothing() {
    // No TIKTOK_WEBHOOK_SECRET: anyone could have sent this.
    RelayProcess relay(m_db->url(), {{"HUNTAZE_RETRY_BASE_MS", "50"}});
    QVERIFY(relay.isRunning());
    const QByteArray forged = tiktokEvent("authorization.removed", {{"reason", 1}});
    QCOMPARE(m_http.post(relay.url("/webhooks/tiktok"), forged, "application/json").status, 200);
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done' AND NOT verified "
                      "AND last_error = 'unverified: recorded only'",
                      1));
    QCOMPARE(
        scalar("SELECT count(*) FROM oauth_accounts WHERE open_id = 'open-1' AND status = 'active' "
               "AND access_token_sealed IS NOT NULL"),
        1);
}

void InboxProcessingTest::twoRelaysShareTheQueueWithoutDoubleProcessing() {
    insertXEvents(2000);
    RelayProcess first(m_db->url(), kRelaySettings);
    RelayProcess second(m_db->url(), kRelaySettings);
    QVERIFY(first.isRunning() && second.isRunning());
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done'", 2000, 120000));
    // Every event was applied exactly once: one attempt each, one post each.
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE attempts <> 1"), 0);
    QCOMPARE(scalar("SELECT count(*) FROM x_posts"), 2000);
    // And both relays took part.
    const auto m1 = m_http.get(first.url("/metrics")).body;
    const auto m2 = m_http.get(second.url("/metrics")).body;
    // (The series exists at 0 from the start: a relay that took part counted more.)
    const QByteArray done = "huntaze_events_processed_total{provider=\"x\",outcome=\"done\"} ";
    QVERIFY(m1.contains(done) && !m1.contains(done + "0\n"));
    QVERIFY(m2.contains(done) && !m2.contains(done + "0\n"));
}

void InboxProcessingTest::killedRelayLosesNothingAndDoublesNothing() {
    insertXEvents(5000);
    {
        RelayProcess doomed(m_db->url(), kRelaySettings);
        QVERIFY(doomed.isRunning());
        QVERIFY(
            waitUntil("SELECT (count(*) > 200)::int FROM webhook_events WHERE state = 'done'", 1));
        doomed.kill(); // mid-batch, most likely
    }
    QVERIFY(scalar("SELECT count(*) FROM webhook_events WHERE state = 'done'") < 5000);
    RelayProcess survivor(m_db->url(), kRelaySettings);
    QVERIFY(survivor.isRunning());
    QVERIFY(waitUntil("SELECT count(*) FROM webhook_events WHERE state = 'done'", 5000, 120000));
    // A killed transaction rolled back its claims: nothing was counted twice.
    QCOMPARE(scalar("SELECT count(*) FROM webhook_events WHERE attempts <> 1"), 0);
    QCOMPARE(scalar("SELECT count(*) FROM x_posts"), 5000);
}

QTEST_GUILESS_MAIN(InboxProcessingTest)
#include "tst_inboxprocessing.moc"
