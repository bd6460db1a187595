#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

namespace huntaze::relay::alerts {

// Posts alert events as JSON to the operator's URL (HUNTAZE_ALERT_WEBHOOK_URL), signed
// with HMAC-SHA256 of the body in X-Huntaze-Signature ("sha256=<hex>") when a secret is
// set. Asynchronous on the event loop: never blocks the relay. A delivery that gets no
// 2xx is retried with doubling waits (1 s, 2 s, ... ) up to kMaxAttempts; at most
// kMaxPending deliveries wait at once (a flood drops the newest, logged).
class AlertWebhook : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxAttempts = 6;
    static constexpr int kMaxPending = 100;
    static constexpr int kTimeoutMs = 10'000;
    AlertWebhook(QUrl url, QByteArray secret, int firstRetryMs = 1000, QObject *parent = nullptr);
    void deliver(const QByteArray &body);
    static QByteArray signatureOf(const QByteArray &secret, const QByteArray &body);

private:
    void attempt(const QByteArray &body, int attemptNumber);
    QUrl m_url;
    QByteArray m_secret;
    int m_firstRetryMs;
    int m_pending = 0;
    QNetworkAccessManager m_network;
};

} // namespace huntaze::relay::alerts
