#include "instagramaccounts.h"

using namespace Qt::StringLiterals;

namespace sandbox {

InstagramAccounts::InstagramAccounts(InstagramGraph &graph, std::function<void()> changed)
    : m_graph(graph)
    , m_changed(std::move(changed)) {}

void InstagramAccounts::registerRoutes(Router &router) {
    const QString p = u"instagram"_s;
    router.add("GET", u"/instagram/v25.0/me"_s, p, u"me"_s,
               m_graph.wrap(u"me"_s, [this](GraphCall &call) { me(call); }));
    router.add("GET", u"/instagram/v25.0/me/accounts"_s, p, u"me.accounts"_s,
               m_graph.wrap(u"me.accounts"_s, [this](GraphCall &call) { accounts(call); }));
}

void InstagramAccounts::me(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    if (call.token->kind == "page"_L1) {
        const IgPage page = m_graph.state.pages.value(call.token->pageId);
        pageNode(call, page);
        return;
    }
    userNode(call, m_graph.state.users.value(call.token->userId));
}

void InstagramAccounts::userNode(GraphCall &call, const IgFacebookUser &user) {
    if (call.token->kind == "page"_L1 || call.token->userId != user.id)
        return call.fail(GraphError::noObject(user.id));
    QJsonObject out;
    const QString fields =
        call.param(u"fields"_s).isEmpty() ? u"id,name"_s : call.param(u"fields"_s);
    for (const auto &[name, sub] : InstagramGraph::parseFields(fields)) {
        if (name == "id"_L1)
            out[name] = user.id;
        else if (name == "name"_L1)
            out[name] = user.name;
        else
            return call.fail(GraphError::param(u"(#100) Tried accessing nonexisting field ("_s +
                                               name + u") on node type (User)"_s));
    }
    call.ok(out);
}

// Page tokens: from a long-lived user token they never expire; from a short-lived one
// they end with it. The same token is handed out again while it stays valid.
QString InstagramAccounts::pageToken(const IgToken &userToken, const QString &pageId) {
    const qint64 expires = userToken.kind == "user_long"_L1 ? 0 : userToken.expiresMs;
    for (const IgToken &t : std::as_const(m_graph.state.tokens))
        if (t.kind == "page"_L1 && t.userId == userToken.userId && t.pageId == pageId &&
            t.expiresMs == expires && !t.invalidSubcode && t.scopes == userToken.scopes)
            return t.token;
    IgToken token;
    token.token = m_graph.newToken();
    token.kind = u"page"_s;
    token.userId = userToken.userId;
    token.pageId = pageId;
    token.scopes = userToken.scopes;
    token.expiresMs = expires;
    m_graph.state.tokens.insert(token.token, token);
    m_changed();
    return token.token;
}

QJsonObject InstagramAccounts::accountFields(const IgAccount &a, const QString &fields) const {
    QJsonObject out;
    int mediaCount = 0;
    for (const IgMedia &m : std::as_const(m_graph.state.media))
        mediaCount += m.igUserId == a.id && !m.carouselChild && m.productType != "STORY"_L1;
    for (const auto &[name, sub] :
         InstagramGraph::parseFields(fields.isEmpty() ? u"id"_s : fields)) {
        if (name == "id"_L1)
            out[name] = a.id;
        else if (name == "ig_id"_L1)
            out[name] = a.id.right(10).toLongLong();
        else if (name == "username"_L1)
            out[name] = a.username;
        else if (name == "name"_L1)
            out[name] = a.name;
        else if (name == "biography"_L1)
            out[name] = a.biography;
        else if (name == "website"_L1)
            out[name] = a.website;
        else if (name == "profile_picture_url"_L1)
            out[name] = QString(u"https://scontent.sandbox.test/"_s + a.username + u".jpg"_s);
        else if (name == "followers_count"_L1)
            out[name] = a.followers;
        else if (name == "follows_count"_L1)
            out[name] = a.follows;
        else if (name == "media_count"_L1)
            out[name] = mediaCount;
        else
            return {{u"__unknown"_s, name}};
    }
    return out;
}

void InstagramAccounts::accountNode(GraphCall &call, const IgAccount &account) {
    if (!m_graph.ownsAccount(*call.token, account.id))
        return call.fail(GraphError::noObject(account.id));
    if (!call.hasScope(u"instagram_basic"_s))
        return call.fail(GraphError::permission(u"instagram_basic"_s));
    const QJsonObject out = accountFields(account, call.param(u"fields"_s));
    if (out.contains("__unknown"_L1))
        return call.fail(GraphError::param(u"(#100) Tried accessing nonexisting field ("_s +
                                           out.value("__unknown"_L1).toString() +
                                           u") on node type (ShadowIGUser)"_s));
    call.ok(out);
}

QJsonObject InstagramAccounts::pageFields(GraphCall &call, const IgPage &page,
                                          const QString &fields, std::optional<GraphError> *error) {
    QJsonObject out;
    for (const auto &[name, sub] : InstagramGraph::parseFields(fields)) {
        if (name == "id"_L1) {
            out[name] = page.id;
        } else if (name == "name"_L1) {
            out[name] = page.name;
        } else if (name == "category"_L1) {
            out[name] = page.category;
        } else if (name == "tasks"_L1) {
            out[name] = QJsonArray{u"ADVERTISE"_s, u"ANALYZE"_s,  u"CREATE_CONTENT"_s,
                                   u"MESSAGING"_s, u"MODERATE"_s, u"MANAGE"_s};
        } else if (name == "access_token"_L1) {
            if (call.token->kind == "page"_L1)
                out[name] = call.token->token;
            else
                out[name] = pageToken(*call.token, page.id);
        } else if (name == "instagram_business_account"_L1) {
            // Absent when no professional account is linked (also for a personal one).
            if (page.igAccountId.isEmpty())
                continue;
            if (!call.hasScope(u"instagram_basic"_s)) {
                *error = GraphError::permission(u"instagram_basic"_s);
                return {};
            }
            const QJsonObject account =
                accountFields(m_graph.state.accounts.value(page.igAccountId), sub);
            if (account.contains("__unknown"_L1)) {
                *error = GraphError::param(u"(#100) Tried accessing nonexisting field ("_s +
                                           account.value("__unknown"_L1).toString() +
                                           u") on node type (ShadowIGUser)"_s);
                return {};
            }
            out[name] = account;
        } else {
            *error = GraphError::param(u"(#100) Tried accessing nonexisting field ("_s + name +
                                       u") on node type (Page)"_s);
            return {};
        }
    }
    return out;
}

void InstagramAccounts::pageNode(GraphCall &call, const IgPage &page) {
    if (!m_graph.ownsPage(*call.token, page.id))
        return call.fail(GraphError::noObject(page.id));
    std::optional<GraphError> error;
    const QString fields =
        call.param(u"fields"_s).isEmpty() ? u"id,name"_s : call.param(u"fields"_s);
    const QJsonObject out = pageFields(call, page, fields, &error);
    if (error)
        return call.fail(*error);
    call.ok(out);
}

void InstagramAccounts::accounts(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    if (call.token->kind == "page"_L1)
        return call.fail(GraphError::param(
            u"(#100) Tried accessing nonexisting field (accounts) on node type (Page)"_s));
    if (!call.hasScope(u"pages_show_list"_s))
        return call.fail(GraphError::permission(u"pages_show_list"_s));
    const QString fields = call.param(u"fields"_s).isEmpty()
                               ? u"access_token,category,name,id,tasks"_s
                               : call.param(u"fields"_s);
    QJsonArray all;
    for (const QString &pageId : m_graph.state.users.value(call.token->userId).pageIds) {
        std::optional<GraphError> error;
        QJsonObject page = pageFields(call, m_graph.state.pages.value(pageId), fields, &error);
        if (error)
            return call.fail(*error);
        // Pagination needs the id even when not asked for; dropped again below.
        if (!page.contains("id"_L1))
            page[u"id"_s] = pageId;
        all.append(page);
    }
    std::optional<GraphError> error;
    QJsonObject out = m_graph.paginate(call, all, 25, &error);
    if (error)
        return call.fail(*error);
    if (!InstagramGraph::parseFields(fields).contains(std::pair<QString, QString>{u"id"_s, {}})) {
        QJsonArray data;
        for (const QJsonValue &v : out.value("data"_L1).toArray()) {
            QJsonObject o = v.toObject();
            o.remove(u"id"_s);
            data.append(o);
        }
        out[u"data"_s] = data;
    }
    call.ok(out);
}

} // namespace sandbox
