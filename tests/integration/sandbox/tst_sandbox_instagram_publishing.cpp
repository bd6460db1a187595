#include "instagramtesthelpers.h"

#include <QCryptographicHash>
#include <QTcpSocket>

using namespace huntaze::test;
using namespace igtest;

// Content publishing: containers of every kind, the media checks with their codes, the
// resumable upload, status over time, media_publish and the limits.
class SandboxInstagramPublishingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void imageContainerPublishesToAPermalink();
    void mediaChecksAnswerTheDocumentedCodes_data();
    void mediaChecksAnswerTheDocumentedCodes();
    void aspectRatioBoundsAreAccepted_data();
    void aspectRatioBoundsAreAccepted();
    void reelFromVideoUrlIsNotReadyThenFinishes();
    void badVideoEndsInError_data();
    void badVideoEndsInError();
    void resumableUploadStoresTheBytesWithSha256();
    void resumableUploadContinuesAtTheReceivedOffset();
    void resumableUploadStartsOverAfterADroppedConnection();
    void resumableUploadRefuses_data();
    void resumableUploadRefuses();
    void fileUrlHeaderLetsMetaFetchTheVideo();
    void uploadedBytesThatAreNotVideoEndInError();
    void storyPublishesAsStory();
    void carouselRules_data();
    void carouselRules();
    void carouselPublishesAsAlbumWithChildren();
    void containerExpiresAfter24Hours();
    void publishingQuotaIsEnforcedAndReported();
    void containerLimitIs400PerDay();
    void accountStateErrors_data();
    void accountStateErrors();
    void scriptedErrorsUseTheGraphEnvelope_data();
    void scriptedErrorsUseTheGraphEnvelope();
    void faultsApplyToContainerStatusPolls();
    void jsonBodiesWorkAndBrokenBodiesAnswer100_data();
    void jsonBodiesWorkAndBrokenBodiesAnswer100();

private:
    QString create(const QUrlQuery &form, const QString &ig = kAlexIg);
    HttpResult publish(const QString &container, const QString &ig = kAlexIg);
    HttpResult upload(const QString &uri, const QByteArray &bytes, qint64 offset, qint64 size,
                      const QByteArray &token);
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    Session m_alex;
};

void SandboxInstagramPublishingTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 1000000}, {"buc_call_limit", 1000000}}));
    m_alex = login(m_http, *m_sandbox);
    QVERIFY(!m_alex.longToken.isEmpty());
}

QString SandboxInstagramPublishingTest::create(const QUrlQuery &form, const QString &ig) {
    const auto result = graphPost(m_http, *m_sandbox, "/" + ig + "/media", m_alex.longToken, form);
    return result.status == 200 ? result.json()["id"].toString() : QString();
}

HttpResult SandboxInstagramPublishingTest::publish(const QString &container, const QString &ig) {
    return graphPost(m_http, *m_sandbox, "/" + ig + "/media_publish", m_alex.longToken,
                     QUrlQuery{{"creation_id", container}});
}

HttpResult SandboxInstagramPublishingTest::upload(const QString &uri, const QByteArray &bytes,
                                                  qint64 offset, qint64 size,
                                                  const QByteArray &token) {
    HttpClient::Headers headers{{"offset", QByteArray::number(offset)},
                                {"file_size", QByteArray::number(size)}};
    if (!token.isEmpty())
        headers.append({"Authorization", "OAuth " + token});
    return m_http.post(QUrl(uri), bytes, "application/octet-stream", headers);
}

static QByteArray fakeMp4(int size) {
    QByteArray bytes("\x00\x00\x00\x18"
                     "ftypmp42",
                     12);
    while (bytes.size() < size)
        bytes.append(char('a' + bytes.size() % 26));
    return bytes;
}

void SandboxInstagramPublishingTest::imageContainerPublishesToAPermalink() {
    const QString container =
        create({{"image_url", "https://cdn.example.com/photo.jpg"}, {"caption", "Hello #sandbox"}});
    QVERIFY(!container.isEmpty());
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
    const auto published = publish(container);
    QCOMPARE(published.status, 200);
    const QString mediaId = published.json()["id"].toString();
    QVERIFY(!mediaId.isEmpty());
    const auto media = graphGet(m_http, *m_sandbox, "/" + mediaId, m_alex.longToken,
                                "fields=id,permalink,caption,media_type,media_product_type");
    QCOMPARE(media.status, 200);
    QVERIFY(media.json()["permalink"].toString().startsWith("https://www.instagram.com/p/"));
    QCOMPARE(media.json()["caption"].toString(), QString("Hello #sandbox"));
    QCOMPARE(media.json()["media_type"].toString(), QString("IMAGE"));
    const auto status = graphGet(m_http, *m_sandbox, "/" + container, m_alex.longToken,
                                 "fields=status_code,status");
    QCOMPARE(status.json()["status_code"].toString(), QString("PUBLISHED"));
    // Publishing twice is refused.
    QCOMPARE(publish(container).status, 400);
}

void SandboxInstagramPublishingTest::mediaChecksAnswerTheDocumentedCodes_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    const QString jpg = "image_url=https://cdn.example.com/a.jpg";
    QTest::newRow("png is not jpeg")
        << "image_url=https://cdn.example.com/a.png" << 36001 << 2207005;
    QTest::newRow("image over 8 MB")
        << "image_url=https://cdn.example.com/a.jpg%3Fsbx_bytes%3D8388609" << 36000 << 2207004;
    QTest::newRow("taller than 4:5")
        << "image_url=https://cdn.example.com/a.jpg%3Fsbx_width%3D1000%26sbx_height%3D1300" << 36003
        << 2207009;
    QTest::newRow("wider than 1.91:1")
        << "image_url=https://cdn.example.com/a.jpg%3Fsbx_width%3D2000%26sbx_height%3D1000" << 36003
        << 2207009;
    QTest::newRow("unreachable url")
        << "image_url=https://unreachable.example.com/a.jpg" << 9004 << 2207052;
    QTest::newRow("download timeout")
        << "image_url=https://timeout.example.com/a.jpg" << -2 << 2207003;
    QTest::newRow("caption 2201 chars")
        << jpg + "&caption=" + QString(2201, 'x') << 36004 << 2207010;
    QString tags;
    for (int i = 0; i < 31; ++i)
        tags += QString("%23tag%1 ").arg(i);
    QTest::newRow("31 hashtags") << jpg + "&caption=" + tags << 36004 << 2207010;
    QString mentions;
    for (int i = 0; i < 21; ++i)
        mentions += QString("@user%1 ").arg(i);
    QTest::newRow("21 mentions") << jpg + "&caption=" + mentions << 36004 << 2207010;
    QTest::newRow("missing image_url") << "caption=hi" << 100 << 0;
    QTest::newRow("unknown media_type") << jpg + "&media_type=HOLOGRAM" << 100 << 0;
    QTest::newRow("reel without video") << "media_type=REELS" << 100 << 0;
    QTest::newRow("feed VIDEO is gone")
        << "media_type=VIDEO&video_url=https://cdn.example.com/v.mp4" << 100 << 0;
}

void SandboxInstagramPublishingTest::mediaChecksAnswerTheDocumentedCodes() {
    QFETCH(QString, query);
    QFETCH(int, code);
    QFETCH(int, subcode);
    const auto result =
        graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken, QUrlQuery(query));
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), code);
    QCOMPARE(error(result)["error_subcode"].toInt(), subcode);
    QVERIFY(!error(result)["message"].toString().isEmpty());
}

void SandboxInstagramPublishingTest::aspectRatioBoundsAreAccepted_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("4:5") << 1080 << 1350;
    QTest::newRow("1.91:1") << 1910 << 1000;
    QTest::newRow("square") << 1080 << 1080;
}

void SandboxInstagramPublishingTest::aspectRatioBoundsAreAccepted() {
    QFETCH(int, width);
    QFETCH(int, height);
    const QString url =
        QString("https://cdn.example.com/declared-%1x%2.jpg").arg(width).arg(height);
    QVERIFY(admin(m_http, *m_sandbox, "/media_facts",
                  {{"url", url}, {"width", width}, {"height", height}, {"bytes", 500000}}));
    QVERIFY(!create({{"image_url", url}}).isEmpty());
}

void SandboxInstagramPublishingTest::reelFromVideoUrlIsNotReadyThenFinishes() {
    const QString container = create({{"media_type", "REELS"},
                                      {"video_url", "https://cdn.example.com/clip.mp4"},
                                      {"caption", "reel"},
                                      {"share_to_feed", "true"}});
    QVERIFY(!container.isEmpty());
    const auto status =
        graphGet(m_http, *m_sandbox, "/" + container, m_alex.longToken, "fields=status_code");
    QCOMPARE(status.json()["status_code"].toString(), QString("IN_PROGRESS"));
    const auto early = publish(container);
    QCOMPARE(early.status, 400);
    QCOMPARE(error(early)["code"].toInt(), 9007);
    QCOMPARE(error(early)["error_subcode"].toInt(), 2207027);
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
    const auto published = publish(container);
    QCOMPARE(published.status, 200);
    const auto media = graphGet(m_http, *m_sandbox, "/" + published.json()["id"].toString(),
                                m_alex.longToken, "fields=media_type,media_product_type,permalink");
    QCOMPARE(media.json()["media_type"].toString(), QString("VIDEO"));
    QCOMPARE(media.json()["media_product_type"].toString(), QString("REELS"));
}

void SandboxInstagramPublishingTest::badVideoEndsInError_data() {
    QTest::addColumn<QString>("videoUrl");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::newRow("avi") << "https://cdn.example.com/clip.avi" << 352 << 2207026;
    QTest::newRow("vp9 codec") << "https://cdn.example.com/clip.mp4?sbx_codec=vp9" << 352
                               << 2207026;
    QTest::newRow("20 fps") << "https://cdn.example.com/clip.mp4?sbx_fps=20" << 352 << 2207026;
    QTest::newRow("61 fps") << "https://cdn.example.com/clip.mp4?sbx_fps=61" << 352 << 2207026;
    QTest::newRow("mp3 audio") << "https://cdn.example.com/clip.mp4?sbx_audio=mp3" << 352
                               << 2207026;
    QTest::newRow("2 s") << "https://cdn.example.com/clip.mp4?sbx_duration=2" << 352 << 2207026;
    QTest::newRow("16 min") << "https://cdn.example.com/clip.mp4?sbx_duration=960" << 352
                            << 2207026;
    QTest::newRow("over 300 MB") << "https://cdn.example.com/clip.mp4?sbx_bytes=314572801" << 352
                                 << 2207026;
    QTest::newRow("unreachable") << "https://cdn.example.com/missing/clip.mp4" << 9004 << 2207052;
}

void SandboxInstagramPublishingTest::badVideoEndsInError() {
    QFETCH(QString, videoUrl);
    QFETCH(int, code);
    QFETCH(int, subcode);
    const QString container = create({{"media_type", "REELS"}, {"video_url", videoUrl}});
    QVERIFY(!container.isEmpty());
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "ERROR"));
    const auto status =
        graphGet(m_http, *m_sandbox, "/" + container, m_alex.longToken, "fields=status");
    QVERIFY(status.json()["status"].toString().contains(QString::number(subcode)));
    const auto result = publish(container);
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), code);
    QCOMPARE(error(result)["error_subcode"].toInt(), subcode);
}

void SandboxInstagramPublishingTest::resumableUploadStoresTheBytesWithSha256() {
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    QCOMPARE(created.status, 200);
    const QString container = created.json()["id"].toString();
    const QString uri = created.json()["uri"].toString();
    QVERIFY(uri.endsWith("/instagram/ig-api-upload/v25.0/" + container));
    const QByteArray bytes = fakeMp4(50000);
    const auto uploaded = upload(uri, bytes, 0, bytes.size(), m_alex.longToken.toUtf8());
    QCOMPARE(uploaded.status, 200);
    QCOMPARE(uploaded.json()["success"].toBool(), true);
    QCOMPARE(uploaded.json()["message"].toString(), QString("Upload successful."));
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const QJsonValue &u : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        found = found || (u.toObject()["sha256"].toString().toUtf8() == sha &&
                          u.toObject()["platform"].toString() == "instagram");
    QVERIFY(found);
    const auto published = publish(container);
    QCOMPARE(published.status, 200);
    bool listed = false;
    for (const QJsonValue &m :
         m_http.get(m_sandbox->url("/_admin/instagram/media")).document().array())
        listed = listed || m.toObject()["upload_sha256"].toString().toUtf8() == sha;
    QVERIFY(listed);
}

void SandboxInstagramPublishingTest::resumableUploadContinuesAtTheReceivedOffset() {
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    const QString uri = created.json()["uri"].toString();
    const QByteArray bytes = fakeMp4(30000);
    const QByteArray token = m_alex.longToken.toUtf8();
    QCOMPARE(upload(uri, bytes.left(10000), 0, bytes.size(), token).status, 200);
    const auto gap = upload(uri, bytes.mid(20000), 20000, bytes.size(), token);
    QCOMPARE(gap.status, 400);
    QCOMPARE(gap.json()["debug_info"].toObject()["retriable"].toBool(), true);
    QVERIFY(gap.json()["debug_info"].toObject()["message"].toString().contains("10000"));
    const auto rest = upload(uri, bytes.mid(10000), 10000, bytes.size(), token);
    QCOMPARE(rest.status, 200);
    QCOMPARE(rest.json()["message"].toString(), QString("Upload successful."));
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const QJsonValue &u : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        found = found || u.toObject()["sha256"].toString().toUtf8() == sha;
    QVERIFY(found);
}

void SandboxInstagramPublishingTest::resumableUploadStartsOverAfterADroppedConnection() {
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    const QString uri = created.json()["uri"].toString();
    const QByteArray bytes = fakeMp4(20000);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"),
                           {{"platform", "instagram"}, {"endpoint", "upload"}, {"kind", "drop"}})
                 .status,
             200);
    // A raw socket: QNetworkAccessManager would retry the dropped POST by itself.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_sandbox->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST " + QUrl(uri).path().toUtf8() + " HTTP/1.1\r\nHost: x\r\noffset: 0\r\n" +
                 "file_size: " + QByteArray::number(bytes.size()) + "\r\nAuthorization: OAuth " +
                 m_alex.longToken.toUtf8() +
                 "\r\nContent-Length: " + QByteArray::number(bytes.size()) + "\r\n\r\n" + bytes);
    QVERIFY(socket.waitForDisconnected(5000));
    const auto retried = upload(uri, bytes, 0, bytes.size(), m_alex.longToken.toUtf8());
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.json()["message"].toString(), QString("Upload successful."));
}

void SandboxInstagramPublishingTest::resumableUploadRefuses_data() {
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("no authorization") << QByteArray() << qint64(0) << qint64(100) << 401;
    QTest::newRow("unknown token") << QByteArray("EAAnope") << qint64(0) << qint64(100) << 401;
    QTest::newRow("negative offset") << QByteArray("good") << qint64(-1) << qint64(100) << 400;
    QTest::newRow("zero size") << QByteArray("good") << qint64(0) << qint64(0) << 400;
    QTest::newRow("over 300 MB") << QByteArray("good") << qint64(0) << qint64(314572801) << 400;
    QTest::newRow("body past file_size") << QByteArray("good") << qint64(0) << qint64(10) << 400;
}

void SandboxInstagramPublishingTest::resumableUploadRefuses() {
    QFETCH(QByteArray, token);
    QFETCH(qint64, offset);
    QFETCH(qint64, size);
    QFETCH(int, status);
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    const QByteArray realToken = token == "good" ? m_alex.longToken.toUtf8() : token;
    const auto result =
        upload(created.json()["uri"].toString(), fakeMp4(100), offset, size, realToken);
    QCOMPARE(result.status, status);
    QCOMPARE(result.json()["debug_info"].toObject()["retriable"].toBool(), false);
    QVERIFY(!result.json()["debug_info"].toObject()["type"].toString().isEmpty());
}

void SandboxInstagramPublishingTest::fileUrlHeaderLetsMetaFetchTheVideo() {
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    const QString container = created.json()["id"].toString();
    const auto result =
        m_http.post(QUrl(created.json()["uri"].toString()), {}, "application/octet-stream",
                    {{"Authorization", "OAuth " + m_alex.longToken.toUtf8()},
                     {"file_url", "https://cdn.example.com/hosted.mp4"}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["success"].toBool(), true);
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
}

void SandboxInstagramPublishingTest::uploadedBytesThatAreNotVideoEndInError() {
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"media_type", "REELS"}, {"upload_type", "resumable"}});
    const QString container = created.json()["id"].toString();
    const QByteArray text = "this is not a video at all, just text";
    QCOMPARE(
        upload(created.json()["uri"].toString(), text, 0, text.size(), m_alex.longToken.toUtf8())
            .status,
        200);
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "ERROR"));
    QCOMPARE(error(publish(container))["error_subcode"].toInt(), 2207026);
}

void SandboxInstagramPublishingTest::storyPublishesAsStory() {
    const QString container =
        create({{"media_type", "STORIES"}, {"image_url", "https://cdn.example.com/story.jpg"}});
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
    const auto published = publish(container);
    QCOMPARE(published.status, 200);
    const auto media = graphGet(m_http, *m_sandbox, "/" + published.json()["id"].toString(),
                                m_alex.longToken, "fields=media_product_type");
    QCOMPARE(media.json()["media_product_type"].toString(), QString("STORY"));
}

void SandboxInstagramPublishingTest::carouselRules_data() {
    QTest::addColumn<int>("items");
    QTest::addColumn<bool>("withReel");
    QTest::addColumn<bool>("withNonItem");
    QTest::newRow("1 item") << 1 << false << false;
    QTest::newRow("11 items") << 11 << false << false;
    QTest::newRow("a reel inside") << 2 << true << false;
    QTest::newRow("a plain image inside") << 2 << false << true;
}

void SandboxInstagramPublishingTest::carouselRules() {
    QFETCH(int, items);
    QFETCH(bool, withReel);
    QFETCH(bool, withNonItem);
    QStringList children;
    for (int i = 0; i < items; ++i)
        children << create({{"is_carousel_item", "true"},
                            {"image_url", QString("https://cdn.example.com/c%1.jpg").arg(i)}});
    if (withReel)
        children << create(
            {{"media_type", "REELS"}, {"video_url", "https://cdn.example.com/r.mp4"}});
    if (withNonItem)
        children << create({{"image_url", "https://cdn.example.com/plain.jpg"}});
    QVERIFY(!children.contains(QString()));
    const auto result = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                  {{"media_type", "CAROUSEL"}, {"children", children.join(',')}});
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 100);
    QCOMPARE(error(result)["error_subcode"].toInt(), 2207028);
    // A reel cannot even be made a carousel item.
    const auto reelItem = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                    {{"media_type", "REELS"},
                                     {"is_carousel_item", "true"},
                                     {"video_url", "https://cdn.example.com/r.mp4"}});
    QCOMPARE(reelItem.status, 400);
}

void SandboxInstagramPublishingTest::carouselPublishesAsAlbumWithChildren() {
    const QString a =
        create({{"is_carousel_item", "true"}, {"image_url", "https://cdn.example.com/a.jpg"}});
    const QString b =
        create({{"is_carousel_item", "true"}, {"image_url", "https://cdn.example.com/b.jpg"}});
    const QString v = create({{"is_carousel_item", "true"},
                              {"media_type", "VIDEO"},
                              {"video_url", "https://cdn.example.com/v.mp4"}});
    const QString carousel = create(
        {{"media_type", "CAROUSEL"}, {"children", a + "," + b + "," + v}, {"caption", "album"}});
    QVERIFY(!carousel.isEmpty());
    QCOMPARE(error(publish(carousel))["code"].toInt(), 9007); // the video is still processing
    QCOMPARE(error(publish(a))["code"].toInt(), 100);         // items are not published alone
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, carousel, m_alex.longToken, "FINISHED"));
    const auto published = publish(carousel);
    QCOMPARE(published.status, 200);
    const auto media = graphGet(m_http, *m_sandbox, "/" + published.json()["id"].toString(),
                                m_alex.longToken, "fields=media_type,children{id,media_type}");
    QCOMPARE(media.json()["media_type"].toString(), QString("CAROUSEL_ALBUM"));
    const QJsonArray kids = media.json()["children"].toObject()["data"].toArray();
    QCOMPARE(kids.size(), 3);
    QCOMPARE(kids[2].toObject()["media_type"].toString(), QString("VIDEO"));
}

void SandboxInstagramPublishingTest::containerExpiresAfter24Hours() {
    const QString container = create({{"image_url", "https://cdn.example.com/late.jpg"}});
    QVERIFY(advance(m_http, *m_sandbox, 86400 + 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "EXPIRED"));
    const auto result = publish(container);
    QCOMPARE(error(result)["code"].toInt(), -2);
    QCOMPARE(error(result)["error_subcode"].toInt(), 2207020);
}

void SandboxInstagramPublishingTest::publishingQuotaIsEnforcedAndReported() {
    const QString ig = "17841400000000003"; // Blair Travels
    const Session blair = login(m_http, *m_sandbox, "1000000000002");
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + ig, {{"quota_total", 2}}));
    auto createAndPublish = [&](int n) {
        const auto c =
            graphPost(m_http, *m_sandbox, "/" + ig + "/media", blair.longToken,
                      {{"image_url", QString("https://cdn.example.com/q%1.jpg").arg(n)}});
        return graphPost(m_http, *m_sandbox, "/" + ig + "/media_publish", blair.longToken,
                         {{"creation_id", c.json()["id"].toString()}});
    };
    QCOMPARE(createAndPublish(1).status, 200);
    QCOMPARE(createAndPublish(2).status, 200);
    const auto third = createAndPublish(3);
    QCOMPARE(third.status, 400);
    QCOMPARE(error(third)["code"].toInt(), 9);
    QCOMPARE(error(third)["error_subcode"].toInt(), 2207042);
    const auto limit = graphGet(m_http, *m_sandbox, "/" + ig + "/content_publishing_limit",
                                blair.longToken, "fields=quota_usage,config");
    QCOMPARE(limit.status, 200);
    const QJsonObject entry = limit.json()["data"].toArray()[0].toObject();
    QCOMPARE(entry["quota_usage"].toInt(), 2);
    QCOMPARE(entry["config"].toObject()["quota_total"].toInt(), 2);
    QCOMPARE(entry["config"].toObject()["quota_duration"].toInt(), 86400);
    // The window rolls: a day later there is room again.
    QVERIFY(advance(m_http, *m_sandbox, 86401));
    QCOMPARE(createAndPublish(4).status, 200);
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + ig, {{"quota_total", 50}}));
}

void SandboxInstagramPublishingTest::containerLimitIs400PerDay() {
    const QString ig = "17841400000000002"; // Blair Makes
    const Session blair = login(m_http, *m_sandbox, "1000000000002");
    for (int i = 0; i < 400; ++i) {
        const auto c = graphPost(m_http, *m_sandbox, "/" + ig + "/media", blair.longToken,
                                 {{"image_url", "https://cdn.example.com/many.jpg"}});
        QVERIFY2(c.status == 200, qPrintable(QString::number(i)));
    }
    const auto over = graphPost(m_http, *m_sandbox, "/" + ig + "/media", blair.longToken,
                                {{"image_url", "https://cdn.example.com/many.jpg"}});
    QCOMPARE(over.status, 400);
    QCOMPARE(error(over)["code"].toInt(), 4);
    QVERIFY(advance(m_http, *m_sandbox, 86401));
    QCOMPARE(graphPost(m_http, *m_sandbox, "/" + ig + "/media", blair.longToken,
                       {{"image_url", "https://cdn.example.com/many.jpg"}})
                 .status,
             200);
}

void SandboxInstagramPublishingTest::accountStateErrors_data() {
    QTest::addColumn<QString>("flag");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::newRow("restricted") << "restricted" << 25 << 2207050;
    QTest::newRow("spam") << "spam" << 4 << 2207051;
    QTest::newRow("policy block") << "policy_blocked" << 368 << 0;
}

void SandboxInstagramPublishingTest::accountStateErrors() {
    QFETCH(QString, flag);
    QFETCH(int, code);
    QFETCH(int, subcode);
    const QString ready = create({{"image_url", "https://cdn.example.com/flag.jpg"}});
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + kAlexIg, {{flag, true}}));
    const auto created = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                   {{"image_url", "https://cdn.example.com/flag.jpg"}});
    const auto published = publish(ready);
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + kAlexIg, {{flag, false}}));
    for (const auto &result : {created, published}) {
        QCOMPARE(result.status, 400);
        QCOMPARE(error(result)["code"].toInt(), code);
        QCOMPARE(error(result)["error_subcode"].toInt(), subcode);
    }
}

void SandboxInstagramPublishingTest::scriptedErrorsUseTheGraphEnvelope_data() {
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("transient");
    QTest::newRow("1 unknown") << 1 << 0 << 500 << true;
    QTest::newRow("2 service") << 2 << 0 << 500 << true;
    QTest::newRow("-1 / 2207001") << -1 << 2207001 << 500 << true;
    QTest::newRow("17 user limit") << 17 << 0 << 400 << true;
    QTest::newRow("32 page limit") << 32 << 0 << 400 << true;
    QTest::newRow("613 hourly") << 613 << 0 << 400 << true;
    QTest::newRow("24 / 2207008") << 24 << 2207008 << 400 << false;
    QTest::newRow("-2 / 2207003") << -2 << 2207003 << 400 << false;
    QTest::newRow("368 policy") << 368 << 0 << 400 << false;
}

void SandboxInstagramPublishingTest::scriptedErrorsUseTheGraphEnvelope() {
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(int, status);
    QFETCH(bool, transient);
    QVERIFY(admin(m_http, *m_sandbox, "/errors",
                  {{"endpoint", "media.publish"},
                   {"code", code},
                   {"error_subcode", subcode},
                   {"message", "scripted"},
                   {"error_user_title", "Title"},
                   {"error_user_msg", "User message"}}));
    const auto result = publish("123");
    QCOMPARE(result.status, status);
    const QJsonObject e = error(result);
    QCOMPARE(e["code"].toInt(), code);
    QCOMPARE(e["error_subcode"].toInt(), subcode);
    QCOMPARE(e["is_transient"].toBool(), transient);
    QCOMPARE(e["message"].toString(), QString("scripted"));
    QCOMPARE(e["error_user_title"].toString(), QString("Title"));
    QCOMPARE(e["error_user_msg"].toString(), QString("User message"));
    QVERIFY(!e["type"].toString().isEmpty());
    QVERIFY(!e["fbtrace_id"].toString().isEmpty());
    // One use only: the next call is handled normally.
    QCOMPARE(error(publish("123"))["code"].toInt(), 100);
}

void SandboxInstagramPublishingTest::faultsApplyToContainerStatusPolls() {
    const QString container = create({{"image_url", "https://cdn.example.com/f.jpg"}});
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "instagram"},
                                                              {"endpoint", "container.status"},
                                                              {"kind", "status"},
                                                              {"status", 503}})
                 .status,
             200);
    const auto faulted =
        graphGet(m_http, *m_sandbox, "/" + container, m_alex.longToken, "fields=status_code");
    QCOMPARE(faulted.status, 503);
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
}

void SandboxInstagramPublishingTest::jsonBodiesWorkAndBrokenBodiesAnswer100_data() {
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("json object") << QByteArray("application/json")
                                 << QByteArray(R"({"image_url":"https://cdn.example.com/j.jpg"})")
                                 << 200;
    QTest::newRow("broken json") << QByteArray("application/json") << QByteArray("{\"image_url\":")
                                 << 400;
    QTest::newRow("json array") << QByteArray("application/json") << QByteArray("[1,2]") << 400;
    QTest::newRow("plain text") << QByteArray("text/plain")
                                << QByteArray("image_url=https://cdn.example.com/t.jpg") << 400;
    QTest::newRow("binary garbage")
        << QByteArray("application/octet-stream") << QByteArray("\x00\xff\xfe", 3) << 400;
}

void SandboxInstagramPublishingTest::jsonBodiesWorkAndBrokenBodiesAnswer100() {
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const auto result =
        m_http.post(m_sandbox->url(kGraph + "/" + kAlexIg + "/media"), body, contentType,
                    {{"Authorization", "Bearer " + m_alex.longToken.toUtf8()}});
    QCOMPARE(result.status, status);
    if (status == 400)
        QCOMPARE(error(result)["code"].toInt(), 100);
    else
        QVERIFY(!result.json()["id"].toString().isEmpty());
}

QTEST_GUILESS_MAIN(SandboxInstagramPublishingTest)
#include "tst_sandbox_instagram_publishing.moc"
