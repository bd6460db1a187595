#include "http/httpserver.h"

#include <QTcpSocket>
#include <QTest>

#include <thread>

using namespace huntaze::relay;

namespace {

// Sends raw bytes and returns everything the server answered until it closed the
// connection or went quiet for quietMs.
QByteArray exchange(quint16 port, const QByteArray &request, int quietMs = 1500) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return "NO CONNECTION";
    socket.write(request);
    socket.waitForBytesWritten(5000);
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(quietMs))
        answer += socket.readAll();
    answer += socket.readAll();
    return answer;
}

int statusOf(const QByteArray &answer) {
    // "HTTP/1.1 200 OK" -> 200; the last status line when there were several (100 Continue).
    const qsizetype at = answer.lastIndexOf("HTTP/1.1 ");
    return at < 0 ? 0 : answer.mid(at + 9, 3).toInt();
}

} // namespace

class RelayHttpServerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void answersAndKeepsTheConnectionAlive();
    void hostileRequestsGetTheRightStatus_data();
    void hostileRequestsGetTheRightStatus();
    void expectContinueIsHonoured();
    void slowSenderIsDisconnected();
    void slowSecondRequestOnAKeptAliveConnectionIsDisconnected();
    void clientVanishingBeforeTheAnswerIsHarmless();
    void stopLetsInFlightRequestsFinish();

private:
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    std::atomic<int> m_delayMs{0};
};

void RelayHttpServerTest::init() {
    HttpLimits limits;
    limits.maxBodyBytes = 1024;
    limits.maxHeaderBytes = 2048;
    limits.headerTimeout = std::chrono::milliseconds(300);
    limits.bodyTimeout = std::chrono::milliseconds(300);
    m_delayMs = 0;
    m_server =
        std::make_unique<HttpServer>(limits, [this](HttpRequest &&request, HttpResponder respond) {
            const QByteArray body = request.method + " " + request.path.toUtf8() + " " +
                                    QByteArray::number(request.body.size()) + " " +
                                    request.query.queryItemValue("q").toUtf8();
            const int delay = m_delayMs;
            if (delay == 0) {
                respond(HttpResponse::text(200, body));
                return;
            }
            // Answer later from another thread, as a database commit would.
            std::thread([respond, body, delay] {
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
                respond(HttpResponse::text(200, body));
            }).detach();
        });
    auto port = m_server->listen("127.0.0.1", 0);
    QVERIFY(port);
    m_port = *port;
    m_server->start(2);
}

void RelayHttpServerTest::cleanup() {
    m_server.reset();
}

void RelayHttpServerTest::answersAndKeepsTheConnectionAlive() {
    const QByteArray answer =
        exchange(m_port, "GET /a?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                         "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                         "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(answer.count("HTTP/1.1 200 OK"), 3);
    QVERIFY(answer.contains("GET /a 0 1"));
    QVERIFY(answer.contains("POST /b 3 "));
    QVERIFY(answer.contains("GET /c 0 "));
}

void RelayHttpServerTest::hostileRequestsGetTheRightStatus_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("declared body over the limit")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n") << 413;
    QTest::newRow("chunked body over the limit")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n") +
               QByteArray(2048, 'a') + "\r\n0\r\n\r\n"
        << 413;
    QTest::newRow("huge header") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ") +
                                        QByteArray(4096, 'b') + "\r\n\r\n"
                                 << 431;
    QTest::newRow("not http") << QByteArray("HELLO THERE\r\n\r\n") << 400;
    QTest::newRow("binary garbage")
        << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400;
    QTest::newRow("bad content length")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -4\r\n\r\n") << 400;
    QTest::newRow("conflicting lengths")
        << QByteArray(
               "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        << 400;
    QTest::newRow("bad chunk size")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        << 400;
}

void RelayHttpServerTest::hostileRequestsGetTheRightStatus() {
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = exchange(m_port, request);
    QCOMPARE(statusOf(answer), status);
    QVERIFY2(answer.contains("\"error\""), answer.constData());
    // And the server keeps serving.
    QCOMPARE(
        statusOf(exchange(m_port, "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
        200);
}

void RelayHttpServerTest::expectContinueIsHonoured() {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write(
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    QVERIFY(socket.waitForReadyRead(5000));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 100 Continue"));
    socket.write("data");
    QByteArray answer;
    while (!answer.contains("POST /upload 4") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    QCOMPARE(statusOf(answer), 200);
}

void RelayHttpServerTest::slowSenderIsDisconnected() {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n"); // and never the blank line
    QVERIFY(socket.waitForBytesWritten(5000));
    // The server hangs up on its own (its header deadline is 300 ms in this test).
    QTRY_VERIFY_WITH_TIMEOUT(
        socket.state() == QAbstractSocket::UnconnectedState ||
            (socket.waitForReadyRead(100), socket.state() == QAbstractSocket::UnconnectedState),
        10000);
    QCOMPARE(statusOf(exchange(m_port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
             200);
}

void RelayHttpServerTest::slowSecondRequestOnAKeptAliveConnectionIsDisconnected() {
    // The idle deadline (60 s by default) covers the wait between requests only; a
    // request that has started must finish its headers within the header deadline.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray answer;
    while (!answer.contains("GET /first") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    QCOMPARE(statusOf(answer), 200);
    socket.write("GET /second HTTP/1.1\r\nHost: x\r\n"); // and then nothing
    QVERIFY(socket.waitForBytesWritten(5000));
    QTRY_VERIFY_WITH_TIMEOUT(
        socket.state() == QAbstractSocket::UnconnectedState ||
            (socket.waitForReadyRead(100), socket.state() == QAbstractSocket::UnconnectedState),
        10000);
}

void RelayHttpServerTest::clientVanishingBeforeTheAnswerIsHarmless() {
    m_delayMs = 200;
    for (int i = 0; i < 20; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n");
        socket.waitForBytesWritten(1000);
        socket.abort(); // before the delayed answer is written
    }
    QTest::qWait(400);
    m_delayMs = 0;
    QCOMPARE(
        statusOf(exchange(m_port, "GET /still HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
        200);
}

void RelayHttpServerTest::stopLetsInFlightRequestsFinish() {
    m_delayMs = 300;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(socket.waitForBytesWritten(5000));
    QTest::qWait(50); // the request is now in the handler
    std::thread stopper([this] { m_server->stop(); });
    QByteArray answer;
    while (socket.waitForReadyRead(3000))
        answer += socket.readAll();
    stopper.join();
    QCOMPARE(statusOf(answer), 200);
    QVERIFY(answer.contains("GET /slow"));
    QVERIFY(answer.contains("Connection: close"));
    // Nothing accepts connections any more.
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(!late.waitForConnected(1000) || !late.waitForReadyRead(500));
}

QTEST_GUILESS_MAIN(RelayHttpServerTest)
#include "tst_relayhttpserver.moc"
