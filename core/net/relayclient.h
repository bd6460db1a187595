#pragma once

#include "base/result.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

namespace huntaze::net {

// The desktop's calls to its relay: pairing, the platforms the relay brokers, code
// exchange, short-lived access tokens and disconnect. Asynchronous (never blocks the
// window); every failure comes back as an Error whose message says what to do.
class RelayClient : public QObject {
    Q_OBJECT
public:
    using Reply = std::function<void(const Result<QJsonObject> &)>;

    explicit RelayClient(QUrl relayUrl, QObject *parent = nullptr);
    void setCredential(const QByteArray &credential) { m_credential = credential; }
    QUrl relayUrl() const { return m_relayUrl; }

    void pair(const QString &code, const QString &deviceName, Reply reply);
    void platforms(Reply reply);
    void exchange(const QString &provider, const QString &code, const QString &codeVerifier,
                  const QString &redirectUri, Reply reply);
    // A short-lived access token; refresh = true when the platform just refused the last one.
    void accessToken(qint64 accountId, bool refresh, Reply reply);
    void disconnect(qint64 accountId, Reply reply);

    // Instagram (issue 6). The Inbox answers and hides comments through the relay, which
    // holds the Page tokens: {"id"} and {"hidden"} come back.
    void replyToInstagramComment(const QString &commentId, const QString &message, Reply reply);
    void hideInstagramComment(const QString &commentId, bool hide, Reply reply);
    // The Instagram accounts a Facebook login (oauth_accounts.id) can publish to, and
    // choosing among them. Both answer {"candidates", "selected", "problem"?, "warnings"}.
    void instagramAccounts(qint64 accountId, Reply reply);
    void selectInstagramAccounts(qint64 accountId, const QStringList &igBusinessIds, Reply reply);
    // Uploads a local JPEG (at most 8 MiB) to the relay's media host, streamed from the
    // file; answers {"url", "expires_at"}: the public address Instagram fetches it from.
    // Safe to send again: the same photo gets the same address. A relay without a media
    // host answers 404 (httpStatus); a file that cannot be read fails with code
    // "file_unreadable".
    void hostMedia(const QString &path, Reply reply);

    static Error errorFor(int httpStatus, const QByteArray &body, const QString &networkError,
                          const QUrl &relay);

private:
    void call(const QByteArray &method, const QString &path, const QJsonObject &body, Reply reply,
              const QUrlQuery &query = {});
    QUrl m_relayUrl;
    QByteArray m_credential;
    QNetworkAccessManager m_network;
};

} // namespace huntaze::net
