#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <chrono>

namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::ui {

// The one query a view shows, followed live: it runs on the desktop database, and again
// whenever the database announces a change to a table it reads. A burst of changes (a
// publication moving through its states) costs one run after a short delay, and runs
// never overlap: a refresh asked for during a run starts as soon as that run answers.
class LiveQuery : public QObject {
    Q_OBJECT
public:
    LiveQuery(QString sql, QStringList tables, std::chrono::milliseconds coalesceDelay,
              QObject *parent = nullptr);

    // Follows this database's changes (no longer the previous one's) and runs at once.
    void setDatabase(store::DesktopDatabase *database);
    // Runs now, or right after the run under way; nothing without a database.
    void refresh();
    // Runs once the delay has passed, however many times it is asked meanwhile.
    void scheduleRefresh();

Q_SIGNALS:
    void answered(const QList<QJsonObject> &rows);
    void failed(const QString &message);

private:
    void onTableChanged(const QString &table);

    const QString m_sql;
    const QStringList m_tables;
    QPointer<store::DesktopDatabase> m_database;
    QTimer m_coalesce;
    bool m_running = false;
    bool m_runAgain = false;
};

} // namespace huntaze::ui
