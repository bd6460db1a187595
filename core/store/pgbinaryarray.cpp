#include "pgbinaryarray.h"

#include <QtEndian>

namespace huntaze::store {

namespace {

void appendInt32(QByteArray &out, quint32 value) {
    const quint32 wire = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&wire), sizeof wire);
}

} // namespace

PgBinaryArray::PgBinaryArray(Element type)
    : m_type(type) {}

void PgBinaryArray::appendLength(qint32 length) {
    appendInt32(m_elements, quint32(length));
    ++m_count;
}

void PgBinaryArray::append(QByteArrayView value) {
    // jsonb's binary input is a format version byte (1) followed by the JSON text.
    const bool jsonb = m_type == Element::Jsonb;
    appendLength(qint32(value.size() + (jsonb ? 1 : 0)));
    if (jsonb)
        m_elements.append(char(1));
    m_elements.append(value.data(), value.size());
}

void PgBinaryArray::appendBool(bool value) {
    appendLength(1);
    m_elements.append(char(value ? 1 : 0));
}

void PgBinaryArray::appendNull() {
    appendLength(-1);
    m_hasNull = true;
}

PgParam PgBinaryArray::param() const {
    QByteArray wire;
    wire.reserve(20 + m_elements.size());
    // Header: dimensions, has-nulls flag, element type; then each dimension's length
    // and lower bound. An empty array has no dimensions.
    appendInt32(wire, m_count ? 1 : 0);
    appendInt32(wire, m_hasNull ? 1 : 0);
    appendInt32(wire, quint32(m_type));
    if (m_count) {
        appendInt32(wire, quint32(m_count));
        appendInt32(wire, 1);
    }
    wire.append(m_elements);
    return PgParam::binary(wire);
}

} // namespace huntaze::store
