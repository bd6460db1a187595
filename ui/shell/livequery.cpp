#include "livequery.h"

#include "store/desktopdatabase.h"

namespace huntaze::ui {

LiveQuery::LiveQuery(QString sql, QStringList tables, std::chrono::milliseconds coalesceDelay,
                     QObject *parent)
    : QObject(parent)
    , m_sql(std::move(sql))
    , m_tables(std::move(tables)) {
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(coalesceDelay);
    connect(&m_coalesce, &QTimer::timeout, this, &LiveQuery::refresh);
}

void LiveQuery::setDatabase(store::DesktopDatabase *database) {
    if (m_database)
        disconnect(m_database, nullptr, this, nullptr);
    m_database = database;
    if (database)
        connect(database, &store::DesktopDatabase::changed, this, &LiveQuery::onTableChanged);
    refresh();
}

void LiveQuery::refresh() {
    if (!m_database)
        return;
    if (m_running) {
        m_runAgain = true;
        return;
    }
    m_running = true;
    // The answer may come after this object is gone (its view was replaced).
    QPointer<LiveQuery> self(this);
    m_database->query(m_sql, {}, [self](const Result<QList<QJsonObject>> &rows) {
        if (!self)
            return;
        self->m_running = false;
        if (rows)
            Q_EMIT self->answered(*rows);
        else
            Q_EMIT self->failed(rows.error().message);
        if (self && self->m_runAgain) {
            self->m_runAgain = false;
            self->refresh();
        }
    });
}

void LiveQuery::scheduleRefresh() {
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void LiveQuery::onTableChanged(const QString &table) {
    if (m_tables.contains(table))
        scheduleRefresh();
}

} // namespace huntaze::ui
