#include "http/responsebytes.h"

#include <QTest>

using namespace huntaze::relay;

// The relay's answers byte for byte: what a platform, a proxy or curl reads.
class ResponseBytesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonAnswerOnAKeptAliveConnection();
    void closingAnswerSaysSoAndCarriesItsHeaders();
    void http10KeepsAliveOnlyWhenAsked();
    void emptyBodyHasAZeroLength();
    void headersThatCouldSplitOrContradictTheResponseAreLeftOut_data();
    void headersThatCouldSplitOrContradictTheResponseAreLeftOut();
};

void ResponseBytesTest::jsonAnswerOnAKeptAliveConnection() {
    QCOMPARE(QByteArray::fromStdString(
                 responseBytes(HttpResponse::json(200, R"({"received":1})"), 11, true)),
             QByteArray("HTTP/1.1 200 OK\r\n"
                        "Server: huntaze-relay\r\n"
                        "Content-Type: application/json\r\n"
                        "Content-Length: 14\r\n"
                        "\r\n"
                        R"({"received":1})"));
}

void ResponseBytesTest::closingAnswerSaysSoAndCarriesItsHeaders() {
    HttpResponse response = HttpResponse::json(503, "{}");
    response.headers.append({QByteArray("Retry-After"), QByteArray("5")});
    QCOMPARE(QByteArray::fromStdString(responseBytes(response, 11, false)),
             QByteArray("HTTP/1.1 503 Service Unavailable\r\n"
                        "Server: huntaze-relay\r\n"
                        "Content-Type: application/json\r\n"
                        "Retry-After: 5\r\n"
                        "Content-Length: 2\r\n"
                        "Connection: close\r\n"
                        "\r\n"
                        "{}"));
}

void ResponseBytesTest::http10KeepsAliveOnlyWhenAsked() {
    const HttpResponse response = HttpResponse::text(404, "no");
    const QByteArray kept = QByteArray::fromStdString(responseBytes(response, 10, true));
    QVERIFY(kept.startsWith("HTTP/1.0 404 Not Found\r\n"));
    QVERIFY(kept.contains("\r\nConnection: keep-alive\r\n"));
    const QByteArray closed = QByteArray::fromStdString(responseBytes(response, 10, false));
    QVERIFY(!closed.contains("Connection:"));
    QVERIFY(closed.endsWith("\r\nContent-Length: 2\r\n\r\nno"));
}

void ResponseBytesTest::emptyBodyHasAZeroLength() {
    HttpResponse response; // a HEAD answer: headers only
    response.contentType = "image/jpeg";
    QVERIFY(QByteArray::fromStdString(responseBytes(response, 11, true))
                .endsWith("Content-Type: image/jpeg\r\nContent-Length: 0\r\n\r\n"));
}

void ResponseBytesTest::headersThatCouldSplitOrContradictTheResponseAreLeftOut_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("CRLF in the value")
        << QByteArray("Location") << QByteArray("/a\r\nSet-Cookie: x=1");
    QTest::newRow("bare LF in the value") << QByteArray("Location") << QByteArray("/a\nX: 1");
    QTest::newRow("NUL in the value") << QByteArray("Location") << QByteArray("/a\0b", 4);
    QTest::newRow("colon in the name") << QByteArray("X-A: 1\r\nX-B") << QByteArray("2");
    QTest::newRow("space in the name") << QByteArray("X A") << QByteArray("1");
    QTest::newRow("empty name") << QByteArray() << QByteArray("1");
    QTest::newRow("a second Content-Length") << QByteArray("content-length") << QByteArray("0");
    QTest::newRow("a Transfer-Encoding")
        << QByteArray("Transfer-Encoding") << QByteArray("chunked");
    QTest::newRow("a second Content-Type") << QByteArray("Content-Type") << QByteArray("text/html");
}

void ResponseBytesTest::headersThatCouldSplitOrContradictTheResponseAreLeftOut() {
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    HttpResponse response = HttpResponse::json(302, "{}");
    response.headers.append({name, value});
    response.headers.append({QByteArray("Cache-Control"), QByteArray("no-store")});
    const QByteArray bytes = QByteArray::fromStdString(responseBytes(response, 11, true));
    QCOMPARE(bytes, QByteArray("HTTP/1.1 302 Found\r\n"
                               "Server: huntaze-relay\r\n"
                               "Content-Type: application/json\r\n"
                               "Cache-Control: no-store\r\n"
                               "Content-Length: 2\r\n"
                               "\r\n"
                               "{}"));
}

QTEST_GUILESS_MAIN(ResponseBytesTest)
#include "tst_responsebytes.moc"
