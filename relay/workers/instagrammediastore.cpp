#include "instagrammediastore.h"

#include "store/pgconnection.h"

#include <QJsonDocument>

namespace huntaze::relay {

namespace {

// Graph ids come as strings; numbers are read exactly (Qt 6 keeps integral JSON exact).
QString idText(const QJsonValue &value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

store::PgParam countOrNull(const QJsonValue &value) {
    if (!value.isDouble())
        return store::PgParam(std::nullopt);
    return store::PgParam(qint64(value.toDouble()));
}

} // namespace

Result<bool> InstagramMediaStore::upsertMedia(store::PgConnection &db, const Scope &scope,
                                              const QJsonObject &media) {
    const QString id = idText(media.value(QStringLiteral("id")));
    if (id.isEmpty() || id.size() > 64)
        return false;
    // media_url and thumbnail_url are signed CDN links that change on every read: alone
    // they never make an update (they are only filled in when missing).
    auto written = db.execPrepared(
        QStringLiteral(
            "INSERT INTO ig_media (user_id, ig_business_id, ig_id, media_type, "
            "media_product_type, caption, permalink, media_url, thumbnail_url, posted_at, "
            "like_count, comments_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            "nullif($10, '')::timestamptz, $11::bigint, $12::bigint) "
            "ON CONFLICT (ig_id) DO UPDATE SET media_type = EXCLUDED.media_type, "
            "media_product_type = EXCLUDED.media_product_type, caption = EXCLUDED.caption, "
            "permalink = EXCLUDED.permalink, media_url = EXCLUDED.media_url, "
            "thumbnail_url = EXCLUDED.thumbnail_url, "
            "posted_at = coalesce(EXCLUDED.posted_at, ig_media.posted_at), "
            "like_count = coalesce(EXCLUDED.like_count, ig_media.like_count), "
            "comments_count = coalesce(EXCLUDED.comments_count, ig_media.comments_count), "
            "updated_at = now() "
            "WHERE ig_media.user_id = EXCLUDED.user_id AND ("
            "(ig_media.media_type, ig_media.media_product_type, ig_media.caption, "
            "ig_media.permalink, ig_media.posted_at, ig_media.like_count, "
            "ig_media.comments_count) IS DISTINCT FROM (EXCLUDED.media_type, "
            "EXCLUDED.media_product_type, EXCLUDED.caption, EXCLUDED.permalink, "
            "coalesce(EXCLUDED.posted_at, ig_media.posted_at), "
            "coalesce(EXCLUDED.like_count, ig_media.like_count), "
            "coalesce(EXCLUDED.comments_count, ig_media.comments_count)) "
            "OR (ig_media.media_url = '' AND EXCLUDED.media_url <> '') "
            "OR (ig_media.thumbnail_url = '' AND EXCLUDED.thumbnail_url <> '')) "
            "RETURNING 1"),
        {scope.userId, scope.igBusinessId, id, media.value(QStringLiteral("media_type")).toString(),
         media.value(QStringLiteral("media_product_type")).toString(),
         media.value(QStringLiteral("caption")).toString(),
         media.value(QStringLiteral("permalink")).toString(),
         media.value(QStringLiteral("media_url")).toString(),
         media.value(QStringLiteral("thumbnail_url")).toString(),
         media.value(QStringLiteral("timestamp")).toString(),
         countOrNull(media.value(QStringLiteral("like_count"))),
         countOrNull(media.value(QStringLiteral("comments_count")))});
    if (!written)
        return written.error();
    return written->rows() > 0;
}

Result<bool> InstagramMediaStore::upsertComment(store::PgConnection &db, const Scope &scope,
                                                const QString &mediaId, const QString &parentId,
                                                const QJsonObject &comment) {
    const QString id = idText(comment.value(QStringLiteral("id")));
    if (id.isEmpty() || id.size() > 64)
        return false;
    // from_id and hidden are not in the listing: what webhooks and the creator set stays.
    auto written = db.execPrepared(
        QStringLiteral(
            "INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, "
            "parent_ig_id, username, text, like_count, posted_at) VALUES ($1, $2, $3, $4, "
            "nullif($5, ''), $6, $7, $8::bigint, nullif($9, '')::timestamptz) "
            "ON CONFLICT (ig_id) DO UPDATE SET media_ig_id = EXCLUDED.media_ig_id, "
            "parent_ig_id = coalesce(EXCLUDED.parent_ig_id, ig_comments.parent_ig_id), "
            "username = EXCLUDED.username, text = EXCLUDED.text, "
            "like_count = coalesce(EXCLUDED.like_count, ig_comments.like_count), "
            "posted_at = coalesce(EXCLUDED.posted_at, ig_comments.posted_at), "
            "updated_at = now() "
            "WHERE ig_comments.user_id = EXCLUDED.user_id AND "
            "(ig_comments.media_ig_id, ig_comments.parent_ig_id, ig_comments.username, "
            "ig_comments.text, ig_comments.like_count, ig_comments.posted_at) IS DISTINCT FROM "
            "(EXCLUDED.media_ig_id, coalesce(EXCLUDED.parent_ig_id, ig_comments.parent_ig_id), "
            "EXCLUDED.username, EXCLUDED.text, "
            "coalesce(EXCLUDED.like_count, ig_comments.like_count), "
            "coalesce(EXCLUDED.posted_at, ig_comments.posted_at)) RETURNING 1"),
        {scope.userId, scope.igBusinessId, id, mediaId, parentId,
         comment.value(QStringLiteral("username")).toString(),
         comment.value(QStringLiteral("text")).toString(),
         countOrNull(comment.value(QStringLiteral("like_count"))),
         comment.value(QStringLiteral("timestamp")).toString()});
    if (!written)
        return written.error();
    return written->rows() > 0;
}

Result<bool> InstagramMediaStore::recordInsights(store::PgConnection &db, const Scope &scope,
                                                 const QString &mediaId,
                                                 const QJsonObject &metrics) {
    if (metrics.isEmpty())
        return false;
    auto written = db.execPrepared(
        QStringLiteral(
            "WITH changed AS (UPDATE ig_media SET insights = ig_media.insights || $3::jsonb, "
            "insights_updated_at = now(), updated_at = now() "
            "WHERE ig_id = $1 AND user_id = $2 AND ig_business_id = $4 "
            "AND (ig_media.insights || $3::jsonb) IS DISTINCT FROM ig_media.insights "
            "RETURNING user_id, ig_id, insights) "
            "INSERT INTO ig_media_insights (user_id, ig_id, insights) "
            "SELECT user_id, ig_id, insights FROM changed RETURNING 1"),
        {mediaId, scope.userId,
         QString::fromUtf8(QJsonDocument(metrics).toJson(QJsonDocument::Compact)),
         scope.igBusinessId});
    if (!written)
        return written.error();
    return written->rows() > 0;
}

Result<qint64> InstagramMediaStore::storedComments(store::PgConnection &db, const Scope &scope,
                                                   const QString &mediaId) {
    auto counted = db.execPrepared(QStringLiteral("SELECT count(*) FROM ig_comments WHERE "
                                                  "media_ig_id = $1 AND user_id = $2"),
                                   {mediaId, scope.userId});
    if (!counted)
        return counted.error();
    return counted->int64(0, 0);
}

Result<QList<InstagramMediaStore::Story>> InstagramMediaStore::liveStories(store::PgConnection &db,
                                                                           const Scope &scope) {
    auto rows = db.execPrepared(
        QStringLiteral("SELECT ig_id, media_type FROM ig_media WHERE ig_business_id = $1 AND "
                       "user_id = $2 AND media_product_type = 'STORY' AND "
                       "coalesce(posted_at, created_at) > now() - interval '24 hours' "
                       "ORDER BY coalesce(posted_at, created_at) DESC LIMIT 100"),
        {scope.igBusinessId, scope.userId});
    if (!rows)
        return rows.error();
    QList<Story> out;
    for (int row = 0; row < rows->rows(); ++row)
        out.append({rows->text(row, 0), rows->text(row, 1)});
    return out;
}

Result<void> InstagramMediaStore::markSynced(store::PgConnection &db, const QString &igBusinessId) {
    auto updated = db.execPrepared(
        QStringLiteral("UPDATE instagram_accounts SET synced_at = now() WHERE ig_business_id = $1"),
        {igBusinessId});
    if (!updated)
        return updated.error();
    return {};
}

} // namespace huntaze::relay
