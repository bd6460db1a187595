#include "debugendpoints.h"

#include "audit/auditwriter.h"
#include "crypto/signatures.h"
#include "databasepool.h"
#include "store/pgconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace huntaze::relay {

namespace {

// Runs one query and answers its rows as a JSON array of objects (all values as text).
void answerRows(DatabasePool &pool, const QString &sql, QList<store::PgParam> params,
                HttpResponder respond) {
    pool.submit([sql, params, respond](Result<store::PgConnection *> db) {
        if (!db) {
            respond(HttpResponse::error(503, QStringLiteral("unavailable"), db.error().message));
            return;
        }
        auto rows = (*db)->exec(sql, params);
        if (!rows) {
            respond(HttpResponse::error(500, QStringLiteral("query_failed"), rows.error().detail));
            return;
        }
        QJsonArray array;
        for (int row = 0; row < rows->rows(); ++row) {
            QJsonObject object;
            for (int column = 0; column < rows->columns(); ++column)
                object.insert(QString::number(column), rows->isNull(row, column)
                                                           ? QJsonValue()
                                                           : QJsonValue(rows->text(row, column)));
            array.append(object);
        }
        respond(HttpResponse::json(200, QJsonDocument(array).toJson(QJsonDocument::Compact)));
    });
}

} // namespace

DebugEndpoints::DebugEndpoints(QByteArray adminToken, DatabasePool &pool, AuditWriter &audit)
    : m_adminToken(std::move(adminToken))
    , m_pool(pool)
    , m_audit(audit) {}

bool DebugEndpoints::authorize(const HttpRequest &request, const HttpResponder &respond) {
    const QByteArray header = request.header("authorization");
    const bool ok = header.size() > 7 && header.left(7).toLower() == "bearer " &&
                    crypto::constantTimeEquals(header.mid(7).trimmed(), m_adminToken);
    m_audit.record({QStringLiteral("debug.access"),
                    ok ? QStringLiteral("ok") : QStringLiteral("rejected"),
                    QStringLiteral("admin"),
                    {},
                    request.path,
                    request.remoteAddress,
                    0,
                    {}});
    if (!ok)
        respond(HttpResponse::error(401, QStringLiteral("unauthorized"),
                                    QStringLiteral("Send the admin token as a Bearer token.")));
    return ok;
}

void DebugEndpoints::registerRoutes(Router &router) {
    if (m_adminToken.isEmpty())
        return;
    const QString group = QStringLiteral("debug");
    router.add(
        "GET", QStringLiteral("/debug/event"),
        [this](HttpRequest &&request, HttpResponder respond) {
            if (!authorize(request, respond))
                return;
            bool numeric = false;
            const qint64 id =
                request.query.queryItemValue(QStringLiteral("id")).toLongLong(&numeric);
            if (!numeric) {
                respond(HttpResponse::error(400, QStringLiteral("bad_request"),
                                            QStringLiteral("id must be a number.")));
                return;
            }
            answerRows(m_pool,
                       QStringLiteral("SELECT id, provider, external_id, event_type, verified, "
                                      "state, attempts, last_error, "
                                      "received_at, processed_at, correlation_id, headers, "
                                      "convert_from(body, 'UTF8') "
                                      "FROM webhook_events WHERE id = $1"),
                       {id}, respond);
        },
        group);
    router.add(
        "GET", QStringLiteral("/debug/errors"),
        [this](HttpRequest &&request, HttpResponder respond) {
            if (!authorize(request, respond))
                return;
            answerRows(
                m_pool,
                QStringLiteral(
                    "SELECT id, provider, event_type, state, attempts, last_error, next_attempt_at "
                    "FROM webhook_events WHERE last_error IS NOT NULL AND state <> 'done' "
                    "ORDER BY id DESC LIMIT 100"),
                {}, respond);
        },
        group);
    router.add(
        "GET", QStringLiteral("/debug/workers"),
        [this](HttpRequest &&request, HttpResponder respond) {
            if (!authorize(request, respond))
                return;
            answerRows(m_pool,
                       QStringLiteral("SELECT state, count(*), min(next_attempt_at), max(attempts) "
                                      "FROM webhook_events "
                                      "GROUP BY state ORDER BY state"),
                       {}, respond);
        },
        group);
}

} // namespace huntaze::relay
