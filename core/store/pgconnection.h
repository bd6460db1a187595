#pragma once

#include "base/result.h"
#include "pgresult.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <initializer_list>
#include <memory>
#include <optional>

struct pg_conn;

namespace huntaze::store {

// One query parameter: text by default, binary for bytea, or SQL NULL.
class PgParam {
public:
    PgParam(std::nullopt_t) {}
    PgParam(const QString &text)
        : m_value(text.toUtf8()) {}
    PgParam(const char *text)
        : m_value(QByteArray(text)) {}
    PgParam(qint64 number)
        : m_value(QByteArray::number(number)) {}
    PgParam(int number)
        : m_value(QByteArray::number(number)) {}
    PgParam(bool flag)
        : m_value(QByteArray(flag ? "true" : "false")) {}
    PgParam(double number)
        : m_value(QByteArray::number(number, 'g', 17)) {}
    static PgParam binary(const QByteArray &bytes);

    const std::optional<QByteArray> &value() const { return m_value; }
    bool isBinary() const { return m_binary; }

private:
    PgParam() = default;
    std::optional<QByteArray> m_value;
    bool m_binary = false;
};

// A libpq connection owned by one thread at a time. Errors come back as values with
// the SQLSTATE as code, so callers can tell a unique violation from a lost server.
class PgConnection {
public:
    // url: a libpq connection string or postgresql:// URL.
    // connectTimeoutSeconds bounds how long an unreachable server can stall the caller.
    static Result<PgConnection> open(const QString &url, int connectTimeoutSeconds = 10);

    PgConnection(PgConnection &&) noexcept;
    PgConnection &operator=(PgConnection &&) noexcept;
    ~PgConnection();

    // One statement with $1..$n parameters (extended protocol, no SQL injection).
    Result<PgResult> exec(const QString &sql, std::initializer_list<PgParam> params = {});
    Result<PgResult> exec(const QString &sql, const QList<PgParam> &params);
    // Like exec, but the statement is prepared once per connection and reused: for hot
    // paths that run the same SQL many times.
    Result<PgResult> execPrepared(const QString &sql, const QList<PgParam> &params);
    Result<PgResult> execPrepared(const QString &sql, std::initializer_list<PgParam> params) {
        return execPrepared(sql, QList<PgParam>(params));
    }
    // Several statements in one string, no parameters (migrations, fixtures).
    Result<void> execScript(const QString &sql);

    bool isOk() const;
    int serverVersion() const;
    QString userName() const;
    pg_conn *handle() const { return m_conn.get(); }

    // Quote an identifier (role, database name) for statements that take no parameters.
    QString quoteIdentifier(const QString &name) const;
    QString quoteLiteral(const QString &value) const;
    // The SCRAM-SHA-256 verifier of a password, so CREATE/ALTER ROLE never carries the
    // password itself (statements can end up in server logs).
    QString encryptPassword(const QString &role, const QString &password) const;

private:
    explicit PgConnection(pg_conn *conn);
    Error errorFrom(const pg_result *result, const QString &sql) const;

    struct Deleter {
        void operator()(pg_conn *conn) const;
    };
    std::unique_ptr<pg_conn, Deleter> m_conn;
    QHash<QString, QByteArray> m_prepared; // SQL -> statement name
};

} // namespace huntaze::store
