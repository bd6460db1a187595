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
#include <optional>

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
// number of times over about two minutes, then hands the row to the creator.
// Failures follow redditerrors.h's actions: waits (RATELIMIT, 429, server trouble before
// sending) put the row back in the queue with next_attempt_at and a message saying when;
// posts Reddit refuses, and missing permissions, become needs_action with the message.
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
    void ensureMedia();
    // Lease, then upload one file; next gets its URL. Only the post's own file reports
    // progress (a video's poster is tiny).
    void upload(const QString &path, bool reportProgress, std::function<void(QUrl)> next);
    void submit();
    void submitted(const SubmitAnswer &answer, const QByteArray &token);
    void reconcile(int look);
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
    QTimer m_reconcileTimer;
    std::function<void()> m_retryAfterRefresh;
    bool m_refreshed = false;
    // Reddit answered the submit with a refusal (nothing was posted), or the creator must
    // look: the row's init mark goes with the state, so the next submit is not taken for
    // a lost one.
    bool m_submitAnswered = false;
    bool m_stopped = false;
    bool m_finished = false;
};

} // namespace huntaze::reddit
