#pragma once

#include "base/result.h"
#include "jobs/publication.h"
#include "jobs/publicationjob.h"
#include "redditerrors.h"
#include "redditlisting.h"
#include "redditmedialease.h"
#include "redditsubmission.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QTemporaryFile;

namespace huntaze::reddit {

// What a Reddit publication row asks for (the contract's options.reddit), as a Submission,
// plus the local files a media post uploads first. An Error when the row describes no
// post Huntaze can make.
struct RedditPlan {
    Submission submission; // url / videoPosterUrl empty until the media is uploaded
    QString mediaPath;     // kinds image and video: the local file
    QString posterPath;    // kind video: options.reddit.poster_path, or "" (one is made)
    bool media() const { return !mediaPath.isEmpty(); }
};
Result<RedditPlan> redditPlan(const jobs::Publication &publication);

// Takes one Reddit publication through its steps, recording each in its row first, so a
// crash anywhere resumes without a second post:
//   self/link:   check locally -> init_started_at set -> submit (sent once) -> the post's
//                fullname -> the reddit_posts row and the publication settled, together.
//   image/video: check locally -> lease + upload the file (and a video's poster), their
//                URLs recorded in options.reddit_media (reused after a restart while the
//                lease is young) -> init_started_at set -> submit -> the post learned
//                from the websocket (or the user's submissions) -> recorded as above.
// A submit whose answer was lost, or a run that finds init_started_at set without a post,
// never submits again: it looks for the post among the user's submissions (same
// subreddit and title, made after init_started_at less a minute of clock skew) a bounded
// number of times over about two minutes, then hands the row to the creator, keeping the
// mark and noting in options.reddit_unconfirmed that they were asked. Their Retry looks
// once more (Reddit's listing can lag) and posts only if the post is still not there.
// Pause and cancel wait while a submit is out (from the init mark to its answer) or its
// image/video post is awaited: a post that went out is recorded as published, with its
// permalink, even if the creator cancelled meanwhile - it is live on Reddit, so Huntaze
// shows it. A refusal that arrives after a pause still removes the mark (nothing was
// posted); the row keeps the creator's state.
// A video without a chosen poster gets a plain one, made in a private temporary file
// off the GUI thread and removed when the upload or the job ends.
class RedditPublisher : public jobs::PublicationJob {
    Q_OBJECT
public:
    RedditPublisher(qint64 publicationId, const jobs::PublishingServices &services,
                    QObject *parent = nullptr);
    ~RedditPublisher() override;

    qint64 publicationId() const override { return m_id; }
    void run() override;
    void pause() override;
    void cancel() override;

    // Reconciling a lost submit: this many looks at the submissions, this far apart.
    static constexpr int kReconcileLooks = 7;
    static constexpr int kReconcileIntervalMs = 20000;
    // Clock skew allowed between this computer and Reddit when matching a post.
    static constexpr qint64 kClockSkewSeconds = 60;
    // An uploaded file is named by a submit only while its lease is this young (Reddit's
    // leases live an hour; the margin covers a slow submit).
    static constexpr qint64 kMediaReuseSeconds = 3000;

    // The post a lost submit made, among the user's newest submissions: same subreddit
    // (any case) and title, created no earlier than `since` less the clock skew.
    static std::optional<PostInfo> findSubmitted(const QList<PostInfo> &posts,
                                                 const QString &subreddit, const QString &title,
                                                 const QDateTime &since);

private:
    void start();
    void proceed(); // upload what a media post needs, then submit
    void ensureMedia();
    // The stand-in poster of a video, written off the GUI thread into m_poster; next gets
    // its path, or "" when it could not be written.
    void makePoster(std::function<void(QString)> next);
    // Lease, then upload one file; next gets its URL. Only the post's own file reports
    // progress (a video's poster is tiny).
    void upload(const QString &path, bool reportProgress, std::function<void(QUrl)> next);
    void submit();
    void submitted(const SubmitAnswer &answer, const QByteArray &token);
    // One look at the user's newest submissions for this post (made after `since`).
    void lookForPost(const QDateTime &since, std::function<void(std::optional<PostInfo>)> next);
    void reconcile(int look);
    // After the creator's Retry of an unconfirmed post: one look, then post if absent.
    void recheck();
    // The post's outcome is unknown: the creator checks their profile (the mark stays).
    void askCreator(const Error &error);
    void published(const QString &fullname, const QString &relativePermalink, const QString &url,
                   qint64 createdUtc);

    void withToken(std::function<void(const QByteArray &)> use);
    void fail(const Error &error);
    void waitThenRetry(const Error &error, qint64 seconds);
    void needsAction(const Error &error);
    void done();

    QString limitKey() const { return QString::number(m_publication.accountId); }
    QJsonObject mediaCheckpoint() const;

    qint64 m_id;
    jobs::PublishingServices m_services;
    jobs::Publication m_publication;
    RedditPlan m_plan;
    QString m_username;
    QPointer<QNetworkReply> m_upload;
    std::shared_ptr<QTemporaryFile> m_poster; // a made-up video poster, until uploaded
    QTimer m_reconcileTimer;
    std::function<void()> m_retryAfterRefresh;
    bool m_refreshed = false;
    // Reddit answered the submit with a refusal (nothing was posted): the row's init mark
    // goes with the state, so the next submit is not taken for a lost one.
    bool m_submitAnswered = false;
    // The init mark is being written, the submit is out, its media post is awaited or
    // the post is being recorded: pause and cancel let the answer settle the row.
    bool m_posting = false;
    bool m_stopped = false;
    bool m_finished = false;
};

} // namespace huntaze::reddit
