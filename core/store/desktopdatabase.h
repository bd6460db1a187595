#pragma once

#include "base/result.h"
#include "pgconnection.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QThread>

#include <functional>

namespace huntaze::store {

class DesktopDatabaseWorker;

// The desktop's own connection to PostgreSQL (its device role, so row-level security
// shows it only its user's rows), on a thread of its own so no query ever blocks the
// window. Results come back on the caller's thread; changes announced by the relay
// (NOTIFY huntaze_changes) arrive as the changed() signal, so views update live.
class DesktopDatabase : public QObject {
    Q_OBJECT
public:
    using Rows = QList<QJsonObject>; // column name -> value (text), NULL as null
    using Done = std::function<void(const Result<Rows> &)>;

    explicit DesktopDatabase(QString url, QObject *parent = nullptr);
    ~DesktopDatabase() override;

    void start();
    void query(const QString &sql, const QList<PgParam> &params, Done done);

Q_SIGNALS:
    void changed(const QString &table, const QString &key);
    void unavailable(const huntaze::Error &error);

private:
    QThread m_thread;
    DesktopDatabaseWorker *m_worker = nullptr;
};

} // namespace huntaze::store
