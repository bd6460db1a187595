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
    void tiktokKeysStayWhatTheyWere_data();
    void tiktokKeysStayWhatTheyWere();
    void tiktokAmbiguousOrHostileBodiesAreRefused_data();
    void tiktokAmbiguousOrHostileBodiesAreRefused();
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

// The key is SHA-256 over the length-prefixed UTF-8 of client_key, event, create_time
// (as an integer), user_openid and content. It must never change between versions: a
// re-delivery spanning an upgrade would otherwise be stored twice. The expected values
// were computed outside the relay (Python's hashlib over the same framing).
void EventSplitterTest::tiktokKeysStayWhatTheyWere_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("key");
    QTest::newRow("plain")
        << QByteArray(
               R"({"client_key":"ck","event":"post.publish.complete","create_time":1,"user_openid":"u","content":"{}"})")
        << QByteArray("ef811185debe869f1dd1bb02fd71b8beccdfb321609c6077504eb4dabdd90cfa");
    QTest::newRow("escapes, non-ASCII and a surrogate pair, fields in another order")
        << QByteArray(
               R"({"content":"{\"publish_id\":\"v_1\"}","user_openid":"ü\u00e9\ud83d\ude00",)"
               R"("create_time":1700000000,"event":"post.publish.complete","client_key":"c\"k","extra":[1,{"a":null}]})")
        << QByteArray("d3c6cca73bae7c3a9a7380ca57051259c98b4e6e65e1d6ac90dc568b94294ad0");
    QTest::newRow("fractional time is truncated")
        << QByteArray(
               R"({"client_key":"ck","event":"e","create_time":1.9,"user_openid":"u","content":"{}"})")
        << QByteArray("3533e42aed1c8e238a98f4c51128296be021a06e739402103bd2d95a8fa5d371");
    QTest::newRow("time beyond 2^53 goes through a double, as it always did")
        << QByteArray(
               R"({"client_key":"ck","event":"e","create_time":9007199254740993,"user_openid":"u","content":"{}"})")
        << QByteArray("d04faeeb678ef8dd030ee3e0d26147e7e246c20d772c5fe1b03e3b15e83ac0e7");
}

void EventSplitterTest::tiktokKeysStayWhatTheyWere() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, key);
    const auto events = EventSplitter::split("tiktok", body);
    QVERIFY2(events, qPrintable(events ? QString() : events.error().detail));
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->first().externalId, key);
    QCOMPARE(events->first().provider, QByteArray("tiktok"));
    QCOMPARE(events->first().body, body);
}

void EventSplitterTest::tiktokAmbiguousOrHostileBodiesAreRefused_data() {
    QTest::addColumn<QByteArray>("body");
    const QByteArray valid =
        R"({"client_key":"c","event":"e","create_time":1,"user_openid":"u","content":"{}"})";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("truncated") << valid.left(valid.size() - 1);
    QTest::newRow("garbage after the object") << valid + "x";
    QTest::newRow("two objects") << valid + valid;
    QTest::newRow("broken value of an unknown key") << QByteArray(
        R"({"client_key":"c","event":"e","create_time":1,"user_openid":"u","content":"{}","x":[1,}})");
    QTest::newRow("key given twice") << QByteArray(
        R"({"client_key":"c","event":"e","event":"f","create_time":1,"user_openid":"u","content":"{}"})");
    QTest::newRow("missing create_time")
        << QByteArray(R"({"client_key":"c","event":"e","user_openid":"u","content":"{}"})");
    QTest::newRow("create_time a string") << QByteArray(
        R"({"client_key":"c","event":"e","create_time":"1","user_openid":"u","content":"{}"})");
    QTest::newRow("invalid UTF-8") << QByteArray(
        "{\"client_key\":\"c\xff\",\"event\":\"e\",\"create_time\":1,\"user_openid\":\"u\","
        "\"content\":\"{}\"}");
    QTest::newRow("lone surrogate") << QByteArray(
        R"({"client_key":"c","event":"e","create_time":1,"user_openid":"\ud800","content":"{}"})");
    QTest::newRow("nested 10000 deep") << QByteArray(10000, '[') + QByteArray(10000, ']');
}

void EventSplitterTest::tiktokAmbiguousOrHostileBodiesAreRefused() {
    QFETCH(QByteArray, body);
    const auto events = EventSplitter::split("tiktok", body);
    QVERIFY(!events);
    QCOMPARE(events.error().httpStatus, 400);
    QCOMPARE(events.error().code, QString("malformed"));
    QVERIFY(!events.error().detail.isEmpty());
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
    QSet<QByteArray> keys;
    for (const InboxEvent &event : *events)
        keys.insert(event.externalId);
    QCOMPARE(keys.size(), 3);
    QCOMPARE(events->at(2).eventType, QByteArray("story_insights"));
}

void EventSplitterTest::xBothShapesAndExactLargeIds() {
    const auto activity =
        EventSplitter::split("x", R"({"data":{"event_uuid":"u-1","event_type":"post.create"}})");
    QVERIFY(activity);
    QCOMPARE(activity->first().externalId, QByteArray("u-1"));
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
