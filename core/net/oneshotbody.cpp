#include "oneshotbody.h"

#include <cstring>

namespace huntaze::net {

OneShotBody::OneShotBody(QByteArray data, QObject *parent)
    : QIODevice(parent)
    , m_data(std::move(data)) {
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

qint64 OneShotBody::bytesAvailable() const {
    return (m_data.size() - m_position) + QIODevice::bytesAvailable();
}

qint64 OneShotBody::readData(char *data, qint64 maxSize) {
    const qint64 n = std::min<qint64>(maxSize, m_data.size() - m_position);
    if (n <= 0)
        return -1; // end of the body
    std::memcpy(data, m_data.constData() + m_position, size_t(n));
    m_position += n;
    return n;
}

QNetworkReply *sendOnce(QNetworkAccessManager &network, QNetworkRequest request,
                        const QByteArray &method, const QByteArray &body) {
    if (method == "GET" || method == "HEAD")
        return network.sendCustomRequest(request, method);
    auto *once = new OneShotBody(body);
    request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    QNetworkReply *reply = network.sendCustomRequest(request, method, once);
    once->setParent(reply);
    return reply;
}

} // namespace huntaze::net
