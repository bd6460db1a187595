#include "tiktokupload.h"

#include <QRegularExpression>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

void TikTokUpload::registerRoutes(Router &router) {
    router.add("PUT", u"/tiktok/upload/{id}"_s, u"tiktok"_s, u"upload.chunk"_s,
               [this](const ExchangePtr &e) { chunk(e); });
}

void TikTokUpload::chunk(const ExchangePtr &e) {
    if (const int delay = m_core.state.settings.chunkDelayMs; delay > 0) {
        QTimer::singleShot(delay, [this, e] { handleChunk(e); });
        return;
    }
    handleChunk(e);
}

void TikTokUpload::handleChunk(const ExchangePtr &e) {
    const QString uploadId = e->param(u"id"_s);
    Post *post = nullptr;
    for (Post &p : m_core.state.posts)
        if (p.source == u"FILE_UPLOAD"_s && p.uploadId == uploadId)
            post = &p;
    const auto upload = post ? m_core.context.uploads.find(uploadId) : std::nullopt;
    if (!post || !upload) {
        m_core.apiError(e, 404, u"invalid_param"_s, u"No such upload."_s);
        return;
    }
    const qint64 total = post->videoSize;
    // Every answer tells where the upload stands. Nothing received yet is written
    // "bytes */TOTAL" (RFC 9110's form for "no range"), as a zero-length range has no
    // last byte.
    const auto answer = [&](int status, const QString &code, const QString &message) {
        const qint64 received = m_core.context.uploads.find(uploadId)->received;
        QByteArray range = "bytes ";
        if (received > 0)
            range += "0-" + QByteArray::number(received - 1);
        else
            range += '*';
        range += '/' + QByteArray::number(total);
        if (code.isEmpty()) {
            e->respond(status, QByteArray(), "text/plain", {{"Content-Range", range}});
            return;
        }
        const QJsonObject body{
            {u"data"_s, QJsonObject()},
            {u"error"_s, QJsonObject{{u"code"_s, code},
                                     {u"message"_s, message},
                                     {u"log_id"_s, TikTokCore::logId(m_core.nowMs())}}}};
        e->respondJson(status, body, {{"Content-Range", range}});
    };
    Settings &settings = m_core.state.settings;
    if (settings.chunkFaultTimes > 0) {
        --settings.chunkFaultTimes;
        m_core.changed();
        answer(settings.chunkFaultStatus, u"internal_error"_s,
               u"Injected failure: retry this chunk."_s);
        return;
    }
    if (m_core.nowMs() > post->uploadExpiresMs || post->status == u"FAILED"_s) {
        answer(403, u"invalid_param"_s, u"The upload_url has expired."_s);
        return;
    }
    if (upload->complete) {
        answer(416, u"invalid_file_upload"_s, u"All chunks were already received."_s);
        return;
    }
    const QByteArray type = e->header("Content-Type").split(';').first().trimmed().toLower();
    if (type != "video/mp4" && type != "video/quicktime" && type != "video/webm") {
        answer(400, u"invalid_file_upload"_s,
               u"Content-Type must be video/mp4, video/quicktime or video/webm."_s);
        return;
    }
    static const QRegularExpression rangePattern(u"^bytes (\\d+)-(\\d+)/(\\d+)$"_s);
    const auto m = rangePattern.match(QString::fromLatin1(e->header("Content-Range").trimmed()));
    if (!m.hasMatch()) {
        answer(400, u"invalid_file_upload"_s, u"Content-Range must be bytes FIRST-LAST/TOTAL."_s);
        return;
    }
    const qint64 first = m.captured(1).toLongLong();
    const qint64 last = m.captured(2).toLongLong();
    const qint64 rangeTotal = m.captured(3).toLongLong();
    if (rangeTotal != total || last < first || last >= total) {
        answer(400, u"invalid_file_upload"_s,
               u"Content-Range does not fit the video_size given at init."_s);
        return;
    }
    bool lengthOk = false;
    const qint64 declared = e->header("Content-Length").trimmed().toLongLong(&lengthOk);
    const qint64 length = last - first + 1;
    if (!lengthOk || declared != e->body().size() || declared != length) {
        answer(400, u"invalid_file_upload"_s,
               u"Content-Length must match the body and the Content-Range."_s);
        return;
    }
    if (first != upload->received) {
        answer(416, u"invalid_file_upload"_s, u"The range does not continue the upload."_s);
        return;
    }
    // Chunks in order, each chunk_size bytes except the last, which runs to the end.
    const qint64 index = first / post->chunkSize;
    const bool isLast = index == post->chunkCount - 1;
    if (first % post->chunkSize != 0 || (isLast ? last != total - 1 : length != post->chunkSize)) {
        answer(400, u"invalid_file_upload"_s,
               isLast ? u"The last chunk must run to the end of the video."_s
                      : u"Every chunk but the last must be chunk_size bytes."_s);
        return;
    }
    if (!m_core.context.uploads.append(uploadId, first, e->body())) {
        answer(500, u"internal_error"_s, u"Could not store the chunk."_s);
        return;
    }
    if (last == total - 1) {
        m_core.context.uploads.finish(uploadId);
        post->readyMs = m_core.nowMs();
        m_core.changed();
        answer(201, QString(), QString());
        return;
    }
    m_core.changed();
    answer(206, QString(), QString());
}

} // namespace sandbox::tiktok
