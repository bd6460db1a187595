#include "eventapplier.h"

#include "store/pgconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace huntaze::relay {

namespace {

using store::PgConnection;

Error retryLater(const QString &code, const QString &detail) {
    Error error;
    error.domain = QStringLiteral("processing");
    error.code = code;
    error.detail = detail;
    error.retryable = true;
    return error;
}

Error invalid(const QString &detail) {
    Error error;
    error.domain = QStringLiteral("processing");
    error.code = QStringLiteral("invalid_event");
    error.detail = detail;
    return error;
}

QString idText(const QJsonValue &value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble()) // Qt 6 keeps integral JSON numbers exact; platform ids exceed 2^53
        return QString::number(value.toInteger());
    return {};
}

// Announces a change to desktops listening on huntaze_changes (delivered at commit).
Result<void> notifyChange(PgConnection &db, const QString &table, qint64 userId,
                          const QString &key) {
    const QJsonObject payload{{QStringLiteral("table"), table},
                              {QStringLiteral("user_id"), userId},
                              {QStringLiteral("key"), key}};
    auto notified =
        db.execPrepared(QStringLiteral("SELECT pg_notify('huntaze_changes', $1)"),
                        {QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact))});
    if (!notified)
        return notified.error();
    return {};
}

Result<Applied> markNeedsReconnect(PgConnection &db, const QString &provider, const QString &openId,
                                   const QString &reason) {
    // The token is already dead: drop it, keep the account so the creator can reconnect.
    auto updated = db.execPrepared(
        QStringLiteral(
            "UPDATE oauth_accounts SET status = 'needs_reconnect', status_reason = $3, "
            "access_token_sealed = NULL, refresh_token_sealed = NULL, updated_at = now() "
            "WHERE provider = $1 AND open_id = $2 RETURNING user_id, id"),
        {provider, openId, reason});
    if (!updated)
        return updated.error();
    if (updated->rows() == 0)
        return Applied{0, QStringLiteral("ignored: account not connected")};
    const qint64 userId = updated->int64(0, 0);
    auto audited = db.execPrepared(
        QStringLiteral(
            "INSERT INTO audit_log (user_id, actor, event, provider, subject, outcome, details) "
            "VALUES ($1, 'platform', 'authorization.removed', $2, $3, 'needs_reconnect', "
            "jsonb_build_object('reason', $4::text))"),
        {userId, provider, openId, reason});
    if (!audited)
        return audited.error();
    if (auto n = notifyChange(db, QStringLiteral("oauth_accounts"), userId, updated->text(0, 1));
        !n)
        return n.error();
    return Applied{userId, {}};
}

// TikTok post statuses in the order they can only move forward.
int statusRank(const QString &status) {
    if (status == QLatin1String("PROCESSING_UPLOAD") ||
        status == QLatin1String("PROCESSING_DOWNLOAD"))
        return 0;
    if (status == QLatin1String("SEND_TO_USER_INBOX"))
        return 1;
    return 2; // PUBLISH_COMPLETE, FAILED: final
}

Result<Applied> applyTikTokPost(PgConnection &db, const QString &event,
                                const QJsonObject &content) {
    const QString publishId = idText(content.value(QStringLiteral("publish_id")));
    if (publishId.isEmpty())
        return invalid(QStringLiteral("content.publish_id missing"));
    QString status;
    QString failReason;
    QString postId;
    QString publicationState;
    if (event == QLatin1String("post.publish.inbox_delivered")) {
        status = QStringLiteral("SEND_TO_USER_INBOX");
        publicationState = QStringLiteral("published");
    } else if (event == QLatin1String("post.publish.complete")) {
        status = QStringLiteral("PUBLISH_COMPLETE");
        publicationState = QStringLiteral("published");
    } else if (event == QLatin1String("post.publish.failed")) {
        status = QStringLiteral("FAILED");
        failReason = content.value(QStringLiteral("reason")).toString();
        publicationState = QStringLiteral("failed");
    } else if (event == QLatin1String("post.publish.publicly_available")) {
        status = QStringLiteral("PUBLISH_COMPLETE");
        postId = idText(content.value(QStringLiteral("post_id")));
        publicationState = QStringLiteral("published");
    } else {
        // no_longer_publicaly_available (and its corrected spelling): recorded only.
        return Applied{0, QStringLiteral("recorded")};
    }
    auto post =
        db.execPrepared(QStringLiteral("SELECT user_id, status, publication_id FROM tiktok_posts "
                                       "WHERE publish_id = $1 FOR UPDATE"),
                        {publishId});
    if (!post)
        return post.error();
    if (post->rows() == 0) // the desktop records the publish_id right after init: wait for it
        return retryLater(QStringLiteral("post_not_recorded"), publishId);
    const qint64 userId = post->int64(0, 0);
    const QString current = post->text(0, 1);
    const bool advances =
        statusRank(status) > statusRank(current) || (statusRank(status) == 2 && current == status);
    if (advances) {
        auto updated =
            db.execPrepared(QStringLiteral("UPDATE tiktok_posts SET status = $2, fail_reason = "
                                           "coalesce(nullif($3, ''), fail_reason), "
                                           "post_id = coalesce(nullif($4, ''), post_id), "
                                           "updated_at = now() WHERE publish_id = $1"),
                            {publishId, status, failReason, postId});
        if (!updated)
            return updated.error();
        if (!post->isNull(0, 2)) {
            auto publication = db.execPrepared(
                QStringLiteral(
                    "UPDATE publications SET state = $2, last_error_code = nullif($3, ''), "
                    "published_at = CASE WHEN $2 = 'published' THEN coalesce(published_at, now()) "
                    "END, "
                    "updated_at = now() WHERE id = $1 AND state NOT IN ('published', 'failed', "
                    "'cancelled')"),
                {post->int64(0, 2), publicationState, failReason});
            if (!publication)
                return publication.error();
        }
        if (auto n = notifyChange(db, QStringLiteral("tiktok_posts"), userId, publishId); !n)
            return n.error();
    }
    return Applied{userId,
                   advances ? QString() : QStringLiteral("stale: status already ") + current};
}

Result<Applied> applyTikTok(PgConnection &db, const QString &event, const QJsonObject &root) {
    const QJsonObject content =
        QJsonDocument::fromJson(root.value(QStringLiteral("content")).toString().toUtf8()).object();
    if (event == QLatin1String("authorization.removed"))
        return markNeedsReconnect(
            db, QStringLiteral("tiktok"), root.value(QStringLiteral("user_openid")).toString(),
            QStringLiteral("authorization.removed:") +
                QString::number(content.value(QStringLiteral("reason")).toInt()));
    if (event.startsWith(QLatin1String("post.publish.")))
        return applyTikTokPost(db, event, content);
    return Applied{0, QStringLiteral("recorded")}; // retired Share Video API events and the unknown
}

Result<qint64> instagramOwner(PgConnection &db, const QString &igBusinessId) {
    auto owner = db.execPrepared(
        QStringLiteral("SELECT user_id FROM instagram_accounts WHERE ig_business_id = $1"),
        {igBusinessId});
    if (!owner)
        return owner.error();
    return owner->rows() ? owner->int64(0, 0) : qint64(0);
}

Result<Applied> applyInstagram(PgConnection &db, const QString &field, const QJsonObject &root) {
    const QString account = root.value(QStringLiteral("entry_id")).toString();
    const QJsonObject value = root.value(QStringLiteral("value")).toObject();
    auto owner = instagramOwner(db, account);
    if (!owner)
        return owner.error();
    if (*owner == 0)
        return Applied{0, QStringLiteral("ignored: account not connected")};
    const qint64 userId = *owner;
    if (field == QLatin1String("comments")) {
        QString commentId = idText(value.value(QStringLiteral("id")));
        if (commentId.isEmpty())
            commentId = idText(value.value(QStringLiteral("comment_id")));
        const QString mediaId =
            idText(value.value(QStringLiteral("media")).toObject().value(QStringLiteral("id")));
        if (commentId.isEmpty() || mediaId.isEmpty())
            return invalid(QStringLiteral("comment without id or media id"));
        const QJsonObject from = value.value(QStringLiteral("from")).toObject();
        auto upserted = db.execPrepared(
            QStringLiteral(
                "INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, "
                "parent_ig_id, "
                "from_id, username, text, posted_at) VALUES ($1, $2, $3, $4, nullif($5, ''), $6, "
                "$7, $8, "
                "to_timestamp($9::bigint)) ON CONFLICT (ig_id) DO UPDATE SET text = EXCLUDED.text, "
                "username = EXCLUDED.username, updated_at = now()"),
            {userId, account, commentId, mediaId, idText(value.value(QStringLiteral("parent_id"))),
             idText(from.value(QStringLiteral("id"))),
             from.value(QStringLiteral("username")).toString(),
             value.value(QStringLiteral("text")).toString(),
             qint64(root.value(QStringLiteral("time")).toDouble())});
        if (!upserted)
            return upserted.error();
        if (auto n = notifyChange(db, QStringLiteral("ig_comments"), userId, commentId); !n)
            return n.error();
        return Applied{userId, {}};
    }
    if (field == QLatin1String("story_insights")) {
        const QString mediaId = idText(value.value(QStringLiteral("media_id")));
        if (mediaId.isEmpty())
            return invalid(QStringLiteral("story_insights without media_id"));
        QJsonObject metrics = value;
        metrics.remove(QStringLiteral("media_id"));
        auto upserted = db.execPrepared(
            QStringLiteral("INSERT INTO ig_media (user_id, ig_business_id, ig_id, "
                           "media_product_type, insights, "
                           "insights_updated_at) VALUES ($1, $2, $3, 'STORY', $4::jsonb, now()) ON "
                           "CONFLICT (ig_id) "
                           "DO UPDATE SET insights = ig_media.insights || EXCLUDED.insights, "
                           "insights_updated_at = now(), "
                           "updated_at = now()"),
            {userId, account, mediaId,
             QString::fromUtf8(QJsonDocument(metrics).toJson(QJsonDocument::Compact))});
        if (!upserted)
            return upserted.error();
        if (auto n = notifyChange(db, QStringLiteral("ig_media"), userId, mediaId); !n)
            return n.error();
        return Applied{userId, {}};
    }
    // mentions and other fields: recorded; the sync worker fetches what they point at.
    return Applied{userId, QStringLiteral("recorded")};
}

Result<Applied> upsertOwnXPost(PgConnection &db, const QString &authorId, const QJsonObject &post) {
    const QString tweetId = idText(post.value(QStringLiteral("id_str"))).isEmpty()
                                ? idText(post.value(QStringLiteral("id")))
                                : idText(post.value(QStringLiteral("id_str")));
    if (tweetId.isEmpty())
        return invalid(QStringLiteral("post without id"));
    auto account = db.execPrepared(
        QStringLiteral(
            "SELECT user_id, id FROM oauth_accounts WHERE provider = 'x' AND open_id = $1"),
        {authorId});
    if (!account)
        return account.error();
    if (account->rows() == 0)
        return Applied{0, QStringLiteral("ignored: account not connected")};
    const qint64 userId = account->int64(0, 0);
    auto upserted = db.execPrepared(
        QStringLiteral(
            "INSERT INTO x_posts (user_id, account_id, tweet_id, text) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (tweet_id) DO UPDATE SET text = EXCLUDED.text, updated_at = now()"),
        {userId, account->int64(0, 1), tweetId, post.value(QStringLiteral("text")).toString()});
    if (!upserted)
        return upserted.error();
    if (auto n = notifyChange(db, QStringLiteral("x_posts"), userId, tweetId); !n)
        return n.error();
    return Applied{userId, {}};
}

Result<Applied> applyX(PgConnection &db, const QString &eventType, const QJsonObject &root) {
    if (root.value(QStringLiteral("data")).isObject()) { // X Activity API
        const QJsonObject data = root.value(QStringLiteral("data")).toObject();
        const QString userId = idText(
            data.value(QStringLiteral("filter")).toObject().value(QStringLiteral("user_id")));
        if (eventType == QLatin1String("oauth.revoke"))
            return markNeedsReconnect(db, QStringLiteral("x"), userId,
                                      QStringLiteral("oauth.revoke"));
        if (eventType == QLatin1String("post.create")) {
            QJsonObject post = data.value(QStringLiteral("payload")).toObject();
            if (post.value(QStringLiteral("data")).isObject())
                post = post.value(QStringLiteral("data")).toObject();
            return upsertOwnXPost(db, userId, post);
        }
        return Applied{0, QStringLiteral("recorded")};
    }
    // Account Activity API: one event per row, {"for_user_id","kind","event"}.
    const QString forUser = root.value(QStringLiteral("for_user_id")).toString();
    const QString kind = root.value(QStringLiteral("kind")).toString();
    const QJsonObject event = root.value(QStringLiteral("event")).toObject();
    if (kind == QLatin1String("user_event") && event.contains(QStringLiteral("revoke")))
        return markNeedsReconnect(db, QStringLiteral("x"), forUser,
                                  QStringLiteral("user_event.revoke"));
    if (kind == QLatin1String("tweet_create_events")) {
        const QString author =
            idText(event.value(QStringLiteral("user")).toObject().value(QStringLiteral("id_str")));
        if (author == forUser || author.isEmpty())
            return upsertOwnXPost(db, forUser, event);
    }
    return Applied{0, QStringLiteral("recorded")};
}

} // namespace

Result<Applied> EventApplier::apply(store::PgConnection &connection, const QString &provider,
                                    const QString &eventType, const QByteArray &body) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("stored body is not a JSON object"));
    const QJsonObject root = document.object();
    if (provider == QLatin1String("tiktok"))
        return applyTikTok(connection, eventType, root);
    if (provider == QLatin1String("instagram"))
        return applyInstagram(connection, eventType, root);
    if (provider == QLatin1String("x"))
        return applyX(connection, eventType, root);
    return Applied{0, QStringLiteral("ignored: no processor for ") + provider};
}

} // namespace huntaze::relay
