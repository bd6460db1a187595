#include "workers/instagraminsights.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace huntaze::relay;

// How the relay's Instagram sync asks for and reads insights: the metric set per kind of
// media, Meta's answer as flat values, and which metric a refusal is about (so the next
// ask leaves it out instead of failing the media).
class InstagramInsightsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void metricsFollowTheKindOfMedia_data();
    void metricsFollowTheKindOfMedia();
    void answerBecomesFlatIntegerValues();
    void refusedMetricIsFoundInMetasMessage_data();
    void refusedMetricIsFoundInMetasMessage();
};

void InstagramInsightsTest::metricsFollowTheKindOfMedia_data() {
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<QString>("productType");
    QTest::addColumn<QStringList>("expected");
    const QStringList feed{"reach",  "likes", "comments",          "saved",
                           "shares", "views", "total_interactions"};
    QTest::newRow("image") << "IMAGE"
                           << "FEED" << feed;
    QTest::newRow("album") << "CAROUSEL_ALBUM"
                           << "FEED" << feed;
    QTest::newRow("reel") << "VIDEO"
                          << "REELS" << feed;
    QTest::newRow("story")
        << "IMAGE"
        << "STORY"
        << QStringList{"reach",      "replies", "views",         "shares", "total_interactions",
                       "navigation", "follows", "profile_visits"};
}

void InstagramInsightsTest::metricsFollowTheKindOfMedia() {
    QFETCH(QString, mediaType);
    QFETCH(QString, productType);
    QFETCH(QStringList, expected);
    const QStringList metrics = instagraminsights::metricsFor(mediaType, productType);
    QCOMPARE(metrics, expected);
    for (const char *gone : {"impressions", "plays", "video_views"})
        QVERIFY(!metrics.contains(QLatin1String(gone)));
}

void InstagramInsightsTest::answerBecomesFlatIntegerValues() {
    const QJsonObject answer = QJsonDocument::fromJson(R"({"data": [
        {"name": "reach", "period": "lifetime", "values": [{"value": 46}],
         "total_value": {"value": 46}},
        {"name": "likes", "period": "lifetime", "values": [{"value": 10.0}]},
        {"name": "views", "period": "lifetime", "values": []},
        {"name": "", "values": [{"value": 3}]},
        {"name": "saved", "values": [{"value": "many"}]}
    ]})")
                                   .object();
    const QJsonObject values = instagraminsights::parse(answer);
    QCOMPARE(values, (QJsonObject{{"reach", 46}, {"likes", 10}}));
    QCOMPARE(QJsonDocument(values).toJson(QJsonDocument::Compact),
             QByteArray(R"({"likes":10,"reach":46})"));
    QVERIFY(instagraminsights::parse({}).isEmpty());
}

void InstagramInsightsTest::refusedMetricIsFoundInMetasMessage_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("by index")
        << "(#100) metric[1] must be one of the following values: reach, replies, views (got "
           "likes)"
        << "likes";
    QTest::newRow("named") << "(#100) Starting from version v22.0, the saved metric is no longer "
                              "supported for media created after July 2, 2024."
                           << "saved";
    QTest::newRow("what Meta got, not what it allows")
        << "(#100) metric[9] must be one of the following values: reach (got shares)"
        << "shares";
    QTest::newRow("expired story") << "(#100) Stories expire after 24 hours; their insights are "
                                      "no longer available"
                                   << "";
    QTest::newRow("no metric") << "(#100) Insights are not available for carousel children"
                               << "";
}

void InstagramInsightsTest::refusedMetricIsFoundInMetasMessage() {
    QFETCH(QString, message);
    QFETCH(QString, expected);
    const QStringList asked{"reach", "likes", "comments", "saved", "shares"};
    QCOMPARE(instagraminsights::refusedMetric(message, asked), expected);
}

QTEST_GUILESS_MAIN(InstagramInsightsTest)
#include "tst_instagraminsights.moc"
