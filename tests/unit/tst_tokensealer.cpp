#include "crypto/keyring.h"
#include "crypto/signatures.h"
#include "crypto/tokensealer.h"

#include <QTest>

using namespace huntaze::crypto;

namespace {
QByteArray ringText(const QString &id, char fill) {
    return id.toUtf8() + ' ' + QByteArray(32, fill).toBase64() + '\n';
}
const TokenContext kAccess{"tiktok", "open-1", "access"};
} // namespace

class TokenSealerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sealedTokenOpensWithTheSameContext();
    void sealingTwiceGivesDifferentCiphertexts();
    void wrongContextOrTamperingFailsToOpen_data();
    void wrongContextOrTamperingFailsToOpen();
    void unknownKeyIsReportedByName();
    void rotationKeepsOldKeysOpenable();
    void malformedKeyRingsNameTheProblem_data();
    void malformedKeyRingsNameTheProblem();
    void hmacMatchesAKnownVectorAndComparesInConstantTime();
};

void TokenSealerTest::sealedTokenOpensWithTheSameContext() {
    const auto ring = KeyRing::parse(ringText("k1", 'a'));
    QVERIFY(ring);
    const TokenSealer sealer(*ring);
    const auto sealed = sealer.seal("act.secret-value", kAccess);
    QVERIFY(sealed);
    QCOMPARE(sealed->keyId, QString("k1"));
    QVERIFY(!sealed->blob.contains("secret-value"));
    QCOMPARE(sealed->blob.size(), 1 + 12 + 16 + 16);
    const auto opened = sealer.open(*sealed, kAccess);
    QVERIFY(opened);
    QCOMPARE(*opened, QByteArray("act.secret-value"));
}

void TokenSealerTest::sealingTwiceGivesDifferentCiphertexts() {
    const TokenSealer sealer(*KeyRing::parse(ringText("k1", 'a')));
    QVERIFY(sealer.seal("same", kAccess)->blob != sealer.seal("same", kAccess)->blob);
}

void TokenSealerTest::wrongContextOrTamperingFailsToOpen_data() {
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("openId");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("flipByte");
    QTest::newRow("other provider") << "x"
                                    << "open-1"
                                    << "access" << -1;
    QTest::newRow("other account") << "tiktok"
                                   << "open-2"
                                   << "access" << -1;
    QTest::newRow("refresh opened as access") << "tiktok"
                                              << "open-1"
                                              << "refresh" << -1;
    QTest::newRow("shifted separator") << "tiktok"
                                       << "open-1access"
                                       << "" << -1;
    QTest::newRow("flipped nonce") << "tiktok"
                                   << "open-1"
                                   << "access" << 3;
    QTest::newRow("flipped ciphertext") << "tiktok"
                                        << "open-1"
                                        << "access" << 15;
    QTest::newRow("flipped tag") << "tiktok"
                                 << "open-1"
                                 << "access" << 40;
}

void TokenSealerTest::wrongContextOrTamperingFailsToOpen() {
    QFETCH(QString, provider);
    QFETCH(QString, openId);
    QFETCH(QString, kind);
    QFETCH(int, flipByte);
    const TokenSealer sealer(*KeyRing::parse(ringText("k1", 'a')));
    auto sealed = sealer.seal("refresh-or-access", kAccess);
    QVERIFY(sealed);
    if (flipByte >= 0)
        sealed->blob[flipByte] = char(sealed->blob[flipByte] ^ 0x01);
    const auto opened = sealer.open(*sealed, TokenContext{provider, openId, kind});
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, QString("tampered"));
}

void TokenSealerTest::unknownKeyIsReportedByName() {
    const TokenSealer sealer(*KeyRing::parse(ringText("k1", 'a')));
    const auto opened = sealer.open(SealedToken{"gone", QByteArray(40, 'x')}, kAccess);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, QString("unknown_key"));
    QVERIFY(opened.error().message.contains("gone"));
}

void TokenSealerTest::rotationKeepsOldKeysOpenable() {
    const QByteArray original = ringText("k1", 'a');
    const auto oldSealed = TokenSealer(*KeyRing::parse(original)).seal("old", kAccess);
    QString newId;
    const QByteArray rotated = KeyRing::withNewActiveKey(original, &newId);
    const auto ring = KeyRing::parse(rotated);
    QVERIFY2(ring, rotated.constData());
    QCOMPARE(ring->activeKeyId(), newId);
    QCOMPARE(ring->keyIds().size(), 2);
    const TokenSealer sealer(*ring);
    QCOMPARE(*sealer.open(*oldSealed, kAccess), QByteArray("old"));
    QCOMPARE(sealer.seal("new", kAccess)->keyId, newId);
}

void TokenSealerTest::malformedKeyRingsNameTheProblem_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << QByteArray("# nothing\n") << "no key";
    QTest::newRow("short key") << QByteArray("k1 ") + QByteArray(16, 'a').toBase64() << "32 bytes";
    QTest::newRow("not base64") << QByteArray("k1 !!!notbase64!!!") << "32 bytes";
    QTest::newRow("three fields") << QByteArray("k1 a b") << "line 1";
    QTest::newRow("bad id") << QByteArray("k/1 ") + QByteArray(32, 'a').toBase64() << "key ids";
    QTest::newRow("twice") << ringText("k1", 'a') + ringText("k1", 'b') << "twice";
    QTest::newRow("two keys no active") << ringText("k1", 'a') + ringText("k2", 'b') << "active";
    QTest::newRow("active unknown") << ringText("k1", 'a') + "active k9\n"
                                    << "active";
}

void TokenSealerTest::malformedKeyRingsNameTheProblem() {
    QFETCH(QByteArray, text);
    QFETCH(QString, mentions);
    const auto ring = KeyRing::parse(text);
    QVERIFY(!ring);
    QVERIFY2(ring.error().message.startsWith("HUNTAZE_KEYRING: "),
             qPrintable(ring.error().message));
    QVERIFY2(ring.error().message.contains(mentions), qPrintable(ring.error().message));
}

void TokenSealerTest::hmacMatchesAKnownVectorAndComparesInConstantTime() {
    // RFC 4231 test case 2.
    QCOMPARE(hmacSha256("Jefe", "what do ya want for nothing?").toHex(),
             QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    QVERIFY(constantTimeEquals("abc", "abc"));
    QVERIFY(!constantTimeEquals("abc", "abd"));
    QVERIFY(!constantTimeEquals("abc", "abcd"));
}

QTEST_GUILESS_MAIN(TokenSealerTest)
#include "tst_tokensealer.moc"
