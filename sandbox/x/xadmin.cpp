// /_admin/x/...: what the X side saw (posts, media, tokens, webhooks) and the knobs
// tests turn (token invalidation, authorization revoke, payload and error shapes,
// limits, CRC, media processing failures, follows).
#include "xplatform.h"

#include <memory>

namespace sandbox {

namespace {

void adminError(const ExchangePtr &e, int status, const QString &message) {
    e->respondJson(status, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")},
                                       {QStringLiteral("message"), message}});
}

} // namespace

void XPlatform::registerAdminRoutes(Router &router) {
    const QString admin = QStringLiteral("admin");
    router.add("GET", QStringLiteral("/_admin/x/posts"), admin, QStringLiteral("x.posts"),
               [this](const ExchangePtr &e) {
                   QJsonArray posts;
                   for (const Post &p : m_posts) {
                       QJsonObject o = tweetJson(
                           p,
                           {QStringLiteral("created_at"), QStringLiteral("author_id"),
                            QStringLiteral("public_metrics"), QStringLiteral("non_public_metrics"),
                            QStringLiteral("referenced_tweets"), QStringLiteral("reply_settings")},
                           true);
                       o.insert(QStringLiteral("media_ids"),
                                QJsonArray::fromStringList(p.mediaIds));
                       o.insert(QStringLiteral("deleted"), p.deleted);
                       if (!p.poll.isEmpty())
                           o.insert(QStringLiteral("poll"), p.poll);
                       posts.append(o);
                   }
                   e->respondJson(200, QJsonDocument(posts));
               });
    router.add("GET", QStringLiteral("/_admin/x/media"), admin, QStringLiteral("x.media"),
               [this](const ExchangePtr &e) {
                   advanceMedia();
                   QJsonArray media;
                   for (const Media &m : m_media) {
                       const auto upload = context().uploads.find(m.uploadId);
                       QJsonArray segments;
                       for (auto s = m.segments.cbegin(); s != m.segments.cend(); ++s)
                           segments.append(s.key());
                       media.append(
                           QJsonObject{{QStringLiteral("id"), m.id},
                                       {QStringLiteral("media_key"), m.mediaKey},
                                       {QStringLiteral("user_id"), m.userId},
                                       {QStringLiteral("media_type"), m.mediaType},
                                       {QStringLiteral("media_category"), m.category},
                                       {QStringLiteral("total_bytes"), double(m.totalBytes)},
                                       {QStringLiteral("state"), m.state},
                                       {QStringLiteral("segments"), segments},
                                       {QStringLiteral("upload_id"), m.uploadId},
                                       {QStringLiteral("sha256"),
                                        upload ? QString::fromLatin1(upload->sha256) : QString()}});
                   }
                   e->respondJson(200, QJsonDocument(media));
               });
    router.add("GET", QStringLiteral("/_admin/x/tokens"), admin, QStringLiteral("x.tokens"),
               [this](const ExchangePtr &e) {
                   QJsonArray tokens;
                   const qint64 now = context().clock.nowMs();
                   for (const Token &t : m_tokens)
                       tokens.append(
                           QJsonObject{{QStringLiteral("token"), t.token},
                                       {QStringLiteral("kind"), t.kind},
                                       {QStringLiteral("user_id"), t.userId},
                                       {QStringLiteral("scopes"), t.scopes.join(QLatin1Char(' '))},
                                       {QStringLiteral("revoked"), t.revoked},
                                       {QStringLiteral("expired"),
                                        t.kind == QLatin1String("access") && t.expiresMs <= now}});
                   e->respondJson(200, QJsonDocument(tokens));
               });
    // Invalidates one token ({"token"}) or every token of a user ({"user_id"}) without
    // telling anyone: the next call answers 401.
    router.add("POST", QStringLiteral("/_admin/x/tokens/invalidate"), admin,
               QStringLiteral("x.tokens.invalidate"), [this](const ExchangePtr &e) {
                   const auto body = e->jsonBody();
                   const QString token =
                       body ? body->value(QStringLiteral("token")).toString() : QString();
                   const QString userId =
                       body ? body->value(QStringLiteral("user_id")).toString() : QString();
                   int count = 0;
                   for (Token &t : m_tokens)
                       if ((!token.isEmpty() && t.token == token) ||
                           (!userId.isEmpty() && t.userId == userId)) {
                           t.revoked = true;
                           ++count;
                       }
                   if (token.isEmpty() && userId.isEmpty()) {
                       adminError(e, 400, QStringLiteral("token or user_id required"));
                       return;
                   }
                   changed();
                   e->respondJson(200, QJsonObject{{QStringLiteral("invalidated"), count}});
               });
    // The user removes the app from their connected apps: every token dies and the
    // app hears oauth.revoke (or user_event.revoke in the Account Activity shape).
    router.add("POST", QStringLiteral("/_admin/x/authorizations/revoke"), admin,
               QStringLiteral("x.authorizations.revoke"), [this](const ExchangePtr &e) {
                   const auto body = e->jsonBody();
                   const QString userId =
                       body ? body->value(QStringLiteral("user_id")).toString() : QString();
                   if (!user(userId)) {
                       adminError(e, 400, QStringLiteral("user_id: a test user id"));
                       return;
                   }
                   revokeUserTokens(userId);
                   for (AuthCode &c : m_codes)
                       if (c.userId == userId)
                           c.used = true;
                   sendRevokeEvent(userId);
                   e->respondJson(200, QJsonObject{{QStringLiteral("revoked"), true}});
               });
    router.add("POST", QStringLiteral("/_admin/x/settings"), admin, QStringLiteral("x.settings"),
               [this](const ExchangePtr &e) {
                   const auto body = e->jsonBody();
                   if (!body) {
                       adminError(e, 400, QStringLiteral("body must be a JSON object"));
                       return;
                   }
                   const QString shape =
                       body->value(QStringLiteral("payload_shape")).toString(m_payloadShape);
                   const QString errors =
                       body->value(QStringLiteral("error_shape")).toString(m_errorShape);
                   if ((shape != QLatin1String("activity") &&
                        shape != QLatin1String("account_activity")) ||
                       (errors != QLatin1String("problem") && errors != QLatin1String("legacy"))) {
                       adminError(e, 400,
                                  QStringLiteral("payload_shape: activity|account_activity, "
                                                 "error_shape: problem|legacy"));
                       return;
                   }
                   m_payloadShape = shape;
                   m_errorShape = errors;
                   changed();
                   e->respondJson(200,
                                  QJsonObject{{QStringLiteral("payload_shape"), m_payloadShape},
                                              {QStringLiteral("error_shape"), m_errorShape}});
               });
    router.add(
        "GET", QStringLiteral("/_admin/x/limits"), admin, QStringLiteral("x.limits"),
        [this](const ExchangePtr &e) {
            QJsonObject limits;
            for (auto it = m_limits.cbegin(); it != m_limits.cend(); ++it)
                limits.insert(it.key(),
                              QJsonObject{{QStringLiteral("limit"), it->limit},
                                          {QStringLiteral("window_seconds"), it->windowSecs}});
            e->respondJson(200, QJsonObject{{QStringLiteral("windows"), limits},
                                            {QStringLiteral("user_24h_limit"), m_user24hLimit},
                                            {QStringLiteral("app_24h_limit"), m_app24hLimit}});
        });
    // {"endpoint": "tweets.create", "limit": 3, "window_seconds": 900} and/or
    // {"user_24h_limit": N, "app_24h_limit": N}; {"reset": true} forgets the counts.
    router.add("POST", QStringLiteral("/_admin/x/limits"), admin, QStringLiteral("x.limits.set"),
               [this](const ExchangePtr &e) {
                   const auto body = e->jsonBody();
                   if (!body) {
                       adminError(e, 400, QStringLiteral("body must be a JSON object"));
                       return;
                   }
                   if (body->contains(QStringLiteral("endpoint"))) {
                       const int limit = body->value(QStringLiteral("limit")).toInt(-1);
                       const int window = body->value(QStringLiteral("window_seconds")).toInt(900);
                       if (limit < 0 || window < 1) {
                           adminError(e, 400, QStringLiteral("limit >= 0, window_seconds >= 1"));
                           return;
                       }
                       m_limits.insert(body->value(QStringLiteral("endpoint")).toString(),
                                       Limit{limit, window});
                   }
                   if (body->contains(QStringLiteral("user_24h_limit")))
                       m_user24hLimit = body->value(QStringLiteral("user_24h_limit")).toInt();
                   if (body->contains(QStringLiteral("app_24h_limit")))
                       m_app24hLimit = body->value(QStringLiteral("app_24h_limit")).toInt();
                   if (body->value(QStringLiteral("reset")).toBool()) {
                       m_windows.clear();
                       m_userPostTimes.clear();
                       m_appPostTimes.clear();
                   }
                   changed();
                   e->respondJson(200, QJsonObject{{QStringLiteral("ok"), true}});
               });
    router.add("GET", QStringLiteral("/_admin/x/webhooks"), admin, QStringLiteral("x.webhooks"),
               [this](const ExchangePtr &e) {
                   QJsonArray hooks;
                   for (const Webhook &w : m_webhooks) {
                       QJsonObject o = webhookJson(w);
                       o.insert(QStringLiteral("last_crc_result"), w.lastCrcResult);
                       o.insert(QStringLiteral("last_crc_ms"), double(w.lastCrcMs));
                       hooks.append(o);
                   }
                   e->respondJson(200, QJsonDocument(hooks));
               });
    // Runs the periodic CRC now on every registered webhook; answers when all are done.
    router.add("POST", QStringLiteral("/_admin/x/webhooks/crc"), admin,
               QStringLiteral("x.webhooks.crc"), [this](const ExchangePtr &e) {
                   auto remaining = std::make_shared<int>(int(m_webhooks.size()));
                   auto finish = [this, e] {
                       QJsonArray hooks;
                       for (const Webhook &w : m_webhooks) {
                           QJsonObject o = webhookJson(w);
                           o.insert(QStringLiteral("last_crc_result"), w.lastCrcResult);
                           hooks.append(o);
                       }
                       e->respondJson(200, QJsonDocument(hooks));
                   };
                   if (*remaining == 0) {
                       finish();
                       return;
                   }
                   const QStringList ids = m_webhooks.keys();
                   for (const QString &id : ids)
                       runCrc(id, [remaining, finish](bool) {
                           if (--*remaining == 0)
                               finish();
                       });
               });
    router.add("POST", QStringLiteral("/_admin/x/media/fail_next"), admin,
               QStringLiteral("x.media.fail_next"), [this](const ExchangePtr &e) {
                   m_failNextMediaProcessing = true;
                   changed();
                   e->respondJson(200, QJsonObject{{QStringLiteral("fail_next"), true}});
               });
    router.add("POST", QStringLiteral("/_admin/x/media/{id}/fail"), admin,
               QStringLiteral("x.media.fail"), [this](const ExchangePtr &e) {
                   auto it = m_media.find(e->param(QStringLiteral("id")));
                   if (it == m_media.end() || it->state == QLatin1String("succeeded") ||
                       it->state == QLatin1String("failed")) {
                       adminError(e, 400,
                                  QStringLiteral("no such media still uploading or "
                                                 "processing"));
                       return;
                   }
                   it->failProcessing = true;
                   it->failReason = QStringLiteral("Invalid or Unsupported media, Reason: "
                                                   "Duration too long, maximum:140000, "
                                                   "actual:181000.");
                   changed();
                   e->respondJson(200, QJsonObject{{QStringLiteral("fail"), true}});
               });
    router.add("POST", QStringLiteral("/_admin/x/follow"), admin, QStringLiteral("x.follow"),
               [this](const ExchangePtr &e) {
                   const auto body = e->jsonBody();
                   const QString userId =
                       body ? body->value(QStringLiteral("user_id")).toString() : QString();
                   const QString followerId =
                       body ? body->value(QStringLiteral("follower_id")).toString() : QString();
                   if (!user(userId) || !user(followerId) || userId == followerId) {
                       adminError(e, 400,
                                  QStringLiteral("user_id and follower_id: two test users"));
                       return;
                   }
                   sendFollowEvent(userId, followerId);
                   e->respondJson(200, QJsonObject{{QStringLiteral("followed"), true}});
               });
}

} // namespace sandbox
