#pragma once

#include <QByteArray>

namespace huntaze::oauth {

// Proof Key for Code Exchange, as each platform wants it: TikTok's desktop login takes
// the lowercase hex SHA-256 of the verifier (not RFC 7636); X takes RFC 7636 base64url
// without padding. A fresh verifier for every authorization.
struct Pkce {
    enum class Encoding { Hex, Base64Url };
    QByteArray verifier; // 64 characters of [A-Za-z0-9-._~]
    QByteArray challenge;

    static Pkce generate(Encoding encoding);
    static QByteArray challengeFor(const QByteArray &verifier, Encoding encoding);
};

// An unguessable state value (32 random bytes, base64url).
QByteArray randomState();

} // namespace huntaze::oauth
