#include "tiktokadmin.h"

#include "tiktokpublishing.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

void TikTokAdmin::error(const ExchangePtr &e, int status, const QString &message) {
    e->respondJson(status,
                   QJsonObject{{u"error"_s, u"invalid_request"_s}, {u"message"_s, message}});
}

void TikTokAdmin::registerRoutes(Router &router) {
    const QString a = u"admin"_s;
    router.add("GET", u"/_admin/tiktok/settings"_s, a, u"tiktok.settings"_s,
               [this](const ExchangePtr &e) { e->respondJson(200, settingsJson()); });
    router.add("POST", u"/_admin/tiktok/settings"_s, a, u"tiktok.settings.set"_s,
               [this](const ExchangePtr &e) { setSettings(e); });
    router.add("GET", u"/_admin/tiktok/tokens"_s, a, u"tiktok.tokens"_s,
               [this](const ExchangePtr &e) {
                   QJsonArray tokens;
                   for (const Token &t : m_core.state.accessTokens) {
                       const User *user = m_core.state.userById(t.userId);
                       tokens.append(QJsonObject{{u"access_token"_s, t.token},
                                                 {u"open_id"_s, user ? user->openId : QString()},
                                                 {u"scope"_s, t.scopes.join(u',')},
                                                 {u"expires_at"_s, double(t.expiresMs / 1000)}});
                   }
                   e->respondJson(200, QJsonObject{{u"access_tokens"_s, tokens},
                                                   {u"refresh_token_count"_s,
                                                    int(m_core.state.refreshTokens.size())}});
               });
    router.add("POST", u"/_admin/tiktok/tokens/invalidate"_s, a, u"tiktok.tokens.invalidate"_s,
               [this](const ExchangePtr &e) { invalidateTokens(e); });
    router.add("POST", u"/_admin/tiktok/authorization/remove"_s, a,
               u"tiktok.authorization.remove"_s,
               [this](const ExchangePtr &e) { removeAuthorization(e); });
    router.add("GET", u"/_admin/tiktok/posts"_s, a, u"tiktok.posts"_s,
               [this](const ExchangePtr &e) {
                   QJsonArray posts;
                   for (const Post &p : m_core.state.posts)
                       posts.append(postJson(p));
                   e->respondJson(200, QJsonDocument(posts));
               });
    router.add("POST", u"/_admin/tiktok/posts/{publish_id}/posted"_s, a, u"tiktok.posts.posted"_s,
               [this](const ExchangePtr &e) {
                   Post *p = post(e);
                   if (!p)
                       return;
                   if (p->mode != u"INBOX"_s) {
                       error(e, 400, u"Only inbox shares are posted by the user."_s);
                       return;
                   }
                   p->posted = true;
                   m_core.changed();
                   e->respondJson(200, postJson(*p));
               });
    router.add("POST", u"/_admin/tiktok/posts/{publish_id}/fail"_s, a, u"tiktok.posts.fail"_s,
               [this](const ExchangePtr &e) {
                   Post *p = post(e);
                   if (!p)
                       return;
                   const auto body = e->jsonBody();
                   const QString reason =
                       body ? (*body)[u"reason"_s].toString(u"internal"_s) : u"internal"_s;
                   m_publishing.fail(*p, reason);
                   e->respondJson(200, postJson(*p));
               });
    router.add("POST", u"/_admin/tiktok/posts/{publish_id}/unavailable"_s, a,
               u"tiktok.posts.unavailable"_s, [this](const ExchangePtr &e) {
                   Post *p = post(e);
                   if (!p)
                       return;
                   if (!p->publiclyAvailable) {
                       error(e, 400, u"The post is not publicly available."_s);
                       return;
                   }
                   p->publiclyAvailable = false;
                   m_core.changed();
                   const User *user = m_core.state.userById(p->userId);
                   // TikTok's spelling of the event name.
                   m_core.sendWebhook(u"post.publish.no_longer_publicaly_available"_s,
                                      user ? user->openId : QString(),
                                      {{u"publish_id"_s, p->publishId},
                                       {u"publish_type"_s, u"DIRECT_PUBLISH"_s},
                                       {u"post_id"_s, QString::number(p->postId)}});
                   e->respondJson(200, postJson(*p));
               });
}

QJsonObject TikTokAdmin::settingsJson() const {
    const Settings &s = m_core.state.settings;
    return {{u"token_mode"_s, s.rotatingRefresh ? u"rotating"_s : u"legacy"_s},
            {u"invalid_grant_status"_s, s.invalidGrantStatus},
            {u"verified_url_prefixes"_s, QJsonArray::fromStringList(s.verifiedPrefixes)},
            {u"audited"_s, s.audited},
            {u"processing_seconds"_s, s.processingSeconds},
            {u"chunk_fault"_s,
             QJsonObject{{u"status"_s, s.chunkFaultStatus}, {u"times"_s, s.chunkFaultTimes}}},
            {u"chunk_delay_ms"_s, s.chunkDelayMs}};
}

void TikTokAdmin::setSettings(const ExchangePtr &e) {
    const auto body = e->jsonBody();
    if (!body) {
        error(e, 400, u"body must be a JSON object"_s);
        return;
    }
    Settings s = m_core.state.settings;
    if (body->contains(u"token_mode"_s)) {
        const QString mode = (*body)[u"token_mode"_s].toString();
        if (mode != u"rotating"_s && mode != u"legacy"_s) {
            error(e, 400, u"token_mode: rotating or legacy"_s);
            return;
        }
        s.rotatingRefresh = mode == u"rotating"_s;
    }
    if (body->contains(u"invalid_grant_status"_s)) {
        const int status = (*body)[u"invalid_grant_status"_s].toInt();
        if (status != 200 && status != 400 && status != 401) {
            error(e, 400, u"invalid_grant_status: 200, 400 or 401"_s);
            return;
        }
        s.invalidGrantStatus = status;
    }
    if (body->contains(u"verified_url_prefixes"_s)) {
        const QJsonValue value = (*body)[u"verified_url_prefixes"_s];
        if (!value.isArray()) {
            error(e, 400, u"verified_url_prefixes: an array of https prefixes"_s);
            return;
        }
        s.verifiedPrefixes.clear();
        for (const QJsonValue &v : value.toArray())
            s.verifiedPrefixes.append(v.toString());
    }
    if (body->contains(u"audited"_s))
        s.audited = (*body)[u"audited"_s].toBool();
    if (body->contains(u"processing_seconds"_s)) {
        const int seconds = (*body)[u"processing_seconds"_s].toInt(-1);
        if (seconds < 0 || seconds > 86400) {
            error(e, 400, u"processing_seconds: 0 to 86400"_s);
            return;
        }
        s.processingSeconds = seconds;
    }
    if (body->contains(u"chunk_delay_ms"_s)) {
        const int delay = (*body)[u"chunk_delay_ms"_s].toInt(-1);
        if (delay < 0 || delay > 10000) {
            error(e, 400, u"chunk_delay_ms: 0 to 10000"_s);
            return;
        }
        s.chunkDelayMs = delay;
    }
    if (body->contains(u"chunk_fault"_s)) {
        const QJsonObject fault = (*body)[u"chunk_fault"_s].toObject();
        const int status = fault[u"status"_s].toInt(503);
        const int times = fault[u"times"_s].toInt(1);
        if (status < 400 || status > 599 || times < 0) {
            error(e, 400, u"chunk_fault: {status: 400-599, times: >= 0}"_s);
            return;
        }
        s.chunkFaultStatus = status;
        s.chunkFaultTimes = times;
    }
    m_core.state.settings = s;
    m_core.changed();
    e->respondJson(200, settingsJson());
}

void TikTokAdmin::invalidateTokens(const ExchangePtr &e) {
    const auto body = e->jsonBody().value_or(QJsonObject());
    QString userId;
    if (body.contains(u"open_id"_s)) {
        const User *user = m_core.state.userByOpenId(body[u"open_id"_s].toString());
        if (!user) {
            error(e, 404, u"no such open_id"_s);
            return;
        }
        userId = user->id;
    }
    const int count = m_core.invalidateTokens(userId, body[u"refresh"_s].toBool());
    e->respondJson(200, QJsonObject{{u"invalidated"_s, count}});
}

void TikTokAdmin::removeAuthorization(const ExchangePtr &e) {
    const auto body = e->jsonBody();
    const User *user = body ? m_core.state.userByOpenId((*body)[u"open_id"_s].toString()) : nullptr;
    if (!user) {
        error(e, 404, u"open_id: a test user's open_id is required"_s);
        return;
    }
    const int reason = (*body)[u"reason"_s].toInt(1);
    if (reason < 0 || reason > 5) {
        error(e, 400, u"reason: 0 to 5"_s);
        return;
    }
    // The token is already dead when the webhook arrives; posts still processing fail.
    const int count = m_core.invalidateTokens(user->id, true);
    for (Post &p : m_core.state.posts)
        if (p.userId == user->id &&
            (p.status == u"PROCESSING_UPLOAD"_s || p.status == u"PROCESSING_DOWNLOAD"_s))
            m_publishing.fail(p, u"auth_removed"_s);
    m_core.sendWebhook(u"authorization.removed"_s, user->openId, {{u"reason"_s, reason}});
    e->respondJson(200, QJsonObject{{u"invalidated"_s, count}});
}

QJsonObject TikTokAdmin::postJson(const Post &p) const {
    const User *user = m_core.state.userById(p.userId);
    QJsonObject out{
        {u"publish_id"_s, p.publishId},
        {u"open_id"_s, user ? user->openId : QString()},
        {u"media_type"_s, p.mediaType},
        {u"mode"_s, p.mode},
        {u"source"_s, p.source},
        {u"status"_s, p.status},
        {u"fail_reason"_s, p.failReason},
        {u"title"_s, p.title},
        {u"description"_s, p.description},
        {u"privacy_level"_s, p.privacyLevel},
        {u"urls"_s, QJsonArray::fromStringList(p.urls)},
        {u"video_size"_s, double(p.videoSize)},
        {u"chunk_size"_s, double(p.chunkSize)},
        {u"total_chunk_count"_s, p.chunkCount},
        {u"created_at"_s, double(p.createdMs / 1000)},
        {u"posted"_s, p.posted},
        {u"publicly_available"_s, p.publiclyAvailable},
        {u"post_id"_s, p.postId ? QJsonValue(QString::number(p.postId)) : QJsonValue()}};
    if (!p.uploadId.isEmpty()) {
        out.insert(u"upload_id"_s, p.uploadId);
        if (const auto upload = m_core.context.uploads.find(p.uploadId)) {
            out.insert(u"uploaded_bytes"_s, double(upload->received));
            out.insert(u"sha256"_s, QString::fromLatin1(upload->sha256));
        }
    }
    return out;
}

Post *TikTokAdmin::post(const ExchangePtr &e) {
    Post *p = m_core.state.post(e->param(u"publish_id"_s));
    if (!p)
        error(e, 404, u"no such publish_id"_s);
    return p;
}

} // namespace sandbox::tiktok
