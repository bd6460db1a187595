#pragma once

#include "http/router.h"

#include <QUrl>

namespace huntaze::relay {

class AuditWriter;
class DatabasePool;

// The desktop's side of pairing: POST /v1/devices/pair trades an operator-issued code
// for a device credential and a database login; GET /v1/devices/me tells a desktop
// whether its credential still works.
class DeviceEndpoints {
public:
    // desktopDatabaseUrl: how desktops reach PostgreSQL (host, port, database); the
    // device's own role and password are filled in.
    DeviceEndpoints(DatabasePool &pool, AuditWriter &audit, QUrl desktopDatabaseUrl);
    void registerRoutes(Router &router);
    // The address part of a PostgreSQL URL, without credentials or unsafe options.
    static QUrl sanitized(const QUrl &url);

private:
    void pair(HttpRequest &&request, HttpResponder respond);
    void me(HttpRequest &&request, HttpResponder respond);
    DatabasePool &m_pool;
    AuditWriter &m_audit;
    QUrl m_desktopDatabaseUrl;
};

} // namespace huntaze::relay
