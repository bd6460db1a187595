#include "redditplatform.h"

#include <QJsonArray>

namespace sandbox {

RedditPlatform::RedditPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent)
    , m_env{context, m_state, [this] { changed(); }}
    , m_gate(m_env)
    , m_oauth(m_env)
    , m_media(m_env, m_gate)
    , m_submit(m_env, m_gate, m_media)
    , m_reading(m_env, m_gate)
    , m_flairs(m_env, m_gate)
    , m_admin(m_env, m_gate) {
    // Reddit has no webhooks: nothing is registered with the webhook sender.
    context.webSocketHandlers.append(
        [this](QWebSocket *socket) { return m_media.acceptWebSocket(socket); });
}

void RedditPlatform::registerRoutes(Router &router) {
    m_oauth.registerRoutes(router);
    m_reading.registerRoutes(router);
    m_flairs.registerRoutes(router);
    m_submit.registerRoutes(router);
    m_media.registerRoutes(router);
    m_admin.registerRoutes(router);
}

QJsonObject RedditPlatform::save() const {
    return m_state.save();
}

void RedditPlatform::load(const QJsonObject &state) {
    m_state.load(state);
}

void RedditPlatform::tick() {
    m_media.tick();
    m_reading.tick();
}

QJsonObject RedditPlatform::endpoints() const {
    const QString base = baseUrl();
    QJsonArray users;
    for (const auto &u : m_state.users)
        users.append(
            QJsonObject{{QStringLiteral("id"), u.id},
                        {QStringLiteral("fullname"), QString(QStringLiteral("t2_") + u.id)},
                        {QStringLiteral("name"), u.name}});
    QJsonArray subreddits;
    QJsonObject flairs; // subreddit -> its link flair templates, as link_flair_v2 lists them
    for (const auto &s : m_state.subreddits) {
        subreddits.append(s.name);
        QJsonArray templates;
        for (const auto &f : s.flairs)
            templates.append(RedditFlairs::templateJson(f, nullptr));
        flairs.insert(s.name, templates);
    }
    return {
        {QStringLiteral("base_url"), base},
        // www.reddit.com (authorize, token) and oauth.reddit.com (API) share the prefix.
        {QStringLiteral("www_base_url"), base},
        {QStringLiteral("oauth_base_url"), base},
        {QStringLiteral("authorize_url"), QString(base + QStringLiteral("/api/v1/authorize"))},
        {QStringLiteral("token_url"), QString(base + QStringLiteral("/api/v1/access_token"))},
        {QStringLiteral("revoke_url"), QString(base + QStringLiteral("/api/v1/revoke_token"))},
        {QStringLiteral("client_id"), RedditEnv::clientId()},
        {QStringLiteral("client_secret"), QString()}, // installed app: no secret
        {QStringLiteral("redirect_uris"), QJsonArray{RedditEnv::redirectUri()}},
        {QStringLiteral("user_agent_example"),
         QStringLiteral("desktop:com.huntaze.app:1.0 (by /u/sbx_alice)")},
        {QStringLiteral("test_users"), users},
        {QStringLiteral("subreddits"), subreddits},
        {QStringLiteral("link_flairs"), flairs},
    };
}

} // namespace sandbox
