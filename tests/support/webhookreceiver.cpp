#include "webhookreceiver.h"

#include <QDeadlineTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTest>

namespace huntaze::test {

QByteArray WebhookReceiver::Received::header(const QByteArray &name) const {
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

WebhookReceiver::WebhookReceiver() {
    m_server.route("/<arg>", [this](const QUrl &, const QHttpServerRequest &request) {
        Received received;
        received.method = request.method() == QHttpServerRequest::Method::Post  ? "POST"
                          : request.method() == QHttpServerRequest::Method::Get ? "GET"
                                                                                : "OTHER";
        received.path = request.url().path();
        received.query = request.query().toString(QUrl::FullyEncoded);
        for (const auto &[name, value] : request.headers())
            received.headers.append({name, value});
        received.body = request.body();
        m_received.append(received);
        if (m_failRemaining > 0) {
            --m_failRemaining;
            return QHttpServerResponse(QByteArray("failing on purpose"),
                                       static_cast<QHttpServerResponder::StatusCode>(m_failStatus));
        }
        return QHttpServerResponse(QByteArray("ok"), QHttpServerResponder::StatusCode::Ok);
    });
    m_port = m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
}

QUrl WebhookReceiver::url() const {
    return QUrl(QString("http://127.0.0.1:%1").arg(m_port));
}

void WebhookReceiver::failNext(int times, int status) {
    m_failRemaining = times;
    m_failStatus = status;
}

bool WebhookReceiver::waitFor(qsizetype count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_received.size() < count && !deadline.hasExpired())
        QTest::qWait(20);
    return m_received.size() >= count;
}

} // namespace huntaze::test
