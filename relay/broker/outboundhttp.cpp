#include "outboundhttp.h"

#include <QNetworkReply>
#include <QThread>

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
            request.setTransferTimeout(kTimeoutMs);
            if (!request.hasRawHeader("User-Agent"))
                request.setRawHeader("User-Agent", "huntaze-relay");
            QNetworkReply *reply =
                m_network->sendCustomRequest(request, outgoing.method, outgoing.body);
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
    auto promise = std::make_shared<std::promise<std::pair<int, QByteArray>>>();
    auto future = promise->get_future();
    send(request, [promise](int status, const QByteArray &body) {
        promise->set_value({status, body});
    });
    if (future.wait_for(std::chrono::milliseconds(kTimeoutMs + 5000)) != std::future_status::ready)
        return {0, {}};
    return future.get();
}

} // namespace huntaze::relay
