#include "devices/deviceendpoints.h"
#include "webhooks/eventsplitter.h"

#include <QTest>
#include <QUrlQuery>

using namespace huntaze::relay;

// How deliveries become events and their dedup keys, and what a desktop is told about
// the database: pure functions of the relay, checked without I/O.
class EventSplitterTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tiktokKeyDependsOnEveryIdentifyingField();
    void instagramBatchSplitsPerChange();
    void xBothShapesAndExactLargeIds();
    void malformedDeliveriesAreRefused_data();
    void malformedDeliveriesAreRefused();
    void desktopDatabaseUrlCarriesNoCredentials_data();
    void desktopDatabaseUrlCarriesNoCredentials();
};

void EventSplitterTest::tiktokKeyDependsOnEveryIdentifyingField() {
    const QByteArray base =
        R"({"client_key":"ck","event":"post.publish.complete","create_time":1,"user_openid":"u","content":"{}"})";
    const auto first = EventSplitter::split("tiktok", base);
    QVERIFY(first);
    QCOMPARE(first->size(), 1);
    QCOMPARE(first->first().externalId.size(), 64);
    // The same event re-sent (another signature header, same body) has the same key.
    QCOMPARE(EventSplitter::split("tiktok", base)->first().externalId, first->first().externalId);
    for (
        const QByteArray &changed :
        {QByteArray(
             R"({"client_key":"ck","event":"post.publish.complete","create_time":2,"user_openid":"u","content":"{}"})"),
         QByteArray(
             R"({"client_key":"ck","event":"post.publish.failed","create_time":1,"user_openid":"u","content":"{}"})"),
         QByteArray(
             R"({"client_key":"ck","event":"post.publish.complete","create_time":1,"user_openid":"v","content":"{}"})"),
         QByteArray(
             R"({"client_key":"ck","event":"post.publish.complete","create_time":1,"user_openid":"u","content":"{ }"})")})
        QVERIFY(EventSplitter::split("tiktok", changed)->first().externalId !=
                first->first().externalId);
}

void EventSplitterTest::instagramBatchSplitsPerChange() {
    const QByteArray body =
        R"({"object":"instagram","entry":[{"id":"17841","time":1700000000,"changes":[
        {"field":"comments","value":{"id":"c1","media":{"id":"m1"}}},
        {"field":"comments","value":{"id":"c2","media":{"id":"m1"}}},
        {"field":"story_insights","value":{"media_id":"m9","reach":3}}]}]})";
    const auto events = EventSplitter::split("instagram", body);
    QVERIFY(events);
    QCOMPARE(events->size(), 3);
    QSet<QString> keys;
    for (const InboxEvent &event : *events)
        keys.insert(event.externalId);
    QCOMPARE(keys.size(), 3);
    QCOMPARE(events->at(2).eventType, QString("story_insights"));
}

void EventSplitterTest::xBothShapesAndExactLargeIds() {
    const auto activity =
        EventSplitter::split("x", R"({"data":{"event_uuid":"u-1","event_type":"post.create"}})");
    QVERIFY(activity);
    QCOMPARE(activity->first().externalId, QString("u-1"));
    // Numeric ids beyond 2^53 must not collapse into one another.
    const auto legacy = EventSplitter::split(
        "x",
        R"({"for_user_id":"42","favorite_events":[{"id":1152921504606846977},{"id":1152921504606846979}]})");
    QVERIFY(legacy);
    QCOMPARE(legacy->size(), 2);
    QVERIFY(legacy->at(0).externalId.contains("1152921504606846977"));
    QVERIFY(legacy->at(0).externalId != legacy->at(1).externalId);
}

void EventSplitterTest::malformedDeliveriesAreRefused_data() {
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("tiktok not json") << "tiktok" << QByteArray("nope");
    QTest::newRow("tiktok content not a string")
        << "tiktok"
        << QByteArray(
               R"({"client_key":"c","event":"e","create_time":1,"user_openid":"u","content":{}})");
    QTest::newRow("instagram entry not array")
        << "instagram" << QByteArray(R"({"object":"instagram","entry":{}})");
    QTest::newRow("instagram change without field")
        << "instagram" << QByteArray(R"({"entry":[{"id":"1","changes":[{"value":{}}]}]})");
    QTest::newRow("x nothing") << "x" << QByteArray(R"({"for_user_id":"1"})");
    // PostgreSQL text cannot hold NUL: refused here, not by the database.
    QTest::newRow("tiktok NUL in the event")
        << "tiktok"
        << QByteArray(
               R"({"client_key":"c","event":"e\u0000","create_time":1,"user_openid":"u","content":"{}"})");
    QTest::newRow("x NUL in the event id")
        << "x" << QByteArray(R"({"data":{"event_uuid":"a\u0000b","event_type":"t"}})");
    QTest::newRow("unknown provider") << "myspace" << QByteArray("{}");
}

void EventSplitterTest::malformedDeliveriesAreRefused() {
    QFETCH(QString, provider);
    QFETCH(QByteArray, body);
    const auto events = EventSplitter::split(provider, body);
    QVERIFY(!events);
    QCOMPARE(events.error().httpStatus, 400);
}

void EventSplitterTest::desktopDatabaseUrlCarriesNoCredentials_data() {
    QTest::addColumn<QString>("relayUrl");
    QTest::addColumn<QString>("expected");
    QTest::newRow("user and password") << "postgresql://relay:s3cret@db.example:5432/huntaze"
                                       << "postgresql://db.example:5432/huntaze";
    QTest::newRow("password in query")
        << "postgresql://relay@db.example/huntaze?password=s3cret&sslmode=require"
        << "postgresql://db.example/huntaze?sslmode=require";
    QTest::newRow("other options dropped")
        << "postgresql://db/huntaze?options=-c%20role%3Dadmin&passfile=/root/.pgpass"
        << "postgresql://db/huntaze";
}

void EventSplitterTest::desktopDatabaseUrlCarriesNoCredentials() {
    QFETCH(QString, relayUrl);
    QFETCH(QString, expected);
    const QUrl clean = DeviceEndpoints::sanitized(QUrl(relayUrl));
    QCOMPARE(clean.toString(), expected);
    QVERIFY(!clean.toString().contains("s3cret"));
}

QTEST_GUILESS_MAIN(EventSplitterTest)
#include "tst_eventsplitter.moc"
