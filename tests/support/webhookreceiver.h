#pragma once

#include <QByteArray>
#include <QHttpServer>
#include <QList>
#include <QUrl>

namespace huntaze::test {

// Stands where the relay would: records every request the sandbox sends (raw body and
// headers, for independent signature checks) and answers with a scripted status.
class WebhookReceiver {
public:
    struct Received {
        QByteArray method;
        QString path;
        QString query;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray header(const QByteArray &name) const;
    };

    WebhookReceiver();
    QUrl url() const;
    // Answers the next `times` requests with `status` (then 200 again).
    void failNext(int times, int status = 503);
    const QList<Received> &received() const { return m_received; }
    void clear() { m_received.clear(); }
    // Spins the event loop until at least `count` requests arrived or the timeout.
    bool waitFor(qsizetype count, int timeoutMs = 10000);

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QList<Received> m_received;
    int m_failRemaining = 0;
    int m_failStatus = 503;
};

} // namespace huntaze::test
