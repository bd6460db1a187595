// X chunked media upload (API v2): initialize, append (multipart segments), finalize,
// and STATUS while video and GIF processing moves with the sandbox clock.
#include "support/multipart.h"
#include "xplatform.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cmath>

namespace sandbox {

namespace {

constexpr qint64 kMB = 1024 * 1024;
constexpr qint64 kMaxSegment = 5 * kMB;
constexpr int kExpiresAfterSecs = 86400;
constexpr qint64 kPendingMs = 2000;      // processing: pending for 2 s,
constexpr qint64 kProcessingMs = 10'000; // then in_progress until 10 s after finalize

QString categoryFor(const QString &mediaType) {
    if (mediaType == QLatin1String("image/gif"))
        return QStringLiteral("tweet_gif");
    if (mediaType.startsWith(QLatin1String("video/")))
        return QStringLiteral("tweet_video");
    return QStringLiteral("tweet_image");
}

// Does the file start like its declared type?
bool looksLike(const QString &mediaType, const QByteArray &head) {
    if (mediaType == QLatin1String("image/jpeg"))
        return head.startsWith("\xFF\xD8\xFF");
    if (mediaType == QLatin1String("image/png"))
        return head.startsWith("\x89PNG\r\n\x1A\n");
    if (mediaType == QLatin1String("image/gif"))
        return head.startsWith("GIF87a") || head.startsWith("GIF89a");
    if (mediaType == QLatin1String("image/webp"))
        return head.startsWith("RIFF") && head.mid(8, 4) == "WEBP";
    // video/mp4 and video/quicktime: an ISO base media file, "ftyp" (or a QuickTime
    // atom) at offset 4.
    const QByteArray atom = head.mid(4, 4);
    return atom == "ftyp" || atom == "moov" || atom == "mdat" || atom == "wide" || atom == "free";
}

} // namespace

void XPlatform::registerMediaRoutes(Router &router) {
    const QString x = name();
    router.add("POST", QStringLiteral("/x/2/media/upload/initialize"), x,
               QStringLiteral("media.initialize"),
               [this](const ExchangePtr &e) { mediaInitialize(e); });
    router.add("POST", QStringLiteral("/x/2/media/upload/{id}/append"), x,
               QStringLiteral("media.append"), [this](const ExchangePtr &e) { mediaAppend(e); });
    router.add("POST", QStringLiteral("/x/2/media/upload/{id}/finalize"), x,
               QStringLiteral("media.finalize"),
               [this](const ExchangePtr &e) { mediaFinalize(e); });
    router.add("GET", QStringLiteral("/x/2/media/upload"), x, QStringLiteral("media.status"),
               [this](const ExchangePtr &e) { mediaStatus(e); });
}

qint64 XPlatform::mediaLimit(const QString &category) const {
    if (category == QLatin1String("tweet_gif"))
        return 15 * kMB;
    if (category == QLatin1String("tweet_video"))
        return 512 * kMB;
    return 5 * kMB;
}

QString XPlatform::segmentPath(const QString &mediaId, int index) const {
    const QString uploads =
        QFileInfo(context().uploads.filePath(QStringLiteral("x"))).absolutePath();
    return QDir(uploads).filePath(QStringLiteral("x-segments/%1-%2.part").arg(mediaId).arg(index));
}

void XPlatform::mediaInitialize(const ExchangePtr &e) {
    const Token *token = authenticate(e, {QStringLiteral("media.write")}, false);
    if (!token)
        return;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("media.initialize"), token->userId, &headers))
        return;
    const auto body = e->jsonBody();
    if (!e->header("Content-Type").toLower().startsWith("application/json") || !body) {
        invalidRequest(e, QStringLiteral("Request body must be a JSON object"), headers);
        return;
    }
    static const QStringList types = {
        QStringLiteral("image/jpeg"), QStringLiteral("image/png"),
        QStringLiteral("image/webp"), QStringLiteral("image/gif"),
        QStringLiteral("video/mp4"),  QStringLiteral("video/quicktime")};
    const QString mediaType = body->value(QStringLiteral("media_type")).toString();
    if (!types.contains(mediaType)) {
        invalidRequest(
            e,
            QStringLiteral("$.media_type: must be one of %1").arg(types.join(QStringLiteral(", "))),
            headers);
        return;
    }
    // media_category is optional on X; when absent it follows the type.
    const QString category = body->contains(QStringLiteral("media_category"))
                                 ? body->value(QStringLiteral("media_category")).toString()
                                 : categoryFor(mediaType);
    if (category != categoryFor(mediaType)) {
        invalidRequest(
            e, QStringLiteral("$.media_category: %1 does not accept %2").arg(category, mediaType),
            headers);
        return;
    }
    const QJsonValue total = body->value(QStringLiteral("total_bytes"));
    const double totalBytes = total.toDouble(-1);
    if (!total.isDouble() || totalBytes < 1 || std::floor(totalBytes) != totalBytes) {
        invalidRequest(e, QStringLiteral("$.total_bytes: a positive integer is required"), headers);
        return;
    }
    if (totalBytes > double(mediaLimit(category))) { // compared as double: 1e300 is no integer
        invalidRequest(e, QStringLiteral("File size exceeds %1 bytes.").arg(mediaLimit(category)),
                       headers);
        return;
    }
    Media media;
    media.id = newId();
    media.mediaKey = (category == QLatin1String("tweet_image") ? QStringLiteral("3_")
                      : category == QLatin1String("tweet_gif") ? QStringLiteral("16_")
                                                               : QStringLiteral("7_")) +
                     media.id;
    media.userId = token->userId;
    media.mediaType = mediaType;
    media.category = category;
    media.totalBytes = qint64(totalBytes);
    media.state = QStringLiteral("uploading");
    media.createdMs = context().clock.nowMs();
    media.uploadId = context().uploads.create(name(), media.totalBytes, mediaType, media.createdMs);
    m_media.insert(media.id, media);
    changed();
    e->respondJson(
        200,
        QJsonObject{{QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("id"), media.id},
                                 {QStringLiteral("media_key"), media.mediaKey},
                                 {QStringLiteral("expires_after_secs"), kExpiresAfterSecs}}}},
        headers);
}

void XPlatform::mediaAppend(const ExchangePtr &e) {
    const Token *token = authenticate(e, {QStringLiteral("media.write")}, false);
    if (!token)
        return;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("media.append"), token->userId, &headers))
        return;
    auto it = m_media.find(e->param(QStringLiteral("id")));
    const qint64 now = context().clock.nowMs();
    if (it == m_media.end() || it->userId != token->userId ||
        now - it->createdMs >= kExpiresAfterSecs * 1000LL) {
        invalidRequest(e,
                       QStringLiteral("The media_id [%1] is not valid or has expired.")
                           .arg(e->param(QStringLiteral("id"))),
                       headers);
        return;
    }
    if (it->state != QLatin1String("uploading")) {
        invalidRequest(e, QStringLiteral("Media [%1] is already finalized.").arg(it->id), headers);
        return;
    }
    const auto parts = parseMultipart(e->header("Content-Type"), e->body());
    if (!parts) {
        invalidRequest(e,
                       QStringLiteral("The request must be multipart/form-data with the "
                                      "fields media and segment_index"),
                       headers);
        return;
    }
    const MultipartPart *mediaPart = nullptr;
    const MultipartPart *indexPart = nullptr;
    for (const MultipartPart &part : *parts) {
        if (part.name == QLatin1String("media"))
            mediaPart = &part;
        else if (part.name == QLatin1String("segment_index"))
            indexPart = &part;
    }
    bool numeric = false;
    const int index =
        indexPart ? QString::fromLatin1(indexPart->data.trimmed()).toInt(&numeric) : -1;
    if (!indexPart || !numeric || index < 0 || index > 999) {
        invalidRequest(e, QStringLiteral("$.segment_index: an integer from 0 to 999 is required"),
                       headers);
        return;
    }
    if (!mediaPart || mediaPart->data.isEmpty()) {
        invalidRequest(e, QStringLiteral("$.media: the segment's bytes are required"), headers);
        return;
    }
    if (mediaPart->data.size() > kMaxSegment) {
        invalidRequest(e,
                       QStringLiteral("Segment size %1 exceeds the maximum of %2 bytes.")
                           .arg(mediaPart->data.size())
                           .arg(kMaxSegment),
                       headers);
        return;
    }
    // Segments may arrive in any order (and a retried segment replaces itself): they
    // are put together by index at finalize.
    qint64 others = 0;
    for (auto s = it->segments.cbegin(); s != it->segments.cend(); ++s)
        if (s.key() != index)
            others += s.value();
    if (others + mediaPart->data.size() > it->totalBytes) {
        invalidRequest(
            e, QStringLiteral("Segments exceed the declared total_bytes %1.").arg(it->totalBytes),
            headers);
        return;
    }
    const QString path = segmentPath(it->id, index);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(mediaPart->data) != mediaPart->data.size()) {
        problem(e, 500, QStringLiteral("Internal Error"), QStringLiteral("cannot store segment"),
                QStringLiteral("about:blank"), 131, headers);
        return;
    }
    it->segments.insert(index, mediaPart->data.size());
    changed();
    e->respondJson(200,
                   QJsonObject{{QStringLiteral("data"),
                                QJsonObject{{QStringLiteral("expires_at"),
                                             double(it->createdMs / 1000 + kExpiresAfterSecs)}}}},
                   headers);
}

QJsonObject XPlatform::processingInfo(const Media &media) const {
    const qint64 elapsed = context().clock.nowMs() - media.finalizedMs;
    const int progress = int(qBound(
        qint64(0), (elapsed - kPendingMs) * 100 / (kProcessingMs - kPendingMs), qint64(100)));
    if (media.state == QLatin1String("pending"))
        return {{QStringLiteral("state"), media.state}, {QStringLiteral("check_after_secs"), 1}};
    if (media.state == QLatin1String("in_progress"))
        return {{QStringLiteral("state"), media.state},
                {QStringLiteral("check_after_secs"), 2},
                {QStringLiteral("progress_percent"), progress}};
    if (media.state == QLatin1String("failed"))
        return {{QStringLiteral("state"), media.state},
                {QStringLiteral("progress_percent"), progress},
                {QStringLiteral("error"),
                 QJsonObject{{QStringLiteral("code"), 1},
                             {QStringLiteral("name"), QStringLiteral("InvalidMedia")},
                             {QStringLiteral("message"), media.failReason}}}};
    return {{QStringLiteral("state"), QStringLiteral("succeeded")},
            {QStringLiteral("progress_percent"), 100}};
}

void XPlatform::advanceMedia() {
    const qint64 now = context().clock.nowMs();
    for (Media &media : m_media) {
        if (media.state != QLatin1String("pending") && media.state != QLatin1String("in_progress"))
            continue;
        const qint64 elapsed = now - media.finalizedMs;
        QString next = media.state;
        if (media.failProcessing && elapsed >= (kPendingMs + kProcessingMs) / 2)
            next = QStringLiteral("failed");
        else if (elapsed >= kProcessingMs)
            next = QStringLiteral("succeeded");
        else if (elapsed >= kPendingMs)
            next = QStringLiteral("in_progress");
        if (next != media.state) {
            media.state = next;
            changed();
        }
    }
}

void XPlatform::mediaFinalize(const ExchangePtr &e) {
    const Token *token = authenticate(e, {QStringLiteral("media.write")}, false);
    if (!token)
        return;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("media.finalize"), token->userId, &headers))
        return;
    auto it = m_media.find(e->param(QStringLiteral("id")));
    const qint64 now = context().clock.nowMs();
    if (it == m_media.end() || it->userId != token->userId ||
        now - it->createdMs >= kExpiresAfterSecs * 1000LL) {
        invalidRequest(e,
                       QStringLiteral("The media_id [%1] is not valid or has expired.")
                           .arg(e->param(QStringLiteral("id"))),
                       headers);
        return;
    }
    Media &media = *it;
    auto answer = [&] {
        QJsonObject data{
            {QStringLiteral("id"), media.id},
            {QStringLiteral("media_key"), media.mediaKey},
            {QStringLiteral("size"), double(media.totalBytes)},
            {QStringLiteral("expires_after_secs"),
             double(qMax<qint64>(0, kExpiresAfterSecs - (now - media.createdMs) / 1000))}};
        if (media.category != QLatin1String("tweet_image"))
            data.insert(QStringLiteral("processing_info"), processingInfo(media));
        e->respondJson(200, QJsonObject{{QStringLiteral("data"), data}}, headers);
    };
    // A repeated finalize (a client retrying after a lost answer) gets the same answer.
    if (media.state != QLatin1String("uploading")) {
        if (media.state == QLatin1String("failed") &&
            media.category == QLatin1String("tweet_image")) {
            invalidRequest(e, media.failReason, headers);
            return;
        }
        answer();
        return;
    }
    qint64 sum = 0;
    bool contiguous = true;
    int expected = 0;
    for (auto s = media.segments.cbegin(); s != media.segments.cend(); ++s, ++expected) {
        contiguous = contiguous && s.key() == expected;
        sum += s.value();
    }
    if (!contiguous || sum != media.totalBytes) {
        invalidRequest(e, QStringLiteral("Segments do not add up to provided total file size."),
                       headers);
        return;
    }
    qint64 offset = 0;
    QByteArray head;
    for (auto s = media.segments.cbegin(); s != media.segments.cend(); ++s) {
        QFile file(segmentPath(media.id, s.key()));
        const QByteArray bytes = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        if (head.size() < 16)
            head += bytes.left(16 - head.size());
        if (!context().uploads.append(media.uploadId, offset, bytes)) {
            problem(e, 500, QStringLiteral("Internal Error"),
                    QStringLiteral("cannot assemble the upload"), QStringLiteral("about:blank"),
                    131, headers);
            return;
        }
        offset += bytes.size();
        file.remove();
    }
    context().uploads.finish(media.uploadId);
    media.finalizedMs = now;
    const bool wellFormed = looksLike(media.mediaType, head);
    if (media.category == QLatin1String("tweet_image")) {
        // Images are checked at once; no processing_info.
        if (!wellFormed) {
            media.state = QStringLiteral("failed");
            media.failReason =
                QStringLiteral("Invalid or Unsupported media, Reason: UnsupportedMedia.");
            changed();
            invalidRequest(e, media.failReason, headers);
            return;
        }
        media.state = QStringLiteral("succeeded");
    } else {
        // Duration, codecs and frame rate cannot be read from the bytes here: the admin
        // knob (POST /_admin/x/media/fail_next or /_admin/x/media/{id}/fail) makes
        // processing fail as X does for a video it rejects.
        media.state = QStringLiteral("pending");
        if (!wellFormed) {
            media.failProcessing = true;
            media.failReason =
                QStringLiteral("Invalid or Unsupported media, Reason: UnsupportedMedia.");
        } else if (m_failNextMediaProcessing) {
            m_failNextMediaProcessing = false;
            media.failProcessing = true;
            media.failReason = QStringLiteral("Invalid or Unsupported media, Reason: Duration "
                                              "too long, maximum:140000, actual:181000.");
        }
    }
    changed();
    answer();
}

void XPlatform::mediaStatus(const ExchangePtr &e) {
    const Token *token = authenticate(e, {QStringLiteral("media.write")}, false);
    if (!token)
        return;
    Headers headers;
    if (!rateLimit(e, QStringLiteral("media.status"), token->userId, &headers))
        return;
    if (e->queryValue(QStringLiteral("command")) != QLatin1String("STATUS")) {
        invalidRequest(e, QStringLiteral("The `command` query parameter must be STATUS"), headers);
        return;
    }
    advanceMedia();
    const QString id = e->queryValue(QStringLiteral("media_id"));
    const auto it = m_media.constFind(id);
    if (it == m_media.cend() || it->userId != token->userId) {
        invalidRequest(e, QStringLiteral("The media_id [%1] is not valid.").arg(id), headers);
        return;
    }
    if (it->state == QLatin1String("uploading")) {
        invalidRequest(e, QStringLiteral("Media [%1] is not finalized.").arg(id), headers);
        return;
    }
    e->respondJson(
        200,
        QJsonObject{{QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("id"), it->id},
                                 {QStringLiteral("media_key"), it->mediaKey},
                                 {QStringLiteral("processing_info"), processingInfo(*it)}}}},
        headers);
}

} // namespace sandbox
