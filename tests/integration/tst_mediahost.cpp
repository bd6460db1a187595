#include "httpclient.h"
#include "publishingstack.h"
#include "relayprocess.h"
#include "store/pgconnection.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QImage>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

namespace {

constexpr qint64 kMaxBytes = 8 * 1024 * 1024;

// A real JPEG: `seed` makes each one different.
QByteArray makeJpeg(int width, int height, quint32 seed) {
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y) {
        auto *line = reinterpret_cast<quint32 *>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            line[x] = 0xff000000u | (random.generate() & 0x00ffffffu);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPG", 90);
    return bytes;
}

// Bytes the relay takes as a JPEG (it only looks at the start) of exactly `size` bytes.
QByteArray jpegLike(qint64 size) {
    QByteArray bytes(size, 'x');
    bytes[0] = char(0xFF);
    bytes[1] = char(0xD8);
    bytes[2] = char(0xFF);
    return bytes;
}

} // namespace

// The relay's media host for Instagram photos (issue 6), through a real relay and
// PostgreSQL: an uploaded JPEG comes back byte for byte from its public address, the
// same photo gets the same address, what is not a JPEG, too large or not from a paired
// desktop is refused, an unknown or expired address is not found (and expired photos
// are deleted), /v1/platforms says the host is there, and desktops cannot read the
// stored photos from the database.
class MediaHostTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void uploadedPhotoIsServedByteForByteFromItsPublicAddress();
    void samePhotoFromTheSameUserGetsTheSameAddress();
    void refusals_data();
    void refusals();
    void photoOfExactlyEightMebibytesIsTaken();
    void otherRoutesKeepTheirBodyLimit();
    void unknownAddressIsNotFound_data();
    void unknownAddressIsNotFound();
    void expiredPhotoIsNotFoundAndDeletedByTheCleanup();
    void platformDirectoryAdvertisesTheMediaHost();
    void desktopRoleCannotReadHostedPhotos();
    void withoutAPublicUrlThereIsNoMediaHost();

private:
    HttpResult upload(const QByteArray &body, const QByteArray &contentType = "image/jpeg",
                      const QByteArray &credential = {});
    qint64 scalar(const QString &sql, const QList<store::PgParam> &params = {});

    PublishingStack m_stack;
    HttpClient m_http;
};

void MediaHostTest::initTestCase() {
    // The cleanup runs every second here, so the test sees it.
    QVERIFY2(m_stack.start({{"HUNTAZE_MEDIA_CLEANUP_INTERVAL_SECONDS", "1"}}),
             qPrintable(m_stack.errorString()));
}

HttpResult MediaHostTest::upload(const QByteArray &body, const QByteArray &contentType,
                                 const QByteArray &credential) {
    const QByteArray bearer = credential.isNull() ? m_stack.credential() : credential;
    HttpClient::Headers headers;
    if (!bearer.isEmpty())
        headers.append({"Authorization", "Bearer " + bearer});
    return m_http.post(m_stack.relay().url("/v1/media"), body, contentType, headers, 30000);
}

qint64 MediaHostTest::scalar(const QString &sql, const QList<store::PgParam> &params) {
    auto result = m_stack.sql().exec(sql, params);
    return result && result->rows() && !result->isNull(0, 0) ? result->int64(0, 0) : -1;
}

void MediaHostTest::uploadedPhotoIsServedByteForByteFromItsPublicAddress() {
    const QByteArray photo = makeJpeg(1080, 1350, 1);
    QVERIFY(photo.size() > 100000);
    const HttpResult uploaded = upload(photo);
    QCOMPARE(uploaded.status, 201);
    const QString url = uploaded.json().value("url").toString();
    const QRegularExpression shape("^" + QRegularExpression::escape(m_stack.relayUrl().toString()) +
                                   "/media/([0-9a-f]{32})\\.jpg$");
    const auto match = shape.match(url);
    QVERIFY2(match.hasMatch(), qPrintable(url));
    const QDateTime expires =
        QDateTime::fromString(uploaded.json().value("expires_at").toString(), Qt::ISODate);
    QVERIFY(expires.isValid());
    const qint64 life = QDateTime::currentDateTimeUtc().secsTo(expires);
    QVERIFY2(life > 47 * 3600 && life <= 48 * 3600 + 60, qPrintable(QString::number(life)));

    // No credential: Meta fetches it as anyone would.
    const HttpResult fetched = m_http.get(QUrl(url));
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.header("content-type"), QByteArray("image/jpeg"));
    QCOMPARE(fetched.header("content-length"), QByteArray::number(photo.size()));
    QVERIFY(fetched.header("cache-control").startsWith("public, max-age="));
    QCOMPARE(fetched.body.size(), photo.size());
    QVERIFY(fetched.body == photo);

    // Stored for its user, with its hash; the upload is audited.
    const QByteArray sha = QCryptographicHash::hash(photo, QCryptographicHash::Sha256);
    QCOMPARE(scalar("SELECT user_id FROM hosted_media WHERE token = $1", {match.captured(1)}), 1);
    QCOMPARE(scalar("SELECT count(*) FROM hosted_media WHERE sha256 = $1 AND content_type = "
                    "'image/jpeg' AND octet_length(bytes) = $2",
                    {store::PgParam::binary(sha), qint64(photo.size())}),
             1);
    QTRY_COMPARE_WITH_TIMEOUT(scalar("SELECT count(*) FROM audit_log WHERE event = 'media.upload' "
                                     "AND outcome = 'ok' AND user_id = 1 AND subject = $1",
                                     {QString("sha256:" + sha.toHex())}),
                              1, 10000);
    const QByteArray metrics = m_http.get(m_stack.relay().url("/metrics")).body;
    QVERIFY(metrics.contains("huntaze_media_uploads_total{outcome=\"ok\"}"));
    QVERIFY(metrics.contains("huntaze_media_fetches_total{outcome=\"ok\"}"));
}

void MediaHostTest::samePhotoFromTheSameUserGetsTheSameAddress() {
    const QByteArray photo = makeJpeg(640, 800, 2);
    const HttpResult first = upload(photo);
    const HttpResult second = upload(photo);
    QCOMPARE(first.status, 201);
    QCOMPARE(second.status, 201);
    QCOMPARE(second.json().value("url").toString(), first.json().value("url").toString());
    const QByteArray sha = QCryptographicHash::hash(photo, QCryptographicHash::Sha256);
    QCOMPARE(scalar("SELECT count(*) FROM hosted_media WHERE sha256 = $1",
                    {store::PgParam::binary(sha)}),
             1);
    // Another photo, another address.
    const HttpResult other = upload(makeJpeg(640, 800, 3));
    QCOMPARE(other.status, 201);
    QVERIFY(other.json().value("url").toString() != first.json().value("url").toString());
}

void MediaHostTest::refusals_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("credential"); // null: the paired desktop's
    QTest::addColumn<int>("status");
    const QByteArray jpeg = makeJpeg(320, 400, 4);
    QByteArray png;
    {
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        QImage(32, 32, QImage::Format_RGB32).save(&buffer, "PNG");
    }
    QTest::newRow("png sent as a jpeg") << png << QByteArray("image/jpeg") << QByteArray() << 415;
    QTest::newRow("text") << QByteArray("hello") << QByteArray("image/jpeg") << QByteArray() << 415;
    QTest::newRow("jpeg sent as png") << jpeg << QByteArray("image/png") << QByteArray() << 415;
    QTest::newRow("over 8 MiB") << jpegLike(kMaxBytes + 1) << QByteArray("image/jpeg")
                                << QByteArray() << 413;
    QTest::newRow("no credential") << jpeg << QByteArray("image/jpeg") << QByteArray("") << 401;
    QTest::newRow("unknown credential")
        << jpeg << QByteArray("image/jpeg") << QByteArray("hzd_not-a-real-credential") << 401;
    QTest::newRow("malformed credential")
        << jpeg << QByteArray("image/jpeg") << QByteArray("nonsense") << 401;
}

void MediaHostTest::refusals() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, credential);
    QFETCH(int, status);
    const qint64 before = scalar("SELECT count(*) FROM hosted_media");
    const HttpResult answer = upload(body, contentType, credential);
    QCOMPARE(answer.status, status);
    QVERIFY2(!answer.json().value("message").toString().isEmpty(), answer.body.constData());
    QCOMPARE(scalar("SELECT count(*) FROM hosted_media"), before); // nothing stored
}

void MediaHostTest::photoOfExactlyEightMebibytesIsTaken() {
    // Above the relay's default 1 MiB body limit, at Instagram's limit.
    const QByteArray photo = jpegLike(kMaxBytes);
    const HttpResult uploaded = upload(photo);
    QCOMPARE(uploaded.status, 201);
    const HttpResult fetched = m_http.get(QUrl(uploaded.json().value("url").toString()));
    QCOMPARE(fetched.status, 200);
    QVERIFY(fetched.body == photo);
}

void MediaHostTest::otherRoutesKeepTheirBodyLimit() {
    // Only the upload route takes 8 MiB; the others still refuse what is over
    // HUNTAZE_MAX_BODY_BYTES (1 MiB by default), from its Content-Length, before reading it.
    const HttpResult answer = m_http.post(m_stack.relay().url("/v1/devices/pair"),
                                          QByteArray(2 * 1024 * 1024, ' '), "application/json");
    QCOMPARE(answer.status, 413);
}

void MediaHostTest::unknownAddressIsNotFound_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown token") << "/media/0123456789abcdef0123456789abcdef.jpg";
    QTest::newRow("not a token") << "/media/not-a-token.jpg";
    QTest::newRow("no extension") << "/media/0123456789abcdef0123456789abcdef";
    QTest::newRow("uppercase") << "/media/0123456789ABCDEF0123456789ABCDEF.jpg";
    QTest::newRow("bare folder") << "/media/";
    QTest::newRow("nested") << "/media/0123456789abcdef0123456789abcdef.jpg/x.jpg";
}

void MediaHostTest::unknownAddressIsNotFound() {
    QFETCH(QString, path);
    const HttpResult answer = m_http.get(m_stack.relay().url(path));
    QCOMPARE(answer.status, 404);
}

void MediaHostTest::expiredPhotoIsNotFoundAndDeletedByTheCleanup() {
    const QByteArray photo = makeJpeg(640, 640, 5);
    const HttpResult uploaded = upload(photo);
    QCOMPARE(uploaded.status, 201);
    const QString url = uploaded.json().value("url").toString();
    QCOMPARE(m_http.get(QUrl(url)).status, 200);
    const QString token = QUrl(url).fileName().chopped(4);
    QVERIFY(m_stack.sql().exec(
        "UPDATE hosted_media SET expires_at = now() - interval '1 second' WHERE token = $1",
        {token}));
    QCOMPARE(m_http.get(QUrl(url)).status, 404);
    // The cleanup (every second here) deletes it.
    QTRY_COMPARE_WITH_TIMEOUT(scalar("SELECT count(*) FROM hosted_media WHERE token = $1", {token}),
                              0, 15000);
    // Uploaded again, it gets a new address: an expired one never comes back.
    const HttpResult again = upload(photo);
    QCOMPARE(again.status, 201);
    QVERIFY(again.json().value("url").toString() != url);
    QCOMPARE(m_http.get(QUrl(url)).status, 404);
    QCOMPARE(m_http.get(QUrl(again.json().value("url").toString())).status, 200);
}

void MediaHostTest::platformDirectoryAdvertisesTheMediaHost() {
    const HttpResult platforms = m_http.get(m_stack.relay().url("/v1/platforms"));
    QCOMPARE(platforms.status, 200);
    QCOMPARE(platforms.json().value("instagram").toObject().value("media_host").toBool(), true);
    QVERIFY(!platforms.json().value("tiktok").toObject().contains("media_host"));
}

void MediaHostTest::desktopRoleCannotReadHostedPhotos() {
    QCOMPARE(upload(makeJpeg(320, 320, 6)).status, 201);
    auto desktop = store::PgConnection::open(m_stack.desktopDatabaseUrl());
    QVERIFY2(desktop, desktop ? "" : qPrintable(desktop.error().message));
    for (const char *sql : {"SELECT count(*) FROM hosted_media", "SELECT token FROM hosted_media",
                            "DELETE FROM hosted_media"}) {
        auto read = desktop->exec(QString::fromLatin1(sql));
        QVERIFY2(!read, sql);
        QCOMPARE(read.error().code, QStringLiteral("42501")); // insufficient_privilege
    }
    // Row-level security is on too, with no policy for desktops.
    QCOMPARE(scalar("SELECT relrowsecurity::int FROM pg_class WHERE relname = 'hosted_media'"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM pg_policies WHERE tablename = 'hosted_media'"), 0);
}

void MediaHostTest::withoutAPublicUrlThereIsNoMediaHost() {
    RelayProcess plain(m_stack.database().url(), {{"INSTAGRAM_APP_ID", "sbx-instagram-client"}});
    QVERIFY2(plain.isRunning(), plain.output().constData());
    const HttpResult platforms = m_http.get(plain.url("/v1/platforms"));
    QCOMPARE(platforms.status, 200);
    QVERIFY(platforms.json().contains("instagram"));
    QVERIFY(!platforms.json().value("instagram").toObject().contains("media_host"));
    const HttpResult uploaded =
        m_http.post(plain.url("/v1/media"), makeJpeg(320, 400, 7), "image/jpeg",
                    {{"Authorization", "Bearer " + m_stack.credential()}});
    QCOMPARE(uploaded.status, 404);
    // A photo the other relay hosts is not served here either.
    const HttpResult hosted = upload(makeJpeg(320, 400, 8));
    QCOMPARE(hosted.status, 201);
    const QString path = QUrl(hosted.json().value("url").toString()).path();
    QCOMPARE(m_http.get(plain.url(path)).status, 404);
}

QTEST_GUILESS_MAIN(MediaHostTest)
#include "tst_mediahost.moc"
