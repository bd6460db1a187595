#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace huntaze::jobs {

// What the creator asked for: one draft, published to one or more accounts. Each target
// becomes its own row in `publications`, with its own progress, status and error.
struct PublicationDraft {
    QList<qint64> accountIds;
    QString kind = QStringLiteral("video"); // video | photo
    // One draft aimed at several platforms names the same post differently on each (a
    // video is a "reel" on Instagram): a provider's entry here wins over `kind`.
    QHash<QString, QString> kindByProvider;
    QString filePath;  // a local video (FILE_UPLOAD)
    QString sourceUrl; // a video URL (PULL_FROM_URL)
    QString caption;
    qint64 fileSize = 0;
    QJsonObject options; // per platform; for TikTok see tiktokpublisher.h
};

} // namespace huntaze::jobs
