#include "store/migrator.h"
#include "store/pgconnection.h"
#include "testdatabase.h"

#include <QRandomGenerator>
#include <QTest>

using namespace huntaze;
using huntaze::store::PgConnection;

// A paired desktop logs in as its own role, member of huntaze_desktop. It must see and
// touch only its own user's rows, and never a token column.
class RowLevelSecurityTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void desktopSeesOnlyItsOwnUsersRows_data();
    void desktopSeesOnlyItsOwnUsersRows();
    void desktopCannotSelectAnyTokenColumn_data();
    void desktopCannotSelectAnyTokenColumn();
    void desktopCannotWriteAnotherUsersRows();
    void desktopCannotReadRelayOnlyTables();
    void revokedDeviceSeesNothing();

private:
    PgConnection connectAs(const QString &role);
    std::unique_ptr<test::TestDatabase> m_db;
    std::optional<PgConnection> m_owner;
    QString m_roleA, m_roleB, m_roleRevoked;
    const QString m_password = "pw-" + QString::number(QRandomGenerator::global()->generate());
};

PgConnection RowLevelSecurityTest::connectAs(const QString &role) {
    auto connection = PgConnection::open(m_db->urlFor(role, m_password));
    if (!connection)
        qFatal("cannot connect as %s: %s", qPrintable(role),
               qPrintable(connection.error().toString()));
    return std::move(connection).value();
}

void RowLevelSecurityTest::initTestCase() {
    m_db = std::make_unique<test::TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    auto owner = PgConnection::open(m_db->url());
    QVERIFY(owner);
    m_owner.emplace(std::move(owner).value());
    QVERIFY(store::Migrator().migrate(*m_owner));

    const QString suffix = m_db->name();
    m_roleA = "dev_a_" + suffix;
    m_roleB = "dev_b_" + suffix;
    m_roleRevoked = "dev_r_" + suffix;
    for (const QString &role : {m_roleA, m_roleB, m_roleRevoked}) {
        auto created = m_owner->execScript(
            QString("CREATE ROLE %1 LOGIN PASSWORD %2 IN ROLE huntaze_desktop")
                .arg(m_owner->quoteIdentifier(role), m_owner->quoteLiteral(m_password)));
        QVERIFY2(created, qPrintable(created.ok() ? QString() : created.error().toString()));
        QVERIFY(m_owner->execScript(
            QString("GRANT CONNECT ON DATABASE %1 TO %2")
                .arg(m_owner->quoteIdentifier(m_db->name()), m_owner->quoteIdentifier(role))));
    }
    // Users 1 (A) and 2 (B); a device per user plus a revoked one for A; one row of
    // every user-owned table for each user.
    const QString fixture = QString(R"(
        INSERT INTO users (display_name, email) VALUES ('A', 'a@example.com'), ('B', 'b@example.com');
        INSERT INTO devices (user_id, name, status, db_role, token_hash) VALUES
          (1, 'laptop A', 'active', '%1', '\x01'), (2, 'laptop B', 'active', '%2', '\x02'),
          (1, 'old A', 'revoked', '%3', '\x03');
        INSERT INTO oauth_accounts (user_id, provider, open_id, access_token_sealed, refresh_token_sealed, key_id)
          VALUES (1, 'tiktok', 'open-a', '\xaa', '\xab', 'k1'), (2, 'tiktok', 'open-b', '\xba', '\xbb', 'k1');
        INSERT INTO publications (user_id, draft_id, account_id, provider) VALUES
          (1, gen_random_uuid(), 1, 'tiktok'), (2, gen_random_uuid(), 2, 'tiktok');
        INSERT INTO tiktok_posts (user_id, account_id, publish_id, source) VALUES
          (1, 1, 'pub-a', 'FILE_UPLOAD'), (2, 2, 'pub-b', 'FILE_UPLOAD');
        INSERT INTO instagram_accounts (user_id, account_id, ig_business_id, page_id, page_token_sealed) VALUES
          (1, 1, 'iga', 'pa', '\xcc'), (2, 2, 'igb', 'pb', '\xdd');
        INSERT INTO ig_media (user_id, ig_business_id, ig_id) VALUES (1, 'iga', 'ma'), (2, 'igb', 'mb');
        INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id) VALUES
          (1, 'iga', 'ca', 'ma'), (2, 'igb', 'cb', 'mb');
        INSERT INTO reddit_posts (user_id, account_id, fullname) VALUES (1, 1, 't3_a'), (2, 2, 't3_b');
        INSERT INTO x_posts (user_id, account_id, tweet_id) VALUES (1, 1, '1'), (2, 2, '2');
        INSERT INTO audit_log (user_id, event) VALUES (1, 'connect'), (2, 'connect');
    )")
                                .arg(m_roleA, m_roleB, m_roleRevoked);
    auto inserted = m_owner->execScript(fixture);
    QVERIFY2(inserted, qPrintable(inserted.ok() ? QString() : inserted.error().toString()));
}

void RowLevelSecurityTest::cleanupTestCase() {
    m_owner.reset();
    m_db.reset(); // drops the database, and with it every grant to the roles
    auto admin = PgConnection::open(test::TestDatabase::adminUrl());
    if (admin)
        for (const QString &role : {m_roleA, m_roleB, m_roleRevoked})
            (void)admin->execScript("DROP ROLE IF EXISTS " + admin->quoteIdentifier(role));
}

void RowLevelSecurityTest::desktopSeesOnlyItsOwnUsersRows_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("ownValue");
    QTest::newRow("users") << "SELECT display_name FROM users"
                           << "A";
    QTest::newRow("devices") << "SELECT string_agg(name, ',' ORDER BY id) FROM devices"
                             << "laptop A,old A";
    QTest::newRow("oauth_accounts") << "SELECT open_id FROM oauth_accounts"
                                    << "open-a";
    QTest::newRow("publications") << "SELECT user_id::text FROM publications"
                                  << "1";
    QTest::newRow("tiktok_posts") << "SELECT publish_id FROM tiktok_posts"
                                  << "pub-a";
    QTest::newRow("instagram_accounts") << "SELECT ig_business_id FROM instagram_accounts"
                                        << "iga";
    QTest::newRow("ig_media") << "SELECT ig_id FROM ig_media"
                              << "ma";
    QTest::newRow("ig_comments") << "SELECT ig_id FROM ig_comments"
                                 << "ca";
    QTest::newRow("reddit_posts") << "SELECT fullname FROM reddit_posts"
                                  << "t3_a";
    QTest::newRow("x_posts") << "SELECT tweet_id FROM x_posts"
                             << "1";
    QTest::newRow("audit_log") << "SELECT user_id::text FROM audit_log"
                               << "1";
}

void RowLevelSecurityTest::desktopSeesOnlyItsOwnUsersRows() {
    QFETCH(QString, query);
    QFETCH(QString, ownValue);
    PgConnection desktopA = connectAs(m_roleA);
    const auto result = desktopA.exec(query);
    QVERIFY2(result, qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->rows(), 1);
    QCOMPARE(result->text(0, 0), ownValue);
}

void RowLevelSecurityTest::desktopCannotSelectAnyTokenColumn_data() {
    QTest::addColumn<QString>("query");
    QTest::newRow("access token") << "SELECT access_token_sealed FROM oauth_accounts";
    QTest::newRow("refresh token") << "SELECT refresh_token_sealed FROM oauth_accounts";
    QTest::newRow("key id") << "SELECT key_id FROM oauth_accounts";
    QTest::newRow("star on accounts") << "SELECT * FROM oauth_accounts";
    QTest::newRow("page token") << "SELECT page_token_sealed FROM instagram_accounts";
    QTest::newRow("star on instagram") << "SELECT * FROM instagram_accounts";
    QTest::newRow("device credential hash") << "SELECT token_hash FROM devices";
    QTest::newRow("pairing code hash") << "SELECT pairing_code_hash FROM devices";
    QTest::newRow("token in a where clause")
        << "SELECT id FROM oauth_accounts WHERE access_token_sealed IS NOT NULL";
    QTest::newRow("whole row") << "SELECT o FROM oauth_accounts o";
}

void RowLevelSecurityTest::desktopCannotSelectAnyTokenColumn() {
    QFETCH(QString, query);
    PgConnection desktopA = connectAs(m_roleA);
    const auto result = desktopA.exec(query);
    QVERIFY2(!result, "a desktop role could read a token column");
    QCOMPARE(result.error().code, QString("42501")); // insufficient_privilege
}

void RowLevelSecurityTest::desktopCannotWriteAnotherUsersRows() {
    PgConnection desktopA = connectAs(m_roleA);
    auto updated = desktopA.exec("UPDATE publications SET caption = 'hijacked' WHERE user_id = 2");
    QVERIFY(updated);
    QCOMPARE(updated->affectedRows(), 0);
    auto deleted = desktopA.exec("DELETE FROM publications WHERE user_id = 2");
    QVERIFY(deleted);
    QCOMPARE(deleted->affectedRows(), 0);
    auto inserted = desktopA.exec("INSERT INTO publications (user_id, draft_id, account_id, "
                                  "provider) VALUES (2, gen_random_uuid(), 2, 'tiktok')");
    QVERIFY(!inserted);
    QCOMPARE(inserted.error().code, QString("42501")); // row-level security violation
    auto moved = desktopA.exec("UPDATE publications SET user_id = 2 WHERE user_id = 1");
    QVERIFY(!moved);
    auto posts =
        desktopA.exec("UPDATE tiktok_posts SET status = 'FAILED' WHERE publish_id = 'pub-b'");
    QVERIFY(posts);
    QCOMPARE(posts->affectedRows(), 0);
    auto tokens = desktopA.exec("UPDATE oauth_accounts SET status = 'revoked'");
    QVERIFY(!tokens);

    // Its own rows it may write: the desktop runs the publishing queue.
    auto own = desktopA.exec("UPDATE publications SET caption = 'mine' WHERE user_id = 1");
    QVERIFY2(own, qPrintable(own.ok() ? QString() : own.error().toString()));
    QCOMPARE(own->affectedRows(), 1);
    auto ownInsert = desktopA.exec("INSERT INTO publications (user_id, draft_id, account_id, "
                                   "provider) VALUES (1, gen_random_uuid(), 1, 'tiktok')");
    QVERIFY2(ownInsert, qPrintable(ownInsert.ok() ? QString() : ownInsert.error().toString()));

    // And user B's rows are untouched, as the owner sees them.
    auto check = m_owner->exec("SELECT caption FROM publications WHERE user_id = 2");
    QCOMPARE(check->text(0, 0), QString());
}

void RowLevelSecurityTest::desktopCannotReadRelayOnlyTables() {
    PgConnection desktopA = connectAs(m_roleA);
    for (const char *table : {"webhook_events", "jobs", "schema_migrations"}) {
        const auto result = desktopA.exec(QString("SELECT count(*) FROM %1").arg(table));
        QVERIFY2(!result, table);
        QCOMPARE(result.error().code, QString("42501"));
    }
}

void RowLevelSecurityTest::revokedDeviceSeesNothing() {
    PgConnection revoked = connectAs(m_roleRevoked);
    for (const char *table : {"users", "oauth_accounts", "publications", "tiktok_posts"}) {
        const auto result = revoked.exec(QString("SELECT count(*) FROM %1").arg(table));
        QVERIFY(result);
        QCOMPARE(result->int64(0, 0), 0);
    }
}

QTEST_GUILESS_MAIN(RowLevelSecurityTest)
#include "tst_rowlevelsecurity.moc"
