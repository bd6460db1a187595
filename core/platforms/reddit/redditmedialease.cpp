#include "redditmedialease.h"

#include "redditerrors.h"

#include <QFileInfo>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace huntaze::reddit {

namespace {

constexpr qsizetype kMaxAnswerBytes = 256 * 1024;
constexpr qsizetype kMaxFields = 64;
constexpr qsizetype kMaxFieldName = 128;
constexpr qsizetype kMaxFieldValue = 16 * 1024;

Error invalidLease(int httpStatus, const QString &detail) {
    Error error = toError(problemFor(LocalFailure::InvalidAnswer), httpStatus);
    error.detail = detail;
    return error;
}

// Quotes in a multipart header would end the name early.
QByteArray headerSafe(const QString &text) {
    QString safe = text;
    safe.remove(QLatin1Char('"'));
    safe.remove(QLatin1Char('\r'));
    safe.remove(QLatin1Char('\n'));
    return safe.toUtf8();
}

QString xmlElement(const QByteArray &xml, const QString &name) {
    if (xml.size() > kMaxAnswerBytes)
        return {};
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && reader.name() == name)
            return reader.readElementText().left(2048);
    }
    return {};
}

} // namespace

QUrl MediaLease::mediaUrl() const {
    if (action.isEmpty() || key.isEmpty())
        return {};
    QString base = action.toString();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QLatin1Char('/') + key, QUrl::TolerantMode);
}

QString RedditMediaLease::mimeTypeFor(const QString &filePath) {
    const QString suffix = QFileInfo(filePath).suffix().toLower();
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg"))
        return QStringLiteral("image/jpeg");
    if (suffix == QLatin1String("png"))
        return QStringLiteral("image/png");
    if (suffix == QLatin1String("gif"))
        return QStringLiteral("image/gif");
    if (suffix == QLatin1String("mp4") || suffix == QLatin1String("m4v"))
        return QStringLiteral("video/mp4");
    if (suffix == QLatin1String("mov"))
        return QStringLiteral("video/quicktime");
    return {};
}

QString RedditMediaLease::leaseFileName(const QString &filePath) {
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]+"));
    QString name = QFileInfo(filePath).fileName();
    name.replace(unsafe, QStringLiteral("_"));
    if (name.size() > 100)
        name = name.right(100); // keep the extension
    return name.isEmpty() ? QStringLiteral("upload") : name;
}

Result<MediaLease> RedditMediaLease::parseLease(int httpStatus, const QByteArray &body,
                                                const QString &scheme) {
    if (httpStatus < 200 || httpStatus >= 300)
        return toError(problemForHttpStatus(httpStatus, body), httpStatus);
    if (body.size() > kMaxAnswerBytes)
        return invalidLease(httpStatus, QStringLiteral("lease answer too large"));
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonObject args = root.value(QLatin1String("args")).toObject();
    const QJsonObject asset = root.value(QLatin1String("asset")).toObject();

    MediaLease lease;
    QString action = args.value(QLatin1String("action")).toString().trimmed();
    if (action.startsWith(QLatin1String("//")))
        action = scheme + QLatin1Char(':') + action; // reddit.md: "prepend https:"
    lease.action = QUrl(action, QUrl::StrictMode);
    const QString actionScheme = lease.action.scheme().toLower();
    if (!lease.action.isValid() || lease.action.host().isEmpty() ||
        (actionScheme != QLatin1String("https") && actionScheme != QLatin1String("http")))
        return invalidLease(httpStatus, QStringLiteral("lease without a usable action"));

    const QJsonArray fields = args.value(QLatin1String("fields")).toArray();
    if (fields.isEmpty() || fields.size() > kMaxFields)
        return invalidLease(httpStatus, QStringLiteral("lease without usable fields"));
    for (const QJsonValue &entry : fields) {
        const QJsonObject field = entry.toObject();
        const QString name = field.value(QLatin1String("name")).toString();
        const QJsonValue value = field.value(QLatin1String("value"));
        const QString text = value.isString() ? value.toString() : value.toVariant().toString();
        if (name.isEmpty() || name.size() > kMaxFieldName || text.size() > kMaxFieldValue ||
            name == QLatin1String("file"))
            return invalidLease(httpStatus, QStringLiteral("lease with an unusable field"));
        lease.fields.append({name, text});
        if (name == QLatin1String("key") && lease.key.isEmpty())
            lease.key = text;
    }
    if (lease.key.isEmpty())
        return invalidLease(httpStatus, QStringLiteral("lease without a key"));
    lease.assetId = asset.value(QLatin1String("asset_id")).toString().left(128);
    const QUrl socket(asset.value(QLatin1String("websocket_url")).toString(), QUrl::StrictMode);
    if (socket.isValid() &&
        (socket.scheme() == QLatin1String("wss") || socket.scheme() == QLatin1String("ws")))
        lease.assetWebsocketUrl = socket;
    return lease;
}

QHttpMultiPart *RedditMediaLease::multipart(const MediaLease &lease, QIODevice *file,
                                            const QString &fileName, const QString &mimeType,
                                            QObject *parent) {
    auto *parts = new QHttpMultiPart(QHttpMultiPart::FormDataType, parent);
    for (const auto &[name, value] : lease.fields) {
        QHttpPart part;
        part.setRawHeader("Content-Disposition", "form-data; name=\"" + headerSafe(name) + '"');
        part.setBody(value.toUtf8());
        parts->append(part);
    }
    // The bucket takes exactly the lease's fields, then the file: last, named "file".
    QHttpPart filePart;
    filePart.setRawHeader("Content-Disposition", "form-data; name=\"file\"; filename=\"" +
                                                     headerSafe(leaseFileName(fileName)) + '"');
    filePart.setRawHeader("Content-Type", mimeType.toLatin1());
    filePart.setBodyDevice(file);
    parts->append(filePart);
    return parts;
}

Result<UploadedMedia> RedditMediaLease::parseUploadAnswer(int httpStatus, const QByteArray &body,
                                                          const MediaLease &lease,
                                                          const QString &mimeType) {
    if (httpStatus < 200 || httpStatus >= 300) {
        Error error =
            toError(problemForUploadError(httpStatus, body, isVideo(mimeType)), httpStatus);
        const QString code = xmlElement(body, QStringLiteral("Code"));
        const QString message = xmlElement(body, QStringLiteral("Message"));
        error.detail = QStringLiteral("bucket HTTP %1 %2: %3")
                           .arg(httpStatus)
                           .arg(cleanPlatformText(code, 64), cleanPlatformText(message));
        return error;
    }
    UploadedMedia media;
    media.url = lease.mediaUrl();
    media.key = lease.key;
    media.assetId = lease.assetId;
    media.mimeType = mimeType;
    media.location = xmlElement(body, QStringLiteral("Location"));
    if (!media.url.isValid() || media.url.isEmpty()) {
        Error error = toError(problemFor(LocalFailure::InvalidAnswer), httpStatus);
        error.detail = QStringLiteral("no media url from the lease");
        return error;
    }
    return media;
}

} // namespace huntaze::reddit
