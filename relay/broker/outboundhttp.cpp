#include "outboundhttp.h"

#include "net/oneshotbody.h"
#include "platformcallmetrics.h"

#include <QElapsedTimer>
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

QByteArray OutboundHttp::Answer::header(const QByteArray &name) const {
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

void OutboundHttp::send(const oauth::OutgoingRequest &outgoing, Done done, Call call) {
    start(outgoing, std::move(call),
          [done](const Answer &answer) { done(answer.status, answer.body); });
}

void OutboundHttp::start(const oauth::OutgoingRequest &outgoing, Call call,
                         std::function<void(Answer)> done) {
    QMetaObject::invokeMethod(
        this,
        [this, outgoing, call, done] {
            QNetworkRequest request = outgoing.request;
            if (!request.hasRawHeader("User-Agent"))
                request.setRawHeader("User-Agent", "huntaze-relay");
            // Exchanges, refreshes and revokes must never be resent by Qt on its own: a
            // code is single use and a rotated refresh token dies when used twice.
            QNetworkReply *reply =
                net::sendOnce(*m_network, request, outgoing.method, outgoing.body);
            // A whole-request deadline (a transfer timeout only measures silence).
            QTimer::singleShot(kTimeoutMs, reply, &QNetworkReply::abort);
            QElapsedTimer clock;
            clock.start();
            connect(reply, &QNetworkReply::finished, this, [reply, call, clock, done] {
                reply->deleteLater();
                Answer answer;
                answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                answer.body = reply->readAll();
                answer.headers = reply->rawHeaderPairs();
                PlatformCallMetrics::record(call.provider, call.endpoint, call.retry, answer.status,
                                            double(clock.nsecsElapsed()) / 1e9, answer.headers);
                done(std::move(answer));
            });
        },
        Qt::QueuedConnection);
}

std::pair<int, QByteArray> OutboundHttp::sendAndWait(const oauth::OutgoingRequest &request,
                                                     Call call) {
    Answer answer = sendAndWaitWithHeaders(request, std::move(call));
    return {answer.status, std::move(answer.body)};
}

OutboundHttp::Answer OutboundHttp::sendAndWaitWithHeaders(const oauth::OutgoingRequest &request,
                                                          Call call) {
    Q_ASSERT(QThread::currentThread() != thread()); // would deadlock the event loop
    if (m_stopping)
        return {};
    auto promise = std::make_shared<std::promise<Answer>>();
    auto future = promise->get_future();
    start(request, std::move(call),
          [promise](Answer answer) { promise->set_value(std::move(answer)); });
    // The event loop answers (at the latest when it aborts the request); only a relay
    // shutting down, whose event loop is gone, stops the wait early.
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (m_stopping)
            return {};
    return future.get();
}

} // namespace huntaze::relay
