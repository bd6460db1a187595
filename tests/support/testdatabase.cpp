#include "testdatabase.h"

#include "store/pgconnection.h"

#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QUrl>

namespace huntaze::test {

QString TestDatabase::adminUrl() {
    QFile file(qEnvironmentVariable("HUNTAZE_TEST_PG_DIR") + QStringLiteral("/url"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

TestDatabase::TestDatabase() {
    const QString admin = adminUrl();
    if (admin.isEmpty()) {
        m_error =
            QStringLiteral("No test cluster: run through ctest (fixture 'postgres') or set "
                           "HUNTAZE_TEST_PG_DIR to a folder started by scripts/pg-cluster.sh");
        return;
    }
    auto connection = store::PgConnection::open(admin);
    if (!connection) {
        m_error = connection.error().toString();
        return;
    }
    const QString name =
        QStringLiteral("t_%1_%2_%3")
            .arg(QCoreApplication::applicationName().toLower().remove(QLatin1Char('-')))
            .arg(QCoreApplication::applicationPid())
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    auto created = connection->execScript(QStringLiteral("CREATE DATABASE ") +
                                          connection->quoteIdentifier(name));
    if (!created) {
        m_error = created.error().toString();
        return;
    }
    m_name = name;
}

TestDatabase::~TestDatabase() {
    if (m_name.isEmpty())
        return;
    auto connection = store::PgConnection::open(adminUrl());
    if (connection)
        (void)connection->execScript(QStringLiteral("DROP DATABASE IF EXISTS ") +
                                     connection->quoteIdentifier(m_name) +
                                     QStringLiteral(" WITH (FORCE)"));
}

QString TestDatabase::url() const {
    QUrl url(adminUrl());
    url.setPath(QLatin1Char('/') + m_name);
    return url.toString();
}

QString TestDatabase::urlFor(const QString &role, const QString &password) const {
    QUrl url(this->url());
    url.setUserName(role);
    url.setPassword(password);
    return url.toString();
}

} // namespace huntaze::test
