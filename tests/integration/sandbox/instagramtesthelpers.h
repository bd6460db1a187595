#pragma once

// Shared steps of the Instagram sandbox tests, spoken over plain HTTP: log in through
// the non-interactive dialog, exchange the code, get long-lived and Page tokens.

#include "httpclient.h"
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUrlQuery>

namespace igtest {

using huntaze::test::HttpClient;
using huntaze::test::HttpResult;
using huntaze::test::SandboxProcess;

inline const QString kGraph = "/instagram/v25.0";
inline const QString kClientId = "sbx-instagram-client";
inline const QString kSecret = "sbx-instagram-secret";
inline const QString kLoopback = "http://localhost:7777/callback";
inline const QString kAlex = "1000000000001";
inline const QString kAlexPage = "2000000000001";
inline const QString kAlexIg = "17841400000000001";
inline const QStringList kAllScopes{"instagram_basic",           "pages_show_list",
                                    "pages_read_engagement",     "instagram_content_publish",
                                    "instagram_manage_insights", "instagram_manage_comments",
                                    "pages_manage_metadata"};

inline QUrl dialogUrl(SandboxProcess &sandbox, const QString &redirect, const QStringList &scopes,
                      const QList<QPair<QString, QString>> &extra) {
    QUrl url = sandbox.url(kGraph + "/dialog/oauth");
    QUrlQuery q;
    q.addQueryItem("client_id", kClientId);
    q.addQueryItem("redirect_uri", redirect);
    q.addQueryItem("state", "st-123");
    q.addQueryItem("response_type", "code");
    q.addQueryItem("scope", scopes.join(','));
    for (const auto &[k, v] : extra)
        q.addQueryItem(k, v);
    url.setQuery(q);
    return url;
}

inline QUrlQuery redirectQuery(const HttpResult &result) {
    return QUrlQuery(QUrl(QString::fromUtf8(result.header("Location"))));
}

// Approves as `user` granting `granted` (empty: all requested) and returns the code.
inline QString authorize(HttpClient &http, SandboxProcess &sandbox, const QString &user,
                         const QStringList &granted = {}) {
    QList<QPair<QString, QString>> extra{{"sandbox_decision", "approve"}, {"sandbox_user", user}};
    if (!granted.isEmpty())
        extra.append({"sandbox_scopes", granted.join(',')});
    const auto result = http.get(dialogUrl(sandbox, kLoopback, kAllScopes, extra));
    if (result.status != 302)
        return {};
    return redirectQuery(result).queryItemValue("code");
}

inline HttpResult exchangeCode(HttpClient &http, SandboxProcess &sandbox, const QString &code,
                               const QString &redirect = kLoopback,
                               const QString &secret = kSecret) {
    QUrl url = sandbox.url(kGraph + "/oauth/access_token");
    QUrlQuery q;
    q.addQueryItem("client_id", kClientId);
    q.addQueryItem("redirect_uri", redirect);
    q.addQueryItem("client_secret", secret);
    q.addQueryItem("code", code);
    url.setQuery(q);
    return http.get(url);
}

inline HttpResult exchangeLong(HttpClient &http, SandboxProcess &sandbox, const QString &token) {
    QUrl url = sandbox.url(kGraph + "/oauth/access_token");
    QUrlQuery q;
    q.addQueryItem("grant_type", "fb_exchange_token");
    q.addQueryItem("client_id", kClientId);
    q.addQueryItem("client_secret", kSecret);
    q.addQueryItem("fb_exchange_token", token);
    url.setQuery(q);
    return http.get(url);
}

// GET <graph><path>?<query>&access_token=<token>
inline HttpResult graphGet(HttpClient &http, SandboxProcess &sandbox, const QString &path,
                           const QString &token, const QString &query = {}) {
    QUrl url = sandbox.url(kGraph + path);
    QUrlQuery q(query);
    if (!token.isEmpty())
        q.addQueryItem("access_token", token);
    url.setQuery(q);
    return http.get(url);
}

// POST <graph><path> with a urlencoded form (access_token included).
inline HttpResult graphPost(HttpClient &http, SandboxProcess &sandbox, const QString &path,
                            const QString &token, QUrlQuery form = {}) {
    if (!token.isEmpty())
        form.addQueryItem("access_token", token);
    return http.postForm(sandbox.url(kGraph + path), form);
}

struct Session {
    QString shortToken;
    QString longToken;
    QString pageToken;
};

inline Session login(HttpClient &http, SandboxProcess &sandbox, const QString &user = kAlex,
                     const QStringList &granted = {}) {
    Session s;
    const QString code = authorize(http, sandbox, user, granted);
    s.shortToken = exchangeCode(http, sandbox, code).json()["access_token"].toString();
    s.longToken = exchangeLong(http, sandbox, s.shortToken).json()["access_token"].toString();
    const auto pages =
        graphGet(http, sandbox, "/me/accounts", s.longToken, "fields=id,access_token");
    const QJsonArray data = pages.json()["data"].toArray();
    if (!data.isEmpty())
        s.pageToken = data.first().toObject()["access_token"].toString();
    return s;
}

inline QJsonObject error(const HttpResult &result) {
    return result.json()["error"].toObject();
}

inline bool admin(HttpClient &http, SandboxProcess &sandbox, const QString &path,
                  const QJsonObject &body) {
    return http.postJson(sandbox.url("/_admin/instagram" + path), body).status == 200;
}

inline bool advance(HttpClient &http, SandboxProcess &sandbox, int seconds) {
    return http.postJson(sandbox.url("/_admin/clock"), {{"advance_seconds", seconds}}).status ==
           200;
}

// Polls the container until its status_code is `status` (real time; generous).
inline bool waitForStatus(HttpClient &http, SandboxProcess &sandbox, const QString &container,
                          const QString &token, const QString &status) {
    for (int i = 0; i < 100; ++i) {
        const auto r = graphGet(http, sandbox, "/" + container, token, "fields=status_code");
        if (r.json()["status_code"].toString() == status)
            return true;
        QTest::qWait(50);
    }
    return false;
}

inline QByteArray hubSignature(const QByteArray &body) {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, kSecret.toUtf8(), QCryptographicHash::Sha256)
               .toHex();
}

} // namespace igtest
