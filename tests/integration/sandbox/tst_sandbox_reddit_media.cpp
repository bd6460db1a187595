#include "redditsandbox.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QWebSocket>

using namespace huntaze::test;
using namespace reddit_test;

// Native media: the lease, the S3-style multipart target with its field rules and size
// limits, media submits and the one websocket message, found also without the websocket.
class SandboxRedditMediaTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void leaseAnswersSchemeRelativeActionFieldsAndAsset();
    void leaseRejectsUnusableRequests_data();
    void leaseRejectsUnusableRequests();
    void uploadStoresTheFileWithItsSha256();
    void uploadEnforcesTheLeaseFields_data();
    void uploadEnforcesTheLeaseFields();
    void nonMultipartUploadIsMalformed();
    void tooLargeImageIsEntityTooLarge();
    void leaseExpiresAfterAnHour();
    void imagePostResultArrivesOnceOverTheWebSocket();
    void videoNeedsAnUploadedPosterImage();
    void failedProcessingIsReportedOverTheWebSocket();
    void uploadDroppedAfterHandlingIsStillStored();

private:
    struct Part {
        QString name;
        QByteArray value;
        bool file = false;
    };
    QJsonObject lease(const QString &filepath, const QString &mimetype);
    static QList<Part> leaseParts(const QJsonObject &lease);
    static QByteArray multipart(const QList<Part> &parts, const QByteArray &mime);
    HttpResult upload(const QJsonObject &lease, const QByteArray &bytes, const QByteArray &mime);
    HttpResult uploadParts(const QList<Part> &parts, const QByteArray &mime);
    QString uploadedUrl(const QString &filepath, const QString &mimetype, const QByteArray &bytes);
    static QString xml(const QByteArray &body, const QString &tag);
    QStringList waitForMessages(const QString &url);

    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_token;
};

void SandboxRedditMediaTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    m_token = login(m_http, *m_sandbox);
    QVERIFY(!m_token.isEmpty());
}

void SandboxRedditMediaTest::init() {
    m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", 0}});
}

QJsonObject SandboxRedditMediaTest::lease(const QString &filepath, const QString &mimetype) {
    QUrlQuery form;
    form.addQueryItem("filepath", filepath);
    form.addQueryItem("mimetype", mimetype);
    return m_http.postForm(m_sandbox->url("/reddit/api/media/asset.json"), form, api(m_token))
        .json();
}

QList<SandboxRedditMediaTest::Part> SandboxRedditMediaTest::leaseParts(const QJsonObject &lease) {
    QList<Part> parts;
    for (const auto &f : lease["args"].toObject()["fields"].toArray())
        parts.append({f.toObject()["name"].toString(), f.toObject()["value"].toString().toUtf8()});
    return parts;
}

QByteArray SandboxRedditMediaTest::multipart(const QList<Part> &parts, const QByteArray &mime) {
    QByteArray body;
    for (const Part &p : parts) {
        body += "--sbxBoundary7MA4YWxkTrZu0gW\r\n";
        body += "Content-Disposition: form-data; name=\"" + p.name.toUtf8() + "\"";
        if (p.file)
            body += "; filename=\"upload.bin\"\r\nContent-Type: " + mime;
        body += "\r\n\r\n" + p.value + "\r\n";
    }
    body += "--sbxBoundary7MA4YWxkTrZu0gW--\r\n";
    return body;
}

HttpResult SandboxRedditMediaTest::uploadParts(const QList<Part> &parts, const QByteArray &mime) {
    return m_http.post(m_sandbox->url("/reddit/s3-bucket"), multipart(parts, mime),
                       "multipart/form-data; boundary=sbxBoundary7MA4YWxkTrZu0gW", {}, 120000);
}

HttpResult SandboxRedditMediaTest::upload(const QJsonObject &lease, const QByteArray &bytes,
                                          const QByteArray &mime) {
    // The action is scheme-relative: resolve it against the API's scheme (http here).
    const QString action = lease["args"].toObject()["action"].toString();
    [&] { QCOMPARE(QUrl("http:" + action), m_sandbox->url("/reddit/s3-bucket")); }();
    QList<Part> parts = leaseParts(lease);
    parts.append({"file", bytes, true});
    return uploadParts(parts, mime);
}

QString SandboxRedditMediaTest::uploadedUrl(const QString &filepath, const QString &mimetype,
                                            const QByteArray &bytes) {
    const QJsonObject l = lease(filepath, mimetype);
    const auto result = upload(l, bytes, mimetype.toUtf8());
    if (result.status != 201)
        return {};
    return xml(result.body, "Location");
}

QString SandboxRedditMediaTest::xml(const QByteArray &body, const QString &tag) {
    const QRegularExpression re("<" + tag + ">(.*?)</" + tag + ">");
    return re.match(QString::fromUtf8(body)).captured(1);
}

QStringList SandboxRedditMediaTest::waitForMessages(const QString &url) {
    QWebSocket socket;
    QStringList messages;
    connect(&socket, &QWebSocket::textMessageReceived,
            [&messages](const QString &message) { messages.append(message); });
    socket.open(QUrl(url));
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000))
        return {"not connected"};
    advance(m_http, *m_sandbox, 30); // past the processing time
    (void)QTest::qWaitFor([&] { return !messages.isEmpty(); }, 15000);
    QTest::qWait(200); // a second message would arrive right behind the first
    socket.close();
    return messages;
}

void SandboxRedditMediaTest::leaseAnswersSchemeRelativeActionFieldsAndAsset() {
    const QJsonObject l = lease("/home/me/pictures/cat photo.png", "image/png");
    const QJsonObject args = l["args"].toObject();
    const QString action = args["action"].toString();
    QVERIFY2(action.startsWith("//"), qPrintable(action));
    QCOMPARE(action, "//" + m_sandbox->baseUrl().authority() + "/reddit/s3-bucket");
    QStringList names;
    for (const auto &f : args["fields"].toArray()) {
        names.append(f.toObject()["name"].toString());
        QVERIFY(f.toObject().contains("value"));
    }
    for (const char *name : {"key", "policy", "X-Amz-Signature", "content-type"})
        QVERIFY2(names.contains(name), name);
    const QJsonObject asset = l["asset"].toObject();
    QVERIFY(!asset["asset_id"].toString().isEmpty());
    QVERIFY(asset.contains("processing_state"));
    QVERIFY(asset["websocket_url"].toString().startsWith("ws://"));
}

void SandboxRedditMediaTest::leaseRejectsUnusableRequests_data() {
    QTest::addColumn<QString>("filepath");
    QTest::addColumn<QString>("mimetype");
    QTest::newRow("no filepath") << QString() << "image/png";
    QTest::newRow("no mimetype") << "a.png" << QString();
    QTest::newRow("text/plain") << "a.txt"
                                << "text/plain";
}

void SandboxRedditMediaTest::leaseRejectsUnusableRequests() {
    QFETCH(QString, filepath);
    QFETCH(QString, mimetype);
    QUrlQuery form;
    if (!filepath.isNull())
        form.addQueryItem("filepath", filepath);
    if (!mimetype.isNull())
        form.addQueryItem("mimetype", mimetype);
    const auto result =
        m_http.postForm(m_sandbox->url("/reddit/api/media/asset.json"), form, api(m_token));
    QCOMPARE(result.status, 400);
    QVERIFY(!result.json().contains("args"));
}

void SandboxRedditMediaTest::uploadStoresTheFileWithItsSha256() {
    const QByteArray bytes = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(4096, 'p');
    const QJsonObject l = lease("shot.png", "image/png");
    const auto result = upload(l, bytes, "image/png");
    QCOMPARE(result.status, 201);
    const QString location = xml(result.body, "Location");
    QString key;
    for (const Part &p : leaseParts(l))
        if (p.name == "key")
            key = QString::fromUtf8(p.value);
    QCOMPARE(location, "http:" + l["args"].toObject()["action"].toString() + "/" + key);
    const QString sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const auto &u : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        found = found || (u.toObject()["sha256"].toString() == sha &&
                          u.toObject()["platform"].toString() == "reddit");
    QVERIFY(found);
    bool asset = false;
    for (const auto &a : m_http.get(m_sandbox->url("/_admin/reddit/assets")).document().array())
        asset = asset ||
                (a.toObject()["key"].toString() == key && a.toObject()["sha256"].toString() == sha);
    QVERIFY(asset);
    const auto fetched = m_http.get(QUrl(location));
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.body, bytes);
}

void SandboxRedditMediaTest::uploadEnforcesTheLeaseFields_data() {
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("fields in order") << "none" << 201 << "";
    QTest::newRow("two fields swapped") << "swap" << 400 << "InvalidArgument";
    QTest::newRow("file not last") << "file first" << 400 << "InvalidArgument";
    QTest::newRow("policy missing") << "drop policy" << 400 << "InvalidArgument";
    QTest::newRow("key missing") << "drop key" << 400 << "InvalidArgument";
    QTest::newRow("no file") << "no file" << 400 << "InvalidArgument";
    QTest::newRow("extra field") << "extra" << 400 << "InvalidArgument";
    QTest::newRow("signature tampered") << "signature" << 403 << "SignatureDoesNotMatch";
    QTest::newRow("policy tampered") << "policy" << 403 << "SignatureDoesNotMatch";
    QTest::newRow("content-type changed") << "content-type" << 403 << "AccessDenied";
    QTest::newRow("unknown key") << "key" << 403 << "AccessDenied";
}

void SandboxRedditMediaTest::uploadEnforcesTheLeaseFields() {
    QFETCH(QString, mutation);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QJsonObject l = lease("rule.jpg", "image/jpeg");
    QList<Part> parts = leaseParts(l);
    QVERIFY(parts.size() >= 4);
    auto index = [&parts](const QString &name) {
        for (qsizetype i = 0; i < parts.size(); ++i)
            if (parts[i].name == name)
                return i;
        return qsizetype(-1);
    };
    const Part file{"file", QByteArray(1000, 'j'), true};
    parts.append(file);
    if (mutation == "swap")
        parts.swapItemsAt(2, 3);
    else if (mutation == "file first")
        parts.move(parts.size() - 1, 0);
    else if (mutation == "drop policy")
        parts.removeAt(index("policy"));
    else if (mutation == "drop key")
        parts.removeAt(index("key"));
    else if (mutation == "no file")
        parts.removeLast();
    else if (mutation == "extra")
        parts.insert(parts.size() - 1, Part{"x-extra", "1"});
    else if (mutation == "signature")
        parts[index("X-Amz-Signature")].value = QByteArray(64, '0');
    else if (mutation == "policy")
        parts[index("policy")].value = QByteArray("eyJ9").toBase64();
    else if (mutation == "content-type")
        parts[index("content-type")].value = "image/png";
    else if (mutation == "key")
        parts[index("key")].value = "somebody-elses-key.jpg";
    const auto result = uploadParts(parts, "image/jpeg");
    QCOMPARE(result.status, status);
    if (status == 201) {
        QVERIFY(!xml(result.body, "Location").isEmpty());
    } else {
        QVERIFY(result.header("Content-Type").contains("xml"));
        QCOMPARE(xml(result.body, "Code"), code);
        QVERIFY(!xml(result.body, "Message").isEmpty());
    }
}

void SandboxRedditMediaTest::nonMultipartUploadIsMalformed() {
    const auto result = m_http.post(m_sandbox->url("/reddit/s3-bucket"), "key=abc",
                                    "application/x-www-form-urlencoded");
    QCOMPARE(result.status, 400);
    QCOMPARE(xml(result.body, "Code"), QString("MalformedPOSTRequest"));
}

void SandboxRedditMediaTest::tooLargeImageIsEntityTooLarge() {
    const qint64 max = 20LL * 1024 * 1024;
    const QJsonObject l = lease("huge.jpg", "image/jpeg");
    const auto result = upload(l, QByteArray(max + 1, 'z'), "image/jpeg");
    QCOMPARE(result.status, 400);
    QCOMPARE(xml(result.body, "Code"), QString("EntityTooLarge"));
    QCOMPARE(xml(result.body, "ProposedSize"), QString::number(max + 1));
    QCOMPARE(xml(result.body, "MaxSizeAllowed"), QString::number(max));
    // Exactly the limit is fine.
    QCOMPARE(upload(l, QByteArray(max, 'z'), "image/jpeg").status, 201);
}

void SandboxRedditMediaTest::leaseExpiresAfterAnHour() {
    const QJsonObject l = lease("late.png", "image/png");
    QVERIFY(advance(m_http, *m_sandbox, 3601));
    const auto result = upload(l, "late bytes", "image/png");
    QCOMPARE(result.status, 403);
    QCOMPARE(xml(result.body, "Code"), QString("AccessDenied"));
    QVERIFY(xml(result.body, "Message").contains("expired"));
    m_token = login(m_http, *m_sandbox); // the hour also ended the access token
}

void SandboxRedditMediaTest::imagePostResultArrivesOnceOverTheWebSocket() {
    const QString url = uploadedUrl("ws.png", "image/png", "image-bytes-for-ws");
    QVERIFY(!url.isEmpty());
    const auto result =
        submit(m_http, *m_sandbox, m_token,
               {{"sr", "sandbox"}, {"kind", "image"}, {"title", "An image"}, {"url", url}});
    QCOMPARE(result.status, 200);
    const QJsonObject json = result.json()["json"].toObject();
    QCOMPARE(json["errors"].toArray().size(), 0);
    const QJsonObject data = json["data"].toObject();
    QVERIFY(!data.contains("id"));
    QVERIFY(!data.contains("name"));
    QVERIFY(data["user_submitted_page"].toString().contains("/user/sbx_alice/submitted"));
    const QString websocket = data["websocket_url"].toString();
    QVERIFY2(websocket.startsWith("ws://" + m_sandbox->baseUrl().authority() + "/reddit/ws/"),
             qPrintable(websocket));

    const QStringList messages = waitForMessages(websocket);
    QCOMPARE(messages.size(), 1);
    const QJsonObject message = QJsonDocument::fromJson(messages.first().toUtf8()).object();
    QCOMPARE(message["type"].toString(), QString("success"));
    const QString redirect = message["payload"].toObject()["redirect"].toString();
    QVERIFY2(redirect.contains("/r/sandbox/comments/"), qPrintable(redirect));

    // Without the websocket: the newest post in /user/<name>/submitted.
    const auto listing =
        m_http.get(m_sandbox->url("/reddit/user/sbx_alice/submitted?limit=1"), api(m_token));
    const QJsonObject newest =
        listing.json()["data"].toObject()["children"].toArray().at(0).toObject()["data"].toObject();
    QCOMPARE(newest["title"].toString(), QString("An image"));
    QCOMPARE(newest["url"].toString(), url);
    QVERIFY(redirect.endsWith(newest["permalink"].toString()));
}

void SandboxRedditMediaTest::videoNeedsAnUploadedPosterImage() {
    const QString video = uploadedUrl("clip.mp4", "video/mp4", QByteArray(5000, 'v'));
    QVERIFY(!video.isEmpty());
    const QList<std::pair<QString, QString>> base{
        {"sr", "sandbox"}, {"kind", "video"}, {"title", "A video"}, {"url", video}};
    const auto noPoster = submit(m_http, *m_sandbox, m_token, base);
    QCOMPARE(firstErrorCode(noPoster), QString("NO_URL"));
    QCOMPARE(
        noPoster.json()["json"].toObject()["errors"].toArray().at(0).toArray().at(2).toString(),
        QString("video_poster_url"));
    auto withPoster = base;
    withPoster.append({"video_poster_url", video}); // a video is no poster
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token, withPoster)), QString("BAD_URL"));
    const QString poster = uploadedUrl("poster.jpg", "image/jpeg", "poster-bytes");
    withPoster.last().second = poster;
    const auto ok = submit(m_http, *m_sandbox, m_token, withPoster);
    QCOMPARE(firstErrorCode(ok), QString());
    const QStringList messages = waitForMessages(
        ok.json()["json"].toObject()["data"].toObject()["websocket_url"].toString());
    QCOMPARE(messages.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(messages.first().toUtf8()).object()["type"].toString(),
             QString("success"));
    // videogif: a video upload, no poster needed.
    const QString gif = uploadedUrl("loop.mp4", "video/mp4", QByteArray(3000, 'g'));
    QCOMPARE(firstErrorCode(submit(
                 m_http, *m_sandbox, m_token,
                 {{"sr", "sandbox"}, {"kind", "videogif"}, {"title", "loop"}, {"url", gif}})),
             QString());
    // An image kind pointing at a video is refused.
    QCOMPARE(firstErrorCode(
                 submit(m_http, *m_sandbox, m_token,
                        {{"sr", "sandbox"}, {"kind", "image"}, {"title", "x"}, {"url", video}})),
             QString("BAD_URL"));
}

void SandboxRedditMediaTest::failedProcessingIsReportedOverTheWebSocket() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/reddit/media"), {{"fail", true}}).status, 200);
    const QString url = uploadedUrl("broken.gif", "image/gif", "GIF89a-broken");
    const int before =
        m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray().size();
    const auto result =
        submit(m_http, *m_sandbox, m_token,
               {{"sr", "sandbox"}, {"kind", "image"}, {"title", "Doomed"}, {"url", url}});
    QCOMPARE(firstErrorCode(result), QString());
    const QStringList messages = waitForMessages(
        result.json()["json"].toObject()["data"].toObject()["websocket_url"].toString());
    QCOMPARE(messages.size(), 1);
    const QJsonObject message = QJsonDocument::fromJson(messages.first().toUtf8()).object();
    QCOMPARE(message["type"].toString(), QString("failed"));
    QCOMPARE(m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray().size(),
             before);
    m_http.postJson(m_sandbox->url("/_admin/reddit/media"), {{"fail", false}});
}

void SandboxRedditMediaTest::uploadDroppedAfterHandlingIsStillStored() {
    // The connection drops after the bucket stored the file: the client cannot know, the
    // platform's view (admin) shows the upload.
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "reddit"},
                                                              {"endpoint", "media.upload"},
                                                              {"kind", "drop_after"},
                                                              {"times", 2}})
                 .status,
             200);
    const QJsonObject l = lease("dropped.png", "image/png");
    const QByteArray bytes("dropped-but-stored");
    const auto result = upload(l, bytes, "image/png");
    // (QNetworkAccessManager resends a POST whose keep-alive connection closed without an
    // answer, hence two drops.)
    QCOMPARE(result.status, 0);
    QCOMPARE(m_http.send("DELETE", m_sandbox->url("/_admin/faults"), {}, {}, 5000).status, 200);
    const QString assetId = l["asset"].toObject()["asset_id"].toString();
    const QString sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool stored = false;
    for (const auto &a : m_http.get(m_sandbox->url("/_admin/reddit/assets")).document().array())
        stored = stored ||
                 (a.toObject()["asset_id"].toString() == assetId &&
                  a.toObject()["uploaded"].toBool() && a.toObject()["sha256"].toString() == sha);
    QVERIFY(stored);
}

QTEST_GUILESS_MAIN(SandboxRedditMediaTest)
#include "tst_sandbox_reddit_media.moc"
