#include "jobs/ratelimiter.h"
#include "platforms/tiktok/chunkplan.h"
#include "platforms/tiktok/tiktokclient.h"
#include "platforms/tiktok/tiktokuploader.h"

#include <QJsonArray>
#include <QTest>

using namespace huntaze;
using namespace std::chrono_literals;

// The pure rules under TikTok publishing: the chunk plan of tiktok.md, the sliding-minute
// pacing, the Content-Range answers a resumed upload reads, and the API envelope.
class TikTokPublishingRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chunkPlanFollowsTikToksRules_data();
    void chunkPlanFollowsTikToksRules();
    void emptyFileHasNoPlan();
    void resumedUploadStartsAtTheChunkHoldingTheOffset();
    void seventhCallInAMinuteWaitsForTheOldestToLeave();
    void limitsArePerKey();
    void contentRangeTellsWhatTikTokHolds_data();
    void contentRangeTellsWhatTikTokHolds();
    void envelopeSuccessAndErrors_data();
    void envelopeSuccessAndErrors();
    void statusReadsBothSpellingsOfThePostIds();
    void inboxPhotoSendsNoEmptyPrivacy();
};

void TikTokPublishingRulesTest::chunkPlanFollowsTikToksRules_data() {
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("chunk");
    QTest::addColumn<int>("count");
    QTest::newRow("tiny file goes whole") << qint64(1) << qint64(1) << 1;
    QTest::newRow("just under 5 MB goes whole") << qint64(5'242'879) << qint64(5'242'879) << 1;
    QTest::newRow("under one chunk goes whole") << qint64(9'999'999) << qint64(9'999'999) << 1;
    QTest::newRow("exactly one chunk") << qint64(10'000'000) << qint64(10'000'000) << 1;
    QTest::newRow("exact multiple") << qint64(20'000'000) << qint64(10'000'000) << 2;
    QTest::newRow("the documentation's example") << qint64(50'000'123) << qint64(10'000'000) << 5;
    QTest::newRow("four GB stays within 1000 chunks")
        << qint64(4'000'000'000) << qint64(10'000'000) << 400;
}

void TikTokPublishingRulesTest::chunkPlanFollowsTikToksRules() {
    QFETCH(qint64, size);
    QFETCH(qint64, chunk);
    QFETCH(int, count);
    const auto plan = tiktok::ChunkPlan::forSize(size);
    QVERIFY(plan);
    QCOMPARE(plan->chunkSize, chunk);
    QCOMPARE(plan->chunkCount, count);
    QCOMPARE(plan->chunkCount, int(size / plan->chunkSize)); // floor(video_size / chunk_size)
    qint64 covered = 0;
    for (int i = 0; i < plan->chunkCount; ++i) {
        QCOMPARE(plan->chunkStart(i), covered);
        const qint64 length = plan->chunkLength(i);
        if (i < plan->chunkCount - 1) {
            QCOMPARE(length, plan->chunkSize);
            QVERIFY(length >= 5'242'880 && length <= 64'000'000);
        } else {
            QVERIFY(length <= 128'000'000); // the last takes the remainder
        }
        covered += length;
    }
    QCOMPARE(covered, size);
}

void TikTokPublishingRulesTest::emptyFileHasNoPlan() {
    const auto plan = tiktok::ChunkPlan::forSize(0);
    QVERIFY(!plan);
    QCOMPARE(plan.error().code, QString("empty_file"));
    QVERIFY(!tiktok::ChunkPlan::forSize(-5));
}

void TikTokPublishingRulesTest::resumedUploadStartsAtTheChunkHoldingTheOffset() {
    const auto plan = tiktok::ChunkPlan::forSize(50'000'123);
    QCOMPARE(plan->chunkAt(0), 0);
    QCOMPARE(plan->chunkAt(10'000'000), 1);
    QCOMPARE(plan->chunkAt(49'999'999), 4);
    QCOMPARE(plan->chunkAt(50'000'122), 4); // the long last chunk
}

void TikTokPublishingRulesTest::seventhCallInAMinuteWaitsForTheOldestToLeave() {
    jobs::SlidingWindowLimiter limiter(6, 60s);
    const auto t0 = jobs::SlidingWindowLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(limiter.delayFor("token", t0 + i * 1s).count(), 0);
        limiter.record("token", t0 + i * 1s);
    }
    // The seventh, 10 s after the first: it may go when the first leaves the minute.
    const auto wait = limiter.delayFor("token", t0 + 10s);
    QVERIFY(wait >= 50s && wait <= 50s + 10ms);
    QCOMPARE(limiter.delayFor("token", t0 + 60s + 1ms).count(), 0);
}

void TikTokPublishingRulesTest::limitsArePerKey() {
    jobs::SlidingWindowLimiter limiter(1, 60s);
    const auto now = jobs::SlidingWindowLimiter::Clock::time_point{} + 1h;
    limiter.record("alice", now);
    QVERIFY(limiter.delayFor("alice", now).count() > 0);
    QCOMPARE(limiter.delayFor("bob", now).count(), 0);
}

void TikTokPublishingRulesTest::contentRangeTellsWhatTikTokHolds_data() {
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("received");
    QTest::newRow("some chunks") << QByteArray("bytes 0-9999999/50000123") << qint64(10'000'000);
    QTest::newRow("nothing yet") << QByteArray("bytes */50000123") << qint64(0);
    QTest::newRow("with spaces around") << QByteArray("  bytes 0-0/50000123 ") << qint64(1);
    QTest::newRow("another total is not ours") << QByteArray("bytes 0-99/100") << qint64(-1);
    QTest::newRow("not from byte zero") << QByteArray("bytes 5-9999999/50000123") << qint64(-1);
    QTest::newRow("beyond the end") << QByteArray("bytes 0-50000123/50000123") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("<html>oops</html>") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("huge number") << QByteArray("bytes 0-99999999999999999999999/50000123")
                                 << qint64(-1);
}

void TikTokPublishingRulesTest::contentRangeTellsWhatTikTokHolds() {
    QFETCH(QByteArray, header);
    QFETCH(qint64, received);
    QCOMPARE(tiktok::TikTokUploader::receivedFromContentRange(header, 50'000'123), received);
}

void TikTokPublishingRulesTest::envelopeSuccessAndErrors_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("ok") << 200 << QByteArray(R"({"data":{"publish_id":"p"},"error":{"code":"ok"}})")
                        << QString() << false;
    QTest::newRow("rate limited")
        << 429 << QByteArray(R"({"data":{},"error":{"code":"rate_limit_exceeded","message":"x"}})")
        << "rate_limit_exceeded" << true;
    QTest::newRow("spam risk with 200 from creator_info")
        << 200
        << QByteArray(R"({"data":{},"error":{"code":"spam_risk_too_many_posts","message":"x"}})")
        << "spam_risk_too_many_posts" << true;
    QTest::newRow("a proxy's error page")
        << 502 << QByteArray("<html>Bad gateway</html>") << "unknown" << true;
    QTest::newRow("ok code with an error status is not success")
        << 500 << QByteArray(R"({"error":{"code":"ok"}})") << "unknown" << true;
    QTest::newRow("truncated body")
        << 200 << QByteArray(R"({"data":{"publish_id":)") << "unknown" << false;
}

void TikTokPublishingRulesTest::envelopeSuccessAndErrors() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    const auto parsed = tiktok::parseEnvelope(status, body);
    if (code.isEmpty()) {
        QVERIFY(parsed);
        QCOMPARE(parsed->value("publish_id").toString(), QString("p"));
        return;
    }
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, code);
    QCOMPARE(parsed.error().retryable, retryable);
    QVERIFY(!parsed.error().message.isEmpty());
}

void TikTokPublishingRulesTest::statusReadsBothSpellingsOfThePostIds() {
    const auto misspelt = tiktok::parseStatus(
        {{"status", "PUBLISH_COMPLETE"}, {"publicaly_available_post_id", QJsonArray{7123}}});
    QCOMPARE(misspelt.postIds, QStringList{"7123"});
    const auto corrected = tiktok::parseStatus(
        {{"status", "PUBLISH_COMPLETE"}, {"publicly_available_post_id", QJsonArray{"9"}}});
    QCOMPARE(corrected.postIds, QStringList{"9"});
}

void TikTokPublishingRulesTest::inboxPhotoSendsNoEmptyPrivacy() {
    tiktok::PostInfo draft;
    draft.title = "t";
    QVERIFY(!tiktok::postInfoJson(draft, true).contains("privacy_level"));
    draft.privacyLevel = "SELF_ONLY";
    QCOMPARE(tiktok::postInfoJson(draft, true)["privacy_level"].toString(), QString("SELF_ONLY"));
    QVERIFY(!tiktok::postInfoJson(draft, true).contains("disable_duet"));
    QVERIFY(tiktok::postInfoJson(draft, false).contains("disable_duet"));
}

QTEST_GUILESS_MAIN(TikTokPublishingRulesTest)
#include "tst_tiktokpublishingrules.moc"
