#pragma once

#include "base/result.h"
#include "xanswers.h"
#include "xmediarules.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>

namespace huntaze::x {

class XClient;

struct UploadProgress {
    enum class Stage { Uploading, Processing };
    Stage stage = Stage::Uploading;
    qint64 sentBytes = 0; // of the file, acknowledged or on its way
    qint64 totalBytes = 0;
    int processingPercent = -1; // Processing: X's progress_percent, when it gave one
};

// Ready to attach to a post (media.media_ids).
struct UploadedMedia {
    QString mediaId;
    QString mediaKey;
    MediaCategory category = MediaCategory::Image;
    qint64 size = 0;
};

// Where an upload stands, to resume it after a pause, a refused token or a restart: X
// keeps an initialized upload for a day, and a segment sent again under its index
// replaces itself, so a resumed upload sends only the segments X has not acknowledged.
struct UploadCheckpoint {
    QString mediaId;
    int segmentsSent = 0;      // segments 0..segmentsSent-1 are with X
    qint64 expiresAtEpoch = 0; // when X forgets the upload (0: not known)
};

// Uploads one local file to X exactly as x.md describes: initialize (total_bytes,
// media_type, media_category), APPEND segments of at most 5 MB streamed from the file
// with their segment_index, finalize, then STATUS every processing_info.check_after_secs
// until it succeeds or fails (videos and GIFs; images need no processing). Transient
// trouble (no connection, 5xx, an unreadable answer) retries the step with backoff;
// anything else ends the upload with X's Problem as the Error, and the last checkpoint()
// lets the queue resume it (for example after a token refresh).
class XMediaUploader : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxAttempts = 5;              // per step
    static constexpr int kLongestProcessingSecs = 1800; // then "processing_timeout"
    static constexpr int kDefaultCheckAfterSecs = 5;    // when X names no interval

    explicit XMediaUploader(XClient *client, QObject *parent = nullptr);

    // resume: a checkpoint() of an earlier run of this file's upload, or empty for new.
    void start(const QString &account, const QByteArray &token, const MediaFile &file,
               const UploadCheckpoint &resume = {});
    void cancel(); // finished(code "cancelled"); the checkpoint stays valid
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const huntaze::x::UploadProgress &progress);
    void checkpoint(const huntaze::x::UploadCheckpoint &checkpoint);
    void finished(const huntaze::Result<huntaze::x::UploadedMedia> &outcome);

private:
    void initialize();
    void appendNext();
    void finalize();
    void poll(int afterSecs);
    void onProcessing(const Processing &processing);
    // Runs `again` after a backoff when `error` is transient and attempts remain; else
    // ends the upload with it.
    void retryOrFail(const Error &error, std::function<void()> again);
    void finish(Result<UploadedMedia> outcome);
    void emitUploading(qint64 sentBytes);
    // True while the run that `run` names is still the one going on.
    bool isCurrent(quint64 run) const { return m_running && m_run == run; }
    // Runs `step` after `ms`, unless the run it belongs to is over by then.
    void later(int ms, std::function<void()> step);
    // Wraps a step's callback so it is dropped once the run it belongs to is over.
    template <typename T> std::function<void(Result<T>)> guarded(std::function<void(Result<T>)> f);

    XClient *m_client;
    quint64 m_run = 0;
    bool m_running = false;
    QString m_account;
    QByteArray m_token;
    MediaFile m_file;
    SegmentPlan m_plan;
    UploadCheckpoint m_checkpoint;
    QString m_mediaKey;
    int m_attempt = 0;
    QElapsedTimer m_processingClock;
};

} // namespace huntaze::x
