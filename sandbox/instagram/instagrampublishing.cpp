#include "instagrampublishing.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
constexpr qint64 kDayMs = 86400LL * 1000;
constexpr qint64 kVideoProcessingMs = 30 * 1000; // nominal processing time of a video
constexpr int kContainersPerDay = 400;
constexpr qint64 kImageMaxBytes = 8LL * 1024 * 1024;
constexpr qint64 kReelMaxBytes = 300LL * 1024 * 1024;
constexpr qint64 kStoryMaxBytes = 100LL * 1024 * 1024;

QString extensionOf(const QUrl &url) {
    const QString path = url.path().toLower();
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : path.mid(dot + 1);
}

QJsonObject debugInfo(bool retriable, const QString &type, const QString &message) {
    return {{u"debug_info"_s,
             QJsonObject{{u"retriable"_s, retriable}, {u"type"_s, type}, {u"message"_s, message}}}};
}
} // namespace

InstagramPublishing::InstagramPublishing(InstagramGraph &graph, std::function<void()> changed)
    : m_graph(graph)
    , m_changed(std::move(changed)) {}

void InstagramPublishing::registerRoutes(Router &router) {
    const QString p = u"instagram"_s;
    router.add("POST", u"/instagram/v25.0/{id}/media"_s, p, u"media.create"_s,
               m_graph.wrap(u"media.create"_s, [this](GraphCall &call) { create(call); }));
    router.add("POST", u"/instagram/v25.0/{id}/media_publish"_s, p, u"media.publish"_s,
               m_graph.wrap(u"media.publish"_s, [this](GraphCall &call) { publish(call); }));
    router.add("GET", u"/instagram/v25.0/{id}/content_publishing_limit"_s, p,
               u"content_publishing_limit"_s,
               m_graph.wrap(u"content_publishing_limit"_s,
                            [this](GraphCall &call) { publishingLimit(call); }));
    router.add("POST", u"/instagram/ig-api-upload/v25.0/{id}"_s, p, u"upload"_s,
               [this](const ExchangePtr &e) { upload(e); });
}

// Media facts the sandbox cannot see in a URL it never fetches. Declared per URL with
// POST /_admin/instagram/media_facts, else read from the URL itself: the format from
// the extension (or sbx_format=), and the optional query parameters sbx_bytes,
// sbx_width, sbx_height, sbx_duration (seconds), sbx_codec, sbx_fps and sbx_audio.
// Defaults: small, square, 10 s, H.264, 30 fps, AAC.
InstagramPublishing::MediaFacts InstagramPublishing::factsFor(const QString &urlText) const {
    const QUrl url(urlText);
    const QUrlQuery query(url);
    MediaFacts facts;
    facts.format = query.hasQueryItem(u"sbx_format"_s) ? query.queryItemValue(u"sbx_format"_s)
                                                       : extensionOf(url);
    if (facts.format == "jpg"_L1)
        facts.format = u"jpeg"_s;
    facts.bytes = query.queryItemValue(u"sbx_bytes"_s).toLongLong();
    facts.width = query.queryItemValue(u"sbx_width"_s).toInt();
    facts.height = query.queryItemValue(u"sbx_height"_s).toInt();
    if (query.hasQueryItem(u"sbx_duration"_s))
        facts.duration = query.queryItemValue(u"sbx_duration"_s).toDouble();
    if (query.hasQueryItem(u"sbx_codec"_s))
        facts.codec = query.queryItemValue(u"sbx_codec"_s).toLower();
    if (query.hasQueryItem(u"sbx_fps"_s))
        facts.fps = query.queryItemValue(u"sbx_fps"_s).toDouble();
    if (query.hasQueryItem(u"sbx_audio"_s))
        facts.audio = query.queryItemValue(u"sbx_audio"_s).toLower();
    const QJsonObject declared = m_graph.state.mediaFacts.value(urlText);
    if (declared.contains("format"_L1))
        facts.format = declared.value("format"_L1).toString().toLower();
    if (declared.contains("bytes"_L1))
        facts.bytes = qint64(declared.value("bytes"_L1).toDouble());
    if (declared.contains("width"_L1))
        facts.width = declared.value("width"_L1).toInt();
    if (declared.contains("height"_L1))
        facts.height = declared.value("height"_L1).toInt();
    if (declared.contains("duration"_L1))
        facts.duration = declared.value("duration"_L1).toDouble();
    if (declared.contains("codec"_L1))
        facts.codec = declared.value("codec"_L1).toString().toLower();
    if (declared.contains("fps"_L1))
        facts.fps = declared.value("fps"_L1).toDouble();
    if (declared.contains("audio"_L1))
        facts.audio = declared.value("audio"_L1).toString().toLower();
    return facts;
}

// Fetch failures by URL convention: a host containing "unreachable" or a path under
// /missing cannot be fetched (9004/2207052); "timeout" in host or path times out
// (-2/2207003).
static std::optional<GraphError> fetchProblem(const QString &urlText) {
    const QUrl url(urlText);
    if (!url.isValid() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1) ||
        url.host().isEmpty() || url.host().contains("unreachable"_L1) ||
        url.path().startsWith("/missing"_L1))
        return GraphError::media(9004, 2207052,
                                 u"The media could not be fetched from this uri: "_s + urlText,
                                 u"Media download has failed."_s);
    if (url.host().contains("timeout"_L1) || url.path().contains("timeout"_L1)) {
        GraphError e = GraphError::media(-2, 2207003, u"Timeout downloading the media"_s,
                                         u"Media download timed out"_s);
        e.transient = true;
        return e;
    }
    return std::nullopt;
}

std::optional<GraphError> InstagramPublishing::checkImage(const QString &url, bool feed) const {
    if (const auto problem = fetchProblem(url))
        return problem;
    const MediaFacts facts = factsFor(url);
    if (facts.format != "jpeg"_L1)
        return GraphError::media(36001, 2207005,
                                 u"The image format is not supported. Only JPEG is supported."_s,
                                 u"Unsupported image format"_s);
    if (facts.bytes > kImageMaxBytes)
        return GraphError::media(36000, 2207004,
                                 u"The image is too large to download. It should be less than "
                                 u"8 MiB."_s,
                                 u"Image is too large"_s);
    if (feed && facts.width > 0 && facts.height > 0) {
        const double ratio = double(facts.width) / facts.height;
        if (ratio < 0.8 - 1e-9 || ratio > 1.91 + 1e-9)
            return GraphError::media(36003, 2207009,
                                     u"The submitted image with aspect ratio "_s +
                                         QString::number(ratio, 'f', 2) +
                                         u" cannot be published. Please submit an image with "
                                         u"a valid aspect ratio (4:5 to 1.91:1)."_s,
                                     u"Aspect ratio is not supported"_s);
    }
    return std::nullopt;
}

std::optional<GraphError> InstagramPublishing::checkVideo(const QString &url,
                                                          const QString &mediaType) const {
    if (const auto problem = fetchProblem(url))
        return problem;
    const MediaFacts facts = factsFor(url);
    const bool story = mediaType == "STORIES"_L1;
    auto unsupported = [](const QString &message) {
        return GraphError::media(352, 2207026, message, u"Unsupported video format"_s);
    };
    if (facts.format != "mp4"_L1 && facts.format != "mov"_L1)
        return unsupported(u"The video format is not supported. Please check spec for "
                           u"supported format (MOV or MP4)."_s);
    if (facts.codec != "h264"_L1 && facts.codec != "hevc"_L1)
        return unsupported(u"The video codec is not supported (H.264 or HEVC)."_s);
    if (facts.fps < 23 || facts.fps > 60)
        return unsupported(u"The video frame rate is out of range (23 to 60 fps)."_s);
    if (facts.audio != "aac"_L1 && facts.audio != "none"_L1)
        return unsupported(u"The audio codec is not supported (AAC)."_s);
    const double maxDuration = story ? 60 : (mediaType == "REELS"_L1 ? 900 : 60);
    if (facts.duration < 3 || facts.duration > maxDuration)
        return unsupported(u"The video duration is out of range (3 s to "_s +
                           QString::number(maxDuration) + u" s)."_s);
    if (facts.bytes > (story ? kStoryMaxBytes : kReelMaxBytes))
        return unsupported(u"The video file is too large."_s);
    return std::nullopt;
}

std::optional<GraphError> InstagramPublishing::checkCaption(const QString &caption) const {
    auto tooLong = [](const QString &message) {
        return GraphError::media(36004, 2207010, message, u"Caption is too long"_s);
    };
    if (caption.size() > 2200)
        return tooLong(u"The caption exceeds the maximum length of 2200 characters."_s);
    static const QRegularExpression hashtag(u"#[\\w]+"_s,
                                            QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression mention(u"@[\\w.]+"_s,
                                            QRegularExpression::UseUnicodePropertiesOption);
    qsizetype tags = 0;
    for (auto it = hashtag.globalMatch(caption); it.hasNext(); it.next())
        ++tags;
    if (tags > 30)
        return tooLong(u"The caption contains more than 30 hashtags."_s);
    qsizetype mentions = 0;
    for (auto it = mention.globalMatch(caption); it.hasNext(); it.next())
        ++mentions;
    if (mentions > 20)
        return tooLong(u"The caption contains more than 20 @mentions."_s);
    return std::nullopt;
}

std::optional<GraphError> InstagramPublishing::accountGate(GraphCall &call,
                                                           const QString &igUserId) {
    if (const auto error = call.authenticate())
        return error;
    if (!m_graph.state.accounts.contains(igUserId) || !m_graph.ownsAccount(*call.token, igUserId))
        return GraphError::noObject(igUserId);
    if (!call.hasScope(u"instagram_content_publish"_s))
        return GraphError::permission(u"instagram_content_publish"_s);
    const IgAccount &account = m_graph.state.accounts[igUserId];
    if (account.policyBlocked) {
        GraphError e = GraphError::media(
            368, 0, u"The action attempted has been deemed abusive or is otherwise disallowed"_s,
            u"Temporarily blocked"_s);
        return e;
    }
    if (account.restricted)
        return GraphError::media(25, 2207050,
                                 u"The Instagram account is restricted. The app user's "
                                 u"Instagram account is inactive, checkpointed or restricted."_s,
                                 u"Account restricted"_s);
    if (account.spam)
        return GraphError::media(4, 2207051,
                                 u"We restrict certain activity to protect our community. "
                                 u"This action was flagged as spam."_s,
                                 u"Action blocked"_s);
    return std::nullopt;
}

void InstagramPublishing::create(GraphCall &call) {
    const QString igUserId = call.e->param(u"id"_s);
    if (const auto error = accountGate(call, igUserId))
        return call.fail(*error);
    InstagramState &state = m_graph.state;
    const qint64 now = m_graph.context.clock.nowMs();
    QList<qint64> &times = state.containerTimes[igUserId];
    times.removeIf([now](qint64 t) { return t <= now - kDayMs; });
    // Silent in the contract: the 400-container cap answers the rate-limit code 4.
    if (times.size() >= kContainersPerDay) {
        GraphError e = GraphError::media(4, 0,
                                         u"(#4) Application request limit reached: at most 400 "
                                         u"containers per account in 24 hours"_s,
                                         u"Too many containers"_s);
        e.transient = true;
        return call.fail(e);
    }
    const QString caption = call.param(u"caption"_s);
    if (const auto error = checkCaption(caption))
        return call.fail(*error);

    IgContainer c;
    c.igUserId = igUserId;
    c.caption = caption;
    c.createdMs = now;
    c.carouselItem = call.param(u"is_carousel_item"_s) == "true"_L1;
    c.imageUrl = call.param(u"image_url"_s);
    c.videoUrl = call.param(u"video_url"_s);
    c.resumable = call.param(u"upload_type"_s) == "resumable"_L1;
    const QString type = call.param(u"media_type"_s).toUpper();
    c.mediaType = type.isEmpty() ? u"IMAGE"_s : type;
    static const QStringList types{u"IMAGE"_s, u"VIDEO"_s, u"REELS"_s, u"STORIES"_s, u"CAROUSEL"_s};
    if (!types.contains(c.mediaType))
        return call.fail(GraphError::param(
            u"(#100) Param media_type must be one of {IMAGE, VIDEO, REELS, STORIES, CAROUSEL}"_s));
    if (call.hasParam(u"upload_type"_s) && !c.resumable)
        return call.fail(GraphError::param(u"(#100) Param upload_type must be resumable"_s));

    const bool video = c.mediaType == "VIDEO"_L1 || c.mediaType == "REELS"_L1 ||
                       (c.mediaType == "STORIES"_L1 && c.imageUrl.isEmpty());
    if (c.carouselItem &&
        (c.mediaType == "REELS"_L1 || c.mediaType == "STORIES"_L1 || c.mediaType == "CAROUSEL"_L1))
        return call.fail(GraphError::param(
            u"(#100) Carousel items must be images or videos: no reels, stories or carousels "
            u"inside a carousel"_s,
            2207028));
    if (c.mediaType == "VIDEO"_L1 && !c.carouselItem)
        return call.fail(GraphError::param(
            u"(#100) The VIDEO media_type is only for carousel items; use REELS"_s));

    if (c.mediaType == "CAROUSEL"_L1) {
        c.children = call.param(u"children"_s).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &child : c.children)
            child = child.trimmed();
        if (c.children.size() < 2 || c.children.size() > 10)
            return call.fail(GraphError::media(100, 2207028,
                                               u"The carousel needs 2 to 10 items; got "_s +
                                                   QString::number(c.children.size()),
                                               u"Carousel item count"_s));
        for (const QString &child : std::as_const(c.children)) {
            const auto it = state.containers.constFind(child);
            if (it == state.containers.cend() || it->igUserId != igUserId || !it->carouselItem ||
                !it->mediaId.isEmpty())
                return call.fail(GraphError::media(
                    100, 2207028,
                    u"Carousel child "_s + child +
                        u" is not an unpublished carousel item (is_carousel_item=true image "
                        u"or video) of this account"_s,
                    u"Invalid carousel item"_s));
        }
        c.statusCode = u"IN_PROGRESS"_s; // follows its children (tick)
    } else if (!video) {
        if (c.imageUrl.isEmpty())
            return call.fail(GraphError::param(u"(#100) The parameter image_url is required."_s));
        // Images are fetched while the call runs: problems answer right away, and the
        // container is ready at once.
        if (const auto error = checkImage(c.imageUrl, c.mediaType != "STORIES"_L1))
            return call.fail(*error);
        c.statusCode = u"FINISHED"_s;
        c.readyMs = now;
    } else {
        if (c.videoUrl.isEmpty() && !c.resumable)
            return call.fail(GraphError::param(
                u"(#100) The parameter video_url is required (or upload_type=resumable)."_s));
        if (!c.resumable) {
            c.readyMs = now + kVideoProcessingMs;
            if (const auto problem = checkVideo(c.videoUrl, c.mediaType)) {
                c.errorCode = problem->code;
                c.errorSubcode = problem->subcode;
                c.errorMessage = problem->message;
            }
        }
    }
    c.id = state.newId(u"179"_s);
    times.append(now);
    QJsonObject out{{u"id"_s, c.id}};
    if (c.resumable)
        out[u"uri"_s] = QString(m_graph.context.baseUrl.toString() +
                                u"/instagram/ig-api-upload/v25.0/"_s + c.id);
    state.containers.insert(c.id, c);
    m_changed();
    call.ok(out);
}

int InstagramPublishing::publishedInWindow(const IgAccount &account) const {
    const qint64 cutoff = m_graph.context.clock.nowMs() - qint64(account.quotaDuration) * 1000;
    int count = 0;
    for (qint64 t : m_graph.state.publishTimes.value(account.id))
        count += t > cutoff;
    return count;
}

void InstagramPublishing::publish(GraphCall &call) {
    const QString igUserId = call.e->param(u"id"_s);
    if (const auto error = accountGate(call, igUserId))
        return call.fail(*error);
    InstagramState &state = m_graph.state;
    const QString creationId = call.param(u"creation_id"_s);
    if (creationId.isEmpty())
        return call.fail(GraphError::param(u"(#100) The parameter creation_id is required."_s));
    const auto it = state.containers.find(creationId);
    if (it == state.containers.end() || it->igUserId != igUserId)
        return call.fail(GraphError::noObject(creationId));
    IgContainer &c = it.value();
    if (c.carouselItem)
        return call.fail(GraphError::param(
            u"(#100) A carousel item cannot be published on its own: publish its carousel"_s));
    if (c.statusCode == "PUBLISHED"_L1)
        return call.fail(GraphError::param(
            u"(#100) This container has already been published as "_s + c.mediaId));
    if (c.statusCode == "EXPIRED"_L1)
        return call.fail(GraphError::media(-2, 2207020,
                                           u"The media container has expired: it was not "
                                           u"published within 24 hours. Create a new one."_s,
                                           u"Container expired"_s));
    if (c.statusCode == "ERROR"_L1)
        return call.fail(GraphError::media(c.errorCode, c.errorSubcode, c.errorMessage,
                                           u"Media could not be processed"_s));
    if (c.statusCode != "FINISHED"_L1)
        return call.fail(GraphError::media(9007, 2207027,
                                           u"Media ID is not available: the media is not ready "
                                           u"for publishing, please wait for a moment"_s,
                                           u"Media not ready"_s));
    IgAccount &account = state.accounts[igUserId];
    if (publishedInWindow(account) >= account.quotaTotal)
        return call.fail(
            GraphError::media(9, 2207042,
                              u"(#9) The maximum number of posts allowed to be published in "_s +
                                  QString::number(account.quotaDuration / 3600) + u" hours ("_s +
                                  QString::number(account.quotaTotal) + u") has been reached"_s,
                              u"Daily publishing limit reached"_s));

    const qint64 now = m_graph.context.clock.nowMs();
    auto makeMedia = [&](const IgContainer &from, bool child) {
        IgMedia m;
        m.id = state.newId(u"180"_s);
        m.igUserId = igUserId;
        m.containerId = from.id;
        m.caption = child ? QString() : from.caption;
        m.createdMs = now;
        m.carouselChild = child;
        static const char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        for (int i = 0; i < 11; ++i)
            m.shortcode.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(64)]));
        const bool isVideo = !from.videoUrl.isEmpty() || from.resumable;
        if (from.mediaType == "CAROUSEL"_L1) {
            m.mediaType = u"CAROUSEL_ALBUM"_s;
            m.productType = u"FEED"_s;
        } else if (from.mediaType == "REELS"_L1) {
            m.mediaType = u"VIDEO"_s;
            m.productType = u"REELS"_s;
        } else if (from.mediaType == "STORIES"_L1) {
            m.mediaType = isVideo ? u"VIDEO"_s : u"IMAGE"_s;
            m.productType = u"STORY"_s;
        } else {
            m.mediaType = isVideo ? u"VIDEO"_s : u"IMAGE"_s;
            m.productType = u"FEED"_s;
        }
        m.mediaUrl = u"https://scontent.sandbox.test/"_s + m.id +
                     (m.mediaType == "VIDEO"_L1 ? u".mp4"_s : u".jpg"_s);
        return m;
    };
    IgMedia media = makeMedia(c, false);
    for (const QString &childId : std::as_const(c.children)) {
        IgContainer &child = state.containers[childId];
        IgMedia childMedia = makeMedia(child, true);
        child.statusCode = u"PUBLISHED"_s;
        child.mediaId = childMedia.id;
        media.children.append(childMedia.id);
        state.media.insert(childMedia.id, childMedia);
    }
    c.statusCode = u"PUBLISHED"_s;
    c.mediaId = media.id;
    state.media.insert(media.id, media);
    state.publishTimes[igUserId].append(now);
    m_changed();
    call.ok({{u"id"_s, media.id}});
}

void InstagramPublishing::publishingLimit(GraphCall &call) {
    const QString igUserId = call.e->param(u"id"_s);
    if (const auto error = call.authenticate())
        return call.fail(*error);
    if (!m_graph.state.accounts.contains(igUserId) || !m_graph.ownsAccount(*call.token, igUserId))
        return call.fail(GraphError::noObject(igUserId));
    if (!call.hasScope(u"instagram_content_publish"_s))
        return call.fail(GraphError::permission(u"instagram_content_publish"_s));
    const IgAccount account = m_graph.state.accounts.value(igUserId);
    QJsonObject entry;
    const QString fields =
        call.param(u"fields"_s).isEmpty() ? u"quota_usage"_s : call.param(u"fields"_s);
    for (const auto &[name, sub] : InstagramGraph::parseFields(fields)) {
        if (name == "quota_usage"_L1)
            entry[name] = publishedInWindow(account);
        else if (name == "config"_L1)
            entry[name] = QJsonObject{{u"quota_total"_s, account.quotaTotal},
                                      {u"quota_duration"_s, account.quotaDuration}};
        else
            return call.fail(GraphError::param(u"(#100) Tried accessing nonexisting field ("_s +
                                               name +
                                               u") on node type (ContentPublishingLimit)"_s));
    }
    call.ok({{u"data"_s, QJsonArray{entry}}});
}

void InstagramPublishing::containerNode(GraphCall &call, const IgContainer &c) {
    if (!m_graph.ownsAccount(*call.token, c.igUserId))
        return call.fail(GraphError::noObject(c.id));
    QJsonObject out;
    const QString fields = call.param(u"fields"_s).isEmpty() ? u"id"_s : call.param(u"fields"_s);
    for (const auto &[name, sub] : InstagramGraph::parseFields(fields)) {
        if (name == "id"_L1) {
            out[name] = c.id;
        } else if (name == "status_code"_L1) {
            out[name] = c.statusCode;
        } else if (name == "status"_L1) {
            QString status;
            if (c.statusCode == "FINISHED"_L1)
                status = u"Finished: Media has been uploaded and it is ready to be published."_s;
            else if (c.statusCode == "PUBLISHED"_L1)
                status = u"Published: Media has been successfully published."_s;
            else if (c.statusCode == "EXPIRED"_L1)
                status = u"Expired: The media was not published within 24 hours."_s;
            else if (c.statusCode == "ERROR"_L1)
                status = u"Error: "_s + c.errorMessage + u" ("_s + QString::number(c.errorSubcode) +
                         u")"_s;
            else
                status = u"In Progress: Media is still being processed."_s;
            out[name] = status;
        } else {
            return call.fail(GraphError::param(u"(#100) Tried accessing nonexisting field ("_s +
                                               name + u") on node type (ShadowIGMediaBuilder)"_s));
        }
    }
    call.ok(out);
}

// The rupload target. Whether a later offset resumes is undocumented: the sandbox
// accepts an offset that continues exactly where the received bytes stand (so an upload
// cut off mid-way can go on), and offset 0 always starts over.
void InstagramPublishing::upload(const ExchangePtr &e) {
    InstagramState &state = m_graph.state;
    const QString id = e->param(u"id"_s);
    auto fail = [&e](int status, bool retriable, const QString &type, const QString &message) {
        e->respondJson(status, debugInfo(retriable, type, message));
    };
    const auto it = state.containers.find(id);
    if (it == state.containers.end() || !it->resumable)
        return fail(400, false, u"ProcessingFailedError"_s,
                    u"No resumable upload session for this container."_s);
    const QByteArray auth = e->header("Authorization");
    const QString token = auth.toLower().startsWith("oauth ")
                              ? QString::fromLatin1(auth.mid(6).trimmed())
                              : QString();
    const auto tokenIt = state.tokens.constFind(token);
    if (tokenIt == state.tokens.cend() || tokenIt->invalidSubcode ||
        (tokenIt->expiresMs && tokenIt->expiresMs <= m_graph.context.clock.nowMs()) ||
        !m_graph.ownsAccount(*tokenIt, it->igUserId))
        return fail(401, false, u"AuthorizationError"_s,
                    u"Invalid OAuth access token (Authorization: OAuth <token>)."_s);
    IgContainer &c = it.value();
    if (c.uploaded)
        return fail(400, false, u"ProcessingFailedError"_s,
                    u"The media for this container was already uploaded."_s);
    const qint64 now = m_graph.context.clock.nowMs();
    const QByteArray fileUrl = e->header("file_url");
    if (!fileUrl.isEmpty()) {
        c.videoUrl = QString::fromUtf8(fileUrl);
        c.uploaded = true;
        c.readyMs = now + kVideoProcessingMs;
        if (const auto problem = checkVideo(c.videoUrl, c.mediaType)) {
            c.errorCode = problem->code;
            c.errorSubcode = problem->subcode;
            c.errorMessage = problem->message;
        }
        m_changed();
        e->respondJson(200,
                       QJsonObject{{u"success"_s, true}, {u"message"_s, u"Upload successful."_s}});
        return;
    }
    bool okOffset = false;
    bool okSize = false;
    const qint64 offset = e->header("offset").toLongLong(&okOffset);
    const qint64 fileSize = e->header("file_size").toLongLong(&okSize);
    if (!okOffset || offset < 0 || !okSize || fileSize <= 0)
        return fail(400, false, u"ProcessingFailedError"_s,
                    u"The offset and file_size headers are required (non-negative integers)."_s);
    const qint64 limit = c.mediaType == "STORIES"_L1 ? kStoryMaxBytes : kReelMaxBytes;
    if (fileSize > limit)
        return fail(400, false, u"ProcessingFailedError"_s,
                    u"file_size exceeds the maximum of "_s + QString::number(limit) + u" bytes."_s);
    UploadStore &uploads = m_graph.context.uploads;
    if (offset == 0) {
        c.uploadId = uploads.create(u"instagram"_s, fileSize, u"video/mp4"_s, now);
    } else {
        const auto current = c.uploadId.isEmpty() ? std::nullopt : uploads.find(c.uploadId);
        if (!current || current->expectedSize != fileSize || current->received != offset)
            return fail(400, true, u"OffsetMismatchError"_s,
                        u"The offset does not continue the upload: resume at offset "_s +
                            QString::number(current ? current->received : 0) + u"."_s);
    }
    if (offset + e->body().size() > fileSize)
        return fail(400, false, u"ProcessingFailedError"_s, u"The body runs past file_size."_s);
    if (!uploads.append(c.uploadId, offset, e->body()))
        return fail(500, true, u"ProcessingFailedError"_s, u"Could not store the bytes."_s);
    const auto stored = uploads.find(c.uploadId);
    if (stored && stored->received == fileSize) {
        uploads.finish(c.uploadId);
        c.uploaded = true;
        c.readyMs = now + kVideoProcessingMs;
        // Sniff the container format: MP4 and MOV carry "ftyp" at byte 4.
        QFile file(uploads.filePath(c.uploadId));
        QByteArray head;
        if (file.open(QIODevice::ReadOnly))
            head = file.read(12);
        if (head.mid(4, 4) != "ftyp" && head.mid(4, 4) != "moov" && head.mid(4, 4) != "wide") {
            c.errorCode = 352;
            c.errorSubcode = 2207026;
            c.errorMessage = u"The video format is not supported. Please check spec for "
                             u"supported format (MOV or MP4)."_s;
        }
        m_changed();
        e->respondJson(200,
                       QJsonObject{{u"success"_s, true}, {u"message"_s, u"Upload successful."_s}});
        return;
    }
    m_changed();
    e->respondJson(200, QJsonObject{{u"success"_s, true},
                                    {u"message"_s, u"Partial upload accepted."_s},
                                    {u"received_bytes"_s, double(stored ? stored->received : 0)}});
}

bool InstagramPublishing::tick() {
    const qint64 now = m_graph.context.clock.nowMs();
    bool any = false;
    InstagramState &state = m_graph.state;
    for (IgContainer &c : state.containers) {
        if (c.statusCode == "IN_PROGRESS"_L1 && c.mediaType != "CAROUSEL"_L1 && c.readyMs > 0 &&
            c.readyMs <= now && (!c.resumable || c.uploaded)) {
            c.statusCode = c.errorCode ? u"ERROR"_s : u"FINISHED"_s;
            any = true;
        }
    }
    for (IgContainer &c : state.containers) {
        if (c.statusCode != "IN_PROGRESS"_L1 || c.mediaType != "CAROUSEL"_L1)
            continue;
        bool allDone = true;
        for (const QString &childId : std::as_const(c.children)) {
            const IgContainer child = state.containers.value(childId);
            if (child.statusCode == "ERROR"_L1 || child.statusCode == "EXPIRED"_L1) {
                c.statusCode = u"ERROR"_s;
                c.errorCode = child.errorCode ? child.errorCode : -2;
                c.errorSubcode = child.errorSubcode ? child.errorSubcode : 2207020;
                c.errorMessage =
                    u"Carousel item "_s + childId + u" failed: "_s +
                    (child.errorMessage.isEmpty() ? child.statusCode : child.errorMessage);
                any = true;
                break;
            }
            allDone = allDone && child.statusCode == "FINISHED"_L1;
        }
        if (c.statusCode == "IN_PROGRESS"_L1 && allDone) {
            c.statusCode = u"FINISHED"_s;
            any = true;
        }
    }
    for (IgContainer &c : state.containers) {
        if (c.statusCode != "PUBLISHED"_L1 && c.statusCode != "EXPIRED"_L1 &&
            c.createdMs + kDayMs <= now) {
            c.statusCode = u"EXPIRED"_s;
            any = true;
        }
    }
    return any;
}

} // namespace sandbox
