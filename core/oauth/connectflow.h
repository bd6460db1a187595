#pragma once

#include "base/error.h"
#include "loopbackreceiver.h"
#include "pkce.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace huntaze::net {
class RelayClient;
}

namespace huntaze::oauth {

// Connecting one account, end to end from the desktop: state and PKCE as the platform
// wants them, a loopback listener (random port for TikTok and Meta, the fixed registered
// one for Reddit and X), the authorization page opened in the system browser, then the
// code handed to the relay for exchange at once (X codes live 30 seconds).
class ConnectFlow : public QObject {
    Q_OBJECT
public:
    struct Platform {
        QString provider; // tiktok, instagram, reddit, x
        QString clientId;
        QUrl authorizeUrl;
        quint16 fixedPort = 0; // Reddit and X match the redirect URI exactly
        // Meta in live mode takes no loopback redirect: the relay's HTTPS page registered
        // with the app, which forwards code and state to this desktop's listener (the
        // state carries the listener's port). Empty: the loopback listener itself.
        QUrl relayRedirectUri;
    };
    using OpenUrl = std::function<bool(const QUrl &)>;

    ConnectFlow(net::RelayClient &relay, Platform platform, OpenUrl openUrl,
                QObject *parent = nullptr);
    // The scopes Huntaze asks each platform for (shared/platforms/*.md).
    static QStringList scopesFor(const QString &provider);

    void start(int timeoutMs = 5 * 60 * 1000);
    void cancel();
    QUrl authorizationUrl() const { return m_authorizationUrl; }

Q_SIGNALS:
    void connected(const QJsonObject &account);
    void failed(const huntaze::Error &error);
    void waitingForBrowser(const QUrl &url);
    void staleSignInRefused();

private:
    QUrl buildAuthorizationUrl() const;
    bool viaRelayPage() const;
    QString redirectUri() const; // as the platform sees it: the same at dialog and exchange
    void fail(const Error &error);

    net::RelayClient &m_relay;
    Platform m_platform;
    OpenUrl m_openUrl;
    Pkce m_pkce;
    QByteArray m_state;
    std::unique_ptr<LoopbackReceiver> m_receiver;
    QUrl m_authorizationUrl;
    bool m_finished = false;
};

} // namespace huntaze::oauth
