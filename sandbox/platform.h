#pragma once

#include "http/router.h"
#include "support/faultinjector.h"
#include "support/requestlog.h"
#include "support/sandboxclock.h"
#include "support/statestore.h"
#include "support/webhooksender.h"
#include "uploads/uploadstore.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>

class QWebSocket;

namespace sandbox {

// What every fake platform shares: the clock, the upload store, the webhook sender,
// persistence, and the public base URL (for upload URLs and redirects it hands out).
struct SandboxContext {
    SandboxClock clock;
    FaultInjector faults;
    RequestLog requests;
    UploadStore uploads;
    StateStore state;
    WebhookSender webhooks{clock};
    QUrl baseUrl; // http://127.0.0.1:PORT, known once listening
    // Websocket connections (Reddit's media results) go to the first handler that
    // takes them; the handler owns the socket from then on.
    using WebSocketHandler = std::function<bool(QWebSocket *socket)>;
    QList<WebSocketHandler> webSocketHandlers;
};

// One platform. Routes live under /<name>/ (all of the platform's hosts share the
// prefix: the paths never collide), admin routes under /_admin/<name>/.
class Platform : public QObject {
    Q_OBJECT
public:
    explicit Platform(SandboxContext &context, QObject *parent = nullptr)
        : QObject(parent)
        , m_context(context) {}
    virtual QString name() const = 0;
    virtual void registerRoutes(Router &router) = 0;
    // Persistent state (apps, users, tokens, posts, ...).
    virtual QJsonObject save() const = 0;
    virtual void load(const QJsonObject &state) = 0;
    // Called often and after every clock change: advance what moves over time
    // (processing states, new comments, growing metrics) and send webhooks.
    virtual void tick() {}
    // What a client needs: base URLs for each of the platform's hosts and the sandbox
    // app's credentials. Written to endpoints.json.
    virtual QJsonObject endpoints() const = 0;

protected:
    SandboxContext &context() { return m_context; }
    const SandboxContext &context() const { return m_context; }
    QString baseUrl() const { return m_context.baseUrl.toString() + QLatin1Char('/') + name(); }
    void changed() { m_context.state.markDirty(); }

private:
    SandboxContext &m_context;
};

} // namespace sandbox
