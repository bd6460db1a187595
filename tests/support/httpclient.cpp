#include "httpclient.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QTimer>

namespace huntaze::test {

QByteArray HttpResult::header(const QByteArray &name) const {
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QByteArray HttpClient::formEncode(const QUrlQuery &form) {
    QByteArray out;
    for (const auto &[key, value] : form.queryItems(QUrl::FullyDecoded)) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

HttpResult HttpClient::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                            const Headers &headers, int timeoutMs) {
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.append({pair.first, pair.second});
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.error = reply->errorString();
    reply->abort();
    delete reply;
    return result;
}

HttpResult HttpClient::get(const QUrl &url, const Headers &headers, int timeoutMs) {
    return send("GET", url, {}, headers, timeoutMs);
}

HttpResult HttpClient::post(const QUrl &url, const QByteArray &body, const QByteArray &contentType,
                            const Headers &headers, int timeoutMs) {
    Headers all = headers;
    all.append({"Content-Type", contentType});
    return send("POST", url, body, all, timeoutMs);
}

HttpResult HttpClient::postJson(const QUrl &url, const QJsonObject &body, const Headers &headers) {
    return post(url, QJsonDocument(body).toJson(QJsonDocument::Compact),
                "application/json; charset=UTF-8", headers);
}

HttpResult HttpClient::postForm(const QUrl &url, const QUrlQuery &form, const Headers &headers) {
    return post(url, formEncode(form), "application/x-www-form-urlencoded", headers);
}

HttpResult HttpClient::put(const QUrl &url, const QByteArray &body, const Headers &headers,
                           int timeoutMs) {
    return send("PUT", url, body, headers, timeoutMs);
}

} // namespace huntaze::test
