#pragma once

// Shared steps of the Reddit sandbox tests: plain HTTP, written from the contract
// (shared/platforms/reddit.md), never from core's client.

#include "httpclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

namespace reddit_test {

using namespace huntaze::test;

inline const QByteArray kUserAgent = "desktop:com.huntaze.sandboxtest:1.0 (by /u/sbx_alice)";
inline const QString kRedirect = "http://127.0.0.1:65010/reddit/callback";
inline const QString kClientId = "sbx-reddit-client";

inline QByteArray basicAuth(const QByteArray &user = "sbx-reddit-client",
                            const QByteArray &password = "") {
    return "Basic " + (user + ':' + password).toBase64();
}

inline QUrlQuery authorizeQuery(const QString &scope = "identity submit read history",
                                const QString &duration = "permanent") {
    QUrlQuery q;
    q.addQueryItem("client_id", kClientId);
    q.addQueryItem("response_type", "code");
    q.addQueryItem("state", "st-123");
    q.addQueryItem("redirect_uri", QString::fromLatin1(QUrl::toPercentEncoding(kRedirect)));
    q.addQueryItem("duration", duration);
    q.addQueryItem("scope", QString::fromLatin1(QUrl::toPercentEncoding(scope)));
    return q;
}

inline QUrl authorizeUrl(SandboxProcess &sandbox, const QUrlQuery &query,
                         const QString &path = "/reddit/api/v1/authorize") {
    QUrl url = sandbox.url(path);
    url.setQuery(query);
    return url;
}

// The callback's query items (code/state/error), from a 302 Location.
inline QUrlQuery callbackQuery(const HttpResult &result) {
    return QUrlQuery(QUrl(QString::fromUtf8(result.header("Location"))));
}

inline QString approve(HttpClient &http, SandboxProcess &sandbox,
                       const QString &scope = "identity submit read history",
                       const QString &duration = "permanent", const QString &user = "sbx1a") {
    QUrlQuery q = authorizeQuery(scope, duration);
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", user);
    const auto result = http.get(authorizeUrl(sandbox, q));
    if (result.status != 302)
        return {};
    return callbackQuery(result).queryItemValue("code");
}

inline HttpResult tokenRequest(HttpClient &http, SandboxProcess &sandbox, const QUrlQuery &form,
                               const QByteArray &authorization = basicAuth()) {
    HttpClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    return http.postForm(sandbox.url("/reddit/api/v1/access_token"), form, headers);
}

inline QJsonObject exchangeCode(HttpClient &http, SandboxProcess &sandbox, const QString &code) {
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("code", code);
    form.addQueryItem("redirect_uri", kRedirect);
    return tokenRequest(http, sandbox, form).json();
}

inline QString login(HttpClient &http, SandboxProcess &sandbox,
                     const QString &scope = "identity submit read history",
                     const QString &user = "sbx1a") {
    return exchangeCode(http, sandbox, approve(http, sandbox, scope, "permanent", user))
        .value("access_token")
        .toString();
}

inline HttpClient::Headers api(const QString &token, const QByteArray &agent = kUserAgent) {
    HttpClient::Headers headers{{"Authorization", "bearer " + token.toUtf8()}};
    if (!agent.isNull())
        headers.append({"User-Agent", agent});
    return headers;
}

inline bool advance(HttpClient &http, SandboxProcess &sandbox, int seconds) {
    return http.postJson(sandbox.url("/_admin/clock"), {{"advance_seconds", seconds}}).status ==
           200;
}

inline HttpResult submit(HttpClient &http, SandboxProcess &sandbox, const QString &token,
                         const QList<std::pair<QString, QString>> &fields) {
    QUrlQuery form;
    form.addQueryItem("api_type", "json");
    for (const auto &[key, value] : fields)
        form.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return http.postForm(sandbox.url("/reddit/api/submit"), form, api(token));
}

// The first json.errors entry's code, or empty.
inline QString firstErrorCode(const HttpResult &result) {
    return result.json()["json"].toObject()["errors"].toArray().at(0).toArray().at(0).toString();
}

} // namespace reddit_test
