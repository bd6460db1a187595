#include "instagramclient.h"

#include "instagramerrors.h"
#include "instagramusage.h"
#include "log/redaction.h"
#include "net/oneshotbody.h"
#include "oauth/providerclient.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <chrono>
#include <memory>

namespace huntaze::instagram {

namespace {

constexpr int kTransferTimeoutMs = 30'000;
// An upload that sends nothing for this long is stuck: abort it and say so.
constexpr int kUploadStallMs = 120'000;
// Graph answers are small; a bigger body is not read further.
constexpr qint64 kMaxAnswerBytes = 1 << 20;
const char *const kStalledProperty = "huntaze_upload_stalled";

QString tr(const char *text) {
    return QCoreApplication::translate("InstagramClient", text);
}

Error makeError(const QString &code, const QString &message, int httpStatus, bool retryable,
                const QString &detail = {}) {
    Error error;
    error.domain = QStringLiteral("instagram");
    error.code = code;
    error.message = message;
    error.detail = detail;
    error.httpStatus = httpStatus;
    error.retryable = retryable;
    return error;
}

// Graph ids are numeric strings; anything else is refused before it goes into a URL path.
bool isGraphId(const QString &id) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]{1,80}$"));
    return pattern.match(id).hasMatch();
}

Error invalidAnswer(int httpStatus, const QString &detail) {
    return makeError(QStringLiteral("invalid_answer"),
                     tr("Instagram sent an answer Huntaze could not read. Huntaze will try again "
                        "automatically."),
                     httpStatus, true, detail);
}

// No HTTP answer at all. For a call that creates something the request may have arrived:
// it must not be sent again blindly (DESIGN.md, "Reliability rules").
Error transportError(bool creates, const QString &detail) {
    const QString clean = log::Redaction::scrubText(detail).left(300);
    if (creates)
        return makeError(QStringLiteral("outcome_unknown"),
                         tr("The connection to Instagram dropped before it answered, so it is not "
                            "known yet whether this step went through. Huntaze checks with "
                            "Instagram before doing it again, so nothing is posted twice."),
                         0, false, clean);
    return makeError(QStringLiteral("unreachable"),
                     tr("Instagram could not be reached. Huntaze will try again automatically; "
                        "check your internet connection if this lasts."),
                     0, true, clean);
}

Error graphFailure(int httpStatus, const QByteArray &body, int regainMinutes) {
    if (const auto graph = parseGraphError(httpStatus, body)) {
        Error error = toError(problemFor(*graph, regainMinutes), httpStatus);
        error.detail = detailFor(*graph);
        return error;
    }
    GraphError bare;
    bare.httpStatus = httpStatus;
    Error error = toError(problemFor(bare), httpStatus);
    error.detail = QStringLiteral("HTTP %1 without a Graph error envelope").arg(httpStatus);
    return error;
}

bool isSuccess(int httpStatus) {
    return httpStatus >= 200 && httpStatus < 300;
}

// The answer's JSON object, or the Error it carries: a non-2xx status, or (defensively) a
// 2xx body that holds a Graph error envelope.
Result<QJsonObject> graphObject(int httpStatus, const QByteArray &body) {
    if (!isSuccess(httpStatus) || parseGraphError(httpStatus, body))
        return graphFailure(httpStatus, body, 0);
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return invalidAnswer(httpStatus, QStringLiteral("not a JSON object"));
    return document.object();
}

// A creating call answered 2xx with a body that cannot be read: something may have been
// created, so this is an outcome to reconcile, not a failure to retry.
bool createdButUnreadable(int httpStatus, const Error &error) {
    return isSuccess(httpStatus) && error.code == QLatin1String("invalid_answer");
}

QString boolText(bool value) {
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

// media_publish answered 2xx: the post may exist, so an unreadable id is not a failure to
// retry but an outcome to reconcile.
Result<QString> parsePublished(int httpStatus, const QByteArray &body) {
    const Error incomplete =
        makeError(QStringLiteral("outcome_unknown"),
                  tr("Instagram accepted the post but its answer was incomplete. Check the "
                     "Instagram profile before publishing it again."),
                  httpStatus, false, QStringLiteral("media_publish answer without an id"));
    Result<QJsonObject> object = graphObject(httpStatus, body);
    if (!object)
        return createdButUnreadable(httpStatus, object.error()) ? incomplete : object.error();
    const QString id = object->value(QLatin1String("id")).toString();
    if (!isGraphId(id))
        return incomplete;
    return id;
}

Result<QString> parsePermalink(int httpStatus, const QByteArray &body) {
    Result<QJsonObject> object = graphObject(httpStatus, body);
    if (!object)
        return object.error();
    const QUrl link(object->value(QLatin1String("permalink")).toString(), QUrl::StrictMode);
    if (!link.isValid() || !link.scheme().startsWith(QLatin1String("http")) ||
        link.host().isEmpty())
        return invalidAnswer(httpStatus, QStringLiteral("media without a permalink"));
    return link.toString();
}

// A refused argument still answers through the event loop, as every other failure does.
template <typename T>
void failLater(QObject *context, const std::function<void(Result<T>)> &done, Error error) {
    QTimer::singleShot(0, context, [done, error = std::move(error)] { done(error); });
}

Error invalidId(const QString &what) {
    return makeError(QStringLiteral("invalid_id"),
                     tr("Huntaze has no valid Instagram id for this post. Connect Instagram "
                        "again, then post again."),
                     0, false, QStringLiteral("not a Graph id: ") + what);
}

} // namespace

InstagramClient::InstagramClient(QUrl graphBase, QString version, QNetworkAccessManager *network,
                                 UsageGovernor *governor, QObject *parent)
    : QObject(parent)
    , m_graphBase(std::move(graphBase))
    , m_version(std::move(version))
    , m_network(network)
    , m_governor(governor) {}

// ---- builders and parsers ----

QList<std::pair<QString, QString>>
InstagramClient::containerParameters(const ContainerRequest &request) {
    using Type = ContainerRequest::Type;
    Fields fields;
    const auto add = [&fields](const char *name, const QString &value) {
        fields.append({QString::fromLatin1(name), value});
    };
    const auto video = [&] {
        if (request.resumable)
            add("upload_type", QStringLiteral("resumable"));
        else
            add("video_url", request.videoUrl);
    };
    switch (request.type) {
    case Type::Image:
        add("image_url", request.imageUrl);
        break;
    case Type::Reel:
        add("media_type", QStringLiteral("REELS"));
        video();
        add("share_to_feed", boolText(request.shareToFeed));
        break;
    case Type::StoryImage:
        add("media_type", QStringLiteral("STORIES"));
        add("image_url", request.imageUrl);
        break;
    case Type::StoryVideo:
        add("media_type", QStringLiteral("STORIES"));
        video();
        break;
    case Type::CarouselImageItem:
        add("is_carousel_item", QStringLiteral("true"));
        add("image_url", request.imageUrl);
        break;
    case Type::CarouselVideoItem:
        add("is_carousel_item", QStringLiteral("true"));
        add("media_type", QStringLiteral("VIDEO"));
        video();
        break;
    case Type::Carousel:
        add("media_type", QStringLiteral("CAROUSEL"));
        add("children", request.children.join(QLatin1Char(',')));
        break;
    }
    // Only the feed kinds carry a caption (instagram.md, "Publishing").
    const bool captioned =
        request.type == Type::Image || request.type == Type::Reel || request.type == Type::Carousel;
    if (captioned && !request.caption.isEmpty())
        add("caption", request.caption);
    return fields;
}

Result<ContainerAnswer> InstagramClient::parseContainer(int httpStatus, const QByteArray &body) {
    // Instagram answered 2xx: a container may exist that cannot be followed.
    const Error incomplete = makeError(
        QStringLiteral("outcome_unknown"),
        tr("Instagram accepted the media but its answer was incomplete. Huntaze will prepare "
           "the post again."),
        httpStatus, false, QStringLiteral("container answer without a usable id or uri"));
    Result<QJsonObject> object = graphObject(httpStatus, body);
    if (!object)
        return createdButUnreadable(httpStatus, object.error()) ? incomplete : object.error();
    ContainerAnswer answer;
    answer.id = object->value(QLatin1String("id")).toString();
    const QString uri = object->value(QLatin1String("uri")).toString();
    if (!uri.isEmpty())
        answer.uploadUri = QUrl(uri, QUrl::StrictMode);
    const bool badUri =
        !uri.isEmpty() && (!answer.uploadUri.isValid() ||
                           !answer.uploadUri.scheme().startsWith(QLatin1String("http")) ||
                           answer.uploadUri.host().isEmpty());
    if (!isGraphId(answer.id) || badUri)
        return incomplete;
    return answer;
}

Result<ContainerStatus> InstagramClient::parseStatus(int httpStatus, const QByteArray &body) {
    Result<QJsonObject> object = graphObject(httpStatus, body);
    if (!object)
        return object.error();
    static const QRegularExpression statusPattern(QStringLiteral("^[A-Z_]{1,32}$"));
    ContainerStatus status;
    status.statusCode = object->value(QLatin1String("status_code")).toString();
    status.status = object->value(QLatin1String("status")).toString().left(2000);
    if (!statusPattern.match(status.statusCode).hasMatch())
        return invalidAnswer(httpStatus, QStringLiteral("container without a status_code"));
    return status;
}

Result<PublishingLimit> InstagramClient::parsePublishingLimit(int httpStatus,
                                                              const QByteArray &body) {
    Result<QJsonObject> object = graphObject(httpStatus, body);
    if (!object)
        return object.error();
    const QJsonArray data = object->value(QLatin1String("data")).toArray();
    const QJsonObject entry = data.isEmpty() ? QJsonObject() : data.first().toObject();
    const QJsonValue usage = entry.value(QLatin1String("quota_usage"));
    if (!usage.isDouble())
        return invalidAnswer(httpStatus, QStringLiteral("publishing limit without quota_usage"));
    const QJsonObject config = entry.value(QLatin1String("config")).toObject();
    PublishingLimit limit;
    limit.quotaUsage = std::clamp(usage.toInt(), 0, 1'000'000);
    limit.quotaTotal = std::clamp(config.value(QLatin1String("quota_total")).toInt(), 0, 1'000'000);
    const qint64 duration = config.value(QLatin1String("quota_duration")).toInteger();
    if (duration > 0)
        limit.quotaDurationSeconds = std::min<qint64>(duration, 366LL * 86400);
    return limit;
}

Result<bool> InstagramClient::parseUploadAnswer(int httpStatus, const QByteArray &body) {
    const QJsonObject root =
        body.size() <= kMaxAnswerBytes ? QJsonDocument::fromJson(body).object() : QJsonObject();
    if (isSuccess(httpStatus) && root.value(QLatin1String("success")).toBool(false))
        return true;
    if (parseGraphError(httpStatus, body))
        return graphFailure(httpStatus, body, 0);
    const QJsonValue debugValue = root.value(QLatin1String("debug_info"));
    if (!debugValue.isObject()) {
        if (isSuccess(httpStatus))
            return invalidAnswer(httpStatus, QStringLiteral("upload answer without success"));
        return graphFailure(httpStatus, body, 0); // judged by the status alone
    }
    // {"debug_info": {"retriable", "type", "message"}}
    const QJsonObject debug = debugValue.toObject();
    const bool retriable = debug.value(QLatin1String("retriable")).toBool(false);
    static const QRegularExpression typePattern(QStringLiteral("^[A-Za-z0-9_]{1,64}$"));
    QString type = debug.value(QLatin1String("type")).toString();
    if (!typePattern.match(type).hasMatch())
        type = QStringLiteral("unknown");
    const QString said = cleanPlatformText(debug.value(QLatin1String("message")).toString());
    const QString detail =
        QStringLiteral("rupload %1 (HTTP %2): %3").arg(type).arg(httpStatus).arg(said);
    if (httpStatus == 401 || type == QLatin1String("AuthorizationError")) {
        // The token itself: the same thing Graph reports as 190.
        GraphError token;
        token.code = 190;
        token.httpStatus = httpStatus;
        Error error = toError(problemFor(token), httpStatus);
        error.detail = detail;
        return error;
    }
    const QString quote =
        said.isEmpty() ? tr("Instagram gave no reason.") : tr("Instagram said: \"%1\".").arg(said);
    return makeError(QStringLiteral("upload/") + type,
                     retriable ? tr("Instagram could not take the video this time. %1 Huntaze "
                                    "will send it again automatically.")
                                     .arg(quote)
                               : tr("Instagram refused the video upload. %1 Check the video, "
                                    "then post it again.")
                                     .arg(quote),
                     httpStatus, retriable, detail);
}

// ---- the network ----

QUrl InstagramClient::graphUrl(const QString &path) const {
    return oauth::joinUrl(m_graphBase, QLatin1Char('/') + m_version + QLatin1Char('/') + path);
}

void InstagramClient::whenAllowed(const QString &igUserId, std::function<void()> send) {
    const qint64 wait = m_governor ? m_governor->delayMs(igUserId) : 0;
    if (wait <= 0) {
        send();
        return;
    }
    // Checked again on waking: answers that came in meanwhile may ask for a longer wait.
    QTimer::singleShot(std::chrono::milliseconds(wait), this,
                       [this, igUserId, send = std::move(send)]() mutable {
                           whenAllowed(igUserId, std::move(send));
                       });
}

void InstagramClient::whenFinished(QNetworkReply *reply, const QString &igUserId, bool creates,
                                   Answer answer) {
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, igUserId, creates, answer = std::move(answer)] {
                reply->deleteLater();
                const UsageReport usage = parseUsageHeaders(
                    reply->rawHeader("X-App-Usage"), reply->rawHeader("X-Business-Use-Case-Usage"));
                if (m_governor)
                    m_governor->record(igUserId, usage);
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 0)
                    return answer(transportError(creates, reply->errorString()));
                const QByteArray body = reply->read(kMaxAnswerBytes);
                if (!isSuccess(status))
                    return answer(graphFailure(status, body, usage.regainMinutes));
                answer(body);
            });
}

void InstagramClient::graphGet(const QString &igUserId, const QByteArray &token,
                               const QString &path, Fields query, Answer answer) {
    whenAllowed(igUserId, [this, igUserId, token, path, query = std::move(query),
                           answer = std::move(answer)]() mutable {
        QUrl url = graphUrl(path);
        QUrlQuery items;
        query.append({QStringLiteral("access_token"), QString::fromUtf8(token)});
        for (const auto &[name, value] : std::as_const(query))
            items.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        url.setQuery(items.query(QUrl::FullyEncoded), QUrl::StrictMode);
        QNetworkRequest request(url);
        request.setTransferTimeout(kTransferTimeoutMs);
        whenFinished(m_network->get(request), igUserId, false, std::move(answer));
    });
}

void InstagramClient::graphPostOnce(const QString &igUserId, const QByteArray &token,
                                    const QString &path, Fields form, Answer answer) {
    whenAllowed(igUserId, [this, igUserId, token, path, form = std::move(form),
                           answer = std::move(answer)]() mutable {
        QNetworkRequest request(graphUrl(path));
        request.setTransferTimeout(kTransferTimeoutMs);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        form.append({QStringLiteral("access_token"), QString::fromUtf8(token)});
        QNetworkReply *reply = net::sendOnce(*m_network, request, "POST", oauth::formEncode(form));
        whenFinished(reply, igUserId, true, std::move(answer));
    });
}

void InstagramClient::createContainer(const QString &igUserId, const QByteArray &token,
                                      const ContainerRequest &request, Done<ContainerAnswer> done) {
    if (!isGraphId(igUserId))
        return failLater(this, done, invalidId(QStringLiteral("ig user")));
    graphPostOnce(igUserId, token, igUserId + QStringLiteral("/media"),
                  containerParameters(request),
                  [done, resumable = request.resumable](Result<QByteArray> body) {
                      if (!body)
                          return done(body.error());
                      Result<ContainerAnswer> answer = parseContainer(200, *body);
                      if (answer && resumable && answer->uploadUri.isEmpty())
                          return done(makeError(
                              QStringLiteral("outcome_unknown"),
                              tr("Instagram accepted the video but gave no address to upload "
                                 "it to. Huntaze will prepare the post again."),
                              200, false, QStringLiteral("resumable container without a uri")));
                      done(std::move(answer));
                  });
}

QPointer<QNetworkReply> InstagramClient::uploadVideo(const QString &igUserId, const QUrl &uploadUri,
                                                     const QByteArray &token,
                                                     const QString &filePath,
                                                     std::function<void(UploadProgress)> progress,
                                                     Done<bool> done) {
    // rupload is not a Graph call (no usage headers, not counted against them), and the
    // reply must be handed back at once so the caller can abort it: no governor wait.
    auto file = std::make_unique<QFile>(filePath);
    if (!file->open(QIODevice::ReadOnly) || file->size() <= 0) {
        failLater(this, done,
                  makeError(QStringLiteral("file_unreadable"),
                            tr("Huntaze cannot read the video file, or it is empty. Check that "
                               "the file is still there, then post again."),
                            0, false, file->errorString()));
        return nullptr;
    }
    const qint64 size = file->size();
    QNetworkRequest request(uploadUri);
    request.setRawHeader("Authorization", "OAuth " + token);
    request.setRawHeader("offset", "0");
    request.setRawHeader("file_size", QByteArray::number(size));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/octet-stream"));
    request.setHeader(QNetworkRequest::ContentLengthHeader, size);
    // The file is read as it is sent, never held in memory whole.
    QNetworkReply *reply = m_network->post(request, file.get());
    file.release()->setParent(reply);

    auto *stall = new QTimer(reply);
    stall->setSingleShot(true);
    stall->setInterval(kUploadStallMs);
    connect(stall, &QTimer::timeout, reply, [reply] {
        reply->setProperty(kStalledProperty, true);
        reply->abort();
    });
    stall->start();
    connect(reply, &QNetworkReply::uploadProgress, this,
            [stall, progress](qint64 sent, qint64 total) {
                stall->start();
                // Qt ends every upload with a (0, 0) report, which is no progress at all.
                if (progress && total > 0)
                    progress(UploadProgress{sent, total});
            });
    connect(reply, &QNetworkReply::finished, this, [this, reply, igUserId, done] {
        reply->deleteLater();
        if (m_governor)
            m_governor->record(igUserId,
                               parseUsageHeaders(reply->rawHeader("X-App-Usage"),
                                                 reply->rawHeader("X-Business-Use-Case-Usage")));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            if (reply->property(kStalledProperty).toBool())
                return done(makeError(QStringLiteral("upload_stalled"),
                                      tr("The video upload to Instagram stopped moving. Huntaze "
                                         "will start it again automatically."),
                                      0, true));
            if (reply->error() == QNetworkReply::OperationCanceledError)
                return done(makeError(QStringLiteral("aborted"),
                                      tr("The video upload was stopped."), 0, false));
            // Sending the whole file again at offset 0 starts over: safe to retry.
            return done(transportError(false, reply->errorString()));
        }
        done(parseUploadAnswer(status, reply->read(kMaxAnswerBytes)));
    });
    return reply;
}

void InstagramClient::containerStatus(const QString &igUserId, const QByteArray &token,
                                      const QString &containerId, Done<ContainerStatus> done) {
    if (!isGraphId(igUserId) || !isGraphId(containerId))
        return failLater(this, done, invalidId(QStringLiteral("container")));
    graphGet(igUserId, token, containerId,
             {{QStringLiteral("fields"), QStringLiteral("status_code,status")}},
             [done](Result<QByteArray> body) {
                 if (!body)
                     return done(body.error());
                 done(parseStatus(200, *body));
             });
}

void InstagramClient::publish(const QString &igUserId, const QByteArray &token,
                              const QString &containerId, Done<QString> done) {
    if (!isGraphId(igUserId) || !isGraphId(containerId))
        return failLater(this, done, invalidId(QStringLiteral("container")));
    graphPostOnce(igUserId, token, igUserId + QStringLiteral("/media_publish"),
                  {{QStringLiteral("creation_id"), containerId}}, [done](Result<QByteArray> body) {
                      if (!body)
                          return done(body.error());
                      done(parsePublished(200, *body));
                  });
}

void InstagramClient::permalink(const QString &igUserId, const QByteArray &token,
                                const QString &mediaId, Done<QString> done) {
    if (!isGraphId(igUserId) || !isGraphId(mediaId))
        return failLater(this, done, invalidId(QStringLiteral("media")));
    graphGet(igUserId, token, mediaId, {{QStringLiteral("fields"), QStringLiteral("permalink")}},
             [done](Result<QByteArray> body) {
                 if (!body)
                     return done(body.error());
                 done(parsePermalink(200, *body));
             });
}

void InstagramClient::publishingLimit(const QString &igUserId, const QByteArray &token,
                                      Done<PublishingLimit> done) {
    if (!isGraphId(igUserId))
        return failLater(this, done, invalidId(QStringLiteral("ig user")));
    graphGet(igUserId, token, igUserId + QStringLiteral("/content_publishing_limit"),
             {{QStringLiteral("fields"), QStringLiteral("quota_usage,config")}},
             [done](Result<QByteArray> body) {
                 if (!body)
                     return done(body.error());
                 done(parsePublishingLimit(200, *body));
             });
}

} // namespace huntaze::instagram
