#pragma once

#include "base/result.h"
#include "publication.h"
#include "publicationdraft.h"
#include "store/desktopdatabase.h"

#include <QObject>

#include <functional>
#include <optional>

namespace huntaze::jobs {

// Every statement the publishing queue runs against `publications` (and the platform
// post tables it links), in one place. Each write is one statement, so it is atomic
// even though the desktop's connection is shared with the views. Rows are visible to
// this desktop's user only (row-level security).
class PublicationStore {
public:
    template <typename T> using Done = std::function<void(Result<T>)>;
    explicit PublicationStore(store::DesktopDatabase *database)
        : m_db(database) {}
    store::DesktopDatabase *database() const { return m_db; }

    void enqueue(const PublicationDraft &draft, Done<QList<qint64>> done);
    // Publications due now that no other process works on, oldest first.
    void dueIds(const QList<qint64> &busyHere, int limit, Done<QList<qint64>> done);
    // A session advisory lock: held while this process works on the publication and
    // released by PostgreSQL if the process dies, so a crash never strands a job and
    // two processes (the window and the command line) never work on the same one.
    void tryLock(qint64 id, Done<bool> done);
    void unlock(qint64 id);
    void load(qint64 id, Done<std::optional<Publication>> done);
    // The platform username of an account (for listings and permalinks); "" if unknown.
    void accountUsername(qint64 accountId, Done<QString> done);

    // Before an init call: from here on a lost answer means "outcome unknown".
    // Fails with code "state_changed" when the creator paused or cancelled meanwhile.
    void markInitStarting(qint64 id, Done<bool> done);
    void clearInitStarted(qint64 id, Done<bool> done);
    void recordProgress(qint64 id, qint64 bytesSent);
    // state, error code and message, and when to look again (seconds from now; null: now).
    void setState(qint64 id, const QString &state, const QString &errorCode, const QString &message,
                  std::optional<qint64> nextAttemptInSeconds, Done<bool> done);
    void markPublished(qint64 id, const QString &permalink, const QString &message,
                       Done<bool> done);
    // Back to the start: no remote post, nothing sent (a new init will follow).
    void resetToQueued(qint64 id, const QString &errorCode, const QString &message,
                       Done<bool> done);
    void pause(qint64 id, Done<bool> done);
    void resume(qint64 id, Done<bool> done);
    void cancel(qint64 id, Done<bool> done);
    void retry(qint64 id, Done<bool> done);

    // TikTok: the publish_id and upload URL, and the tiktok_posts row, in one statement.
    void recordTikTokInit(const Publication &publication, const QString &publishId,
                          const QString &uploadUrl, const QString &postMode, const QString &source,
                          qint64 chunkSize, Done<bool> done);
    void recordTikTokStatus(const QString &publishId, const QString &status,
                            const QString &failReason, const QString &postId, qint64 uploadedBytes,
                            Done<bool> done);
    struct PendingShares {
        int pending = 0;
        QDateTime nextFreesAt; // when the oldest pending share leaves the 24-hour window
    };
    void tiktokPendingShares(qint64 accountId, Done<PendingShares> done);

    // Reddit (publicationstorereddit.cpp). The uploaded media of an image/video post, in
    // options.reddit_media ({"url", "poster_url", "uploaded_at"}; the submit names them),
    // and bytes_sent. Recorded whatever the creator did meanwhile: the files are on Reddit.
    void recordRedditMedia(qint64 id, const QJsonObject &media, qint64 bytesSent, Done<bool> done);
    // Reddit answered the submit with a refusal: nothing was posted, so init_started_at
    // (and options.reddit_unconfirmed) are cleared and the next submit is not mistaken for
    // a lost one. A row still in the queue goes to `state` with the message; one the
    // creator paused or cancelled meanwhile keeps its state.
    void recordRedditNotPosted(qint64 id, const QString &state, const QString &errorCode,
                               const QString &message, std::optional<qint64> nextAttemptInSeconds,
                               Done<bool> done);
    // Reddit did not confirm a post that may exist: needs_action with the message, the
    // init mark kept, and options.reddit_unconfirmed {"submitted_at"} saying the creator
    // was asked (their Retry looks once more before posting).
    void recordRedditUnconfirmed(qint64 id, const QString &errorCode, const QString &message,
                                 const QDateTime &submittedAt, Done<bool> done);
    // The creator's Retry found no post: the marks go before the post is made afresh.
    void clearRedditUnconfirmed(qint64 id, Done<bool> done);
    // The post in reddit_posts (upserted on fullname: publication_id and what the desktop
    // knows set, the relay's score/num_comments/upvote_ratio/removed_by_category
    // untouched) and the publication settled published with its fullname and permalink,
    // in one statement, whatever the creator did meanwhile: the post is on Reddit.
    void recordRedditPublished(const Publication &publication, const QString &fullname,
                               const QString &permalink, const QString &url,
                               const QString &subreddit, const QString &kind, const QString &title,
                               const QDateTime &postedAt, const QString &message, Done<bool> done);

    // Instagram (publicationstoreinstagram.cpp). A container made for the publication,
    // under options.ig_containers[key] ("0".."9" for carousel items, "main" for the post;
    // "main" is also the row's remote_id). Recorded whatever the creator did meanwhile.
    void recordInstagramContainer(qint64 id, const QString &key, const QJsonObject &container,
                                  Done<bool> done);
    // A local photo the relay now hosts, at `url` until `expiresAt`: for key "main" in
    // options.hosted_url (and hosted_expires_at), for carousel item "<i>" in
    // options.items[i].url (and url_expires_at). Containers are then made from the URL.
    void recordInstagramHostedUrl(qint64 id, const QString &key, const QString &url,
                                  const QDateTime &expiresAt, Done<bool> done);
    // Before media_publish: from here on a lost answer means "look at the container's
    // status before publishing again" (PUBLISHED there means it went out).
    void markInstagramPublishStarting(qint64 id, Done<bool> done);
    // The published media in ig_media, linked to its publication, and the publication
    // settled as published with its permalink, in one statement.
    void recordInstagramPublished(qint64 id, const QString &igBusinessId, const QString &mediaId,
                                  const QString &mediaType, const QString &mediaProductType,
                                  const QString &permalink, const QString &message,
                                  Done<bool> done);
    // Posts this desktop's user published to an Instagram account in the last
    // `windowSeconds`, and when the oldest leaves that window (the quota's rolling day).
    void instagramPublishedRecently(const QString &igBusinessId, qint64 windowSeconds,
                                    Done<PendingShares> done);

    // X (publicationstorex.cpp). Where the upload of media file `index` stands, under
    // options.x_media["<index>"] ({"media_id", "segments_sent", "expires_at", "bytes",
    // "ready"}; an empty object forgets it), and bytes_sent over all files. Recorded
    // whatever the creator did meanwhile: the upload exists on X now.
    void recordXMediaCheckpoint(qint64 id, int index, const QJsonObject &checkpoint,
                                qint64 bytesSent, Done<bool> done);
    // Every media checkpoint dropped: the files are uploaded again (X forgot the media).
    void forgetXMedia(qint64 id, Done<bool> done);
    // The post in x_posts (upserted on tweet_id: publication_id and text set, the relay's
    // metric columns untouched) and the publication settled published with its post id
    // and permalink, in one statement, whatever the creator did meanwhile.
    void recordXPublished(const Publication &publication, const QString &postId,
                          const QString &text, const QString &permalink, const QString &message,
                          Done<bool> done);
    // X did not confirm a post that may exist: needs_action with `message`, and the
    // init mark cleared, so that the creator's Retry (after checking the profile) posts.
    void recordXUnconfirmed(qint64 id, const QString &message, Done<bool> done);

private:
    void write(const QString &sql, const QList<store::PgParam> &params, Done<bool> done);
    store::DesktopDatabase *m_db;
};

} // namespace huntaze::jobs
