#include "instagramstate.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {

QJsonArray toArray(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList toList(const QJsonValue &value) {
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

QJsonArray toArray(const QList<qint64> &list) {
    QJsonArray array;
    for (qint64 v : list)
        array.append(double(v));
    return array;
}

QList<qint64> toTimes(const QJsonValue &value) {
    QList<qint64> list;
    for (const QJsonValue &item : value.toArray())
        list.append(qint64(item.toDouble()));
    return list;
}

qint64 num(const QJsonObject &o, QLatin1StringView key) {
    return qint64(o.value(key).toDouble());
}

} // namespace

InstagramState::InstagramState() {
    seed();
}

// Fixed test users (documented in README.md):
//  1000000000001 Alex: one Page linked to a Business account
//  1000000000002 Blair: two Pages, each linked (the creator picks)
//  1000000000003 Casey: no Page at all
//  1000000000004 Dana: a Page without a linked Instagram professional account
//  1000000000005 Eli: a Page linked to a personal Instagram account (invisible to the API)
void InstagramState::seed() {
    redirectUris = {u"http://localhost/"_s,
                    u"https://relay.huntaze.test/oauth/instagram/callback"_s};
    users.clear();
    pages.clear();
    accounts.clear();
    auto addUser = [this](const QString &id, const QString &name, const QStringList &pageIds) {
        users.insert(id, IgFacebookUser{id, name, pageIds, {}, false});
    };
    auto addPage = [this](const QString &id, const QString &name, const QString &ig,
                          const QString &personal) {
        pages.insert(id, IgPage{id, name, u"Creator"_s, ig, personal, {}});
    };
    auto addAccount = [this](const QString &id, const QString &username, const QString &name,
                             const QString &type, const QString &pageId, int followers) {
        IgAccount account;
        account.id = id;
        account.username = username;
        account.name = name;
        account.accountType = type;
        account.biography = u"Sandbox account "_s + username;
        account.website = u"https://example.com/"_s + username;
        account.pageId = pageId;
        account.followers = followers;
        account.follows = followers / 10;
        accounts.insert(id, account);
    };
    addUser(u"1000000000001"_s, u"Alex Sandbox"_s, {u"2000000000001"_s});
    addUser(u"1000000000002"_s, u"Blair Sandbox"_s, {u"2000000000002"_s, u"2000000000003"_s});
    addUser(u"1000000000003"_s, u"Casey Sandbox"_s, {});
    addUser(u"1000000000004"_s, u"Dana Sandbox"_s, {u"2000000000004"_s});
    addUser(u"1000000000005"_s, u"Eli Sandbox"_s, {u"2000000000005"_s});
    addPage(u"2000000000001"_s, u"Alex Studio"_s, u"17841400000000001"_s, {});
    addPage(u"2000000000002"_s, u"Blair Makes"_s, u"17841400000000002"_s, {});
    addPage(u"2000000000003"_s, u"Blair Travels"_s, u"17841400000000003"_s, {});
    addPage(u"2000000000004"_s, u"Dana Bakery"_s, {}, {});
    addPage(u"2000000000005"_s, u"Eli Photos"_s, {}, u"eli.personal"_s);
    addAccount(u"17841400000000001"_s, u"alex.studio"_s, u"Alex Studio"_s, u"BUSINESS"_s,
               u"2000000000001"_s, 1200);
    addAccount(u"17841400000000002"_s, u"blair.makes"_s, u"Blair Makes"_s, u"CREATOR"_s,
               u"2000000000002"_s, 5400);
    addAccount(u"17841400000000003"_s, u"blair.travels"_s, u"Blair Travels"_s, u"BUSINESS"_s,
               u"2000000000003"_s, 310);
}

QString InstagramState::newId(const QString &prefix) {
    return prefix + QStringLiteral("%1").arg(nextId++, 13, 10, QLatin1Char('0'));
}

QJsonObject InstagramState::save() const {
    QJsonObject o;
    o[u"app_mode"_s] = appMode;
    o[u"redirect_uris"_s] = toArray(redirectUris);
    o[u"verify_token"_s] = verifyToken;
    o[u"last_verification"_s] = lastVerification;
    o[u"app_subscription"_s] = appSubscription;
    o[u"app_call_limit"_s] = appCallLimit;
    o[u"buc_call_limit"_s] = bucCallLimit;
    o[u"user_call_limit"_s] = userCallLimit;
    o[u"page_call_limit"_s] = pageCallLimit;
    o[u"next_id"_s] = double(nextId);

    QJsonObject usersJson;
    for (const IgFacebookUser &u : users)
        usersJson[u.id] =
            QJsonObject{{u"granted"_s, toArray(u.grantedScopes)}, {u"authorized"_s, u.authorized}};
    o[u"users"_s] = usersJson;
    QJsonObject pagesJson;
    for (const IgPage &p : pages)
        pagesJson[p.id] = QJsonObject{{u"subscribed_fields"_s, toArray(p.subscribedFields)}};
    o[u"pages"_s] = pagesJson;
    QJsonObject accountsJson;
    for (const IgAccount &a : accounts)
        accountsJson[a.id] = QJsonObject{{u"quota_total"_s, a.quotaTotal},
                                         {u"quota_duration"_s, a.quotaDuration},
                                         {u"restricted"_s, a.restricted},
                                         {u"spam"_s, a.spam},
                                         {u"policy_blocked"_s, a.policyBlocked}};
    o[u"accounts"_s] = accountsJson;

    QJsonArray tokensJson;
    for (const IgToken &t : tokens)
        tokensJson.append(QJsonObject{{u"token"_s, t.token},
                                      {u"kind"_s, t.kind},
                                      {u"user_id"_s, t.userId},
                                      {u"page_id"_s, t.pageId},
                                      {u"scopes"_s, toArray(t.scopes)},
                                      {u"expires_ms"_s, double(t.expiresMs)},
                                      {u"invalid_subcode"_s, t.invalidSubcode}});
    o[u"tokens"_s] = tokensJson;
    QJsonArray codesJson;
    for (const IgCode &c : codes)
        codesJson.append(QJsonObject{{u"code"_s, c.code},
                                     {u"user_id"_s, c.userId},
                                     {u"redirect_uri"_s, c.redirectUri},
                                     {u"scopes"_s, toArray(c.scopes)},
                                     {u"expires_ms"_s, double(c.expiresMs)},
                                     {u"used"_s, c.used}});
    o[u"codes"_s] = codesJson;
    QJsonArray containersJson;
    for (const IgContainer &c : containers)
        containersJson.append(QJsonObject{{u"id"_s, c.id},
                                          {u"ig_user_id"_s, c.igUserId},
                                          {u"media_type"_s, c.mediaType},
                                          {u"carousel_item"_s, c.carouselItem},
                                          {u"image_url"_s, c.imageUrl},
                                          {u"video_url"_s, c.videoUrl},
                                          {u"caption"_s, c.caption},
                                          {u"children"_s, toArray(c.children)},
                                          {u"resumable"_s, c.resumable},
                                          {u"upload_id"_s, c.uploadId},
                                          {u"uploaded"_s, c.uploaded},
                                          {u"created_ms"_s, double(c.createdMs)},
                                          {u"ready_ms"_s, double(c.readyMs)},
                                          {u"status_code"_s, c.statusCode},
                                          {u"error_code"_s, c.errorCode},
                                          {u"error_subcode"_s, c.errorSubcode},
                                          {u"error_message"_s, c.errorMessage},
                                          {u"media_id"_s, c.mediaId}});
    o[u"containers"_s] = containersJson;
    QJsonArray mediaJson;
    for (const IgMedia &m : media)
        mediaJson.append(QJsonObject{{u"id"_s, m.id},
                                     {u"ig_user_id"_s, m.igUserId},
                                     {u"container_id"_s, m.containerId},
                                     {u"media_type"_s, m.mediaType},
                                     {u"product_type"_s, m.productType},
                                     {u"caption"_s, m.caption},
                                     {u"shortcode"_s, m.shortcode},
                                     {u"media_url"_s, m.mediaUrl},
                                     {u"children"_s, toArray(m.children)},
                                     {u"carousel_child"_s, m.carouselChild},
                                     {u"created_ms"_s, double(m.createdMs)},
                                     {u"auto_comments"_s, m.autoComments}});
    o[u"media"_s] = mediaJson;
    QJsonArray commentsJson;
    for (const IgComment &c : comments)
        commentsJson.append(QJsonObject{{u"id"_s, c.id},
                                        {u"media_id"_s, c.mediaId},
                                        {u"parent_id"_s, c.parentId},
                                        {u"from_id"_s, c.fromId},
                                        {u"username"_s, c.username},
                                        {u"text"_s, c.text},
                                        {u"created_ms"_s, double(c.createdMs)},
                                        {u"like_count"_s, c.likeCount},
                                        {u"hidden"_s, c.hidden}});
    o[u"comments"_s] = commentsJson;
    QJsonObject times;
    for (auto it = containerTimes.cbegin(); it != containerTimes.cend(); ++it)
        times[it.key()] = toArray(it.value());
    o[u"container_times"_s] = times;
    QJsonObject published;
    for (auto it = publishTimes.cbegin(); it != publishTimes.cend(); ++it)
        published[it.key()] = toArray(it.value());
    o[u"publish_times"_s] = published;
    QJsonObject facts;
    for (auto it = mediaFacts.cbegin(); it != mediaFacts.cend(); ++it)
        facts[it.key()] = it.value();
    o[u"media_facts"_s] = facts;
    return o;
}

void InstagramState::load(const QJsonObject &o) {
    if (o.isEmpty())
        return;
    seed();
    appMode = o.value("app_mode"_L1).toString(appMode);
    if (o.contains("redirect_uris"_L1))
        redirectUris = toList(o.value("redirect_uris"_L1));
    verifyToken = o.value("verify_token"_L1).toString(verifyToken);
    lastVerification = o.value("last_verification"_L1).toObject();
    appSubscription = o.value("app_subscription"_L1).toObject();
    appCallLimit = o.value("app_call_limit"_L1).toInt(appCallLimit);
    bucCallLimit = o.value("buc_call_limit"_L1).toInt(bucCallLimit);
    userCallLimit = o.value("user_call_limit"_L1).toInt(userCallLimit);
    pageCallLimit = o.value("page_call_limit"_L1).toInt(pageCallLimit);
    nextId = qMax<qint64>(1, num(o, "next_id"_L1));

    const QJsonObject usersJson = o.value("users"_L1).toObject();
    for (auto it = usersJson.begin(); it != usersJson.end(); ++it) {
        if (!users.contains(it.key()))
            continue;
        const QJsonObject u = it.value().toObject();
        users[it.key()].grantedScopes = toList(u.value("granted"_L1));
        users[it.key()].authorized = u.value("authorized"_L1).toBool();
    }
    const QJsonObject pagesJson = o.value("pages"_L1).toObject();
    for (auto it = pagesJson.begin(); it != pagesJson.end(); ++it)
        if (pages.contains(it.key()))
            pages[it.key()].subscribedFields =
                toList(it.value().toObject().value("subscribed_fields"_L1));
    const QJsonObject accountsJson = o.value("accounts"_L1).toObject();
    for (auto it = accountsJson.begin(); it != accountsJson.end(); ++it) {
        if (!accounts.contains(it.key()))
            continue;
        const QJsonObject a = it.value().toObject();
        IgAccount &account = accounts[it.key()];
        account.quotaTotal = a.value("quota_total"_L1).toInt(50);
        account.quotaDuration = a.value("quota_duration"_L1).toInt(86400);
        account.restricted = a.value("restricted"_L1).toBool();
        account.spam = a.value("spam"_L1).toBool();
        account.policyBlocked = a.value("policy_blocked"_L1).toBool();
    }

    tokens.clear();
    for (const QJsonValue &v : o.value("tokens"_L1).toArray()) {
        const QJsonObject t = v.toObject();
        IgToken token;
        token.token = t.value("token"_L1).toString();
        token.kind = t.value("kind"_L1).toString();
        token.userId = t.value("user_id"_L1).toString();
        token.pageId = t.value("page_id"_L1).toString();
        token.scopes = toList(t.value("scopes"_L1));
        token.expiresMs = num(t, "expires_ms"_L1);
        token.invalidSubcode = t.value("invalid_subcode"_L1).toInt();
        tokens.insert(token.token, token);
    }
    codes.clear();
    for (const QJsonValue &v : o.value("codes"_L1).toArray()) {
        const QJsonObject c = v.toObject();
        IgCode code;
        code.code = c.value("code"_L1).toString();
        code.userId = c.value("user_id"_L1).toString();
        code.redirectUri = c.value("redirect_uri"_L1).toString();
        code.scopes = toList(c.value("scopes"_L1));
        code.expiresMs = num(c, "expires_ms"_L1);
        code.used = c.value("used"_L1).toBool();
        codes.insert(code.code, code);
    }
    containers.clear();
    for (const QJsonValue &v : o.value("containers"_L1).toArray()) {
        const QJsonObject c = v.toObject();
        IgContainer k;
        k.id = c.value("id"_L1).toString();
        k.igUserId = c.value("ig_user_id"_L1).toString();
        k.mediaType = c.value("media_type"_L1).toString();
        k.carouselItem = c.value("carousel_item"_L1).toBool();
        k.imageUrl = c.value("image_url"_L1).toString();
        k.videoUrl = c.value("video_url"_L1).toString();
        k.caption = c.value("caption"_L1).toString();
        k.children = toList(c.value("children"_L1));
        k.resumable = c.value("resumable"_L1).toBool();
        k.uploadId = c.value("upload_id"_L1).toString();
        k.uploaded = c.value("uploaded"_L1).toBool();
        k.createdMs = num(c, "created_ms"_L1);
        k.readyMs = num(c, "ready_ms"_L1);
        k.statusCode = c.value("status_code"_L1).toString();
        k.errorCode = c.value("error_code"_L1).toInt();
        k.errorSubcode = c.value("error_subcode"_L1).toInt();
        k.errorMessage = c.value("error_message"_L1).toString();
        k.mediaId = c.value("media_id"_L1).toString();
        containers.insert(k.id, k);
    }
    media.clear();
    for (const QJsonValue &v : o.value("media"_L1).toArray()) {
        const QJsonObject m = v.toObject();
        IgMedia x;
        x.id = m.value("id"_L1).toString();
        x.igUserId = m.value("ig_user_id"_L1).toString();
        x.containerId = m.value("container_id"_L1).toString();
        x.mediaType = m.value("media_type"_L1).toString();
        x.productType = m.value("product_type"_L1).toString();
        x.caption = m.value("caption"_L1).toString();
        x.shortcode = m.value("shortcode"_L1).toString();
        x.mediaUrl = m.value("media_url"_L1).toString();
        x.children = toList(m.value("children"_L1));
        x.carouselChild = m.value("carousel_child"_L1).toBool();
        x.createdMs = num(m, "created_ms"_L1);
        x.autoComments = m.value("auto_comments"_L1).toInt();
        media.insert(x.id, x);
    }
    comments.clear();
    for (const QJsonValue &v : o.value("comments"_L1).toArray()) {
        const QJsonObject c = v.toObject();
        IgComment x;
        x.id = c.value("id"_L1).toString();
        x.mediaId = c.value("media_id"_L1).toString();
        x.parentId = c.value("parent_id"_L1).toString();
        x.fromId = c.value("from_id"_L1).toString();
        x.username = c.value("username"_L1).toString();
        x.text = c.value("text"_L1).toString();
        x.createdMs = num(c, "created_ms"_L1);
        x.likeCount = c.value("like_count"_L1).toInt();
        x.hidden = c.value("hidden"_L1).toBool();
        comments.insert(x.id, x);
    }
    containerTimes.clear();
    const QJsonObject times = o.value("container_times"_L1).toObject();
    for (auto it = times.begin(); it != times.end(); ++it)
        containerTimes.insert(it.key(), toTimes(it.value()));
    publishTimes.clear();
    const QJsonObject published = o.value("publish_times"_L1).toObject();
    for (auto it = published.begin(); it != published.end(); ++it)
        publishTimes.insert(it.key(), toTimes(it.value()));
    mediaFacts.clear();
    const QJsonObject facts = o.value("media_facts"_L1).toObject();
    for (auto it = facts.begin(); it != facts.end(); ++it)
        mediaFacts.insert(it.key(), it.value().toObject());
}

} // namespace sandbox
