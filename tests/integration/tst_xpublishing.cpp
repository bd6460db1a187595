#include "httpclient.h"
#include "jobs/publishingsession.h"
#include "mediafixtures.h"
#include "net/accesstokens.h"
#include "net/relayclient.h"
#include "platforms/x/xmediarules.h"
#include "platforms/x/xpostrequest.h"
#include "publishingstack.h"
#include "store/desktopdatabase.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// The desktop's publishing queue against the sandbox's X, through a real relay and
// PostgreSQL: text, 4 photos, a GIF and a video (several 5 MB segments) each go out once
// with their permalink, x_posts row and bytes intact; an upload stopped halfway resumes
// from its checkpoint; rate limits and the 24-hour caps keep the post queued until X's
// reset; duplicate content asks the creator; a lost create-post answer never becomes a
// second post.
class XPublishingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void everyKindIsPublishedOnceWithItsPermalinkAndMedia();
    void restartMidUploadResumesFromTheCheckpoint();
    void limitsKeepThePostQueuedUntilTheResetThenItIsPublished_data();
    void limitsKeepThePostQueuedUntilTheResetThenItIsPublished();
    void duplicateContentAsksTheCreatorWithXsMessage();
    void lostCreateAnswerLeavesOnePostOnXOnly();
    void serverErrorToTheCreateIsNeverResentBlindly();
    void createMarkedButUnansweredAtStartIsNeverSent();
    void badInputIsRefusedBeforeAnythingIsSent();
    void uploadXForgotStartsThatFileOver();
    void refusedTokenIsRenewedOnceAndThePostGoesOut();

private:
    void startSession();
    qint64 enqueue(const QString &kind, const QString &text, const QString &path = {},
                   const QStringList &images = {});
    QString column(qint64 id, const QString &name);
    bool waitForState(qint64 id, const QStringList &states, int timeoutMs = 120000);
    QJsonArray admin(const QString &path);
    QJsonObject adminPost(const QString &id);
    QJsonObject adminMedia(const QString &id);
    QJsonArray requests(const QString &endpoint);
    int postsWithText(const QString &text);
    void setLimits(const QJsonObject &limits);
    QString uniqueText(const QString &what);
    QString makeImage(const QString &name, const char *format);
    void verifyPublished(qint64 id, const QString &text, const QStringList &files);

    PublishingStack m_stack;
    QTemporaryDir m_files;
    qint64 m_account = 0;
    std::unique_ptr<store::DesktopDatabase> m_database;
    std::unique_ptr<net::RelayClient> m_relay;
    std::unique_ptr<jobs::PublishingSession> m_session;
    HttpClient m_http;
    int m_counter = 0;
};

void XPublishingTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    const auto account = m_stack.connectX("1500000000000000001");
    QVERIFY2(account, qPrintable(m_stack.errorString()));
    m_account = *account;
    m_database = std::make_unique<store::DesktopDatabase>(m_stack.desktopDatabaseUrl());
    m_database->start();
    m_relay = std::make_unique<net::RelayClient>(m_stack.relayUrl());
    m_relay->setCredential(m_stack.credential());
    startSession();
}

void XPublishingTest::cleanupTestCase() {
    m_session.reset();
    m_relay.reset();
    m_database.reset();
}

void XPublishingTest::startSession() {
    // A new session is a new desktop process: its pacer has heard nothing from X yet.
    m_session.reset();
    m_session = std::make_unique<jobs::PublishingSession>(
        m_database.get(), m_relay.get(),
        jobs::PublishingSession::apiBasesFrom(m_stack.platforms()));
    QVERIFY(m_session->x());
    m_session->queue()->setMaxConcurrent(4);
    m_session->queue()->start();
}

void XPublishingTest::init() {
    QCOMPARE(m_http.send("DELETE", m_stack.sandbox().url("/_admin/faults"), {}, {}, 5000).status,
             200);
    setLimits({{"endpoint", "tweets.create"}, {"limit", 100}, {"window_seconds", 900}});
    setLimits({{"endpoint", "media.append"}, {"limit", 10000}, {"window_seconds", 900}});
    setLimits({{"user_24h_limit", 2400}, {"app_24h_limit", 10000}, {"reset", true}});
}

void XPublishingTest::setLimits(const QJsonObject &limits) {
    QCOMPARE(m_http.postJson(m_stack.sandbox().url("/_admin/x/limits"), limits).status, 200);
}

QString XPublishingTest::uniqueText(const QString &what) {
    return QString("%1 from Huntaze %2-%3")
        .arg(what)
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(++m_counter);
}

QString XPublishingTest::makeImage(const QString &name, const char *format) {
    // Noise, so every byte matters to the hash.
    QImage image(400, 300, QImage::Format_RGB32);
    auto *random = QRandomGenerator::global();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb(x % 256, y % 256, int(random->bounded(256))));
    const QString path = m_files.filePath(name);
    return image.save(path, format) ? path : QString();
}

qint64 XPublishingTest::enqueue(const QString &kind, const QString &text, const QString &path,
                                const QStringList &images) {
    jobs::PublicationDraft draft;
    draft.accountIds = {m_account};
    draft.kind = kind;
    draft.filePath = path;
    draft.caption = text;
    draft.fileSize = path.isEmpty() ? 0 : QFileInfo(path).size();
    if (!images.isEmpty()) {
        draft.options.insert("x", QJsonObject{{"images", QJsonArray::fromStringList(images)}});
        for (const QString &image : images)
            draft.fileSize += QFileInfo(image).size();
    }
    std::optional<Result<QList<qint64>>> ids;
    m_session->store()->enqueue(draft, [&](Result<QList<qint64>> result) { ids = result; });
    if (!QTest::qWaitFor([&] { return ids.has_value(); }, 10000) || !ids->ok() ||
        ids->value().size() != 1)
        return 0;
    return ids->value().first();
}

QString XPublishingTest::column(qint64 id, const QString &name) {
    auto result = m_stack.sql().exec(
        QStringLiteral("SELECT %1::text FROM publications WHERE id = $1").arg(name), {id});
    return result && result->rows() && !result->isNull(0, 0) ? result->text(0, 0) : QString();
}

bool XPublishingTest::waitForState(qint64 id, const QStringList &states, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (states.contains(column(id, "state")))
            return true;
        // GIFs and videos process for 10 s of the sandbox's time: let that pass quickly.
        m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 3}});
        QTest::qWait(400);
    }
    qWarning() << "publication" << id << "stayed" << column(id, "state")
               << column(id, "last_error_code") << column(id, "last_error_message");
    return false;
}

QJsonArray XPublishingTest::admin(const QString &path) {
    return m_http.get(m_stack.sandbox().url("/_admin/x/" + path)).document().array();
}

QJsonObject XPublishingTest::adminPost(const QString &id) {
    for (const QJsonValue &p : admin("posts"))
        if (p["id"].toString() == id)
            return p.toObject();
    return {};
}

QJsonObject XPublishingTest::adminMedia(const QString &id) {
    for (const QJsonValue &m : admin("media"))
        if (m["id"].toString() == id)
            return m.toObject();
    return {};
}

QJsonArray XPublishingTest::requests(const QString &endpoint) {
    QUrl url = m_stack.sandbox().url("/_admin/requests");
    url.setQuery("platform=x&endpoint=" + endpoint);
    return m_http.get(url).document().array();
}

int XPublishingTest::postsWithText(const QString &text) {
    int count = 0;
    for (const QJsonValue &p : admin("posts"))
        count += p["text"].toString() == text;
    return count;
}

void XPublishingTest::verifyPublished(qint64 id, const QString &text, const QStringList &files) {
    const QString postId = column(id, "remote_id");
    QVERIFY2(x::isXId(postId), qPrintable(postId));
    QCOMPARE(column(id, "permalink"), "https://x.com/sbx_creator/status/" + postId);
    QVERIFY(column(id, "init_started_at").isEmpty());
    // The x_posts row, linked to its publication.
    auto row = m_stack.sql().exec(
        "SELECT publication_id::text, text, account_id::text FROM x_posts WHERE tweet_id = $1",
        {postId});
    QVERIFY(row && row->rows() == 1);
    QCOMPARE(row->text(0, 0), QString::number(id));
    QCOMPARE(row->text(0, 1), text);
    QCOMPARE(row->text(0, 2), QString::number(m_account));
    // What X holds: the post once, by the creator, with its media byte for byte.
    const QJsonObject post = adminPost(postId);
    QCOMPARE(post["text"].toString(), text);
    QCOMPARE(post["author_id"].toString(), QString("1500000000000000001"));
    QCOMPARE(postsWithText(text), 1);
    const QJsonArray mediaIds = post["media_ids"].toArray();
    QCOMPARE(mediaIds.size(), files.size());
    for (int i = 0; i < files.size(); ++i) {
        const QJsonObject media = adminMedia(mediaIds.at(i).toString());
        QCOMPARE(media["state"].toString(), QString("succeeded"));
        QCOMPARE(media["sha256"].toString().toLatin1(), fileSha256(files.at(i)));
        QCOMPARE(media["total_bytes"].toInteger(), QFileInfo(files.at(i)).size());
    }
    if (!files.isEmpty())
        QCOMPARE(column(id, "bytes_sent"), column(id, "bytes_total"));
}

void XPublishingTest::everyKindIsPublishedOnceWithItsPermalinkAndMedia() {
    const QStringList images{makeImage("a.jpg", "JPEG"), makeImage("b.png", "PNG"),
                             makeImage("c.jpg", "JPEG"), makeImage("d.png", "PNG")};
    for (const QString &image : images)
        QVERIFY(!image.isEmpty());
    const QString gif = makeTestGif(m_files.filePath("moving.gif"));
    QVERIFY(!gif.isEmpty());
    const QString video = makeTestVideo(m_files.filePath("large.mp4"), 3, true, "320x240");
    QVERIFY(!video.isEmpty());
    QVERIFY2(QFileInfo(video).size() > 2 * x::SegmentPlan::kSegmentBytes,
             "the video must take more than two segments");

    QList<qint64> progressSeen;
    const auto watching = connect(m_session->queue(), &jobs::PublicationQueue::progress, this,
                                  [&progressSeen](qint64 id, qint64 sent, qint64 total, double) {
                                      if (sent > 0 && sent <= total)
                                          progressSeen.append(id);
                                  });
    const auto stopWatching = qScopeGuard([watching] { QObject::disconnect(watching); });
    const QString textOnly = uniqueText("Just words");
    const QString withImages = uniqueText("Four photos");
    const QString withGif = uniqueText("A GIF");
    const QString withVideo = uniqueText("A video");
    const qint64 text = enqueue("text", textOnly);
    const qint64 photos = enqueue("images", withImages, {}, images);
    const qint64 animated = enqueue("gif", withGif, gif);
    const qint64 clip = enqueue("video", withVideo, video);
    QVERIFY(text && photos && animated && clip);
    for (const qint64 id : {text, photos, animated, clip})
        QVERIFY(waitForState(id, {"published"}));
    verifyPublished(text, textOnly, {});
    verifyPublished(photos, withImages, images);
    verifyPublished(animated, withGif, {gif});
    verifyPublished(clip, withVideo, {video});
    // The video went in 5 MB segments; the queue reported its progress as it went.
    const qint64 segments = (QFileInfo(video).size() + x::SegmentPlan::kSegmentBytes - 1) /
                            x::SegmentPlan::kSegmentBytes;
    QCOMPARE(column(clip, "options->'x_media'->'0'->>'segments_sent'"), QString::number(segments));
    QVERIFY(progressSeen.contains(clip));
    QVERIFY(progressSeen.contains(photos));
}

void XPublishingTest::restartMidUploadResumesFromTheCheckpoint() {
    const QString video = makeTestVideo(m_files.filePath("resumed.mp4"), 4, true, "320x240");
    QVERIFY(!video.isEmpty());
    const qint64 size = QFileInfo(video).size();
    QVERIFY(size > 3 * x::SegmentPlan::kSegmentBytes);
    const QString text = uniqueText("Resumed video");
    // X takes two segments, then its 15-minute window for appends is used up: the job
    // stops halfway, and the desktop quits while it waits.
    setLimits({{"endpoint", "media.append"}, {"limit", 2}, {"window_seconds", 900}});
    const qint64 id = enqueue("video", text, video);
    QVERIFY(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), QString("rate_limited"), 60000);
    m_session.reset();
    QTest::qWait(300);
    const QString mediaId = column(id, "options->'x_media'->'0'->>'media_id'");
    const int sentBefore = column(id, "options->'x_media'->'0'->>'segments_sent'").toInt();
    QVERIFY(x::isXId(mediaId));
    QCOMPARE(sentBefore, 2);
    QCOMPARE(column(id, "state"), QString("uploading"));
    QCOMPARE(column(id, "bytes_sent").toLongLong(), 2 * x::SegmentPlan::kSegmentBytes);
    const int initializes = int(requests("media.initialize").size());
    const qint64 lastSeq = [this] {
        qint64 seq = 0;
        for (const QJsonValue &r : requests("media.append"))
            seq = std::max<qint64>(seq, r["seq"].toInteger());
        return seq;
    }();

    // The window starts over; the desktop starts again and looks at the post at once.
    init();
    QVERIFY(m_stack.sql().execScript(
        QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    startSession();
    QVERIFY(waitForState(id, {"published"}));
    verifyPublished(id, text, {video});
    QCOMPARE(int(requests("media.initialize").size()), initializes); // the same upload
    QCOMPARE(column(id, "options->'x_media'->'0'->>'media_id'"), mediaId);
    qint64 resentBytes = 0;
    int resentSegments = 0;
    for (const QJsonValue &r : requests("media.append"))
        if (r["seq"].toInteger() > lastSeq && r["path"].toString().contains(mediaId)) {
            resentBytes += r["body_size"].toInteger();
            ++resentSegments;
        }
    const int segments =
        int((size + x::SegmentPlan::kSegmentBytes - 1) / x::SegmentPlan::kSegmentBytes);
    // Only what X had not acknowledged went: the rest of the file, segment by segment.
    QCOMPARE(resentSegments, segments - sentBefore);
    QVERIFY2(resentBytes <
                 size - qint64(sentBefore) * x::SegmentPlan::kSegmentBytes + 4096 * resentSegments,
             qPrintable(QString::number(resentBytes)));
    QVERIFY(resentBytes >= size - qint64(sentBefore) * x::SegmentPlan::kSegmentBytes);
}

void XPublishingTest::limitsKeepThePostQueuedUntilTheResetThenItIsPublished_data() {
    QTest::addColumn<QJsonObject>("limits");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("minimumWaitMinutes");
    QTest::newRow("15-minute window")
        << QJsonObject{{"endpoint", "tweets.create"}, {"limit", 0}, {"window_seconds", 900}}
        << "rate_limited" << 10;
    QTest::newRow("24-hour user cap")
        << QJsonObject{{"user_24h_limit", 0}} << "daily_post_cap_user" << 20 * 60;
    QTest::newRow("24-hour app cap")
        << QJsonObject{{"app_24h_limit", 0}} << "daily_post_cap_app" << 20 * 60;
}

void XPublishingTest::limitsKeepThePostQueuedUntilTheResetThenItIsPublished() {
    QFETCH(QJsonObject, limits);
    QFETCH(QString, code);
    QFETCH(int, minimumWaitMinutes);
    setLimits(limits);
    const int creates = int(requests("tweets.create").size());
    const QString text = uniqueText("Held back by " + code);
    const qint64 id = enqueue("text", text);
    QVERIFY(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), code, 30000);
    QCOMPARE(column(id, "state"), QString("queued"));
    QVERIFY(column(id, "init_started_at").isEmpty()); // X answered: nothing is unknown
    const QString message = column(id, "last_error_message");
    const QString nextAt = column(id, "to_char(next_attempt_at AT TIME ZONE 'UTC', 'HH24:MI')");
    QVERIFY2(message.contains("automatically"), qPrintable(message));
    QVERIFY2(message.contains(QRegularExpression("\\d{1,2}:\\d{2}")), qPrintable(message));
    QCOMPARE(m_stack.scalar(QString("SELECT (next_attempt_at > now() + make_interval(mins => %1))"
                                    "::int FROM publications WHERE id = %2")
                                .arg(minimumWaitMinutes)
                                .arg(id)),
             1);
    QCOMPARE(m_stack.scalar(QString("SELECT (next_attempt_at < now() + interval '25 hours 5 "
                                    "minutes')::int FROM publications WHERE id = %1")
                                .arg(id)),
             1);
    QVERIFY(!nextAt.isEmpty());
    QCOMPARE(postsWithText(text), 0);
    // Looked at again before the reset, the pacer holds it without asking X again.
    QVERIFY(m_stack.sql().execScript(
        QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_stack.scalar(QString("SELECT (next_attempt_at > now() + interval '5 minutes')::int "
                               "FROM publications WHERE id = %1")
                           .arg(id)) == 1,
        30000);
    QCOMPARE(column(id, "state"), QString("queued"));
    QCOMPARE(int(requests("tweets.create").size()), creates + 1);
    // The reset comes (a desktop started after it): the post goes out, once.
    init();
    startSession();
    QVERIFY(m_stack.sql().execScript(
        QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    QVERIFY(waitForState(id, {"published"}));
    verifyPublished(id, text, {});
}

void XPublishingTest::duplicateContentAsksTheCreatorWithXsMessage() {
    const QString text = uniqueText("Said once");
    const qint64 first = enqueue("text", text);
    QVERIFY(first && waitForState(first, {"published"}));
    const qint64 again = enqueue("text", text);
    QVERIFY(again && waitForState(again, {"needs_action"}));
    QCOMPARE(column(again, "last_error_code"), QString("duplicate_content"));
    QVERIFY2(column(again, "last_error_message").contains("same text"),
             qPrintable(column(again, "last_error_message")));
    QVERIFY(column(again, "remote_id").isEmpty());
    QVERIFY(column(again, "init_started_at").isEmpty());
    QCOMPARE(postsWithText(text), 1);
}

void XPublishingTest::lostCreateAnswerLeavesOnePostOnXOnly() {
    QCOMPARE(
        m_http
            .postJson(m_stack.sandbox().url("/_admin/faults"),
                      {{"platform", "x"}, {"endpoint", "tweets.create"}, {"kind", "drop_after"}})
            .status,
        200);
    const int creates = int(requests("tweets.create").size());
    const QString text = uniqueText("Answer lost");
    const qint64 id = enqueue("text", text);
    QVERIFY(id && waitForState(id, {"needs_action"}));
    QCOMPARE(column(id, "last_error_code"), QString("outcome_unknown"));
    QVERIFY2(column(id, "last_error_message")
                 .contains("X did not confirm the post; check your profile before posting again"),
             qPrintable(column(id, "last_error_message")));
    QCOMPARE(int(requests("tweets.create").size()), creates + 1);
    QCOMPARE(postsWithText(text), 1); // it did go out, exactly once
    // Nothing more happens on its own: the queue leaves it to the creator.
    QTest::qWait(4000);
    QCOMPARE(int(requests("tweets.create").size()), creates + 1);
    // The creator chooses Retry without checking: X's duplicate refusal is the second net.
    m_session->queue()->retry(id);
    QVERIFY(waitForState(id, {"needs_action", "published"}));
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), QString("duplicate_content"), 30000);
    QCOMPARE(postsWithText(text), 1);
}

void XPublishingTest::serverErrorToTheCreateIsNeverResentBlindly() {
    // A 503 may come from X's front after the post was created: the job asks the creator
    // instead of retrying (with photos only, no duplicate-text refusal would catch a resend).
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/faults"), {{"platform", "x"},
                                                                     {"endpoint", "tweets.create"},
                                                                     {"kind", "status"},
                                                                     {"status", 503},
                                                                     {"times", 1}})
                 .status,
             200);
    const int creates = int(requests("tweets.create").size());
    const QString text = uniqueText("Server trouble");
    const qint64 id = enqueue("text", text);
    QVERIFY(id && waitForState(id, {"needs_action"}));
    QCOMPARE(column(id, "last_error_code"), QString("outcome_unknown"));
    QCOMPARE(int(requests("tweets.create").size()), creates + 1);
    QTest::qWait(4000); // nothing more on its own
    QCOMPARE(int(requests("tweets.create").size()), creates + 1);
    // The creator checked: not there. Retry posts it, once.
    m_session->queue()->retry(id);
    QVERIFY(waitForState(id, {"published"}));
    QCOMPARE(postsWithText(text), 1);
    QCOMPARE(int(requests("tweets.create").size()), creates + 2);
}

void XPublishingTest::createMarkedButUnansweredAtStartIsNeverSent() {
    // A desktop that died right after marking the create call: whether it went out is not
    // known, so the next run asks the creator instead of sending it.
    m_session->queue()->stop();
    const QString text = uniqueText("Crashed while posting");
    const qint64 id = enqueue("text", text);
    QVERIFY(id);
    QVERIFY(m_stack.sql().execScript(QString("UPDATE publications SET init_started_at = now(), "
                                             "state = 'uploading', attempts = 1 WHERE id = %1")
                                         .arg(id)));
    const int creates = int(requests("tweets.create").size());
    m_session->queue()->start();
    QVERIFY(waitForState(id, {"needs_action", "published"}));
    QCOMPARE(column(id, "state"), QString("needs_action"));
    QCOMPARE(column(id, "last_error_code"), QString("outcome_unknown"));
    QCOMPARE(int(requests("tweets.create").size()), creates);
    QCOMPARE(postsWithText(text), 0);
    // The creator checked, it is not there: Retry posts it.
    m_session->queue()->retry(id);
    QVERIFY(waitForState(id, {"published"}));
    verifyPublished(id, text, {});
}

void XPublishingTest::badInputIsRefusedBeforeAnythingIsSent() {
    const int initializes = int(requests("media.initialize").size());
    const int creates = int(requests("tweets.create").size());
    const QString notAnImage = m_files.filePath("notes.jpg");
    {
        QFile file(notAnImage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a picture at all");
    }
    const QString photo = makeImage("ok.jpg", "JPEG");
    const qint64 tooLong = enqueue("text", QString(281, QChar('a')));
    const qint64 fake = enqueue("images", uniqueText("Fake"), {}, {notAnImage});
    const qint64 five =
        enqueue("images", uniqueText("Five"), {}, {photo, photo, photo, photo, photo});
    const qint64 missing = enqueue("video", uniqueText("Gone"), m_files.filePath("nowhere.mp4"));
    for (const qint64 id : {tooLong, fake, five, missing}) {
        QVERIFY(id && waitForState(id, {"needs_action"}));
        QVERIFY2(!column(id, "last_error_message").isEmpty(), qPrintable(column(id, "state")));
    }
    QCOMPARE(column(tooLong, "last_error_code"), QString("invalid_post"));
    QCOMPARE(column(fake, "last_error_code"), QString("media_type_unsupported"));
    QCOMPARE(column(five, "last_error_code"), QString("media_combination"));
    QCOMPARE(column(missing, "last_error_code"), QString("media_unreadable"));
    QCOMPARE(int(requests("media.initialize").size()), initializes);
    QCOMPARE(int(requests("tweets.create").size()), creates);
}

void XPublishingTest::uploadXForgotStartsThatFileOver() {
    const QString video = makeTestVideo(m_files.filePath("forgotten.mp4"), 3, true, "320x240");
    QVERIFY(!video.isEmpty());
    const QString text = uniqueText("Uploaded twice");
    setLimits({{"endpoint", "media.append"}, {"limit", 1}, {"window_seconds", 900}});
    const qint64 id = enqueue("video", text, video);
    QVERIFY(id);
    QTRY_COMPARE_WITH_TIMEOUT(column(id, "last_error_code"), QString("rate_limited"), 60000);
    const QString firstMedia = column(id, "options->'x_media'->'0'->>'media_id'");
    QCOMPARE(column(id, "options->'x_media'->'0'->>'segments_sent'"), QString("1"));
    // A day and more passes before the desktop comes back: X has forgotten the upload
    // (and the access token has expired too).
    m_session.reset();
    m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 25 * 3600}});
    init();
    const int initializes = int(requests("media.initialize").size());
    QVERIFY(m_stack.sql().execScript(
        QString("UPDATE publications SET next_attempt_at = now() WHERE id = %1").arg(id)));
    startSession();
    QVERIFY(waitForState(id, {"published"}));
    verifyPublished(id, text, {video});
    QCOMPARE(int(requests("media.initialize").size()), initializes + 1);
    QVERIFY(column(id, "options->'x_media'->'0'->>'media_id'") != firstMedia);
}

void XPublishingTest::refusedTokenIsRenewedOnceAndThePostGoesOut() {
    // X silently stops accepting the access token the desktop holds.
    std::optional<Result<QByteArray>> token;
    m_session->tokens()->get(m_account, false, [&token](Result<QByteArray> t) { token = t; });
    QVERIFY(QTest::qWaitFor([&token] { return token.has_value(); }, 10000));
    QVERIFY(*token);
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/x/tokens/invalidate"),
                           {{"token", QString::fromLatin1(token->value())}})
                 .status,
             200);
    qint64 since = 0;
    for (const QJsonValue &r : requests("tweets.create"))
        since = std::max<qint64>(since, r["seq"].toInteger());
    const QString text = uniqueText("After a renewed sign-in");
    const qint64 id = enqueue("text", text);
    QVERIFY(id && waitForState(id, {"published", "needs_action"}));
    QCOMPARE(column(id, "state"), QString("published"));
    verifyPublished(id, text, {});
    QStringList statuses;
    for (const QJsonValue &r : requests("tweets.create"))
        if (r["seq"].toInteger() > since)
            statuses << QString::number(r["status"].toInt());
    QCOMPARE(statuses, QStringList({"401", "201"}));
}

QTEST_GUILESS_MAIN(XPublishingTest)
#include "tst_xpublishing.moc"
