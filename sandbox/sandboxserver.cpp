#include "sandboxserver.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace sandbox {

SandboxServer::SandboxServer(SandboxSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings)) {
    addRoutes();
}

void SandboxServer::addRoutes() {
    m_http.route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [] {
        return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
}

bool SandboxServer::start(QString *error) {
    if (!QDir().mkpath(m_settings.stateDirectory)) {
        *error =
            QStringLiteral("SANDBOX_STATE_DIR: cannot create %1").arg(m_settings.stateDirectory);
        return false;
    }
    m_port = m_http.listen(m_settings.listenAddress, m_settings.listenPort);
    if (m_port == 0) {
        *error = QStringLiteral("HUNTAZE_LISTEN: cannot listen on %1:%2")
                     .arg(m_settings.listenAddress.toString())
                     .arg(m_settings.listenPort);
        return false;
    }
    QSaveFile file(QDir(m_settings.stateDirectory).filePath(QStringLiteral("endpoints.json")));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(endpoints()).toJson());
        file.commit();
    }
    return true;
}

QJsonObject SandboxServer::endpoints() const {
    QString host = m_settings.listenAddress.toString();
    if (m_settings.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    const QString base = QStringLiteral("http://%1:%2").arg(host).arg(m_port);
    return QJsonObject{
        {QStringLiteral("base_url"), base},
        {QStringLiteral("port"), int(m_port)},
        {QStringLiteral("relay_url"), m_settings.relayUrl.toString()},
        {QStringLiteral("state_dir"), m_settings.stateDirectory},
    };
}

} // namespace sandbox
