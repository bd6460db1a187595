// PublicationStore's statements for X publications (declared in publicationstore.h).
#include "publicationstore.h"

#include <QJsonDocument>

namespace huntaze::jobs {

void PublicationStore::recordXMediaCheckpoint(qint64 id, int index, const QJsonObject &checkpoint,
                                              qint64 bytesSent, Done<bool> done) {
    // Kept whatever the creator did meanwhile (paused, cancelled): only this row lets
    // Huntaze resume the upload instead of sending the file again.
    write(
        QStringLiteral("UPDATE publications SET options = jsonb_set(options, '{x_media}', "
                       "coalesce(options->'x_media', '{}'::jsonb) || jsonb_build_object($2::text, "
                       "$3::jsonb)), bytes_sent = greatest($4::bigint, 0), "
                       "state = CASE WHEN state = 'queued' THEN 'uploading' ELSE state END, "
                       "updated_at = now() WHERE id = $1 RETURNING id"),
        {id, QString::number(index),
         QString::fromUtf8(QJsonDocument(checkpoint).toJson(QJsonDocument::Compact)), bytesSent},
        std::move(done));
}

void PublicationStore::forgetXMedia(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET options = options - 'x_media', bytes_sent = 0, "
                         "updated_at = now() WHERE id = $1 RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::recordXPublished(const Publication &publication, const QString &postId,
                                        const QString &text, const QString &permalink,
                                        const QString &message, Done<bool> done) {
    // One statement: the post row and the settled publication land together, so a crash
    // can never leave a post on X that Huntaze would send again. Settled whatever the
    // creator did meanwhile: the post is on X. The relay upserts x_posts on tweet_id too
    // (webhooks, metrics): its columns are never touched here.
    write(QStringLiteral(
              "WITH p AS (UPDATE publications SET state = 'published', remote_id = $2, "
              "permalink = coalesce(nullif($4, ''), permalink), init_started_at = NULL, "
              "last_error_code = NULL, last_error_message = nullif($5, ''), "
              "published_at = coalesce(published_at, now()), updated_at = now() "
              "WHERE id = $1 RETURNING id, user_id, account_id), "
              "x AS (INSERT INTO x_posts (user_id, account_id, publication_id, tweet_id, text, "
              "posted_at) SELECT user_id, account_id, id, $2, $3, now() FROM p "
              "ON CONFLICT (tweet_id) DO UPDATE SET publication_id = EXCLUDED.publication_id, "
              "text = coalesce(nullif(EXCLUDED.text, ''), x_posts.text), "
              "posted_at = coalesce(x_posts.posted_at, EXCLUDED.posted_at), updated_at = now()) "
              "SELECT id FROM p"),
          {publication.id, postId, text, permalink, message}, std::move(done));
}

void PublicationStore::recordXUnconfirmed(qint64 id, const QString &message, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'needs_action', init_started_at = NULL, "
                         "last_error_code = 'outcome_unknown', last_error_message = $2, "
                         "updated_at = now() WHERE id = $1 AND remote_id IS NULL RETURNING id"),
          {id, message}, std::move(done));
}

} // namespace huntaze::jobs
