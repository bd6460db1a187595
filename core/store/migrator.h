#pragma once

#include "base/result.h"

#include <QList>
#include <QString>

namespace huntaze::store {

class PgConnection;

struct Migration {
    int version = 0;
    QString name;
    QString sql;
};

// Applies the numbered SQL files compiled in under :/migrations. Each file runs in its
// own transaction and is recorded in schema_migrations; a session advisory lock makes
// two processes migrating the same database at once safe (the second waits, then finds
// nothing to do). A database whose schema is newer than this program is refused.
class Migrator {
public:
    Migrator();                                     // the migrations compiled into core
    explicit Migrator(QList<Migration> migrations); // for tests

    int latestVersion() const;
    const QList<Migration> &migrations() const { return m_migrations; }

    // Brings the database up to latestVersion(); returns the versions it applied.
    Result<QList<int>> migrate(PgConnection &connection) const;
    // For programs that must not migrate (the desktop): the schema must be exactly
    // current. Older asks for `huntaze-relay migrate`, newer for an upgrade.
    Result<void> checkCurrent(PgConnection &connection) const;
    // The version recorded in the database, 0 when it has never been migrated.
    static Result<int> currentVersion(PgConnection &connection);

    static QList<Migration> loadFromResources(const QString &directory);

private:
    Error newerSchemaError(int databaseVersion) const;
    QList<Migration> m_migrations;
};

} // namespace huntaze::store
