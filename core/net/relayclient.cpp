#include "relayclient.h"

#include "oneshotbody.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>

#include <memory>

namespace huntaze::net {

namespace {
constexpr int kTimeoutMs = 60'000; // the relay itself waits up to 20 s on a platform
constexpr qint64 kMaxHostedBytes = 8 * 1024 * 1024; // the relay's media host takes no more
} // namespace

RelayClient::RelayClient(QUrl relayUrl, QObject *parent)
    : QObject(parent)
    , m_relayUrl(std::move(relayUrl)) {}

Error RelayClient::errorFor(int httpStatus, const QByteArray &body, const QString &networkError,
                            const QUrl &relay) {
    Error error;
    error.domain = QStringLiteral("relay");
    error.httpStatus = httpStatus;
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    // The relay answers {"error": code, "message"}; a nested {"error": {"code", "message"}}
    // is read too, so a route answering either way still reaches the creator in its words.
    const QJsonValue errorValue = answer.value(QStringLiteral("error"));
    const QJsonObject nested = errorValue.toObject();
    error.code = errorValue.isObject() ? nested.value(QStringLiteral("code")).toString()
                                       : errorValue.toString();
    const QString relayMessage = errorValue.isObject()
                                     ? nested.value(QStringLiteral("message")).toString()
                                     : answer.value(QStringLiteral("message")).toString();
    error.detail = networkError;
    if (httpStatus == 0) {
        error.code = QStringLiteral("unreachable");
        error.message =
            QObject::tr("Cannot reach the relay at %1. Check the address and your connection; "
                        "Huntaze will keep trying.")
                .arg(relay.authority());
        error.retryable = true;
        return error;
    }
    error.retryable =
        httpStatus == 429 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
    if (httpStatus == 401 && error.code == QLatin1String("unauthorized"))
        error.message =
            QObject::tr("This computer is not paired with the relay (or was unpaired). Pair it "
                        "again in Settings.");
    else
        error.message = relayMessage;
    if (error.message.isEmpty())
        error.message = QObject::tr("The relay answered %1; try again.").arg(httpStatus);
    return error;
}

void RelayClient::call(const QByteArray &method, const QString &path, const QJsonObject &body,
                       Reply reply, const QUrlQuery &query) {
    QUrl url = m_relayUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(kTimeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_credential.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_credential);
    const QByteArray payload =
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    // Pairing codes and OAuth codes are single use: Qt must not resend on its own.
    QNetworkReply *pending = sendOnce(m_network, request, method, payload);
    connect(pending, &QNetworkReply::finished, this, [this, pending, reply] {
        pending->deleteLater();
        const int status = pending->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = pending->readAll();
        if (status == 200) {
            reply(QJsonDocument::fromJson(answer).object());
            return;
        }
        reply(errorFor(status, answer, pending->errorString(), m_relayUrl));
    });
}

void RelayClient::pair(const QString &code, const QString &deviceName, Reply reply) {
    call("POST", QStringLiteral("/v1/devices/pair"),
         {{QStringLiteral("code"), code}, {QStringLiteral("name"), deviceName}}, std::move(reply));
}

void RelayClient::platforms(Reply reply) {
    call("GET", QStringLiteral("/v1/platforms"), {}, std::move(reply));
}

void RelayClient::exchange(const QString &provider, const QString &code,
                           const QString &codeVerifier, const QString &redirectUri, Reply reply) {
    call("POST", QStringLiteral("/v1/oauth/%1/exchange").arg(provider),
         {{QStringLiteral("code"), code},
          {QStringLiteral("code_verifier"), codeVerifier},
          {QStringLiteral("redirect_uri"), redirectUri}},
         std::move(reply));
}

void RelayClient::accessToken(qint64 accountId, bool refresh, Reply reply) {
    QJsonObject body{{QStringLiteral("account_id"), accountId}};
    if (refresh)
        body.insert(QStringLiteral("refresh"), true);
    call("POST", QStringLiteral("/v1/oauth/token"), body, std::move(reply));
}

void RelayClient::disconnect(qint64 accountId, Reply reply) {
    call("POST", QStringLiteral("/v1/oauth/revoke"), {{QStringLiteral("account_id"), accountId}},
         std::move(reply));
}

void RelayClient::replyToInstagramComment(const QString &commentId, const QString &message,
                                          Reply reply) {
    call("POST", QStringLiteral("/v1/instagram/comments/reply"),
         {{QStringLiteral("comment_id"), commentId}, {QStringLiteral("message"), message}},
         std::move(reply));
}

void RelayClient::hideInstagramComment(const QString &commentId, bool hide, Reply reply) {
    call("POST", QStringLiteral("/v1/instagram/comments/hide"),
         {{QStringLiteral("comment_id"), commentId}, {QStringLiteral("hide"), hide}},
         std::move(reply));
}

void RelayClient::instagramAccounts(qint64 accountId, Reply reply) {
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("account_id"), QString::number(accountId));
    call("GET", QStringLiteral("/v1/instagram/accounts"), {}, std::move(reply), query);
}

void RelayClient::selectInstagramAccounts(qint64 accountId, const QStringList &igBusinessIds,
                                          Reply reply) {
    call("POST", QStringLiteral("/v1/instagram/accounts/select"),
         {{QStringLiteral("account_id"), accountId},
          {QStringLiteral("ig_business_ids"), QJsonArray::fromStringList(igBusinessIds)}},
         std::move(reply));
}

void RelayClient::hostMedia(const QString &path, Reply reply) {
    const auto unreadable = [&path](const QString &why) {
        Error error;
        error.domain = QStringLiteral("relay");
        error.code = QStringLiteral("file_unreadable");
        error.message = QObject::tr("Cannot read the photo %1 (%2): it may have been moved, "
                                    "changed or deleted.")
                            .arg(QFileInfo(path).fileName(), why);
        return error;
    };
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return reply(unreadable(file->errorString()));
    if (file->size() > kMaxHostedBytes) {
        Error error = unreadable(QObject::tr("larger than 8 MiB"));
        error.code = QStringLiteral("too_large");
        error.message = QObject::tr("The photo %1 is larger than the 8 MiB Instagram accepts.")
                            .arg(QFileInfo(path).fileName());
        return reply(error);
    }
    QUrl url = m_relayUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
                QStringLiteral("/v1/media"));
    QNetworkRequest request(url);
    request.setTransferTimeout(kTimeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("image/jpeg"));
    request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
    if (!m_credential.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_credential);
    // Streamed from the file; Qt may send it again on a dropped connection, which is
    // harmless here (the relay answers the same address for the same bytes).
    QNetworkReply *pending = m_network.post(request, file.get());
    file.release()->setParent(pending);
    connect(pending, &QNetworkReply::finished, this, [this, pending, reply] {
        pending->deleteLater();
        const int status = pending->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = pending->readAll();
        if (status == 200 || status == 201) {
            reply(QJsonDocument::fromJson(answer).object());
            return;
        }
        reply(errorFor(status, answer, pending->errorString(), m_relayUrl));
    });
}

} // namespace huntaze::net
