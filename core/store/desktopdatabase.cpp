#include "desktopdatabase.h"

#include "desktopdatabaseworker.h"

#include <QPointer>

namespace huntaze::store {

DesktopDatabase::DesktopDatabase(QString url, QObject *parent)
    : QObject(parent) {
    m_worker = new DesktopDatabaseWorker(std::move(url));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &DesktopDatabaseWorker::changed, this, &DesktopDatabase::changed);
    connect(m_worker, &DesktopDatabaseWorker::unavailable, this, &DesktopDatabase::unavailable);
    m_thread.setObjectName(QStringLiteral("desktop-database"));
}

DesktopDatabase::~DesktopDatabase() {
    m_thread.quit();
    m_thread.wait();
}

void DesktopDatabase::start() {
    m_thread.start();
}

void DesktopDatabase::query(const QString &sql, const QList<PgParam> &params, Done done) {
    QPointer<DesktopDatabase> self(this);
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, sql, params, done, self] {
            const Result<Rows> rows = worker->run(sql, params);
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(), [rows, done] { done(rows); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace huntaze::store
