#include "tiktokclient.h"

#include "net/oneshotbody.h"
#include "oauth/providerclient.h"
#include "tiktokerrors.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace huntaze::tiktok {

namespace {
using namespace std::chrono_literals;
constexpr int kTransferTimeoutMs = 30'000;

QString translate(const char *text) {
    return QCoreApplication::translate("TikTokClient", text);
}

Error transportError(bool isInit, const QString &detail) {
    Error error;
    error.domain = QStringLiteral("tiktok");
    error.retryable = true;
    error.detail = detail;
    if (isInit) {
        // The request may have reached TikTok: never blindly send it again.
        error.code = QStringLiteral("outcome_unknown");
        error.message = translate("The connection to TikTok dropped before it answered; Huntaze "
                                  "checks what TikTok received before trying again.");
    } else {
        error.code = QStringLiteral("unreachable");
        error.message = translate("TikTok could not be reached. Huntaze retries automatically; "
                                  "check your connection if this lasts.");
    }
    return error;
}
} // namespace

TikTokClient::TikTokClient(QUrl apiBase, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_apiBase(std::move(apiBase))
    , m_network(network)
    // TikTok counts calls as they arrive, the limiter as they leave: a second of margin on
    // each window absorbs the trip. Status gets 20 of TikTok's 30 a minute: the relay's
    // poller (tiktokstatuspoller.h) spends up to 10 on the same accounts.
    , m_initLimiter(6, kWindow)
    , m_creatorInfoLimiter(20, kWindow)
    , m_statusLimiter(kStatusCallsPerMinute, kWindow) {}

void TikTokClient::whenAllowed(jobs::SlidingWindowLimiter &limiter, const QString &limitKey,
                               std::function<void()> call) {
    const auto now = jobs::SlidingWindowLimiter::Clock::now();
    const auto wait = limiter.delayFor(limitKey, now);
    if (wait.count() == 0) {
        limiter.record(limitKey, now);
        call();
        return;
    }
    QTimer::singleShot(wait, this, [this, &limiter, limitKey, call = std::move(call)]() mutable {
        whenAllowed(limiter, limitKey, std::move(call));
    });
}

void TikTokClient::post(jobs::SlidingWindowLimiter &limiter, const QString &limitKey,
                        const QByteArray &token, const QString &path, const QJsonObject &body,
                        bool isInit, Answer answer) {
    whenAllowed(limiter, limitKey, [=, this] {
        QNetworkRequest request(oauth::joinUrl(m_apiBase, path));
        request.setTransferTimeout(kTransferTimeoutMs);
        request.setRawHeader("Authorization", "Bearer " + token);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json; charset=UTF-8"));
        const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
        // Never let Qt resend an init on its own (see OneShotBody); the others are safe.
        QNetworkReply *reply = isInit ? net::sendOnce(*m_network, request, "POST", payload)
                                      : m_network->post(request, payload);
        connect(reply, &QNetworkReply::finished, this, [reply, isInit, answer] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0)
                return answer(transportError(isInit, reply->errorString()));
            answer(parseEnvelope(status, reply->read(1 << 20)));
        });
    });
}

void TikTokClient::creatorInfo(const QString &limitKey, const QByteArray &token,
                               Done<CreatorInfo> done) {
    post(m_creatorInfoLimiter, limitKey, token,
         QStringLiteral("/v2/post/publish/creator_info/query/"), {}, false,
         [done](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(parseCreatorInfo(*data));
         });
}

void TikTokClient::initInbox(const QString &limitKey, const QByteArray &token,
                             const VideoSource &source, Done<InitAnswer> done) {
    post(m_initLimiter, limitKey, token, QStringLiteral("/v2/post/publish/inbox/video/init/"),
         {{QStringLiteral("source_info"), sourceInfoJson(source)}}, true,
         [done, upload = !source.pullFromUrl](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(parseInit(*data, upload));
         });
}

void TikTokClient::initDirect(const QString &limitKey, const QByteArray &token,
                              const PostInfo &info, const VideoSource &source,
                              Done<InitAnswer> done) {
    post(m_initLimiter, limitKey, token, QStringLiteral("/v2/post/publish/video/init/"),
         {{QStringLiteral("post_info"), postInfoJson(info, false)},
          {QStringLiteral("source_info"), sourceInfoJson(source)}},
         true, [done, upload = !source.pullFromUrl](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(parseInit(*data, upload));
         });
}

void TikTokClient::initPhoto(const QString &limitKey, const QByteArray &token, bool directPost,
                             const PostInfo &info, const QStringList &photoUrls, int coverIndex,
                             Done<InitAnswer> done) {
    const QJsonObject body{
        {QStringLiteral("media_type"), QStringLiteral("PHOTO")},
        {QStringLiteral("post_mode"),
         directPost ? QStringLiteral("DIRECT_POST") : QStringLiteral("MEDIA_UPLOAD")},
        {QStringLiteral("post_info"), postInfoJson(info, true)},
        {QStringLiteral("source_info"),
         QJsonObject{{QStringLiteral("source"), QStringLiteral("PULL_FROM_URL")},
                     {QStringLiteral("photo_images"), QJsonArray::fromStringList(photoUrls)},
                     {QStringLiteral("photo_cover_index"), coverIndex}}}};
    post(m_initLimiter, limitKey, token, QStringLiteral("/v2/post/publish/content/init/"), body,
         true, [done](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(parseInit(*data, false));
         });
}

void TikTokClient::fetchStatus(const QString &limitKey, const QByteArray &token,
                               const QString &publishId, Done<PublishStatus> done) {
    post(m_statusLimiter, limitKey, token, QStringLiteral("/v2/post/publish/status/fetch/"),
         {{QStringLiteral("publish_id"), publishId}}, false, [done](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(parseStatus(*data));
         });
}

void TikTokClient::cancel(const QString &limitKey, const QByteArray &token,
                          const QString &publishId, Done<bool> done) {
    // Cancel has no documented limit of its own; pace it with status calls.
    post(m_statusLimiter, limitKey, token, QStringLiteral("/v2/post/publish/cancel/"),
         {{QStringLiteral("publish_id"), publishId}}, false, [done](Result<QJsonObject> data) {
             if (!data)
                 return done(data.error());
             done(true);
         });
}

} // namespace huntaze::tiktok
