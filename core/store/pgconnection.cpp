#include "pgconnection.h"

#include <QObject>

#include <libpq-fe.h>
#include <vector>

namespace huntaze::store {

namespace {

constexpr const char *kDomain = "store";

// SQLSTATE class 08 is a connection problem, 57P0x the server shutting down, 40001
// and 40P01 serialization failures and deadlocks: all worth retrying.
// Connection trouble, shutdowns, serialization failures, deadlocks, too many connections:
// worth another try. 08P01 (protocol violation) is in the connection class but says the
// client sent something malformed, which trying again would only repeat.
bool isRetryableState(const QByteArray &state) {
    return (state.startsWith("08") && state != "08P01") || state.startsWith("57P0") ||
           state == "40001" || state == "40P01" || state == "53300";
}

// libpq messages end with a newline and sometimes carry the offending connection URL;
// keep the first line only so a password in a URL can never reach a log.
QString firstLine(const char *message) {
    QString text = QString::fromUtf8(message).trimmed();
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    return newline < 0 ? text : text.left(newline);
}

} // namespace

PgParam PgParam::binary(const QByteArray &bytes) {
    PgParam param;
    param.m_value = bytes;
    param.m_binary = true;
    return param;
}

void PgConnection::Deleter::operator()(pg_conn *conn) const {
    PQfinish(conn);
}

PgConnection::PgConnection(pg_conn *conn)
    : m_conn(conn) {}
PgConnection::PgConnection(PgConnection &&) noexcept = default;
PgConnection &PgConnection::operator=(PgConnection &&) noexcept = default;
PgConnection::~PgConnection() = default;

Result<PgConnection> PgConnection::open(const QString &url, int connectTimeoutSeconds) {
    // expand_dbname lets the URL carry everything while connect_timeout is imposed here.
    const QByteArray dbname = url.toUtf8();
    const QByteArray timeout = QByteArray::number(qMax(1, connectTimeoutSeconds));
    const char *keywords[] = {"dbname", "connect_timeout", nullptr};
    const char *values[] = {dbname.constData(), timeout.constData(), nullptr};
    pg_conn *conn = PQconnectdbParams(keywords, values, 1);
    if (!conn)
        return Error{QString::fromLatin1(kDomain),
                     QStringLiteral("08000"),
                     QObject::tr("Out of memory while connecting to the database."),
                     {},
                     0,
                     false,
                     {}};
    if (PQstatus(conn) != CONNECTION_OK) {
        Error error{QString::fromLatin1(kDomain),
                    QStringLiteral("08001"),
                    QObject::tr("Cannot connect to the database. Check that PostgreSQL is "
                                "running and that the database address is right."),
                    firstLine(PQerrorMessage(conn)),
                    0,
                    true,
                    {}};
        PQfinish(conn);
        return error;
    }
    return PgConnection(conn);
}

Error PgConnection::errorFrom(const pg_result *result, const QString &sql) const {
    QByteArray state = result ? QByteArray(PQresultErrorField(result, PG_DIAG_SQLSTATE)) : "";
    if (state.isEmpty())
        state = PQstatus(m_conn.get()) == CONNECTION_OK ? "XX000" : "08006";
    const char *message = result ? PQresultErrorMessage(result) : PQerrorMessage(m_conn.get());
    Error error;
    error.domain = QString::fromLatin1(kDomain);
    error.code = QString::fromLatin1(state);
    error.retryable = isRetryableState(state);
    error.message = error.retryable
                        ? QObject::tr("The database is unreachable right now; trying again.")
                        : QObject::tr("The database refused an operation.");
    // The statement text is ours (never user data: values travel as parameters), so it
    // is safe to keep for diagnosis.
    error.detail =
        firstLine(message) + QLatin1String(" [") + sql.left(120).simplified() + QLatin1Char(']');
    return error;
}

Result<PgResult> PgConnection::exec(const QString &sql, std::initializer_list<PgParam> params) {
    return exec(sql, QList<PgParam>(params));
}

Result<PgResult> PgConnection::exec(const QString &sql, const QList<PgParam> &params) {
    const QByteArray statement = sql.toUtf8();
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    values.reserve(params.size());
    for (const PgParam &param : params) {
        values.push_back(param.value() ? param.value()->constData() : nullptr);
        lengths.push_back(param.value() ? int(param.value()->size()) : 0);
        formats.push_back(param.isBinary() ? 1 : 0);
    }
    pg_result *result = PQexecParams(m_conn.get(), statement.constData(), int(params.size()),
                                     nullptr, values.data(), lengths.data(), formats.data(), 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error error = errorFrom(result, sql);
        PQclear(result);
        return error;
    }
    return PgResult(result);
}

Result<PgResult> PgConnection::execPrepared(const QString &sql, const QList<PgParam> &params) {
    QByteArray name = m_prepared.value(sql);
    if (name.isEmpty()) {
        name = "huntaze_" + QByteArray::number(m_prepared.size() + 1);
        pg_result *prepared = PQprepare(m_conn.get(), name.constData(), sql.toUtf8().constData(),
                                        int(params.size()), nullptr);
        if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
            Error error = errorFrom(prepared, sql);
            PQclear(prepared);
            return error;
        }
        PQclear(prepared);
        m_prepared.insert(sql, name);
    }
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const PgParam &param : params) {
        values.push_back(param.value() ? param.value()->constData() : nullptr);
        lengths.push_back(param.value() ? int(param.value()->size()) : 0);
        formats.push_back(param.isBinary() ? 1 : 0);
    }
    pg_result *result = PQexecPrepared(m_conn.get(), name.constData(), int(params.size()),
                                       values.data(), lengths.data(), formats.data(), 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error error = errorFrom(result, sql);
        PQclear(result);
        if (PQstatus(m_conn.get()) != CONNECTION_OK)
            m_prepared.clear(); // a new session will need them prepared again
        return error;
    }
    return PgResult(result);
}

Result<void> PgConnection::execScript(const QString &sql) {
    pg_result *result = PQexec(m_conn.get(), sql.toUtf8().constData());
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error error = errorFrom(result, sql);
        PQclear(result);
        return error;
    }
    PQclear(result);
    return {};
}

bool PgConnection::isOk() const {
    return PQstatus(m_conn.get()) == CONNECTION_OK;
}

int PgConnection::serverVersion() const {
    return PQserverVersion(m_conn.get());
}

QString PgConnection::userName() const {
    return QString::fromUtf8(PQuser(m_conn.get()));
}

QString PgConnection::quoteIdentifier(const QString &name) const {
    const QByteArray utf8 = name.toUtf8();
    char *quoted = PQescapeIdentifier(m_conn.get(), utf8.constData(), size_t(utf8.size()));
    const QString text = QString::fromUtf8(quoted);
    PQfreemem(quoted);
    return text;
}

QString PgConnection::quoteLiteral(const QString &value) const {
    const QByteArray utf8 = value.toUtf8();
    char *quoted = PQescapeLiteral(m_conn.get(), utf8.constData(), size_t(utf8.size()));
    const QString text = QString::fromUtf8(quoted);
    PQfreemem(quoted);
    return text;
}

} // namespace huntaze::store

namespace huntaze::store {

QString PgConnection::encryptPassword(const QString &role, const QString &password) const {
    char *encrypted = PQencryptPasswordConn(m_conn.get(), password.toUtf8().constData(),
                                            role.toUtf8().constData(), "scram-sha-256");
    if (!encrypted)
        return {};
    const QString text = QString::fromUtf8(encrypted);
    PQfreemem(encrypted);
    return text;
}

} // namespace huntaze::store
