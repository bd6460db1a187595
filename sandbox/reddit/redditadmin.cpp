#include "redditadmin.h"

#include "redditreading.h"

#include <QJsonArray>

namespace sandbox {

namespace {

QJsonObject adminError(const QString &message) {
    return {{QStringLiteral("error"), QStringLiteral("invalid_request")},
            {QStringLiteral("message"), message}};
}

} // namespace

void RedditAdmin::add(Router &router, const QByteArray &method, const QString &path,
                      const char *endpoint,
                      std::function<void(const ExchangePtr &, const QJsonObject &)> handler) {
    router.add(
        method, path, QStringLiteral("admin"), QStringLiteral("reddit.") + QLatin1String(endpoint),
        [method, handler = std::move(handler)](const ExchangePtr &e) {
            QJsonObject body;
            if (method == "POST") {
                const auto json = e->body().trimmed().isEmpty()
                                      ? std::optional<QJsonObject>(QJsonObject())
                                      : e->jsonBody();
                if (!json) {
                    e->respondJson(400, adminError(QStringLiteral("body must be a JSON object")));
                    return;
                }
                body = *json;
            }
            handler(e, body);
        });
}

QJsonObject RedditAdmin::postJson(const RedditPost &post) const {
    QJsonObject data = RedditReading::postThing(post, m_env.base(), nullptr)
                           .value(QStringLiteral("data"))
                           .toObject();
    data.insert(QStringLiteral("kind"), post.kind);
    data.insert(QStringLiteral("poster_url"), post.posterUrl);
    data.insert(QStringLiteral("stored_url"), post.url);
    QJsonArray comments;
    for (const auto &c : post.comments)
        comments.append(QJsonObject{{QStringLiteral("id"), c.id},
                                    {QStringLiteral("author"), c.author},
                                    {QStringLiteral("body"), c.body},
                                    {QStringLiteral("created_utc"), double(c.createdUtc)}});
    data.insert(QStringLiteral("comments"), comments);
    return data;
}

void RedditAdmin::registerRoutes(Router &router) {
    add(router, "GET", QStringLiteral("/_admin/reddit/posts"), "posts",
        [this](const ExchangePtr &e, const QJsonObject &) {
            QJsonArray posts;
            for (const auto &p : m_env.state.posts)
                posts.append(postJson(p));
            QJsonArray media;
            for (const auto &m : m_env.state.mediaSubmissions)
                media.append(QJsonObject{{QStringLiteral("id"), m.id},
                                         {QStringLiteral("state"), m.state},
                                         {QStringLiteral("kind"), m.post.kind},
                                         {QStringLiteral("title"), m.post.title},
                                         {QStringLiteral("url"), m.post.url},
                                         {QStringLiteral("post_id"), m.post.id},
                                         {QStringLiteral("ready_at"), double(m.readyAt)}});
            e->respondJson(200, QJsonObject{{QStringLiteral("posts"), posts},
                                            {QStringLiteral("media_submissions"), media}});
        });
    add(router, "GET", QStringLiteral("/_admin/reddit/assets"), "assets",
        [this](const ExchangePtr &e, const QJsonObject &) {
            QJsonArray assets;
            for (const auto &a : m_env.state.assets) {
                const auto upload = m_env.context.uploads.find(a.uploadId);
                assets.append(
                    QJsonObject{{QStringLiteral("asset_id"), a.assetId},
                                {QStringLiteral("key"), a.key},
                                {QStringLiteral("filepath"), a.fileName},
                                {QStringLiteral("mimetype"), a.mimeType},
                                {QStringLiteral("uploaded"), a.uploaded},
                                {QStringLiteral("upload_id"), a.uploadId},
                                {QStringLiteral("size"), upload ? double(upload->received) : 0.0},
                                {QStringLiteral("sha256"),
                                 upload ? QString::fromLatin1(upload->sha256) : QString()}});
            }
            e->respondJson(200, QJsonDocument(assets));
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/tokens/invalidate"), "tokens.invalidate",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            const QString token = body.value(QStringLiteral("token")).toString();
            const QString user = body.value(QStringLiteral("user")).toString();
            if (token.isEmpty() && user.isEmpty()) {
                e->respondJson(400, adminError(QStringLiteral("give \"token\" or \"user\"")));
                return;
            }
            const RedditUser *u = user.isEmpty() ? nullptr : m_env.state.user(user);
            int count = 0;
            for (auto &t : m_env.state.tokens) {
                if (t.revoked)
                    continue;
                if ((!token.isEmpty() && t.token == token) ||
                    (u && t.userId == u->id && !t.refresh)) {
                    t.revoked = true;
                    ++count;
                }
            }
            m_env.changed();
            e->respondJson(200, QJsonObject{{QStringLiteral("invalidated"), count}});
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/authorizations/revoke"),
        "authorizations.revoke", [this](const ExchangePtr &e, const QJsonObject &body) {
            // The user removed the app at reddit.com/prefs/apps: every token ends. Reddit
            // sends no notification (it has no webhooks).
            const RedditUser *u = m_env.state.user(body.value(QStringLiteral("user")).toString());
            if (!u) {
                e->respondJson(400, adminError(QStringLiteral("unknown \"user\"")));
                return;
            }
            int count = 0;
            for (const auto &t : std::as_const(m_env.state.tokens))
                count += (t.userId == u->id && !t.revoked) ? 1 : 0;
            m_env.state.revokeUser(u->id);
            m_env.changed();
            e->respondJson(200, QJsonObject{{QStringLiteral("revoked"), count}});
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/ratelimit"), "ratelimit.force",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            const QString unit = body.value(QStringLiteral("unit")).toString();
            const int amount = body.value(QStringLiteral("amount")).toInt(-1);
            const int times = body.value(QStringLiteral("times")).toInt(1);
            if ((unit != QLatin1String("milliseconds") && unit != QLatin1String("seconds") &&
                 unit != QLatin1String("minutes")) ||
                amount < 1 || times < 0) {
                e->respondJson(400, adminError(QStringLiteral(
                                        "unit: milliseconds|seconds|minutes, amount >= 1")));
                return;
            }
            auto &s = m_env.state.settings;
            s.forcedRateLimitUnit = unit;
            s.forcedRateLimitAmount = amount;
            s.forcedRateLimitTimes = times;
            m_env.changed();
            e->respondJson(200, QJsonObject{{QStringLiteral("unit"), unit},
                                            {QStringLiteral("amount"), amount},
                                            {QStringLiteral("times"), times}});
        });
    add(router, "GET", QStringLiteral("/_admin/reddit/ratelimit/window"), "ratelimit.window",
        [this](const ExchangePtr &e, const QJsonObject &) {
            e->respondJson(200, m_gate.windowJson());
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/ratelimit/window"), "ratelimit.window.set",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            const int used = body.value(QStringLiteral("used")).toInt(-1);
            if (used < 0 || used > RedditApiGate::kWindowLimit) {
                e->respondJson(400, adminError(QStringLiteral("used: 0 to 1000")));
                return;
            }
            m_gate.setUsed(used);
            e->respondJson(200, m_gate.windowJson());
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/media"), "media.settings",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            auto &s = m_env.state.settings;
            if (body.contains(QStringLiteral("fail")))
                s.failMedia = body.value(QStringLiteral("fail")).toBool();
            if (body.contains(QStringLiteral("processing_seconds")))
                s.mediaProcessingSeconds =
                    qBound(0, body.value(QStringLiteral("processing_seconds")).toInt(), 3600);
            m_env.changed();
            e->respondJson(
                200, QJsonObject{{QStringLiteral("fail"), s.failMedia},
                                 {QStringLiteral("processing_seconds"), s.mediaProcessingSeconds}});
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/settings"), "settings",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            auto &s = m_env.state.settings;
            if (body.contains(QStringLiteral("expires_in"))) {
                const int v = body.value(QStringLiteral("expires_in")).toInt();
                if (v < 1) {
                    e->respondJson(400, adminError(QStringLiteral("expires_in >= 1")));
                    return;
                }
                s.expiresIn = v;
            }
            if (body.contains(QStringLiteral("rotate_refresh_tokens")))
                s.rotateRefreshTokens =
                    body.value(QStringLiteral("rotate_refresh_tokens")).toBool();
            if (body.contains(QStringLiteral("revoke_status"))) {
                const int v = body.value(QStringLiteral("revoke_status")).toInt();
                if (v != 200 && v != 204) {
                    e->respondJson(400, adminError(QStringLiteral("revoke_status: 200 or 204")));
                    return;
                }
                s.revokeStatus = v;
            }
            m_env.changed();
            e->respondJson(
                200, QJsonObject{{QStringLiteral("expires_in"), s.expiresIn},
                                 {QStringLiteral("rotate_refresh_tokens"), s.rotateRefreshTokens},
                                 {QStringLiteral("revoke_status"), s.revokeStatus}});
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/posts/{id}/remove"), "posts.remove",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            RedditPost *post = m_env.state.post(e->param(QStringLiteral("id")));
            if (!post) {
                e->respondJson(404, adminError(QStringLiteral("no such post")));
                return;
            }
            post->removedByCategory =
                body.value(QStringLiteral("category")).toString(QStringLiteral("moderator"));
            m_env.changed();
            e->respondJson(200, postJson(*post));
        });
    add(router, "POST", QStringLiteral("/_admin/reddit/posts/{id}/comments"), "posts.comment",
        [this](const ExchangePtr &e, const QJsonObject &body) {
            RedditPost *post = m_env.state.post(e->param(QStringLiteral("id")));
            if (!post) {
                e->respondJson(404, adminError(QStringLiteral("no such post")));
                return;
            }
            const int count = qBound(1, body.value(QStringLiteral("count")).toInt(1), 500);
            for (int i = 0; i < count; ++i)
                RedditReading::addComment(
                    m_env.state, *post,
                    body.value(QStringLiteral("author")).toString(QStringLiteral("sbx_bob")),
                    body.value(QStringLiteral("body")).toString(QStringLiteral("Nice post!")),
                    m_env.now());
            m_env.changed();
            e->respondJson(200, postJson(*post));
        });
}

} // namespace sandbox
