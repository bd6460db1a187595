#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace sandbox {

// What the platform side saw, for tests to assert on: GET /_admin/requests.
struct RequestRecord {
    qint64 seq = 0;
    qint64 atMs = 0; // sandbox clock
    QString platform;
    QString endpoint;
    QByteArray method;
    QString path;
    QString query;
    int status = 0; // -1: connection dropped, 0: never answered (hang)
    qint64 bodySize = 0;
    QByteArray bodySha256; // hex, for bodies that carry data
    QByteArray contentRange;
    QByteArray userAgent;
};

class RequestLog {
public:
    static constexpr qsizetype kCapacity = 20000;
    qint64 append(RequestRecord record);
    void setStatus(qint64 seq, int status);
    void clear() { m_records.clear(); }
    QJsonArray toJson(const QString &platform, const QString &endpoint, qint64 sinceSeq) const;

private:
    QList<RequestRecord> m_records;
    qint64 m_nextSeq = 1;
};

} // namespace sandbox
