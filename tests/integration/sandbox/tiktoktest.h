#pragma once

// Helpers shared by the TikTok sandbox tests: plain Qt HTTP, written from the contract
// (shared/platforms/tiktok.md), never from the sandbox's code.

#include "httpclient.h"
#include "sandboxprocess.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

namespace tiktoktest {

using namespace huntaze::test;

inline const QString kClientKey = "sbx-tiktok-client";
inline const QString kClientSecret = "sbx-tiktok-secret";
inline const QString kRedirect = "http://127.0.0.1:8765/callback/";
inline const QString kAllScopes =
    "user.info.basic,user.info.profile,user.info.stats,video.upload,video.publish";

inline QString verifier(int length = 64, QChar fill = 'a') {
    QString v;
    for (int i = 0; i < length; ++i)
        v += (i % 3 == 0) ? fill : QChar('0' + i % 10);
    return v;
}

inline QString hexChallenge(const QString &verifier) {
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256).toHex());
}

inline QString base64UrlChallenge(const QString &verifier) {
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline QUrl authorizeUrl(const SandboxProcess &sandbox,
                         const QList<std::pair<QString, QString>> &items) {
    QUrl url = sandbox.url("/tiktok/v2/auth/authorize/");
    QUrlQuery query;
    for (const auto &[k, v] : items)
        query.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    url.setQuery(query);
    return url;
}

inline QList<std::pair<QString, QString>> authorizeItems(const QString &challenge,
                                                         const QString &scopes = kAllScopes,
                                                         const QString &redirect = kRedirect,
                                                         const QString &state = "st-1") {
    return {
        {"client_key", kClientKey},       {"response_type", "code"}, {"scope", scopes},
        {"redirect_uri", redirect},       {"state", state},          {"code_challenge", challenge},
        {"code_challenge_method", "S256"}};
}

inline QUrlQuery locationQuery(const HttpResult &result) {
    return QUrlQuery(QUrl::fromEncoded(result.header("Location")));
}

inline QString q(const QUrlQuery &query, const QString &name) {
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

inline HttpResult tokenRequest(HttpClient &http, const SandboxProcess &sandbox,
                               const QList<std::pair<QString, QString>> &items) {
    QUrlQuery form;
    for (const auto &[k, v] : items)
        form.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    return http.postForm(sandbox.url("/tiktok/v2/oauth/token/"), form);
}

// Approves as `user` and returns the callback's code (empty on failure).
inline QString approve(HttpClient &http, const SandboxProcess &sandbox, const QString &v,
                       const QString &scopes = kAllScopes, const QString &user = "tt-alice") {
    auto items = authorizeItems(hexChallenge(v), scopes);
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", user);
    const HttpResult result = http.get(authorizeUrl(sandbox, items));
    if (result.status != 302)
        return {};
    return q(locationQuery(result), "code");
}

inline HttpResult exchange(HttpClient &http, const SandboxProcess &sandbox, const QString &code,
                           const QString &v, const QString &redirect = kRedirect) {
    return tokenRequest(http, sandbox,
                        {{"client_key", kClientKey},
                         {"client_secret", kClientSecret},
                         {"code", code},
                         {"grant_type", "authorization_code"},
                         {"redirect_uri", redirect},
                         {"code_verifier", v}});
}

// A fresh token set for `user` with `scopes`.
inline QJsonObject connectUser(HttpClient &http, const SandboxProcess &sandbox,
                               const QString &user = "tt-alice",
                               const QString &scopes = kAllScopes) {
    const QString v = verifier(50, 'x');
    const QString code = approve(http, sandbox, v, scopes, user);
    return exchange(http, sandbox, code, v).json();
}

inline HttpClient::Headers bearer(const QString &token) {
    return {{"Authorization", "Bearer " + token.toUtf8()},
            {"Content-Type", "application/json; charset=UTF-8"}};
}

inline HttpResult apiPost(HttpClient &http, const SandboxProcess &sandbox, const QString &path,
                          const QString &token, const QJsonObject &body) {
    return http.post(sandbox.url(path), QJsonDocument(body).toJson(QJsonDocument::Compact),
                     "application/json; charset=UTF-8",
                     {{"Authorization", "Bearer " + token.toUtf8()}});
}

inline QString errorCode(const HttpResult &result) {
    return result.json()["error"].toObject()["code"].toString();
}

inline void advance(HttpClient &http, const SandboxProcess &sandbox, double seconds) {
    QCOMPARE(http.postJson(sandbox.url("/_admin/clock"), {{"advance_seconds", seconds}}).status,
             200);
}

inline QJsonObject fileSource(qint64 size, qint64 chunk, qint64 count) {
    return {{"source", "FILE_UPLOAD"},
            {"video_size", double(size)},
            {"chunk_size", double(chunk)},
            {"total_chunk_count", double(count)}};
}

inline QJsonObject urlSource(const QString &url) {
    return {{"source", "PULL_FROM_URL"}, {"video_url", url}};
}

} // namespace tiktoktest
