#pragma once

#include <QString>

namespace huntaze::test {

// A fresh database on the throwaway cluster that ctest's `postgres` fixture started
// (scripts/pg-cluster.sh, folder in HUNTAZE_TEST_PG_DIR). Created in the constructor,
// dropped (forcibly) in the destructor, so every test starts from nothing.
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    bool isValid() const { return !m_name.isEmpty(); }
    QString errorString() const { return m_error; }
    QString name() const { return m_name; }
    // Superuser URL of this database.
    QString url() const;
    // URL of this database for another role.
    QString urlFor(const QString &role, const QString &password) const;
    // Superuser URL of the cluster's maintenance database.
    static QString adminUrl();

private:
    QString m_name;
    QString m_error;
};

} // namespace huntaze::test
