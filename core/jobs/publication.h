#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace huntaze::jobs {

// One row of `publications`: a draft going to one account, as the queue works on it.
struct Publication {
    qint64 id = 0;
    qint64 accountId = 0;
    QString provider;
    QString kind; // video | photo
    QString sourcePath;
    QString sourceUrl;
    QString caption;
    QJsonObject options; // per platform: mode, privacy_level, content_type, chunk_size, ...
    QString state;
    QString remoteId; // TikTok publish_id once init succeeded
    QDateTime initStartedAt;
    QUrl uploadUrl;
    QDateTime uploadUrlExpiresAt;
    qint64 bytesSent = 0;
    qint64 bytesTotal = 0;
    int attempts = 0;
    QString lastErrorCode;
    QString correlationId;

    static Publication fromRow(const QJsonObject &row);
    // The columns fromRow reads, for SELECT lists.
    static QString columns();
};

} // namespace huntaze::jobs
