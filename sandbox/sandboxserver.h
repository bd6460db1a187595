#pragma once

#include "sandboxsettings.h"

#include <QHttpServer>
#include <QJsonObject>
#include <QObject>

namespace sandbox {

// The HTTP face of the four fake platforms. Each platform registers its routes here.
class SandboxServer : public QObject {
    Q_OBJECT
public:
    explicit SandboxServer(SandboxSettings settings, QObject *parent = nullptr);

    // Binds and returns false with *error set when the address is unavailable.
    bool start(QString *error);
    quint16 port() const { return m_port; }
    // The base URLs a client needs, also written to <state>/endpoints.json.
    QJsonObject endpoints() const;

private:
    void addRoutes();
    SandboxSettings m_settings;
    QHttpServer m_http;
    quint16 m_port = 0;
};

} // namespace sandbox
