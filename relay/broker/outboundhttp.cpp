#include "outboundhttp.h"

#include "net/oneshotbody.h"

#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <future>

namespace huntaze::relay {

namespace {
constexpr int kTimeoutMs = 20'000;
}

OutboundHttp::OutboundHttp(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this)) {}

void OutboundHttp::send(const oauth::OutgoingRequest &outgoing, Done done) {
    QMetaObject::invokeMethod(
        this,
        [this, outgoing, done] {
            QNetworkRequest request = outgoing.request;
            if (!request.hasRawHeader("User-Agent"))
                request.setRawHeader("User-Agent", "huntaze-relay");
            // Exchanges, refreshes and revokes must never be resent by Qt on its own: a
            // code is single use and a rotated refresh token dies when used twice.
            QNetworkReply *reply =
                net::sendOnce(*m_network, request, outgoing.method, outgoing.body);
            // A whole-request deadline (a transfer timeout only measures silence).
            QTimer::singleShot(kTimeoutMs, reply, &QNetworkReply::abort);
            connect(reply, &QNetworkReply::finished, this, [reply, done] {
                reply->deleteLater();
                done(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                     reply->readAll());
            });
        },
        Qt::QueuedConnection);
}

std::pair<int, QByteArray> OutboundHttp::sendAndWait(const oauth::OutgoingRequest &request) {
    Q_ASSERT(QThread::currentThread() != thread()); // would deadlock the event loop
    if (m_stopping)
        return {0, {}};
    auto promise = std::make_shared<std::promise<std::pair<int, QByteArray>>>();
    auto future = promise->get_future();
    send(request, [promise](int status, const QByteArray &body) {
        promise->set_value({status, body});
    });
    // The event loop answers (at the latest when it aborts the request); only a relay
    // shutting down, whose event loop is gone, stops the wait early.
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (m_stopping)
            return {0, {}};
    return future.get();
}

} // namespace huntaze::relay
