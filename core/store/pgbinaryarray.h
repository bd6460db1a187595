#pragma once

#include "pgconnection.h"

#include <QByteArray>
#include <QByteArrayView>

namespace huntaze::store {

// A one-dimensional array in PostgreSQL's binary wire format (what array_recv reads),
// built element by element. Sending many rows as one array per column, as in
//   INSERT ... SELECT * FROM unnest($1::text[], $2::bool[], ...)
// keeps one prepared statement for any number of rows, and binary elements spare the
// server parsing and the client escaping.
class PgBinaryArray {
public:
    // The element types in use; the value is the type's OID, which array_recv checks
    // against the parameter's declared type.
    enum class Element : quint32 { Bool = 16, Bytea = 17, Text = 25, Uuid = 2950, Jsonb = 3802 };

    explicit PgBinaryArray(Element type);

    // Text: UTF-8; Bytea: any bytes; Uuid: the 16 bytes; Jsonb: JSON text.
    void append(QByteArrayView value);
    void appendBool(bool value);
    void appendNull();

    qsizetype size() const { return m_count; }
    // The whole array as a binary parameter.
    PgParam param() const;

private:
    void appendLength(qint32 length);

    Element m_type;
    qsizetype m_count = 0;
    bool m_hasNull = false;
    QByteArray m_elements;
};

} // namespace huntaze::store
