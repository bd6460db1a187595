#include "childprocess.h"
#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QTest>

using namespace huntaze;
using huntaze::store::Migrator;
using huntaze::store::PgConnection;

namespace {

// Tables, columns, constraints, indexes, policies and grants, as one comparable text.
QString schemaFingerprint(PgConnection &connection) {
    const auto result = connection.exec(R"(
        SELECT string_agg(item, E'\n' ORDER BY item) FROM (
          SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS item
            FROM information_schema.columns WHERE table_schema = 'public'
          UNION ALL
          SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
          UNION ALL
          SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
          UNION ALL
          SELECT 'policy ' || tablename || ' ' || policyname || ' ' || coalesce(qual, '')
            FROM pg_policies WHERE schemaname = 'public'
          UNION ALL
          SELECT 'grant ' || grantee || ' ' || table_name || '.' || column_name || ' ' || privilege_type
            FROM information_schema.column_privileges WHERE grantee = 'huntaze_desktop'
          UNION ALL
          SELECT 'migration ' || version || ' ' || name FROM schema_migrations
        ) items)");
    return result ? result->text(0, 0) : result.error().toString();
}

} // namespace

class MigrationsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initialSchemaHasEveryTableAndNaturalKey();
    void applyingTwiceChangesNothing();
    void twoProcessesMigratingAtOnceEndInTheSameSchema();
    void newerSchemaIsRefusedWithAClearMessage();
    void olderSchemaAsksForMigrate();
    void failedMigrationLeavesNothingBehind();
};

void MigrationsTest::initialSchemaHasEveryTableAndNaturalKey() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = PgConnection::open(db.url());
    QVERIFY(connection);
    auto applied = Migrator().migrate(*connection);
    QVERIFY2(applied, qPrintable(applied.ok() ? QString() : applied.error().toString()));
    QCOMPARE(*applied, (QList<int>{1, 2, 3, 4, 5, 6}));

    const QStringList naturalKeys{
        "oauth_accounts UNIQUE (provider, open_id)",
        "tiktok_posts UNIQUE (publish_id)",
        "webhook_events UNIQUE (provider, external_id)",
        "instagram_accounts UNIQUE (ig_business_id)",
        "ig_media UNIQUE (ig_id)",
        "ig_comments UNIQUE (ig_id)",
        "reddit_posts UNIQUE (fullname)",
        "x_posts UNIQUE (tweet_id)",
    };
    const QString fingerprint = schemaFingerprint(*connection);
    for (const QString &key : naturalKeys)
        QVERIFY2(fingerprint.contains("constraint " + key), qPrintable(key));
    for (const char *table : {"users", "devices", "publications", "jobs", "audit_log"})
        QVERIFY2(fingerprint.contains(QString("column %1.id ").arg(table)), table);
    // Every user-owned table carries user_id (the future distribution column).
    for (const char *table : {"devices", "oauth_accounts", "publications", "tiktok_posts",
                              "instagram_accounts", "ig_media", "ig_comments", "ig_media_insights",
                              "reddit_posts", "x_posts", "jobs", "audit_log"})
        QVERIFY2(fingerprint.contains(QString("column %1.user_id ").arg(table)), table);

    // The natural keys really are enforced: a second row with the same key fails.
    QVERIFY(connection->execScript("INSERT INTO users (display_name) VALUES ('a')"));
    QVERIFY(connection->execScript(
        "INSERT INTO oauth_accounts (user_id, provider, open_id) VALUES (1, 'tiktok', 'o1')"));
    const auto duplicate = connection->execScript(
        "INSERT INTO oauth_accounts (user_id, provider, open_id) VALUES (1, 'tiktok', 'o1')");
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, QString("23505"));
}

void MigrationsTest::applyingTwiceChangesNothing() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = PgConnection::open(db.url());
    QVERIFY(connection);
    QVERIFY(Migrator().migrate(*connection));
    const QString first = schemaFingerprint(*connection);
    auto again = Migrator().migrate(*connection);
    QVERIFY(again);
    QVERIFY(again->isEmpty());
    QCOMPARE(schemaFingerprint(*connection), first);
}

void MigrationsTest::twoProcessesMigratingAtOnceEndInTheSameSchema() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    test::TestDatabase reference;
    QVERIFY(reference.isValid());
    {
        auto connection = PgConnection::open(reference.url());
        QVERIFY(Migrator().migrate(*connection));
    }

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", db.url());
    test::ChildProcess first(HUNTAZE_RELAY_BIN, {"migrate"}, environment);
    test::ChildProcess second(HUNTAZE_RELAY_BIN, {"migrate"}, environment);
    QCOMPARE(first.waitForExit(), 0);
    QCOMPARE(second.waitForExit(), 0);
    // Exactly one of them applied each migration; the other found nothing to do.
    const int applied =
        first.output().count("migration.applied") + second.output().count("migration.applied");
    QCOMPARE(applied, Migrator().latestVersion());

    auto migrated = PgConnection::open(db.url());
    auto expected = PgConnection::open(reference.url());
    QCOMPARE(schemaFingerprint(*migrated), schemaFingerprint(*expected));
}

void MigrationsTest::newerSchemaIsRefusedWithAClearMessage() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = PgConnection::open(db.url());
    QVERIFY(Migrator().migrate(*connection));
    QVERIFY(connection->execScript(
        "INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')"));

    const auto migrate = Migrator().migrate(*connection);
    QVERIFY(!migrate);
    QCOMPARE(migrate.error().code, QString("schema_newer"));
    QVERIFY2(migrate.error().message.contains("9999") && migrate.error().message.contains("newer"),
             qPrintable(migrate.error().message));
    const auto check = Migrator().checkCurrent(*connection);
    QVERIFY(!check);
    QCOMPARE(check.error().code, QString("schema_newer"));

    // The relay refuses to serve it, says why, and exits non-zero.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", db.url());
    environment.insert("HUNTAZE_LISTEN", "127.0.0.1:0");
    test::ChildProcess relay(HUNTAZE_RELAY_BIN, {"serve"}, environment);
    QCOMPARE(relay.waitForExit(), 1);
    QVERIFY2(relay.output().contains("newer than this version of Huntaze"),
             relay.output().constData());
}

void MigrationsTest::olderSchemaAsksForMigrate() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = PgConnection::open(db.url());
    const auto check = Migrator().checkCurrent(*connection);
    QVERIFY(!check);
    QCOMPARE(check.error().code, QString("schema_older"));
    QVERIFY(check.error().message.contains("huntaze-relay migrate"));
}

void MigrationsTest::failedMigrationLeavesNothingBehind() {
    test::TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto connection = PgConnection::open(db.url());
    const Migrator broken({{1, "good", "CREATE TABLE a (id int);"},
                           {2, "bad", "CREATE TABLE b (id int); SELECT no_such_function();"}});
    const auto result = broken.migrate(*connection);
    QVERIFY(!result);
    QVERIFY(result.error().message.contains("2 (bad)"));
    const auto b =
        connection->exec("SELECT to_regclass('b') IS NULL, to_regclass('a') IS NOT NULL");
    QVERIFY(b);
    QVERIFY2(b->boolean(0, 0), "table b of the failed migration must not exist");
    QVERIFY(b->boolean(0, 1));
    auto version = Migrator::currentVersion(*connection);
    QCOMPARE(*version, 1);
}

QTEST_GUILESS_MAIN(MigrationsTest)
#include "tst_migrations.moc"
