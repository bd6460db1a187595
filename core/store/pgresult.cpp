#include "pgresult.h"

#include <libpq-fe.h>

namespace huntaze::store {

void PgResult::Deleter::operator()(pg_result *result) const {
    PQclear(result);
}

PgResult::PgResult(pg_result *result)
    : m_result(result) {}

int PgResult::rows() const {
    return m_result ? PQntuples(m_result.get()) : 0;
}

int PgResult::columns() const {
    return m_result ? PQnfields(m_result.get()) : 0;
}

int PgResult::column(const char *name) const {
    return m_result ? PQfnumber(m_result.get(), name) : -1;
}

QString PgResult::columnName(int column) const {
    return m_result ? QString::fromUtf8(PQfname(m_result.get(), column)) : QString();
}

bool PgResult::isNull(int row, int column) const {
    return !m_result || PQgetisnull(m_result.get(), row, column);
}

QByteArray PgResult::bytes(int row, int column) const {
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result.get(), row, column),
                      PQgetlength(m_result.get(), row, column));
}

QString PgResult::text(int row, int column) const {
    return QString::fromUtf8(bytes(row, column));
}

qint64 PgResult::int64(int row, int column) const {
    return bytes(row, column).toLongLong();
}

bool PgResult::boolean(int row, int column) const {
    return bytes(row, column) == "t";
}

qint64 PgResult::affectedRows() const {
    return m_result ? QByteArray(PQcmdTuples(m_result.get())).toLongLong() : 0;
}

} // namespace huntaze::store
