#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

struct pg_result;

namespace huntaze::store {

// Owns one libpq result. Values are read as text (the default result format).
class PgResult {
public:
    PgResult() = default;
    explicit PgResult(pg_result *result);

    int rows() const;
    int columns() const;
    int column(const char *name) const; // -1 when absent
    QString columnName(int column) const;
    bool isNull(int row, int column) const;
    QByteArray bytes(int row, int column) const;
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const;
    bool boolean(int row, int column) const;
    qint64 affectedRows() const;

private:
    struct Deleter {
        void operator()(pg_result *result) const;
    };
    std::unique_ptr<pg_result, Deleter> m_result;
};

} // namespace huntaze::store
