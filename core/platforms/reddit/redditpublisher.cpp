#include "redditpublisher.h"

#include "jobs/backoff.h"
#include "jobs/publicationstore.h"
#include "log/logger.h"
#include "net/accesstokens.h"
#include "redditclient.h"
#include "redditmediawatch.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImage>
#include <QLocale>
#include <QPromise>
#include <QTemporaryFile>
#include <QThreadPool>

#include <memory>

namespace huntaze::reddit {

namespace {
const QString kComponent = QStringLiteral("desktop.publish.reddit");
const QString kMediaKey = QStringLiteral("reddit_media");
// Set when the creator was asked to check their profile (publicationstore.h).
const QString kUnconfirmedKey = QStringLiteral("reddit_unconfirmed");
constexpr qint64 kProgressRecordMs = 1000; // bytes_sent written at most this often

QString translate(const char *text) {
    return QCoreApplication::translate("RedditPublisher", text);
}

QString clockTime(const QDateTime &at) {
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

Error queueError(const QString &code, const QString &message) {
    return Error{QStringLiteral("reddit"), code, message, {}, 0, false, {}};
}

Error unconfirmed() {
    return queueError(QStringLiteral("outcome_unknown"),
                      translate("Reddit did not confirm the post; check your profile before "
                                "posting again. If it is not there, choose Retry."));
}

// Reddit's messages say "connect your Reddit account again"; the creator does that in
// Accounts, so say where.
Error withAccountsHint(Error error) {
    if (!error.message.contains(QLatin1String("Accounts")))
        error.message += QLatin1Char(' ') + translate("Open Accounts and connect the Reddit "
                                                      "account again, then choose Retry.");
    return error;
}

// A video post needs a poster image. Without one chosen by the creator, a plain dark
// frame stands in (Reddit shows the video itself once it plays). Written into `file`,
// already open (created with a random name, never through someone else's link); runs on
// a worker thread, so a slow disk never freezes the window.
bool writePoster(QTemporaryFile &file) {
    QImage image(1280, 720, QImage::Format_RGB32);
    image.fill(qRgb(24, 24, 27));
    const bool saved = image.save(&file, "PNG") && file.flush();
    file.close(); // the file stays until the QTemporaryFile goes
    return saved;
}

// "/r/sub/comments/abc/slug/" -> "https://www.reddit.com/r/sub/comments/abc/slug/".
QString fullPermalink(const QString &permalink) {
    if (permalink.startsWith(QLatin1Char('/')))
        return QStringLiteral("https://www.reddit.com") + permalink;
    return permalink;
}
} // namespace

Result<RedditPlan> redditPlan(const jobs::Publication &p) {
    const auto wrong = [](const QString &message) {
        return Result<RedditPlan>(queueError(QStringLiteral("bad_publication"), message));
    };
    const QJsonObject options = p.options.value(QStringLiteral("reddit")).toObject();
    RedditPlan plan;
    Submission &s = plan.submission;
    s.subreddit =
        RedditSubmission::normaliseSubreddit(options.value(QStringLiteral("subreddit")).toString());
    s.title = options.value(QStringLiteral("title")).toString();
    s.flairId = options.value(QStringLiteral("flair_id")).toString();
    s.flairText = options.value(QStringLiteral("flair_text")).toString();
    s.nsfw = options.value(QStringLiteral("nsfw")).toBool();
    s.spoiler = options.value(QStringLiteral("spoiler")).toBool();
    if (p.kind == QLatin1String("self")) {
        s.kind = PostKind::Self;
        s.text = p.caption;
        return plan;
    }
    if (p.kind == QLatin1String("link")) {
        s.kind = PostKind::Link;
        s.url = p.sourceUrl;
        return plan;
    }
    const bool video = p.kind == QLatin1String("video");
    if (!video && p.kind != QLatin1String("image"))
        return wrong(translate("Reddit posts are text, link, image or video posts; this one is "
                               "\"%1\". Publish it again as one of those.")
                         .arg(p.kind));
    s.kind = video ? PostKind::Video : PostKind::Image;
    plan.mediaPath = p.sourcePath;
    if (plan.mediaPath.isEmpty())
        return wrong(video ? translate("Choose the video to post on Reddit.")
                           : translate("Choose the image to post on Reddit."));
    const QString mime = RedditMediaLease::mimeTypeFor(plan.mediaPath);
    if (mime.isEmpty() || RedditMediaLease::isVideo(mime) != video)
        return Result<RedditPlan>(toError(problemFor(LocalFailure::UnsupportedMedia)));
    if (video)
        plan.posterPath = options.value(QStringLiteral("poster_path")).toString();
    return plan;
}

std::optional<PostInfo> RedditPublisher::findSubmitted(const QList<PostInfo> &posts,
                                                       const QString &subreddit,
                                                       const QString &title,
                                                       const QDateTime &since) {
    const QString wanted = RedditSubmission::normaliseSubreddit(subreddit);
    const qint64 earliest = since.isValid() ? since.toSecsSinceEpoch() - kClockSkewSeconds : 0;
    for (const PostInfo &post : posts) // newest first
        if (post.title == title && post.createdUtc >= earliest &&
            RedditSubmission::normaliseSubreddit(post.subreddit)
                    .compare(wanted, Qt::CaseInsensitive) == 0)
            return post;
    return std::nullopt;
}

RedditPublisher::RedditPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                                 QObject *parent)
    : jobs::PublicationJob(parent)
    , m_id(publicationId)
    , m_services(services) {
    m_reconcileTimer.setSingleShot(true);
}

RedditPublisher::~RedditPublisher() {
    if (m_upload)
        m_upload->abort();
}

void RedditPublisher::done() {
    if (m_finished)
        return;
    m_finished = true;
    m_poster.reset();
    Q_EMIT finished(m_id);
}

QJsonObject RedditPublisher::mediaCheckpoint() const {
    return m_publication.options.value(kMediaKey).toObject();
}

void RedditPublisher::run() {
    QPointer self(this);
    m_services.store->load(m_id, [self](Result<std::optional<jobs::Publication>> loaded) {
        if (!self)
            return;
        if (!loaded)
            return self->fail(loaded.error());
        if (!loaded->has_value())
            return self->done();
        self->m_publication = **loaded;
        const QString &state = self->m_publication.state;
        if (state != QLatin1String("queued") && state != QLatin1String("uploading") &&
            state != QLatin1String("processing"))
            return self->done(); // paused, cancelled or settled meanwhile
        auto plan = redditPlan(self->m_publication);
        if (!plan)
            return self->needsAction(plan.error());
        self->m_plan = *plan;
        // What Reddit would refuse anyway is found before anything is uploaded or sent
        // (a media post's URLs are not known yet: stand-ins pass that part of the check).
        Submission checked = self->m_plan.submission;
        if (self->m_plan.media()) {
            checked.url = QStringLiteral("https://i.redd.it/pending");
            if (checked.kind == PostKind::Video)
                checked.videoPosterUrl = checked.url;
        }
        if (const auto problem = RedditSubmission::check(checked))
            return self->needsAction(toError(*problem));
        self->m_services.store->accountUsername(self->m_publication.accountId,
                                                [self](Result<QString> username) {
                                                    if (!self)
                                                        return;
                                                    if (!username)
                                                        return self->fail(username.error());
                                                    self->m_username = *username;
                                                    self->start();
                                                });
    });
}

void RedditPublisher::start() {
    if (m_stopped)
        return done();
    if (m_publication.remoteId.isEmpty()) {
        // The creator was asked to check and chose Retry: one more look (Reddit's listing
        // can lag), then the post goes out if it is still not there.
        if (m_publication.options.contains(kUnconfirmedKey))
            return recheck();
        // A submit was sent and its outcome never recorded: look before anything else.
        if (m_publication.initStartedAt.isValid())
            return reconcile(0);
    }
    proceed();
}

void RedditPublisher::proceed() {
    if (m_plan.media())
        return ensureMedia();
    submit();
}

void RedditPublisher::ensureMedia() {
    const QJsonObject media = mediaCheckpoint();
    const qint64 age =
        QDateTime::currentSecsSinceEpoch() - media.value(QStringLiteral("uploaded_at")).toInteger();
    const bool video = m_plan.submission.kind == PostKind::Video;
    const QString uploadedUrl = media.value(QStringLiteral("url")).toString();
    const QString uploadedPoster = media.value(QStringLiteral("poster_url")).toString();
    if (!uploadedUrl.isEmpty() && (!video || !uploadedPoster.isEmpty()) && age >= 0 &&
        age < kMediaReuseSeconds) {
        m_plan.submission.url = uploadedUrl;
        m_plan.submission.videoPosterUrl = uploadedPoster;
        return submit();
    }
    const QFileInfo file(m_plan.mediaPath);
    if (!file.isFile() || (m_publication.bytesTotal > 0 && file.size() != m_publication.bytesTotal))
        return needsAction(queueError(
            QStringLiteral("file_changed"),
            translate("The file %1 was moved, changed or deleted since it was queued. Add the "
                      "post to the queue again.")
                .arg(file.fileName())));
    QPointer self(this);
    m_services.store->setState(m_id, QStringLiteral("uploading"), {}, {}, 0, [self](Result<bool>) {
        if (!self)
            return;
        const auto uploadMain = [self](const QString &posterUrl) {
            self->upload(self->m_plan.mediaPath, true, [self, posterUrl](const QUrl &mediaUrl) {
                self->m_plan.submission.url = mediaUrl.toString();
                self->m_plan.submission.videoPosterUrl = posterUrl;
                const QJsonObject checkpoint{
                    {QStringLiteral("url"), self->m_plan.submission.url},
                    {QStringLiteral("poster_url"), posterUrl},
                    {QStringLiteral("uploaded_at"), QDateTime::currentSecsSinceEpoch()}};
                const qint64 bytes = QFileInfo(self->m_plan.mediaPath).size();
                self->m_services.store->recordRedditMedia(
                    self->m_id, checkpoint, bytes, [self](Result<bool> recorded) {
                        if (!self)
                            return;
                        if (!recorded)
                            return self->fail(recorded.error());
                        self->submit();
                    });
            });
        };
        if (self->m_plan.submission.kind != PostKind::Video)
            return uploadMain(QString());
        const auto uploadPoster = [self, uploadMain](const QString &poster) {
            if (!self)
                return;
            if (poster.isEmpty())
                return self->fail(toError(problemFor(LocalFailure::FileUnreadable)));
            self->upload(poster, false, [self, uploadMain](const QUrl &posterUrl) {
                self->m_poster.reset(); // uploaded: the stand-in goes
                uploadMain(posterUrl.toString());
            });
        };
        if (!self->m_plan.posterPath.isEmpty())
            return uploadPoster(self->m_plan.posterPath);
        self->makePoster(uploadPoster);
    });
}

void RedditPublisher::makePoster(std::function<void(QString)> next) {
    // Shared with the worker: if the job ends first, the file goes once the worker is done.
    auto file = std::make_shared<QTemporaryFile>(
        QDir(QDir::tempPath()).filePath(QStringLiteral("huntaze-reddit-poster-XXXXXX.png")));
    if (!file->open())
        return next(QString());
    const QString path = file->fileName();
    m_poster = file;
    auto promise = std::make_shared<QPromise<bool>>();
    auto *watcher = new QFutureWatcher<bool>(this);
    connect(watcher, &QFutureWatcher<bool>::finished, this, [this, watcher, path, next] {
        watcher->deleteLater();
        const QFuture<bool> written = watcher->future();
        next(written.resultCount() > 0 && written.result() && m_poster ? path : QString());
    });
    watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, file] {
        promise->addResult(writePoster(*file));
        promise->finish();
    });
}

void RedditPublisher::upload(const QString &path, bool reportProgress,
                             std::function<void(QUrl)> next) {
    withToken([this, path, reportProgress, next](const QByteArray &token) {
        QPointer self(this);
        m_services.reddit->leaseMedia(
            limitKey(), token, path, [self, path, reportProgress, next](Result<MediaLease> lease) {
                if (!self)
                    return;
                if (!lease)
                    return self->fail(lease.error());
                if (self->m_stopped)
                    return self->done();
                auto clock = std::make_shared<QElapsedTimer>();
                clock->start();
                auto lastRecord = std::make_shared<qint64>(-kProgressRecordMs);
                self->m_upload = self->m_services.reddit->uploadMedia(
                    *lease, path,
                    [self, reportProgress, clock, lastRecord](UploadProgress progress) {
                        if (!self || !reportProgress)
                            return;
                        const qint64 elapsed = std::max<qint64>(1, clock->elapsed());
                        Q_EMIT self->progress(self->m_id, progress.sent, progress.total,
                                              double(progress.sent) * 1000.0 / double(elapsed));
                        if (elapsed - *lastRecord >= kProgressRecordMs) {
                            *lastRecord = elapsed;
                            self->m_services.store->recordProgress(self->m_id, progress.sent);
                        }
                    },
                    [self, next](Result<UploadedMedia> uploaded) {
                        if (!self)
                            return;
                        self->m_upload.clear();
                        if (!uploaded) {
                            if (self->m_stopped ||
                                uploaded.error().code == QLatin1String("aborted"))
                                return self->done();
                            return self->fail(uploaded.error());
                        }
                        log::info(
                            kComponent, QStringLiteral("upload.complete"),
                            {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                             {QStringLiteral("bytes"), uploaded->bytes},
                             {QStringLiteral("mime_type"), uploaded->mimeType}});
                        next(uploaded->url);
                    });
            });
    });
}

void RedditPublisher::submit() {
    if (m_stopped)
        return done();
    // The token first: if the relay cannot give one, nothing was sent and no mark is left.
    withToken([this](const QByteArray &token) {
        if (m_stopped)
            return done();
        QPointer self(this);
        // Kept alive from the mark on: a pause now waits for the mark to be undone, or
        // for the submit's answer to be recorded.
        m_posting = true;
        // From here on a lost answer means "the post may exist": never submitted blindly again.
        m_services.store->markInitStarting(m_id, [self, token](Result<bool> marked) {
            if (!self)
                return;
            if (!marked) {
                self->m_posting = false;
                return self->fail(marked.error());
            }
            if (!*marked)
                return self->done(); // paused or cancelled meanwhile: nothing was sent
            if (self->m_stopped)     // paused while the mark was written: nothing was sent
                return self->m_services.store->clearInitStarted(self->m_id, [self](Result<bool>) {
                    if (self)
                        self->done();
                });
            self->m_publication.initStartedAt = QDateTime::currentDateTimeUtc();
            self->m_submitAnswered = false;
            self->m_services.reddit->submit(
                self->limitKey(), token, self->m_plan.submission,
                [self, token](Result<SubmitAnswer> answer) {
                    if (!self)
                        return;
                    if (!answer) {
                        const Error &error = answer.error();
                        if (error.code == QLatin1String("outcome_unknown")) {
                            log::warning(kComponent, QStringLiteral("submit.outcome_unknown"),
                                         {{QStringLiteral("correlation_id"),
                                           self->m_publication.correlationId}});
                            return self->reconcile(0);
                        }
                        // Any other failure is an answer: Reddit made no post.
                        self->m_submitAnswered = true;
                        self->m_posting = false;
                        return self->fail(error);
                    }
                    // Recorded even if the creator paused or cancelled meanwhile: the post
                    // is on Reddit.
                    self->submitted(*answer, token);
                });
        });
    });
}

void RedditPublisher::submitted(const SubmitAnswer &answer, const QByteArray &token) {
    if (!answer.awaitingMedia())
        return published(answer.fullname, RedditMediaWatch::permalinkIn(answer.url),
                         answer.url.toString(), QDateTime::currentSecsSinceEpoch());
    // Reddit makes an image/video post once it has processed the file: wait for it (the
    // job stays alive for it even if the creator cancels meanwhile).
    m_services.store->setState(m_id, QStringLiteral("processing"), {}, {}, 0, {});
    MediaPostMatch match;
    match.username = m_username;
    match.subreddit = m_plan.submission.subreddit;
    match.title = m_plan.submission.title;
    match.mediaUrl = QUrl(m_plan.submission.url);
    match.submittedAtUtc = m_publication.initStartedAt.toSecsSinceEpoch();
    match.video = m_plan.submission.kind == PostKind::Video;
    QPointer self(this);
    m_services.reddit->watchMediaPost(
        limitKey(), token, answer, match, [self](Result<MediaPost> post) {
            if (!self)
                return;
            if (post)
                return self->published(post->fullname, post->permalink, self->m_plan.submission.url,
                                       QDateTime::currentSecsSinceEpoch());
            const Error &error = post.error();
            self->m_posting = false;
            if (error.code == QLatin1String("media_failed")) {
                // Reddit refused the file: no post exists (the mark goes, whatever the
                // creator did meanwhile).
                self->m_submitAnswered = true;
                return self->needsAction(error);
            }
            if (self->m_stopped)
                return self->done(); // init_started_at stays: the next run looks first
            if (error.code == QLatin1String("media_not_found")) {
                // The watch looked for fifteen minutes already.
                Error notFound = error;
                notFound.message = unconfirmed().message;
                return self->askCreator(notFound);
            }
            self->reconcile(0); // the watch failed: look at the submissions instead
        });
}

void RedditPublisher::lookForPost(const QDateTime &since,
                                  std::function<void(std::optional<PostInfo>)> next) {
    withToken([this, since, next](const QByteArray &token) {
        QPointer self(this);
        m_services.reddit->submitted(
            limitKey(), token, m_username, 25, QString(),
            [self, since, next](Result<Listing> listing) {
                if (!self)
                    return;
                if (!listing)
                    return self->fail(listing.error()); // the marks stay: look again
                const auto post = findSubmitted(listing->posts, self->m_plan.submission.subreddit,
                                                self->m_plan.submission.title, since);
                if (post)
                    log::info(
                        kComponent, QStringLiteral("reconcile.found"),
                        {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                         {QStringLiteral("fullname"), post->fullname}});
                next(post);
            });
    });
}

void RedditPublisher::reconcile(int look) {
    // A submit whose answer was lost after a pause still gets its first look (the post
    // may be there already); later looks belong to the next run.
    if (m_stopped && look > 0)
        return done();
    m_posting = false;
    if (m_username.isEmpty())
        return m_stopped ? done() : askCreator(unconfirmed()); // no profile to look at
    log::info(kComponent, QStringLiteral("reconcile.look"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("look"), look}});
    QPointer self(this);
    lookForPost(m_publication.initStartedAt, [self, look](std::optional<PostInfo> post) {
        if (post)
            return self->published(post->fullname, post->permalink, post->url, post->createdUtc);
        if (self->m_stopped)
            return self->done(); // init_started_at stays: the next run looks again
        if (look + 1 >= kReconcileLooks)
            return self->askCreator(unconfirmed());
        self->m_reconcileTimer.disconnect();
        connect(&self->m_reconcileTimer, &QTimer::timeout, self,
                [self, look] { self->reconcile(look + 1); });
        self->m_reconcileTimer.start(kReconcileIntervalMs);
    });
}

void RedditPublisher::recheck() {
    const QDateTime since = QDateTime::fromString(m_publication.options.value(kUnconfirmedKey)
                                                      .toObject()
                                                      .value(QStringLiteral("submitted_at"))
                                                      .toString(),
                                                  Qt::ISODate);
    m_publication.initStartedAt = since.isValid() ? since : m_publication.initStartedAt;
    QPointer self(this);
    const auto postAgain = [self] {
        // Not there: the marks go (nothing is out) and the post is made afresh.
        self->m_services.store->clearRedditUnconfirmed(self->m_id, [self](Result<bool> cleared) {
            if (!self)
                return;
            if (!cleared)
                return self->fail(cleared.error());
            self->m_publication.initStartedAt = QDateTime();
            self->proceed();
        });
    };
    if (m_username.isEmpty())
        return postAgain(); // no profile to look at: the creator checked
    log::info(kComponent, QStringLiteral("reconcile.recheck"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId}});
    lookForPost(m_publication.initStartedAt, [self, postAgain](std::optional<PostInfo> post) {
        if (post)
            return self->published(post->fullname, post->permalink, post->url, post->createdUtc);
        if (self->m_stopped)
            return self->done();
        postAgain();
    });
}

void RedditPublisher::askCreator(const Error &error) {
    log::warning(kComponent, QStringLiteral("needs_action"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("error_code"), error.code}});
    QPointer self(this);
    m_services.store->recordRedditUnconfirmed(m_id, error.code, error.message,
                                              m_publication.initStartedAt, [self](Result<bool>) {
                                                  if (self)
                                                      self->done();
                                              });
}

void RedditPublisher::published(const QString &fullname, const QString &relativePermalink,
                                const QString &url, qint64 createdUtc) {
    const Submission &s = m_plan.submission;
    // Reddit's answer normally names the page; without it, the post's canonical address.
    const QString permalink =
        fullPermalink(!relativePermalink.isEmpty()
                          ? relativePermalink
                          : QStringLiteral("/r/%1/comments/%2/").arg(s.subreddit, fullname.mid(3)));
    QString postUrl = url;
    if (s.kind == PostKind::Self)
        postUrl = permalink;
    else if (s.kind == PostKind::Link)
        postUrl = s.url;
    else if (!s.url.isEmpty())
        postUrl = s.url;
    m_posting = true; // recorded whatever the creator does meanwhile: the post is on Reddit
    log::info(kComponent, QStringLiteral("publish.ok"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("fullname"), fullname}});
    QPointer self(this);
    m_services.store->recordRedditPublished(
        m_publication, fullname, permalink, postUrl, s.subreddit, m_publication.kind, s.title,
        createdUtc > 0 ? QDateTime::fromSecsSinceEpoch(createdUtc, Qt::UTC) : QDateTime(), {},
        [self, fullname](Result<bool> recorded) {
            if (!self)
                return;
            if (!recorded)
                // The post is on Reddit; init_started_at is still set, so the next run
                // finds it among the submissions instead of posting again.
                log::warning(kComponent, QStringLiteral("publish.not_recorded"),
                             {{QStringLiteral("correlation_id"), self->m_publication.correlationId},
                              {QStringLiteral("fullname"), fullname},
                              {QStringLiteral("error_code"), recorded.error().code}});
            self->done();
        });
}

void RedditPublisher::withToken(std::function<void(const QByteArray &)> use) {
    QPointer self(this);
    m_services.tokens->get(m_publication.accountId, false, [self, use](Result<QByteArray> token) {
        if (!self)
            return;
        if (!token)
            return self->fail(token.error());
        // Reddit refused the token (401): one fresh token, then the same call again. A
        // refused call was not carried out, so repeating it (even a submit) is safe.
        self->m_retryAfterRefresh = [self, use] {
            self->m_services.tokens->get(self->m_publication.accountId, true,
                                         [self, use](Result<QByteArray> fresh) {
                                             if (!self)
                                                 return;
                                             if (!fresh)
                                                 return self->fail(fresh.error());
                                             use(*fresh);
                                         });
        };
        use(*token);
    });
}

void RedditPublisher::fail(const Error &error) {
    if (m_stopped) {
        // Reddit refused the submit after a pause: nothing was posted, so the mark goes
        // (the row keeps the creator's state).
        if (m_submitAnswered)
            return needsAction(error);
        return done();
    }
    if (error.domain == QLatin1String("relay")) {
        if (error.code == QLatin1String("needs_reconnect") || error.httpStatus == 409 ||
            error.httpStatus == 401 || error.httpStatus == 404)
            return needsAction(withAccountsHint(error));
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    }
    if (error.domain != QLatin1String("reddit"))
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    switch (actionFor(error)) {
    case Action::RefreshAndRetry:
        if (!m_refreshed && m_retryAfterRefresh) {
            m_refreshed = true;
            m_services.tokens->forget(m_publication.accountId);
            log::info(kComponent, QStringLiteral("token.refresh_and_retry"),
                      {{QStringLiteral("correlation_id"), m_publication.correlationId}});
            return m_retryAfterRefresh();
        }
        return needsAction(withAccountsHint(
            queueError(QStringLiteral("unauthorized"),
                       translate("Reddit no longer accepts this account's sign-in."))));
    case Action::Reconnect:
        return needsAction(withAccountsHint(error));
    case Action::WaitUntil:
        return waitThenRetry(error, error.retryAfter
                                        ? qint64(error.retryAfter->count())
                                        : jobs::backoffSeconds(m_publication.attempts));
    case Action::RetryWithBackoff:
        return waitThenRetry(error, jobs::backoffSeconds(m_publication.attempts));
    case Action::CheckReddit:
        return reconcile(0);
    case Action::None:
        if (error.code == QLatin1String("aborted"))
            return done();
        return needsAction(error);
    case Action::FixPost:
    case Action::FixMedia:
    case Action::ChooseAnotherSubreddit:
    case Action::ContactSupport:
        break;
    }
    needsAction(error);
}

void RedditPublisher::waitThenRetry(const Error &error, qint64 seconds) {
    seconds = std::max<qint64>(1, seconds);
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(seconds);
    QString message = error.message;
    if (!message.contains(clockTime(at)))
        message += QLatin1Char(' ') + translate("Next try at %1.").arg(clockTime(at));
    log::info(kComponent, QStringLiteral("retry_scheduled"),
              {{QStringLiteral("correlation_id"), m_publication.correlationId},
               {QStringLiteral("error_code"), error.code},
               {QStringLiteral("seconds"), seconds}});
    QPointer self(this);
    const auto finish = [self](Result<bool>) {
        if (self)
            self->done();
    };
    // Back to queued: the next run starts over, reusing uploaded media; after a lost
    // submit init_started_at stays set, so it looks for the post first.
    if (m_submitAnswered)
        return m_services.store->recordRedditNotPosted(m_id, QStringLiteral("queued"), error.code,
                                                       message, seconds, finish);
    m_services.store->setState(m_id, QStringLiteral("queued"), error.code, message, seconds,
                               finish);
}

void RedditPublisher::needsAction(const Error &error) {
    log::warning(kComponent, QStringLiteral("needs_action"),
                 {{QStringLiteral("correlation_id"), m_publication.correlationId},
                  {QStringLiteral("error_code"), error.code}});
    QPointer self(this);
    const auto finish = [self](Result<bool>) {
        if (self)
            self->done();
    };
    if (m_submitAnswered)
        return m_services.store->recordRedditNotPosted(
            m_id, QStringLiteral("needs_action"), error.code, error.message, std::nullopt, finish);
    m_services.store->setState(m_id, QStringLiteral("needs_action"), error.code, error.message,
                               std::nullopt, finish);
}

void RedditPublisher::pause() {
    m_stopped = true;
    m_reconcileTimer.stop();
    if (m_upload)
        return m_upload->abort(); // the upload's done() ends the job
    if (m_posting)
        return; // the submit is out (or its post awaited): its answer settles the row
    done();
}

void RedditPublisher::cancel() {
    // Nothing to withdraw: an uploaded file no post names is never shown. A submit on its
    // way is awaited: a post that went out is recorded as published.
    pause();
}

} // namespace huntaze::reddit
