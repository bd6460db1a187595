#include "signatures.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace huntaze::crypto {

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message) {
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.constData(), int(key.size()),
              reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()),
              reinterpret_cast<unsigned char *>(digest.data()), &length) ||
        length != SHA256_DIGEST_LENGTH)
        return {}; // never equal to a signature: the check fails closed
    return digest;
}

QByteArray sha256(const QByteArray &data) {
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    SHA256(reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()),
           reinterpret_cast<unsigned char *>(digest.data()));
    return digest;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    // Lengths are public (a hex or base64 digest has a fixed length).
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace huntaze::crypto
