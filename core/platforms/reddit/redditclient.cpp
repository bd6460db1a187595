#include "redditclient.h"

#include "log/redaction.h"
#include "net/oneshotbody.h"
#include "oauth/providerclient.h"
#include "redditerrors.h"
#include "redditratelimit.h"

#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

namespace huntaze::reddit {

namespace {

constexpr int kTransferTimeoutMs = 30'000;
// An upload that sends nothing for this long is stuck: abort it and say so.
constexpr int kUploadStallMs = 120'000;
// API answers are small; a bigger body is not read further.
constexpr qint64 kMaxAnswerBytes = 4 << 20;
constexpr qsizetype kMaxInfoIds = 100;
const char *const kStalledProperty = "huntaze_reddit_upload_stalled";

Error errorFor(LocalFailure failure, const QString &detail = {}, int httpStatus = 0) {
    Error error = toError(problemFor(failure), httpStatus);
    error.detail = log::Redaction::scrubText(detail).left(300);
    return error;
}

// A refused argument still answers through the event loop, as every other failure does.
template <typename T>
void failLater(QObject *context, const std::function<void(Result<T>)> &done, Error error) {
    QTimer::singleShot(0, context, [done, error = std::move(error)] { done(error); });
}

bool isUsername(const QString &name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,20}$"));
    return pattern.match(name).hasMatch();
}

bool isSubredditName(const QString &name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]{1,21}$"));
    return pattern.match(name).hasMatch();
}

} // namespace

RedditClient::RedditClient(QUrl apiBase, QByteArray userAgent, QNetworkAccessManager *network,
                           RateLimitPacer *pacer, QObject *parent)
    : QObject(parent)
    , m_apiBase(std::move(apiBase))
    , m_userAgent(std::move(userAgent))
    , m_network(network)
    , m_pacer(pacer) {}

// ---- the network ----

QUrl RedditClient::apiUrl(const QString &path, const Fields &query) const {
    QUrl url = oauth::joinUrl(m_apiBase, path);
    QUrlQuery items;
    for (const auto &[name, value] : query)
        items.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    // Unescaped text (&, <, >) in every answer.
    items.addQueryItem(QStringLiteral("raw_json"), QStringLiteral("1"));
    url.setQuery(items.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

void RedditClient::whenAllowed(const QString &limitKey, std::function<void()> send) {
    const auto wait = m_pacer ? m_pacer->acquire(limitKey) : std::chrono::milliseconds(0);
    if (wait.count() <= 0) {
        send();
        return;
    }
    // Asked again on waking: answers that came in meanwhile may have changed the budget.
    QTimer::singleShot(wait, this, [this, limitKey, send = std::move(send)]() mutable {
        whenAllowed(limitKey, std::move(send));
    });
}

void RedditClient::send(Call call, Answer answer) {
    const QString limitKey = call.limitKey;
    whenAllowed(limitKey, [this, call = std::move(call), answer = std::move(answer)] {
        QNetworkRequest request(apiUrl(call.path, call.query));
        request.setTransferTimeout(kTransferTimeoutMs);
        request.setRawHeader("Authorization", "bearer " + call.token);
        request.setRawHeader("User-Agent", m_userAgent);
        request.setRawHeader("Accept", "application/json");
        QNetworkReply *reply = nullptr;
        if (call.method == "GET") {
            reply = m_network->get(request);
        } else {
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/x-www-form-urlencoded"));
            const QByteArray body = oauth::formEncode(call.form);
            // A submit must never be resent by Qt on its own (see OneShotBody).
            reply = call.kind == Kind::Submit ? net::sendOnce(*m_network, request, "POST", body)
                                              : m_network->post(request, body);
        }
        connect(reply, &QNetworkReply::finished, this,
                [this, reply, call, answer] { finished(reply, call, answer); });
    });
}

void RedditClient::finished(QNetworkReply *reply, const Call &call, const Answer &answer) {
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const RateLimitHeaders limits = parseRateLimitHeaders(reply->rawHeader("X-Ratelimit-Used"),
                                                          reply->rawHeader("X-Ratelimit-Remaining"),
                                                          reply->rawHeader("X-Ratelimit-Reset"));
    if (m_pacer)
        m_pacer->record(call.limitKey, status, limits);
    const bool submits = call.kind == Kind::Submit;
    if (status == 0)
        return answer(errorFor(submits ? LocalFailure::OutcomeUnknown : LocalFailure::LostAnswer,
                               reply->errorString()));
    const QByteArray body = reply->read(kMaxAnswerBytes);
    if (status >= 200 && status < 300)
        return answer(body);
    if (submits && status >= 500)
        return answer(errorFor(LocalFailure::SubmitServerError,
                               QStringLiteral("submit answered HTTP %1").arg(status), status));
    Error error = toError(problemForHttpStatus(status, body, reply->rawHeader("WWW-Authenticate"),
                                               limits.resetSeconds.value_or(-1.0), call.subreddit),
                          status);
    error.detail = QStringLiteral("%1 %2 answered HTTP %3: %4")
                       .arg(QString::fromLatin1(call.method), call.path)
                       .arg(status)
                       .arg(cleanPlatformText(QString::fromUtf8(body.left(2000))));
    answer(error);
}

// ---- posting ----

void RedditClient::submit(const QString &limitKey, const QByteArray &token,
                          const Submission &submission, Done<SubmitAnswer> done) {
    if (const auto refused = RedditSubmission::check(submission)) {
        Error error = toError(*refused);
        error.detail = QStringLiteral("refused before sending");
        return failLater(this, done, error);
    }
    const QString subreddit = RedditSubmission::normaliseSubreddit(submission.subreddit);
    Call call;
    call.limitKey = limitKey;
    call.token = token;
    call.method = "POST";
    call.path = QStringLiteral("/api/submit");
    call.form = RedditSubmission::form(submission);
    call.kind = Kind::Submit;
    call.subreddit = subreddit;
    send(std::move(call), [done, subreddit](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(RedditSubmission::parseAnswer(200, *body, subreddit));
    });
}

void RedditClient::leaseMedia(const QString &limitKey, const QByteArray &token,
                              const QString &filePath, Done<MediaLease> done) {
    const QString mimeType = RedditMediaLease::mimeTypeFor(filePath);
    if (mimeType.isEmpty())
        return failLater(this, done, errorFor(LocalFailure::UnsupportedMedia, filePath));
    Call call;
    call.limitKey = limitKey;
    call.token = token;
    call.method = "POST";
    call.path = QStringLiteral("/api/media/asset.json");
    call.form = {{QStringLiteral("filepath"), RedditMediaLease::leaseFileName(filePath)},
                 {QStringLiteral("mimetype"), mimeType}};
    // A second lease is harmless (an unused one expires): no need to send it only once.
    call.kind = Kind::Create;
    send(std::move(call), [done, scheme = m_apiBase.scheme()](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        // reddit.md says "prepend https:", which is the API's own scheme; the sandbox's
        // bucket is plain HTTP like its API.
        done(RedditMediaLease::parseLease(200, *body,
                                          scheme.isEmpty() ? QStringLiteral("https") : scheme));
    });
}

QPointer<QNetworkReply> RedditClient::uploadMedia(const MediaLease &lease, const QString &filePath,
                                                  std::function<void(UploadProgress)> progress,
                                                  Done<UploadedMedia> done) {
    const QString mimeType = RedditMediaLease::mimeTypeFor(filePath);
    if (mimeType.isEmpty()) {
        failLater(this, done, errorFor(LocalFailure::UnsupportedMedia, filePath));
        return nullptr;
    }
    auto file = std::make_unique<QFile>(filePath);
    if (!file->open(QIODevice::ReadOnly) || file->size() <= 0) {
        failLater(this, done, errorFor(LocalFailure::FileUnreadable, file->errorString()));
        return nullptr;
    }
    const qint64 size = file->size();
    QNetworkRequest request(lease.action);
    // The bucket is not Reddit's API: it gets no token, but the same honest User-Agent.
    request.setRawHeader("User-Agent", m_userAgent);
    QHttpMultiPart *parts =
        RedditMediaLease::multipart(lease, file.get(), QFileInfo(filePath).fileName(), mimeType);
    file.release()->setParent(parts);
    // The file is read as it is sent, never held in memory whole. Qt may send the body
    // again on a dropped keep-alive connection: harmless, the bucket stores one key once.
    QNetworkReply *reply = m_network->post(request, parts);
    parts->setParent(reply);

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
    connect(reply, &QNetworkReply::finished, this, [reply, lease, mimeType, size, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            if (reply->property(kStalledProperty).toBool())
                return done(errorFor(LocalFailure::UploadStalled));
            if (reply->error() == QNetworkReply::OperationCanceledError)
                return done(errorFor(LocalFailure::Aborted));
            // The same key again is the same file: an upload is safe to repeat.
            return done(errorFor(LocalFailure::LostAnswer, reply->errorString()));
        }
        Result<UploadedMedia> media = RedditMediaLease::parseUploadAnswer(
            status, reply->read(kMaxAnswerBytes), lease, mimeType);
        if (media)
            media->bytes = size;
        done(std::move(media));
    });
    return reply;
}

void RedditClient::uploadFile(const QString &limitKey, const QByteArray &token,
                              const QString &filePath, std::function<void(UploadProgress)> progress,
                              Done<UploadedMedia> done) {
    if (!QFileInfo(filePath).isReadable())
        return failLater(this, done, errorFor(LocalFailure::FileUnreadable, filePath));
    QPointer<RedditClient> self(this);
    leaseMedia(limitKey, token, filePath,
               [self, filePath, progress, done](Result<MediaLease> lease) {
                   if (!lease)
                       return done(lease.error());
                   if (!self)
                       return;
                   self->uploadMedia(*lease, filePath, progress, done);
               });
}

void RedditClient::watchMediaPost(const QString &limitKey, const QByteArray &token,
                                  const SubmitAnswer &answer, const MediaPostMatch &match,
                                  Done<MediaPost> done, MediaWatchTimings timings) {
    auto *watch =
        new RedditMediaWatch(this, limitKey, token, answer.websocketUrl, match, timings, this);
    watch->start(std::move(done));
}

// ---- reading ----

void RedditClient::flairs(const QString &limitKey, const QByteArray &token,
                          const QString &subreddit, Done<QList<Flair>> done) {
    const QString name = RedditSubmission::normaliseSubreddit(subreddit);
    if (!isSubredditName(name)) {
        SubmitError missing;
        missing.code = QStringLiteral("SUBREDDIT_NOEXIST");
        return failLater(this, done, toError(problemForSubmitError(missing, name)));
    }
    Call call;
    call.limitKey = limitKey;
    call.token = token;
    call.method = "GET";
    call.path = QStringLiteral("/r/") + name + QStringLiteral("/api/link_flair_v2");
    call.subreddit = name;
    send(std::move(call), [done, name](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(RedditListing::parseFlairs(200, *body, name));
    });
}

void RedditClient::info(const QString &limitKey, const QByteArray &token,
                        const QStringList &fullnames, Done<QList<PostInfo>> done) {
    if (fullnames.isEmpty() || fullnames.size() > kMaxInfoIds)
        return failLater(this, done,
                         errorFor(LocalFailure::InvalidId,
                                  QStringLiteral("%1 fullnames (1 to 100)").arg(fullnames.size())));
    for (const QString &fullname : fullnames)
        if (!RedditListing::isFullname(fullname))
            return failLater(
                this, done, errorFor(LocalFailure::InvalidId, QStringLiteral("not a t3 fullname")));
    Call call;
    call.limitKey = limitKey;
    call.token = token;
    call.method = "GET";
    call.path = QStringLiteral("/api/info");
    call.query = {{QStringLiteral("id"), fullnames.join(QLatin1Char(','))}};
    send(std::move(call), [done](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        Result<Listing> listing = RedditListing::parseListing(200, *body);
        if (!listing)
            return done(listing.error());
        done(listing->posts);
    });
}

void RedditClient::submission(const QString &limitKey, const QByteArray &token,
                              const QString &fullname, Done<PostInfo> done) {
    info(limitKey, token, {fullname}, [done, fullname](Result<QList<PostInfo>> posts) {
        if (!posts)
            return done(posts.error());
        for (const PostInfo &post : std::as_const(*posts))
            if (post.fullname == fullname)
                return done(post);
        Error missing = toError(problemForHttpStatus(404), 200);
        missing.detail = QStringLiteral("/api/info does not list ") + fullname;
        done(missing);
    });
}

void RedditClient::submitted(const QString &limitKey, const QByteArray &token,
                             const QString &username, int limit, const QString &after,
                             Done<Listing> done) {
    if (!isUsername(username) || (!after.isEmpty() && !RedditListing::isFullname(after)))
        return failLater(this, done, errorFor(LocalFailure::InvalidId, QStringLiteral("username")));
    Call call;
    call.limitKey = limitKey;
    call.token = token;
    call.method = "GET";
    call.path = QStringLiteral("/user/") + username + QStringLiteral("/submitted");
    call.query = {{QStringLiteral("limit"), QString::number(std::clamp(limit, 1, 100))}};
    if (!after.isEmpty())
        call.query.append({QStringLiteral("after"), after});
    send(std::move(call), [done](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(RedditListing::parseListing(200, *body));
    });
}

} // namespace huntaze::reddit
