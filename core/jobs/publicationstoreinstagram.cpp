// PublicationStore's statements for Instagram publications (declared in publicationstore.h).
#include "publicationstore.h"

#include <QJsonDocument>

namespace huntaze::jobs {

void PublicationStore::recordInstagramContainer(qint64 id, const QString &key,
                                                const QJsonObject &container, Done<bool> done) {
    // Recorded whatever the creator did meanwhile: the container exists on Instagram now,
    // and only this row lets Huntaze reuse it instead of making another.
    write(QStringLiteral(
              "UPDATE publications SET options = jsonb_set(options, '{ig_containers}', "
              "coalesce(options->'ig_containers', '{}'::jsonb) || jsonb_build_object($2::text, "
              "$3::jsonb)), "
              "remote_id = CASE WHEN $2 = 'main' THEN $3::jsonb->>'id' ELSE remote_id END, "
              "updated_at = now() WHERE id = $1 RETURNING id"),
          {id, key, QString::fromUtf8(QJsonDocument(container).toJson(QJsonDocument::Compact))},
          std::move(done));
}

void PublicationStore::recordInstagramHostedUrl(qint64 id, const QString &key, const QString &url,
                                                const QDateTime &expiresAt, Done<bool> done) {
    write(QStringLiteral(
              "UPDATE publications SET options = CASE WHEN $2 = 'main' "
              "THEN options || jsonb_build_object('hosted_url', $3::text, 'hosted_expires_at', "
              "$4::text) "
              "ELSE jsonb_set(jsonb_set(options, ARRAY['items', $2, 'url'], to_jsonb($3::text)), "
              "ARRAY['items', $2, 'url_expires_at'], to_jsonb($4::text)) END, "
              "updated_at = now() WHERE id = $1 RETURNING id"),
          {id, key, url, expiresAt.toUTC().toString(Qt::ISODate)}, std::move(done));
}

void PublicationStore::markInstagramPublishStarting(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET init_started_at = now(), "
                         "attempts = attempts + 1, updated_at = now() "
                         "WHERE id = $1 AND state IN ('queued', 'uploading', 'processing') "
                         "RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::recordInstagramPublished(qint64 id, const QString &igBusinessId,
                                                const QString &mediaId, const QString &mediaType,
                                                const QString &mediaProductType,
                                                const QString &permalink, const QString &message,
                                                Done<bool> done) {
    // One statement: the media row and the settled publication land together, so a crash
    // can never leave a published post that Huntaze would publish again.
    write(QStringLiteral(
              "WITH p AS (UPDATE publications SET state = 'published', "
              "permalink = coalesce(nullif($5, ''), permalink), "
              "options = options || jsonb_build_object('ig_media_id', $3::text), "
              "last_error_code = NULL, last_error_message = nullif($6, ''), "
              "published_at = coalesce(published_at, now()), updated_at = now() "
              "WHERE id = $1 AND state IN ('queued', 'uploading', 'processing') "
              "RETURNING id, user_id, caption), "
              "m AS (INSERT INTO ig_media (user_id, ig_business_id, publication_id, ig_id, "
              "media_type, media_product_type, caption, permalink, posted_at) "
              "SELECT user_id, $2, id, $3, $7, $4, caption, $5, now() FROM p "
              "WHERE $3 <> '' AND EXISTS (SELECT 1 FROM instagram_accounts "
              "WHERE ig_business_id = $2) "
              "ON CONFLICT (ig_id) DO UPDATE SET publication_id = EXCLUDED.publication_id, "
              "permalink = coalesce(nullif(EXCLUDED.permalink, ''), ig_media.permalink), "
              "updated_at = now()) "
              "SELECT id FROM p"),
          {id, igBusinessId, mediaId, mediaProductType, permalink, message, mediaType},
          std::move(done));
}

void PublicationStore::instagramPublishedRecently(const QString &igBusinessId, qint64 windowSeconds,
                                                  Done<PendingShares> done) {
    m_db->query(
        QStringLiteral("SELECT count(*) AS published, "
                       "(extract(epoch FROM min(published_at) + make_interval(secs => $2)) * "
                       "1000)::bigint AS frees_at FROM publications "
                       "WHERE provider = 'instagram' AND state = 'published' "
                       "AND options->>'ig_business_id' = $1 "
                       "AND published_at > now() - make_interval(secs => $2)"),
        {igBusinessId, double(windowSeconds)},
        [done](const Result<store::DesktopDatabase::Rows> &rows) {
            if (!rows)
                return done(rows.error());
            PendingShares recent;
            if (!rows->isEmpty()) {
                recent.pending =
                    rows->first().value(QStringLiteral("published")).toString().toInt();
                const QString frees = rows->first().value(QStringLiteral("frees_at")).toString();
                if (!frees.isEmpty())
                    recent.nextFreesAt =
                        QDateTime::fromMSecsSinceEpoch(frees.toLongLong(), Qt::UTC);
            }
            done(recent);
        });
}

} // namespace huntaze::jobs
