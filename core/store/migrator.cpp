#include "migrator.h"

#include "pgconnection.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QRegularExpression>

#include <algorithm>

namespace huntaze::store {

namespace {

// Any constant works as long as every Huntaze program uses the same one.
constexpr qint64 kMigrationLockKey = 0x4855'4e54'415a'4501; // "HUNTAZE\x01"

const QString kCreateTable = QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                            " version integer PRIMARY KEY,"
                                            " name text NOT NULL,"
                                            " applied_at timestamptz NOT NULL DEFAULT now())");

Error migrationError(const QString &code, const QString &message, const QString &detail = {}) {
    return Error{QStringLiteral("store"), code, message, detail, 0, false, {}};
}

// Releases the advisory lock on every path out of migrate().
class AdvisoryLock {
public:
    explicit AdvisoryLock(PgConnection &connection)
        : m_connection(connection) {}
    Result<void> acquire() {
        auto locked =
            m_connection.exec(QStringLiteral("SELECT pg_advisory_lock($1)"), {kMigrationLockKey});
        if (!locked)
            return locked.error();
        m_held = true;
        return {};
    }
    ~AdvisoryLock() {
        if (m_held)
            (void)m_connection.exec(QStringLiteral("SELECT pg_advisory_unlock($1)"),
                                    {kMigrationLockKey});
    }

private:
    PgConnection &m_connection;
    bool m_held = false;
};

} // namespace

Migrator::Migrator()
    : Migrator(loadFromResources(QStringLiteral(":/migrations"))) {}

Migrator::Migrator(QList<Migration> migrations)
    : m_migrations(std::move(migrations)) {
    std::sort(m_migrations.begin(), m_migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

QList<Migration> Migrator::loadFromResources(const QString &directory) {
    // Files are named NNNN_description.sql; the number is the version.
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> migrations;
    const QStringList files = QDir(directory).entryList({QStringLiteral("*.sql")}, QDir::Files);
    for (const QString &file : files) {
        const auto match = pattern.match(file);
        if (!match.hasMatch())
            continue;
        QFile source(directory + QLatin1Char('/') + file);
        if (!source.open(QIODevice::ReadOnly))
            continue;
        migrations.append(
            {match.captured(1).toInt(), match.captured(2), QString::fromUtf8(source.readAll())});
    }
    return migrations;
}

int Migrator::latestVersion() const {
    return m_migrations.isEmpty() ? 0 : m_migrations.last().version;
}

Result<int> Migrator::currentVersion(PgConnection &connection) {
    auto exists =
        connection.exec(QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!exists)
        return exists.error();
    if (!exists->boolean(0, 0))
        return 0;
    auto version =
        connection.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    if (!version)
        return version.error();
    return int(version->int64(0, 0));
}

Error Migrator::newerSchemaError(int databaseVersion) const {
    return migrationError(
        QStringLiteral("schema_newer"),
        QObject::tr("The database schema (version %1) is newer than this version of Huntaze "
                    "understands (version %2). Install the newer Huntaze that upgraded it.")
            .arg(databaseVersion)
            .arg(latestVersion()));
}

Result<QList<int>> Migrator::migrate(PgConnection &connection) const {
    AdvisoryLock lock(connection);
    if (auto locked = lock.acquire(); !locked)
        return locked.error();
    if (auto created = connection.execScript(kCreateTable); !created)
        return created.error();

    auto current = currentVersion(connection);
    if (!current)
        return current.error();
    if (*current > latestVersion())
        return newerSchemaError(*current);

    QList<int> applied;
    for (const Migration &migration : m_migrations) {
        if (migration.version <= *current)
            continue;
        auto result = connection.execScript(
            QStringLiteral("BEGIN;\n") + migration.sql +
            QStringLiteral("\n;INSERT INTO schema_migrations "
                           "(version, name) VALUES (") +
            QString::number(migration.version) + QStringLiteral(", ") +
            connection.quoteLiteral(migration.name) + QStringLiteral(");\nCOMMIT;"));
        if (!result) {
            (void)connection.execScript(QStringLiteral("ROLLBACK"));
            Error error = result.error();
            error.message = QObject::tr("Database migration %1 (%2) failed; nothing of it was "
                                        "applied.")
                                .arg(migration.version)
                                .arg(migration.name);
            return error;
        }
        applied.append(migration.version);
    }
    return applied;
}

Result<void> Migrator::checkCurrent(PgConnection &connection) const {
    auto current = currentVersion(connection);
    if (!current)
        return current.error();
    if (*current > latestVersion())
        return newerSchemaError(*current);
    if (*current < latestVersion())
        return migrationError(
            QStringLiteral("schema_older"),
            QObject::tr("The database schema (version %1) is older than this version of Huntaze "
                        "needs (version %2). Run `huntaze-relay migrate`.")
                .arg(*current)
                .arg(latestVersion()));
    return {};
}

} // namespace huntaze::store
