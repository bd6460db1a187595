#include "tiktokwebhooks.h"

#include "tiktokstate.h"

#include <QMessageAuthenticationCode>

namespace sandbox::tiktok {

namespace {
constexpr qint64 kFirstRetrySecs = 60;
constexpr qint64 kGiveUpAfterSecs = 72 * 3600;
} // namespace

WebhookSender::Signer webhookSigner() {
    return [](const QByteArray &body, qint64 nowSecs) {
        const QByteArray t = QByteArray::number(nowSecs);
        const QByteArray s =
            QMessageAuthenticationCode::hash(t + '.' + body, clientSecret().toUtf8(),
                                             QCryptographicHash::Sha256)
                .toHex();
        return WebhookSender::Headers{{"TikTok-Signature", "t=" + t + ",s=" + s}};
    };
}

WebhookSender::Schedule webhookSchedule() {
    return [](int attempt) -> qint64 {
        // Attempt n (n >= 2) waits 60 * 2^(n-2) s; stop once the total passes 72 h.
        qint64 total = 0;
        qint64 wait = kFirstRetrySecs;
        for (int n = 2; n <= attempt; ++n) {
            total += wait;
            if (n < attempt)
                wait *= 2;
        }
        return total > kGiveUpAfterSecs ? -1 : wait;
    };
}

} // namespace sandbox::tiktok
