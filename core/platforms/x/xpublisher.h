#pragma once

#include "base/result.h"
#include "jobs/publication.h"
#include "jobs/publicationjob.h"
#include "xmediarules.h"
#include "xmediauploader.h"
#include "xpostrequest.h"

#include <QElapsedTimer>
#include <QPointer>

#include <functional>

namespace huntaze::x {

// What one X publication row asks for, checked locally before anything is sent.
struct XPostPlan {
    QString text;
    ReplySettings replySettings = ReplySettings::Everyone;
    QList<MediaFile> files; // in the order they are attached
    qint64 totalBytes() const;
};

// The plan for a row, or an Error (domain "x") saying what to change: kind text | images
// (options.x.images, 1 to 4 paths) | gif | video (source_path); X's text rules, file
// types, sizes and combinations (xmediarules.h, xpostrequest.h). Reads the files' heads.
Result<XPostPlan> xPostPlan(const jobs::Publication &publication);

// Takes one X publication through its steps, recording each in its row first, so a
// crash anywhere resumes without a second post:
//   local checks (text, media set, sizes; a video's duration, codec and frame rate)
//   -> each file uploaded with XMediaUploader (initialize, APPEND <= 5 MB segments,
//   finalize, STATUS until succeeded), every checkpoint recorded in options.x_media
//   ["<index>"] with bytes_sent over all files, so a restart resumes the file where it
//   stopped (or starts it over once X's media id has expired, or the file changed)
//   -> init_started_at set (markInitStarting) -> POST /2/tweets, sent once -> the post in
//   x_posts and the publication settled published with its permalink, in one statement.
//
// A lost create-post answer (outcome_unknown, or a run that finds init_started_at set and
// no remote_id) is never posted again on Huntaze's own: X's contract (x.md) and the
// sandbox offer no way to list the account's recent posts, and a post id cannot be
// guessed, so the post cannot be looked for. The row goes to needs_action ("X did not
// confirm the post; check your profile before posting again") with init_started_at
// cleared, so the creator's Retry after checking does post. Should the first post exist
// after all, X refuses the identical text as duplicate content: a second safety net,
// which lands in needs_action with X's message. (Media-only posts have no such net; the
// creator's check is the safeguard.)
//
// Failures follow xerrors.h's actions: a refused token is renewed and the step retried
// once, then needs_action (reconnect in Accounts); rate limits and the 24-hour caps keep
// the row waiting (queued, or uploading with a file part-sent) until X's reset, with a
// message naming the time; duplicate content, refused text or media, and account
// trouble go to needs_action with X's message; media X forgot is uploaded again; X-side
// trouble and no connection back off (jobs/backoff.h).
//
// kind text | images | gif | video; caption: the text; source_path: the GIF or video;
// options.x: {"images": [up to 4 paths], "reply_settings"}; options.x_media: this job's.
class XPublisher : public jobs::PublicationJob {
    Q_OBJECT
public:
    XPublisher(qint64 publicationId, const jobs::PublishingServices &services,
               QObject *parent = nullptr);
    ~XPublisher() override;

    qint64 publicationId() const override { return m_id; }
    void run() override;
    void pause() override;
    void cancel() override;

    // Media uploaded but not yet posted is uploaded again when X would forget it sooner.
    static constexpr qint64 kMediaMarginSeconds = 900;
    // Uploads started over (X forgot the media) before the creator is asked.
    static constexpr int kMaxStartOvers = 3;

private:
    void checkVideo(std::function<void()> next);
    void uploadNext();
    void uploadFile(int index);
    void onCheckpoint(int index, const UploadCheckpoint &checkpoint);
    void onUploaded(int index, const Result<UploadedMedia> &outcome);
    void startOver(const Error &error);
    void post();
    void published(const QString &postId, const QString &text);
    void recordPublished(const QString &postId, const QString &text, const QString &permalink,
                         int attempt);
    void unconfirmed();

    void withToken(std::function<void(const QByteArray &)> use);
    void fail(const Error &error);
    void waitThenRetry(const Error &error, qint64 seconds);
    void needsAction(const Error &error);
    void forgetFile(int index, std::function<void()> next);
    void done();

    QJsonObject checkpointOf(int index) const;
    bool isReady(int index) const;
    qint64 bytesDone(int index, qint64 inFile) const; // over all files
    QString stateNow() const;                         // queued | uploading
    QString account() const { return QString::number(m_publication.accountId); }

    qint64 m_id;
    jobs::PublishingServices m_services;
    jobs::Publication m_publication;
    XPostPlan m_plan;
    QPointer<XMediaUploader> m_uploader;
    QElapsedTimer m_clock;
    qint64 m_bytesAtStart = -1; // for the speed: bytes already with X when this run began
    int m_startOvers = 0;
    bool m_refreshed = false;  // a refused token is renewed and the step retried once
    bool m_renewToken = false; // the next token asked for is a renewed one
    bool m_posting = false;    // the create call is out: its answer must be recorded
    bool m_stopped = false;
    bool m_finished = false;
    std::function<void()> m_retryAfterRefresh;
};

} // namespace huntaze::x
