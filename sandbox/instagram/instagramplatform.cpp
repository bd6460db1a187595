#include "instagramplatform.h"

using namespace Qt::StringLiterals;

namespace sandbox {

InstagramPlatform::InstagramPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent)
    , m_graph(context, m_state)
    , m_webhooks(m_graph, [this] { changed(); })
    , m_oauth(m_graph, [this] { changed(); })
    , m_accounts(m_graph, [this] { changed(); })
    , m_publishing(m_graph, [this] { changed(); })
    , m_reading(m_graph, m_webhooks, [this] { changed(); })
    , m_admin(m_graph, m_reading, m_webhooks, [this] { changed(); }) {}

void InstagramPlatform::registerRoutes(Router &router) {
    // Specific paths first: the router takes the first pattern that matches.
    m_oauth.registerRoutes(router);
    m_accounts.registerRoutes(router);
    m_publishing.registerRoutes(router);
    m_reading.registerRoutes(router);
    m_webhooks.registerRoutes(router);
    m_admin.registerRoutes(router);
    router.add("GET", u"/instagram/v25.0/{id}"_s, name(), u"node.get"_s,
               m_graph.wrap(u"node.get"_s, [this](GraphCall &call) { node(call); }));
}

// One route serves every node; each kind also answers faults and scripted errors under
// its own endpoint name: user.get, page.get, account.get, container.status, media.get,
// comment.get.
void InstagramPlatform::node(GraphCall &call) {
    const QString id = call.e->param(u"id"_s);
    QString kind;
    if (m_state.users.contains(id))
        kind = u"user.get"_s;
    else if (m_state.pages.contains(id))
        kind = u"page.get"_s;
    else if (m_state.accounts.contains(id))
        kind = u"account.get"_s;
    else if (m_state.containers.contains(id))
        kind = u"container.status"_s;
    else if (m_state.media.contains(id))
        kind = u"media.get"_s;
    else if (m_state.comments.contains(id))
        kind = u"comment.get"_s;
    if (!kind.isEmpty() && call.intercept(kind))
        return;
    if (const auto error = call.authenticate())
        return call.fail(*error);
    if (kind == "user.get"_L1)
        m_accounts.userNode(call, m_state.users.value(id));
    else if (kind == "page.get"_L1)
        m_accounts.pageNode(call, m_state.pages.value(id));
    else if (kind == "account.get"_L1)
        m_accounts.accountNode(call, m_state.accounts.value(id));
    else if (kind == "container.status"_L1)
        m_publishing.containerNode(call, m_state.containers.value(id));
    else if (kind == "media.get"_L1)
        m_reading.mediaNode(call, m_state.media.value(id));
    else if (kind == "comment.get"_L1)
        m_reading.commentNode(call, m_state.comments.value(id));
    else
        call.fail(GraphError::noObject(id));
}

QJsonObject InstagramPlatform::save() const {
    return m_state.save();
}

void InstagramPlatform::load(const QJsonObject &state) {
    m_state.load(state);
}

void InstagramPlatform::tick() {
    const bool published = m_publishing.tick();
    const bool commented = m_reading.tick();
    m_webhooks.flush();
    if (published || commented)
        changed();
}

QJsonObject InstagramPlatform::endpoints() const {
    const QString base = baseUrl();
    QJsonArray users;
    for (const IgFacebookUser &u : m_state.users) {
        QJsonArray pages;
        for (const QString &pageId : u.pageIds) {
            const IgPage page = m_state.pages.value(pageId);
            QJsonObject p{{u"id"_s, page.id}, {u"name"_s, page.name}};
            if (!page.igAccountId.isEmpty())
                p[u"instagram_business_account"_s] =
                    QJsonObject{{u"id"_s, page.igAccountId},
                                {u"username"_s, m_state.accounts.value(page.igAccountId).username}};
            if (!page.personalUsername.isEmpty())
                p[u"personal_instagram_username"_s] = page.personalUsername;
            pages.append(p);
        }
        users.append(QJsonObject{{u"id"_s, u.id}, {u"name"_s, u.name}, {u"pages"_s, pages}});
    }
    return {{u"base_url"_s, base},
            {u"www_url"_s, base},
            {u"graph_url"_s, base},
            {u"rupload_url"_s, base},
            {u"graph_version"_s, u"v25.0"_s},
            {u"dialog_url"_s, QString(base + u"/v25.0/dialog/oauth"_s)},
            {u"token_url"_s, QString(base + u"/v25.0/oauth/access_token"_s)},
            {u"client_id"_s, m_state.clientId},
            {u"client_secret"_s, m_state.clientSecret},
            {u"app_mode"_s, m_state.appMode},
            {u"redirect_uris"_s, QJsonArray::fromStringList(m_state.redirectUris)},
            {u"loopback_redirects"_s,
             u"http://localhost[:port]/... and http://127.0.0.1[:port]/... "
             u"while the app is in development mode"_s},
            {u"webhook_path"_s, u"/webhooks/instagram"_s},
            {u"deauthorize_path"_s, u"/webhooks/instagram/deauthorize"_s},
            {u"verify_token"_s, m_state.verifyToken},
            {u"scopes"_s, QJsonArray::fromStringList(InstagramOAuth::knownScopes())},
            {u"test_users"_s, users}};
}

} // namespace sandbox
