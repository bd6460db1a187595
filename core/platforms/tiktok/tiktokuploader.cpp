#include "tiktokuploader.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

namespace huntaze::tiktok {

namespace {
constexpr int kMaxAttemptsPerChunk = 5;
constexpr int kMaxRestarts = 3; // 416 answers followed in a row

QString translate(const char *text) {
    return QCoreApplication::translate("TikTokUploader", text);
}

Error uploadError(const QString &code, const QString &message, int status, bool retryable,
                  const QString &detail = {}) {
    return Error{QStringLiteral("tiktok"), code, message, detail, status, retryable, {}};
}
} // namespace

TikTokUploader::TikTokUploader(QObject *parent)
    : QObject(parent)
    , m_sender(new upload::CurlChunkSender) {
    m_thread.setObjectName(QStringLiteral("tiktok-upload"));
    m_sender->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_sender, &QObject::deleteLater);
    connect(m_sender, &upload::CurlChunkSender::answered, this, &TikTokUploader::onChunkAnswered);
    connect(m_sender, &upload::CurlChunkSender::progressed, this, [this](quint64 id, qint64 sent) {
        if (id != m_requestId || !m_running)
            return;
        const qint64 position = m_target.plan.chunkStart(m_chunk) + sent;
        // Average since this run started: steady enough for "time left", and a
        // resumed upload's earlier bytes do not inflate it.
        if (const qint64 elapsedMs = m_clock.elapsed(); elapsedMs > 0)
            m_bytesPerSecond = double(position - m_startPosition) * 1000.0 / double(elapsedMs);
        Q_EMIT progress(position, m_target.plan.videoSize, m_bytesPerSecond);
    });
    m_thread.start();
}

TikTokUploader::~TikTokUploader() {
    m_sender->abort(); // a chunk in flight stops at its next progress report
    m_thread.quit();
    m_thread.wait();
}

qint64 TikTokUploader::receivedFromContentRange(const QByteArray &header, qint64 total) {
    static const QRegularExpression range(
        QStringLiteral("^bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+)$"));
    const auto match = range.match(QString::fromLatin1(header.trimmed()));
    bool totalOk = false;
    if (!match.hasMatch() || match.captured(3).toLongLong(&totalOk) != total || !totalOk)
        return -1;
    if (match.captured(2).isEmpty())
        return 0; // "bytes */TOTAL": nothing received yet
    // Numbers that do not fit are refused, not read as 0 (toLongLong's failure value).
    bool firstOk = false;
    bool lastOk = false;
    const qint64 first = match.captured(1).toLongLong(&firstOk);
    const qint64 last = match.captured(2).toLongLong(&lastOk);
    if (!firstOk || !lastOk || first != 0)
        return -1; // TikTok reports what it holds from byte 0
    return last < total ? last + 1 : -1;
}

void TikTokUploader::start(const UploadTarget &target, qint64 resumeFrom) {
    m_target = target;
    m_running = true;
    m_attempt = 0;
    m_restarts = 0;
    m_acknowledged = std::clamp<qint64>(resumeFrom, 0, target.plan.videoSize);
    m_startPosition = target.plan.chunkStart(target.plan.chunkAt(m_acknowledged));
    m_clock.start();
    m_bytesPerSecond = 0;
    sendChunk(target.plan.chunkAt(m_acknowledged));
}

void TikTokUploader::sendChunk(int index) {
    m_chunk = index;
    const ChunkPlan &plan = m_target.plan;
    upload::ChunkRequest request;
    request.id = ++m_requestId;
    request.url = m_target.uploadUrl;
    request.filePath = m_target.filePath;
    request.first = plan.chunkStart(index);
    request.length = plan.chunkLength(index);
    request.headers = {
        {"Content-Type", m_target.contentType},
        {"Content-Range", "bytes " + QByteArray::number(request.first) + '-' +
                              QByteArray::number(request.first + request.length - 1) + '/' +
                              QByteArray::number(plan.videoSize)}};
    QMetaObject::invokeMethod(m_sender, [sender = m_sender, request] { sender->send(request); });
}

void TikTokUploader::onChunkAnswered(const upload::ChunkAnswer &answer) {
    if (answer.id != m_requestId || !m_running)
        return; // an older chunk's answer, or paused/cancelled: finished() was emitted
    if (answer.fileProblem)
        return finish(uploadError(
            QStringLiteral("file_changed"),
            translate("The video file can no longer be read as it was when queued (moved, "
                      "changed or deleted). Add it to the queue again."),
            0, false, answer.error));
    const int status = answer.status;
    const qint64 total = m_target.plan.videoSize;
    const qint64 received = receivedFromContentRange(answer.contentRange, total);
    switch (status) {
    case 201:
        m_acknowledged = total;
        Q_EMIT acknowledged(total);
        return finish({});
    case 206: {
        const qint64 chunkEnd =
            m_target.plan.chunkStart(m_chunk) + m_target.plan.chunkLength(m_chunk);
        m_acknowledged = received > 0 ? received : chunkEnd;
        m_attempt = 0;
        m_restarts = 0;
        Q_EMIT acknowledged(m_acknowledged);
        if (m_acknowledged >= total)
            return finish({});
        return sendChunk(m_target.plan.chunkAt(m_acknowledged));
    }
    case 416: {
        // Not the continuation TikTok expected: go on from where TikTok says it is.
        if (received == total || (received < 0 && m_acknowledged >= total))
            return finish({});
        const int next = received >= 0 ? m_target.plan.chunkAt(received) : -1;
        if (received < 0 || m_target.plan.chunkStart(next) != received ||
            ++m_restarts > kMaxRestarts)
            return finish(uploadError(
                QStringLiteral("upload_out_of_step"),
                translate("TikTok and Huntaze disagree about how much of the video was sent; "
                          "the upload starts over."),
                status, false, QString::fromLatin1(answer.contentRange)));
        m_acknowledged = received;
        Q_EMIT acknowledged(received);
        return sendChunk(next);
    }
    case 403:
        return finish(uploadError(QStringLiteral("upload_url_expired"),
                                  translate("TikTok's upload link expired (it lasts one hour); "
                                            "the upload starts over with a new one."),
                                  status, false));
    case 404:
        return finish(uploadError(QStringLiteral("upload_not_found"),
                                  translate("TikTok no longer knows this upload; it starts over."),
                                  status, false));
    case 400:
        return finish(uploadError(QStringLiteral("chunk_rejected"),
                                  translate("TikTok refused a piece of the video. The upload "
                                            "starts over; if it happens again, re-export the "
                                            "video and add it again."),
                                  status, false, QString::fromUtf8(answer.body.left(4096))));
    default:
        if (status == 0 || status >= 500 || status == 429)
            return retryChunk(m_chunk,
                              status ? QStringLiteral("HTTP %1").arg(status) : answer.error);
        return finish(uploadError(QStringLiteral("chunk_rejected"),
                                  translate("TikTok refused the upload (HTTP %1).").arg(status),
                                  status, false));
    }
}

void TikTokUploader::retryChunk(int index, const QString &why) {
    if (++m_attempt >= kMaxAttemptsPerChunk)
        return finish(uploadError(QStringLiteral("unreachable"),
                                  translate("The upload to TikTok keeps failing; Huntaze retries "
                                            "later from where it stopped."),
                                  0, true, why));
    // Full jitter on 1, 2, 4, 8 s so many uploaders do not retry in step.
    const int ceilingMs = 1000 << (m_attempt - 1);
    const int waitMs = 200 + int(QRandomGenerator::global()->bounded(ceilingMs));
    QTimer::singleShot(waitMs, this, [this, index] {
        if (m_running)
            sendChunk(index);
    });
}

void TikTokUploader::pause() {
    stop(QStringLiteral("paused"), translate("Paused."));
}

void TikTokUploader::cancel() {
    stop(QStringLiteral("cancelled"), translate("Cancelled."));
}

void TikTokUploader::stop(const QString &code, const QString &message) {
    if (!m_running)
        return;
    finish(uploadError(code, message, 0, false));
}

void TikTokUploader::finish(Result<void> outcome) {
    m_running = false;
    m_sender->abort(); // stops a chunk still in flight (pause, cancel); harmless otherwise
    ++m_requestId;     // and its answer, when it comes, is ignored
    Q_EMIT finished(outcome);
}

} // namespace huntaze::tiktok
