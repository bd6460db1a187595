#include "signatures.h"

#include <QMessageAuthenticationCode>

#include <openssl/crypto.h>

namespace huntaze::crypto {

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message) {
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    // Lengths are public (a hex or base64 digest has a fixed length).
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace huntaze::crypto
