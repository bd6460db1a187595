#include "xpublisher.h"

#include "jobs/backoff.h"
#include "jobs/publicationstore.h"
#include "log/logger.h"
#include "media/mediaprobe.h"
#include "net/accesstokens.h"
#include "xclient.h"
#include "xerrors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QThreadPool>
#include <QTimer>

namespace huntaze::x {

namespace {
const QString kComponent = QStringLiteral("desktop.publish.x");
constexpr int kMaxRecordAttempts = 5;

QString translate(const char *text) {
    return QCoreApplication::translate("XPublisher", text);
}

QString clockTime(const QDateTime &at) {
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

Error queueError(const QString &code, const QString &message, bool retryable = false) {
    return Error{QStringLiteral("x"), code, message, {}, 0, retryable, {}};
}

qint64 nowEpoch() {
    return QDateTime::currentSecsSinceEpoch();
}

// The queue's part of xerrors.h's Actions, from the codes the client and the uploader
// return (an Error keeps the code, not the Action). Anything not named here is decided by
// Error::retryable: back off, or hand it to the creator.
Action actionFor(const QString &code) {
    static const QHash<QString, Action> actions = {
        {QStringLiteral("token_invalid"), Action::RefreshAndRetry},
        {QStringLiteral("oauth_refused"), Action::Reconnect},
        {QStringLiteral("missing_scope"), Action::Reconnect},
        {QStringLiteral("rate_limited"), Action::WaitUntil},
        {QStringLiteral("daily_post_cap_user"), Action::WaitUntil},
        {QStringLiteral("daily_post_cap_app"), Action::WaitUntil},
        {QStringLiteral("usage_capped"), Action::WaitUntil},
        {QStringLiteral("media_ids_invalid"), Action::UploadAgain},
        {QStringLiteral("upload_expired"), Action::UploadAgain},
        {QStringLiteral("upload_out_of_step"), Action::UploadAgain},
        {QStringLiteral("invalid_id"), Action::UploadAgain},
    };
    return actions.value(code, Action::None);
}

// Local problems with a file: the creator must change it; its upload (if any) is dropped.
bool isFileProblem(const QString &code) {
    return code.startsWith(QLatin1String("media_")) || code == QLatin1String("file_changed") ||
           code == QLatin1String("video_rejected");
}

std::optional<ReplySettings> replySettingsFrom(const QString &name) {
    for (ReplySettings s :
         {ReplySettings::Everyone, ReplySettings::Following, ReplySettings::MentionedUsers,
          ReplySettings::Subscribers, ReplySettings::Verified})
        if (replySettingsName(s) == name)
            return s;
    return std::nullopt;
}

} // namespace

qint64 XPostPlan::totalBytes() const {
    qint64 total = 0;
    for (const MediaFile &file : files)
        total += file.size;
    return total;
}

Result<XPostPlan> xPostPlan(const jobs::Publication &p) {
    const QJsonObject options = p.options.value(QStringLiteral("x")).toObject();
    XPostPlan plan;
    plan.text = p.caption;
    const QString reply = options.value(QStringLiteral("reply_settings")).toString();
    const auto settings = replySettingsFrom(reply);
    if (!settings)
        return queueError(QStringLiteral("invalid_post"),
                          translate("\"%1\" is not a choice X offers for who can reply. Choose "
                                    "everyone, people you follow, people you mention, "
                                    "subscribers or verified accounts.")
                              .arg(cleanPlatformText(reply, 40)));
    plan.replySettings = *settings;

    QStringList paths;
    std::optional<MediaCategory> wanted;
    if (p.kind == QLatin1String("images")) {
        const QJsonArray images = options.value(QStringLiteral("images")).toArray();
        if (images.isEmpty() || images.size() > 4)
            return queueError(QStringLiteral("media_combination"),
                              translate("An X post takes 1 to 4 photos; this one has %1. Choose "
                                        "up to 4, then post again.")
                                  .arg(images.size()));
        for (const QJsonValue &image : images) {
            if (!image.isString() || image.toString().isEmpty())
                return queueError(QStringLiteral("media_unreadable"),
                                  translate("A photo of this post has no file. Choose the "
                                            "photos again, then post."));
            paths.append(image.toString());
        }
        wanted = MediaCategory::Image;
    } else if (p.kind == QLatin1String("gif") || p.kind == QLatin1String("video")) {
        if (p.sourcePath.isEmpty())
            return queueError(QStringLiteral("media_unreadable"),
                              translate("This post has no file. Choose the GIF or video, then "
                                        "post again."));
        paths.append(p.sourcePath);
        wanted = p.kind == QLatin1String("gif") ? MediaCategory::Gif : MediaCategory::Video;
    } else if (p.kind != QLatin1String("text")) {
        return queueError(QStringLiteral("invalid_post"),
                          translate("X posts are text, photos, a GIF or a video; this one is "
                                    "\"%1\". Create the post again.")
                              .arg(cleanPlatformText(p.kind, 40)));
    }

    QList<MediaCategory> categories;
    PostRequest request;
    request.text = plan.text;
    request.replySettings = plan.replySettings;
    for (const QString &path : paths) {
        Result<MediaFile> file = describeMediaFile(path);
        if (!file) {
            Error error = file.error();
            error.message = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), error.message);
            return error;
        }
        if (file->category != *wanted)
            return queueError(
                QStringLiteral("media_type_unsupported"),
                translate("%1 is not %2. Choose a file of that kind, then post again.")
                    .arg(QFileInfo(path).fileName(),
                         *wanted == MediaCategory::Image ? translate("a photo (JPEG, PNG or WebP)")
                         : *wanted == MediaCategory::Gif ? translate("a GIF")
                                                         : translate("an MP4 or MOV video")));
        categories.append(file->category);
        plan.files.append(*file);
        request.mediaIds.append(QStringLiteral("1")); // stands in for the ids to come
    }
    if (Result<void> set = checkMediaSet(categories); !set)
        return set.error();
    // X's text and combination rules, checked before a single byte is uploaded.
    if (Result<QJsonObject> body = postJson(request); !body)
        return body.error();
    return plan;
}

XPublisher::XPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                       QObject *parent)
    : jobs::PublicationJob(parent)
    , m_id(publicationId)
    , m_services(services) {}

XPublisher::~XPublisher() {
    if (m_uploader)
        m_uploader->disconnect(this);
}

void XPublisher::done() {
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_id);
}

QJsonObject XPublisher::checkpointOf(int index) const {
    return m_publication.options.value(QStringLiteral("x_media"))
        .toObject()
        .value(QString::number(index))
        .toObject();
}

bool XPublisher::isReady(int index) const {
    const QJsonObject c = checkpointOf(index);
    const qint64 expires = c.value(QStringLiteral("expires_at")).toInteger();
    return c.value(QStringLiteral("ready")).toBool() &&
           isXId(c.value(QStringLiteral("media_id")).toString()) &&
           c.value(QStringLiteral("bytes")).toInteger() == m_plan.files.at(index).size &&
           (expires == 0 || expires > nowEpoch() + kMediaMarginSeconds);
}

qint64 XPublisher::bytesDone(int index, qint64 inFile) const {
    qint64 sent = inFile;
    for (int i = 0; i < index && i < m_plan.files.size(); ++i)
        sent += m_plan.files.at(i).size;
    return sent;
}

QString XPublisher::stateNow() const {
    for (int i = 0; i < m_plan.files.size(); ++i)
        if (!checkpointOf(i).isEmpty() && !isReady(i))
            return QStringLiteral("uploading");
    return QStringLiteral("queued");
}

void XPublisher::run() {
    QPointer self(this);
    m_services.store->load(m_id, [self](Result<std::optional<jobs::Publication>> loaded) {
        if (!self)
            return;
        if (!loaded || !loaded->has_value())
            return self->done();
        self->m_publication = **loaded;
        const jobs::Publication &p = self->m_publication;
        if (p.state != QLatin1String("queued") && p.state != QLatin1String("uploading") &&
            p.state != QLatin1String("processing"))
            return self->done();   // paused, cancelled or settled meanwhile
        if (!p.remoteId.isEmpty()) // posted, and its settling was interrupted
            return self->published(p.remoteId, p.caption);
        if (p.initStartedAt.isValid()) // a create call went out and its answer is not known
            return self->unconfirmed();
        Result<XPostPlan> plan = xPostPlan(p);
        if (!plan)
            return self->needsAction(plan.error());
        self->m_plan = *plan;
        self->checkVideo([self] {
            if (self)
                self->uploadNext();
        });
    });
}

void XPublisher::checkVideo(std::function<void()> next) {
    // Probed once, before its upload starts (probing reads the file: off this thread).
    int video = -1;
    for (int i = 0; i < m_plan.files.size(); ++i)
        if (m_plan.files.at(i).category == MediaCategory::Video && checkpointOf(i).isEmpty())
            video = i;
    if (video < 0)
        return next();
    QPointer self(this);
    const QString path = m_plan.files.at(video).path;
    QThreadPool::globalInstance()->start([self, path, next] {
        Result<media::MediaInfo> info = media::probeMedia(path);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, info = std::move(info), path, next] {
                if (!self)
                    return;
                if (self->m_stopped)
                    return self->done();
                if (!info)
                    return self->needsAction(queueError(
                        QStringLiteral("video_rejected"),
                        translate("Huntaze cannot read %1 as a video (%2). Choose another file, "
                                  "then post again.")
                            .arg(QFileInfo(path).fileName(), info.error().message)));
                if (const QStringList problems = x::checkVideo(*info); !problems.isEmpty())
                    return self->needsAction(queueError(QStringLiteral("video_rejected"),
                                                        translate("X will not take this video: %1")
                                                            .arg(problems.join(QLatin1Char(' ')))));
                next();
            },
            Qt::QueuedConnection);
    });
}

void XPublisher::uploadNext() {
    if (m_stopped)
        return done();
    for (int i = 0; i < m_plan.files.size(); ++i)
        if (!isReady(i))
            return uploadFile(i);
    post();
}

void XPublisher::uploadFile(int index) {
    const MediaFile file = m_plan.files.at(index);
    const QJsonObject c = checkpointOf(index);
    if (!c.isEmpty() && c.value(QStringLiteral("bytes")).toInteger() != file.size)
        return forgetFile(index, [this, file] {
            needsAction(queueError(QStringLiteral("file_changed"),
                                   translate("%1 changed since its upload began. Choose Retry to "
                                             "upload it again as it is now.")
                                       .arg(QFileInfo(file.path).fileName())));
        });
    // A file whose finished upload X is about to forget is sent again from the start.
    UploadCheckpoint resume;
    if (!c.isEmpty() && !c.value(QStringLiteral("ready")).toBool()) {
        resume.mediaId = c.value(QStringLiteral("media_id")).toString();
        resume.segmentsSent = c.value(QStringLiteral("segments_sent")).toInt();
        resume.expiresAtEpoch = c.value(QStringLiteral("expires_at")).toInteger();
    }
    m_retryAfterRefresh = [this, index] { uploadFile(index); };
    withToken([this, index, file, resume](const QByteArray &token) {
        if (m_stopped)
            return done();
        if (m_bytesAtStart < 0) {
            m_bytesAtStart = bytesDone(index, std::min(file.size, qint64(resume.segmentsSent) *
                                                                      SegmentPlan::kSegmentBytes));
            m_clock.start();
        }
        log::info(kComponent, QStringLiteral("upload.start"),
                  {{QStringLiteral("correlation_id"), m_publication.correlationId},
                   {QStringLiteral("index"), index},
                   {QStringLiteral("media_id"), resume.mediaId},
                   {QStringLiteral("resume_segment"), resume.segmentsSent}});
        m_uploader = new XMediaUploader(m_services.x, this);
        connect(m_uploader, &XMediaUploader::progress, this,
                [this, index](const UploadProgress &p) {
                    const qint64 sent = bytesDone(index, p.sentBytes);
                    const qint64 elapsed = std::max<qint64>(1, m_clock.elapsed());
                    Q_EMIT progress(m_id, sent, m_plan.totalBytes(),
                                    double(std::max<qint64>(0, sent - m_bytesAtStart)) * 1000.0 /
                                        double(elapsed));
                });
        connect(
            m_uploader, &XMediaUploader::checkpoint, this,
            [this, index](const UploadCheckpoint &checkpoint) { onCheckpoint(index, checkpoint); });
        connect(
            m_uploader, &XMediaUploader::finished, this,
            [this, index](const Result<UploadedMedia> &outcome) { onUploaded(index, outcome); });
        m_uploader->start(account(), token, file, resume);
    });
}

void XPublisher::onCheckpoint(int index, const UploadCheckpoint &checkpoint) {
    const MediaFile &file = m_plan.files.at(index);
    const QJsonObject c{{QStringLiteral("media_id"), checkpoint.mediaId},
                        {QStringLiteral("segments_sent"), checkpoint.segmentsSent},
                        {QStringLiteral("expires_at"), checkpoint.expiresAtEpoch},
                        {QStringLiteral("bytes"), file.size}};
    QJsonObject media = m_publication.options.value(QStringLiteral("x_media")).toObject();
    media.insert(QString::number(index), c);
    m_publication.options.insert(QStringLiteral("x_media"), media);
    const qint64 sent = bytesDone(
        index, std::min(file.size, qint64(checkpoint.segmentsSent) * SegmentPlan::kSegmentBytes));
    m_publication.bytesSent = sent;
    m_services.store->recordXMediaCheckpoint(m_id, index, c, sent, {});
    m_services.store->recordProgress(m_id, sent);
}

void XPublisher::onUploaded(int index, const Result<UploadedMedia> &outcome) {
    if (m_uploader) {
        m_uploader->disconnect(this);
        m_uploader->deleteLater();
    }
    m_uploader.clear();
    if (!outcome) {
        const Error &error = outcome.error();
        if (error.code == QLatin1String("cancelled"))
            return done(); // paused or cancelled: the checkpoint says where to go on
        log::warning(kComponent, QStringLiteral("upload.failed"),
                     {{QStringLiteral("correlation_id"), m_publication.correlationId},
                      {QStringLiteral("index"), index},
                      {QStringLiteral("error_code"), error.code}});
        if (isFileProblem(error.code))
            return forgetFile(index, [this, error] { needsAction(error); });
        if (actionFor(error.code) == Action::UploadAgain)
            return startOver(error);
        return fail(error);
    }
    log::info(kComponent, QStringLiteral("upload.complete"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("index"), index},
               {QStringLiteral("media_id"), outcome->mediaId}});
    QJsonObject c = checkpointOf(index);
    c.insert(QStringLiteral("media_id"), outcome->mediaId);
    c.insert(QStringLiteral("ready"), true);
    c.insert(QStringLiteral("bytes"), outcome->size);
    QJsonObject media = m_publication.options.value(QStringLiteral("x_media")).toObject();
    media.insert(QString::number(index), c);
    m_publication.options.insert(QStringLiteral("x_media"), media);
    const qint64 sent = bytesDone(index + 1, 0);
    QPointer self(this);
    m_services.store->recordXMediaCheckpoint(m_id, index, c, sent, [self](Result<bool> stored) {
        if (!self)
            return;
        if (!stored)
            return self->fail(stored.error());
        self->uploadNext();
    });
    m_services.store->recordProgress(m_id, sent);
}

void XPublisher::forgetFile(int index, std::function<void()> next) {
    QJsonObject media = m_publication.options.value(QStringLiteral("x_media")).toObject();
    media.insert(QString::number(index), QJsonObject());
    m_publication.options.insert(QStringLiteral("x_media"), media);
    QPointer self(this);
    m_services.store->recordXMediaCheckpoint(m_id, index, QJsonObject(), bytesDone(index, 0),
                                             [self, next](Result<bool>) {
                                                 if (self)
                                                     next();
                                             });
}

void XPublisher::startOver(const Error &error) {
    // X forgot the media (expired, or out of step with what Huntaze sent): upload again.
    if (++m_startOvers > kMaxStartOvers)
        return needsAction(queueError(error.code, error.message + QLatin1Char(' ') +
                                                      translate("It failed several times: "
                                                                "choose Retry to try again.")));
    log::warning(kComponent, QStringLiteral("upload.start_over"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("reason"), error.code}});
    m_publication.options.remove(QStringLiteral("x_media"));
    QPointer self(this);
    m_services.store->forgetXMedia(m_id, [self](Result<bool> forgotten) {
        if (!self)
            return;
        if (!forgotten)
            return self->fail(forgotten.error());
        self->uploadNext();
    });
}

void XPublisher::post() {
    if (m_stopped)
        return done();
    m_retryAfterRefresh = [this] { post(); };
    // The token first: init_started_at is set only right before the call goes out.
    withToken([this](const QByteArray &token) {
        QPointer self(this);
        m_services.store->markInitStarting(m_id, [self, token](Result<bool> marked) {
            if (!self)
                return;
            if (!marked)
                return self->fail(marked.error());
            if (!*marked || self->m_stopped)
                return self->done(); // paused or cancelled meanwhile: nothing was sent
            PostRequest request;
            request.text = self->m_plan.text;
            request.replySettings = self->m_plan.replySettings;
            for (int i = 0; i < self->m_plan.files.size(); ++i)
                request.mediaIds.append(
                    self->checkpointOf(i).value(QStringLiteral("media_id")).toString());
            self->m_posting = true;
            log::info(kComponent, QStringLiteral("post.sending"),
                      {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                       {QStringLiteral("media"), int(request.mediaIds.size())}});
            self->m_services.x->createPost(
                self->account(), token, request, [self](Result<PostAnswer> answer) {
                    if (!self)
                        return;
                    self->m_posting = false;
                    if (answer)
                        return self->published(
                            answer->id, answer->text.isEmpty() ? self->m_plan.text : answer->text);
                    const Error error = answer.error();
                    if (error.code == QLatin1String("outcome_unknown"))
                        return self->unconfirmed();
                    // X answered, so it certainly did not post: a later run may send again.
                    self->m_services.store->clearInitStarted(
                        self->m_id, [self, error](Result<bool>) {
                            if (!self)
                                return;
                            self->m_publication.initStartedAt = {};
                            if (actionFor(error.code) == Action::UploadAgain)
                                return self->startOver(error);
                            self->fail(error);
                        });
                });
        });
    });
}

void XPublisher::published(const QString &postId, const QString &text) {
    log::info(kComponent, QStringLiteral("post.published"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("post_id"), postId}});
    QPointer self(this);
    m_services.store->accountUsername(m_publication.accountId, [self, postId,
                                                                text](Result<QString> name) {
        if (self)
            self->recordPublished(postId, text, postPermalink(name ? *name : QString(), postId), 1);
    });
}

void XPublisher::recordPublished(const QString &postId, const QString &text,
                                 const QString &permalink, int attempt) {
    QPointer self(this);
    m_services.store->recordXPublished(
        m_publication, postId, text, permalink, {},
        [self, postId, text, permalink, attempt](Result<bool> stored) {
            if (!self)
                return;
            if (stored)
                return self->done();
            if (attempt < kMaxRecordAttempts) // the post is on X: worth a few tries
                return QTimer::singleShot(2000, self, [self, postId, text, permalink, attempt] {
                    if (self)
                        self->recordPublished(postId, text, permalink, attempt + 1);
                });
            // The next run finds init_started_at set and asks the creator to check.
            log::error(kComponent, QStringLiteral("post.not_recorded"),
                       {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                        {QStringLiteral("post_id"), postId},
                        {QStringLiteral("error_code"), stored.error().code}});
            self->done();
        });
}

void XPublisher::unconfirmed() {
    log::warning(kComponent, QStringLiteral("post.unconfirmed"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId}});
    QPointer self(this);
    m_services.store->recordXUnconfirmed(
        m_id,
        translate("X did not confirm the post; check your profile before posting again. If the "
                  "post is not there, choose Retry."),
        [self](Result<bool>) {
            if (self)
                self->done();
        });
}

void XPublisher::withToken(std::function<void(const QByteArray &)> use) {
    QPointer self(this);
    // Once X refused a token, the relay is asked for a renewed one (once).
    const bool renew = std::exchange(m_renewToken, false);
    m_services.tokens->get(m_publication.accountId, renew, [self, use](Result<QByteArray> token) {
        if (!self)
            return;
        if (!token)
            return self->fail(token.error());
        use(*token);
    });
}

void XPublisher::fail(const Error &error) {
    if (m_stopped)
        return done();
    if (error.domain == QLatin1String("relay")) {
        if (error.code == QLatin1String("needs_reconnect") || error.httpStatus == 409 ||
            error.httpStatus == 401 || error.httpStatus == 404)
            return needsAction(
                queueError(error.code, error.message + QLatin1Char(' ') +
                                           translate("Reconnect your X account in Accounts, "
                                                     "then choose Retry on this post.")));
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    }
    if (error.domain != QLatin1String("x")) // the database, the network below it
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    switch (actionFor(error.code)) {
    case Action::RefreshAndRetry:
        if (!m_refreshed && m_retryAfterRefresh) {
            m_refreshed = true;
            m_renewToken = true;
            m_services.tokens->forget(m_publication.accountId);
            log::info(kComponent, QStringLiteral("token.refresh_and_retry"),
                      {{QStringLiteral("correlation_id"), m_publication.correlationId}});
            return m_retryAfterRefresh();
        }
        return needsAction(queueError(
            error.code, translate("X still refuses Huntaze's sign-in for this account after "
                                  "renewing it. Reconnect your X account in Accounts, then "
                                  "choose Retry on this post.")));
    case Action::Reconnect:
        return needsAction(queueError(error.code, error.message + QLatin1Char(' ') +
                                                      translate("Reconnect it in Accounts, then "
                                                                "choose Retry on this post.")));
    case Action::WaitUntil:
        return waitThenRetry(error, error.retryAfter
                                        ? std::max<qint64>(1, error.retryAfter->count())
                                        : jobs::backoffSeconds(m_publication.attempts));
    case Action::UploadAgain:
        return startOver(error);
    default:
        break;
    }
    if (error.retryable)
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    needsAction(error); // duplicate content, refused text or media, account trouble, ...
}

void XPublisher::waitThenRetry(const Error &error, qint64 seconds) {
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(seconds);
    QString message = error.message;
    const QString time = QLocale().toString(at.toLocalTime().time(), QLocale::ShortFormat);
    if (!message.contains(time))
        message += QLatin1Char(' ') + translate("Next try at %1.").arg(clockTime(at));
    log::info(kComponent, QStringLiteral("retry_scheduled"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("error_code"), error.code},
               {QStringLiteral("seconds"), seconds}});
    QPointer self(this);
    m_services.store->setState(m_id, stateNow(), error.code, message, seconds,
                               [self](Result<bool>) {
                                   if (self)
                                       self->done();
                               });
}

void XPublisher::needsAction(const Error &error) {
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

void XPublisher::pause() {
    m_stopped = true;
    if (m_uploader && m_uploader->isRunning())
        return m_uploader->cancel(); // its finished() ends the job; the checkpoint stays
    if (m_posting)
        return; // the post is on its way: its answer is recorded, then the job ends
    done();
}

void XPublisher::cancel() {
    // Nothing to withdraw: media never attached to a post expires on X within a day.
    pause();
}

} // namespace huntaze::x
