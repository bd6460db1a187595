#include "alertwebhook.h"

#include "log/logger.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QTimer>

namespace huntaze::relay::alerts {

namespace {
const QString kComponent = QStringLiteral("alerts");
}

AlertWebhook::AlertWebhook(QUrl url, QByteArray secret, int firstRetryMs, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_secret(std::move(secret))
    , m_firstRetryMs(firstRetryMs) {}

QByteArray AlertWebhook::signatureOf(const QByteArray &secret, const QByteArray &body) {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

void AlertWebhook::deliver(const QByteArray &body) {
    if (m_pending >= kMaxPending) {
        log::warning(kComponent, QStringLiteral("webhook.dropped"),
                     {{QStringLiteral("reason"), QStringLiteral("too many pending deliveries")}});
        return;
    }
    ++m_pending;
    attempt(body, 1);
}

void AlertWebhook::attempt(const QByteArray &body, int attemptNumber) {
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("User-Agent", "huntaze-relay-alerts");
    if (!m_secret.isEmpty())
        request.setRawHeader("X-Huntaze-Signature", signatureOf(m_secret, body));
    request.setTransferTimeout(kTimeoutMs);
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, body, attemptNumber] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            --m_pending;
            return;
        }
        if (attemptNumber >= kMaxAttempts) {
            --m_pending;
            log::warning(
                kComponent, QStringLiteral("webhook.gave_up"),
                {{QStringLiteral("status"), status}, {QStringLiteral("attempts"), attemptNumber}});
            return;
        }
        const int waitMs = m_firstRetryMs << (attemptNumber - 1);
        log::info(kComponent, QStringLiteral("webhook.retry"),
                  {{QStringLiteral("status"), status},
                   {QStringLiteral("attempt"), attemptNumber},
                   {QStringLiteral("wait_ms"), waitMs}});
        QTimer::singleShot(waitMs, this,
                           [this, body, attemptNumber] { attempt(body, attemptNumber + 1); });
    });
}

} // namespace huntaze::relay::alerts
