#include "instagramreading.h"

#include "instagramwebhooks.h"

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kCommentEveryMs = 20 * kMinuteMs; // a fan comments every 20 minutes
constexpr int kAutoCommentsMax = 144;              // ... for the first two days
constexpr qint64 kGrowthMinutesMax = 7 * 24 * 60;  // metrics grow for a week
constexpr qint64 kStoryLifetimeMs = 24 * 3600 * 1000;

const QStringList &fans() {
    static const QStringList names{u"fan.one"_s, u"sunny.days"_s, u"coffee.lover"_s,
                                   u"trail.runner"_s, u"pixel.art"_s};
    return names;
}

QString unknownField(const QString &name, const QString &type) {
    return u"(#100) Tried accessing nonexisting field ("_s + name + u") on node type ("_s + type +
           u")"_s;
}
} // namespace

InstagramReading::InstagramReading(InstagramGraph &graph, InstagramWebhooks &webhooks,
                                   std::function<void()> changed)
    : m_graph(graph)
    , m_webhooks(webhooks)
    , m_changed(std::move(changed)) {}

void InstagramReading::registerRoutes(Router &router) {
    const QString p = u"instagram"_s;
    router.add("GET", u"/instagram/v25.0/{id}/media"_s, p, u"media.list"_s,
               m_graph.wrap(u"media.list"_s, [this](GraphCall &call) { list(call); }));
    router.add("GET", u"/instagram/v25.0/{id}/comments"_s, p, u"comments.list"_s,
               m_graph.wrap(u"comments.list"_s, [this](GraphCall &call) { comments(call); }));
    router.add("POST", u"/instagram/v25.0/{id}/replies"_s, p, u"comment.reply"_s,
               m_graph.wrap(u"comment.reply"_s, [this](GraphCall &call) { reply(call); }));
    router.add("POST", u"/instagram/v25.0/{id}"_s, p, u"comment.hide"_s,
               m_graph.wrap(u"comment.hide"_s, [this](GraphCall &call) { hide(call); }));
    router.add("GET", u"/instagram/v25.0/{id}/insights"_s, p, u"media.insights"_s,
               m_graph.wrap(u"media.insights"_s, [this](GraphCall &call) { insights(call); }));
}

// Lifetime metrics grow with the media's age (a week at most), deterministic so a
// restart or a clock jump gives the same numbers.
QJsonObject InstagramReading::metrics(const IgMedia &m) const {
    const qint64 a = qBound<qint64>(0, (m_graph.context.clock.nowMs() - m.createdMs) / kMinuteMs,
                                    kGrowthMinutesMax);
    int commentCount = 0;
    for (const IgComment &c : std::as_const(m_graph.state.comments))
        commentCount += c.mediaId == m.id;
    const qint64 likes = a / 4;
    const qint64 saved = a / 30;
    const qint64 shares = a / 40;
    return {{u"views"_s, double(10 + 6 * a)},
            {u"reach"_s, double(6 + 4 * a)},
            {u"likes"_s, double(likes)},
            {u"comments"_s, commentCount},
            {u"saved"_s, double(saved)},
            {u"shares"_s, double(shares)},
            {u"total_interactions"_s, double(likes + commentCount + saved + shares)},
            {u"follows"_s, double(a / 100)},
            {u"profile_visits"_s, double(a / 20)},
            {u"replies"_s, double(a / 50)},
            {u"navigation"_s, double(a / 5)}};
}

std::optional<QJsonObject> InstagramReading::mediaFields(GraphCall &call, const IgMedia &m,
                                                         const QString &fields,
                                                         std::optional<GraphError> *error) {
    QJsonObject out;
    const QJsonObject values = metrics(m);
    const IgAccount account = m_graph.state.accounts.value(m.igUserId);
    for (const auto &[name, sub] :
         InstagramGraph::parseFields(fields.isEmpty() ? u"id"_s : fields)) {
        if (name == "id"_L1) {
            out[name] = m.id;
        } else if (name == "caption"_L1) {
            if (!m.caption.isEmpty())
                out[name] = m.caption;
        } else if (name == "media_type"_L1) {
            out[name] = m.mediaType;
        } else if (name == "media_product_type"_L1) {
            out[name] = m.productType;
        } else if (name == "permalink"_L1) {
            if (!m.carouselChild)
                out[name] =
                    QString((m.productType == "REELS"_L1 ? u"https://www.instagram.com/reel/"_s
                                                         : u"https://www.instagram.com/p/"_s) +
                            m.shortcode + QLatin1Char('/'));
        } else if (name == "shortcode"_L1) {
            out[name] = m.shortcode;
        } else if (name == "timestamp"_L1) {
            out[name] = InstagramGraph::timestamp(m.createdMs);
        } else if (name == "like_count"_L1) {
            out[name] = values.value("likes"_L1);
        } else if (name == "comments_count"_L1) {
            out[name] = values.value("comments"_L1);
        } else if (name == "media_url"_L1) {
            out[name] = m.mediaUrl;
        } else if (name == "thumbnail_url"_L1) {
            if (m.mediaType == "VIDEO"_L1)
                out[name] = QString(u"https://scontent.sandbox.test/"_s + m.id + u"_thumb.jpg"_s);
        } else if (name == "username"_L1) {
            out[name] = account.username;
        } else if (name == "is_comment_enabled"_L1) {
            out[name] = true;
        } else if (name == "owner"_L1) {
            out[name] = QJsonObject{{u"id"_s, m.igUserId}};
        } else if (name == "children"_L1) {
            if (m.children.isEmpty())
                continue;
            QJsonArray data;
            for (const QString &childId : m.children) {
                const auto child =
                    mediaFields(call, m_graph.state.media.value(childId), sub, error);
                if (!child)
                    return std::nullopt;
                data.append(*child);
            }
            out[name] = QJsonObject{{u"data"_s, data}};
        } else {
            *error = GraphError::param(unknownField(name, u"IGMedia"_s));
            return std::nullopt;
        }
    }
    return out;
}

QJsonObject InstagramReading::commentFields(const IgComment &c, const QString &fields,
                                            std::optional<GraphError> *error) const {
    QJsonObject out;
    for (const auto &[name, sub] :
         InstagramGraph::parseFields(fields.isEmpty() ? u"timestamp,text,id"_s : fields)) {
        if (name == "id"_L1) {
            out[name] = c.id;
        } else if (name == "text"_L1) {
            out[name] = c.text;
        } else if (name == "username"_L1) {
            out[name] = c.username;
        } else if (name == "timestamp"_L1) {
            out[name] = InstagramGraph::timestamp(c.createdMs);
        } else if (name == "like_count"_L1) {
            out[name] = c.likeCount;
        } else if (name == "hidden"_L1) {
            out[name] = c.hidden;
        } else if (name == "from"_L1) {
            out[name] = QJsonObject{{u"id"_s, c.fromId}, {u"username"_s, c.username}};
        } else if (name == "parent_id"_L1) {
            if (!c.parentId.isEmpty())
                out[name] = c.parentId;
        } else if (name == "media"_L1) {
            out[name] = QJsonObject{{u"id"_s, c.mediaId}};
        } else if (name == "replies"_L1) {
            QJsonArray data;
            for (const IgComment &r : std::as_const(m_graph.state.comments))
                if (r.parentId == c.id) {
                    const QJsonObject child = commentFields(
                        r, sub.isEmpty() ? u"id,text,username,timestamp"_s : sub, error);
                    if (*error)
                        return {};
                    data.append(child);
                }
            out[name] = QJsonObject{{u"data"_s, data}};
        } else {
            *error = GraphError::param(unknownField(name, u"IGComment"_s));
            return {};
        }
    }
    return out;
}

void InstagramReading::mediaNode(GraphCall &call, const IgMedia &m) {
    if (!m_graph.ownsAccount(*call.token, m.igUserId))
        return call.fail(GraphError::noObject(m.id));
    if (!call.hasScope(u"instagram_basic"_s))
        return call.fail(GraphError::permission(u"instagram_basic"_s));
    std::optional<GraphError> error;
    const auto out = mediaFields(call, m, call.param(u"fields"_s), &error);
    if (!out)
        return call.fail(*error);
    call.ok(*out);
}

void InstagramReading::commentNode(GraphCall &call, const IgComment &c) {
    const IgMedia m = m_graph.state.media.value(c.mediaId);
    if (!m_graph.ownsAccount(*call.token, m.igUserId))
        return call.fail(GraphError::noObject(c.id));
    if (!call.hasScope(u"instagram_manage_comments"_s))
        return call.fail(GraphError::permission(u"instagram_manage_comments"_s));
    std::optional<GraphError> error;
    const QJsonObject out = commentFields(c, call.param(u"fields"_s), &error);
    if (error)
        return call.fail(*error);
    call.ok(out);
}

// Newest first; the latest 10,000; no stories and no carousel children.
void InstagramReading::list(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString igUserId = call.e->param(u"id"_s);
    if (!m_graph.state.accounts.contains(igUserId) || !m_graph.ownsAccount(*call.token, igUserId))
        return call.fail(GraphError::noObject(igUserId));
    if (!call.hasScope(u"instagram_basic"_s))
        return call.fail(GraphError::permission(u"instagram_basic"_s));
    QList<IgMedia> all;
    for (const IgMedia &m : std::as_const(m_graph.state.media))
        if (m.igUserId == igUserId && !m.carouselChild && m.productType != "STORY"_L1)
            all.append(m);
    std::sort(all.begin(), all.end(), [](const IgMedia &a, const IgMedia &b) {
        return a.createdMs != b.createdMs ? a.createdMs > b.createdMs : a.id > b.id;
    });
    if (all.size() > 10000)
        all.resize(10000);
    QJsonArray items;
    QString fields = call.param(u"fields"_s);
    for (const IgMedia &m : std::as_const(all)) {
        std::optional<GraphError> error;
        auto item = mediaFields(call, m, fields, &error);
        if (!item)
            return call.fail(*error);
        item->insert(u"id"_s, m.id);
        items.append(*item);
    }
    std::optional<GraphError> error;
    const QJsonObject out = m_graph.paginate(call, items, 25, &error);
    if (error)
        return call.fail(*error);
    call.ok(out);
}

void InstagramReading::comments(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString mediaId = call.e->param(u"id"_s);
    const auto it = m_graph.state.media.constFind(mediaId);
    if (it == m_graph.state.media.cend() || !m_graph.ownsAccount(*call.token, it->igUserId))
        return call.fail(GraphError::noObject(mediaId));
    if (!call.hasScope(u"instagram_manage_comments"_s))
        return call.fail(GraphError::permission(u"instagram_manage_comments"_s));
    QList<IgComment> top;
    for (const IgComment &c : std::as_const(m_graph.state.comments))
        if (c.mediaId == mediaId && c.parentId.isEmpty())
            top.append(c);
    std::sort(top.begin(), top.end(), [](const IgComment &a, const IgComment &b) {
        return a.createdMs != b.createdMs ? a.createdMs > b.createdMs : a.id > b.id;
    });
    QJsonArray items;
    for (const IgComment &c : std::as_const(top)) {
        std::optional<GraphError> error;
        QJsonObject item = commentFields(c, call.param(u"fields"_s), &error);
        if (error)
            return call.fail(*error);
        item.insert(u"id"_s, c.id);
        items.append(item);
    }
    std::optional<GraphError> error;
    const QJsonObject out = m_graph.paginate(call, items, 50, &error);
    if (error)
        return call.fail(*error);
    call.ok(out);
}

void InstagramReading::reply(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString commentId = call.e->param(u"id"_s);
    const auto it = m_graph.state.comments.constFind(commentId);
    if (it == m_graph.state.comments.cend())
        return call.fail(GraphError::noObject(commentId));
    const IgMedia m = m_graph.state.media.value(it->mediaId);
    if (!m_graph.ownsAccount(*call.token, m.igUserId))
        return call.fail(GraphError::noObject(commentId));
    if (!call.hasScope(u"instagram_manage_comments"_s))
        return call.fail(GraphError::permission(u"instagram_manage_comments"_s));
    const QString message = call.param(u"message"_s);
    if (message.trimmed().isEmpty())
        return call.fail(GraphError::param(u"(#100) The parameter message is required"_s));
    if (message.size() > 2200)
        return call.fail(GraphError::param(u"(#100) The message is too long"_s));
    if (!it->parentId.isEmpty())
        return call.fail(
            GraphError::param(u"(#100) Replies can only be made to top-level comments"_s));
    IgComment c;
    c.id = m_graph.state.newId(u"181"_s);
    c.mediaId = m.id;
    c.parentId = commentId;
    c.fromId = m.igUserId;
    c.username = m_graph.state.accounts.value(m.igUserId).username;
    c.text = message;
    c.createdMs = m_graph.context.clock.nowMs();
    m_graph.state.comments.insert(c.id, c);
    m_changed();
    call.ok({{u"id"_s, c.id}});
}

void InstagramReading::hide(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString commentId = call.e->param(u"id"_s);
    const auto it = m_graph.state.comments.find(commentId);
    if (it == m_graph.state.comments.end() ||
        !m_graph.ownsAccount(*call.token, m_graph.state.media.value(it->mediaId).igUserId))
        return call.fail(GraphError::noObject(commentId));
    if (!call.hasScope(u"instagram_manage_comments"_s))
        return call.fail(GraphError::permission(u"instagram_manage_comments"_s));
    const QString hideValue = call.param(u"hide"_s);
    if (hideValue != "true"_L1 && hideValue != "false"_L1)
        return call.fail(GraphError::param(u"(#100) Param hide must be a boolean"_s));
    it->hidden = hideValue == "true"_L1;
    m_changed();
    call.ok({{u"success"_s, true}});
}

void InstagramReading::insights(GraphCall &call) {
    if (const auto error = call.authenticate())
        return call.fail(*error);
    const QString mediaId = call.e->param(u"id"_s);
    const auto it = m_graph.state.media.constFind(mediaId);
    if (it == m_graph.state.media.cend() || !m_graph.ownsAccount(*call.token, it->igUserId))
        return call.fail(GraphError::noObject(mediaId));
    if (!call.hasScope(u"instagram_manage_insights"_s))
        return call.fail(GraphError::permission(u"instagram_manage_insights"_s));
    if (it->carouselChild)
        return call.fail(GraphError::param(
            u"(#100) Insights are not available for carousel children; ask the album"_s));
    const bool story = it->productType == "STORY"_L1;
    if (story && it->createdMs + kStoryLifetimeMs <= m_graph.context.clock.nowMs())
        return call.fail(GraphError::param(
            u"(#100) Stories expire after 24 hours; their insights are no longer available"_s));
    const QStringList metricNames =
        call.param(u"metric"_s).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (metricNames.isEmpty())
        return call.fail(GraphError::param(u"(#100) The parameter metric is required"_s));
    const QStringList allowed =
        story ? QStringList{u"reach"_s,
                            u"replies"_s,
                            u"views"_s,
                            u"shares"_s,
                            u"total_interactions"_s,
                            u"navigation"_s,
                            u"follows"_s,
                            u"profile_visits"_s}
              : QStringList{u"reach"_s,         u"likes"_s, u"comments"_s,           u"saved"_s,
                            u"shares"_s,        u"views"_s, u"total_interactions"_s, u"follows"_s,
                            u"profile_visits"_s};
    const QJsonObject values = metrics(*it);
    QJsonArray data;
    for (qsizetype i = 0; i < metricNames.size(); ++i) {
        const QString name = metricNames.at(i).trimmed();
        if (name == "impressions"_L1 || name == "plays"_L1 || name == "video_views"_L1)
            return call.fail(GraphError::param(
                u"(#100) Starting from version v22.0, the "_s + name +
                u" metric is no longer supported for media created after July 2, 2024. Please "
                u"use views instead."_s));
        if (!allowed.contains(name))
            return call.fail(GraphError::param(u"(#100) metric["_s + QString::number(i) +
                                               u"] must be one of the following values: "_s +
                                               allowed.join(u", "_s) + u" (got "_s + name +
                                               u")"_s));
        const QJsonValue value = values.value(name);
        data.append(
            QJsonObject{{u"name"_s, name},
                        {u"period"_s, u"lifetime"_s},
                        {u"values"_s, QJsonArray{QJsonObject{{u"value"_s, value}}}},
                        {u"total_value"_s, QJsonObject{{u"value"_s, value}}},
                        {u"title"_s, name},
                        {u"id"_s, QString(mediaId + u"/insights/"_s + name + u"/lifetime"_s)}});
    }
    call.ok({{u"data"_s, data}});
}

QString InstagramReading::addComment(const QString &mediaId, const QString &username,
                                     const QString &text, const QString &parentId, qint64 atMs) {
    const IgMedia m = m_graph.state.media.value(mediaId);
    IgComment c;
    c.id = m_graph.state.newId(u"181"_s);
    c.mediaId = mediaId;
    c.parentId = parentId;
    c.fromId = u"1789"_s + QString::number(qHash(username) % 100000000);
    c.username = username;
    c.text = text;
    c.createdMs = atMs;
    m_graph.state.comments.insert(c.id, c);
    QJsonObject value{
        {u"from"_s, QJsonObject{{u"id"_s, c.fromId}, {u"username"_s, username}}},
        {u"id"_s, c.id},
        {u"text"_s, text},
        {u"media"_s, QJsonObject{{u"id"_s, mediaId}, {u"media_product_type"_s, m.productType}}}};
    if (!parentId.isEmpty())
        value[u"parent_id"_s] = parentId;
    m_webhooks.queueChange(m.igUserId, u"comments"_s, value);
    m_changed();
    return c.id;
}

bool InstagramReading::tick() {
    const qint64 now = m_graph.context.clock.nowMs();
    bool any = false;
    const QStringList ids = m_graph.state.media.keys();
    for (const QString &id : ids) {
        IgMedia &m = m_graph.state.media[id];
        if (m.carouselChild || m.productType == "STORY"_L1)
            continue;
        const int due = int(qMin<qint64>(kAutoCommentsMax, (now - m.createdMs) / kCommentEveryMs));
        while (m.autoComments < due) {
            const int n = m.autoComments++;
            const QString fan = fans().at(n % fans().size());
            const qint64 at = m.createdMs + qint64(n + 1) * kCommentEveryMs;
            const QString mediaId = m.id;
            addComment(mediaId, fan, u"Comment #"_s + QString::number(n + 1) + u" from "_s + fan,
                       {}, at);
            any = true;
        }
    }
    return any;
}

} // namespace sandbox
