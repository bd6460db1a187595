#pragma once

#include "base/error.h"

#include <QHttpServer>
#include <QObject>
#include <QTimer>
#include <QUrlQuery>

namespace huntaze::oauth {

// The desktop end of an OAuth redirect (RFC 8252 loopback): listens on 127.0.0.1 only,
// on a random port or the fixed one a platform needs, accepts one callback carrying the
// expected state, answers the browser tab with a page saying what happened and what to
// do, and gives up after a timeout. A callback with another state (an old tab, or
// someone else) is refused and reported, and the wait goes on.
class LoopbackReceiver : public QObject {
    Q_OBJECT
public:
    struct Callback {
        QString code;
        QString grantedScopes;
        QUrlQuery query;
    };

    LoopbackReceiver(QString path, QByteArray expectedState, QObject *parent = nullptr);

    // port 0 picks a free one. False with *error when it cannot listen.
    bool listen(quint16 port, QString *error);
    quint16 port() const { return m_port; }
    // For a state that carries the port (Meta's live mode, see ConnectFlow): set once
    // listening, before the browser is opened.
    void setExpectedState(QByteArray state) { m_expectedState = std::move(state); }
    // http://127.0.0.1:<port><path>
    QString redirectUri() const;
    void startTimeout(int milliseconds);
    void cancel();

Q_SIGNALS:
    void received(const huntaze::oauth::LoopbackReceiver::Callback &callback);
    // The platform's error (denied, invalid scope, ...), a timeout, or a cancel.
    void failed(const huntaze::Error &error);
    void staleCallbackRefused();

private:
    QHttpServerResponse handle(const QHttpServerRequest &request);
    void finish();

    QString m_path;
    QByteArray m_expectedState;
    QHttpServer m_server;
    QTimer m_timeout;
    quint16 m_port = 0;
    bool m_done = false;
};

// The message and next step for an OAuth error code returned to the redirect.
Error callbackError(const QString &code, const QString &description);

} // namespace huntaze::oauth
