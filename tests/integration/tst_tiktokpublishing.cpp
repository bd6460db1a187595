#include "httpclient.h"
#include "jobs/publishingsession.h"
#include "mediafixtures.h"
#include "net/relayclient.h"
#include "platforms/tiktok/tiktokerrors.h"
#include "publishingstack.h"
#include "store/desktopdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// The desktop's publishing queue against the sandbox's TikTok, through a real relay and
// PostgreSQL, as the desktop runs it (same objects, no window): files of every chunk
// shape arrive byte for byte, limits are respected before TikTok has to refuse, every
// refusal leaves a message and the right next step, and nothing is ever posted twice.
class TikTokPublishingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void threeFilesOfEveryChunkShapeArriveWhole();
    void pendingShareQuotaMakesTheSixthWaitWithItsResetTime();
    void platformQuotaRefusalWaitsInsteadOfFailing();
    void initErrorsLeaveTheirMessageAndNextStep_data();
    void initErrorsLeaveTheirMessageAndNextStep();
    void lostInitAnswerForAFileIsReinitialisedButPostedOnce();
    void lostInitAnswerForAUrlStopsForTheCreator();
    void pausedUploadResumesFromTheAcknowledgedByte();
    void expiredUploadUrlStartsOverCleanly();
    void tokenExpiringDuringAnUploadIsRefreshedAndTheUploadContinues();
    void cancelWithdrawsThePostFromTikTok();
    void failedAndDroppedChunksAreSentAgain();
    void relayAdvancesAPostWithoutWebhooksOrADesktop();
    void sevenVideosInAMinuteNeverMeetA429();

private:
    QString makeFile(qint64 size);
    qint64 enqueue(qint64 accountId, const QString &path, const QJsonObject &options = {},
                   const QString &url = {});
    QString state(qint64 id);
    QString column(qint64 id, const QString &column);
    QJsonObject sandboxPost(const QString &publishId);
    QJsonArray sandboxPosts();
    void addFault(const QJsonObject &fault);
    void setChunkDelay(int ms);
    int count429();

    PublishingStack m_stack;
    QTemporaryDir m_files;
    std::unique_ptr<store::DesktopDatabase> m_database;
    std::unique_ptr<net::RelayClient> m_relay;
    std::unique_ptr<jobs::PublishingSession> m_session;
    // TikTok paces each access token on its own (6 inits a minute): tests that init many
    // times use their own creators, so no test waits out another's minute.
    qint64 m_alice = 0; // chunk shapes, pause, expiry, token refresh
    qint64 m_bob = 0;   // pending-share quota
    qint64 m_carol = 0; // error answers (the fault answers before her ban is looked at)
    qint64 m_dave = 0;  // error answers
    qint64 m_erin = 0;  // lost init answers, cancel
    qint64 m_frank = 0; // seven in a minute
    HttpClient m_http;
};

void TikTokPublishingTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    const auto alice = m_stack.connectTikTok("tt-alice");
    QVERIFY2(alice, qPrintable(m_stack.errorString()));
    m_alice = *alice;
    for (auto [user, id] : {std::pair{"tt-bob", &m_bob},
                            {"tt-carol", &m_carol},
                            {"tt-dave", &m_dave},
                            {"tt-erin", &m_erin},
                            {"tt-frank", &m_frank}}) {
        const auto connected = m_stack.connectTikTok(user);
        QVERIFY2(connected, qPrintable(m_stack.errorString()));
        *id = *connected;
    }
    // The sandbox processes a finished upload for 2 s before TikTok's answer is final.
    QCOMPARE(
        m_http
            .postJson(m_stack.sandbox().url("/_admin/tiktok/settings"), {{"processing_seconds", 2}})
            .status,
        200);

    m_database = std::make_unique<store::DesktopDatabase>(m_stack.desktopDatabaseUrl());
    m_database->start();
    m_relay = std::make_unique<net::RelayClient>(m_stack.relayUrl());
    m_relay->setCredential(m_stack.credential());
    m_session = std::make_unique<jobs::PublishingSession>(
        m_database.get(), m_relay.get(),
        jobs::PublishingSession::apiBasesFrom(m_stack.platforms()));
    QVERIFY(m_session->tiktok());
    m_session->queue()->setMaxConcurrent(3);
    m_session->queue()->start();
}

void TikTokPublishingTest::cleanupTestCase() {
    m_session.reset();
    m_relay.reset();
    m_database.reset();
}

void TikTokPublishingTest::init() {
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/faults"), {}, {}, 5000).status,
             200);
    setChunkDelay(0);
    // Each test starts with no pending inbox shares: the creator posted every draft
    // (in the sandbox, and as TikTok's post.publish.complete would record it here).
    for (const QJsonValue &post : sandboxPosts())
        if (post["status"].toString() == "SEND_TO_USER_INBOX" && !post["posted"].toBool())
            m_http.postJson(m_stack.sandbox().url("/_admin/tiktok/posts/" +
                                                  post["publish_id"].toString() + "/posted"),
                            {});
    QVERIFY(m_stack.sql().execScript("UPDATE tiktok_posts SET status = 'PUBLISH_COMPLETE' "
                                     "WHERE status = 'SEND_TO_USER_INBOX'"));
}

void TikTokPublishingTest::setChunkDelay(int ms) {
    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/tiktok/settings"), {{"chunk_delay_ms", ms}})
            .status,
        200);
}

QString TikTokPublishingTest::makeFile(qint64 size) {
    // Distinct content in every megabyte, so a chunk sent twice or out of order shows in
    // the SHA-256; written in blocks so a file of hundreds of MB takes a moment.
    const QString path = m_files.filePath(
        QStringLiteral("video-%1-%2.mp4").arg(size).arg(QRandomGenerator::global()->generate()));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray block(1 << 20, Qt::Uninitialized);
    QRandomGenerator random{quint32(size)};
    for (qsizetype i = 0; i < block.size(); i += 4) {
        const quint32 word = random.generate();
        memcpy(block.data() + i, &word, 4);
    }
    for (qint64 written = 0, n = 0; written < size; ++n) {
        memcpy(block.data(), &n, sizeof n);
        const qint64 part = std::min<qint64>(block.size(), size - written);
        file.write(block.constData(), part);
        written += part;
    }
    return path;
}

qint64 TikTokPublishingTest::enqueue(qint64 accountId, const QString &path,
                                     const QJsonObject &options, const QString &url) {
    jobs::PublicationDraft draft;
    draft.accountIds = {accountId};
    draft.filePath = path;
    draft.sourceUrl = url;
    draft.fileSize = path.isEmpty() ? 0 : QFileInfo(path).size();
    draft.caption = QStringLiteral("Test clip");
    draft.options = options;
    if (!draft.options.contains("mode"))
        draft.options.insert("mode", "inbox");
    draft.options.insert("content_type", "video/mp4");
    std::optional<Result<QList<qint64>>> ids;
    m_session->queue()->enqueue(draft, [&](Result<QList<qint64>> result) { ids = result; });
    if (!QTest::qWaitFor([&] { return ids.has_value(); }, 10000) || !ids->ok() ||
        ids->value().size() != 1)
        return 0;
    return ids->value().first();
}

QString TikTokPublishingTest::column(qint64 id, const QString &name) {
    auto result = m_stack.sql().exec(
        QStringLiteral("SELECT %1::text FROM publications WHERE id = $1").arg(name), {id});
    return result && result->rows() ? result->text(0, 0) : QString();
}

QString TikTokPublishingTest::state(qint64 id) {
    return column(id, "state");
}

QJsonArray TikTokPublishingTest::sandboxPosts() {
    return m_http.get(m_stack.sandbox().url("/_admin/tiktok/posts")).document().array();
}

QJsonObject TikTokPublishingTest::sandboxPost(const QString &publishId) {
    for (const QJsonValue &post : sandboxPosts())
        if (post["publish_id"].toString() == publishId)
            return post.toObject();
    return {};
}

void TikTokPublishingTest::addFault(const QJsonObject &fault) {
    QJsonObject rule = fault;
    rule.insert("platform", "tiktok");
    const auto added = m_http.postJson(m_stack.sandbox().url("/_admin/faults"), rule);
    QVERIFY2(added.status == 200 || added.status == 201, added.body.constData());
}

int TikTokPublishingTest::count429() {
    int n = 0;
    const auto log = m_http.get(m_stack.sandbox().url("/_admin/requests?platform=tiktok"));
    for (const QJsonValue &request : log.document().array())
        if (request["status"].toInt() == 429)
            ++n;
    return n;
}

void TikTokPublishingTest::threeFilesOfEveryChunkShapeArriveWhole() {
    // Under 5 MB (one chunk), an exact multiple of the 10 MB chunk, and several hundred MB
    // with a remainder that joins the last chunk.
    const QList<qint64> sizes{3'000'000, 20'000'000, 300'000'123};
    QList<qint64> ids;
    QStringList paths;
    for (qint64 size : sizes) {
        paths << makeFile(size);
        ids << enqueue(m_alice, paths.last());
        QVERIFY(ids.last() > 0);
    }
    for (qint64 id : ids)
        QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 180000);
    for (int i = 0; i < ids.size(); ++i) {
        const QString publishId = column(ids[i], "remote_id");
        const QJsonObject post = sandboxPost(publishId);
        QCOMPARE(qint64(post["video_size"].toDouble()), sizes[i]);
        QCOMPARE(qint64(post["uploaded_bytes"].toDouble()), sizes[i]);
        QCOMPARE(post["sha256"].toString().toLatin1(), fileSha256(paths[i]));
        QCOMPARE(post["status"].toString(), QString("SEND_TO_USER_INBOX"));
        QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM tiktok_posts WHERE publish_id = '%1' "
                                        "AND status = 'SEND_TO_USER_INBOX'")
                                    .arg(publishId)),
                 1);
        QCOMPARE(column(ids[i], "bytes_sent").toLongLong(), sizes[i]);
        // The user posts it from the inbox: the share stops pending.
        m_http.postJson(m_stack.sandbox().url("/_admin/tiktok/posts/" + publishId + "/posted"), {});
    }
    QCOMPARE(sandboxPost(column(ids[0], "remote_id"))["total_chunk_count"].toInt(), 1);
    QCOMPARE(sandboxPost(column(ids[1], "remote_id"))["total_chunk_count"].toInt(), 2);
    QCOMPARE(sandboxPost(column(ids[2], "remote_id"))["total_chunk_count"].toInt(), 30);
    QCOMPARE(count429(), 0);
}

void TikTokPublishingTest::pendingShareQuotaMakesTheSixthWaitWithItsResetTime() {
    const QString path = makeFile(1'000'000);
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << enqueue(m_bob, path);
    for (qint64 id : ids)
        QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 60000);
    const int postsBefore = int(sandboxPosts().size());
    const qint64 sixth = enqueue(m_bob, path);
    QTRY_COMPARE_WITH_TIMEOUT(column(sixth, "last_error_code"),
                              QString("spam_risk_too_many_pending_share"), 20000);
    QCOMPARE(state(sixth), QString("queued"));
    const QString message = column(sixth, "last_error_message");
    QVERIFY2(message.contains("5 of 5"), qPrintable(message));
    QVERIFY2(message.contains("at "), qPrintable(message));
    // It waits until the oldest share leaves the 24-hour window, and TikTok was never asked.
    QVERIFY(m_stack.scalar(QString("SELECT extract(epoch FROM next_attempt_at - now())::bigint "
                                   "FROM publications WHERE id = %1")
                               .arg(sixth)) > 23 * 3600);
    QCOMPARE(int(sandboxPosts().size()), postsBefore);
    // Posting one in TikTok frees a share; Retry (the creator's) sends it.
    for (qint64 id : ids)
        m_http.postJson(
            m_stack.sandbox().url("/_admin/tiktok/posts/" + column(id, "remote_id") + "/posted"),
            {});
    QVERIFY(m_stack.sql().exec("UPDATE tiktok_posts SET status = 'PUBLISH_COMPLETE' WHERE "
                               "account_id = $1",
                               {m_bob}));
    QVERIFY(m_stack.sql().exec("UPDATE publications SET next_attempt_at = now() WHERE id = $1",
                               {sixth}));
    QTRY_COMPARE_WITH_TIMEOUT(state(sixth), QString("published"), 60000);
}

void TikTokPublishingTest::platformQuotaRefusalWaitsInsteadOfFailing() {
    // Shares made outside Huntaze: TikTok refuses although Huntaze counted fewer than 5.
    addFault({{"endpoint", "inbox.video.init"},
              {"kind", "status"},
              {"status", 403},
              {"body", "{\"data\":{},\"error\":{\"code\":\"spam_risk_too_many_pending_share\","
                       "\"message\":\"too many pending\",\"log_id\":\"x\"}}"}});
    const qint64 id = enqueue(m_dave, makeFile(1'000'000));
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"),
                              QString("spam_risk_too_many_pending_share"), 20000);
    QCOMPARE(state(id), QString("queued"));
    QVERIFY(column(id, "init_started_at").isEmpty()); // refused: init may be sent again
    QVERIFY(m_stack.scalar(QString("SELECT extract(epoch FROM next_attempt_at - now())::bigint "
                                   "FROM publications WHERE id = %1")
                               .arg(id)) >= 60);
    QVERIFY(column(id, "last_error_message").contains("Next try at"));
    QVERIFY(m_stack.sql().exec("UPDATE publications SET state = 'cancelled' WHERE id = $1", {id}));
}

void TikTokPublishingTest::initErrorsLeaveTheirMessageAndNextStep_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expectedState");
    QTest::newRow("rate limit waits a minute") << 429 << "rate_limit_exceeded"
                                               << "queued";
    QTest::newRow("daily cap waits") << 403 << "spam_risk_too_many_posts"
                                     << "queued";
    QTest::newRow("banned creator must act") << 403 << "spam_risk_user_banned_from_posting"
                                             << "needs_action";
    QTest::newRow("unaudited app must post privately")
        << 403 << "unaudited_client_can_only_post_to_private_accounts"
        << "needs_action";
    QTest::newRow("bad parameter must be fixed") << 400 << "invalid_param"
                                                 << "needs_action";
    QTest::newRow("missing scope means reconnect") << 401 << "scope_not_authorized"
                                                   << "needs_action";
    QTest::newRow("internal error retries") << 500 << "internal_error"
                                            << "queued";
}

void TikTokPublishingTest::initErrorsLeaveTheirMessageAndNextStep() {
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, expectedState);
    const QString platformMessage = "the field video_size is wrong";
    addFault({{"endpoint", "inbox.video.init"},
              {"kind", "status"},
              {"status", status},
              {"body", QString("{\"data\":{},\"error\":{\"code\":\"%1\",\"message\":\"%2\","
                               "\"log_id\":\"x\"}}")
                           .arg(code, platformMessage)}});
    // Alternate creators so that seven init calls never wait out a minute.
    static int row = 0;
    const qint64 id = enqueue(++row % 2 ? m_carol : m_dave, makeFile(1'000'000));
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), code, 20000);
    QCOMPARE(state(id), expectedState);
    const QString message = column(id, "last_error_message");
    const tiktok::Problem problem = tiktok::problemForApiError(code, status, platformMessage);
    QVERIFY2(message.startsWith(problem.message.left(30)), qPrintable(message));
    if (expectedState == "queued")
        QVERIFY2(message.contains("Next try at"), qPrintable(message));
    QVERIFY(column(id, "init_started_at").isEmpty());
    QVERIFY(m_stack.sql().exec("UPDATE publications SET state = 'cancelled' WHERE id = $1", {id}));
}

void TikTokPublishingTest::lostInitAnswerForAFileIsReinitialisedButPostedOnce() {
    // TikTok creates the post, then the connection drops before its answer.
    addFault({{"endpoint", "inbox.video.init"}, {"kind", "drop_after"}});
    const int before = int(sandboxPosts().size());
    const QString path = makeFile(6'000'000);
    const qint64 id = enqueue(m_erin, path);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 60000);
    const QJsonArray posts = sandboxPosts();
    QCOMPARE(int(posts.size()), before + 2); // the lost one, and the one Huntaze followed
    int withBytes = 0;
    for (int i = before; i < posts.size(); ++i)
        if (posts[i]["uploaded_bytes"].toDouble() > 0)
            ++withBytes;
    QCOMPARE(withBytes, 1); // the lost one never got a byte, so it can never go live
    QCOMPARE(sandboxPost(column(id, "remote_id"))["sha256"].toString().toLatin1(),
             fileSha256(path));
}

void TikTokPublishingTest::lostInitAnswerForAUrlStopsForTheCreator() {
    addFault({{"endpoint", "inbox.video.init"}, {"kind", "drop_after"}});
    const int before = int(sandboxPosts().size());
    const qint64 id = enqueue(m_erin, {}, {}, "https://verified.example/clip.mp4");
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("needs_action"), 60000);
    QCOMPARE(column(id, "last_error_code"), QString("outcome_unknown"));
    QVERIFY(column(id, "last_error_message").contains("Check TikTok"));
    const QJsonArray posts = sandboxPosts();
    QVERIFY2(posts.size() == before + 1, // pulled once, never asked again
             QJsonDocument(posts).toJson().right(1500).constData());
}

void TikTokPublishingTest::pausedUploadResumesFromTheAcknowledgedByte() {
    setChunkDelay(300); // a slow link, so the pause lands mid-file
    const QString path = makeFile(150'000'000);
    const qint64 id = enqueue(m_alice, path);
    QTRY_VERIFY_WITH_TIMEOUT(column(id, "bytes_sent").toLongLong() > 0, 60000);
    m_session->queue()->pause(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("paused"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->queue()->isWorkingOn(id), 10000);
    const qint64 acknowledged = column(id, "bytes_sent").toLongLong();
    QVERIFY(acknowledged < 150'000'000);
    QTest::qWait(500);
    QCOMPARE(column(id, "bytes_sent").toLongLong(), acknowledged); // nothing moves while paused
    setChunkDelay(0);
    m_session->queue()->resume(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 120000);
    const QJsonObject post = sandboxPost(column(id, "remote_id"));
    QCOMPARE(post["sha256"].toString().toLatin1(), fileSha256(path));
}

void TikTokPublishingTest::expiredUploadUrlStartsOverCleanly() {
    const QString path = makeFile(30'000'000);
    setChunkDelay(500);
    const qint64 id = enqueue(m_alice, path);
    QTRY_VERIFY_WITH_TIMEOUT(!column(id, "remote_id").isEmpty(), 30000);
    m_session->queue()->pause(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("paused"), 10000);
    const QString first = column(id, "remote_id");
    // An hour and more passes on TikTok's side: the upload URL is dead.
    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 3700}}).status,
        200);
    setChunkDelay(0);
    m_session->queue()->resume(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 120000);
    const QString second = column(id, "remote_id");
    QVERIFY(second != first);
    QCOMPARE(sandboxPost(second)["sha256"].toString().toLatin1(), fileSha256(path));
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM tiktok_posts WHERE publish_id = '%1' "
                                    "AND fail_reason = 'upload_abandoned'")
                                .arg(first)),
             1);
}

void TikTokPublishingTest::tokenExpiringDuringAnUploadIsRefreshedAndTheUploadContinues() {
    setChunkDelay(200);
    const QString path = makeFile(120'000'000);
    const qint64 id = enqueue(m_alice, path);
    QTRY_VERIFY_WITH_TIMEOUT(column(id, "bytes_sent").toLongLong() > 0, 60000);
    // Every access token of Alice's dies mid-upload (refresh tokens live on).
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/tiktok/tokens/invalidate"),
                           {{"open_id", "sbx-openid-alice"}})
                 .status,
             200);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 120000);
    QCOMPARE(sandboxPost(column(id, "remote_id"))["sha256"].toString().toLatin1(),
             fileSha256(path));
    // The status call met access_token_invalid, the relay refreshed, the call went again.
    const auto log = m_http.get(m_stack.sandbox().url("/_admin/requests?platform=tiktok"));
    int refused = 0;
    for (const QJsonValue &request : log.document().array())
        if (request["endpoint"].toString() == "status.fetch" && request["status"].toInt() == 401)
            ++refused;
    QVERIFY(refused >= 1);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM oauth_accounts WHERE id = " +
                            QString::number(m_alice) + " AND status = 'active'"),
             1);
}

void TikTokPublishingTest::cancelWithdrawsThePostFromTikTok() {
    setChunkDelay(300);
    const qint64 id = enqueue(m_erin, makeFile(100'000'000));
    QTRY_VERIFY_WITH_TIMEOUT(column(id, "bytes_sent").toLongLong() > 0, 60000);
    const QString publishId = column(id, "remote_id");
    m_session->queue()->cancel(id);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("cancelled"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(sandboxPost(publishId)["fail_reason"].toString(),
                              QString("publish_cancelled"), 20000);
    QTest::qWait(1000);
    QCOMPARE(state(id), QString("cancelled")); // the failure webhook does not overwrite it
}

void TikTokPublishingTest::failedAndDroppedChunksAreSentAgain() {
    // Two chunks answered 503 (with TikTok's Content-Range), then one whose connection
    // drops before any answer: each is sent again, and the file arrives whole.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/tiktok/settings"),
                           {{"chunk_fault", QJsonObject{{"status", 503}, {"times", 2}}}})
                 .status,
             200);
    addFault({{"endpoint", "upload.chunk"}, {"kind", "drop"}});
    const QString path = makeFile(25'000'000);
    const qint64 id = enqueue(m_erin, path);
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 60000);
    QCOMPARE(sandboxPost(column(id, "remote_id"))["sha256"].toString().toLatin1(),
             fileSha256(path));
    int failed = 0;
    const auto log =
        m_http.get(m_stack.sandbox().url("/_admin/requests?platform=tiktok&endpoint=upload.chunk"));
    for (const QJsonValue &request : log.document().array())
        failed += request["status"].toInt() == 503 || request["status"].toInt() == -1;
    QCOMPARE(failed, 3);
}

void TikTokPublishingTest::relayAdvancesAPostWithoutWebhooksOrADesktop() {
    // TikTok's webhooks cannot reach the relay, and the desktop goes away once the
    // upload is done: the relay's poller asks TikTok and finishes the publication.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/webhooks"),
                           {{"relay_url", "http://127.0.0.1:1"}})
                 .status,
             200);
    const qint64 id = enqueue(m_erin, makeFile(2'000'000));
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("processing"), 30000);
    m_session->queue()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 60000);
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM tiktok_posts WHERE publish_id = '%1' "
                                    "AND status = 'SEND_TO_USER_INBOX'")
                                .arg(column(id, "remote_id"))),
             1);
    // It was the relay's poller that asked TikTok.
    QVERIFY(!m_stack.relay()
                 .process()
                 .waitForJsonLine([](const QJsonObject &line) {
                     return line["event"] == QJsonValue("status.polled");
                 })
                 .isEmpty());
    m_session->queue()->start();
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/webhooks"),
                           {{"relay_url", m_stack.relayUrl().toString()}})
                 .status,
             200);
}

void TikTokPublishingTest::sevenVideosInAMinuteNeverMeetA429() {
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/requests"), {}, {}, 5000).status,
             200);
    const QString path = makeFile(500'000);
    QList<qint64> ids;
    for (int i = 0; i < 7; ++i)
        ids << enqueue(m_frank, path, {{"mode", "direct"}, {"privacy_level", "SELF_ONLY"}});
    // Six init calls a minute per token: the seventh waits for its turn instead of a 429.
    for (qint64 id : ids)
        QTRY_COMPARE_WITH_TIMEOUT(state(id), QString("published"), 150000);
    QCOMPARE(count429(), 0);
}

QTEST_GUILESS_MAIN(TikTokPublishingTest)
#include "tst_tiktokpublishing.moc"
