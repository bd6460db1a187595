#include "instagramadmin.h"

#include "instagramreading.h"
#include "instagramwebhooks.h"

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
QJsonObject adminError(const QString &message) {
    return {{u"error"_s, u"invalid_request"_s}, {u"message"_s, message}};
}
} // namespace

InstagramAdmin::InstagramAdmin(InstagramGraph &graph, InstagramReading &reading,
                               InstagramWebhooks &webhooks, std::function<void()> changed)
    : m_graph(graph)
    , m_reading(reading)
    , m_webhooks(webhooks)
    , m_changed(std::move(changed)) {}

void InstagramAdmin::add(Router &router, const QByteArray &method, const QString &path,
                         const QString &name,
                         std::function<void(const ExchangePtr &, const Body &)> handler) {
    router.add(method, u"/_admin/instagram"_s + path, u"admin"_s, u"instagram."_s + name,
               [handler](const ExchangePtr &e) {
                   Body body;
                   if (!e->body().isEmpty()) {
                       const auto parsed = e->jsonBody();
                       if (!parsed) {
                           e->respondJson(400, adminError(u"body must be a JSON object"_s));
                           return;
                       }
                       body = *parsed;
                   }
                   handler(e, body);
               });
}

QJsonObject InstagramAdmin::appJson() const {
    return {{u"client_id"_s, m_graph.state.clientId},
            {u"mode"_s, m_graph.state.appMode},
            {u"redirect_uris"_s, QJsonArray::fromStringList(m_graph.state.redirectUris)},
            {u"verify_token"_s, m_graph.state.verifyToken},
            {u"app_call_limit"_s, m_graph.state.appCallLimit},
            {u"buc_call_limit"_s, m_graph.state.bucCallLimit},
            {u"user_call_limit"_s, m_graph.state.userCallLimit},
            {u"page_call_limit"_s, m_graph.state.pageCallLimit}};
}

void InstagramAdmin::registerRoutes(Router &router) {
    InstagramState &state = m_graph.state;
    add(router, "GET", u"/app"_s, u"app"_s,
        [this](const ExchangePtr &e, const Body &) { e->respondJson(200, appJson()); });
    add(router, "POST", u"/app"_s, u"app.set"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            if (b.contains("mode"_L1)) {
                const QString mode = b.value("mode"_L1).toString();
                if (mode != "development"_L1 && mode != "live"_L1)
                    return e->respondJson(400, adminError(u"mode: development or live"_s));
                state.appMode = mode;
            }
            if (b.contains("redirect_uris"_L1)) {
                state.redirectUris.clear();
                for (const QJsonValue &v : b.value("redirect_uris"_L1).toArray())
                    state.redirectUris.append(v.toString());
            }
            if (b.contains("verify_token"_L1))
                state.verifyToken = b.value("verify_token"_L1).toString();
            m_changed();
            e->respondJson(200, appJson());
        });
    // Token invalidation: {"token": "..."} or {"user_id": "..."}, "subcode" (default 460).
    add(router, "POST", u"/tokens/invalidate"_s, u"tokens.invalidate"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString token = b.value("token"_L1).toString();
            const QString userId = b.value("user_id"_L1).toString();
            const int subcode = b.value("subcode"_L1).toInt(460);
            static const QList<int> subcodes{458, 459, 460, 463, 464, 467, 492};
            if ((token.isEmpty() && userId.isEmpty()) || !subcodes.contains(subcode))
                return e->respondJson(
                    400, adminError(u"token or user_id; subcode one of 458 459 460 463 464 467 "
                                    u"492"_s));
            int count = 0;
            for (IgToken &t : state.tokens)
                if ((!token.isEmpty() && t.token == token) ||
                    (!userId.isEmpty() && t.userId == userId)) {
                    t.invalidSubcode = subcode;
                    ++count;
                }
            m_changed();
            e->respondJson(200, QJsonObject{{u"invalidated"_s, count}});
        });
    add(router, "GET", u"/tokens"_s, u"tokens"_s, [&state](const ExchangePtr &e, const Body &) {
        QJsonArray out;
        for (const IgToken &t : std::as_const(state.tokens))
            out.append(QJsonObject{{u"token"_s, t.token},
                                   {u"kind"_s, t.kind},
                                   {u"user_id"_s, t.userId},
                                   {u"page_id"_s, t.pageId},
                                   {u"scopes"_s, QJsonArray::fromStringList(t.scopes)},
                                   {u"expires_ms"_s, double(t.expiresMs)},
                                   {u"invalid_subcode"_s, t.invalidSubcode}});
        e->respondJson(200, QJsonDocument(out));
    });
    // The user removes the app: every token answers 190/458, the deauthorize callback
    // (signed_request) goes to <relay>/webhooks/instagram/deauthorize.
    add(router, "POST", u"/deauthorize"_s, u"deauthorize"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString userId = b.value("user_id"_L1).toString();
            if (!state.users.contains(userId))
                return e->respondJson(400, adminError(u"unknown user_id"_s));
            int count = 0;
            for (IgToken &t : state.tokens)
                if (t.userId == userId) {
                    t.invalidSubcode = 458;
                    ++count;
                }
            state.users[userId].authorized = false;
            state.users[userId].grantedScopes.clear();
            m_webhooks.sendDeauthorize(userId);
            m_changed();
            e->respondJson(200, QJsonObject{{u"invalidated"_s, count}});
        });
    // Quota and natural failures of an account: quota_total, quota_duration, restricted,
    // spam, policy_blocked.
    add(router, "POST", u"/accounts/{id}"_s, u"account.set"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString id = e->param(u"id"_s);
            if (!state.accounts.contains(id))
                return e->respondJson(404, adminError(u"unknown account"_s));
            IgAccount &a = state.accounts[id];
            if (b.contains("quota_total"_L1))
                a.quotaTotal = qMax(0, b.value("quota_total"_L1).toInt());
            if (b.contains("quota_duration"_L1))
                a.quotaDuration = qMax(1, b.value("quota_duration"_L1).toInt());
            if (b.contains("restricted"_L1))
                a.restricted = b.value("restricted"_L1).toBool();
            if (b.contains("spam"_L1))
                a.spam = b.value("spam"_L1).toBool();
            if (b.contains("policy_blocked"_L1))
                a.policyBlocked = b.value("policy_blocked"_L1).toBool();
            m_changed();
            e->respondJson(200, QJsonObject{{u"id"_s, a.id},
                                            {u"quota_total"_s, a.quotaTotal},
                                            {u"quota_duration"_s, a.quotaDuration},
                                            {u"restricted"_s, a.restricted},
                                            {u"spam"_s, a.spam},
                                            {u"policy_blocked"_s, a.policyBlocked}});
        });
    // Scripted Graph errors: {"endpoint": "media.publish" | "*", "code", "error_subcode",
    // "message", "status", "times"} (times -1: until cleared).
    add(router, "POST", u"/errors"_s, u"errors.add"_s, [this](const ExchangePtr &e, const Body &b) {
        if (!b.contains("code"_L1) || b.value("endpoint"_L1).toString().isEmpty())
            return e->respondJson(400, adminError(u"endpoint and code are required"_s));
        const int times = b.value("times"_L1).toInt(1);
        if (times == 0)
            return e->respondJson(400, adminError(u"times must be positive or -1"_s));
        m_graph.script(b.value("endpoint"_L1).toString(), GraphError::fromJson(b), times);
        e->respondJson(200, QJsonObject{{u"scripted"_s, true}});
    });
    add(router, "DELETE", u"/errors"_s, u"errors.clear"_s,
        [this](const ExchangePtr &e, const Body &) {
            m_graph.clearScripts();
            e->respondJson(200, QJsonObject{{u"cleared"_s, true}});
        });
    // Usage limits (calls per rolling hour that make 100 %) and a reset.
    add(router, "POST", u"/usage"_s, u"usage"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            if (b.contains("app_call_limit"_L1))
                state.appCallLimit = qMax(1, b.value("app_call_limit"_L1).toInt());
            if (b.contains("buc_call_limit"_L1))
                state.bucCallLimit = qMax(1, b.value("buc_call_limit"_L1).toInt());
            if (b.contains("user_call_limit"_L1))
                state.userCallLimit = qMax(0, b.value("user_call_limit"_L1).toInt());
            if (b.contains("page_call_limit"_L1))
                state.pageCallLimit = qMax(0, b.value("page_call_limit"_L1).toInt());
            if (b.value("reset"_L1).toBool())
                m_graph.resetUsage();
            m_changed();
            e->respondJson(200, appJson());
        });
    // Facts about a media URL: format, bytes, width, height, duration, codec.
    add(router, "POST", u"/media_facts"_s, u"media_facts"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString url = b.value("url"_L1).toString();
            if (url.isEmpty())
                return e->respondJson(400, adminError(u"url is required"_s));
            QJsonObject facts = b;
            facts.remove(u"url"_s);
            state.mediaFacts.insert(url, facts);
            m_changed();
            e->respondJson(200, QJsonObject{{u"url"_s, url}, {u"facts"_s, facts}});
        });
    add(router, "GET", u"/containers"_s, u"containers"_s,
        [&state](const ExchangePtr &e, const Body &) {
            QJsonArray out;
            for (const IgContainer &c : std::as_const(state.containers))
                out.append(QJsonObject{{u"id"_s, c.id},
                                       {u"ig_user_id"_s, c.igUserId},
                                       {u"media_type"_s, c.mediaType},
                                       {u"is_carousel_item"_s, c.carouselItem},
                                       {u"image_url"_s, c.imageUrl},
                                       {u"video_url"_s, c.videoUrl},
                                       {u"caption"_s, c.caption},
                                       {u"children"_s, QJsonArray::fromStringList(c.children)},
                                       {u"upload_id"_s, c.uploadId},
                                       {u"uploaded"_s, c.uploaded},
                                       {u"status_code"_s, c.statusCode},
                                       {u"error_subcode"_s, c.errorSubcode},
                                       {u"media_id"_s, c.mediaId}});
            e->respondJson(200, QJsonDocument(out));
        });
    add(router, "GET", u"/media"_s, u"media"_s, [this, &state](const ExchangePtr &e, const Body &) {
        QJsonArray out;
        for (const IgMedia &m : std::as_const(state.media)) {
            QString sha;
            const IgContainer c = state.containers.value(m.containerId);
            if (!c.uploadId.isEmpty())
                if (const auto upload = m_graph.context.uploads.find(c.uploadId))
                    sha = QString::fromLatin1(upload->sha256);
            out.append(QJsonObject{{u"id"_s, m.id},
                                   {u"ig_user_id"_s, m.igUserId},
                                   {u"container_id"_s, m.containerId},
                                   {u"media_type"_s, m.mediaType},
                                   {u"media_product_type"_s, m.productType},
                                   {u"caption"_s, m.caption},
                                   {u"shortcode"_s, m.shortcode},
                                   {u"children"_s, QJsonArray::fromStringList(m.children)},
                                   {u"carousel_child"_s, m.carouselChild},
                                   {u"upload_sha256"_s, sha},
                                   {u"metrics"_s, m_reading.metrics(m)}});
        }
        e->respondJson(200, QJsonDocument(out));
    });
    add(router, "GET", u"/comments"_s, u"comments"_s, [&state](const ExchangePtr &e, const Body &) {
        const QString mediaId = e->queryValue(u"media_id"_s);
        QJsonArray out;
        for (const IgComment &c : std::as_const(state.comments))
            if (mediaId.isEmpty() || c.mediaId == mediaId)
                out.append(QJsonObject{{u"id"_s, c.id},
                                       {u"media_id"_s, c.mediaId},
                                       {u"parent_id"_s, c.parentId},
                                       {u"username"_s, c.username},
                                       {u"text"_s, c.text},
                                       {u"hidden"_s, c.hidden}});
        e->respondJson(200, QJsonDocument(out));
    });
    // A comment arrives (and its webhook, when the Page subscribed to comments).
    add(router, "POST", u"/comments"_s, u"comments.add"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString mediaId = b.value("media_id"_L1).toString();
            if (!state.media.contains(mediaId))
                return e->respondJson(400, adminError(u"unknown media_id"_s));
            const QString id = m_reading.addComment(
                mediaId, b.value("username"_L1).toString(u"sandbox.fan"_s),
                b.value("text"_L1).toString(u"Nice!"_s), b.value("parent_id"_L1).toString(),
                m_graph.context.clock.nowMs());
            m_webhooks.flush();
            e->respondJson(200, QJsonObject{{u"id"_s, id}});
        });
    add(router, "POST", u"/mentions"_s, u"mentions.add"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString igUserId = b.value("ig_user_id"_L1).toString();
            if (!state.accounts.contains(igUserId))
                return e->respondJson(400, adminError(u"unknown ig_user_id"_s));
            QJsonObject value{
                {u"media_id"_s, b.value("media_id"_L1).toString(state.newId(u"182"_s))}};
            if (b.contains("comment_id"_L1))
                value[u"comment_id"_s] = b.value("comment_id"_L1).toString();
            m_webhooks.queueChange(igUserId, u"mentions"_s, value);
            m_webhooks.flush();
            m_changed();
            e->respondJson(200, value);
        });
    add(router, "POST", u"/story_insights"_s, u"story_insights.add"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            const QString mediaId = b.value("media_id"_L1).toString();
            const auto it = state.media.constFind(mediaId);
            if (it == state.media.cend() || it->productType != "STORY"_L1)
                return e->respondJson(400, adminError(u"media_id must be a published story"_s));
            const QJsonObject m = m_reading.metrics(*it);
            QJsonObject value{{u"media_id"_s, mediaId},
                              {u"reach"_s, m.value("reach"_L1)},
                              {u"replies"_s, m.value("replies"_L1)},
                              {u"exits"_s, b.value("exits"_L1).toInt(1)},
                              {u"taps_forward"_s, b.value("taps_forward"_L1).toInt(3)},
                              {u"taps_back"_s, b.value("taps_back"_L1).toInt(1)},
                              {u"impressions"_s, m.value("views"_L1)}};
            m_webhooks.queueChange(it->igUserId, u"story_insights"_s, value);
            m_webhooks.flush();
            e->respondJson(200, value);
        });
    // Sets the verify token (optional) and performs the hub.challenge GET; answers when done.
    add(router, "POST", u"/webhook_verification"_s, u"webhook_verification"_s,
        [this, &state](const ExchangePtr &e, const Body &b) {
            if (b.contains("verify_token"_L1))
                state.verifyToken = b.value("verify_token"_L1).toString();
            m_changed();
            m_webhooks.verify([e](const QJsonObject &result) { e->respondJson(200, result); });
        });
    add(router, "GET", u"/webhook_verification"_s, u"webhook_verification.get"_s,
        [&state](const ExchangePtr &e, const Body &) {
            e->respondJson(200, state.lastVerification);
        });
}

} // namespace sandbox
