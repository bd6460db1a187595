#include "store/pgbinaryarray.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QTest>

using namespace huntaze;
using namespace huntaze::store;
using namespace huntaze::test;

// The binary arrays the relay's inbox sends, read back by a real PostgreSQL: every
// element type arrives intact (NUL bytes, non-ASCII text, empty values, NULLs, thousands
// of elements), and what PostgreSQL cannot store is refused with an error that leaves
// the connection usable.
class PgBinaryArrayTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void textArrivesIntact();
    void boolsAndNullsArriveIntact();
    void byteaKeepsEveryByteValue();
    void jsonbIsParsedByTheServer();
    void uuidsAreTheirSixteenBytes();
    void emptyArrayHasNoElements();
    void thousandsOfElementsInOneParameter();
    void whatTheServerCannotStoreIsRefusedCleanly_data();
    void whatTheServerCannotStoreIsRefusedCleanly();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::optional<PgConnection> m_sql;
};

void PgBinaryArrayTest::initTestCase() {
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto connection = PgConnection::open(m_db->url());
    QVERIFY(connection);
    m_sql.emplace(std::move(connection).value());
}

void PgBinaryArrayTest::cleanupTestCase() {
    m_sql.reset();
    m_db.reset();
}

void PgBinaryArrayTest::textArrivesIntact() {
    PgBinaryArray texts(PgBinaryArray::Element::Text);
    const QStringList values{"plain", "", "été 日本 🎬", "comma, quote \" brace {}"};
    for (const QString &value : values)
        texts.append(value.toUtf8());
    auto rows = m_sql->exec("SELECT value, ordinality FROM unnest($1::text[]) WITH ORDINALITY "
                            "AS t(value, ordinality) ORDER BY ordinality",
                            {texts.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->rows(), values.size());
    for (int i = 0; i < values.size(); ++i)
        QCOMPARE(rows->text(i, 0), values.at(i));
}

void PgBinaryArrayTest::boolsAndNullsArriveIntact() {
    PgBinaryArray flags(PgBinaryArray::Element::Bool);
    flags.appendBool(true);
    flags.appendNull();
    flags.appendBool(false);
    auto rows = m_sql->exec("SELECT coalesce(value::text, 'null') FROM unnest($1::bool[]) "
                            "WITH ORDINALITY AS t(value, ordinality) ORDER BY ordinality",
                            {flags.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->rows(), 3);
    QCOMPARE(rows->text(0, 0), QString("true"));
    QCOMPARE(rows->text(1, 0), QString("null"));
    QCOMPARE(rows->text(2, 0), QString("false"));
}

void PgBinaryArrayTest::byteaKeepsEveryByteValue() {
    QByteArray everyByte;
    for (int value = 0; value < 256; ++value)
        everyByte.append(char(value));
    PgBinaryArray bodies(PgBinaryArray::Element::Bytea);
    bodies.append(everyByte);
    bodies.append(QByteArray());
    auto rows = m_sql->exec("SELECT encode(value, 'hex') FROM unnest($1::bytea[]) "
                            "WITH ORDINALITY AS t(value, ordinality) ORDER BY ordinality",
                            {bodies.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->rows(), 2);
    QCOMPARE(rows->text(0, 0).toLatin1(), everyByte.toHex());
    QCOMPARE(rows->text(1, 0), QString());
}

void PgBinaryArrayTest::jsonbIsParsedByTheServer() {
    PgBinaryArray documents(PgBinaryArray::Element::Jsonb);
    documents.append(QByteArray(R"({"b":[1,"é"],"a":null})"));
    documents.append(QByteArray("{}"));
    auto rows = m_sql->exec("SELECT value ->> 'b', value::text FROM unnest($1::jsonb[]) "
                            "WITH ORDINALITY AS t(value, ordinality) ORDER BY ordinality",
                            {documents.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->rows(), 2);
    QCOMPARE(rows->text(0, 0), QString(R"([1, "é"])"));
    QCOMPARE(rows->text(1, 1), QString("{}"));
}

void PgBinaryArrayTest::uuidsAreTheirSixteenBytes() {
    PgBinaryArray ids(PgBinaryArray::Element::Uuid);
    ids.append(QByteArray::fromHex("0123456789abcdef0123456789abcdef"));
    ids.append(QByteArray(16, '\0'));
    auto rows = m_sql->exec("SELECT value::text FROM unnest($1::uuid[]) "
                            "WITH ORDINALITY AS t(value, ordinality) ORDER BY ordinality",
                            {ids.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->rows(), 2);
    QCOMPARE(rows->text(0, 0), QString("01234567-89ab-cdef-0123-456789abcdef"));
    QCOMPARE(rows->text(1, 0), QString("00000000-0000-0000-0000-000000000000"));
}

void PgBinaryArrayTest::emptyArrayHasNoElements() {
    PgBinaryArray nothing(PgBinaryArray::Element::Text);
    auto rows = m_sql->exec("SELECT cardinality($1::text[]), (SELECT count(*) FROM unnest($1))",
                            {nothing.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->int64(0, 0), 0);
    QCOMPARE(rows->int64(0, 1), 0);
}

void PgBinaryArrayTest::thousandsOfElementsInOneParameter() {
    PgBinaryArray ids(PgBinaryArray::Element::Text);
    qint64 totalLength = 0;
    for (int i = 0; i < 20000; ++i) {
        const QByteArray id = "event-" + QByteArray::number(i);
        ids.append(id);
        totalLength += id.size();
    }
    QCOMPARE(ids.size(), 20000);
    auto rows = m_sql->exec("SELECT count(*), sum(length(value)), count(DISTINCT value) "
                            "FROM unnest($1::text[]) AS t(value)",
                            {ids.param()});
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().detail));
    QCOMPARE(rows->int64(0, 0), 20000);
    QCOMPARE(rows->int64(0, 1), totalLength);
    QCOMPARE(rows->int64(0, 2), 20000);
}

void PgBinaryArrayTest::whatTheServerCannotStoreIsRefusedCleanly_data() {
    QTest::addColumn<int>("element");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("cast");
    QTest::addColumn<QString>("sqlState");
    QTest::newRow("NUL in text") << int(PgBinaryArray::Element::Text) << QByteArray("a\0b", 3)
                                 << "text[]"
                                 << "22021";
    QTest::newRow("invalid UTF-8")
        << int(PgBinaryArray::Element::Text) << QByteArray("\xff\xfe") << "text[]"
        << "22021";
    QTest::newRow("not JSON") << int(PgBinaryArray::Element::Jsonb) << QByteArray("{not json")
                              << "jsonb[]"
                              << "22P02";
    // The server reads past the element: a protocol violation, a client bug, not an outage.
    QTest::newRow("uuid of 15 bytes")
        << int(PgBinaryArray::Element::Uuid) << QByteArray(15, 'u') << "uuid[]"
        << "08P01";
    QTest::newRow("uuid of 17 bytes")
        << int(PgBinaryArray::Element::Uuid) << QByteArray(17, 'u') << "uuid[]"
        << "22P03";
    // The header names the element type; the server checks it against the cast.
    QTest::newRow("element type differs from the cast")
        << int(PgBinaryArray::Element::Text) << QByteArray("x") << "bool[]"
        << "42804";
}

void PgBinaryArrayTest::whatTheServerCannotStoreIsRefusedCleanly() {
    QFETCH(int, element);
    QFETCH(QByteArray, value);
    QFETCH(QString, cast);
    QFETCH(QString, sqlState);
    PgBinaryArray array(static_cast<PgBinaryArray::Element>(element));
    array.append(value);
    auto refused = m_sql->exec("SELECT cardinality($1::" + cast + ")", {array.param()});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, sqlState);
    QVERIFY(!refused.error().retryable); // a bad value, not an outage
    auto stillUsable = m_sql->exec("SELECT 1");
    QVERIFY(stillUsable);
    QCOMPARE(stillUsable->int64(0, 0), 1);
}

QTEST_GUILESS_MAIN(PgBinaryArrayTest)
#include "tst_pgbinaryarray.moc"
