#pragma once

#include <QByteArray>
#include <QHash>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace sandbox {

// One HTTP request and the means to answer it, once. The socket is guarded: a client
// that went away is simply not answered (Qt 6.4's responder would crash writing to it).
class Exchange {
public:
    Exchange(QByteArray method, QString path, QUrlQuery query,
             QList<std::pair<QByteArray, QByteArray>> headers, QByteArray body,
             QHttpServerResponder &&responder, QTcpSocket *socket);

    const QByteArray &method() const { return m_method; }
    const QString &path() const { return m_path; }
    const QUrlQuery &query() const { return m_query; }
    QString queryValue(const QString &name) const;
    const QByteArray &body() const { return m_body; }
    // Case-insensitive; empty when absent.
    QByteArray header(const QByteArray &name) const;
    const QList<std::pair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    // The part of Authorization after "Bearer " (any case), or empty.
    QByteArray bearerToken() const;
    // Values captured from the route pattern, e.g. {id} in /upload/{id}.
    QString param(const QString &name) const { return m_params.value(name); }
    void setParams(QHash<QString, QString> params) { m_params = std::move(params); }

    // Body as JSON object; nullopt when it is not one.
    std::optional<QJsonObject> jsonBody() const;
    // application/x-www-form-urlencoded body.
    QUrlQuery formBody() const;

    void respond(int status, const QByteArray &body,
                 const QByteArray &contentType = "application/json",
                 const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    void respondJson(int status, const QJsonObject &object,
                     const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    void respondJson(int status, const QJsonDocument &document,
                     const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    void redirect(const QUrl &location);
    // Fault injection: hang up without answering.
    void drop();
    bool answered() const { return m_answered; }
    int status() const { return m_status; }
    // Fault injection (drop_after): the handler runs, but its answer becomes a hang-up.
    void setDropInsteadOfAnswer(bool drop) { m_dropInsteadOfAnswer = drop; }
    // Told the final status (or -1 for a drop) once, whenever the answer happens.
    void setOnAnswered(std::function<void(int status)> callback) {
        m_onAnswered = std::move(callback);
    }
    bool clientGone() const {
        return !m_socket || m_socket->state() != QAbstractSocket::ConnectedState;
    }

private:
    QByteArray m_method;
    QString m_path;
    QUrlQuery m_query;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QHash<QString, QString> m_params;
    std::optional<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_answered = false;
    bool m_dropInsteadOfAnswer = false;
    int m_status = 0;
    std::function<void(int)> m_onAnswered;
};

using ExchangePtr = std::shared_ptr<Exchange>;

} // namespace sandbox
