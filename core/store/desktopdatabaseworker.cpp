#include "desktopdatabaseworker.h"

#include <QJsonDocument>

#include <libpq-fe.h>

namespace huntaze::store {

Result<PgConnection *> DesktopDatabaseWorker::connection() {
    if (m_connection && m_connection->isOk())
        return &*m_connection;
    m_notifier.reset();
    m_connection.reset();
    auto opened = PgConnection::open(m_url, 5);
    if (!opened) {
        Q_EMIT unavailable(opened.error());
        return opened.error();
    }
    m_connection.emplace(std::move(opened).value());
    (void)m_connection->execScript(QStringLiteral("LISTEN huntaze_changes"));
    m_notifier =
        std::make_unique<QSocketNotifier>(PQsocket(m_connection->handle()), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this,
            &DesktopDatabaseWorker::readNotifications);
    return &*m_connection;
}

void DesktopDatabaseWorker::readNotifications() {
    if (!m_connection)
        return;
    pg_conn *conn = m_connection->handle();
    if (!PQconsumeInput(conn)) { // the server went away: reconnect on the next query
        m_notifier.reset();
        return;
    }
    while (PGnotify *notification = PQnotifies(conn)) {
        const QJsonObject payload = QJsonDocument::fromJson(notification->extra).object();
        PQfreemem(notification);
        Q_EMIT changed(payload.value(QStringLiteral("table")).toString(),
                       payload.value(QStringLiteral("key")).toString());
    }
}

Result<QList<QJsonObject>> DesktopDatabaseWorker::run(const QString &sql,
                                                      const QList<PgParam> &params) {
    auto db = connection();
    if (!db)
        return db.error();
    auto result = (*db)->exec(sql, params);
    if (!result)
        return result.error();
    QList<QJsonObject> rows;
    for (int row = 0; row < result->rows(); ++row) {
        QJsonObject object;
        for (int column = 0; column < result->columns(); ++column)
            object.insert(result->columnName(column), result->isNull(row, column)
                                                          ? QJsonValue()
                                                          : QJsonValue(result->text(row, column)));
        rows.append(object);
    }
    readNotifications(); // anything that arrived with the answer
    return rows;
}

} // namespace huntaze::store
