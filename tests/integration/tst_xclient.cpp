#include "mediafixtures.h"
#include "platforms/x/xclient.h"
#include "platforms/x/xerrors.h"
#include "platforms/x/xmediauploader.h"
#include "platforms/x/xpacer.h"
#include "sandbox/xsandbox.h"

#include <QDateTime>
#include <QImage>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using huntaze::Error;
using huntaze::Result;
using namespace huntaze::x;
using namespace xtest;

namespace {

// Runs one client call and waits for its answer (nullopt if it never came).
template <typename T, typename Call> std::optional<Result<T>> answer(Call call, int ms = 20000) {
    auto out = std::make_shared<std::optional<Result<T>>>();
    call([out](Result<T> result) { out->emplace(std::move(result)); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, ms);
    return *out;
}

template <typename T> QByteArray why(const std::optional<Result<T>> &result) {
    if (!result)
        return "no answer";
    if (*result)
        return {};
    const Error &e = result->error();
    return (e.code + ": " + e.message + " (" + e.detail + ")").toUtf8();
}

// What one upload did, as its signals told it.
struct UploadRun {
    std::optional<Result<UploadedMedia>> outcome;
    QList<UploadProgress> progress;
    QList<UploadCheckpoint> checkpoints;
};

} // namespace

// XClient and XMediaUploader against huntaze-sandbox over real HTTP (shared/platforms/x.md):
// posts, the chunked upload of real images, a GIF and videos through INIT, APPEND,
// FINALIZE and STATUS with their bytes intact on X's side, duplicate content, scripted
// 429s with their reset times, metrics, and a post whose answer is lost.
class XClientTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void textPostIsPublished();
    void twoImagesUploadIntactAndPostTogether();
    void gifGoesThroughProcessingAndPosts();
    void videoGoesThroughProcessingAndPosts();
    void videoOverFiveMegabytesGoesInSeveralSegments();
    void cancelledUploadResumesFromItsCheckpoint();
    void failedProcessingSaysWhatXSaid();
    void duplicateContentIsRefusedWithItsMessage_data();
    void duplicateContentIsRefusedWithItsMessage();
    void scripted429ArrivesWithItsResetAndPacesTheNextCall();
    void dailyCapArrivesWithItsReset_data();
    void dailyCapArrivesWithItsReset();
    void lostAnswerToAPostIsOutcomeUnknownAndNeverResent();
    void refusedTokenAsksForARefresh();
    void metricsAreReadBack();

private:
    QString token(const QString &user = kCreator);
    UploadRun upload(const QString &path, const QString &account = kCreator,
                     const UploadCheckpoint &resume = {}, XMediaUploader **running = nullptr);
    Result<PostAnswer> post(const PostRequest &request, const QString &account = kCreator,
                            const QByteArray &accessToken = {});
    QString makeImage(const QString &name, const char *format);
    QString makeGif(const QString &name);
    QJsonObject adminMedia(const QString &id);
    QJsonObject adminPost(const QString &id);
    int requests(const QString &endpoint);
    QString uniqueText();
    void verifyIntactOnX(const UploadedMedia &media, const QString &path);

    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QNetworkAccessManager m_network;
    std::unique_ptr<XPacer> m_pacer;
    std::unique_ptr<XClient> m_client;
    QByteArray m_token;
    QTemporaryDir m_dir;
    int m_counter = 0;
};

void XClientTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    QVERIFY(!m_sandbox->platform("x")["api_base_url"].toString().isEmpty());
}

void XClientTest::init() {
    // The documented limits with nothing used, the documented error shape, no faults; and a client
    // whose pacer has heard nothing yet, so one test's windows never hold the next one's calls.
    for (const QJsonObject &limits :
         {QJsonObject{{"endpoint", "tweets.create"}, {"limit", 100}, {"window_seconds", 900}},
          QJsonObject{{"user_24h_limit", 2400}, {"app_24h_limit", 10000}},
          QJsonObject{{"reset", true}}})
        QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/x/limits"), limits).status, 200);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"error_shape", "problem"}}).status,
        200);
    m_http.send("DELETE", m_sandbox->url("/_admin/faults"), {}, {}, 5000);
    m_pacer = std::make_unique<XPacer>();
    m_client = std::make_unique<XClient>(QUrl(m_sandbox->platform("x")["api_base_url"].toString()),
                                         &m_network, m_pacer.get());
    m_token = token().toUtf8();
    QVERIFY(!m_token.isEmpty());
}

QString XClientTest::token(const QString &user) {
    return login(m_http, *m_sandbox, kAllScopes, user)["access_token"].toString();
}

QString XClientTest::uniqueText() {
    return QString("xclient post %1 #%2").arg(QDateTime::currentMSecsSinceEpoch()).arg(++m_counter);
}

UploadRun XClientTest::upload(const QString &path, const QString &account,
                              const UploadCheckpoint &resume, XMediaUploader **running) {
    UploadRun run;
    const auto file = describeMediaFile(path);
    if (!file) {
        run.outcome = Result<UploadedMedia>(file.error());
        return run;
    }
    XMediaUploader uploader(m_client.get());
    if (running)
        *running = &uploader;
    connect(&uploader, &XMediaUploader::progress, this,
            [&run](const UploadProgress &p) { run.progress.append(p); });
    connect(&uploader, &XMediaUploader::checkpoint, this,
            [&run](const UploadCheckpoint &c) { run.checkpoints.append(c); });
    connect(&uploader, &XMediaUploader::finished, this,
            [&run](const Result<UploadedMedia> &outcome) { run.outcome = outcome; });
    uploader.start(account, account == kCreator ? m_token : token(account).toUtf8(), *file, resume);
    (void)QTest::qWaitFor([&run] { return run.outcome.has_value(); }, 90000);
    if (running)
        *running = nullptr;
    return run;
}

Result<PostAnswer> XClientTest::post(const PostRequest &request, const QString &account,
                                     const QByteArray &accessToken) {
    const QByteArray bearerToken = accessToken.isEmpty() ? m_token : accessToken;
    const auto result = answer<PostAnswer>(
        [&](auto done) { m_client->createPost(account, bearerToken, request, done); });
    if (!result)
        return Error{"test", "timeout", "no answer", {}, 0, false, {}};
    return *result;
}

QString XClientTest::makeImage(const QString &name, const char *format) {
    // Noise, so the file is not trivially small and every byte matters to the hash.
    QImage image(480, 320, QImage::Format_RGB32);
    auto *random = QRandomGenerator::global();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb(x % 256, y % 256, int(random->bounded(256))));
    const QString path = m_dir.filePath(name);
    return image.save(path, format) ? path : QString();
}

QString XClientTest::makeGif(const QString &name) {
    const QString path = m_dir.filePath(name);
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", {"-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc2=size=160x120:rate=10", "-t", "1", path});
    if (!ffmpeg.waitForFinished(60000) || ffmpeg.exitCode() != 0) {
        qWarning("ffmpeg (Debian package ffmpeg) could not make a GIF: %s",
                 ffmpeg.readAllStandardError().constData());
        return {};
    }
    return path;
}

QJsonObject XClientTest::adminMedia(const QString &id) {
    for (const QJsonValue &m : m_http.get(m_sandbox->url("/_admin/x/media")).document().array())
        if (m["id"].toString() == id)
            return m.toObject();
    return {};
}

QJsonObject XClientTest::adminPost(const QString &id) {
    for (const QJsonValue &p : m_http.get(m_sandbox->url("/_admin/x/posts")).document().array())
        if (p["id"].toString() == id)
            return p.toObject();
    return {};
}

int XClientTest::requests(const QString &endpoint) {
    QUrl url = m_sandbox->url("/_admin/requests");
    url.setQuery("platform=x&endpoint=" + endpoint);
    return int(m_http.get(url).document().array().size());
}

void XClientTest::verifyIntactOnX(const UploadedMedia &media, const QString &path) {
    const QJsonObject onX = adminMedia(media.mediaId);
    QVERIFY2(!onX.isEmpty(), qPrintable(media.mediaId));
    QCOMPARE(onX["sha256"].toString().toLatin1(), fileSha256(path));
    QCOMPARE(onX["total_bytes"].toInteger(), QFileInfo(path).size());
    QCOMPARE(onX["state"].toString(), QString("succeeded"));
    QCOMPARE(onX["media_category"].toString(), categoryName(media.category));
    QCOMPARE(onX["media_key"].toString(), media.mediaKey);
}

void XClientTest::textPostIsPublished() {
    PostRequest request;
    request.text = uniqueText();
    request.replySettings = ReplySettings::Following;
    const auto posted = post(request);
    QVERIFY2(posted, qPrintable(posted ? QString() : posted.error().message));
    QCOMPARE(posted->text, request.text);
    const QJsonObject onX = adminPost(posted->id);
    QCOMPARE(onX["text"].toString(), request.text);
    QCOMPARE(onX["author_id"].toString(), kCreator);
    QCOMPARE(onX["reply_settings"].toString(), QString("following"));
    // The answer carries what is left of the window and of the 24-hour caps.
    QVERIFY(posted->limits.window.reported());
    QVERIFY(posted->limits.userDay.reported());
    QVERIFY(posted->limits.appDay.reported());
    QVERIFY(posted->limits.userDay.remaining < posted->limits.userDay.limit);
}

void XClientTest::twoImagesUploadIntactAndPostTogether() {
    const QString png = makeImage("two-a.png", "PNG");
    const QString jpeg = makeImage("two-b.jpg", "JPEG");
    QVERIFY(!png.isEmpty() && !jpeg.isEmpty());
    QStringList ids;
    for (const QString &path : {png, jpeg}) {
        const UploadRun run = upload(path);
        QVERIFY2(run.outcome && *run.outcome, why(run.outcome).constData());
        const UploadedMedia media = run.outcome->value();
        QCOMPARE(media.category, MediaCategory::Image);
        verifyIntactOnX(media, path);
        // Images need no processing; progress ends at the whole file.
        QVERIFY(!run.progress.isEmpty());
        QCOMPARE(run.progress.last().sentBytes, QFileInfo(path).size());
        for (const UploadProgress &p : run.progress)
            QCOMPARE(p.stage, UploadProgress::Stage::Uploading);
        ids.append(media.mediaId);
    }
    PostRequest request;
    request.text = uniqueText();
    request.mediaIds = ids;
    const auto posted = post(request);
    QVERIFY2(posted, qPrintable(posted ? QString() : posted.error().message));
    QCOMPARE(adminPost(posted->id)["media_ids"].toVariant().toStringList(), ids);
}

void XClientTest::gifGoesThroughProcessingAndPosts() {
    const QString gif = makeGif("moving.gif");
    QVERIFY(!gif.isEmpty());
    const int statusBefore = requests("media.status");
    const UploadRun run = upload(gif);
    QVERIFY2(run.outcome && *run.outcome, why(run.outcome).constData());
    QCOMPARE(run.outcome->value().category, MediaCategory::Gif);
    verifyIntactOnX(run.outcome->value(), gif);
    QVERIFY(requests("media.status") > statusBefore);
    QCOMPARE(run.progress.last().stage, UploadProgress::Stage::Processing);
    QCOMPARE(run.progress.last().processingPercent, 100);
    PostRequest request;
    request.mediaIds = {run.outcome->value().mediaId}; // media alone, no text
    const auto posted = post(request);
    QVERIFY2(posted, qPrintable(posted ? QString() : posted.error().message));
}

void XClientTest::videoGoesThroughProcessingAndPosts() {
    const QString video = makeTestVideo(m_dir.filePath("short.mp4"), 2, false, "320x240");
    QVERIFY(!video.isEmpty());
    const int statusBefore = requests("media.status");
    const UploadRun run = upload(video);
    QVERIFY2(run.outcome && *run.outcome, why(run.outcome).constData());
    QCOMPARE(run.outcome->value().category, MediaCategory::Video);
    verifyIntactOnX(run.outcome->value(), video);
    // Pending, then in progress with a percentage, then succeeded: several STATUS calls,
    // each after the check_after_secs X named.
    QVERIFY(requests("media.status") - statusBefore >= 2);
    bool sawPercent = false;
    for (const UploadProgress &p : run.progress)
        sawPercent = sawPercent || (p.stage == UploadProgress::Stage::Processing &&
                                    p.processingPercent > 0 && p.processingPercent < 100);
    QVERIFY(sawPercent);
    PostRequest request;
    request.text = uniqueText();
    request.mediaIds = {run.outcome->value().mediaId};
    const auto posted = post(request);
    QVERIFY2(posted, qPrintable(posted ? QString() : posted.error().message));
    QCOMPARE(adminPost(posted->id)["media_ids"].toVariant().toStringList(), request.mediaIds);
}

void XClientTest::videoOverFiveMegabytesGoesInSeveralSegments() {
    // Noise makes every frame incompressible: three seconds are about 15 MB.
    const QString video = makeTestVideo(m_dir.filePath("large.mp4"), 3, true, "320x240");
    QVERIFY(!video.isEmpty());
    const qint64 size = QFileInfo(video).size();
    QVERIFY2(size > 5'000'000 * 2, qPrintable(QString::number(size)));
    const int segments = int((size + SegmentPlan::kSegmentBytes - 1) / SegmentPlan::kSegmentBytes);
    QUrl appends = m_sandbox->url("/_admin/requests");
    const int before = requests("media.append");
    const UploadRun run = upload(video);
    QVERIFY2(run.outcome && *run.outcome, why(run.outcome).constData());
    verifyIntactOnX(run.outcome->value(), video);
    QCOMPARE(adminMedia(run.outcome->value().mediaId)["segments"].toArray().size(), segments);
    QCOMPARE(requests("media.append") - before, segments);
    // Every segment is at most 5 MB of file (plus its multipart framing).
    appends.setQuery("platform=x&endpoint=media.append");
    for (const QJsonValue &r : m_http.get(appends).document().array())
        QVERIFY(r["body_size"].toInteger() <= SegmentPlan::kSegmentBytes + 1024);
    // A checkpoint after initialize and after every segment; progress only moves forward.
    QCOMPARE(run.checkpoints.size(), segments + 1);
    QCOMPARE(run.checkpoints.last().segmentsSent, segments);
    qint64 last = 0;
    for (const UploadProgress &p : run.progress) {
        QVERIFY(p.sentBytes >= last);
        QCOMPARE(p.totalBytes, size);
        last = p.sentBytes;
    }
    QCOMPARE(last, size);
}

void XClientTest::cancelledUploadResumesFromItsCheckpoint() {
    const QString video = makeTestVideo(m_dir.filePath("resumed.mp4"), 3, true, "320x240");
    QVERIFY(!video.isEmpty());
    const auto file = describeMediaFile(video);
    QVERIFY(file);
    UploadCheckpoint reached;
    std::optional<Result<UploadedMedia>> first;
    {
        XMediaUploader uploader(m_client.get());
        connect(&uploader, &XMediaUploader::checkpoint, this, [&](const UploadCheckpoint &c) {
            reached = c;
            if (c.segmentsSent == 1)
                uploader.cancel(); // paused after the first segment
        });
        connect(&uploader, &XMediaUploader::finished, this,
                [&first](const Result<UploadedMedia> &outcome) { first = outcome; });
        uploader.start(kCreator, m_token, *file);
        QVERIFY(QTest::qWaitFor([&first] { return first.has_value(); }, 30000));
    }
    QVERIFY(!*first);
    QCOMPARE(first->error().code, QString("cancelled"));
    QCOMPARE(reached.segmentsSent, 1);
    const int initializes = requests("media.initialize");
    const int appendsBefore = requests("media.append");
    const UploadRun resumed = upload(video, kCreator, reached);
    QVERIFY2(resumed.outcome && *resumed.outcome, why(resumed.outcome).constData());
    QCOMPARE(resumed.outcome->value().mediaId, reached.mediaId);
    QCOMPARE(requests("media.initialize"), initializes); // no second upload
    const int segments =
        int((file->size + SegmentPlan::kSegmentBytes - 1) / SegmentPlan::kSegmentBytes);
    QCOMPARE(requests("media.append") - appendsBefore, segments - 1);
    verifyIntactOnX(resumed.outcome->value(), video);
}

void XClientTest::failedProcessingSaysWhatXSaid() {
    QCOMPARE(
        m_http.post(m_sandbox->url("/_admin/x/media/fail_next"), {}, "application/json").status,
        200);
    const QString video = makeTestVideo(m_dir.filePath("rejected.mp4"), 1, false, "320x240");
    QVERIFY(!video.isEmpty());
    const UploadRun run = upload(video);
    QVERIFY(run.outcome);
    QVERIFY(!*run.outcome);
    const Error &error = run.outcome->error();
    QCOMPARE(error.domain, QString("x"));
    QCOMPARE(error.code, QString("media_processing_failed"));
    QVERIFY(!error.retryable);
    QVERIFY2(error.message.contains("Duration too long"), qPrintable(error.message));
}

void XClientTest::duplicateContentIsRefusedWithItsMessage_data() {
    QTest::addColumn<QString>("shape");
    QTest::newRow("problem JSON") << "problem";
    QTest::newRow("legacy errors") << "legacy";
}

void XClientTest::duplicateContentIsRefusedWithItsMessage() {
    QFETCH(QString, shape);
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"error_shape", shape}}).status,
             200);
    PostRequest request;
    request.text = uniqueText();
    QVERIFY(post(request));
    const auto again = post(request);
    QVERIFY(!again);
    QCOMPARE(again.error().domain, QString("x"));
    QCOMPARE(again.error().code, QString("duplicate_content"));
    QCOMPARE(again.error().httpStatus, 403);
    QVERIFY(!again.error().retryable);
    QVERIFY2(again.error().message.contains("same text"), qPrintable(again.error().message));
    int copies = 0;
    for (const QJsonValue &p : m_http.get(m_sandbox->url("/_admin/x/posts")).document().array())
        copies += p["text"].toString() == request.text ? 1 : 0;
    QCOMPARE(copies, 1);
}

void XClientTest::scripted429ArrivesWithItsResetAndPacesTheNextCall() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/x/limits"),
                           {{"endpoint", "tweets.create"}, {"limit", 1}, {"window_seconds", 900}})
                 .status,
             200);
    // Someone else (another program with the same account) uses the window up, so the
    // client meets X's 429 itself.
    const auto other = m_http.postJson(m_sandbox->url("/x/2/tweets"), {{"text", uniqueText()}},
                                       bearer(QString::fromUtf8(m_token)));
    QCOMPARE(other.status, 201);
    const qint64 reset = other.header("x-rate-limit-reset").toLongLong();
    PostRequest request;
    request.text = uniqueText();
    const int sentBefore = requests("tweets.create");
    const auto limited = post(request);
    QVERIFY(!limited);
    QCOMPARE(limited.error().code, QString("rate_limited"));
    QCOMPARE(limited.error().httpStatus, 429);
    QVERIFY(limited.error().retryable);
    QVERIFY(limited.error().retryAfter);
    const qint64 wait = limited.error().retryAfter->count();
    const qint64 expected = reset - QDateTime::currentSecsSinceEpoch();
    QVERIFY2(wait > 0 && qAbs(wait - expected) <= 2,
             qPrintable(QString("%1 vs %2").arg(wait).arg(expected)));
    QCOMPARE(requests("tweets.create"), sentBefore + 1);
    // The next post is held by the pacer: not sent, the same limit, the same reset.
    request.text = uniqueText();
    const auto held = post(request);
    QVERIFY(!held);
    QCOMPARE(held.error().code, QString("rate_limited"));
    QVERIFY2(held.error().detail.contains("not sent"), qPrintable(held.error().detail));
    QVERIFY(qAbs(held.error().retryAfter->count() - wait) <= 2);
    QCOMPARE(requests("tweets.create"), sentBefore + 1);
}

void XClientTest::dailyCapArrivesWithItsReset_data() {
    QTest::addColumn<QString>("cap");
    QTest::addColumn<QString>("code");
    QTest::newRow("per user") << "user"
                              << "daily_post_cap_user";
    QTest::newRow("per app") << "app"
                             << "daily_post_cap_app";
}

void XClientTest::dailyCapArrivesWithItsReset() {
    QFETCH(QString, cap);
    QFETCH(QString, code);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/x/limits"),
                           {{cap == "user" ? "user_24h_limit" : "app_24h_limit", 1}})
                 .status,
             200);
    // Another program posting for the account uses the cap up.
    const QString brand = token(kBrand);
    m_http.postJson(m_sandbox->url("/x/2/tweets"), {{"text", uniqueText()}}, bearer(brand));
    PostRequest request;
    request.text = uniqueText();
    const auto capped = post(request, kBrand, brand.toUtf8());
    QVERIFY(!capped);
    QCOMPARE(capped.error().code, code);
    QCOMPARE(capped.error().httpStatus, 429);
    QVERIFY(capped.error().retryAfter);
    const qint64 wait = capped.error().retryAfter->count();
    QVERIFY2(wait > 0 && wait <= 86400, qPrintable(QString::number(wait)));
    QVERIFY2(capped.error().message.contains("24 hours") ||
                 capped.error().message.contains("daily limit"),
             qPrintable(capped.error().message));
    // Held locally from now on, without asking X again.
    const int sent = requests("tweets.create");
    request.text = uniqueText();
    const auto held = post(request, kBrand, brand.toUtf8());
    QCOMPARE(held.error().code, code);
    QCOMPARE(requests("tweets.create"), sent);
}

void XClientTest::lostAnswerToAPostIsOutcomeUnknownAndNeverResent() {
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/faults"),
                      {{"platform", "x"}, {"endpoint", "tweets.create"}, {"kind", "drop_after"}})
            .status,
        200);
    const int before = requests("tweets.create");
    PostRequest request;
    request.text = uniqueText();
    const auto lost = post(request);
    QVERIFY(!lost);
    QCOMPARE(lost.error().code, QString("outcome_unknown"));
    QVERIFY(!lost.error().retryable);
    // X received it exactly once, and the post exists: sending it again would double it.
    QCOMPARE(requests("tweets.create"), before + 1);
    bool exists = false;
    for (const QJsonValue &p : m_http.get(m_sandbox->url("/_admin/x/posts")).document().array())
        exists = exists || p["text"].toString() == request.text;
    QVERIFY(exists);
}

void XClientTest::refusedTokenAsksForARefresh() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/x/tokens/invalidate"),
                           {{"token", QString::fromUtf8(m_token)}})
                 .status,
             200);
    PostRequest request;
    request.text = uniqueText();
    const auto refused = post(request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QString("token_invalid"));
    QCOMPARE(refused.error().httpStatus, 401);
    QVERIFY(refused.error().retryable);
}

void XClientTest::metricsAreReadBack() {
    PostRequest mine;
    mine.text = uniqueText();
    const auto own = post(mine);
    QVERIFY(own);
    const QString theirs = m_http
                               .postJson(m_sandbox->url("/x/2/tweets"), {{"text", uniqueText()}},
                                         bearer(token(kBrand)))
                               .json()["data"]
                               .toObject()["id"]
                               .toString();
    QVERIFY(!theirs.isEmpty());
    // An hour later the posts have likes, replies and impressions.
    QCOMPARE(advance(m_http, *m_sandbox, 3600).status, 200);
    const QByteArray fresh = token().toUtf8();
    const QJsonObject before = adminPost(own->id);
    const auto read = answer<LookupAnswer>([&](auto done) {
        m_client->readMetrics(kCreator, fresh, {own->id, theirs, "1234"}, true, done);
    });
    const QJsonObject after = adminPost(own->id);
    QVERIFY2(read && *read, why(read).constData());
    const LookupAnswer &metrics = read->value();
    QCOMPARE(metrics.posts.size(), 2);
    QCOMPARE(metrics.notFound, QStringList{"1234"});
    QCOMPARE(metrics.nonPublicRefused, QStringList{theirs});
    for (const PostMetrics &p : metrics.posts) {
        QVERIFY(p.publicMetrics);
        if (p.id == theirs) {
            QVERIFY(!p.nonPublicMetrics); // not the author's: public figures only
            QVERIFY(p.publicMetrics->likes > 0);
            continue;
        }
        QCOMPARE(p.id, own->id);
        QVERIFY(p.nonPublicMetrics);
        QVERIFY(p.publicMetrics->likes > 0);
        QVERIFY(p.publicMetrics->impressions > 0);
        // What X holds (its metrics move with its clock: either snapshot around the read).
        const auto matches = [&p](const QJsonObject &onX) {
            const QJsonObject pub = onX["public_metrics"].toObject();
            const QJsonObject priv = onX["non_public_metrics"].toObject();
            return p.publicMetrics->likes == pub["like_count"].toInteger() &&
                   p.publicMetrics->replies == pub["reply_count"].toInteger() &&
                   p.publicMetrics->retweets == pub["retweet_count"].toInteger() &&
                   p.publicMetrics->quotes == pub["quote_count"].toInteger() &&
                   p.publicMetrics->bookmarks == pub["bookmark_count"].toInteger() &&
                   p.publicMetrics->impressions == pub["impression_count"].toInteger() &&
                   p.nonPublicMetrics->impressions == priv["impression_count"].toInteger() &&
                   p.nonPublicMetrics->urlLinkClicks == priv["url_link_clicks"].toInteger() &&
                   p.nonPublicMetrics->userProfileClicks == priv["user_profile_clicks"].toInteger();
        };
        QVERIFY(matches(before) || matches(after));
    }
}

QTEST_GUILESS_MAIN(XClientTest)
#include "tst_xclient.moc"
