#pragma once

#include "base/result.h"
#include "pgconnection.h"

#include <QJsonObject>
#include <QObject>
#include <QSocketNotifier>

#include <memory>
#include <optional>

namespace huntaze::store {

// Lives on DesktopDatabase's thread: owns the connection, runs queries in order,
// listens for notifications on the connection's socket, reconnects when it is lost.
class DesktopDatabaseWorker : public QObject {
    Q_OBJECT
public:
    explicit DesktopDatabaseWorker(QString url)
        : m_url(std::move(url)) {}
    Result<QList<QJsonObject>> run(const QString &sql, const QList<PgParam> &params);

Q_SIGNALS:
    void changed(const QString &table, const QString &key);
    void unavailable(const huntaze::Error &error);

private:
    Result<PgConnection *> connection();
    void readNotifications();
    QString m_url;
    std::optional<PgConnection> m_connection;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace huntaze::store
