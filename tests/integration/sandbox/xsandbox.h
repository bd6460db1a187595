#pragma once

// Shared steps of the X sandbox tests, written against the contract with plain Qt
// requests (never core's clients): PKCE, the authorize redirect, the token exchange.

#include "httpclient.h"
#include "sandboxprocess.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QUrlQuery>

namespace xtest {

using namespace huntaze::test;

inline const QString kClientId = "sbx-x-client";
inline const QString kClientSecret = "sbx-x-secret";
inline const QString kRedirect = "http://127.0.0.1:53682/x/callback";
inline const QString kCreator = "1500000000000000001";
inline const QString kBrand = "1500000000000000002";
inline const QString kAllScopes = "tweet.read tweet.write users.read media.write offline.access";
inline const QByteArray kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox-verifier";

// RFC 7636 S256: base64url, no padding, of SHA-256(verifier).
inline QString s256(const QByteArray &verifier) {
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline HttpClient::Headers basicAuth(const QString &id = kClientId,
                                     const QString &secret = kClientSecret) {
    return {{"Authorization", "Basic " + (id + ":" + secret).toUtf8().toBase64()}};
}

inline HttpClient::Headers bearer(const QString &token) {
    return {{"Authorization", "Bearer " + token.toUtf8()}};
}

inline QUrl authorizeUrl(const SandboxProcess &sandbox,
                         const QList<std::pair<QString, QString>> &overrides,
                         const QStringList &remove = {}) {
    QList<std::pair<QString, QString>> items{{"response_type", "code"},
                                             {"client_id", kClientId},
                                             {"redirect_uri", kRedirect},
                                             {"scope", kAllScopes},
                                             {"state", "state-123"},
                                             {"code_challenge", s256(kVerifier)},
                                             {"code_challenge_method", "S256"},
                                             {"sandbox_decision", "approve"},
                                             {"sandbox_user", kCreator}};
    for (const auto &[key, value] : overrides) {
        bool replaced = false;
        for (auto &item : items)
            if (item.first == key) {
                item.second = value;
                replaced = true;
            }
        if (!replaced)
            items.append({key, value});
    }
    QUrlQuery query;
    for (const auto &[key, value] : items)
        if (!remove.contains(key))
            query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    QUrl url = sandbox.url("/x/i/oauth2/authorize");
    url.setQuery(query);
    return url;
}

inline QUrlQuery redirectQuery(const HttpResult &result) {
    return QUrlQuery(QUrl::fromEncoded(result.header("Location")));
}

// Approves the authorization and returns the code (empty on failure).
inline QString obtainCode(HttpClient &http, const SandboxProcess &sandbox,
                          const QList<std::pair<QString, QString>> &overrides = {}) {
    const auto result = http.get(authorizeUrl(sandbox, overrides));
    if (result.status != 302)
        return {};
    return redirectQuery(result).queryItemValue("code", QUrl::FullyDecoded);
}

inline HttpResult exchangeCode(HttpClient &http, const SandboxProcess &sandbox, const QString &code,
                               const QByteArray &verifier = kVerifier,
                               const QString &redirect = kRedirect) {
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("code", code);
    form.addQueryItem("redirect_uri", redirect);
    form.addQueryItem("code_verifier", QString::fromLatin1(verifier));
    return http.postForm(sandbox.url("/x/2/oauth2/token"), form, basicAuth());
}

// A fresh access token (and refresh token) for a test user.
inline QJsonObject login(HttpClient &http, const SandboxProcess &sandbox,
                         const QString &scopes = kAllScopes, const QString &user = kCreator) {
    const QString code = obtainCode(http, sandbox, {{"scope", scopes}, {"sandbox_user", user}});
    return exchangeCode(http, sandbox, code).json();
}

inline QByteArray multipart(const QByteArray &boundary,
                            const QList<std::pair<QByteArray, QByteArray>> &fields) {
    QByteArray body;
    for (const auto &[name, value] : fields) {
        body += "--" + boundary + "\r\n";
        if (name == "media")
            body += "Content-Disposition: form-data; name=\"media\"; filename=\"blob\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n";
        else
            body += "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
        body += value + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

inline HttpResult appendSegment(HttpClient &http, const SandboxProcess &sandbox,
                                const QString &token, const QString &mediaId,
                                const QByteArray &index, const QByteArray &bytes) {
    const QByteArray boundary = "xsandboxboundary42";
    QList<std::pair<QByteArray, QByteArray>> fields;
    if (!index.isNull())
        fields.append({"segment_index", index});
    if (!bytes.isNull())
        fields.append({"media", bytes});
    return http.post(sandbox.url("/x/2/media/upload/" + mediaId + "/append"),
                     multipart(boundary, fields), "multipart/form-data; boundary=" + boundary,
                     bearer(token));
}

// A file of `size` bytes that starts like `mediaType`.
inline QByteArray fakeFile(const QString &mediaType, qsizetype size) {
    QByteArray head;
    if (mediaType == "image/jpeg")
        head = QByteArray("\xFF\xD8\xFF\xE0", 4);
    else if (mediaType == "image/png")
        head = QByteArray("\x89PNG\r\n\x1A\n", 8);
    else if (mediaType == "image/gif")
        head = "GIF89a";
    else
        head = QByteArray("\x00\x00\x00\x18"
                          "ftypmp42",
                          12);
    QByteArray bytes = head;
    bytes.reserve(size);
    for (qsizetype i = bytes.size(); i < size; ++i)
        bytes.append(char((i * 31 + 7) % 251));
    return bytes.left(size);
}

// initialize + append (in chunks) + finalize; returns the finalize answer.
inline HttpResult uploadMedia(HttpClient &http, const SandboxProcess &sandbox, const QString &token,
                              const QString &mediaType, const QString &category,
                              const QByteArray &bytes, qsizetype chunk = 1 << 20) {
    const auto init = http.postJson(sandbox.url("/x/2/media/upload/initialize"),
                                    {{"media_type", mediaType},
                                     {"total_bytes", double(bytes.size())},
                                     {"media_category", category}},
                                    bearer(token));
    if (init.status != 200)
        return init;
    const QString id = init.json()["data"].toObject()["id"].toString();
    int index = 0;
    for (qsizetype offset = 0; offset < bytes.size(); offset += chunk, ++index) {
        const auto appended = appendSegment(http, sandbox, token, id, QByteArray::number(index),
                                            bytes.mid(offset, chunk));
        if (appended.status != 200)
            return appended;
    }
    return http.post(sandbox.url("/x/2/media/upload/" + id + "/finalize"), {}, "application/json",
                     bearer(token));
}

inline HttpResult advance(HttpClient &http, const SandboxProcess &sandbox, double seconds) {
    return http.postJson(sandbox.url("/_admin/clock"), {{"advance_seconds", seconds}});
}

} // namespace xtest
