#include "xmediauploader.h"

#include "xclient.h"
#include "xerrors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace huntaze::x {

namespace {

constexpr int kLongestCheckAfterSecs = 60;
// A checkpoint this close to X forgetting the upload is not worth resuming.
constexpr qint64 kResumeMarginSecs = 600;

QString translate(const char *text) {
    return QCoreApplication::translate("XMediaUploader", text);
}

Error uploadError(const char *code, const QString &message, bool retryable,
                  const QString &detail = {}) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = QString::fromLatin1(code);
    error.message = message;
    error.detail = detail;
    error.retryable = retryable;
    return error;
}

// Trouble that a moment's wait may cure; everything else is for the queue to decide.
bool isTransient(const Error &error) {
    static const QStringList codes = {QStringLiteral("unreachable"), QStringLiteral("server_error"),
                                      QStringLiteral("over_capacity"),
                                      QStringLiteral("invalid_answer")};
    return codes.contains(error.code);
}

qint64 nowEpoch() {
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

XMediaUploader::XMediaUploader(XClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client) {}

void XMediaUploader::later(int ms, std::function<void()> step) {
    QTimer::singleShot(ms, this, [this, run = m_run, step = std::move(step)] {
        if (isCurrent(run))
            step();
    });
}

template <typename T>
std::function<void(Result<T>)> XMediaUploader::guarded(std::function<void(Result<T>)> f) {
    return [self = QPointer<XMediaUploader>(this), run = m_run, f = std::move(f)](Result<T> r) {
        if (self && self->isCurrent(run))
            f(std::move(r));
    };
}

void XMediaUploader::start(const QString &account, const QByteArray &token, const MediaFile &file,
                           const UploadCheckpoint &resume) {
    ++m_run;
    m_running = true;
    m_account = account;
    m_token = token;
    m_file = file;
    m_attempt = 0;
    m_mediaKey.clear();
    m_checkpoint = {};
    const QFileInfo info(file.path);
    if (!info.isFile() || info.size() != file.size)
        return later(0, [this] {
            finish(
                uploadError("file_changed",
                            translate("The file is no longer as it was when it was added (moved, "
                                      "changed or deleted). Add it again, then post."),
                            false));
        });
    Result<SegmentPlan> plan = SegmentPlan::forSize(file.size);
    if (!plan)
        return later(0, [this, error = plan.error()] { finish(error); });
    m_plan = *plan;
    const bool resumable =
        isXId(resume.mediaId) && resume.segmentsSent >= 0 && resume.segmentsSent <= m_plan.count &&
        (resume.expiresAtEpoch == 0 || resume.expiresAtEpoch > nowEpoch() + kResumeMarginSecs);
    if (resumable) {
        m_checkpoint = resume;
        emitUploading(m_plan.start(resume.segmentsSent));
        return later(0, [this] { appendNext(); });
    }
    emitUploading(0);
    later(0, [this] { initialize(); });
}

void XMediaUploader::cancel() {
    if (m_running)
        finish(uploadError("cancelled", translate("The upload was cancelled."), false));
}

void XMediaUploader::emitUploading(qint64 sentBytes) {
    if (!m_running)
        return; // nothing is reported after finished()
    UploadProgress report;
    report.stage = UploadProgress::Stage::Uploading;
    report.sentBytes = std::clamp<qint64>(sentBytes, 0, m_file.size);
    report.totalBytes = m_file.size;
    Q_EMIT progress(report);
}

void XMediaUploader::retryOrFail(const Error &error, std::function<void()> again) {
    if (!isTransient(error) || ++m_attempt >= kMaxAttempts)
        return finish(error);
    // Full jitter on 1, 2, 4, 8 s so many uploaders do not retry in step.
    const int ceilingMs = 1000 << (m_attempt - 1);
    later(250 + int(QRandomGenerator::global()->bounded(ceilingMs)), std::move(again));
}

void XMediaUploader::initialize() {
    m_client->initializeUpload(
        m_account, m_token, m_file, guarded<UploadSession>([this](Result<UploadSession> session) {
            if (!session)
                return retryOrFail(session.error(), [this] { initialize(); });
            m_attempt = 0;
            m_mediaKey = session->mediaKey;
            m_checkpoint.mediaId = session->mediaId;
            m_checkpoint.segmentsSent = 0;
            m_checkpoint.expiresAtEpoch =
                session->expiresAfterSecs > 0 ? nowEpoch() + session->expiresAfterSecs : 0;
            const quint64 run = m_run;
            Q_EMIT checkpoint(m_checkpoint);
            if (isCurrent(run)) // a listener may have cancelled
                appendNext();
        }));
}

void XMediaUploader::appendNext() {
    const int index = m_checkpoint.segmentsSent;
    if (index >= m_plan.count)
        return finalize();
    Segment segment;
    segment.mediaId = m_checkpoint.mediaId;
    segment.filePath = m_file.path;
    segment.index = index;
    segment.offset = m_plan.start(index);
    segment.length = m_plan.length(index);
    const qint64 offset = segment.offset;
    const qint64 length = segment.length;
    auto onProgress = [self = QPointer<XMediaUploader>(this), run = m_run, offset,
                       length](qint64 sent, qint64 total) {
        if (!self || !self->isCurrent(run))
            return false; // cancelled: stop the segment
        // The request also carries the multipart framing: scale to the segment's bytes.
        self->emitUploading(offset + length * std::min(sent, total) / total);
        return true;
    };
    m_client->appendSegment(m_account, m_token, segment, onProgress,
                            guarded<qint64>([this, index](Result<qint64> expiresAt) {
                                if (!expiresAt)
                                    return retryOrFail(expiresAt.error(), [this] { appendNext(); });
                                m_attempt = 0;
                                m_checkpoint.segmentsSent = index + 1;
                                if (*expiresAt > 0)
                                    m_checkpoint.expiresAtEpoch = *expiresAt;
                                const quint64 run = m_run;
                                Q_EMIT checkpoint(m_checkpoint);
                                emitUploading(m_plan.start(index) + m_plan.length(index));
                                if (isCurrent(run)) // a listener may have cancelled
                                    appendNext();
                            }));
}

void XMediaUploader::finalize() {
    m_client->finalizeUpload(m_account, m_token, m_checkpoint.mediaId,
                             guarded<FinalizeAnswer>([this](Result<FinalizeAnswer> answer) {
                                 if (!answer)
                                     return retryOrFail(answer.error(), [this] { finalize(); });
                                 m_attempt = 0;
                                 if (!answer->mediaKey.isEmpty())
                                     m_mediaKey = answer->mediaKey;
                                 m_processingClock.start();
                                 // No processing_info: an image, checked at finalize and ready now.
                                 if (!answer->processing)
                                     return finish(UploadedMedia{m_checkpoint.mediaId, m_mediaKey,
                                                                 m_file.category, m_file.size});
                                 onProcessing(*answer->processing);
                             }));
}

void XMediaUploader::onProcessing(const Processing &processing) {
    if (processing.state == Processing::State::Failed) {
        Error error =
            toError(problemForProcessingFailure(processing.errorName, processing.errorMessage));
        error.detail = QStringLiteral("processing failed: %1")
                           .arg(cleanPlatformText(processing.errorName, 60));
        return finish(error);
    }
    const bool ready = processing.state == Processing::State::Succeeded;
    UploadProgress report;
    report.stage = UploadProgress::Stage::Processing;
    report.sentBytes = m_file.size;
    report.totalBytes = m_file.size;
    report.processingPercent = ready ? 100 : processing.progressPercent;
    const quint64 run = m_run;
    Q_EMIT progress(report);
    if (!isCurrent(run)) // a listener may have cancelled
        return;
    if (ready)
        return finish(
            UploadedMedia{m_checkpoint.mediaId, m_mediaKey, m_file.category, m_file.size});
    if (m_processingClock.elapsed() > qint64(kLongestProcessingSecs) * 1000)
        return finish(
            uploadError("processing_timeout",
                        translate("X is still processing the file after 30 minutes. Huntaze "
                                  "will check on it again later."),
                        true));
    // Pending or in progress (or a state X has not documented): ask again when X says.
    const int after = processing.checkAfterSecs > 0
                          ? std::min(processing.checkAfterSecs, kLongestCheckAfterSecs)
                          : kDefaultCheckAfterSecs;
    poll(after);
}

void XMediaUploader::poll(int afterSecs) {
    later(afterSecs * 1000, [this] {
        m_client->uploadStatus(m_account, m_token, m_checkpoint.mediaId,
                               guarded<StatusAnswer>([this](Result<StatusAnswer> status) {
                                   if (!status)
                                       return retryOrFail(status.error(), [this] { poll(0); });
                                   m_attempt = 0;
                                   if (!status->processing) {
                                       Processing done;
                                       done.state = Processing::State::Succeeded;
                                       return onProcessing(done);
                                   }
                                   onProcessing(*status->processing);
                               }));
    });
}

void XMediaUploader::finish(Result<UploadedMedia> outcome) {
    m_running = false;
    ++m_run; // whatever is still in flight for this run is ignored when it answers
    Q_EMIT finished(outcome);
}

} // namespace huntaze::x
