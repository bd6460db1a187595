#include "instagrampublisher.h"

#include "instagrammediarules.h"
#include "jobs/backoff.h"
#include "jobs/publicationstore.h"
#include "log/logger.h"
#include "net/accesstokens.h"
#include "net/relayclient.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>

namespace huntaze::instagram {

namespace {
const QString kComponent = QStringLiteral("desktop.publish.instagram");
const QString kMain = QStringLiteral("main");
constexpr int kMaxStartOvers = 3;
constexpr int kMaxBuilderRetries = 2; // 24/2207008: "retry once or twice"

QString translate(const char *text) {
    return QCoreApplication::translate("InstagramPublisher", text);
}

QString clockTime(const QDateTime &at) {
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

Error queueError(const QString &code, const QString &message, bool retryable = false) {
    return Error{QStringLiteral("instagram"), code, message, {}, 0, retryable, {}};
}

// The Problem behind an Error made by the client (code "190/463", "9", ...), so the
// queue can act on it; the client's message is kept.
Problem problemOf(const Error &error) {
    GraphError graph;
    const QStringList parts = error.code.split(QLatin1Char('/'));
    bool codeOk = false;
    graph.code = parts.value(0).toInt(&codeOk);
    if (!codeOk)
        return Problem{error.code,
                       error.retryable ? Action::RetryWithBackoff : Action::None,
                       error.message,
                       error.retryable,
                       0,
                       {}};
    graph.subcode = parts.value(1).toInt();
    graph.httpStatus = error.httpStatus;
    graph.isTransient = error.retryable;
    graph.message = error.message;
    Problem problem = problemFor(graph);
    problem.message = error.message;
    if (error.retryAfter)
        problem.waitSeconds = int(error.retryAfter->count());
    return problem;
}

qint64 nowSeconds() {
    return QDateTime::currentSecsSinceEpoch();
}

// A hosted photo is hosted again when its address would expire within this: Instagram
// fetches it when the container is made, so an hour is plenty.
constexpr qint64 kHostedMarginSeconds = 3600;

// A local story file is a photo (not a video) when the draft says so, or by its name.
bool isLocalStoryPhoto(const jobs::Publication &p) {
    const QString suffix = QFileInfo(p.sourcePath).suffix().toLower();
    return p.options.value(QStringLiteral("source_type")).toString() == QLatin1String("image") ||
           suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg");
}

// The post's own photo (kind photo, or a story photo) from a local file: hosted by the
// relay, at options.hosted_url once that is done.
void planLocalPhoto(const jobs::Publication &p, ContainerPart &part) {
    part.localPhoto = p.sourcePath;
    part.bytes = p.bytesTotal;
    part.request.imageUrl = p.options.value(QStringLiteral("hosted_url")).toString();
    part.hostedUntil = QDateTime::fromString(
        p.options.value(QStringLiteral("hosted_expires_at")).toString(), Qt::ISODate);
}

Error noMediaHost() {
    return queueError(QStringLiteral("no_media_host"),
                      translate("This relay does not host photos; give the photo's public "
                                "https address instead."));
}

Error fileChanged(const QString &path) {
    return queueError(QStringLiteral("file_changed"),
                      translate("The file %1 was moved, changed or deleted since it was queued. "
                                "Add the post to the queue again.")
                          .arg(QFileInfo(path).fileName()));
}
} // namespace

Result<QList<ContainerPart>> containerPlan(const jobs::Publication &p) {
    using Type = ContainerRequest::Type;
    const auto kind = kindFromName(p.kind);
    const auto wrong = [](const QString &message) {
        return Result<QList<ContainerPart>>(queueError(QStringLiteral("bad_publication"), message));
    };
    if (!kind)
        return wrong(translate("Instagram posts are photos, reels, stories or carousels; this "
                               "one is \"%1\".")
                         .arg(p.kind));
    ContainerPart main;
    main.key = kMain;
    main.request.caption = p.caption;
    const bool local = !p.sourcePath.isEmpty();
    switch (*kind) {
    case PostKind::Photo:
        main.request.type = Type::Image;
        if (!p.sourceUrl.isEmpty())
            main.request.imageUrl = p.sourceUrl;
        else if (local)
            planLocalPhoto(p, main);
        else
            return wrong(translate("A photo post needs the address of a public JPEG, or a local "
                                   "JPEG."));
        return QList<ContainerPart>{main};
    case PostKind::Reel:
    case PostKind::Story:
        if (!local && p.sourceUrl.isEmpty())
            return wrong(translate("Choose the video (or, for a story, the photo) to post."));
        if (*kind == PostKind::Reel) {
            main.request.type = Type::Reel;
            main.request.shareToFeed =
                p.options.value(QStringLiteral("share_to_feed")).toBool(true);
        } else {
            main.request.type = local ? Type::StoryVideo : Type::StoryImage;
            main.request.caption.clear(); // stories take no caption
            if (local && isLocalStoryPhoto(p)) {
                main.request.type = Type::StoryImage;
                planLocalPhoto(p, main);
                return QList<ContainerPart>{main};
            }
        }
        if (local) {
            main.request.resumable = true;
            main.localPath = p.sourcePath;
            main.bytes = p.bytesTotal;
        } else if (main.request.type == Type::StoryImage) {
            main.request.imageUrl = p.sourceUrl;
        } else {
            main.request.videoUrl = p.sourceUrl;
        }
        return QList<ContainerPart>{main};
    case PostKind::Carousel:
        break;
    }
    const QJsonArray items = p.options.value(QStringLiteral("items")).toArray();
    if (const QStringList problems = checkCarouselCount(int(items.size())); !problems.isEmpty())
        return wrong(problems.join(QLatin1Char(' ')));
    QList<ContainerPart> parts;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        ContainerPart part;
        part.key = QString::number(i);
        if (item.value(QStringLiteral("type")).toString() == QLatin1String("video")) {
            part.request.type = Type::CarouselVideoItem;
            part.localPath = item.value(QStringLiteral("path")).toString();
            part.bytes = item.value(QStringLiteral("bytes")).toInteger();
            part.request.resumable = !part.localPath.isEmpty();
            part.request.videoUrl = item.value(QStringLiteral("url")).toString();
            if (part.localPath.isEmpty() && part.request.videoUrl.isEmpty())
                return wrong(translate("Carousel item %1 has no video.").arg(i + 1));
        } else {
            part.request.type = Type::CarouselImageItem;
            // A local photo's url is its hosted address, recorded once the relay has it.
            part.request.imageUrl = item.value(QStringLiteral("url")).toString();
            part.localPhoto = item.value(QStringLiteral("path")).toString();
            if (!part.localPhoto.isEmpty()) {
                part.bytes = item.value(QStringLiteral("bytes")).toInteger();
                part.hostedUntil = QDateTime::fromString(
                    item.value(QStringLiteral("url_expires_at")).toString(), Qt::ISODate);
            }
            if (part.request.imageUrl.isEmpty() && part.localPhoto.isEmpty())
                return wrong(translate("Carousel item %1 needs the address of a public JPEG, or "
                                       "a local JPEG.")
                                 .arg(i + 1));
        }
        parts.append(part);
    }
    main.request.type = Type::Carousel;
    parts.append(main); // children are filled in once the items exist
    return parts;
}

qint64 InstagramPublisher::pollIntervalSeconds(qint64 ageSeconds) {
    return std::clamp<qint64>(ageSeconds / 5, 3, 60);
}

InstagramPublisher::InstagramPublisher(qint64 publicationId,
                                       const jobs::PublishingServices &services, QObject *parent)
    : jobs::PublicationJob(parent)
    , m_id(publicationId)
    , m_services(services) {}

InstagramPublisher::~InstagramPublisher() {
    if (m_upload)
        m_upload->abort();
}

void InstagramPublisher::done() {
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_id);
}

QString InstagramPublisher::igUserId() const {
    return m_publication.options.value(QStringLiteral("ig_business_id")).toString();
}

QJsonObject InstagramPublisher::container(const QString &key) const {
    return m_publication.options.value(QStringLiteral("ig_containers"))
        .toObject()
        .value(key)
        .toObject();
}

qint64 InstagramPublisher::uploadedBytes() const {
    qint64 sent = 0;
    for (const ContainerPart &part : m_plan)
        if (!part.localPath.isEmpty() &&
            container(part.key).value(QStringLiteral("uploaded")).toBool())
            sent += part.bytes;
    return sent;
}

QString InstagramPublisher::stateNow() const {
    bool anyCreated = false;
    for (const ContainerPart &part : m_plan) {
        const QJsonObject c = container(part.key);
        if (c.isEmpty())
            continue;
        anyCreated = true;
        if (!part.localPath.isEmpty() && !c.value(QStringLiteral("uploaded")).toBool())
            return QStringLiteral("uploading");
    }
    return anyCreated ? QStringLiteral("processing") : QStringLiteral("queued");
}

void InstagramPublisher::run() {
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
        auto plan = containerPlan(self->m_publication);
        if (!plan)
            return self->settle(QStringLiteral("failed"), plan.error());
        self->m_plan = *plan;
        if (self->igUserId().isEmpty())
            return self->needsAction(
                queueError(QStringLiteral("no_instagram_account"),
                           translate("No Instagram account was chosen for this post. Choose one in "
                                     "Accounts and publish again.")));
        for (const ContainerPart &part : self->m_plan) {
            if (part.localPath.isEmpty() || !self->container(part.key).isEmpty())
                continue;
            const QFileInfo file(part.localPath);
            if (!file.isFile() || (part.bytes > 0 && file.size() != part.bytes))
                return self->needsAction(queueError(
                    QStringLiteral("file_changed"),
                    translate("The file %1 was moved, changed or deleted since it was queued. "
                              "Add the post to the queue again.")
                        .arg(file.fileName())));
        }
        if (self->m_publication.initStartedAt.isValid() && !self->m_publication.remoteId.isEmpty())
            return self->reconcilePublish();
        if (self->m_publication.remoteId.isEmpty() && self->stateNow() == QLatin1String("queued"))
            return self->checkQuota([self] { self->step(); });
        self->step();
    });
}

// The media_publish call was sent and its answer never recorded: ask the container.
void InstagramPublisher::reconcilePublish() {
    withToken([this](const QByteArray &token) {
        QPointer self(this);
        m_services.instagram->containerStatus(
            igUserId(), token, m_publication.remoteId, [self](Result<ContainerStatus> status) {
                if (!self)
                    return;
                if (!status)
                    return self->fail(status.error());
                log::info(kComponent, QStringLiteral("publish.reconciled"),
                          {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                           {QStringLiteral("status_code"), status->statusCode}});
                if (status->statusCode == QLatin1String("PUBLISHED"))
                    return self->published(QString(), QString());
                if (status->statusCode == QLatin1String("FINISHED"))
                    return self->publish(); // it never went out: publishing now is safe
                if (status->statusCode == QLatin1String("ERROR") ||
                    status->statusCode == QLatin1String("EXPIRED")) {
                    const Problem problem =
                        problemForContainerStatus(status->statusCode, status->status);
                    return self->act(problem, toError(problem));
                }
                self->step();
            });
    });
}

void InstagramPublisher::checkQuota(std::function<void()> next) {
    withToken([this, next](const QByteArray &token) {
        QPointer self(this);
        m_services.instagram->publishingLimit(
            igUserId(), token, [self, next](Result<PublishingLimit> limit) {
                if (!self)
                    return;
                if (!limit)
                    return self->fail(limit.error());
                if (limit->quotaTotal <= 0 || limit->quotaUsage < limit->quotaTotal)
                    return next();
                self->m_services.store->instagramPublishedRecently(
                    self->igUserId(), limit->quotaDurationSeconds,
                    [self, limit = *limit](Result<jobs::PublicationStore::PendingShares> recent) {
                        if (!self)
                            return;
                        // Meta's window is rolling: the oldest post Huntaze knows of frees
                        // the first place; without one, look again in an hour.
                        qint64 wait = 3600;
                        if (recent && recent->nextFreesAt.isValid())
                            wait = std::clamp<qint64>(
                                QDateTime::currentDateTimeUtc().secsTo(recent->nextFreesAt), 60,
                                limit.quotaDurationSeconds);
                        const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(wait);
                        self->waitThenRetry(
                            queueError(QStringLiteral("quota_exhausted"),
                                       translate("This account has used its %1 of %2 posts "
                                                 "allowed in 24 hours. Huntaze publishes this "
                                                 "one when a place frees up, at %3.")
                                           .arg(limit.quotaUsage)
                                           .arg(limit.quotaTotal)
                                           .arg(clockTime(at)),
                                       true),
                            wait);
                    });
            });
    });
}

void InstagramPublisher::step() {
    if (m_stopped)
        return done();
    // 1. Every container exists (the carousel only once its items are ready).
    bool itemsReady = true;
    for (const ContainerPart &part : m_plan) {
        const QJsonObject c = container(part.key);
        const bool isCarousel = part.request.type == ContainerRequest::Type::Carousel;
        if (c.isEmpty()) {
            if (isCarousel && !itemsReady)
                break;
            if (needsHosting(part))
                return host(part);
            return create(part);
        }
        // 2. Its video is uploaded.
        if (!part.localPath.isEmpty() && !c.value(QStringLiteral("uploaded")).toBool())
            return upload(part);
        if (!c.value(QStringLiteral("finished")).toBool())
            itemsReady = false;
    }
    // 3. Every container is FINISHED.
    QList<ContainerPart> pending;
    for (const ContainerPart &part : m_plan)
        if (!container(part.key).isEmpty() &&
            !container(part.key).value(QStringLiteral("finished")).toBool())
            pending.append(part);
    if (!pending.isEmpty())
        return pollPending(pending);
    publish();
}

void InstagramPublisher::remember(const QString &key, const QJsonObject &c,
                                  std::function<void()> next) {
    QJsonObject all = m_publication.options.value(QStringLiteral("ig_containers")).toObject();
    all.insert(key, c);
    m_publication.options.insert(QStringLiteral("ig_containers"), all);
    if (key == kMain)
        m_publication.remoteId = c.value(QStringLiteral("id")).toString();
    QPointer self(this);
    m_services.store->recordInstagramContainer(m_id, key, c, [self, next](Result<bool> stored) {
        if (!self)
            return;
        if (!stored)
            return self->fail(stored.error());
        next();
    });
}

void InstagramPublisher::create(const ContainerPart &part) {
    ContainerRequest request = part.request;
    if (request.type == ContainerRequest::Type::Carousel)
        for (const ContainerPart &item : m_plan)
            if (item.key != kMain)
                request.children.append(container(item.key).value(QStringLiteral("id")).toString());
    withToken([this, request, key = part.key](const QByteArray &token) {
        QPointer self(this);
        m_services.instagram->createContainer(
            igUserId(), token, request, [self, key](Result<ContainerAnswer> answer) {
                if (!self)
                    return;
                // A lost answer may have left a container behind: harmless, since an
                // unpublished container expires on its own; a new one is made.
                if (!answer)
                    return self->fail(answer.error());
                log::info(kComponent, QStringLiteral("container.created"),
                          {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                           {QStringLiteral("key"), key},
                           {QStringLiteral("container_id"), answer->id}});
                QJsonObject c{{QStringLiteral("id"), answer->id},
                              {QStringLiteral("created_at"), nowSeconds()}};
                if (answer->uploadUri.isValid())
                    c.insert(QStringLiteral("uri"), answer->uploadUri.toString());
                self->remember(key, c, [self] {
                    if (self->stateNow() == QLatin1String("uploading"))
                        return self->step();
                    // Created and nothing to upload: let the queue come back to poll.
                    self->m_services.store->setState(self->m_id, self->stateNow(), {}, {}, 0,
                                                     [self](Result<bool>) {
                                                         if (self)
                                                             self->step();
                                                     });
                });
            });
    });
}

bool InstagramPublisher::needsHosting(const ContainerPart &part) const {
    if (part.localPhoto.isEmpty())
        return false;
    if (part.request.imageUrl.isEmpty())
        return true;
    // Recorded without an expiry: trust it (the relay keeps an address 48 hours).
    return part.hostedUntil.isValid() &&
           QDateTime::currentDateTimeUtc().secsTo(part.hostedUntil) < kHostedMarginSeconds;
}

// The local photo goes to the relay's media host; its address is recorded in the row
// before any container is made from it.
void InstagramPublisher::host(const ContainerPart &part) {
    if (!m_services.relay)
        return needsAction(noMediaHost());
    const QFileInfo file(part.localPhoto);
    if (!file.isFile() || (part.bytes > 0 && file.size() != part.bytes))
        return needsAction(fileChanged(part.localPhoto));
    m_services.store->setState(m_id, QStringLiteral("uploading"), {}, {}, 0, {});
    QPointer self(this);
    m_services.relay->hostMedia(part.localPhoto, [self, part](const Result<QJsonObject> &hosted) {
        if (!self)
            return;
        if (self->m_stopped)
            return self->done();
        if (!hosted)
            return self->hostingFailed(hosted.error(), part);
        const QString url = hosted->value(QStringLiteral("url")).toString();
        const QDateTime expires = QDateTime::fromString(
            hosted->value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty() ||
            (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http")))
            return self->waitThenRetry(
                queueError(QStringLiteral("media_host_answer"),
                           translate("The relay took the photo but gave no usable address for "
                                     "it."),
                           true),
                jobs::backoffSeconds(self->m_publication.attempts));
        log::info(kComponent, QStringLiteral("photo.hosted"),
                  {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                   {QStringLiteral("key"), part.key},
                   {QStringLiteral("bytes"), part.bytes}});
        self->m_services.store->recordInstagramHostedUrl(
            self->m_id, part.key, url, expires, [self, part, url, expires](Result<bool> stored) {
                if (!self)
                    return;
                if (!stored)
                    return self->fail(stored.error());
                // The row and this job agree on the address: make the plan again from it.
                QJsonObject &options = self->m_publication.options;
                const QString until = expires.toUTC().toString(Qt::ISODate);
                if (part.key == kMain) {
                    options.insert(QStringLiteral("hosted_url"), url);
                    options.insert(QStringLiteral("hosted_expires_at"), until);
                    self->m_services.store->recordProgress(self->m_id, part.bytes);
                } else {
                    QJsonArray items = options.value(QStringLiteral("items")).toArray();
                    const qsizetype index = part.key.toInt();
                    QJsonObject item = items.at(index).toObject();
                    item.insert(QStringLiteral("url"), url);
                    item.insert(QStringLiteral("url_expires_at"), until);
                    if (index >= 0 && index < items.size())
                        items.replace(index, item);
                    options.insert(QStringLiteral("items"), items);
                }
                auto plan = containerPlan(self->m_publication);
                if (!plan)
                    return self->settle(QStringLiteral("failed"), plan.error());
                self->m_plan = *plan;
                for (const ContainerPart &again : self->m_plan)
                    if (again.key == part.key && self->needsHosting(again))
                        // Never host in a loop: an address that expires at once (the
                        // relay's clock far from ours) is looked at again later.
                        return self->waitThenRetry(
                            queueError(QStringLiteral("media_host_answer"),
                                       translate("The relay's address for the photo expires "
                                                 "too soon; check the clocks of this computer "
                                                 "and the relay."),
                                       true),
                            jobs::backoffSeconds(self->m_publication.attempts));
                self->step();
            });
    });
}

void InstagramPublisher::hostingFailed(const Error &error, const ContainerPart &part) {
    log::warning(kComponent, QStringLiteral("photo.not_hosted"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("key"), part.key},
                  {QStringLiteral("error_code"), error.code},
                  {QStringLiteral("http_status"), error.httpStatus}});
    if (error.code == QLatin1String("file_unreadable"))
        return needsAction(fileChanged(part.localPhoto));
    // The route is missing (an older relay, or HUNTAZE_MEDIA_PUBLIC_URL not set).
    if (error.httpStatus == 404 || error.httpStatus == 501)
        return needsAction(noMediaHost());
    // Not a JPEG, or too large: only another photo helps.
    if (error.code == QLatin1String("too_large") || error.httpStatus == 413 ||
        error.httpStatus == 415)
        return settle(QStringLiteral("failed"), error);
    fail(error);
}

void InstagramPublisher::upload(const ContainerPart &part) {
    const QJsonObject c = container(part.key);
    const QUrl uri(c.value(QStringLiteral("uri")).toString());
    if (!uri.isValid())
        return startOver(QStringLiteral("upload_uri_missing"),
                         translate("Instagram gave no upload address for the video; Huntaze "
                                   "starts this post over."));
    QPointer self(this);
    const qint64 before = uploadedBytes();
    const qint64 total = std::max<qint64>(m_publication.bytesTotal, before + part.bytes);
    m_services.store->setState(m_id, QStringLiteral("uploading"), {}, {}, 0, {});
    withToken([self, part, uri, before, total](const QByteArray &token) {
        auto started = std::make_shared<qint64>(QDateTime::currentMSecsSinceEpoch());
        self->m_upload = self->m_services.instagram->uploadVideo(
            self->igUserId(), uri, token, part.localPath,
            [self, before, total, started](UploadProgress progress) {
                if (!self)
                    return;
                const qint64 elapsedMs =
                    std::max<qint64>(1, QDateTime::currentMSecsSinceEpoch() - *started);
                Q_EMIT self->progress(self->m_id, before + progress.sent, total,
                                      double(progress.sent) * 1000.0 / double(elapsedMs));
            },
            [self, part, before](Result<bool> uploaded) {
                if (!self)
                    return;
                self->m_upload.clear();
                if (!uploaded) {
                    if (self->m_stopped || uploaded.error().code == QLatin1String("aborted"))
                        return self->done();
                    return self->fail(uploaded.error());
                }
                log::info(kComponent, QStringLiteral("upload.complete"),
                          {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                           {QStringLiteral("key"), part.key},
                           {QStringLiteral("bytes"), part.bytes}});
                QJsonObject done = self->container(part.key);
                done.insert(QStringLiteral("uploaded"), true);
                self->m_services.store->recordProgress(self->m_id, before + part.bytes);
                self->remember(part.key, done, [self] { self->step(); });
            });
    });
}

void InstagramPublisher::pollPending(QList<ContainerPart> pending) {
    const ContainerPart part = pending.takeFirst();
    const QJsonObject c = container(part.key);
    withToken([this, part, c, pending](const QByteArray &token) {
        QPointer self(this);
        m_services.instagram->containerStatus(
            igUserId(), token, c.value(QStringLiteral("id")).toString(),
            [self, part, c, pending](Result<ContainerStatus> status) {
                if (!self)
                    return;
                if (!status)
                    return self->fail(status.error());
                const QString code = status->statusCode;
                if (code == QLatin1String("FINISHED") ||
                    (code == QLatin1String("PUBLISHED") && part.key != kMain)) {
                    QJsonObject finished = c;
                    finished.insert(QStringLiteral("finished"), true);
                    return self->remember(part.key, finished, [self] { self->step(); });
                }
                if (code == QLatin1String("PUBLISHED"))
                    return self->published(QString(), QString());
                if (code == QLatin1String("ERROR") || code == QLatin1String("EXPIRED")) {
                    const Problem problem = problemForContainerStatus(code, status->status);
                    log::warning(
                        kComponent, QStringLiteral("container.failed"),
                        {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                         {QStringLiteral("key"), part.key},
                         {QStringLiteral("status_code"), code},
                         {QStringLiteral("problem"), problem.code}});
                    return self->act(problem, toError(problem));
                }
                // IN_PROGRESS: the others are asked later too; come back after a while.
                const qint64 age =
                    nowSeconds() - c.value(QStringLiteral("created_at")).toInteger(nowSeconds());
                if (age > kLongestProcessingSeconds)
                    return self->needsAction(queueError(
                        QStringLiteral("processing_too_long"),
                        translate("Instagram has been processing this post for over an hour. "
                                  "Choose Retry to look again, or cancel and publish it again.")));
                self->m_services.store->setState(self->m_id, QStringLiteral("processing"), {}, {},
                                                 pollIntervalSeconds(age), [self](Result<bool>) {
                                                     if (self)
                                                         self->done();
                                                 });
            });
    });
}

void InstagramPublisher::publish() {
    if (m_stopped)
        return done();
    QPointer self(this);
    m_services.store->markInstagramPublishStarting(m_id, [self](Result<bool> marked) {
        if (!self)
            return;
        if (!marked)
            return self->fail(marked.error());
        if (!*marked)
            return self->done(); // cancelled meanwhile: nothing was sent
        self->withToken([self](const QByteArray &token) {
            self->m_services.instagram->publish(
                self->igUserId(), token, self->m_publication.remoteId,
                [self, token](Result<QString> mediaId) {
                    if (!self)
                        return;
                    if (!mediaId) {
                        if (mediaId.error().code == QLatin1String("outcome_unknown"))
                            // The next run asks the container before anything else.
                            return self->waitThenRetry(mediaId.error(), 5);
                        return self->fail(mediaId.error());
                    }
                    // The post is out: record it even if the permalink cannot be read.
                    self->m_services.instagram->permalink(
                        self->igUserId(), token, *mediaId,
                        [self, id = *mediaId](Result<QString> link) {
                            if (self)
                                self->published(id, link ? *link : QString());
                        });
                });
        });
    });
}

void InstagramPublisher::published(const QString &mediaId, const QString &permalink) {
    const auto kind = kindFromName(m_publication.kind);
    const QString productType = kind == PostKind::Reel    ? QStringLiteral("REELS")
                                : kind == PostKind::Story ? QStringLiteral("STORY")
                                                          : QStringLiteral("FEED");
    // As Meta's media list reports it, so the sync later changes nothing here.
    bool storyPhoto = false;
    for (const ContainerPart &part : m_plan)
        storyPhoto |= part.key == kMain && part.request.type == ContainerRequest::Type::StoryImage;
    const QString mediaType = kind == PostKind::Carousel ? QStringLiteral("CAROUSEL_ALBUM")
                              : kind == PostKind::Photo || storyPhoto ? QStringLiteral("IMAGE")
                                                                      : QStringLiteral("VIDEO");
    const QString message =
        permalink.isEmpty()
            ? translate("Published on Instagram; its link appears after the next sync.")
            : QString();
    log::info(kComponent, QStringLiteral("publish.ok"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("media_id"), mediaId}});
    QPointer self(this);
    m_services.store->recordInstagramPublished(m_id, igUserId(), mediaId, mediaType, productType,
                                               permalink, message, [self](Result<bool>) {
                                                   if (self)
                                                       self->done();
                                               });
}

void InstagramPublisher::startOver(const QString &code, const QString &message) {
    if (m_publication.attempts >= kMaxStartOvers)
        return needsAction(queueError(code, message + QLatin1Char(' ') +
                                                translate("It failed several times: choose "
                                                          "Retry to try again.")));
    log::warning(kComponent, QStringLiteral("start_over"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("reason"), code}});
    // The old containers were never published, so they simply expire on Instagram.
    QPointer self(this);
    m_services.store->resetToQueued(m_id, code, message, [self](Result<bool>) {
        if (self)
            self->done();
    });
}

void InstagramPublisher::withToken(std::function<void(const QByteArray &)> use) {
    QPointer self(this);
    m_services.tokens->get(m_publication.accountId, false, [self, use](Result<QByteArray> token) {
        if (!self)
            return;
        if (!token)
            return self->fail(token.error());
        use(*token);
    });
}

void InstagramPublisher::fail(const Error &error) {
    if (m_stopped)
        return done();
    if (error.domain == QLatin1String("relay")) {
        if (error.code == QLatin1String("needs_reconnect") || error.httpStatus == 409 ||
            error.httpStatus == 401 || error.httpStatus == 404)
            return needsAction(error);
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    }
    if (error.domain != QLatin1String("instagram"))
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    if (error.code == QLatin1String("outcome_unknown"))
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    act(problemOf(error), error);
}

void InstagramPublisher::act(const Problem &problem, const Error &error) {
    if (m_stopped)
        return done();
    switch (problem.action) {
    case Action::Reconnect:
    case Action::CheckInstagram:
        return needsAction(error);
    case Action::FixMedia:
        return settle(QStringLiteral("failed"), error);
    case Action::WaitUntil:
        if (problem.code.startsWith(QLatin1String("9/")))
            return checkQuota([this, error] { waitThenRetry(error, 3600); });
        return waitThenRetry(error, problem.waitSeconds > 0
                                        ? problem.waitSeconds
                                        : jobs::backoffSeconds(m_publication.attempts));
    case Action::NewContainer:
        return startOver(problem.code, error.message);
    case Action::RetryThenNewContainer:
        if (m_publication.attempts < kMaxBuilderRetries)
            return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
        return startOver(problem.code, error.message);
    case Action::KeepPolling:
        return waitThenRetry(error, pollIntervalSeconds(0));
    case Action::RetryWithBackoff:
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    case Action::None:
        break;
    }
    if (error.retryable)
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    needsAction(error);
}

void InstagramPublisher::waitThenRetry(const Error &error, qint64 seconds) {
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(seconds);
    QString message = error.message;
    if (!message.contains(clockTime(at)))
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

void InstagramPublisher::settle(const QString &state, const Error &error) {
    log::warning(kComponent, state,
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("error_code"), error.code}});
    QPointer self(this);
    m_services.store->setState(m_id, state, error.code, error.message, std::nullopt,
                               [self](Result<bool>) {
                                   if (self)
                                       self->done();
                               });
}

void InstagramPublisher::pause() {
    m_stopped = true;
    if (m_upload)
        m_upload->abort(); // the upload's done() ends the job
    else
        done();
}

void InstagramPublisher::cancel() {
    // Nothing to withdraw: Instagram has no call to delete a container, and one never
    // published expires by itself within 24 hours.
    pause();
}

} // namespace huntaze::instagram
