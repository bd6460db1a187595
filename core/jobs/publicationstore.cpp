#include "publicationstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QStringList>

namespace huntaze::jobs {

namespace {
using store::PgParam;
// classid of the advisory locks on publications ("HUNT"); objid is the publication id.
constexpr int kLockClass = 0x48554e54;

QString idArray(const QList<qint64> &ids) {
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

// The states the queue works on; anything else was decided by the creator or is final.
constexpr auto kWorkable = "('queued', 'uploading', 'processing')";
} // namespace

void PublicationStore::write(const QString &sql, const QList<PgParam> &params, Done<bool> done) {
    m_db->query(sql, params, [done](const Result<store::DesktopDatabase::Rows> &rows) {
        if (!done)
            return;
        if (!rows)
            return done(rows.error());
        done(!rows->isEmpty());
    });
}

void PublicationStore::enqueue(const PublicationDraft &draft, Done<QList<qint64>> done) {
    const QString sql = QStringLiteral(
        "WITH d AS (SELECT gen_random_uuid() AS draft_id) "
        "INSERT INTO publications (user_id, draft_id, account_id, provider, kind, source_path, "
        "source_url, caption, options, bytes_total) "
        "SELECT a.user_id, d.draft_id, a.id, a.provider, COALESCE($8::jsonb ->> a.provider, $2), "
        "$3, $4, $5, $6::jsonb, $7 "
        "FROM oauth_accounts a CROSS JOIN d WHERE a.id = ANY($1::bigint[]) AND a.status = 'active' "
        "ORDER BY a.id RETURNING id");
    const int wanted = int(draft.accountIds.size());
    QJsonObject kinds;
    for (auto it = draft.kindByProvider.cbegin(); it != draft.kindByProvider.cend(); ++it)
        kinds.insert(it.key(), it.value());
    m_db->query(
        sql,
        {idArray(draft.accountIds), draft.kind, draft.filePath, draft.sourceUrl, draft.caption,
         QString::fromUtf8(QJsonDocument(draft.options).toJson(QJsonDocument::Compact)),
         draft.fileSize, QString::fromUtf8(QJsonDocument(kinds).toJson(QJsonDocument::Compact))},
        [done, wanted](const Result<store::DesktopDatabase::Rows> &rows) {
            if (!rows)
                return done(rows.error());
            if (rows->size() != wanted)
                return done(
                    Error{QStringLiteral("queue"),
                          QStringLiteral("account_unavailable"),
                          QCoreApplication::translate(
                              "PublicationStore",
                              "An account you chose is not connected (or must be reconnected); "
                              "reconnect it in Accounts and publish again."),
                          {},
                          0,
                          false,
                          {}});
            QList<qint64> ids;
            for (const QJsonObject &row : *rows)
                ids.append(row.value(QStringLiteral("id")).toString().toLongLong());
            done(ids);
        });
}

void PublicationStore::dueIds(const QList<qint64> &busyHere, int limit, Done<QList<qint64>> done) {
    m_db->query(QStringLiteral("SELECT id FROM publications WHERE state IN %1 "
                               "AND next_attempt_at <= now() AND NOT (id = ANY($1::bigint[])) "
                               "ORDER BY next_attempt_at, id LIMIT $2")
                    .arg(QLatin1String(kWorkable)),
                {idArray(busyHere), limit},
                [done](const Result<store::DesktopDatabase::Rows> &rows) {
                    if (!rows)
                        return done(rows.error());
                    QList<qint64> ids;
                    for (const QJsonObject &row : *rows)
                        ids.append(row.value(QStringLiteral("id")).toString().toLongLong());
                    done(ids);
                });
}

void PublicationStore::tryLock(qint64 id, Done<bool> done) {
    m_db->query(QStringLiteral("SELECT pg_try_advisory_lock($1, $2::integer) AS locked"),
                {kLockClass, id}, [done](const Result<store::DesktopDatabase::Rows> &rows) {
                    if (!rows)
                        return done(rows.error());
                    done(!rows->isEmpty() &&
                         rows->first().value(QStringLiteral("locked")).toString() ==
                             QLatin1String("t"));
                });
}

void PublicationStore::unlock(qint64 id) {
    m_db->query(QStringLiteral("SELECT pg_advisory_unlock($1, $2::integer)"), {kLockClass, id},
                [](const Result<store::DesktopDatabase::Rows> &) {});
}

void PublicationStore::load(qint64 id, Done<std::optional<Publication>> done) {
    m_db->query(
        QStringLiteral("SELECT %1 FROM publications WHERE id = $1").arg(Publication::columns()),
        {id}, [done](const Result<store::DesktopDatabase::Rows> &rows) {
            if (!rows)
                return done(rows.error());
            if (rows->isEmpty())
                return done(std::optional<Publication>());
            done(std::optional<Publication>(Publication::fromRow(rows->first())));
        });
}

void PublicationStore::markInitStarting(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'uploading', init_started_at = now(), "
                         "attempts = attempts + 1, updated_at = now() "
                         "WHERE id = $1 AND state IN ('queued', 'uploading') RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::clearInitStarted(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET init_started_at = NULL, updated_at = now() "
                         "WHERE id = $1 AND remote_id IS NULL RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::recordProgress(qint64 id, qint64 bytesSent) {
    write(QStringLiteral("UPDATE publications SET bytes_sent = $2, last_error_code = NULL, "
                         "last_error_message = NULL, updated_at = now() "
                         "WHERE id = $1 AND state = 'uploading' RETURNING id"),
          {id, bytesSent}, {});
}

void PublicationStore::setState(qint64 id, const QString &state, const QString &errorCode,
                                const QString &message, std::optional<qint64> nextAttemptIn,
                                Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = $2, last_error_code = nullif($3, ''), "
                         "last_error_message = nullif($4, ''), "
                         "next_attempt_at = now() + make_interval(secs => $5), updated_at = now() "
                         "WHERE id = $1 AND state IN %1 RETURNING id")
              .arg(QLatin1String(kWorkable)),
          {id, state, errorCode, message, double(nextAttemptIn.value_or(0))}, std::move(done));
}

void PublicationStore::markPublished(qint64 id, const QString &permalink, const QString &message,
                                     Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'published', "
                         "permalink = coalesce(nullif($2, ''), permalink), "
                         "last_error_code = NULL, last_error_message = nullif($3, ''), "
                         "published_at = coalesce(published_at, now()), updated_at = now() "
                         "WHERE id = $1 AND state IN %1 RETURNING id")
              .arg(QLatin1String(kWorkable)),
          {id, permalink, message}, std::move(done));
}

void PublicationStore::resetToQueued(qint64 id, const QString &errorCode, const QString &message,
                                     Done<bool> done) {
    // Containers a platform made for the old attempt are dropped with it (Instagram).
    write(QStringLiteral("UPDATE publications SET state = 'queued', remote_id = NULL, "
                         "upload_url = NULL, upload_url_expires_at = NULL, init_started_at = NULL, "
                         "options = options - 'ig_containers', "
                         "bytes_sent = 0, last_error_code = nullif($2, ''), "
                         "last_error_message = nullif($3, ''), next_attempt_at = now(), "
                         "updated_at = now() WHERE id = $1 AND state IN %1 RETURNING id")
              .arg(QLatin1String(kWorkable)),
          {id, errorCode, message}, std::move(done));
}

void PublicationStore::pause(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'paused', updated_at = now() "
                         "WHERE id = $1 AND state IN ('queued', 'uploading') RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::resume(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = CASE WHEN remote_id IS NULL THEN "
                         "'queued' ELSE 'uploading' END, next_attempt_at = now(), "
                         "updated_at = now() WHERE id = $1 AND state = 'paused' RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::cancel(qint64 id, Done<bool> done) {
    write(QStringLiteral("UPDATE publications SET state = 'cancelled', updated_at = now() "
                         "WHERE id = $1 AND state NOT IN ('published', 'cancelled') RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::retry(qint64 id, Done<bool> done) {
    // A post the platform failed, or one never created, starts over with a new init.
    // One that exists and may still be alive is looked at again, never created twice.
    write(QStringLiteral(
              "UPDATE publications SET "
              "state = CASE WHEN remote_id IS NULL OR state = 'failed' THEN 'queued' "
              "  WHEN bytes_sent < bytes_total AND source_path <> '' THEN 'uploading' "
              "  ELSE 'processing' END, "
              "remote_id = CASE WHEN state = 'failed' THEN NULL ELSE remote_id END, "
              "upload_url = CASE WHEN state = 'failed' THEN NULL ELSE upload_url END, "
              "init_started_at = CASE WHEN state = 'failed' THEN NULL ELSE init_started_at END, "
              "bytes_sent = CASE WHEN state = 'failed' THEN 0 ELSE bytes_sent END, "
              "options = CASE WHEN state = 'failed' THEN options - 'ig_containers' "
              "  ELSE options END, "
              "attempts = 0, last_error_code = NULL, last_error_message = NULL, "
              "next_attempt_at = now(), updated_at = now() "
              "WHERE id = $1 AND state IN ('failed', 'needs_action') RETURNING id"),
          {id}, std::move(done));
}

void PublicationStore::recordTikTokInit(const Publication &publication, const QString &publishId,
                                        const QString &uploadUrl, const QString &postMode,
                                        const QString &source, qint64 chunkSize, Done<bool> done) {
    // Recorded whatever the creator did meanwhile (paused, cancelled): the post exists on
    // TikTok now, and only this row lets Huntaze follow or cancel it.
    write(QStringLiteral(
              "WITH p AS (UPDATE publications SET remote_id = $2, upload_url = nullif($3, ''), "
              "upload_url_expires_at = CASE WHEN $3 <> '' THEN now() + interval '1 hour' END, "
              "bytes_sent = 0, options = options || jsonb_build_object('chunk_size', $6::bigint), "
              "state = CASE WHEN state IN ('paused', 'cancelled') THEN state "
              "  WHEN $3 <> '' THEN 'uploading' ELSE 'processing' END, "
              "last_error_code = NULL, last_error_message = NULL, "
              "next_attempt_at = now(), updated_at = now() WHERE id = $1 "
              "RETURNING id, user_id, account_id) "
              "INSERT INTO tiktok_posts (user_id, account_id, publication_id, publish_id, "
              "post_mode, source, uploaded_bytes) "
              "SELECT user_id, account_id, id, $2, $4, $5, 0 FROM p "
              "ON CONFLICT (publish_id) DO NOTHING RETURNING publish_id"),
          {publication.id, publishId, uploadUrl, postMode, source, chunkSize},
          [done](Result<bool> written) {
              if (!written)
                  return done(written.error());
              done(true); // a replayed publish_id inserts nothing, and that is fine
          });
}

void PublicationStore::recordTikTokStatus(const QString &publishId, const QString &status,
                                          const QString &failReason, const QString &postId,
                                          qint64 uploadedBytes, Done<bool> done) {
    write(QStringLiteral("UPDATE tiktok_posts SET status = $2, "
                         "fail_reason = coalesce(nullif($3, ''), fail_reason), "
                         "post_id = coalesce(nullif($4, ''), post_id), "
                         "uploaded_bytes = greatest(uploaded_bytes, $5), updated_at = now() "
                         "WHERE publish_id = $1 AND status NOT IN ('PUBLISH_COMPLETE', 'FAILED') "
                         "RETURNING publish_id"),
          {publishId, status, failReason, postId, uploadedBytes}, std::move(done));
}

void PublicationStore::tiktokPendingShares(qint64 accountId, Done<PendingShares> done) {
    m_db->query(QStringLiteral(
                    "SELECT count(*) AS pending, "
                    "(extract(epoch FROM min(created_at) + interval '24 hours') * 1000)::bigint "
                    "AS frees_at FROM tiktok_posts WHERE account_id = $1 AND post_mode = 'inbox' "
                    "AND status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD', "
                    "'SEND_TO_USER_INBOX') AND created_at > now() - interval '24 hours'"),
                {accountId}, [done](const Result<store::DesktopDatabase::Rows> &rows) {
                    if (!rows)
                        return done(rows.error());
                    PendingShares shares;
                    if (!rows->isEmpty()) {
                        shares.pending =
                            rows->first().value(QStringLiteral("pending")).toString().toInt();
                        const QString frees =
                            rows->first().value(QStringLiteral("frees_at")).toString();
                        if (!frees.isEmpty())
                            shares.nextFreesAt =
                                QDateTime::fromMSecsSinceEpoch(frees.toLongLong(), Qt::UTC);
                    }
                    done(shares);
                });
}

void PublicationStore::accountUsername(qint64 accountId, Done<QString> done) {
    m_db->query(QStringLiteral("SELECT username FROM oauth_accounts WHERE id = $1"), {accountId},
                [done](const Result<store::DesktopDatabase::Rows> &rows) {
                    if (!rows)
                        return done(rows.error());
                    done(rows->isEmpty()
                             ? QString()
                             : rows->first().value(QStringLiteral("username")).toString());
                });
}

} // namespace huntaze::jobs
