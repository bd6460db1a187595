#pragma once

#include "http/router.h"

#include <QByteArray>

namespace huntaze::relay {

class AuditWriter;
class DatabasePool;

// /debug/event?id=N, /debug/errors, /debug/workers: for troubleshooting, behind
// HUNTAZE_ADMIN_TOKEN (Authorization: Bearer), every access audited. Without a
// configured token the endpoints do not exist (404).
class DebugEndpoints {
public:
    DebugEndpoints(QByteArray adminToken, DatabasePool &pool, AuditWriter &audit);
    void registerRoutes(Router &router);

private:
    bool authorize(const HttpRequest &request, const HttpResponder &respond);
    QByteArray m_adminToken;
    DatabasePool &m_pool;
    AuditWriter &m_audit;
};

} // namespace huntaze::relay
