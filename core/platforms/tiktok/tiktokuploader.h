#pragma once

#include "base/result.h"
#include "chunkplan.h"
#include "upload/curlchunksender.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QUrl>

namespace huntaze::tiktok {

struct UploadTarget {
    QUrl uploadUrl;
    QString filePath;
    ChunkPlan plan;
    QByteArray contentType; // video/mp4, video/quicktime or video/webm
};

// Sends a FILE_UPLOAD's chunks in order, exactly per TikTok's chunk rules: one PUT per
// chunk with Content-Type, Content-Length and an inclusive Content-Range, each chunk
// streamed from disk (by libcurl on a thread of its own: upload/curlchunksender.h).
// TikTok's own answer (Content-Range: bytes 0-N/TOTAL) decides
// where to go on, so a resumed upload continues from the byte TikTok acknowledged, and
// a 416 is answered by continuing where TikTok says it is. A 5xx or dropped connection
// retries the chunk with backoff; a paused or cancelled upload stops mid-chunk.
class TikTokUploader : public QObject {
    Q_OBJECT
public:
    explicit TikTokUploader(QObject *parent = nullptr);
    ~TikTokUploader() override;

    // resumeFrom: bytes TikTok is known to hold already (0 for a new upload).
    void start(const UploadTarget &target, qint64 resumeFrom);
    void pause();  // finished(code "paused"); start again with the acknowledged bytes
    void cancel(); // finished(code "cancelled")
    bool isRunning() const { return m_running; }

    // Reads "bytes 0-N/T" or "bytes */T": how many bytes the platform holds, or -1.
    static qint64 receivedFromContentRange(const QByteArray &header, qint64 total);

Q_SIGNALS:
    void progress(qint64 bytesSent, qint64 bytesTotal, double bytesPerSecond);
    void acknowledged(qint64 bytesReceived); // TikTok confirmed it holds this many bytes
    void finished(const huntaze::Result<void> &outcome);

private:
    void sendChunk(int index);
    void onChunkAnswered(const upload::ChunkAnswer &answer);
    void retryChunk(int index, const QString &why);
    void finish(Result<void> outcome);
    void stop(const QString &code, const QString &message);

    QThread m_thread;
    upload::CurlChunkSender *m_sender;
    quint64 m_requestId = 0; // the chunk being sent; older answers are ignored
    UploadTarget m_target;
    int m_chunk = 0;
    int m_attempt = 0;
    int m_restarts = 0;
    bool m_running = false;
    qint64 m_acknowledged = 0;
    QElapsedTimer m_clock;
    qint64 m_startPosition = 0; // where this run began, for the speed
    double m_bytesPerSecond = 0;
};

} // namespace huntaze::tiktok
