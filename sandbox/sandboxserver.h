#pragma once

#include "http/router.h"
#include "platform.h"
#include "sandboxsettings.h"

#include <QAbstractHttpServer>
#include <QJsonObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace sandbox {

// The HTTP face of the four fake platforms plus the admin API (/_admin/...): faults,
// clock, requests seen, uploads, webhooks. Single-threaded on the Qt event loop.
class SandboxServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit SandboxServer(SandboxSettings settings, QObject *parent = nullptr);
    ~SandboxServer() override;

    // Binds, loads saved state; false with *error set when something is unusable.
    bool start(QString *error);
    quint16 port() const { return m_port; }
    // The base URLs and app credentials a client needs, also in <state>/endpoints.json.
    QJsonObject endpoints() const;
    SandboxContext &context() { return m_context; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void addAdminRoutes();
    void applyFault(const FaultRule &fault, const ExchangePtr &exchange);
    void tickPlatforms();
    void acceptWebSockets();

    SandboxSettings m_settings;
    SandboxContext m_context;
    Router m_router;
    std::vector<std::unique_ptr<Platform>> m_platforms;
    QList<ExchangePtr> m_pending; // hanging or answered later
    QTimer m_tick;
    quint16 m_port = 0;
};

} // namespace sandbox
