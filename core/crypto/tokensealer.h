#pragma once

#include "base/result.h"
#include "keyring.h"

#include <QByteArray>
#include <QString>

namespace huntaze::crypto {

// What a sealed token is bound to: a token sealed for one account and kind cannot be
// opened as another's (the associated data of AES-GCM).
struct TokenContext {
    QString provider;
    QString openId;
    QString kind; // "access", "refresh", "page"
    QByteArray associatedData() const;
};

struct SealedToken {
    QString keyId;
    QByteArray blob; // version(1) | nonce(12) | ciphertext | tag(16)
};

// AES-256-GCM with a fresh random 96-bit nonce per seal (OpenSSL EVP).
class TokenSealer {
public:
    explicit TokenSealer(KeyRing ring)
        : m_ring(std::move(ring)) {}

    Result<SealedToken> seal(const QByteArray &plaintext, const TokenContext &context) const;
    Result<QByteArray> open(const SealedToken &sealed, const TokenContext &context) const;
    const KeyRing &keyRing() const { return m_ring; }

private:
    KeyRing m_ring;
};

} // namespace huntaze::crypto
