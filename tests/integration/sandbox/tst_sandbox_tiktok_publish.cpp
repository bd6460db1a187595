#include "tiktoktest.h"

using namespace huntaze::test;
using namespace tiktoktest;

namespace {
const QString kInbox = "/tiktok/v2/post/publish/inbox/video/init/";
const QString kDirect = "/tiktok/v2/post/publish/video/init/";
const QString kPhoto = "/tiktok/v2/post/publish/content/init/";
const QString kStatus = "/tiktok/v2/post/publish/status/fetch/";
const QString kCancel = "/tiktok/v2/post/publish/cancel/";
const QString kCreatorInfo = "/tiktok/v2/post/publish/creator_info/query/";
const QString kVerified = "https://verified.example/";

QByteArray pattern(qint64 size, char seed) {
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(seed + (i * 7) % 251);
    return bytes;
}

QByteArray range(qint64 first, qint64 last, qint64 total) {
    return "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/' +
           QByteArray::number(total);
}
} // namespace

// The Content Posting API as the sandbox serves it: init validation (chunk rules,
// post_info, photos, verified URLs), chunk PUTs, status over time, cancel, the caps
// and the per-token rate limits.
class SandboxTikTokPublishTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void chunkPlanIsValidatedAtInit_data();
    void chunkPlanIsValidatedAtInit();
    void chunkPutRules_data();
    void chunkPutRules();
    void chunkedUploadReachesTheInboxWithItsSha256();
    void directFileUploadPublishesAndTheRequestLogSawIt();
    void injected5xxOnAChunkCanBeRetried();
    void chunkFaultAnswersWithContentRangeAndTheChunkCanBeRetried();
    void droppedConnectionMidUploadResumesFromContentRange();
    void pullFromUrlNeedsAVerifiedHttpsPrefix_data();
    void pullFromUrlNeedsAVerifiedHttpsPrefix();
    void pullFromUrlDownloadsThenPublishesOrFails();
    void directPostInfoIsValidated_data();
    void directPostInfoIsValidated();
    void photoInitIsValidated_data();
    void photoInitIsValidated();
    void scopesAndTokensAreChecked_data();
    void scopesAndTokensAreChecked();
    void creatorInfoListsTheCreatorsOptions();
    void bannedCreatorGetsCodesWith200OnCreatorInfoAnd403OnInit();
    void statusAndCancelCheckThePublishId();
    void cancelEndsProcessingAndThenIsRefused();
    void adminCanFailAPostWithAReason();
    void rateLimitsPerTokenSlideWithTheMinute_data();
    void rateLimitsPerTokenSlideWithTheMinute();
    void fivePendingInboxSharesIn24Hours();
    void directPostsAreCappedPerDay();
    void postsSurviveARestart();

private:
    HttpResult post(const QString &path, const QJsonObject &body) {
        return apiPost(m_http, *m_sandbox, path, m_token, body);
    }
    QString publishStatus(const QString &publishId) {
        return post(kStatus, {{"publish_id", publishId}})
            .json()["data"]
            .toObject()["status"]
            .toString();
    }
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_token;
};

void SandboxTikTokPublishTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

// Every test (and row) starts on a fresh day with a fresh token: no rate window, cap or
// pending share carries over.
void SandboxTikTokPublishTest::init() {
    advance(m_http, *m_sandbox, 86400 + 60);
    m_token = connectUser(m_http, *m_sandbox)["access_token"].toString();
    QVERIFY(!m_token.isEmpty());
}

void SandboxTikTokPublishTest::chunkPlanIsValidatedAtInit_data() {
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("chunk");
    QTest::addColumn<qint64>("count");
    QTest::addColumn<bool>("ok");
    QTest::newRow("doc example 50,000,123 / 10,000,000 = 5")
        << 50'000'123LL << 10'000'000LL << 5LL << true;
    QTest::newRow("remainder in the last chunk, not an extra one")
        << 50'000'123LL << 10'000'000LL << 6LL << false;
    QTest::newRow("count too small") << 50'000'123LL << 10'000'000LL << 4LL << false;
    QTest::newRow("small file whole") << 1'000LL << 1'000LL << 1LL << true;
    QTest::newRow("small file chunked") << 4'000'000LL << 2'000'000LL << 2LL << false;
    QTest::newRow("small file chunk bigger than file")
        << 4'000'000LL << 5'000'000LL << 1LL << false;
    QTest::newRow("chunk 5,000,000 accepted") << 20'000'000LL << 5'000'000LL << 4LL << true;
    QTest::newRow("chunk 5,242,880 accepted") << 20'971'520LL << 5'242'880LL << 4LL << true;
    QTest::newRow("chunk under 5 MB") << 20'000'000LL << 4'999'999LL << 4LL << false;
    QTest::newRow("chunk 64,000,000 accepted") << 128'000'000LL << 64'000'000LL << 2LL << true;
    QTest::newRow("chunk 67,108,864 accepted") << 134'217'728LL << 67'108'864LL << 2LL << true;
    QTest::newRow("chunk over 64 MB") << 200'000'000LL << 67'108'865LL << 2LL << false;
    QTest::newRow("file over 64 MB whole") << 70'000'000LL << 70'000'000LL << 1LL << false;
    QTest::newRow("last chunk up to 128 MB") << 130'000'000LL << 64'000'000LL << 2LL << true;
    QTest::newRow("last chunk over 128 MB")
        << 64'000'000LL + 134'217'729LL << 64'000'000LL << 2LL << false;
    QTest::newRow("1000 chunks of 5 MB exceed 4 GB")
        << 1000LL * 5'000'000 << 5'000'000LL << 1000LL << false; // 5 GB > 4 GB
    QTest::newRow("800 chunks under 4 GB") << 800LL * 5'000'000 << 5'000'000LL << 800LL << true;
    QTest::newRow("1001 chunks") << 1001LL * 4'000'000 << 4'000'000LL << 1001LL << false;
    QTest::newRow("over 4 GB") << 4'294'967'297LL << 64'000'000LL << 67LL << false;
    QTest::newRow("zero size") << 0LL << 0LL << 0LL << false;
    QTest::newRow("negative chunk") << 10'000'000LL << -5LL << 1LL << false;
}

void SandboxTikTokPublishTest::chunkPlanIsValidatedAtInit() {
    QFETCH(qint64, size);
    QFETCH(qint64, chunk);
    QFETCH(qint64, count);
    QFETCH(bool, ok);
    const auto result = post(kInbox, {{"source_info", fileSource(size, chunk, count)}});
    if (ok) {
        QCOMPARE(result.status, 200);
        QCOMPARE(errorCode(result), QString("ok"));
        const QJsonObject data = result.json()["data"].toObject();
        QVERIFY(!data["publish_id"].toString().isEmpty());
        QVERIFY(data["publish_id"].toString().size() <= 64);
        QVERIFY(
            data["upload_url"].toString().startsWith(m_sandbox->url("/tiktok/upload/").toString()));
    } else {
        QCOMPARE(result.status, 400);
        QCOMPARE(errorCode(result), QString("invalid_param"));
    }
}

void SandboxTikTokPublishTest::chunkPutRules_data() {
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("bodySize");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answerRange");
    // The upload: 10,000,001 bytes in chunks of 5,000,000 -> 2 chunks, the last 5,000,001.
    const QByteArray none = "bytes */10000001";
    QTest::newRow("first chunk") << QByteArray("video/mp4") << 0LL << 4'999'999LL << 10'000'001LL
                                 << 5'000'000LL << 206 << QByteArray("bytes 0-4999999/10000001");
    QTest::newRow("quicktime") << QByteArray("video/quicktime") << 0LL << 4'999'999LL
                               << 10'000'001LL << 5'000'000LL << 206
                               << QByteArray("bytes 0-4999999/10000001");
    QTest::newRow("webm") << QByteArray("video/webm") << 0LL << 4'999'999LL << 10'000'001LL
                          << 5'000'000LL << 206 << QByteArray("bytes 0-4999999/10000001");
    QTest::newRow("wrong content type")
        << QByteArray("application/octet-stream") << 0LL << 4'999'999LL << 10'000'001LL
        << 5'000'000LL << 400 << none;
    QTest::newRow("no content range")
        << QByteArray("video/mp4") << -1LL << -1LL << -1LL << 5'000'000LL << 400 << none;
    QTest::newRow("total differs from video_size") << QByteArray("video/mp4") << 0LL << 4'999'999LL
                                                   << 10'000'000LL << 5'000'000LL << 400 << none;
    QTest::newRow("length differs from range") << QByteArray("video/mp4") << 0LL << 4'999'999LL
                                               << 10'000'001LL << 4'999'000LL << 400 << none;
    QTest::newRow("does not start at 0") << QByteArray("video/mp4") << 5'000'000LL << 10'000'000LL
                                         << 10'000'001LL << 5'000'001LL << 416 << none;
    QTest::newRow("chunk shorter than chunk_size") << QByteArray("video/mp4") << 0LL << 999'999LL
                                                   << 10'000'001LL << 1'000'000LL << 400 << none;
    QTest::newRow("whole file in one PUT") << QByteArray("video/mp4") << 0LL << 10'000'000LL
                                           << 10'000'001LL << 10'000'001LL << 400 << none;
    QTest::newRow("last before first")
        << QByteArray("video/mp4") << 10LL << 5LL << 10'000'001LL << 0LL << 400 << none;
}

void SandboxTikTokPublishTest::chunkPutRules() {
    QFETCH(QByteArray, contentType);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    QFETCH(qint64, total);
    QFETCH(qint64, bodySize);
    QFETCH(int, status);
    QFETCH(QByteArray, answerRange);
    const auto init = post(kInbox, {{"source_info", fileSource(10'000'001, 5'000'000, 2)}});
    QCOMPARE(init.status, 200);
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());
    HttpClient::Headers headers{{"Content-Type", contentType}};
    if (first >= 0)
        headers.append({"Content-Range", range(first, last, total)});
    const auto result = m_http.put(uploadUrl, pattern(bodySize, 'c'), headers);
    QCOMPARE(result.status, status);
    QCOMPARE(result.header("Content-Range"), answerRange);
}

void SandboxTikTokPublishTest::chunkedUploadReachesTheInboxWithItsSha256() {
    const qint64 total = 10'000'001;
    const QByteArray video = pattern(total, 'v');
    const auto init = post(kInbox, {{"source_info", fileSource(total, 5'000'000, 2)}});
    QCOMPARE(init.status, 200);
    const QString publishId = init.json()["data"].toObject()["publish_id"].toString();
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());

    auto first =
        m_http.put(uploadUrl, video.left(5'000'000),
                   {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 4'999'999, total)}});
    QCOMPARE(first.status, 206);
    QCOMPARE(first.header("Content-Range"), QByteArray("bytes 0-4999999/10000001"));
    const auto midway = post(kStatus, {{"publish_id", publishId}}).json()["data"].toObject();
    QCOMPARE(midway["status"].toString(), QString("PROCESSING_UPLOAD"));
    QCOMPARE(midway["uploaded_bytes"].toInteger(), 5'000'000);

    // Re-sending the first chunk does not continue the upload.
    auto repeat =
        m_http.put(uploadUrl, video.left(5'000'000),
                   {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 4'999'999, total)}});
    QCOMPARE(repeat.status, 416);
    QCOMPARE(repeat.header("Content-Range"), QByteArray("bytes 0-4999999/10000001"));

    auto second = m_http.put(
        uploadUrl, video.mid(5'000'000),
        {{"Content-Type", "video/mp4"}, {"Content-Range", range(5'000'000, total - 1, total)}});
    QCOMPARE(second.status, 201);
    QCOMPARE(second.header("Content-Range"), QByteArray("bytes 0-10000000/10000001"));

    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(video, QCryptographicHash::Sha256).toHex());
    bool found = false;
    for (const auto &value : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        found |= value.toObject()["sha256"].toString() == sha;
    QVERIFY(found);
    for (const auto &value : m_http.get(m_sandbox->url("/_admin/tiktok/posts")).document().array())
        if (value.toObject()["publish_id"].toString() == publishId)
            QCOMPARE(value.toObject()["sha256"].toString(), sha);

    QCOMPARE(publishStatus(publishId), QString("PROCESSING_UPLOAD")); // still processing
    advance(m_http, *m_sandbox, 10);
    QTRY_COMPARE_WITH_TIMEOUT(publishStatus(publishId), QString("SEND_TO_USER_INBOX"), 10000);
    // The upload is over: further PUTs are refused, the URL later expires.
    QCOMPARE(m_http
                 .put(uploadUrl, "x",
                      {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 0, total)}})
                 .status,
             416);
    advance(m_http, *m_sandbox, 3600);
    QCOMPARE(m_http
                 .put(uploadUrl, "x",
                      {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 0, total)}})
                 .status,
             403);
    QCOMPARE(m_http
                 .put(m_sandbox->url("/tiktok/upload/nosuch"), "x",
                      {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 0, 1)}})
                 .status,
             404);
}

void SandboxTikTokPublishTest::directFileUploadPublishesAndTheRequestLogSawIt() {
    const auto count = [&] {
        return m_http
            .get(m_sandbox->url("/tiktok/v2/user/info/?fields=video_count"), bearer(m_token))
            .json()["data"]
            .toObject()["user"]
            .toObject()["video_count"]
            .toInteger();
    };
    const qint64 before = count();
    const QByteArray video = pattern(4'321, 'u');
    const auto init = post(
        kDirect, {{"post_info", QJsonObject{{"title", "small"}, {"privacy_level", "SELF_ONLY"}}},
                  {"source_info", fileSource(video.size(), video.size(), 1)}});
    QCOMPARE(init.status, 200);
    const QString publishId = init.json()["data"].toObject()["publish_id"].toString();
    const auto put =
        m_http.put(QUrl(init.json()["data"].toObject()["upload_url"].toString()), video,
                   {{"Content-Type", "video/webm"},
                    {"Content-Range", range(0, video.size() - 1, video.size())}});
    QCOMPARE(put.status, 201);
    advance(m_http, *m_sandbox, 10);
    QTRY_COMPARE_WITH_TIMEOUT(publishStatus(publishId), QString("PUBLISH_COMPLETE"), 10000);
    const QJsonObject data = post(kStatus, {{"publish_id", publishId}}).json()["data"].toObject();
    QCOMPARE(data["uploaded_bytes"].toInteger(), video.size());
    QCOMPARE(data["publicaly_available_post_id"].toArray().size(), 0); // SELF_ONLY
    QCOMPARE(count(), before + 1);
    // The platform's view: the chunk request with its Content-Range and body hash.
    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(video, QCryptographicHash::Sha256).toHex());
    bool seen = false;
    for (const auto &value :
         m_http.get(m_sandbox->url("/_admin/requests?platform=tiktok&endpoint=upload.chunk"))
             .document()
             .array()) {
        const QJsonObject r = value.toObject();
        if (r["body_sha256"].toString() == sha) {
            seen = true;
            QCOMPARE(r["status"].toInt(), 201);
            QCOMPARE(r["content_range"].toString(), QString("bytes 0-4320/4321"));
        }
    }
    QVERIFY(seen);
}

void SandboxTikTokPublishTest::injected5xxOnAChunkCanBeRetried() {
    const auto init = post(kInbox, {{"source_info", fileSource(2'000, 2'000, 1)}});
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "tiktok"},
                                                              {"endpoint", "upload.chunk"},
                                                              {"kind", "status"},
                                                              {"status", 503}})
                 .status,
             200);
    const HttpClient::Headers headers{{"Content-Type", "video/mp4"},
                                      {"Content-Range", range(0, 1'999, 2'000)}};
    QCOMPARE(m_http.put(uploadUrl, pattern(2'000, 'r'), headers).status, 503);
    const auto retried = m_http.put(uploadUrl, pattern(2'000, 'r'), headers);
    QCOMPARE(retried.status, 201);
    QCOMPARE(retried.header("Content-Range"), QByteArray("bytes 0-1999/2000"));
}

void SandboxTikTokPublishTest::chunkFaultAnswersWithContentRangeAndTheChunkCanBeRetried() {
    const qint64 total = 10'000'001;
    const QByteArray video = pattern(total, 'f');
    const auto init = post(kInbox, {{"source_info", fileSource(total, 5'000'000, 2)}});
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());
    const HttpClient::Headers firstHeaders{{"Content-Type", "video/mp4"},
                                           {"Content-Range", range(0, 4'999'999, total)}};
    const HttpClient::Headers secondHeaders{{"Content-Type", "video/mp4"},
                                            {"Content-Range", range(5'000'000, total - 1, total)}};
    QCOMPARE(m_http.put(uploadUrl, video.left(5'000'000), firstHeaders).status, 206);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/settings"),
                           {{"chunk_fault", QJsonObject{{"status", 500}, {"times", 1}}}})
                 .status,
             200);
    const auto failed = m_http.put(uploadUrl, video.mid(5'000'000), secondHeaders);
    QCOMPARE(failed.status, 500);
    QCOMPARE(failed.header("Content-Range"), QByteArray("bytes 0-4999999/10000001"));
    const auto retried = m_http.put(uploadUrl, video.mid(5'000'000), secondHeaders);
    QCOMPARE(retried.status, 201);
    QCOMPARE(retried.header("Content-Range"), QByteArray("bytes 0-10000000/10000001"));
}

void SandboxTikTokPublishTest::droppedConnectionMidUploadResumesFromContentRange() {
    const qint64 total = 10'000'001;
    const QByteArray video = pattern(total, 'd');
    const auto init = post(kInbox, {{"source_info", fileSource(total, 5'000'000, 2)}});
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());
    const HttpClient::Headers firstHeaders{{"Content-Type", "video/mp4"},
                                           {"Content-Range", range(0, 4'999'999, total)}};
    // The chunk is stored, but the answer never comes: the client cannot know.
    QCOMPARE(m_http
                 .postJson(
                     m_sandbox->url("/_admin/faults"),
                     {{"platform", "tiktok"}, {"endpoint", "upload.chunk"}, {"kind", "drop_after"}})
                 .status,
             200);
    QVERIFY(m_http.put(uploadUrl, video.left(5'000'000), firstHeaders).status != 206);
    // Re-sending the chunk tells where the upload stands; the client continues there.
    const auto resend = m_http.put(uploadUrl, video.left(5'000'000), firstHeaders);
    QCOMPARE(resend.status, 416);
    QCOMPARE(resend.header("Content-Range"), QByteArray("bytes 0-4999999/10000001"));
    const auto rest = m_http.put(
        uploadUrl, video.mid(5'000'000),
        {{"Content-Type", "video/mp4"}, {"Content-Range", range(5'000'000, total - 1, total)}});
    QCOMPARE(rest.status, 201);
    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(video, QCryptographicHash::Sha256).toHex());
    bool found = false;
    for (const auto &value : m_http.get(m_sandbox->url("/_admin/tiktok/posts")).document().array())
        found |= value.toObject()["sha256"].toString() == sha;
    QVERIFY(found);
}

void SandboxTikTokPublishTest::pullFromUrlNeedsAVerifiedHttpsPrefix_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("verified prefix") << kVerified + "clip.mp4" << 200 << "ok";
    QTest::newRow("unverified domain")
        << "https://elsewhere.example/clip.mp4" << 403 << "url_ownership_unverified";
    QTest::newRow("prefix lookalike")
        << "https://verified.example.evil/clip.mp4" << 403 << "url_ownership_unverified";
    QTest::newRow("http") << "http://verified.example/clip.mp4" << 400 << "invalid_param";
    QTest::newRow("empty") << "" << 400 << "invalid_param";
}

void SandboxTikTokPublishTest::pullFromUrlNeedsAVerifiedHttpsPrefix() {
    QFETCH(QString, url);
    QFETCH(int, status);
    QFETCH(QString, code);
    const auto result = post(kInbox, {{"source_info", urlSource(url)}});
    QCOMPARE(result.status, status);
    QCOMPARE(errorCode(result), code);
    if (status == 200)
        QVERIFY(!result.json()["data"].toObject().contains("upload_url"));
}

void SandboxTikTokPublishTest::pullFromUrlDownloadsThenPublishesOrFails() {
    // An admin-added prefix becomes verified.
    const auto set = m_http.postJson(
        m_sandbox->url("/_admin/tiktok/settings"),
        {{"verified_url_prefixes", QJsonArray{kVerified, "https://cdn.huntaze.test/media/"}}});
    QCOMPARE(set.status, 200);
    const auto direct = post(
        kDirect,
        {{"post_info", QJsonObject{{"title", "hello"}, {"privacy_level", "PUBLIC_TO_EVERYONE"}}},
         {"source_info", urlSource("https://cdn.huntaze.test/media/a.mp4")}});
    QCOMPARE(direct.status, 200);
    const QString good = direct.json()["data"].toObject()["publish_id"].toString();
    const auto failing = post(kInbox, {{"source_info", urlSource(kVerified + "will-fail.mp4")}});
    QCOMPARE(failing.status, 200);
    const QString bad = failing.json()["data"].toObject()["publish_id"].toString();
    QCOMPARE(publishStatus(good), QString("PROCESSING_DOWNLOAD"));
    advance(m_http, *m_sandbox, 10);
    QTRY_COMPARE_WITH_TIMEOUT(publishStatus(good), QString("PUBLISH_COMPLETE"), 10000);
    const QJsonObject done = post(kStatus, {{"publish_id", good}}).json()["data"].toObject();
    QCOMPARE(done["publicaly_available_post_id"].toArray().size(), 1);
    QVERIFY(done["downloaded_bytes"].toInteger() > 0);
    const QJsonObject failed = post(kStatus, {{"publish_id", bad}}).json()["data"].toObject();
    QCOMPARE(failed["status"].toString(), QString("FAILED"));
    QCOMPARE(failed["fail_reason"].toString(), QString("video_pull_failed"));
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/tiktok/settings"),
                           {{"verified_url_prefixes", QJsonArray{kVerified}}})
                 .status,
             200);
}

void SandboxTikTokPublishTest::directPostInfoIsValidated_data() {
    QTest::addColumn<QString>("user");
    QTest::addColumn<QJsonObject>("postInfo");
    QTest::addColumn<bool>("audited");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QString emoji = QString::fromUtf8("\xF0\x9F\x98\x80"); // two UTF-16 units
    QTest::newRow("title 2200") << "tt-alice"
                                << QJsonObject{{"title", QString(2200, 'a')},
                                               {"privacy_level", "PUBLIC_TO_EVERYONE"}}
                                << true << 200 << "ok";
    QTest::newRow("title 2201") << "tt-alice"
                                << QJsonObject{{"title", QString(2201, 'a')},
                                               {"privacy_level", "PUBLIC_TO_EVERYONE"}}
                                << true << 400 << "invalid_param";
    QTest::newRow("1100 emoji = 2200 units")
        << "tt-alice"
        << QJsonObject{{"title", emoji.repeated(1100)}, {"privacy_level", "SELF_ONLY"}} << true
        << 200 << "ok";
    QTest::newRow("1101 emoji = 2202 units")
        << "tt-alice"
        << QJsonObject{{"title", emoji.repeated(1101)}, {"privacy_level", "SELF_ONLY"}} << true
        << 400 << "invalid_param";
    QTest::newRow("no privacy_level")
        << "tt-alice" << QJsonObject{{"title", "x"}} << true << 400 << "invalid_param";
    QTest::newRow("unknown privacy_level")
        << "tt-alice" << QJsonObject{{"privacy_level", "FRIENDS"}} << true << 400
        << "invalid_param";
    QTest::newRow("not one of the creator's options")
        << "tt-bob" << QJsonObject{{"privacy_level", "PUBLIC_TO_EVERYONE"}} << true << 403
        << "privacy_level_option_mismatch";
    QTest::newRow("private account option")
        << "tt-bob" << QJsonObject{{"privacy_level", "FOLLOWER_OF_CREATOR"}} << true << 200 << "ok";
    QTest::newRow("unaudited public")
        << "tt-alice" << QJsonObject{{"privacy_level", "PUBLIC_TO_EVERYONE"}} << false << 403
        << "unaudited_client_can_only_post_to_private_accounts";
    QTest::newRow("unaudited self only")
        << "tt-alice" << QJsonObject{{"privacy_level", "SELF_ONLY"}} << false << 200 << "ok";
    QTest::newRow("flag not boolean")
        << "tt-alice" << QJsonObject{{"privacy_level", "SELF_ONLY"}, {"disable_duet", "yes"}}
        << true << 400 << "invalid_param";
    QTest::newRow("all options") << "tt-alice"
                                 << QJsonObject{{"privacy_level", "MUTUAL_FOLLOW_FRIENDS"},
                                                {"disable_duet", true},
                                                {"disable_comment", false},
                                                {"disable_stitch", true},
                                                {"video_cover_timestamp_ms", 1000},
                                                {"brand_content_toggle", false},
                                                {"brand_organic_toggle", false},
                                                {"is_aigc", true}}
                                 << true << 200 << "ok";
}

void SandboxTikTokPublishTest::directPostInfoIsValidated() {
    QFETCH(QString, user);
    QFETCH(QJsonObject, postInfo);
    QFETCH(bool, audited);
    QFETCH(int, status);
    QFETCH(QString, code);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"audited", audited}}).status,
        200);
    const QString token = connectUser(m_http, *m_sandbox, user)["access_token"].toString();
    const auto result =
        apiPost(m_http, *m_sandbox, kDirect, token,
                {{"post_info", postInfo}, {"source_info", fileSource(1'000, 1'000, 1)}});
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"audited", true}}).status,
             200);
    QCOMPARE(result.status, status);
    QCOMPARE(errorCode(result), code);
}

void SandboxTikTokPublishTest::photoInitIsValidated_data() {
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const auto photos = [](int n, const QString &prefix = kVerified) {
        QJsonArray a;
        for (int i = 0; i < n; ++i)
            a.append(prefix + QString("p%1.jpg").arg(i));
        return a;
    };
    const auto body = [](const QString &mode, const QJsonObject &info, const QJsonObject &source) {
        return QJsonObject{{"media_type", "PHOTO"},
                           {"post_mode", mode},
                           {"post_info", info},
                           {"source_info", source}};
    };
    const QJsonObject info{
        {"title", "t"}, {"description", "d"}, {"privacy_level", "PUBLIC_TO_EVERYONE"}};
    const auto source = [&](const QJsonArray &images) {
        return QJsonObject{
            {"source", "PULL_FROM_URL"}, {"photo_images", images}, {"photo_cover_index", 0}};
    };
    QTest::newRow("direct, 35 photos")
        << body("DIRECT_POST", info, source(photos(35))) << 200 << "ok";
    QTest::newRow("36 photos") << body("DIRECT_POST", info, source(photos(36))) << 400
                               << "invalid_param";
    QTest::newRow("no photos") << body("DIRECT_POST", info, source(photos(0))) << 400
                               << "invalid_param";
    QTest::newRow("media upload without privacy")
        << body("MEDIA_UPLOAD", {{"title", "t"}}, source(photos(2))) << 200 << "ok";
    QTest::newRow("title 90") << body("DIRECT_POST",
                                      {{"title", QString(90, 't')}, {"privacy_level", "SELF_ONLY"}},
                                      source(photos(1)))
                              << 200 << "ok";
    QTest::newRow("title 91") << body("DIRECT_POST",
                                      {{"title", QString(91, 't')}, {"privacy_level", "SELF_ONLY"}},
                                      source(photos(1)))
                              << 400 << "invalid_param";
    QTest::newRow("description 4000")
        << body("DIRECT_POST",
                {{"description", QString(4000, 'd')}, {"privacy_level", "SELF_ONLY"}},
                source(photos(1)))
        << 200 << "ok";
    QTest::newRow("description 4001")
        << body("DIRECT_POST",
                {{"description", QString(4001, 'd')}, {"privacy_level", "SELF_ONLY"}},
                source(photos(1)))
        << 400 << "invalid_param";
    QTest::newRow("file upload refused")
        << body("DIRECT_POST", info, {{"source", "FILE_UPLOAD"}, {"video_size", 1000}}) << 400
        << "invalid_param";
    QTest::newRow("unverified photo")
        << body("DIRECT_POST", info, source(photos(2, "https://other.example/"))) << 403
        << "url_ownership_unverified";
    QTest::newRow("cover index out of range")
        << body(
               "DIRECT_POST", info,
               {{"source", "PULL_FROM_URL"}, {"photo_images", photos(2)}, {"photo_cover_index", 2}})
        << 400 << "invalid_param";
    QJsonObject video = body("DIRECT_POST", info, source(photos(1)));
    video["media_type"] = "VIDEO";
    QTest::newRow("media_type not PHOTO") << video << 400 << "invalid_param";
    QTest::newRow("unknown post_mode")
        << body("SCHEDULE", info, source(photos(1))) << 400 << "invalid_param";
    QTest::newRow("direct without privacy")
        << body("DIRECT_POST", {{"title", "t"}}, source(photos(1))) << 400 << "invalid_param";
}

void SandboxTikTokPublishTest::photoInitIsValidated() {
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const auto result = post(kPhoto, body);
    QCOMPARE(result.status, status);
    QCOMPARE(errorCode(result), code);
    if (status != 200)
        return;
    const QString publishId = result.json()["data"].toObject()["publish_id"].toString();
    QVERIFY(!result.json()["data"].toObject().contains("upload_url"));
    advance(m_http, *m_sandbox, 10);
    const QString expected =
        body["post_mode"] == "DIRECT_POST" ? "PUBLISH_COMPLETE" : "SEND_TO_USER_INBOX";
    QTRY_COMPARE_WITH_TIMEOUT(publishStatus(publishId), expected, 10000);
}

void SandboxTikTokPublishTest::scopesAndTokensAreChecked_data() {
    QTest::addColumn<QString>("scopes");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("token");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("inbox without video.upload")
        << "user.info.basic,video.publish" << kInbox << "" << 401 << "scope_not_authorized";
    QTest::newRow("direct without video.publish")
        << "user.info.basic,video.upload" << kDirect << "" << 401 << "scope_not_authorized";
    QTest::newRow("creator_info without video.publish")
        << "user.info.basic,video.upload" << kCreatorInfo << "" << 401 << "scope_not_authorized";
    QTest::newRow("unknown token")
        << kAllScopes << kInbox << "act.made-up" << 401 << "access_token_invalid";
    QTest::newRow("malformed JSON") << kAllScopes << kInbox << "" << 400 << "invalid_params";
    QTest::newRow("status malformed JSON")
        << kAllScopes << kStatus << "" << 400 << "invalid_params";
}

void SandboxTikTokPublishTest::scopesAndTokensAreChecked() {
    QFETCH(QString, scopes);
    QFETCH(QString, path);
    QFETCH(QString, token);
    QFETCH(int, status);
    QFETCH(QString, code);
    QString bearerToken = token;
    if (bearerToken.isEmpty())
        bearerToken =
            connectUser(m_http, *m_sandbox, "tt-alice", scopes)["access_token"].toString();
    const QByteArray body = code == "invalid_params"
                                ? QByteArray("{not json")
                                : QByteArray("{\"source_info\":{\"source\":\"PULL_FROM_URL\","
                                             "\"video_url\":\"https://verified.example/a.mp4\"}}");
    const auto result = m_http.post(m_sandbox->url(path), body, "application/json; charset=UTF-8",
                                    {{"Authorization", "Bearer " + bearerToken.toUtf8()}});
    QCOMPARE(result.status, status);
    QCOMPARE(errorCode(result), code);
    QVERIFY(!result.json()["error"].toObject()["log_id"].toString().isEmpty());
}

void SandboxTikTokPublishTest::creatorInfoListsTheCreatorsOptions() {
    const auto result = post(kCreatorInfo, {});
    QCOMPARE(result.status, 200);
    QCOMPARE(errorCode(result), QString("ok"));
    const QJsonObject data = result.json()["data"].toObject();
    QCOMPARE(data["creator_username"].toString(), QString("alice.creates"));
    QCOMPARE(data["privacy_level_options"].toArray().size(), 3);
    for (const char *key : {"creator_nickname", "creator_avatar_url", "comment_disabled",
                            "duet_disabled", "stitch_disabled", "max_video_post_duration_sec"})
        QVERIFY2(data.contains(key), key);
    // An empty body is what the doc sends.
    QCOMPARE(m_http
                 .post(m_sandbox->url(kCreatorInfo), {}, "application/json; charset=UTF-8",
                       {{"Authorization", "Bearer " + m_token.toUtf8()}})
                 .status,
             200);
}

void SandboxTikTokPublishTest::bannedCreatorGetsCodesWith200OnCreatorInfoAnd403OnInit() {
    const QString token = connectUser(m_http, *m_sandbox, "tt-carol")["access_token"].toString();
    const auto info = apiPost(m_http, *m_sandbox, kCreatorInfo, token, {});
    QCOMPARE(info.status, 200);
    QCOMPARE(errorCode(info), QString("spam_risk_user_banned_from_posting"));
    const auto init =
        apiPost(m_http, *m_sandbox, kInbox, token, {{"source_info", fileSource(1000, 1000, 1)}});
    QCOMPARE(init.status, 403);
    QCOMPARE(errorCode(init), QString("spam_risk_user_banned_from_posting"));
}

void SandboxTikTokPublishTest::statusAndCancelCheckThePublishId() {
    const QString publishId = post(kInbox, {{"source_info", fileSource(1000, 1000, 1)}})
                                  .json()["data"]
                                  .toObject()["publish_id"]
                                  .toString();
    for (const QString &path : {kStatus, kCancel}) {
        const auto unknown = post(path, {{"publish_id", "v_inbox_file~v2.0"}});
        QCOMPARE(unknown.status, 400);
        QCOMPARE(errorCode(unknown), QString("invalid_publish_id"));
        const auto missing = post(path, {});
        QCOMPARE(errorCode(missing), QString("invalid_publish_id"));
        const QString bob = connectUser(m_http, *m_sandbox, "tt-bob")["access_token"].toString();
        const auto foreign = apiPost(m_http, *m_sandbox, path, bob, {{"publish_id", publishId}});
        QCOMPARE(foreign.status, 400);
        QCOMPARE(errorCode(foreign), QString("token_not_authorized_for_specified_publish_id"));
    }
}

void SandboxTikTokPublishTest::cancelEndsProcessingAndThenIsRefused() {
    const QString publishId = post(kInbox, {{"source_info", fileSource(1000, 1000, 1)}})
                                  .json()["data"]
                                  .toObject()["publish_id"]
                                  .toString();
    const auto cancelled = post(kCancel, {{"publish_id", publishId}});
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(errorCode(cancelled), QString("ok"));
    const QJsonObject data = post(kStatus, {{"publish_id", publishId}}).json()["data"].toObject();
    QCOMPARE(data["status"].toString(), QString("FAILED"));
    QCOMPARE(data["fail_reason"].toString(), QString("publish_cancelled"));
    const auto again = post(kCancel, {{"publish_id", publishId}});
    QCOMPARE(again.status, 400);
    QCOMPARE(errorCode(again), QString("publish_not_cancellable"));
}

void SandboxTikTokPublishTest::adminCanFailAPostWithAReason() {
    const QString publishId = post(kInbox, {{"source_info", urlSource(kVerified + "x.mp4")}})
                                  .json()["data"]
                                  .toObject()["publish_id"]
                                  .toString();
    const auto failed =
        m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + publishId + "/fail"),
                        {{"reason", "duration_check_failed"}});
    QCOMPARE(failed.status, 200);
    const QJsonObject data = post(kStatus, {{"publish_id", publishId}}).json()["data"].toObject();
    QCOMPARE(data["status"].toString(), QString("FAILED"));
    QCOMPARE(data["fail_reason"].toString(), QString("duration_check_failed"));
    advance(m_http, *m_sandbox, 30);
    QCOMPARE(publishStatus(publishId), QString("FAILED"));
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/nosuch/fail"), {}).status, 404);
}

void SandboxTikTokPublishTest::rateLimitsPerTokenSlideWithTheMinute_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("limit");
    QTest::newRow("inbox init 6/min") << "POST" << kInbox << 6;
    QTest::newRow("direct init 6/min") << "POST" << kDirect << 6;
    QTest::newRow("photo init 6/min") << "POST" << kPhoto << 6;
    QTest::newRow("creator_info 20/min") << "POST" << kCreatorInfo << 20;
    QTest::newRow("status 30/min") << "POST" << kStatus << 30;
    QTest::newRow("user info 600/min") << "GET"
                                       << "/tiktok/v2/user/info/?fields=open_id" << 600;
}

void SandboxTikTokPublishTest::rateLimitsPerTokenSlideWithTheMinute() {
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(int, limit);
    // Requests that are refused for their content still count (a malformed body is
    // cheapest: no shares are created).
    const auto call = [&](const QString &token) {
        if (method == "GET")
            return m_http.get(m_sandbox->url(path), bearer(token));
        return m_http.post(m_sandbox->url(path), "{}", "application/json; charset=UTF-8",
                           {{"Authorization", "Bearer " + token.toUtf8()}});
    };
    for (int i = 0; i < limit; ++i)
        QCOMPARE(call(m_token).status == 429, false);
    const auto limited = call(m_token);
    QCOMPARE(limited.status, 429);
    QCOMPARE(errorCode(limited), QString("rate_limit_exceeded"));
    // Per token: another token of the same user is not limited.
    const QString other = connectUser(m_http, *m_sandbox)["access_token"].toString();
    QVERIFY(call(other).status != 429);
    // Sliding: half a minute later still limited, a minute later free again.
    advance(m_http, *m_sandbox, 30);
    QCOMPARE(call(m_token).status, 429);
    advance(m_http, *m_sandbox, 31);
    QVERIFY(call(m_token).status != 429);
}

void SandboxTikTokPublishTest::fivePendingInboxSharesIn24Hours() {
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        const auto result =
            post(kInbox, {{"source_info", urlSource(kVerified + QString("s%1.mp4").arg(i))}});
        QCOMPARE(result.status, 200);
        ids << result.json()["data"].toObject()["publish_id"].toString();
    }
    const auto sixth = post(
        kPhoto, {{"media_type", "PHOTO"},
                 {"post_mode", "MEDIA_UPLOAD"},
                 {"source_info", QJsonObject{{"source", "PULL_FROM_URL"},
                                             {"photo_images", QJsonArray{kVerified + "p.jpg"}}}}});
    QCOMPARE(sixth.status, 403);
    QCOMPARE(errorCode(sixth), QString("spam_risk_too_many_pending_share"));
    // The user posts one draft: one share frees.
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/posts/" + ids[0] + "/posted"), {}).status,
        200);
    advance(m_http, *m_sandbox, 61);
    QCOMPARE(post(kInbox, {{"source_info", urlSource(kVerified + "t.mp4")}}).status, 200);
    const auto again = post(kInbox, {{"source_info", urlSource(kVerified + "u.mp4")}});
    QCOMPARE(errorCode(again), QString("spam_risk_too_many_pending_share"));
    // 24 hours after the shares, the window has moved past them.
    advance(m_http, *m_sandbox, 86400);
    m_token = connectUser(m_http, *m_sandbox)["access_token"].toString();
    QCOMPARE(post(kInbox, {{"source_info", urlSource(kVerified + "v.mp4")}}).status, 200);
}

void SandboxTikTokPublishTest::directPostsAreCappedPerDay() {
    const QJsonObject body{{"post_info", QJsonObject{{"privacy_level", "SELF_ONLY"}}},
                           {"source_info", urlSource(kVerified + "d.mp4")}};
    for (int i = 0; i < 15; ++i) {
        if (i % 6 == 5)
            advance(m_http, *m_sandbox, 61); // stay under 6 inits a minute
        QCOMPARE(post(kDirect, body).status, 200);
    }
    advance(m_http, *m_sandbox, 61);
    const auto capped = post(kDirect, body);
    QCOMPARE(capped.status, 403);
    QCOMPARE(errorCode(capped), QString("spam_risk_too_many_posts"));
    const auto info = post(kCreatorInfo, {});
    QCOMPARE(info.status, 200);
    QCOMPARE(errorCode(info), QString("spam_risk_too_many_posts"));
}

void SandboxTikTokPublishTest::postsSurviveARestart() {
    const auto init = post(kInbox, {{"source_info", fileSource(3000, 3000, 1)}});
    const QString publishId = init.json()["data"].toObject()["publish_id"].toString();
    const QUrl uploadUrl(init.json()["data"].toObject()["upload_url"].toString());
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    const QUrl movedUrl = m_sandbox->url(uploadUrl.path());
    QCOMPARE(m_http
                 .put(movedUrl, pattern(3000, 'z'),
                      {{"Content-Type", "video/mp4"}, {"Content-Range", range(0, 2999, 3000)}})
                 .status,
             201);
    advance(m_http, *m_sandbox, 10);
    QTRY_COMPARE_WITH_TIMEOUT(publishStatus(publishId), QString("SEND_TO_USER_INBOX"), 10000);
}

QTEST_GUILESS_MAIN(SandboxTikTokPublishTest)
#include "tst_sandbox_tiktok_publish.moc"
