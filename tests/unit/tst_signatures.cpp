#include "crypto/signatures.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace huntaze::crypto;

// The relay's HMAC-SHA256 and SHA-256 against Qt's independent implementations and
// RFC 4231's vectors. The HMAC keeps a keyed context per thread between calls: changing
// keys, several threads and split messages must all still give the right digest.
class SignaturesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hmacMatchesRfc4231_data();
    void hmacMatchesRfc4231();
    void hmacMatchesQtForManyKeysInTurn();
    void partsGiveTheDigestOfTheJoinedMessage();
    void threadsWithDifferentKeysDoNotMix();
    void sha256MatchesQt();
    void constantTimeEqualsComparesWholeValues();
};

void SignaturesTest::hmacMatchesRfc4231_data() {
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("test case 1")
        << QByteArray(20, '\x0b') << QByteArray("Hi There")
        << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("test case 2")
        << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
        << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // A key longer than the block size is hashed first.
    QTest::newRow("test case 6")
        << QByteArray(131, '\xaa')
        << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

void SignaturesTest::hmacMatchesRfc4231() {
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    QCOMPARE(hmacSha256(key, data).toHex(), hex);
    QCOMPARE(hmacSha256(key, data).toHex(), hex); // again, from the kept context
}

void SignaturesTest::hmacMatchesQtForManyKeysInTurn() {
    const QList<QByteArray> keys{"tiktok-secret", "meta-secret", "x", QByteArray(200, 'k')};
    for (int round = 0; round < 3; ++round)
        for (const QByteArray &key : keys) {
            const QByteArray message = "message " + QByteArray::number(round) + key;
            QCOMPARE(hmacSha256(key, message),
                     QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256));
        }
}

void SignaturesTest::partsGiveTheDigestOfTheJoinedMessage() {
    const QByteArray body = R"({"event":"post.publish.complete"})";
    QCOMPARE(hmacSha256("secret",
                        {QByteArrayView("1700000000"), QByteArrayView("."), QByteArrayView(body)}),
             hmacSha256("secret", "1700000000." + body));
    QCOMPARE(hmacSha256("secret", {QByteArrayView(), QByteArrayView(body)}),
             hmacSha256("secret", body));
}

void SignaturesTest::threadsWithDifferentKeysDoNotMix() {
    std::atomic<int> wrong{0};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        const QByteArray key = "key-of-thread-" + QByteArray::number(t % 2);
        threads.append(QThread::create([key, &wrong] {
            for (int i = 0; i < 500; ++i) {
                const QByteArray message = QByteArray::number(i);
                if (hmacSha256(key, message) !=
                    QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256))
                    ++wrong;
            }
        }));
    }
    for (QThread *thread : threads)
        thread->start();
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    QCOMPARE(wrong.load(), 0);
}

void SignaturesTest::sha256MatchesQt() {
    for (const QByteArray &data : {QByteArray(), QByteArray("abc"), QByteArray(100000, 'z')})
        QCOMPARE(sha256(data), QCryptographicHash::hash(data, QCryptographicHash::Sha256));
}

void SignaturesTest::constantTimeEqualsComparesWholeValues() {
    QVERIFY(constantTimeEquals("abcdef", "abcdef"));
    QVERIFY(!constantTimeEquals("abcdef", "abcdeg"));
    QVERIFY(!constantTimeEquals("abcdef", "abcde"));
    QVERIFY(constantTimeEquals({}, {}));
}

QTEST_GUILESS_MAIN(SignaturesTest)
#include "tst_signatures.moc"
