#include "requestlog.h"

#include <QJsonObject>

namespace sandbox {

qint64 RequestLog::append(RequestRecord record) {
    record.seq = m_nextSeq++;
    if (m_records.size() >= kCapacity)
        m_records.removeFirst();
    m_records.append(std::move(record));
    return m_records.last().seq;
}

void RequestLog::setStatus(qint64 seq, int status) {
    for (qsizetype i = m_records.size() - 1; i >= 0; --i)
        if (m_records[i].seq == seq) {
            m_records[i].status = status;
            return;
        }
}

QJsonArray RequestLog::toJson(const QString &platform, const QString &endpoint,
                              qint64 sinceSeq) const {
    QJsonArray array;
    for (const RequestRecord &r : m_records) {
        if (r.seq <= sinceSeq || (!platform.isEmpty() && r.platform != platform) ||
            (!endpoint.isEmpty() && r.endpoint != endpoint))
            continue;
        array.append(
            QJsonObject{{QStringLiteral("seq"), r.seq},
                        {QStringLiteral("at_ms"), r.atMs},
                        {QStringLiteral("platform"), r.platform},
                        {QStringLiteral("endpoint"), r.endpoint},
                        {QStringLiteral("method"), QString::fromLatin1(r.method)},
                        {QStringLiteral("path"), r.path},
                        {QStringLiteral("query"), r.query},
                        {QStringLiteral("status"), r.status},
                        {QStringLiteral("body_size"), r.bodySize},
                        {QStringLiteral("body_sha256"), QString::fromLatin1(r.bodySha256)},
                        {QStringLiteral("content_range"), QString::fromLatin1(r.contentRange)},
                        {QStringLiteral("user_agent"), QString::fromUtf8(r.userAgent)}});
    }
    return array;
}

} // namespace sandbox
