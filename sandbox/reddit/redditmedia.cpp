#include "redditmedia.h"

#include "redditreading.h"
#include "support/multipart.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QUuid>

namespace sandbox {

namespace {

const QByteArray kPolicySecret = QByteArrayLiteral("sbx-reddit-s3-policy-secret");

QString mediaExtension(const QString &mime) {
    static const QHash<QString, QString> extensions = {
        {QStringLiteral("image/jpeg"), QStringLiteral("jpg")},
        {QStringLiteral("image/png"), QStringLiteral("png")},
        {QStringLiteral("image/gif"), QStringLiteral("gif")},
        {QStringLiteral("video/mp4"), QStringLiteral("mp4")},
        {QStringLiteral("video/quicktime"), QStringLiteral("mov")},
    };
    return extensions.value(mime);
}

QByteArray xmlEscape(const QString &text) {
    return text.toHtmlEscaped().toUtf8();
}

} // namespace

RedditMedia::RedditMedia(RedditEnv &env, RedditApiGate &gate)
    : m_env(env)
    , m_gate(gate) {}

void RedditMedia::registerRoutes(Router &router) {
    m_gate.add(router, "POST", QStringLiteral("/reddit/api/media/asset.json"),
               QStringLiteral("media.lease"), QStringLiteral("submit"),
               [this](const RedditCall &c) { lease(c); });
    router.add("POST", QStringLiteral("/reddit/s3-bucket"), QStringLiteral("reddit"),
               QStringLiteral("media.upload"), [this](const ExchangePtr &e) { upload(e); });
    router.add("GET", QStringLiteral("/reddit/s3-bucket/{key}"), QStringLiteral("reddit"),
               QStringLiteral("media.get"), [this](const ExchangePtr &e) { serve(e); });
}

QString RedditMedia::signPolicy(const QString &policy) const {
    return QString::fromLatin1(QMessageAuthenticationCode::hash(policy.toLatin1(), kPolicySecret,
                                                                QCryptographicHash::Sha256)
                                   .toHex());
}

QList<std::pair<QString, QString>> RedditMedia::leaseFields(const RedditAsset &asset) {
    // The field list real leases carry, in their order.
    return {
        {QStringLiteral("acl"), QStringLiteral("private")},
        {QStringLiteral("key"), asset.key},
        {QStringLiteral("X-Amz-Credential"),
         QStringLiteral("SBXASIAREDDIT/%1/us-west-2/s3/aws4_request").arg(asset.amzDate.left(8))},
        {QStringLiteral("X-Amz-Algorithm"), QStringLiteral("AWS4-HMAC-SHA256")},
        {QStringLiteral("X-Amz-Date"), asset.amzDate},
        {QStringLiteral("success_action_status"), QStringLiteral("201")},
        {QStringLiteral("content-type"), asset.mimeType},
        {QStringLiteral("x-amz-storage-class"), QStringLiteral("STANDARD")},
        {QStringLiteral("x-amz-meta-ext"), mediaExtension(asset.mimeType)},
        {QStringLiteral("policy"), asset.policy},
        {QStringLiteral("X-Amz-Signature"), asset.signature},
        {QStringLiteral("x-amz-security-token"), asset.securityToken},
    };
}

void RedditMedia::lease(const RedditCall &call) {
    const QUrlQuery form = call.exchange->formBody();
    const QString filepath = form.queryItemValue(QStringLiteral("filepath"), QUrl::FullyDecoded);
    const QString mimetype = form.queryItemValue(QStringLiteral("mimetype"), QUrl::FullyDecoded);
    if (filepath.trimmed().isEmpty() || mediaExtension(mimetype).isEmpty()) {
        // Reddit answers an unusable lease request with a plain 400.
        QJsonObject body = redditError(400, QStringLiteral("Bad Request"));
        body.insert(QStringLiteral("explanation"),
                    filepath.trimmed().isEmpty()
                        ? QStringLiteral("filepath is required")
                        : QStringLiteral("mimetype must be one of image/jpeg, image/png, "
                                         "image/gif, video/mp4, video/quicktime"));
        call.respond(400, body);
        return;
    }
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]+"));
    QString fileName = filepath.section(QLatin1Char('/'), -1);
    fileName.replace(unsafe, QStringLiteral("_"));
    RedditAsset asset;
    asset.assetId = QUuid::createUuid().toString(QUuid::Id128).left(12);
    asset.key = asset.assetId + QLatin1Char('-') + fileName;
    asset.fileName = filepath;
    asset.mimeType = mimetype;
    asset.userId = call.user ? call.user->id : QString();
    asset.expiresAt = m_env.now() + kLeaseLifetimeSecs;
    asset.amzDate = m_env.context.clock.now().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const qint64 max =
        mimetype.startsWith(QLatin1String("image/")) ? kMaxImageBytes : kMaxVideoBytes;
    const QJsonObject policy{
        {QStringLiteral("expiration"),
         QDateTime::fromSecsSinceEpoch(asset.expiresAt, Qt::UTC).toString(Qt::ISODate)},
        {QStringLiteral("conditions"),
         QJsonArray{
             QJsonObject{{QStringLiteral("bucket"), QStringLiteral("reddit-uploaded-media")}},
             QJsonObject{{QStringLiteral("key"), asset.key}},
             QJsonObject{{QStringLiteral("content-type"), mimetype}},
             QJsonArray{QStringLiteral("content-length-range"), 0, double(max)}}}};
    asset.policy =
        QString::fromLatin1(QJsonDocument(policy).toJson(QJsonDocument::Compact).toBase64());
    asset.signature = signPolicy(asset.policy);
    asset.securityToken = randomToken(24);
    m_env.state.assets.append(asset);
    m_env.changed();
    QJsonArray fields;
    for (const auto &[name, value] : leaseFields(asset))
        fields.append(
            QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    const QString action =
        QStringLiteral("//") + m_env.authority() + QStringLiteral("/reddit/s3-bucket");
    const QString assetSocket = QStringLiteral("ws://") + m_env.authority() +
                                QStringLiteral("/reddit/ws/asset-") + asset.assetId;
    call.respond(
        200,
        QJsonObject{{QStringLiteral("args"), QJsonObject{{QStringLiteral("action"), action},
                                                         {QStringLiteral("fields"), fields}}},
                    {QStringLiteral("asset"),
                     QJsonObject{{QStringLiteral("asset_id"), asset.assetId},
                                 {QStringLiteral("processing_state"), QStringLiteral("incomplete")},
                                 {QStringLiteral("payload"),
                                  QJsonObject{{QStringLiteral("filepath"), filepath}}},
                                 {QStringLiteral("websocket_url"), assetSocket}}}});
}

void RedditMedia::s3Error(const ExchangePtr &exchange, int status, const QString &code,
                          const QString &message, const QString &extra) const {
    const QByteArray body =
        QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>") +
        xmlEscape(code) + QByteArrayLiteral("</Code><Message>") + xmlEscape(message) +
        QByteArrayLiteral("</Message>") + extra.toUtf8() + QByteArrayLiteral("<RequestId>SBX") +
        QByteArray::number(m_env.context.clock.nowMs()) +
        QByteArrayLiteral("</RequestId><HostId>sandbox</HostId></Error>");
    exchange->respond(status, body, "application/xml");
}

void RedditMedia::upload(const ExchangePtr &exchange) {
    const auto parts = parseMultipart(exchange->header("Content-Type"), exchange->body());
    if (!parts || parts->isEmpty()) {
        s3Error(exchange, 400, QStringLiteral("MalformedPOSTRequest"),
                QStringLiteral("The body of your POST request is not well-formed "
                               "multipart/form-data."));
        return;
    }
    const MultipartPart *keyPart = nullptr;
    int files = 0;
    for (const auto &p : *parts) {
        if (p.name == QLatin1String("key") && !keyPart)
            keyPart = &p;
        if (p.name == QLatin1String("file"))
            ++files;
    }
    if (files != 1 || parts->last().name != QLatin1String("file")) {
        s3Error(exchange, 400, QStringLiteral("InvalidArgument"),
                QStringLiteral("POST requires exactly one file upload per request, as the last "
                               "form field."));
        return;
    }
    if (!keyPart) {
        s3Error(exchange, 400, QStringLiteral("InvalidArgument"),
                QStringLiteral("Bucket POST must contain a field named 'key'.  If it is "
                               "specified, please check the order of the fields."));
        return;
    }
    RedditAsset *asset = m_env.state.assetByKey(QString::fromUtf8(keyPart->data));
    if (!asset) {
        s3Error(exchange, 403, QStringLiteral("AccessDenied"),
                QStringLiteral("Invalid according to Policy: Policy Condition failed: "
                               "[\"eq\", \"$key\"]"));
        return;
    }
    const auto expected = leaseFields(*asset);
    // Every lease field, in the lease's order, then the file. (S3 itself tolerates any
    // order before the file; Reddit's uploads always keep it, and the contract asks for it.)
    if (parts->size() != expected.size() + 1) {
        s3Error(exchange, 400, QStringLiteral("InvalidArgument"),
                QStringLiteral("POST form fields must be exactly the lease fields, in order, "
                               "followed by the file."));
        return;
    }
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (parts->at(i).name != expected[i].first) {
            s3Error(exchange, 400, QStringLiteral("InvalidArgument"),
                    QStringLiteral("POST form field %1 is '%2', expected '%3': keep the lease "
                                   "fields in order.")
                        .arg(i + 1)
                        .arg(parts->at(i).name, expected[i].first));
            return;
        }
    }
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QString got = QString::fromUtf8(parts->at(i).data);
        if (got == expected[i].second)
            continue;
        if (expected[i].first == QLatin1String("X-Amz-Signature") ||
            expected[i].first == QLatin1String("policy")) {
            s3Error(exchange, 403, QStringLiteral("SignatureDoesNotMatch"),
                    QStringLiteral("The request signature we calculated does not match the "
                                   "signature you provided. Check your key and signing method."));
        } else {
            s3Error(exchange, 403, QStringLiteral("AccessDenied"),
                    QStringLiteral("Invalid according to Policy: Policy Condition failed: "
                                   "[\"eq\", \"$%1\", \"%2\"]")
                        .arg(expected[i].first, expected[i].second));
        }
        return;
    }
    if (m_env.now() > asset->expiresAt) {
        s3Error(exchange, 403, QStringLiteral("AccessDenied"),
                QStringLiteral("Invalid according to Policy: Policy expired."));
        return;
    }
    const QByteArray &bytes = parts->last().data;
    const qint64 max =
        asset->mimeType.startsWith(QLatin1String("image/")) ? kMaxImageBytes : kMaxVideoBytes;
    if (bytes.size() > max) {
        s3Error(exchange, 400, QStringLiteral("EntityTooLarge"),
                QStringLiteral("Your proposed upload exceeds the maximum allowed size"),
                QStringLiteral("<ProposedSize>%1</ProposedSize><MaxSizeAllowed>%2</MaxSizeAllowed>")
                    .arg(bytes.size())
                    .arg(max));
        return;
    }
    const QString id = m_env.context.uploads.create(QStringLiteral("reddit"), bytes.size(),
                                                    asset->mimeType, m_env.context.clock.nowMs());
    if (!m_env.context.uploads.append(id, 0, bytes) || !m_env.context.uploads.finish(id)) {
        s3Error(exchange, 500, QStringLiteral("InternalError"),
                QStringLiteral("We encountered an internal error. Please try again."));
        return;
    }
    asset->uploadId = id;
    asset->uploaded = true;
    m_env.changed();
    const QString location = m_env.base() + QStringLiteral("/s3-bucket/") + asset->key;
    const QByteArray etag = QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex();
    const QByteArray body =
        QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>") +
        xmlEscape(location) +
        QByteArrayLiteral("</Location><Bucket>reddit-uploaded-media</Bucket><Key>") +
        xmlEscape(asset->key) + QByteArrayLiteral("</Key><ETag>\"") + etag +
        QByteArrayLiteral("\"</ETag></PostResponse>");
    exchange->respond(201, body, "application/xml",
                      {{"Location", location.toUtf8()}, {"ETag", '"' + etag + '"'}});
    deliver();
}

void RedditMedia::serve(const ExchangePtr &exchange) {
    const RedditAsset *asset = m_env.state.assetByKey(exchange->param(QStringLiteral("key")));
    QFile file(asset && asset->uploaded ? m_env.context.uploads.filePath(asset->uploadId)
                                        : QString());
    if (!asset || !asset->uploaded || !file.open(QIODevice::ReadOnly)) {
        s3Error(exchange, 404, QStringLiteral("NoSuchKey"),
                QStringLiteral("The specified key does not exist."));
        return;
    }
    exchange->respond(200, file.readAll(), asset->mimeType.toUtf8());
}

QString RedditMedia::queue(const RedditPost &post) {
    RedditMediaSubmission submission;
    submission.id = QUuid::createUuid().toString(QUuid::Id128).left(16);
    submission.post = post;
    submission.readyAt = m_env.now() + m_env.state.settings.mediaProcessingSeconds;
    submission.state = QStringLiteral("processing");
    m_env.state.mediaSubmissions.append(submission);
    m_env.changed();
    return QStringLiteral("ws://") + m_env.authority() + QStringLiteral("/reddit/ws/") +
           submission.id;
}

void RedditMedia::tick() {
    bool any = false;
    for (auto &m : m_env.state.mediaSubmissions) {
        if (m.state != QLatin1String("processing") || m_env.now() < m.readyAt)
            continue;
        any = true;
        if (m_env.state.settings.failMedia) {
            m.state = QStringLiteral("failed");
            m.failure = QStringLiteral("Your media could not be processed.");
            continue;
        }
        m.post.id = m_env.state.newPostId();
        m.post.createdUtc = m.readyAt;
        m.post.grownUntil = m.readyAt;
        m_env.state.posts.append(m.post);
        m.state = QStringLiteral("success");
    }
    if (any)
        m_env.changed();
    deliver();
}

std::optional<QJsonObject> RedditMedia::resultFor(const QString &key) const {
    if (key.startsWith(QLatin1String("asset-"))) {
        const QString assetId = key.mid(6);
        for (const auto &a : m_env.state.assets)
            if (a.assetId == assetId && a.uploaded)
                return QJsonObject{
                    {QStringLiteral("type"), QStringLiteral("success")},
                    {QStringLiteral("payload"),
                     QJsonObject{{QStringLiteral("asset_id"), a.assetId},
                                 {QStringLiteral("processing_state"), QStringLiteral("success")}}}};
        return std::nullopt;
    }
    for (const auto &m : m_env.state.mediaSubmissions) {
        if (m.id != key)
            continue;
        if (m.state == QLatin1String("success"))
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("success")},
                               {QStringLiteral("payload"),
                                QJsonObject{{QStringLiteral("redirect"),
                                             QString(m_env.base() + m.post.permalink())}}}};
        if (m.state == QLatin1String("failed"))
            return QJsonObject{
                {QStringLiteral("type"), QStringLiteral("failed")},
                {QStringLiteral("payload"), QJsonObject{{QStringLiteral("message"), m.failure}}}};
    }
    return std::nullopt;
}

void RedditMedia::deliver() {
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        it->removeIf([](const QPointer<QWebSocket> &s) { return s.isNull(); });
        const auto result = it->isEmpty() ? std::nullopt : resultFor(it.key());
        if (result) {
            const QString text =
                QString::fromUtf8(QJsonDocument(*result).toJson(QJsonDocument::Compact));
            for (const auto &socket : *it)
                socket->sendTextMessage(text); // one message; the client closes
            it = m_listeners.erase(it);
        } else if (it->isEmpty()) {
            it = m_listeners.erase(it);
        } else {
            ++it;
        }
    }
}

bool RedditMedia::acceptWebSocket(QWebSocket *socket) {
    static const QString prefix = QStringLiteral("/reddit/ws/");
    const QString path = socket->requestUrl().path();
    if (!path.startsWith(prefix))
        return false;
    const QString key = path.mid(prefix.size());
    bool known = false;
    for (const auto &m : m_env.state.mediaSubmissions)
        known = known || m.id == key;
    for (const auto &a : m_env.state.assets)
        known = known || QStringLiteral("asset-") + a.assetId == key;
    if (!known) {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unknown id"));
        socket->deleteLater();
        return true;
    }
    QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    m_listeners[key].append(QPointer<QWebSocket>(socket));
    deliver();
    return true;
}

} // namespace sandbox
