#include "tiktokpublisher.h"

#include "chunkplan.h"
#include "jobs/backoff.h"
#include "jobs/publicationstore.h"
#include "log/logger.h"
#include "net/accesstokens.h"
#include "tiktokclient.h"
#include "tiktokerrors.h"
#include "tiktokuploader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>

namespace huntaze::tiktok {

namespace {
constexpr qint64 kPollSeconds = 10;             // status: inside this desktop's 20 calls a minute
constexpr qint64 kUploadUrlMarginSeconds = 120; // too close to expiry: start over instead
constexpr int kMaxStartOvers = 3;
const QString kComponent = QStringLiteral("desktop.publish.tiktok");

QString translate(const char *text) {
    return QCoreApplication::translate("TikTokPublisher", text);
}

QString clockTime(const QDateTime &at) {
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

Error queueError(const QString &code, const QString &message) {
    return Error{QStringLiteral("tiktok"), code, message, {}, 0, false, {}};
}
} // namespace

TikTokPublisher::TikTokPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                                 QObject *parent)
    : jobs::PublicationJob(parent)
    , m_id(publicationId)
    , m_services(services) {}

TikTokPublisher::~TikTokPublisher() {
    if (m_uploader)
        m_uploader->disconnect(this);
}

bool TikTokPublisher::directPost() const {
    return m_publication.options.value(QStringLiteral("mode")).toString() ==
           QLatin1String("direct");
}

void TikTokPublisher::done() {
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_id);
}

void TikTokPublisher::run() {
    QPointer self(this);
    m_services.store->load(m_id, [self](Result<std::optional<jobs::Publication>> loaded) {
        if (!self)
            return;
        if (!loaded || !loaded->has_value())
            return self->done();
        self->m_publication = **loaded;
        const QString &state = self->m_publication.state;
        if (state != QLatin1String("queued") && state != QLatin1String("uploading") &&
            state != QLatin1String("processing"))
            return self->done(); // paused, cancelled or settled meanwhile
        self->resumeExisting();
    });
}

void TikTokPublisher::resumeExisting() {
    const jobs::Publication &p = m_publication;
    if (!p.remoteId.isEmpty()) {
        if (p.state == QLatin1String("processing") || p.sourcePath.isEmpty() ||
            p.bytesSent >= p.bytesTotal)
            return poll();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (p.uploadUrl.isValid() && p.uploadUrlExpiresAt.secsTo(now) < -kUploadUrlMarginSeconds)
            return upload(p.bytesSent);
        return startOver(QStringLiteral("upload_url_expired"),
                         translate("The upload link expired while the upload was interrupted; "
                                   "the upload starts over."));
    }
    if (p.initStartedAt.isValid() && !p.sourceUrl.isEmpty()) {
        // A pulled video or photo whose init answer was lost may be on TikTok already.
        return needsAction(queueError(
            QStringLiteral("outcome_unknown"),
            translate("Huntaze lost the connection while TikTok was receiving this post, so "
                      "it may already be in your TikTok inbox or profile. Check TikTok; choose "
                      "Retry only if it is not there.")));
    }
    if (p.initStartedAt.isValid())
        log::info(kComponent, QStringLiteral("init.reconciled_as_not_uploaded"),
                  {{QStringLiteral("correlation_id"), p.correlationId}});
    prepare();
}

void TikTokPublisher::prepare() {
    const jobs::Publication &p = m_publication;
    if (p.kind == QLatin1String("video") && !p.sourcePath.isEmpty()) {
        const QFileInfo file(p.sourcePath);
        if (!file.isFile() || file.size() != p.bytesTotal)
            return needsAction(queueError(
                QStringLiteral("file_changed"),
                translate("The video file was moved, changed or deleted since it was queued. "
                          "Add it to the queue again.")));
    }
    checkQuota([this] { directPostChecks([this] { init(); }); });
}

void TikTokPublisher::checkQuota(std::function<void()> next) {
    if (directPost() || m_publication.kind == QLatin1String("photo"))
        return next();
    QPointer self(this);
    m_services.store->tiktokPendingShares(
        m_publication.accountId,
        [self, next](Result<jobs::PublicationStore::PendingShares> shares) {
            if (!self)
                return;
            if (!shares)
                return self->fail(shares.error(), Stage::Prepare);
            if (shares->pending < 5)
                return next();
            const qint64 wait =
                std::max<qint64>(60, QDateTime::currentDateTimeUtc().secsTo(shares->nextFreesAt));
            Error error = toError(problemForApiError(
                QStringLiteral("spam_risk_too_many_pending_share"), 403, QString()));
            error.message = translate("%1 of 5 inbox uploads are waiting in your TikTok inbox "
                                      "(the limit for 24 hours). Post or delete one in TikTok, or "
                                      "Huntaze sends this one at %2 when the oldest frees up.")
                                .arg(shares->pending)
                                .arg(clockTime(shares->nextFreesAt));
            self->waitThenRetry(error, Stage::Prepare, wait);
        });
}

void TikTokPublisher::directPostChecks(std::function<void()> next) {
    if (!directPost())
        return next();
    withToken([this, next](const QByteArray &token) {
        QPointer self(this);
        m_services.tiktok->creatorInfo(limitKey(), token, [self, next](Result<CreatorInfo> info) {
            if (!self)
                return;
            if (!info)
                return self->fail(info.error(), Stage::Prepare);
            const QJsonObject &options = self->m_publication.options;
            const QString privacy = options.value(QStringLiteral("privacy_level")).toString();
            if (!info->privacyLevelOptions.contains(privacy))
                return self->needsAction(queueError(
                    QStringLiteral("privacy_level_option_mismatch"),
                    translate("This account cannot post with the visibility chosen (%1). Choose "
                              "one of: %2.")
                        .arg(privacy, info->privacyLevelOptions.join(QStringLiteral(", ")))));
            const qint64 durationMs = options.value(QStringLiteral("duration_ms")).toInteger();
            if (info->maxVideoPostDurationSec > 0 &&
                durationMs > qint64(info->maxVideoPostDurationSec) * 1000)
                return self->needsAction(queueError(
                    QStringLiteral("duration_check_failed"),
                    translate("This account can post videos of at most %1 seconds; this one "
                              "is %2 seconds. Trim it or send it to the inbox instead.")
                        .arg(info->maxVideoPostDurationSec)
                        .arg(durationMs / 1000)));
            next();
        });
    });
}

void TikTokPublisher::init() {
    QPointer self(this);
    m_services.store->markInitStarting(m_id, [self](Result<bool> marked) {
        if (!self)
            return;
        if (!marked)
            return self->fail(marked.error(), Stage::Init);
        if (!*marked)
            return self->done(); // paused or cancelled meanwhile: nothing was sent
        self->withToken([self](const QByteArray &token) {
            const jobs::Publication &p = self->m_publication;
            const QJsonObject &o = p.options;
            const bool fromFile = !p.sourcePath.isEmpty();
            auto plan =
                fromFile ? ChunkPlan::forSize(p.bytesTotal) : Result<ChunkPlan>(ChunkPlan{});
            if (!plan)
                return self->needsAction(plan.error());
            const auto recorded = [self, fromFile,
                                   chunk = plan->chunkSize](Result<InitAnswer> answer) {
                if (!self)
                    return;
                if (!answer) {
                    if (answer.error().code == QLatin1String("outcome_unknown"))
                        return self->fail(answer.error(), Stage::Init);
                    // A definite refusal: nothing was created, init may be sent again.
                    self->m_services.store->clearInitStarted(
                        self->m_id, [self, error = answer.error()](Result<bool>) {
                            if (self)
                                self->fail(error, Stage::Init);
                        });
                    return;
                }
                const jobs::Publication &row = self->m_publication;
                const QString mode = row.kind == QLatin1String("photo") ? QStringLiteral("photo")
                                     : self->directPost()               ? QStringLiteral("direct")
                                                                        : QStringLiteral("inbox");
                log::info(kComponent, QStringLiteral("init.ok"),
                          {{QStringLiteral("correlation_id"), row.correlationId},
                           {QStringLiteral("publish_id"), answer->publishId}});
                self->m_services.store->recordTikTokInit(
                    row, answer->publishId, answer->uploadUrl.toString(), mode,
                    fromFile ? QStringLiteral("FILE_UPLOAD") : QStringLiteral("PULL_FROM_URL"),
                    chunk, [self, answer = *answer, fromFile](Result<bool> stored) {
                        if (!self)
                            return;
                        if (!stored) // the post exists on TikTok: keep the unknown-outcome mark
                            return self->fail(stored.error(), Stage::Init);
                        self->m_publication.remoteId = answer.publishId;
                        self->m_publication.uploadUrl = answer.uploadUrl;
                        if (fromFile && !self->m_stopped)
                            return self->upload(0);
                        self->done();
                    });
            };
            PostInfo post;
            post.title = p.caption;
            post.privacyLevel = o.value(QStringLiteral("privacy_level")).toString();
            post.disableComment = o.value(QStringLiteral("disable_comment")).toBool();
            post.disableDuet = o.value(QStringLiteral("disable_duet")).toBool();
            post.disableStitch = o.value(QStringLiteral("disable_stitch")).toBool();
            if (p.kind == QLatin1String("photo")) {
                post.title = o.value(QStringLiteral("title")).toString();
                post.description = p.caption;
                QStringList urls;
                for (const QJsonValue &url : o.value(QStringLiteral("photo_urls")).toArray())
                    urls.append(url.toString());
                return self->m_services.tiktok->initPhoto(
                    self->limitKey(), token, self->directPost(), post, urls,
                    o.value(QStringLiteral("photo_cover_index")).toInt(), recorded);
            }
            VideoSource source;
            source.pullFromUrl = !fromFile;
            source.videoUrl = p.sourceUrl;
            source.videoSize = plan->videoSize;
            source.chunkSize = plan->chunkSize;
            source.totalChunkCount = plan->chunkCount;
            if (self->directPost())
                self->m_services.tiktok->initDirect(self->limitKey(), token, post, source,
                                                    recorded);
            else
                self->m_services.tiktok->initInbox(self->limitKey(), token, source, recorded);
        });
    });
}

void TikTokPublisher::upload(qint64 resumeFrom) {
    const jobs::Publication &p = m_publication;
    auto plan = ChunkPlan::forSize(
        p.bytesTotal,
        p.options.value(QStringLiteral("chunk_size")).toInteger(ChunkPlan::kDefaultChunk));
    if (!plan)
        return needsAction(plan.error());
    UploadTarget target{p.uploadUrl, p.sourcePath, *plan,
                        p.options.value(QStringLiteral("content_type"))
                            .toString(QStringLiteral("video/mp4"))
                            .toLatin1()};
    m_uploader = new TikTokUploader(this);
    connect(m_uploader, &TikTokUploader::progress, this,
            [this](qint64 sent, qint64 total, double speed) {
                Q_EMIT progress(m_id, sent, total, speed);
            });
    connect(m_uploader, &TikTokUploader::acknowledged, this, [this](qint64 received) {
        m_publication.bytesSent = received;
        m_services.store->recordProgress(m_id, received);
    });
    connect(m_uploader, &TikTokUploader::finished, this, [this](const Result<void> &outcome) {
        m_uploader->deleteLater();
        if (outcome.ok()) {
            log::info(kComponent, QStringLiteral("upload.complete"),
                      {{QStringLiteral("correlation_id"), m_publication.correlationId},
                       {QStringLiteral("publish_id"), m_publication.remoteId}});
            QPointer self(this);
            return m_services.store->setState(m_id, QStringLiteral("processing"), {}, {}, 3,
                                              [self](Result<bool>) {
                                                  if (self)
                                                      self->done();
                                              });
        }
        const QString code = outcome.error().code;
        if (code == QLatin1String("paused") || code == QLatin1String("cancelled"))
            return done();
        if (code == QLatin1String("file_changed"))
            return needsAction(outcome.error());
        if (outcome.error().retryable)
            return fail(outcome.error(), Stage::Upload);
        startOver(code, outcome.error().message); // expired link, unknown upload, out of step
    });
    log::info(kComponent, QStringLiteral("upload.start"),
              {{QStringLiteral("correlation_id"), p.correlationId},
               {QStringLiteral("publish_id"), p.remoteId},
               {QStringLiteral("resume_from"), resumeFrom}});
    m_uploader->start(target, resumeFrom);
}

void TikTokPublisher::startOver(const QString &code, const QString &message) {
    const QString abandoned = m_publication.remoteId;
    if (m_publication.attempts >= kMaxStartOvers)
        return needsAction(queueError(code, message + QLatin1Char(' ') +
                                                translate("It failed several times: choose "
                                                          "Retry to try again.")));
    log::warning(kComponent, QStringLiteral("upload.start_over"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("publish_id"), abandoned},
                  {QStringLiteral("reason"), code}});
    QPointer self(this);
    // The abandoned publish_id never got all its bytes, so it can never go live; cancel it
    // anyway (best effort) so it stops counting as a pending share.
    m_services.store->recordTikTokStatus(abandoned, QStringLiteral("FAILED"),
                                         QStringLiteral("upload_abandoned"), {}, 0, {});
    withToken([self, abandoned](const QByteArray &token) {
        self->m_services.tiktok->cancel(self->limitKey(), token, abandoned, [](Result<bool>) {});
    });
    m_services.store->resetToQueued(m_id, code, message, [self](Result<bool>) {
        if (self)
            self->done(); // the queue picks it up again at once, with a new init
    });
}

void TikTokPublisher::poll() {
    withToken([this](const QByteArray &token) {
        QPointer self(this);
        m_services.tiktok->fetchStatus(limitKey(), token, m_publication.remoteId,
                                       [self](Result<PublishStatus> status) {
                                           if (!self)
                                               return;
                                           if (!status)
                                               return self->fail(status.error(), Stage::Poll);
                                           self->onStatus(*status);
                                       });
    });
}

void TikTokPublisher::onStatus(const PublishStatus &status) {
    QPointer self(this);
    const auto finish = [self](Result<bool>) {
        if (self)
            self->done();
    };
    const QString postId = status.postIds.value(0);
    m_services.store->recordTikTokStatus(m_publication.remoteId, status.status, status.failReason,
                                         postId, status.uploadedBytes, {});
    if (status.status == QLatin1String("SEND_TO_USER_INBOX"))
        return m_services.store->markPublished(
            m_id, {}, translate("In your TikTok inbox: open TikTok to edit and post it."), finish);
    if (status.status == QLatin1String("PUBLISH_COMPLETE")) {
        const QString user = m_publication.options.value(QStringLiteral("username")).toString();
        const QString link =
            postId.isEmpty() || user.isEmpty()
                ? QString()
                : QStringLiteral("https://www.tiktok.com/@%1/video/%2").arg(user, postId);
        return m_services.store->markPublished(m_id, link, {}, finish);
    }
    if (status.status == QLatin1String("FAILED")) {
        const Problem problem = problemForFailReason(status.failReason);
        log::warning(kComponent, QStringLiteral("publish.failed"),
                     {{QStringLiteral("correlation_id"), m_publication.correlationId},
                      {QStringLiteral("publish_id"), m_publication.remoteId},
                      {QStringLiteral("fail_reason"), problem.code}});
        return m_services.store->setState(m_id, QStringLiteral("failed"), problem.code,
                                          problem.message, std::nullopt, finish);
    }
    // Still processing: look again soon (the webhook may well arrive first).
    m_services.store->setState(m_id, QStringLiteral("processing"), {}, {}, kPollSeconds, finish);
}

void TikTokPublisher::withToken(std::function<void(const QByteArray &)> use) {
    QPointer self(this);
    m_services.tokens->get(m_publication.accountId, false, [self, use](Result<QByteArray> token) {
        if (!self)
            return;
        if (!token)
            return self->fail(token.error(), Stage::Prepare);
        self->m_retryAfterRefresh = [self, use] {
            self->m_services.tokens->get(self->m_publication.accountId, true,
                                         [self, use](Result<QByteArray> fresh) {
                                             if (!self)
                                                 return;
                                             if (!fresh)
                                                 return self->fail(fresh.error(), Stage::Prepare);
                                             use(*fresh);
                                         });
        };
        use(*token);
    });
}

void TikTokPublisher::fail(const Error &error, Stage stage) {
    if (m_stopped)
        return done();
    if (error.domain == QLatin1String("relay")) {
        if (error.code == QLatin1String("needs_reconnect") || error.httpStatus == 409 ||
            error.httpStatus == 401 || error.httpStatus == 404)
            return needsAction(error);
        return waitThenRetry(error, stage, jobs::backoffSeconds(m_publication.attempts));
    }
    const Problem problem = problemForApiError(error.code, error.httpStatus, QString());
    switch (problem.action) {
    case Action::RefreshAndRetry:
        if (!m_refreshed && m_retryAfterRefresh) {
            m_refreshed = true;
            m_services.tokens->forget(m_publication.accountId);
            log::info(kComponent, QStringLiteral("token.refresh_and_retry"),
                      {{QStringLiteral("correlation_id"), m_publication.correlationId}});
            return m_retryAfterRefresh();
        }
        return needsAction(
            toError(problemForApiError(QStringLiteral("scope_not_authorized"), 401, QString())));
    case Action::WaitThenRetry:
        if (error.code == QLatin1String("spam_risk_too_many_pending_share"))
            return checkQuota([this, error] { waitThenRetry(error, Stage::Prepare, 3600); });
        return waitThenRetry(error, stage,
                             error.code == QLatin1String("rate_limit_exceeded") ? 60 : 3600);
    case Action::RetryWithBackoff:
        return waitThenRetry(error, stage, jobs::backoffSeconds(m_publication.attempts));
    default:
        if (error.code == QLatin1String("outcome_unknown"))
            return waitThenRetry(error, stage, jobs::backoffSeconds(m_publication.attempts));
        return needsAction(error);
    }
}

void TikTokPublisher::waitThenRetry(const Error &error, Stage stage, qint64 seconds) {
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(seconds);
    QString message = error.message;
    if (!message.contains(clockTime(at)))
        message += QLatin1Char(' ') + translate("Next try at %1.").arg(clockTime(at));
    log::info(kComponent, QStringLiteral("retry_scheduled"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("error_code"), error.code},
               {QStringLiteral("seconds"), seconds}});
    QPointer self(this);
    // Without a publish_id the row goes back to queued (init runs again), except after an
    // init whose answer was lost: "uploading" with init_started_at set makes the next run
    // reconcile it. With a publish_id the row keeps following that post.
    const jobs::Publication &p = m_publication;
    QString state = QStringLiteral("queued");
    if (!p.remoteId.isEmpty())
        state = p.sourcePath.isEmpty() || p.bytesSent >= p.bytesTotal ? QStringLiteral("processing")
                                                                      : QStringLiteral("uploading");
    else if (stage == Stage::Init && error.code == QLatin1String("outcome_unknown"))
        state = QStringLiteral("uploading");
    m_services.store->setState(m_id, state, error.code, message, seconds, [self](Result<bool>) {
        if (self)
            self->done();
    });
}

void TikTokPublisher::needsAction(const Error &error) {
    log::warning(kComponent, QStringLiteral("needs_action"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("error_code"), error.code}});
    QPointer self(this);
    m_services.store->setState(m_id, QStringLiteral("needs_action"), error.code, error.message,
                               std::nullopt, [self](Result<bool>) {
                                   if (self)
                                       self->done();
                               });
}

void TikTokPublisher::pause() {
    m_stopped = true;
    if (m_uploader)
        m_uploader->pause();
    else
        done();
}

void TikTokPublisher::cancel() {
    m_stopped = true;
    if (m_uploader)
        m_uploader->cancel();
    withdraw(m_services, m_publication);
    done();
}

void TikTokPublisher::withdraw(const jobs::PublishingServices &services,
                               const jobs::Publication &publication) {
    if (publication.remoteId.isEmpty())
        return;
    // Withdraw what TikTok holds (best effort): an unfinished upload never goes live, and
    // one being processed is stopped if TikTok still allows it.
    const QString publishId = publication.remoteId;
    services.store->recordTikTokStatus(publishId, QStringLiteral("FAILED"),
                                       QStringLiteral("publish_cancelled"), {}, 0, {});
    services.tokens->get(publication.accountId, false,
                         [services, publishId,
                          key = QString::number(publication.accountId)](Result<QByteArray> token) {
                             if (token)
                                 services.tiktok->cancel(key, *token, publishId,
                                                         [](Result<bool>) {});
                         });
}

} // namespace huntaze::tiktok
