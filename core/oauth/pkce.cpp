#include "pkce.h"

#include <QCryptographicHash>

#include <openssl/rand.h>

namespace huntaze::oauth {

namespace {
QByteArray randomBytes(int count) {
    QByteArray bytes(count, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count);
    return bytes;
}
constexpr auto kUrlSafe = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

QByteArray Pkce::challengeFor(const QByteArray &verifier, Encoding encoding) {
    const QByteArray digest = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256);
    return encoding == Encoding::Hex ? digest.toHex() : digest.toBase64(kUrlSafe);
}

Pkce Pkce::generate(Encoding encoding) {
    // 48 random bytes in base64url are 64 characters, all within the verifier alphabet.
    const QByteArray verifier = randomBytes(48).toBase64(kUrlSafe);
    return Pkce{verifier, challengeFor(verifier, encoding)};
}

QByteArray randomState() {
    return randomBytes(32).toBase64(kUrlSafe);
}

} // namespace huntaze::oauth
