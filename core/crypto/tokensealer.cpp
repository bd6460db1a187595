#include "tokensealer.h"

#include <QObject>

#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace huntaze::crypto {

namespace {

constexpr char kVersion = 1;
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

Error sealError(const QString &code, const QString &message) {
    Error error;
    error.domain = QStringLiteral("crypto");
    error.code = code;
    error.message = message;
    return error;
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *bytes(const QByteArray &array) {
    return reinterpret_cast<const unsigned char *>(array.constData());
}

} // namespace

QByteArray TokenContext::associatedData() const {
    // Length-prefixed so ("a|b", "c") and ("a", "b|c") can never collide.
    QByteArray out;
    for (const QString &part : {provider, openId, kind}) {
        const QByteArray utf8 = part.toUtf8();
        out += QByteArray::number(utf8.size()) + ':' + utf8;
    }
    return out;
}

Result<SealedToken> TokenSealer::seal(const QByteArray &plaintext,
                                      const TokenContext &context) const {
    const QString keyId = m_ring.activeKeyId();
    const QByteArray key = m_ring.key(keyId);
    QByteArray nonce(kNonceBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(nonce.data()), kNonceBytes) != 1)
        return sealError(QStringLiteral("rng"),
                         QObject::tr("No randomness available to seal a token."));
    const QByteArray aad = context.associatedData();

    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray ciphertext(plaintext.size(), Qt::Uninitialized);
    QByteArray tag(kTagBytes, Qt::Uninitialized);
    int length = 0;
    int finalLength = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(aad), int(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(ciphertext.data()), &length,
                          bytes(plaintext), int(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(),
                            reinterpret_cast<unsigned char *>(ciphertext.data()) + length,
                            &finalLength) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) == 1;
    if (!ok)
        return sealError(QStringLiteral("seal_failed"),
                         QObject::tr("A token could not be sealed."));
    ciphertext.resize(length + finalLength);
    return SealedToken{keyId, QByteArray(1, kVersion) + nonce + ciphertext + tag};
}

Result<QByteArray> TokenSealer::open(const SealedToken &sealed, const TokenContext &context) const {
    if (!m_ring.contains(sealed.keyId))
        return sealError(
            QStringLiteral("unknown_key"),
            QObject::tr("A token was sealed with key '%1', which is not in the key ring.")
                .arg(sealed.keyId));
    const QByteArray &blob = sealed.blob;
    if (blob.size() < 1 + kNonceBytes + kTagBytes || blob.at(0) != kVersion)
        return sealError(QStringLiteral("corrupt"), QObject::tr("A sealed token is damaged."));
    const QByteArray key = m_ring.key(sealed.keyId);
    const QByteArray nonce = blob.mid(1, kNonceBytes);
    const QByteArray ciphertext =
        blob.mid(1 + kNonceBytes, blob.size() - 1 - kNonceBytes - kTagBytes);
    QByteArray tag = blob.right(kTagBytes);
    const QByteArray aad = context.associatedData();

    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray plaintext(ciphertext.size(), Qt::Uninitialized);
    int length = 0;
    int finalLength = 0;
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(aad), int(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plaintext.data()), &length,
                          bytes(ciphertext), int(ciphertext.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plaintext.data()) + length,
                            &finalLength) == 1;
    if (!ok)
        return sealError(QStringLiteral("tampered"),
                         QObject::tr("A sealed token failed its integrity check (wrong key, "
                                     "account or tampering)."));
    plaintext.resize(length + finalLength);
    return plaintext;
}

} // namespace huntaze::crypto
