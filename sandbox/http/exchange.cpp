#include "exchange.h"

namespace sandbox {

Exchange::Exchange(QByteArray method, QString path, QUrlQuery query,
                   QList<std::pair<QByteArray, QByteArray>> headers, QByteArray body,
                   QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_method(std::move(method))
    , m_path(std::move(path))
    , m_query(std::move(query))
    , m_headers(std::move(headers))
    , m_body(std::move(body))
    , m_responder(std::move(responder))
    , m_socket(socket) {}

QString Exchange::queryValue(const QString &name) const {
    return m_query.queryItemValue(name, QUrl::FullyDecoded);
}

QByteArray Exchange::header(const QByteArray &name) const {
    for (const auto &[key, value] : m_headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QByteArray Exchange::bearerToken() const {
    const QByteArray authorization = header("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return authorization.mid(7).trimmed();
    return {};
}

std::optional<QJsonObject> Exchange::jsonBody() const {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(m_body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QUrlQuery Exchange::formBody() const {
    // '+' means space in form bodies; QUrlQuery leaves it alone.
    QByteArray text = m_body;
    text.replace('+', "%20");
    return QUrlQuery(QString::fromUtf8(text));
}

void Exchange::respond(int status, const QByteArray &body, const QByteArray &contentType,
                       const QList<std::pair<QByteArray, QByteArray>> &headers) {
    if (m_answered)
        return;
    if (m_dropInsteadOfAnswer) {
        drop();
        return;
    }
    m_answered = true;
    m_status = status;
    if (m_onAnswered)
        m_onAnswered(status);
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState || !m_responder)
        return;
    QHttpServerResponder &responder = *m_responder;
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader("Content-Type", contentType);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeBody(body);
}

void Exchange::respondJson(int status, const QJsonObject &object,
                           const QList<std::pair<QByteArray, QByteArray>> &headers) {
    respond(status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json",
            headers);
}

void Exchange::respondJson(int status, const QJsonDocument &document,
                           const QList<std::pair<QByteArray, QByteArray>> &headers) {
    respond(status, document.toJson(QJsonDocument::Compact), "application/json", headers);
}

void Exchange::redirect(const QUrl &location) {
    respond(302, QByteArray(), "text/plain", {{"Location", location.toEncoded()}});
}

void Exchange::drop() {
    if (m_answered)
        return;
    m_answered = true;
    m_status = -1;
    if (m_onAnswered)
        m_onAnswered(-1);
    if (m_socket)
        m_socket->abort();
}

} // namespace sandbox
