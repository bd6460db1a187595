#include "signatureverifier.h"

#include "crypto/signatures.h"

namespace huntaze::relay {

using crypto::constantTimeEquals;
using crypto::hmacSha256;

SignatureCheck SignatureVerifier::tiktok(const QByteArray &secret, const QByteArray &header,
                                         const QByteArray &body, qint64 nowSecs,
                                         qint64 toleranceSeconds, QString *reason) {
    if (secret.isEmpty())
        return SignatureCheck::NotConfigured;
    // "t=<seconds>,s=<hex>", read in place: this runs for every TikTok webhook.
    QByteArrayView timestamp;
    QByteArrayView signature;
    for (QByteArrayView rest = header; !rest.isEmpty();) {
        const qsizetype comma = rest.indexOf(',');
        const QByteArrayView item = (comma < 0 ? rest : rest.first(comma)).trimmed();
        rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        if (item.startsWith("t="))
            timestamp = item.sliced(2);
        else if (item.startsWith("s="))
            signature = item.sliced(2);
    }
    bool numeric = false;
    const qint64 t = timestamp.toLongLong(&numeric);
    if (!numeric || signature.isEmpty()) {
        *reason = QStringLiteral("missing or malformed TikTok-Signature");
        return SignatureCheck::Invalid;
    }
    if (qAbs(nowSecs - t) > toleranceSeconds) {
        *reason = QStringLiteral("timestamp outside the tolerance");
        return SignatureCheck::Invalid;
    }
    const QByteArray expected =
        hmacSha256(secret, {QByteArrayView(timestamp), QByteArrayView("."), QByteArrayView(body)})
            .toHex();
    if (!constantTimeEquals(expected, signature.toByteArray().toLower())) {
        *reason = QStringLiteral("signature mismatch");
        return SignatureCheck::Invalid;
    }
    return SignatureCheck::Valid;
}

SignatureCheck SignatureVerifier::meta(const QByteArray &secret, const QByteArray &header,
                                       const QByteArray &body, QString *reason) {
    if (secret.isEmpty())
        return SignatureCheck::NotConfigured;
    if (!header.startsWith("sha256=")) {
        *reason = QStringLiteral("missing or malformed X-Hub-Signature-256");
        return SignatureCheck::Invalid;
    }
    const QByteArray expected = hmacSha256(secret, body).toHex();
    if (!constantTimeEquals(expected, header.mid(7).toLower())) {
        *reason = QStringLiteral("signature mismatch");
        return SignatureCheck::Invalid;
    }
    return SignatureCheck::Valid;
}

SignatureCheck SignatureVerifier::x(const QByteArray &secret, const QByteArray &header,
                                    const QByteArray &body, QString *reason) {
    if (secret.isEmpty())
        return SignatureCheck::NotConfigured;
    if (!header.startsWith("sha256=")) {
        *reason = QStringLiteral("missing or malformed x-twitter-webhooks-signature");
        return SignatureCheck::Invalid;
    }
    const QByteArray expected = hmacSha256(secret, body).toBase64();
    if (!constantTimeEquals(expected, header.mid(7))) {
        *reason = QStringLiteral("signature mismatch");
        return SignatureCheck::Invalid;
    }
    return SignatureCheck::Valid;
}

QByteArray SignatureVerifier::xCrcResponse(const QByteArray &secret, const QByteArray &crcToken) {
    return "sha256=" + hmacSha256(secret, crcToken).toBase64();
}

} // namespace huntaze::relay
