#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>
#include <QUrlQuery>

namespace huntaze::test {

struct HttpResult {
    int status = 0; // 0: no HTTP answer (connection refused, dropped, timed out)
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QString error;

    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonDocument document() const { return QJsonDocument::fromJson(body); }
};

// Plain, synchronous HTTP for tests (spins a local event loop). Redirects are never
// followed: tests look at Location themselves.
class HttpClient {
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    HttpResult get(const QUrl &url, const Headers &headers = {}, int timeoutMs = 15000);
    HttpResult post(const QUrl &url, const QByteArray &body, const QByteArray &contentType,
                    const Headers &headers = {}, int timeoutMs = 15000);
    HttpResult postJson(const QUrl &url, const QJsonObject &body, const Headers &headers = {});
    HttpResult postForm(const QUrl &url, const QUrlQuery &form, const Headers &headers = {});
    HttpResult put(const QUrl &url, const QByteArray &body, const Headers &headers = {},
                   int timeoutMs = 60000);
    HttpResult send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                    const Headers &headers, int timeoutMs);

    static QByteArray formEncode(const QUrlQuery &form);

private:
    QNetworkAccessManager m_manager;
};

} // namespace huntaze::test
