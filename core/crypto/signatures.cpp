#include "signatures.h"

#include <memory>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/sha.h>

namespace huntaze::crypto {

namespace {

// OpenSSL 3's one-shot HMAC() and SHA256() look the algorithm up in the provider
// registry (locks, string lookups) on every call: that was most of their cost on the
// relay's webhook path. The algorithms are fetched once here and kept for the process.
const EVP_MD *sha256Algorithm() {
    static EVP_MD *const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return algorithm;
}

EVP_MAC *hmacAlgorithm() {
    static EVP_MAC *const algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return algorithm;
}

struct MacContextDeleter {
    void operator()(EVP_MAC_CTX *context) const { EVP_MAC_CTX_free(context); }
};
using MacContext = std::unique_ptr<EVP_MAC_CTX, MacContextDeleter>;

// An HMAC-SHA256 context keyed with `key`, ready for a new message. Webhook secrets are
// the same for every request, so each thread keeps the last key's context and restarts
// it (EVP_MAC_init without a key keeps the derived key pads) rather than copying it or
// hashing the key into the pads again. Valid until the thread's next call.
EVP_MAC_CTX *keyedContext(const QByteArray &key) {
    struct Keyed {
        QByteArray key;
        MacContext context;
    };
    thread_local Keyed last;
    if (!last.context || last.key != key) {
        last.context.reset();
        EVP_MAC *algorithm = hmacAlgorithm();
        if (!algorithm)
            return nullptr;
        MacContext context(EVP_MAC_CTX_new(algorithm));
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (!context ||
            EVP_MAC_init(context.get(), reinterpret_cast<const unsigned char *>(key.constData()),
                         size_t(key.size()), params) != 1)
            return nullptr;
        last.key = key;
        last.context = std::move(context);
    }
    if (EVP_MAC_init(last.context.get(), nullptr, 0, nullptr) != 1) {
        last.context.reset();
        return nullptr;
    }
    return last.context.get();
}

} // namespace

QByteArray hmacSha256(const QByteArray &key, std::initializer_list<QByteArrayView> message) {
    EVP_MAC_CTX *context = keyedContext(key);
    if (!context)
        return {}; // never equal to a signature: the check fails closed
    for (QByteArrayView part : message)
        if (EVP_MAC_update(context, reinterpret_cast<const unsigned char *>(part.data()),
                           size_t(part.size())) != 1)
            return {};
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    size_t length = 0;
    if (EVP_MAC_final(context, reinterpret_cast<unsigned char *>(digest.data()), &length,
                      size_t(digest.size())) != 1 ||
        length != SHA256_DIGEST_LENGTH)
        return {};
    return digest;
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message) {
    return hmacSha256(key, {QByteArrayView(message)});
}

QByteArray sha256(const QByteArray &data) {
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    unsigned int length = 0;
    const EVP_MD *algorithm = sha256Algorithm();
    if (!algorithm ||
        EVP_Digest(data.constData(), size_t(data.size()),
                   reinterpret_cast<unsigned char *>(digest.data()), &length, algorithm,
                   nullptr) != 1 ||
        length != SHA256_DIGEST_LENGTH)
        return {};
    return digest;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    // Lengths are public (a hex or base64 digest has a fixed length).
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace huntaze::crypto
