#pragma once

#include <QByteArray>
#include <QString>

namespace huntaze::relay {

enum class SignatureCheck { Valid, NotConfigured, Invalid };

// The three platforms' webhook signatures, checked over the raw body in constant time.
class SignatureVerifier {
public:
    // TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(secret, t + "." + body)>;
    // t must be within toleranceSeconds of now.
    static SignatureCheck tiktok(const QByteArray &secret, const QByteArray &header,
                                 const QByteArray &body, qint64 nowSecs, qint64 toleranceSeconds,
                                 QString *reason);
    // X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>.
    static SignatureCheck meta(const QByteArray &secret, const QByteArray &header,
                               const QByteArray &body, QString *reason);
    // x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, body)>.
    static SignatureCheck x(const QByteArray &secret, const QByteArray &header,
                            const QByteArray &body, QString *reason);
    // X's CRC answer: "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token)).
    static QByteArray xCrcResponse(const QByteArray &secret, const QByteArray &crcToken);
};

} // namespace huntaze::relay
