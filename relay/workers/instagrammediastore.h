#pragma once

#include "base/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

// What the sync worker writes: ig_media, ig_comments, ig_media_insights. Every write is
// an upsert on the natural key that changes nothing when nothing changed (IS DISTINCT
// FROM guards), so a second sync neither moves updated_at nor wakes the desktops (the
// tables' triggers announce every real insert or update). Each returns whether it
// wrote.
class InstagramMediaStore {
public:
    struct Scope {
        qint64 userId = 0;
        QString igBusinessId;
    };

    // One item of {ig-id}/media (id, caption, media_type, media_product_type, permalink,
    // timestamp, like_count, comments_count, thumbnail_url, media_url).
    static Result<bool> upsertMedia(store::PgConnection &db, const Scope &scope,
                                    const QJsonObject &media);
    // One comment of {media-id}/comments (id, text, username, timestamp, like_count), or
    // one of its replies (parentId set).
    static Result<bool> upsertComment(store::PgConnection &db, const Scope &scope,
                                      const QString &mediaId, const QString &parentId,
                                      const QJsonObject &comment);
    // Merges fresh metrics into ig_media.insights; when that changes them, appends the
    // new values to ig_media_insights (the history the desktop charts).
    static Result<bool> recordInsights(store::PgConnection &db, const Scope &scope,
                                       const QString &mediaId, const QJsonObject &metrics);
    // Comments (and replies) stored for a media.
    static Result<qint64> storedComments(store::PgConnection &db, const Scope &scope,
                                         const QString &mediaId);

    struct Story {
        QString igId;
        QString mediaType;
    };
    // Stories of the account younger than 24 h: their insights still exist.
    static Result<QList<Story>> liveStories(store::PgConnection &db, const Scope &scope);
    static Result<void> markSynced(store::PgConnection &db, const QString &igBusinessId);
};

} // namespace huntaze::relay
