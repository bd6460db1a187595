// PublicationStore's statements for Reddit publications (declared in publicationstore.h).
#include "publicationstore.h"

#include <QJsonDocument>

namespace huntaze::jobs {

void PublicationStore::recordRedditMedia(qint64 id, const QJsonObject &media, qint64 bytesSent,
                                         Done<bool> done) {
    // Kept whatever the creator did meanwhile: only this row lets Huntaze name the
    // uploaded files instead of uploading them again.
    write(QStringLiteral(
              "UPDATE publications SET options = options || jsonb_build_object('reddit_media', "
              "$2::jsonb), bytes_sent = greatest($3::bigint, 0), updated_at = now() "
              "WHERE id = $1 RETURNING id"),
          {id, QString::fromUtf8(QJsonDocument(media).toJson(QJsonDocument::Compact)), bytesSent},
          std::move(done));
}

void PublicationStore::recordRedditNotPosted(qint64 id, const QString &state,
                                             const QString &errorCode, const QString &message,
                                             std::optional<qint64> nextAttemptIn, Done<bool> done) {
    // The marks go whatever the creator did meanwhile (nothing is on Reddit); the state and
    // message only for a row still in the queue (SET reads the row's old state).
    write(QStringLiteral(
              "UPDATE publications SET init_started_at = NULL, "
              "options = options - 'reddit_unconfirmed', "
              "state = CASE WHEN state IN ('queued', 'uploading', 'processing') THEN $2 "
              "  ELSE state END, "
              "last_error_code = CASE WHEN state IN ('queued', 'uploading', 'processing') "
              "  THEN nullif($3, '') ELSE last_error_code END, "
              "last_error_message = CASE WHEN state IN ('queued', 'uploading', 'processing') "
              "  THEN nullif($4, '') ELSE last_error_message END, "
              "next_attempt_at = CASE WHEN state IN ('queued', 'uploading', 'processing') "
              "  THEN now() + make_interval(secs => $5) ELSE next_attempt_at END, "
              "updated_at = now() "
              "WHERE id = $1 AND remote_id IS NULL RETURNING id"),
          {id, state, errorCode, message, double(nextAttemptIn.value_or(0))}, std::move(done));
}

void PublicationStore::recordRedditUnconfirmed(qint64 id, const QString &errorCode,
                                               const QString &message, const QDateTime &submittedAt,
                                               Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'needs_action', "
                         "last_error_code = nullif($2, ''), last_error_message = nullif($3, ''), "
                         "options = options || jsonb_build_object('reddit_unconfirmed', "
                         "  jsonb_build_object('submitted_at', $4::text)), "
                         "next_attempt_at = now(), updated_at = now() "
                         "WHERE id = $1 AND remote_id IS NULL "
                         "AND state IN ('queued', 'uploading', 'processing') RETURNING id"),
          {id, errorCode, message,
           submittedAt.isValid() ? submittedAt.toUTC().toString(Qt::ISODate) : QString()},
          std::move(done));
}

void PublicationStore::clearRedditUnconfirmed(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET init_started_at = NULL, "
                         "options = options - 'reddit_unconfirmed', updated_at = now() "
                         "WHERE id = $1 AND remote_id IS NULL RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::recordRedditPublished(const Publication &publication,
                                             const QString &fullname, const QString &permalink,
                                             const QString &url, const QString &subreddit,
                                             const QString &kind, const QString &title,
                                             const QDateTime &postedAt, const QString &message,
                                             Done<bool> done) {
    // One statement: the post row and the settled publication land together, so a crash
    // can never leave a post on Reddit that Huntaze would submit again. The relay's poller
    // upserts reddit_posts on fullname too: its columns (score, num_comments,
    // upvote_ratio, removed_by_category) are never named here, and what it already wrote
    // (a permalink, posted_at) is kept.
    write(QStringLiteral(
              "WITH p AS (UPDATE publications SET state = 'published', remote_id = $2, "
              "options = options - 'reddit_unconfirmed', "
              "permalink = coalesce(nullif($3, ''), permalink), "
              "last_error_code = NULL, last_error_message = nullif($9, ''), "
              "published_at = coalesce(published_at, now()), updated_at = now() "
              "WHERE id = $1 RETURNING id, user_id, account_id), "
              "r AS (INSERT INTO reddit_posts (user_id, account_id, publication_id, fullname, "
              "subreddit, kind, title, url, permalink, posted_at) "
              "SELECT user_id, account_id, id, $2, $5, $6, $7, $4, $3, "
              "coalesce(nullif($8, '')::timestamptz, now()) FROM p "
              "ON CONFLICT (fullname) DO UPDATE SET publication_id = EXCLUDED.publication_id, "
              "kind = EXCLUDED.kind, "
              "subreddit = CASE WHEN reddit_posts.subreddit = '' THEN EXCLUDED.subreddit "
              "  ELSE reddit_posts.subreddit END, "
              "title = CASE WHEN reddit_posts.title = '' THEN EXCLUDED.title "
              "  ELSE reddit_posts.title END, "
              "url = CASE WHEN reddit_posts.url = '' THEN EXCLUDED.url ELSE reddit_posts.url END, "
              "permalink = CASE WHEN reddit_posts.permalink = '' THEN EXCLUDED.permalink "
              "  ELSE reddit_posts.permalink END, "
              "posted_at = coalesce(reddit_posts.posted_at, EXCLUDED.posted_at), "
              "updated_at = now()) "
              "SELECT id FROM p"),
          {publication.id, fullname, permalink, url, subreddit, kind, title,
           postedAt.isValid() ? postedAt.toUTC().toString(Qt::ISODate) : QString(), message},
          std::move(done));
}

} // namespace huntaze::jobs
