// X webhooks: registration at /2/webhooks with the CRC challenge, and the events the
// sandbox sends (X Activity API shape, or the older Account Activity shape with the
// admin knob), signed with the consumer secret by the WebhookSender.
#include "xplatform.h"

#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QUuid>

namespace sandbox {

namespace {

constexpr int kCrcTimeoutMs = 10'000; // "must answer within 10 seconds"
constexpr int kMaxWebhooks = 5;       // per app; X's tiers differ, the sandbox allows 5

QString legacyDate(qint64 ms) {
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC),
                                 QStringLiteral("ddd MMM dd HH:mm:ss +0000 yyyy"));
}

QString iso(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool isLoopback(const QString &host) {
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost") ||
           host == QLatin1String("::1");
}

} // namespace

void XPlatform::registerWebhookRoutes(Router &router) {
    const QString x = name();
    router.add("POST", QStringLiteral("/x/2/webhooks"), x, QStringLiteral("webhooks.create"),
               [this](const ExchangePtr &e) { webhookCreate(e); });
    router.add("GET", QStringLiteral("/x/2/webhooks"), x, QStringLiteral("webhooks.list"),
               [this](const ExchangePtr &e) { webhookList(e); });
    router.add("DELETE", QStringLiteral("/x/2/webhooks/{id}"), x, QStringLiteral("webhooks.delete"),
               [this](const ExchangePtr &e) { webhookDelete(e); });
    router.add("PUT", QStringLiteral("/x/2/webhooks/{id}"), x, QStringLiteral("webhooks.validate"),
               [this](const ExchangePtr &e) { webhookRevalidate(e); });
}

QJsonObject XPlatform::webhookJson(const Webhook &hook) const {
    return {{QStringLiteral("id"), hook.id},
            {QStringLiteral("url"), hook.url},
            {QStringLiteral("valid"), hook.valid},
            {QStringLiteral("created_at"), iso(hook.createdMs)}};
}

void XPlatform::webhookCreate(const ExchangePtr &e) {
    // Webhook management is app-only: a user token is refused.
    const Token *token = authenticate(e, {}, true);
    if (!token)
        return;
    if (token != &m_appToken) {
        problem(e, 403, QStringLiteral("Unsupported Authentication"),
                QStringLiteral("Authenticating with OAuth 2.0 User Context is forbidden for this "
                               "endpoint.  Supported authentication types are [OAuth 2.0 "
                               "Application-Only]."),
                QStringLiteral("https://api.twitter.com/2/problems/unsupported-authentication"));
        return;
    }
    Headers headers;
    if (!rateLimit(e, QStringLiteral("webhooks.create"), QStringLiteral("app"), &headers))
        return;
    const auto body = e->jsonBody();
    const QUrl url(body ? body->value(QStringLiteral("url")).toString() : QString());
    // X wants HTTPS without a port. The sandbox has no TLS, so it also accepts plain
    // http on a loopback host (with a port): anything else follows X's rule.
    const bool loopback = isLoopback(url.host());
    if (!url.isValid() || url.host().isEmpty() ||
        (!loopback && (url.scheme() != QLatin1String("https") || url.port() != -1)) ||
        (loopback && url.scheme() != QLatin1String("https") &&
         url.scheme() != QLatin1String("http"))) {
        invalidRequest(e, QStringLiteral("$.url: an https URL without a port is required"),
                       headers);
        return;
    }
    for (const Webhook &w : m_webhooks)
        if (w.url == url.toString()) {
            invalidRequest(e,
                           QStringLiteral("DuplicateUrlFailed: this URL is already "
                                          "registered"),
                           headers);
            return;
        }
    if (m_webhooks.size() >= kMaxWebhooks) {
        problem(e, 403, QStringLiteral("Forbidden"),
                QStringLiteral("TooManyWebhooks: this app already has the maximum of %1 webhooks")
                    .arg(kMaxWebhooks),
                QStringLiteral("about:blank"), 214, headers);
        return;
    }
    Webhook hook;
    hook.id = newId();
    hook.url = url.toString();
    hook.createdMs = context().clock.nowMs();
    m_webhooks.insert(hook.id, hook);
    changed();
    // The CRC runs before the answer; a failed check leaves the webhook registered but
    // invalid (valid: false), as GET /2/webhooks then shows.
    const QString id = hook.id;
    runCrc(id, [this, e, id, headers](bool) {
        const auto it = m_webhooks.constFind(id);
        if (it == m_webhooks.cend()) {
            problem(e, 404, QStringLiteral("Not Found Error"), QStringLiteral("webhook deleted"));
            return;
        }
        e->respondJson(200, QJsonObject{{QStringLiteral("data"), webhookJson(*it)}}, headers);
    });
}

void XPlatform::webhookList(const ExchangePtr &e) {
    const Token *token = authenticate(e, {}, true);
    if (!token)
        return;
    if (token != &m_appToken) {
        problem(e, 403, QStringLiteral("Unsupported Authentication"),
                QStringLiteral("Supported authentication types are [OAuth 2.0 "
                               "Application-Only]."),
                QStringLiteral("https://api.twitter.com/2/problems/unsupported-authentication"));
        return;
    }
    Headers headers;
    if (!rateLimit(e, QStringLiteral("webhooks.list"), QStringLiteral("app"), &headers))
        return;
    QJsonArray data;
    for (const Webhook &w : m_webhooks)
        data.append(webhookJson(w));
    QJsonObject answer{
        {QStringLiteral("meta"), QJsonObject{{QStringLiteral("result_count"), data.size()}}}};
    if (!data.isEmpty())
        answer.insert(QStringLiteral("data"), data);
    e->respondJson(200, answer, headers);
}

void XPlatform::webhookDelete(const ExchangePtr &e) {
    const Token *token = authenticate(e, {}, true);
    if (!token)
        return;
    Headers headers;
    if (token != &m_appToken ||
        !rateLimit(e, QStringLiteral("webhooks.delete"), QStringLiteral("app"), &headers)) {
        if (!e->answered())
            problem(
                e, 403, QStringLiteral("Unsupported Authentication"),
                QStringLiteral("Supported authentication types are [OAuth 2.0 "
                               "Application-Only]."),
                QStringLiteral("https://api.twitter.com/2/problems/unsupported-authentication"));
        return;
    }
    if (!m_webhooks.remove(e->param(QStringLiteral("id")))) {
        problem(e, 404, QStringLiteral("Not Found Error"),
                QStringLiteral("Could not find webhook with id: [%1].")
                    .arg(e->param(QStringLiteral("id"))),
                QStringLiteral("https://api.twitter.com/2/problems/resource-not-found"), 34,
                headers);
        return;
    }
    changed();
    e->respondJson(
        200, QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("deleted"), true}}}},
        headers);
}

void XPlatform::webhookRevalidate(const ExchangePtr &e) {
    const Token *token = authenticate(e, {}, true);
    if (!token)
        return;
    if (token != &m_appToken) {
        problem(e, 403, QStringLiteral("Unsupported Authentication"),
                QStringLiteral("Supported authentication types are [OAuth 2.0 "
                               "Application-Only]."),
                QStringLiteral("https://api.twitter.com/2/problems/unsupported-authentication"));
        return;
    }
    Headers headers;
    if (!rateLimit(e, QStringLiteral("webhooks.validate"), QStringLiteral("app"), &headers))
        return;
    const QString id = e->param(QStringLiteral("id"));
    if (!m_webhooks.contains(id)) {
        problem(e, 404, QStringLiteral("Not Found Error"),
                QStringLiteral("Could not find webhook with id: [%1].").arg(id),
                QStringLiteral("https://api.twitter.com/2/problems/resource-not-found"), 34,
                headers);
        return;
    }
    runCrc(id, [e, headers](bool valid) {
        e->respondJson(
            200,
            QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("valid"), valid}}}},
            headers);
    });
}

void XPlatform::runCrc(const QString &webhookId, std::function<void(bool)> done) {
    const auto it = m_webhooks.constFind(webhookId);
    if (it == m_webhooks.cend()) {
        done(false);
        return;
    }
    m_webhooks[webhookId].lastCrcMs = context().clock.nowMs(); // one check at a time
    const QString crcToken = randomToken(24);
    QUrl url(it->url);
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("crc_token"), crcToken);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(kCrcTimeoutMs);
    request.setRawHeader("User-Agent", "huntaze-sandbox-x-crc");
    QNetworkReply *reply = m_network.get(request);
    const QByteArray expected =
        QByteArrayLiteral("sha256=") +
        QMessageAuthenticationCode::hash(crcToken.toUtf8(), xapp::consumerSecret().toUtf8(),
                                         QCryptographicHash::Sha256)
            .toBase64();
    connect(reply, &QNetworkReply::finished, this, [this, reply, webhookId, expected, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        const bool valid =
            status == 200 &&
            answer.value(QStringLiteral("response_token")).toString().toUtf8() == expected;
        QString result;
        if (status != 200)
            result = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        else
            result = valid ? QStringLiteral("ok") : QStringLiteral("wrong response_token");
        auto hook = m_webhooks.find(webhookId);
        if (hook != m_webhooks.end()) {
            hook->valid = valid;
            hook->lastCrcMs = context().clock.nowMs();
            hook->lastCrcResult = result;
            changed();
        }
        done(valid);
    });
}

QJsonObject XPlatform::userJson(const QString &userId) const {
    const User *u = user(userId);
    if (!u)
        return {{QStringLiteral("id"), userId}};
    return {{QStringLiteral("id"), u->id},
            {QStringLiteral("name"), u->name},
            {QStringLiteral("username"), u->username}};
}

QJsonObject XPlatform::legacyUser(const QString &userId) const {
    const User *u = user(userId);
    return {{QStringLiteral("id"), userId.toDouble()},
            {QStringLiteral("id_str"), userId},
            {QStringLiteral("name"), u ? u->name : QString()},
            {QStringLiteral("screen_name"), u ? u->username : QString()}};
}

QJsonObject XPlatform::legacyTweet(const Post &post) const {
    QJsonObject tweet{{QStringLiteral("created_at"), legacyDate(post.createdMs)},
                      {QStringLiteral("id"), post.id.toDouble()},
                      {QStringLiteral("id_str"), post.id},
                      {QStringLiteral("text"), post.text},
                      {QStringLiteral("user"), legacyUser(post.authorId)},
                      {QStringLiteral("timestamp_ms"), QString::number(post.createdMs)}};
    if (!post.replyTo.isEmpty()) {
        tweet.insert(QStringLiteral("in_reply_to_status_id_str"), post.replyTo);
        tweet.insert(QStringLiteral("in_reply_to_user_id_str"),
                     m_posts.value(post.replyTo).authorId);
    }
    if (!post.quoteOf.isEmpty())
        tweet.insert(QStringLiteral("quoted_status_id_str"), post.quoteOf);
    return tweet;
}

void XPlatform::sendActivity(const QString &eventType, const QString &forUser,
                             const QJsonObject &payload, const QJsonObject &includes) {
    // Sent to the relay configured for the sandbox (<relay>/webhooks/x), whether or not
    // a webhook was registered at /2/webhooks: registration exercises the CRC.
    const QJsonObject body{
        {QStringLiteral("data"),
         QJsonObject{
             {QStringLiteral("event_uuid"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
             {QStringLiteral("event_type"), eventType},
             {QStringLiteral("filter"), QJsonObject{{QStringLiteral("user_id"), forUser}}},
             {QStringLiteral("tag"), QStringLiteral("huntaze-sandbox")},
             {QStringLiteral("payload"), payload},
             {QStringLiteral("includes"), includes}}}};
    context().webhooks.enqueue(name(), eventType,
                               QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void XPlatform::sendAccountActivity(const QString &event, const QString &forUser,
                                    const QString &key, const QJsonValue &value) {
    const QJsonObject body{{QStringLiteral("for_user_id"), forUser}, {key, value}};
    context().webhooks.enqueue(name(), event, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void XPlatform::sendPostEvent(const Post &post) {
    QStringList mentioned;
    for (const User &u : m_users)
        if (u.id != post.authorId &&
            post.text.contains(QLatin1Char('@') + u.username, Qt::CaseInsensitive))
            mentioned.append(u.id);
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(QStringLiteral("tweet_create_events"), post.authorId,
                            QStringLiteral("tweet_create_events"), QJsonArray{legacyTweet(post)});
        for (const QString &id : mentioned)
            sendAccountActivity(QStringLiteral("tweet_create_events"), id,
                                QStringLiteral("tweet_create_events"),
                                QJsonArray{legacyTweet(post)});
        return;
    }
    QJsonObject payload =
        tweetJson(post,
                  {QStringLiteral("created_at"), QStringLiteral("author_id"),
                   QStringLiteral("referenced_tweets"), QStringLiteral("attachments")},
                  false);
    const QJsonObject includes{{QStringLiteral("users"), QJsonArray{userJson(post.authorId)}}};
    sendActivity(post.replyTo.isEmpty() ? QStringLiteral("post.create")
                                        : QStringLiteral("post.reply.create"),
                 post.replyTo.isEmpty() ? post.authorId : m_posts.value(post.replyTo).authorId,
                 payload, includes);
    for (const QString &id : mentioned)
        sendActivity(QStringLiteral("post.mention.create"), id, payload, includes);
}

void XPlatform::sendReplyEvent(const Post &post, const Post &reply) {
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(QStringLiteral("tweet_create_events"), post.authorId,
                            QStringLiteral("tweet_create_events"), QJsonArray{legacyTweet(reply)});
        return;
    }
    sendActivity(QStringLiteral("post.reply.create"), post.authorId,
                 tweetJson(reply,
                           {QStringLiteral("created_at"), QStringLiteral("author_id"),
                            QStringLiteral("referenced_tweets")},
                           false),
                 QJsonObject{{QStringLiteral("users"),
                              QJsonArray{userJson(reply.authorId), userJson(post.authorId)}},
                             {QStringLiteral("tweets"),
                              QJsonArray{tweetJson(post, {QStringLiteral("author_id")}, false)}}});
}

void XPlatform::sendLikeEvent(const Post &post, const QString &likerId) {
    const qint64 now = context().clock.nowMs();
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(QStringLiteral("favorite_events"), post.authorId,
                            QStringLiteral("favorite_events"),
                            QJsonArray{QJsonObject{
                                {QStringLiteral("id"), QUuid::createUuid().toString(QUuid::Id128)},
                                {QStringLiteral("created_at"), legacyDate(now)},
                                {QStringLiteral("timestamp_ms"), double(now)},
                                {QStringLiteral("favorited_status"), legacyTweet(post)},
                                {QStringLiteral("user"), legacyUser(likerId)}}});
        return;
    }
    sendActivity(QStringLiteral("like.create"), post.authorId,
                 QJsonObject{{QStringLiteral("liked_post_id"), post.id},
                             {QStringLiteral("liking_user_id"), likerId},
                             {QStringLiteral("created_at"), iso(now)}},
                 QJsonObject{{QStringLiteral("users"), QJsonArray{userJson(likerId)}},
                             {QStringLiteral("tweets"),
                              QJsonArray{tweetJson(post, {QStringLiteral("author_id")}, false)}}});
}

void XPlatform::sendFollowEvent(const QString &userId, const QString &followerId) {
    const qint64 now = context().clock.nowMs();
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(
            QStringLiteral("follow_events"), userId, QStringLiteral("follow_events"),
            QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("follow")},
                                   {QStringLiteral("created_timestamp"), QString::number(now)},
                                   {QStringLiteral("target"), legacyUser(userId)},
                                   {QStringLiteral("source"), legacyUser(followerId)}}});
        return;
    }
    sendActivity(
        QStringLiteral("follow.follow"), userId,
        QJsonObject{{QStringLiteral("source_user_id"), followerId},
                    {QStringLiteral("target_user_id"), userId},
                    {QStringLiteral("created_at"), iso(now)}},
        QJsonObject{{QStringLiteral("users"), QJsonArray{userJson(followerId), userJson(userId)}}});
}

void XPlatform::sendDeleteEvent(const Post &post) {
    const qint64 now = context().clock.nowMs();
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(
            QStringLiteral("tweet_delete_events"), post.authorId,
            QStringLiteral("tweet_delete_events"),
            QJsonArray{QJsonObject{
                {QStringLiteral("status"), QJsonObject{{QStringLiteral("id"), post.id},
                                                       {QStringLiteral("user_id"), post.authorId}}},
                {QStringLiteral("timestamp_ms"), QString::number(now)}}});
        return;
    }
    sendActivity(QStringLiteral("post.delete"), post.authorId,
                 QJsonObject{{QStringLiteral("id"), post.id},
                             {QStringLiteral("author_id"), post.authorId},
                             {QStringLiteral("deleted_at"), iso(now)}},
                 QJsonObject{{QStringLiteral("users"), QJsonArray{userJson(post.authorId)}}});
}

void XPlatform::sendRevokeEvent(const QString &userId) {
    const qint64 now = context().clock.nowMs();
    if (m_payloadShape == QLatin1String("account_activity")) {
        sendAccountActivity(
            QStringLiteral("user_event"), userId, QStringLiteral("user_event"),
            QJsonObject{{QStringLiteral("revoke"),
                         QJsonObject{{QStringLiteral("date_time"), iso(now)},
                                     {QStringLiteral("target"),
                                      QJsonObject{{QStringLiteral("app_id"), xapp::clientId()}}},
                                     {QStringLiteral("source"),
                                      QJsonObject{{QStringLiteral("user_id"), userId}}}}}});
        return;
    }
    sendActivity(QStringLiteral("oauth.revoke"), userId,
                 QJsonObject{{QStringLiteral("user_id"), userId},
                             {QStringLiteral("client_id"), xapp::clientId()},
                             {QStringLiteral("revoked_at"), iso(now)}},
                 QJsonObject{{QStringLiteral("users"), QJsonArray{userJson(userId)}}});
}

} // namespace sandbox
