// X posts: POST /2/tweets with its validation and limits, DELETE /2/tweets/{id}, the
// lookup with public and non-public metrics, and metrics that grow with the clock.
#include "xplatform.h"

#include <QRegularExpression>

#include <cmath>

namespace sandbox {

namespace {

constexpr int kMaxTextLength = 280;
constexpr qint64 kDayMs = 86400LL * 1000;
constexpr qint64 kNonPublicMetricsMaxAgeMs = 30 * kDayMs;

bool allDigits(const QString &text) {
    if (text.isEmpty() || text.size() > 19)
        return false;
    for (const QChar c : text)
        if (!c.isDigit())
            return false;
    return true;
}

QString iso(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

void XPlatform::registerTweetRoutes(Router &router) {
    const QString x = name();
    router.add("POST", QStringLiteral("/x/2/tweets"), x, QStringLiteral("tweets.create"),
               [this](const ExchangePtr &e) { createTweet(e); });
    router.add("GET", QStringLiteral("/x/2/tweets"), x, QStringLiteral("tweets.lookup"),
               [this](const ExchangePtr &e) { lookupTweets(e); });
    router.add("DELETE", QStringLiteral("/x/2/tweets/{id}"), x, QStringLiteral("tweets.delete"),
               [this](const ExchangePtr &e) { deleteTweet(e); });
}

bool XPlatform::postingLimits(const ExchangePtr &e, const QString &userId, Headers *headers) {
    const qint64 now = context().clock.nowMs();
    QList<qint64> &userTimes = m_userPostTimes[userId];
    userTimes.removeIf([now](qint64 t) { return now - t >= kDayMs; });
    m_appPostTimes.removeIf([now](qint64 t) { return now - t >= kDayMs; });
    const bool exceeded =
        userTimes.size() >= m_user24hLimit || m_appPostTimes.size() >= m_app24hLimit;
    if (!exceeded) {
        userTimes.append(now);
        m_appPostTimes.append(now);
        changed();
    }
    auto triple = [headers](const QByteArray &prefix, int limit, const QList<qint64> &times,
                            qint64 nowMs) {
        const qint64 reset = (times.isEmpty() ? nowMs : times.first()) / 1000 + 86400;
        headers->append({prefix + "-limit", QByteArray::number(limit)});
        headers->append(
            {prefix + "-remaining", QByteArray::number(qMax<qint64>(0, limit - times.size()))});
        headers->append({prefix + "-reset", QByteArray::number(reset)});
    };
    triple(QByteArrayLiteral("x-user-limit-24hour"), m_user24hLimit, userTimes, now);
    triple(QByteArrayLiteral("x-app-limit-24hour"), m_app24hLimit, m_appPostTimes, now);
    if (exceeded) {
        problem(e, 429, QStringLiteral("Too Many Requests"), QStringLiteral("Too Many Requests"),
                QStringLiteral("about:blank"), 88, *headers);
        return false;
    }
    return true;
}

void XPlatform::createTweet(const ExchangePtr &e) {
    const Token *token = authenticate(
        e,
        {QStringLiteral("tweet.read"), QStringLiteral("tweet.write"), QStringLiteral("users.read")},
        false);
    if (!token)
        return;
    const QString userId = token->userId;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("tweets.create"), userId, &headers))
        return;
    if (!e->header("Content-Type").toLower().startsWith("application/json")) {
        invalidRequest(e, QStringLiteral("Content-Type must be application/json"), headers);
        return;
    }
    const auto body = e->jsonBody();
    if (!body) {
        invalidRequest(e, QStringLiteral("Request body is not a valid JSON object"), headers);
        return;
    }
    // X validates the body against its schema: unknown keys are refused.
    static const QStringList allowed = {
        QStringLiteral("text"),
        QStringLiteral("media"),
        QStringLiteral("reply"),
        QStringLiteral("poll"),
        QStringLiteral("quote_tweet_id"),
        QStringLiteral("reply_settings"),
        QStringLiteral("for_super_followers_only"),
        QStringLiteral("geo"),
        QStringLiteral("direct_message_deep_link"),
        QStringLiteral("nullcast"),
        QStringLiteral("card_uri"),
        QStringLiteral("community_id"),
    };
    for (const QString &key : body->keys())
        if (!allowed.contains(key)) {
            invalidRequest(e,
                           QStringLiteral("$.%1: is not defined in the schema and the schema "
                                          "does not allow additional properties")
                               .arg(key),
                           headers);
            return;
        }
    if (body->contains(QStringLiteral("text")) && !body->value(QStringLiteral("text")).isString()) {
        invalidRequest(e, QStringLiteral("$.text: expected string"), headers);
        return;
    }
    Post post;
    post.authorId = userId;
    post.text = body->value(QStringLiteral("text")).toString();
    const bool hasMedia = body->contains(QStringLiteral("media"));
    const bool hasPoll = body->contains(QStringLiteral("poll"));
    const bool hasQuote = body->contains(QStringLiteral("quote_tweet_id"));
    if (int(hasMedia) + int(hasPoll) + int(hasQuote) > 1) {
        invalidRequest(e, QStringLiteral("media, poll and quote_tweet_id are mutually exclusive"),
                       headers);
        return;
    }
    if (post.text.trimmed().isEmpty() && !hasMedia) {
        invalidRequest(e, QStringLiteral("$.text: required unless media is attached"), headers);
        return;
    }
    // Weighted counting (URLs as 23, CJK as 2) is not modelled: code points count.
    if (post.text.toUcs4().size() > kMaxTextLength) {
        problem(e, 403, QStringLiteral("Forbidden"),
                QStringLiteral("You are not permitted to create a Tweet with more than 280 "
                               "characters."),
                QStringLiteral("about:blank"), 186, headers);
        return;
    }
    if (hasMedia) {
        const QJsonValue ids =
            body->value(QStringLiteral("media")).toObject().value(QStringLiteral("media_ids"));
        if (!ids.isArray() || ids.toArray().isEmpty() || ids.toArray().size() > 4) {
            invalidRequest(e, QStringLiteral("$.media.media_ids: 1 to 4 media ids"), headers);
            return;
        }
        int images = 0, others = 0;
        for (const QJsonValue &id : ids.toArray()) {
            if (!id.isString() || !allDigits(id.toString())) {
                invalidRequest(e, QStringLiteral("$.media.media_ids: ids must be numeric strings"),
                               headers);
                return;
            }
            const auto it = m_media.constFind(id.toString());
            if (it == m_media.cend() || it->userId != userId ||
                it->state != QLatin1String("succeeded") ||
                context().clock.nowMs() - it->createdMs >= kDayMs) {
                invalidRequest(e, QStringLiteral("Your media IDs are invalid."), headers);
                return;
            }
            (it->category == QLatin1String("tweet_image") ? images : others) += 1;
            post.mediaIds.append(id.toString());
        }
        // Up to 4 photos, or 1 GIF, or 1 video.
        if (others > 1 || (others == 1 && images > 0)) {
            invalidRequest(e,
                           QStringLiteral("Your media IDs are invalid: at most 4 photos, or 1 "
                                          "GIF, or 1 video."),
                           headers);
            return;
        }
    }
    if (hasPoll) {
        const QJsonObject poll = body->value(QStringLiteral("poll")).toObject();
        const QJsonArray options = poll.value(QStringLiteral("options")).toArray();
        if (options.size() < 2 || options.size() > 4) {
            invalidRequest(e, QStringLiteral("$.poll.options: 2 to 4 options"), headers);
            return;
        }
        for (const QJsonValue &option : options)
            if (!option.isString() || option.toString().isEmpty() ||
                option.toString().toUcs4().size() > 25) {
                invalidRequest(e, QStringLiteral("$.poll.options: each 1 to 25 characters"),
                               headers);
                return;
            }
        const QJsonValue duration = poll.value(QStringLiteral("duration_minutes"));
        if (!duration.isDouble() || duration.toDouble() != std::floor(duration.toDouble()) ||
            duration.toDouble() < 5 || duration.toDouble() > 10080) {
            invalidRequest(e, QStringLiteral("$.poll.duration_minutes: 5 to 10080"), headers);
            return;
        }
        post.poll = poll;
    }
    if (hasQuote) {
        post.quoteOf = body->value(QStringLiteral("quote_tweet_id")).toString();
        const auto it = m_posts.constFind(post.quoteOf);
        if (it == m_posts.cend() || it->deleted) {
            invalidRequest(e, QStringLiteral("$.quote_tweet_id: no such post"), headers);
            return;
        }
    }
    if (body->contains(QStringLiteral("reply"))) {
        post.replyTo = body->value(QStringLiteral("reply"))
                           .toObject()
                           .value(QStringLiteral("in_reply_to_tweet_id"))
                           .toString();
        if (!allDigits(post.replyTo)) {
            invalidRequest(e, QStringLiteral("$.reply.in_reply_to_tweet_id: required"), headers);
            return;
        }
        const auto it = m_posts.constFind(post.replyTo);
        if (it == m_posts.cend() || it->deleted) {
            problem(e, 403, QStringLiteral("Forbidden"),
                    QStringLiteral("You attempted to reply to a Tweet that is deleted or not "
                                   "visible to you."),
                    QStringLiteral("about:blank"), 385, headers);
            return;
        }
    }
    if (body->contains(QStringLiteral("reply_settings"))) {
        static const QStringList settings = {
            QStringLiteral("following"), QStringLiteral("mentionedUsers"),
            QStringLiteral("subscribers"), QStringLiteral("verified")};
        post.replySettings = body->value(QStringLiteral("reply_settings")).toString();
        if (!settings.contains(post.replySettings)) {
            invalidRequest(e,
                           QStringLiteral("$.reply_settings: one of following, "
                                          "mentionedUsers, subscribers, verified"),
                           headers);
            return;
        }
    }
    // X refuses the same text twice from one account (its window is not documented:
    // the sandbox compares with every post of the account that still exists).
    if (!post.text.isEmpty())
        for (const Post &other : m_posts)
            if (!other.deleted && other.authorId == userId && other.text == post.text) {
                problem(e, 403, QStringLiteral("Forbidden"),
                        QStringLiteral("You are not allowed to create a Tweet with duplicate "
                                       "content."),
                        QStringLiteral("about:blank"), 187, headers);
                return;
            }
    if (!postingLimits(e, userId, &headers))
        return;
    post.id = newId();
    post.createdMs = context().clock.nowMs();
    m_posts.insert(post.id, post);
    changed();
    sendPostEvent(post);
    e->respondJson(
        201,
        QJsonObject{{QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("id"), post.id},
                                 {QStringLiteral("text"), post.text},
                                 {QStringLiteral("edit_history_tweet_ids"), QJsonArray{post.id}}}}},
        headers);
}

void XPlatform::deleteTweet(const ExchangePtr &e) {
    const Token *token = authenticate(
        e,
        {QStringLiteral("tweet.read"), QStringLiteral("tweet.write"), QStringLiteral("users.read")},
        false);
    if (!token)
        return;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("tweets.delete"), token->userId, &headers))
        return;
    auto it = m_posts.find(e->param(QStringLiteral("id")));
    if (it == m_posts.end() || it->deleted) {
        problem(e, 404, QStringLiteral("Not Found Error"),
                QStringLiteral("Could not find tweet with id: [%1].")
                    .arg(e->param(QStringLiteral("id"))),
                QStringLiteral("https://api.twitter.com/2/problems/resource-not-found"), 144,
                headers);
        return;
    }
    if (it->authorId != token->userId) {
        problem(e, 403, QStringLiteral("Forbidden"),
                QStringLiteral("You are not allowed to delete this Tweet."),
                QStringLiteral("about:blank"), 183, headers);
        return;
    }
    it->deleted = true;
    changed();
    sendDeleteEvent(*it);
    e->respondJson(
        200, QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("deleted"), true}}}},
        headers);
}

QJsonObject XPlatform::tweetJson(const Post &post, const QStringList &fields,
                                 bool nonPublic) const {
    QJsonObject o{{QStringLiteral("id"), post.id},
                  {QStringLiteral("text"), post.text},
                  {QStringLiteral("edit_history_tweet_ids"), QJsonArray{post.id}}};
    if (fields.contains(QStringLiteral("created_at")))
        o.insert(QStringLiteral("created_at"), iso(post.createdMs));
    if (fields.contains(QStringLiteral("author_id")))
        o.insert(QStringLiteral("author_id"), post.authorId);
    if (fields.contains(QStringLiteral("conversation_id")))
        o.insert(QStringLiteral("conversation_id"),
                 post.replyTo.isEmpty() ? post.id : post.replyTo);
    if (fields.contains(QStringLiteral("reply_settings")))
        o.insert(QStringLiteral("reply_settings"),
                 post.replySettings.isEmpty() ? QStringLiteral("everyone") : post.replySettings);
    if (fields.contains(QStringLiteral("attachments")) && !post.mediaIds.isEmpty()) {
        QJsonArray keys;
        for (const QString &id : post.mediaIds)
            keys.append(m_media.value(id).mediaKey);
        o.insert(QStringLiteral("attachments"), QJsonObject{{QStringLiteral("media_keys"), keys}});
    }
    if (fields.contains(QStringLiteral("referenced_tweets"))) {
        QJsonArray refs;
        if (!post.replyTo.isEmpty())
            refs.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("replied_to")},
                                    {QStringLiteral("id"), post.replyTo}});
        if (!post.quoteOf.isEmpty())
            refs.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("quoted")},
                                    {QStringLiteral("id"), post.quoteOf}});
        if (!refs.isEmpty())
            o.insert(QStringLiteral("referenced_tweets"), refs);
    }
    if (fields.contains(QStringLiteral("public_metrics")))
        o.insert(QStringLiteral("public_metrics"),
                 QJsonObject{{QStringLiteral("retweet_count"), post.retweets},
                             {QStringLiteral("reply_count"), post.replies},
                             {QStringLiteral("like_count"), post.likes},
                             {QStringLiteral("quote_count"), post.quotes},
                             {QStringLiteral("bookmark_count"), post.bookmarks},
                             {QStringLiteral("impression_count"), post.impressions}});
    if (nonPublic && fields.contains(QStringLiteral("non_public_metrics")))
        o.insert(QStringLiteral("non_public_metrics"),
                 QJsonObject{{QStringLiteral("impression_count"), post.impressions},
                             {QStringLiteral("url_link_clicks"), post.linkClicks},
                             {QStringLiteral("user_profile_clicks"), post.profileClicks}});
    return o;
}

void XPlatform::lookupTweets(const ExchangePtr &e) {
    const Token *token =
        authenticate(e, {QStringLiteral("tweet.read"), QStringLiteral("users.read")}, true);
    if (!token)
        return;
    const bool app = token == &m_appToken;
    const QString caller = app ? QStringLiteral("app") : token->userId;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("tweets.lookup"), caller, &headers))
        return;
    const QStringList ids =
        e->queryValue(QStringLiteral("ids")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (ids.isEmpty() || ids.size() > 100) {
        invalidRequest(e,
                       QStringLiteral("The number of values in the `ids` query parameter list "
                                      "[%1] is not between 1 and 100")
                           .arg(ids.size()),
                       headers);
        return;
    }
    for (const QString &id : ids)
        if (!allDigits(id)) {
            invalidRequest(
                e, QStringLiteral("The `ids` query parameter value [%1] is not valid").arg(id),
                headers);
            return;
        }
    static const QStringList knownFields = {
        QStringLiteral("id"),
        QStringLiteral("text"),
        QStringLiteral("created_at"),
        QStringLiteral("author_id"),
        QStringLiteral("public_metrics"),
        QStringLiteral("non_public_metrics"),
        QStringLiteral("organic_metrics"),
        QStringLiteral("attachments"),
        QStringLiteral("edit_history_tweet_ids"),
        QStringLiteral("conversation_id"),
        QStringLiteral("referenced_tweets"),
        QStringLiteral("reply_settings"),
        QStringLiteral("lang"),
        QStringLiteral("entities"),
    };
    const QStringList fields =
        e->queryValue(QStringLiteral("tweet.fields")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &field : fields)
        if (!knownFields.contains(field)) {
            invalidRequest(e,
                           QStringLiteral("The `tweet.fields` query parameter value [%1] is "
                                          "not one of [%2]")
                               .arg(field, knownFields.join(QLatin1Char(','))),
                           headers);
            return;
        }
    const bool wantsNonPublic = fields.contains(QStringLiteral("non_public_metrics"));
    const qint64 now = context().clock.nowMs();
    QJsonArray data, errors;
    for (const QString &id : ids) {
        const auto it = m_posts.constFind(id);
        if (it == m_posts.cend() || it->deleted) {
            errors.append(QJsonObject{
                {QStringLiteral("value"), id},
                {QStringLiteral("detail"),
                 QStringLiteral("Could not find tweet with ids: [%1].").arg(id)},
                {QStringLiteral("title"), QStringLiteral("Not Found Error")},
                {QStringLiteral("resource_type"), QStringLiteral("tweet")},
                {QStringLiteral("parameter"), QStringLiteral("ids")},
                {QStringLiteral("resource_id"), id},
                {QStringLiteral("type"),
                 QStringLiteral("https://api.twitter.com/2/problems/resource-not-found")}});
            continue;
        }
        // non_public_metrics: only the author's user token, only posts under 30 days.
        // A post that fails this is left out of data and explained in errors (clients
        // must not assume every id comes back).
        if (wantsNonPublic && (app || it->authorId != token->userId ||
                               now - it->createdMs >= kNonPublicMetricsMaxAgeMs)) {
            errors.append(QJsonObject{
                {QStringLiteral("value"), id},
                {QStringLiteral("detail"),
                 QStringLiteral("Sorry, you are not authorized to access 'non_public_metrics' on "
                                "the Tweet with ids: [%1].")
                     .arg(id)},
                {QStringLiteral("title"), QStringLiteral("Field Authorization Error")},
                {QStringLiteral("resource_type"), QStringLiteral("tweet")},
                {QStringLiteral("field"), QStringLiteral("non_public_metrics")},
                {QStringLiteral("resource_id"), id},
                {QStringLiteral("section"), QStringLiteral("data")},
                {QStringLiteral("type"),
                 QStringLiteral("https://api.twitter.com/2/problems/not-authorized-for-field")}});
            continue;
        }
        data.append(tweetJson(*it, fields, wantsNonPublic));
    }
    QJsonObject answer;
    if (!data.isEmpty())
        answer.insert(QStringLiteral("data"), data);
    if (!errors.isEmpty())
        answer.insert(QStringLiteral("errors"), errors);
    e->respondJson(200, answer, headers);
}

void XPlatform::growMetrics() {
    // Metrics follow the post's age (sandbox clock), growing fast at first and
    // flattening out after a week; new likes and replies also arrive as webhooks (a
    // few per tick: the counters themselves jump when the clock is fast-forwarded).
    const qint64 now = context().clock.nowMs();
    for (Post &post : m_posts) {
        if (post.deleted || post.authorId == m_users.last().id)
            continue;
        const double minutes = qMin<double>(double(now - post.createdMs) / 60000.0, 7 * 24 * 60.0);
        if (minutes < 1)
            continue;
        const double s = std::sqrt(minutes);
        const double f = 1.0 + double(post.id.right(3).toInt() % 5) / 10.0;
        const qint64 likes = qint64(2 * s * f);
        const qint64 replies = qint64(s / 2 * f);
        if (likes == post.likes && replies == post.replies)
            continue;
        const qint64 newLikes = likes - post.likes;
        const qint64 newReplies = replies - post.replies;
        post.likes = qMax(post.likes, likes);
        post.replies = qMax(post.replies, replies);
        post.retweets = qMax(post.retweets, qint64(s / 3 * f));
        post.quotes = qMax(post.quotes, qint64(s / 6 * f));
        post.bookmarks = qMax(post.bookmarks, qint64(s / 4 * f));
        post.impressions = qMax(post.impressions, qint64(50 * s * f) + likes * 5);
        post.linkClicks = qMax(post.linkClicks, qint64(s / 5));
        post.profileClicks = qMax(post.profileClicks, qint64(s / 3));
        changed();
        const QString fan = m_users.last().id;
        for (qint64 i = 0; i < qMin<qint64>(newLikes, 3); ++i)
            sendLikeEvent(post, fan);
        for (qint64 i = 0; i < qMin<qint64>(newReplies, 2); ++i) {
            Post reply;
            reply.id = newId();
            reply.authorId = fan;
            reply.text = QStringLiteral("@%1 reply %2")
                             .arg(user(post.authorId)->username)
                             .arg(post.replies - i);
            reply.replyTo = post.id;
            reply.createdMs = now;
            sendReplyEvent(post, reply);
        }
    }
}

} // namespace sandbox
