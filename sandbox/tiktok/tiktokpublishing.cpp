#include "tiktokpublishing.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

namespace {
constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kUploadUrlLifetimeMs = 3600 * 1000; // upload_url is valid one hour
constexpr int kInitPerMinute = 6;
constexpr int kCreatorInfoPerMinute = 20;
constexpr int kStatusPerMinute = 30;
constexpr int kMaxPendingShares = 5;
constexpr int kMaxDirectPostsPerDay = 15;
// "MB" is undefined: the sandbox is lenient and accepts both readings.
constexpr qint64 kMinChunk = 5'000'000;
constexpr qint64 kMaxChunk = 67'108'864;                   // 64 MiB (64,000,000 also fits)
constexpr qint64 kMaxLastChunk = 134'217'728;              // 128 MiB
constexpr qint64 kMaxVideoSize = 4LL * 1024 * 1024 * 1024; // 4 GB
constexpr int kMaxChunks = 1000;
constexpr int kMaxPhotos = 35;
constexpr qsizetype kMaxVideoTitle = 2200; // UTF-16 units, which QString::size counts
constexpr qsizetype kMaxPhotoTitle = 90;
constexpr qsizetype kMaxPhotoDescription = 4000;
// What a pulled file "weighs" (nothing is fetched: the sandbox never leaves the host).
constexpr qint64 kPulledVideoBytes = 12'345'678;
constexpr qint64 kPulledPhotoBytes = 345'678;

using Error = TikTokPublishing::Error;

Error invalidParam(const QString &message) {
    return Error{400, u"invalid_param"_s, message};
}

bool isTerminal(const QString &status) {
    return status == u"SEND_TO_USER_INBOX"_s || status == u"PUBLISH_COMPLETE"_s ||
           status == u"FAILED"_s;
}

// A JSON number that is a whole number (video sizes are integers).
std::optional<qint64> integer(const QJsonValue &value) {
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

QString publishType(const Post &post) {
    // The contract names INBOX_SHARE; direct posts say DIRECT_PUBLISH.
    return post.mode == u"INBOX"_s ? u"INBOX_SHARE"_s : u"DIRECT_PUBLISH"_s;
}
} // namespace

void TikTokPublishing::registerRoutes(Router &router) {
    const QString p = u"tiktok"_s;
    router.add("POST", u"/tiktok/v2/post/publish/creator_info/query/"_s, p, u"creator_info.query"_s,
               [this](const ExchangePtr &e) { creatorInfo(e); });
    router.add("POST", u"/tiktok/v2/post/publish/inbox/video/init/"_s, p, u"inbox.video.init"_s,
               [this](const ExchangePtr &e) { init(e, u"inbox"_s); });
    router.add("POST", u"/tiktok/v2/post/publish/video/init/"_s, p, u"video.init"_s,
               [this](const ExchangePtr &e) { init(e, u"direct"_s); });
    router.add("POST", u"/tiktok/v2/post/publish/content/init/"_s, p, u"content.init"_s,
               [this](const ExchangePtr &e) { init(e, u"photo"_s); });
    router.add("POST", u"/tiktok/v2/post/publish/status/fetch/"_s, p, u"status.fetch"_s,
               [this](const ExchangePtr &e) { status(e); });
    router.add("POST", u"/tiktok/v2/post/publish/cancel/"_s, p, u"publish.cancel"_s,
               [this](const ExchangePtr &e) { cancel(e); });
}

std::optional<Error> TikTokPublishing::checkChunkPlan(qint64 videoSize, qint64 chunkSize,
                                                      qint64 totalChunkCount) {
    if (videoSize <= 0 || videoSize > kMaxVideoSize)
        return invalidParam(u"video_size must be between 1 byte and 4 GB."_s);
    if (chunkSize <= 0 || chunkSize > videoSize)
        return invalidParam(u"chunk_size must be between 1 and video_size."_s);
    if (videoSize < kMinChunk && chunkSize != videoSize)
        return invalidParam(
            u"A video under 5 MB must be uploaded whole: chunk_size = video_size."_s);
    if (chunkSize < kMinChunk && chunkSize != videoSize)
        return invalidParam(u"chunk_size must be at least 5 MB."_s);
    if (chunkSize > kMaxChunk)
        return invalidParam(u"chunk_size must be at most 64 MB; larger videos are chunked."_s);
    const qint64 expected = videoSize / chunkSize;
    if (totalChunkCount != expected)
        return invalidParam(
            u"total_chunk_count must be floor(video_size / chunk_size) = %1."_s.arg(expected));
    if (expected < 1 || expected > kMaxChunks)
        return invalidParam(u"A video has 1 to 1000 chunks."_s);
    const qint64 last = videoSize - (expected - 1) * chunkSize;
    if (last > kMaxLastChunk)
        return invalidParam(u"The last chunk may be at most 128 MB."_s);
    return std::nullopt;
}

bool TikTokPublishing::urlVerified(const QString &url) const {
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != u"https"_s || parsed.host().isEmpty())
        return false;
    for (const QString &prefix : m_core.state.settings.verifiedPrefixes)
        if (url.startsWith(prefix))
            return true;
    return false;
}

std::optional<Error> TikTokPublishing::videoSource(const QJsonObject &sourceInfo,
                                                   Post &post) const {
    const QString source = sourceInfo[u"source"_s].toString();
    post.source = source;
    if (source == u"FILE_UPLOAD"_s) {
        const auto size = integer(sourceInfo[u"video_size"_s]);
        const auto chunk = integer(sourceInfo[u"chunk_size"_s]);
        const auto count = integer(sourceInfo[u"total_chunk_count"_s]);
        if (!size || !chunk || !count)
            return invalidParam(
                u"source_info needs integer video_size, chunk_size and total_chunk_count."_s);
        if (auto error = checkChunkPlan(*size, *chunk, *count))
            return error;
        post.videoSize = *size;
        post.chunkSize = *chunk;
        post.chunkCount = int(*count);
        return std::nullopt;
    }
    if (source == u"PULL_FROM_URL"_s) {
        const QString url = sourceInfo[u"video_url"_s].toString();
        const QUrl parsed(url, QUrl::StrictMode);
        if (url.isEmpty() || !parsed.isValid() || parsed.scheme() != u"https"_s)
            return invalidParam(u"video_url must be an https URL."_s);
        if (!urlVerified(url))
            return Error{403, u"url_ownership_unverified"_s,
                         u"The video_url's domain or URL prefix is not verified for this app."_s};
        post.urls = {url};
        return std::nullopt;
    }
    return invalidParam(u"source_info.source must be FILE_UPLOAD or PULL_FROM_URL."_s);
}

std::optional<Error> TikTokPublishing::privacy(const QJsonValue &value, const User &user,
                                               bool required, Post &post) const {
    static const QStringList known{u"PUBLIC_TO_EVERYONE"_s, u"MUTUAL_FOLLOW_FRIENDS"_s,
                                   u"FOLLOWER_OF_CREATOR"_s, u"SELF_ONLY"_s};
    if (value.isUndefined() && !required)
        return std::nullopt;
    const QString level = value.toString();
    if (!known.contains(level))
        return invalidParam(u"post_info.privacy_level is required and must be one of "
                            "PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, "
                            "SELF_ONLY."_s);
    if (!user.privacyOptions.contains(level))
        return Error{403, u"privacy_level_option_mismatch"_s,
                     u"privacy_level is not one of the creator's privacy_level_options."_s};
    if (!m_core.state.settings.audited && level != u"SELF_ONLY"_s)
        return Error{403, u"unaudited_client_can_only_post_to_private_accounts"_s,
                     u"Unaudited clients can only post with privacy_level SELF_ONLY."_s};
    post.privacyLevel = level;
    return std::nullopt;
}

std::optional<Error> TikTokPublishing::videoPostInfo(const QJsonObject &body, const User &user,
                                                     Post &post) const {
    if (!body[u"post_info"_s].isObject())
        return invalidParam(u"post_info is required."_s);
    const QJsonObject info = body[u"post_info"_s].toObject();
    if (info.contains(u"title"_s) && !info[u"title"_s].isString())
        return invalidParam(u"post_info.title must be a string."_s);
    post.title = info[u"title"_s].toString();
    if (post.title.size() > kMaxVideoTitle)
        return invalidParam(u"post_info.title is longer than 2200 UTF-16 units."_s);
    for (const QString &flag : {u"disable_duet"_s, u"disable_comment"_s, u"disable_stitch"_s,
                                u"brand_content_toggle"_s, u"brand_organic_toggle"_s, u"is_aigc"_s})
        if (info.contains(flag) && !info[flag].isBool())
            return invalidParam(u"post_info.%1 must be a boolean."_s.arg(flag));
    if (info.contains(u"video_cover_timestamp_ms"_s)) {
        const auto ms = integer(info[u"video_cover_timestamp_ms"_s]);
        if (!ms || *ms < 0)
            return invalidParam(
                u"post_info.video_cover_timestamp_ms must be a non-negative integer."_s);
    }
    return privacy(info[u"privacy_level"_s], user, true, post);
}

std::optional<Error> TikTokPublishing::photoInit(const QJsonObject &body, const User &user,
                                                 Post &post) const {
    if (body[u"media_type"_s].toString() != u"PHOTO"_s)
        return invalidParam(u"media_type must be PHOTO."_s);
    const QString mode = body[u"post_mode"_s].toString();
    if (mode != u"DIRECT_POST"_s && mode != u"MEDIA_UPLOAD"_s)
        return invalidParam(u"post_mode must be DIRECT_POST or MEDIA_UPLOAD."_s);
    post.mode = mode == u"DIRECT_POST"_s ? u"DIRECT"_s : u"INBOX"_s;
    const QJsonObject info = body[u"post_info"_s].toObject();
    if (!body[u"post_info"_s].isUndefined() && !body[u"post_info"_s].isObject())
        return invalidParam(u"post_info must be an object."_s);
    post.title = info[u"title"_s].toString();
    post.description = info[u"description"_s].toString();
    if (post.title.size() > kMaxPhotoTitle)
        return invalidParam(u"post_info.title is longer than 90 characters."_s);
    if (post.description.size() > kMaxPhotoDescription)
        return invalidParam(u"post_info.description is longer than 4000 characters."_s);
    const QJsonObject source = body[u"source_info"_s].toObject();
    post.source = source[u"source"_s].toString();
    if (post.source != u"PULL_FROM_URL"_s)
        return invalidParam(u"Photos can only be pulled: source_info.source must be "
                            "PULL_FROM_URL."_s);
    const QJsonArray images = source[u"photo_images"_s].toArray();
    if (images.isEmpty() || images.size() > kMaxPhotos)
        return invalidParam(u"source_info.photo_images must hold 1 to 35 URLs."_s);
    for (const QJsonValue &image : images) {
        const QString url = image.toString();
        const QUrl parsed(url, QUrl::StrictMode);
        if (!image.isString() || !parsed.isValid() || parsed.scheme() != u"https"_s)
            return invalidParam(u"Every photo_images entry must be an https URL."_s);
        if (!urlVerified(url))
            return Error{403, u"url_ownership_unverified"_s,
                         u"A photo URL's domain or prefix is not verified for this app."_s};
        post.urls.append(url);
    }
    if (source.contains(u"photo_cover_index"_s)) {
        const auto index = integer(source[u"photo_cover_index"_s]);
        if (!index || *index < 0 || *index >= images.size())
            return invalidParam(u"source_info.photo_cover_index is out of range."_s);
    }
    return privacy(info[u"privacy_level"_s], user, post.mode == u"DIRECT"_s, post);
}

int TikTokPublishing::pendingShares(const QString &userId) const {
    const qint64 since = m_core.nowMs() - kDayMs;
    int count = 0;
    for (const Post &p : m_core.state.posts)
        count += p.userId == userId && p.mode == u"INBOX"_s && p.createdMs > since && !p.posted &&
                 p.status != u"FAILED"_s;
    return count;
}

int TikTokPublishing::directPosts(const QString &userId) const {
    const qint64 since = m_core.nowMs() - kDayMs;
    int count = 0;
    for (const Post &p : m_core.state.posts)
        count += p.userId == userId && p.mode == u"DIRECT"_s && p.createdMs > since &&
                 p.status != u"FAILED"_s;
    return count;
}

void TikTokPublishing::creatorInfo(const ExchangePtr &e) {
    const auto token = m_core.authenticate(e, u"video.publish"_s);
    if (!token || m_core.rateLimited(e, u"creator_info"_s, token->token, kCreatorInfoPerMinute))
        return;
    const User *user = m_core.state.userById(token->userId);
    if (!user) {
        m_core.apiError(e, 401, u"access_token_invalid"_s, u"The user no longer exists."_s);
        return;
    }
    const QJsonObject data{
        {u"creator_avatar_url"_s,
         u"https://p16-sign.tiktokcdn.com/sandbox/%1.jpeg"_s.arg(user->username)},
        {u"creator_username"_s, user->username},
        {u"creator_nickname"_s, user->displayName},
        {u"privacy_level_options"_s, QJsonArray::fromStringList(user->privacyOptions)},
        {u"comment_disabled"_s, false},
        {u"duet_disabled"_s, false},
        {u"stitch_disabled"_s, false},
        {u"max_video_post_duration_sec"_s, 600}};
    // These codes come with HTTP 200 on purpose (the contract says so).
    if (user->bannedFromPosting)
        m_core.apiError(e, 200, u"spam_risk_user_banned_from_posting"_s,
                        u"The user is banned from making new posts."_s, data);
    else if (directPosts(user->id) >= kMaxDirectPostsPerDay)
        m_core.apiError(e, 200, u"spam_risk_too_many_posts"_s,
                        u"The daily post cap for this creator has been reached."_s, data);
    else
        m_core.apiOk(e, data);
}

void TikTokPublishing::init(const ExchangePtr &e, const QString &kind) {
    const QString scope = kind == u"inbox"_s    ? u"video.upload"_s
                          : kind == u"direct"_s ? u"video.publish"_s
                                                : QString(); // photo: depends on post_mode
    const auto token = m_core.authenticate(e, scope);
    if (!token || m_core.rateLimited(e, u"init"_s, token->token, kInitPerMinute))
        return;
    const auto body = m_core.jsonBody(e);
    if (!body)
        return;
    const User *user = m_core.state.userById(token->userId);
    if (!user) {
        m_core.apiError(e, 401, u"access_token_invalid"_s, u"The user no longer exists."_s);
        return;
    }
    if (kind == u"photo"_s) {
        const QString needed = (*body)[u"post_mode"_s].toString() == u"DIRECT_POST"_s
                                   ? u"video.publish"_s
                                   : u"video.upload"_s;
        if (!token->scopes.contains(needed)) {
            m_core.apiError(e, 401, u"scope_not_authorized"_s,
                            u"The user did not authorize the scope %1."_s.arg(needed));
            return;
        }
    }
    if (user->bannedFromPosting) {
        m_core.apiError(e, 403, u"spam_risk_user_banned_from_posting"_s,
                        u"The user is banned from making new posts."_s);
        return;
    }
    Post post;
    post.userId = user->id;
    post.accessToken = token->token;
    std::optional<Error> error;
    if (kind == u"photo"_s) {
        post.mediaType = u"PHOTO"_s;
        error = photoInit(*body, *user, post);
    } else {
        post.mediaType = u"VIDEO"_s;
        post.mode = kind == u"inbox"_s ? u"INBOX"_s : u"DIRECT"_s;
        // Inbox init reads only source_info; other fields are ignored as TikTok does.
        if (kind == u"direct"_s)
            error = videoPostInfo(*body, *user, post);
        if (!error) {
            if (!(*body)[u"source_info"_s].isObject())
                error = invalidParam(u"source_info is required."_s);
            else
                error = videoSource((*body)[u"source_info"_s].toObject(), post);
        }
    }
    if (error) {
        m_core.apiError(e, error->status, error->code, error->message);
        return;
    }
    if (post.mode == u"INBOX"_s && pendingShares(user->id) >= kMaxPendingShares) {
        m_core.apiError(e, 403, u"spam_risk_too_many_pending_share"_s,
                        u"The user has 5 pending shares in the last 24 hours."_s);
        return;
    }
    if (post.mode == u"DIRECT"_s && directPosts(user->id) >= kMaxDirectPostsPerDay) {
        m_core.apiError(e, 403, u"spam_risk_too_many_posts"_s,
                        u"The daily post cap for this creator has been reached."_s);
        return;
    }
    const qint64 now = m_core.nowMs();
    const QString prefix = post.mediaType == u"PHOTO"_s ? u"p_"_s : u"v_"_s;
    const QString modePart = post.mode == u"INBOX"_s ? u"inbox_"_s : u"pub_"_s;
    const QString sourcePart = post.source == u"FILE_UPLOAD"_s ? u"file"_s : u"url"_s;
    post.publishId = prefix + modePart + sourcePart + u"~v2."_s +
                     QString::number(QRandomGenerator::global()->bounded(qint64(1) << 62));
    post.createdMs = now;
    QJsonObject data{{u"publish_id"_s, post.publishId}};
    if (post.source == u"FILE_UPLOAD"_s) {
        post.status = u"PROCESSING_UPLOAD"_s;
        post.uploadId =
            m_core.context.uploads.create(u"tiktok"_s, post.videoSize, u"video/mp4"_s, now);
        post.uploadExpiresMs = now + kUploadUrlLifetimeMs;
        data.insert(u"upload_url"_s, QString(m_core.baseUrl() + u"/upload/"_s + post.uploadId));
    } else {
        post.status = u"PROCESSING_DOWNLOAD"_s;
        post.readyMs = now;
    }
    m_core.state.posts.append(post);
    m_core.changed();
    m_core.apiOk(e, data);
}

Post *TikTokPublishing::ownedPost(const ExchangePtr &e, const Token &token) {
    const auto body = m_core.jsonBody(e);
    if (!body)
        return nullptr;
    const QString id = (*body)[u"publish_id"_s].toString();
    Post *post = id.isEmpty() ? nullptr : m_core.state.post(id);
    if (!post) {
        m_core.apiError(e, 400, u"invalid_publish_id"_s,
                        u"publish_id is missing or does not exist."_s);
        return nullptr;
    }
    if (post->userId != token.userId) {
        m_core.apiError(e, 400, u"token_not_authorized_for_specified_publish_id"_s,
                        u"The publish_id belongs to another user."_s);
        return nullptr;
    }
    return post;
}

QJsonObject TikTokPublishing::statusJson(const Post &post) const {
    QJsonObject data{{u"status"_s, post.status}};
    if (post.status == u"FAILED"_s)
        data.insert(u"fail_reason"_s, post.failReason);
    QJsonArray ids;
    if (post.postId)
        ids.append(double(post.postId));
    data.insert(u"publicaly_available_post_id"_s, ids);
    if (post.source == u"FILE_UPLOAD"_s) {
        const auto upload = m_core.context.uploads.find(post.uploadId);
        data.insert(u"uploaded_bytes"_s, double(upload ? upload->received : 0));
    } else {
        data.insert(u"downloaded_bytes"_s, double(post.downloadedBytes));
    }
    return data;
}

void TikTokPublishing::status(const ExchangePtr &e) {
    const auto token = m_core.authenticate(e, QString());
    if (!token || m_core.rateLimited(e, u"status"_s, token->token, kStatusPerMinute))
        return;
    if (Post *post = ownedPost(e, *token))
        m_core.apiOk(e, statusJson(*post));
}

void TikTokPublishing::cancel(const ExchangePtr &e) {
    const auto token = m_core.authenticate(e, QString());
    if (!token)
        return;
    Post *post = ownedPost(e, *token);
    if (!post)
        return;
    if (isTerminal(post->status)) {
        m_core.apiError(e, 400, u"publish_not_cancellable"_s,
                        u"The post has already finished processing."_s);
        return;
    }
    fail(*post, u"publish_cancelled"_s);
    m_core.apiOk(e);
}

void TikTokPublishing::fail(Post &post, const QString &reason) {
    post.status = u"FAILED"_s;
    post.failReason = reason;
    m_core.changed();
    const User *user = m_core.state.userById(post.userId);
    m_core.sendWebhook(u"post.publish.failed"_s, user ? user->openId : QString(),
                       {{u"publish_id"_s, post.publishId},
                        {u"publish_type"_s, publishType(post)},
                        {u"reason"_s, reason}});
}

void TikTokPublishing::finishProcessing(Post &post) {
    const User *user = m_core.state.userById(post.userId);
    const QString openId = user ? user->openId : QString();
    if (post.source == u"PULL_FROM_URL"_s) {
        const bool pullFails = std::any_of(post.urls.cbegin(), post.urls.cend(),
                                           [](const QString &u) { return u.contains(u"fail"_s); });
        if (pullFails) {
            fail(post,
                 post.mediaType == u"PHOTO"_s ? u"photo_pull_failed"_s : u"video_pull_failed"_s);
            return;
        }
        post.downloadedBytes =
            post.mediaType == u"PHOTO"_s ? kPulledPhotoBytes * post.urls.size() : kPulledVideoBytes;
    }
    const QJsonObject content{{u"publish_id"_s, post.publishId},
                              {u"publish_type"_s, publishType(post)}};
    if (post.mode == u"INBOX"_s) {
        post.status = u"SEND_TO_USER_INBOX"_s;
        m_core.sendWebhook(u"post.publish.inbox_delivered"_s, openId, content);
    } else {
        post.status = u"PUBLISH_COMPLETE"_s;
        m_core.sendWebhook(u"post.publish.complete"_s, openId, content);
        // SELF_ONLY posts are never publicly available.
        if (post.privacyLevel != u"SELF_ONLY"_s) {
            post.postId = m_core.state.nextPostId++;
            post.publiclyAvailable = true;
            QJsonObject available = content;
            available.insert(u"post_id"_s, QString::number(post.postId));
            m_core.sendWebhook(u"post.publish.publicly_available"_s, openId, available);
        }
    }
    m_core.changed();
}

void TikTokPublishing::tick() {
    const qint64 now = m_core.nowMs();
    const qint64 processingMs = qint64(m_core.state.settings.processingSeconds) * 1000;
    for (Post &post : m_core.state.posts) {
        if (isTerminal(post.status) || post.readyMs == 0)
            continue;
        if (post.source == u"PULL_FROM_URL"_s && post.status == u"PROCESSING_DOWNLOAD"_s) {
            // Downloading shows progress: half-way after half the processing time.
            const qint64 total = post.mediaType == u"PHOTO"_s ? kPulledPhotoBytes * post.urls.size()
                                                              : kPulledVideoBytes;
            const qint64 elapsed = qMin(now - post.readyMs, processingMs);
            const qint64 downloaded = processingMs > 0 ? total * elapsed / processingMs : total;
            if (downloaded != post.downloadedBytes && !post.urls.isEmpty() &&
                !post.urls.first().contains(u"fail"_s)) {
                post.downloadedBytes = downloaded;
                m_core.changed();
            }
        }
        if (now >= post.readyMs + processingMs)
            finishProcessing(post);
    }
}

} // namespace sandbox::tiktok
