#include "platforms/x/xmediarules.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze::x;

namespace {

QByteArray mp4Head(const QByteArray &brand) {
    return QByteArray("\x00\x00\x00\x18", 4) + "ftyp" + brand + QByteArray(8, '\0');
}

} // namespace

Q_DECLARE_METATYPE(MediaCategory)

// xmediarules.h: X's media types, categories, sizes, the media a post may carry, the video
// rules and how a file is cut into APPEND segments.
class XMediaRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typesAreReadFromTheFilesFirstBytes_data();
    void typesAreReadFromTheFilesFirstBytes();
    void categoriesAndLimitsFollowTheContract();
    void aFileIsDescribedAndCheckedAgainstItsLimit();
    void unusableFilesAreRefusedWithWhatToChange();
    void mediaPerPost_data();
    void mediaPerPost();
    void videoRules();
    void segmentsAreAtMostFiveMegabytesAndCoverTheFile_data();
    void segmentsAreAtMostFiveMegabytesAndCoverTheFile();
    void segmentPlanRefusesWhatCannotBeSent();
};

void XMediaRulesTest::typesAreReadFromTheFilesFirstBytes_data() {
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("type");
    QTest::newRow("jpeg") << QByteArray("\xFF\xD8\xFF\xE0", 4) << "png"
                          << "image/jpeg";
    QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1A\n", 8) << "jpg"
                         << "image/png";
    QTest::newRow("gif87") << QByteArray("GIF87a") << ""
                           << "image/gif";
    QTest::newRow("gif89") << QByteArray("GIF89a") << ""
                           << "image/gif";
    QTest::newRow("webp") << QByteArray("RIFF\x10\x00\x00\x00WEBPVP8 ", 16) << ""
                          << "image/webp";
    QTest::newRow("mp4 isom") << mp4Head("isom") << "mov"
                              << "video/mp4";
    QTest::newRow("quicktime brand") << mp4Head("qt  ") << "mp4"
                                     << "video/quicktime";
    QTest::newRow("moov first, .mov") << QByteArray("\x00\x00\x00\x08moov", 8) << "MOV"
                                      << "video/quicktime";
    QTest::newRow("mdat first, .mp4") << QByteArray("\x00\x00\x00\x08mdat", 8) << "mp4"
                                      << "video/mp4";
    QTest::newRow("riff but avi") << QByteArray("RIFF\x10\x00\x00\x00"
                                                "AVI LIST",
                                                16)
                                  << "avi"
                                  << "";
    QTest::newRow("webm") << QByteArray("\x1A\x45\xDF\xA3", 4) << "webm"
                          << "";
    QTest::newRow("text") << QByteArray("hello world") << "jpg"
                          << "";
    QTest::newRow("empty") << QByteArray() << "png"
                           << "";
}

void XMediaRulesTest::typesAreReadFromTheFilesFirstBytes() {
    QFETCH(QByteArray, head);
    QFETCH(QString, suffix);
    QFETCH(QString, type);
    const auto found = mediaTypeOf(head, suffix);
    QCOMPARE(found.value_or(QString()), type);
}

void XMediaRulesTest::categoriesAndLimitsFollowTheContract() {
    QCOMPARE(categoryName(MediaCategory::Image), QString("tweet_image"));
    QCOMPARE(categoryName(MediaCategory::Gif), QString("tweet_gif"));
    QCOMPARE(categoryName(MediaCategory::Video), QString("tweet_video"));
    QCOMPARE(*categoryForType("image/jpeg"), MediaCategory::Image);
    QCOMPARE(*categoryForType("image/png"), MediaCategory::Image);
    QCOMPARE(*categoryForType("image/webp"), MediaCategory::Image);
    QCOMPARE(*categoryForType("image/gif"), MediaCategory::Gif);
    QCOMPARE(*categoryForType("video/mp4"), MediaCategory::Video);
    QCOMPARE(*categoryForType("video/quicktime"), MediaCategory::Video);
    QVERIFY(!categoryForType("video/webm"));
    QCOMPARE(maxBytes(MediaCategory::Image), 5 * 1024 * 1024);
    QCOMPARE(maxBytes(MediaCategory::Gif), 15 * 1024 * 1024);
    QCOMPARE(maxBytes(MediaCategory::Video), 512LL * 1024 * 1024);
}

void XMediaRulesTest::aFileIsDescribedAndCheckedAgainstItsLimit() {
    QTemporaryDir dir;
    const QString path = dir.filePath("photo.bin");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("\x89PNG\r\n\x1A\n", 8) + QByteArray(1000, 'p'));
    file.close();
    const auto described = describeMediaFile(path);
    QVERIFY(described);
    QCOMPARE(described->path, path);
    QCOMPARE(described->mediaType, QString("image/png"));
    QCOMPARE(described->category, MediaCategory::Image);
    QCOMPARE(described->size, 1008);

    // One byte over 5 MiB is too large for an image, and says so in megabytes.
    const QString big = dir.filePath("big.jpg");
    QFile bigFile(big);
    QVERIFY(bigFile.open(QIODevice::WriteOnly));
    bigFile.write(QByteArray("\xFF\xD8\xFF\xE0", 4));
    QVERIFY(bigFile.resize(5 * 1024 * 1024 + 1));
    bigFile.close();
    const auto tooBig = describeMediaFile(big);
    QVERIFY(!tooBig);
    QCOMPARE(tooBig.error().code, QString("media_too_large"));
    QVERIFY2(tooBig.error().message.contains("5.0 MB"), qPrintable(tooBig.error().message));
}

void XMediaRulesTest::unusableFilesAreRefusedWithWhatToChange() {
    QTemporaryDir dir;
    QCOMPARE(describeMediaFile(dir.filePath("missing.png")).error().code,
             QString("media_unreadable"));
    const QString empty = dir.filePath("empty.png");
    QFile(empty).open(QIODevice::WriteOnly);
    QCOMPARE(describeMediaFile(empty).error().code, QString("media_empty"));
    const QString webm = dir.filePath("clip.webm");
    QFile file(webm);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("\x1A\x45\xDF\xA3", 4) + QByteArray(100, 'w'));
    file.close();
    const auto refused = describeMediaFile(webm);
    QCOMPARE(refused.error().code, QString("media_type_unsupported"));
    QVERIFY(refused.error().message.contains("MP4"));
}

void XMediaRulesTest::mediaPerPost_data() {
    using C = MediaCategory;
    QTest::addColumn<QList<MediaCategory>>("media");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("none") << QList<C>{} << true;
    QTest::newRow("one photo") << QList<C>{C::Image} << true;
    QTest::newRow("four photos") << QList<C>{C::Image, C::Image, C::Image, C::Image} << true;
    QTest::newRow("five photos") << QList<C>{C::Image, C::Image, C::Image, C::Image, C::Image}
                                 << false;
    QTest::newRow("one gif") << QList<C>{C::Gif} << true;
    QTest::newRow("one video") << QList<C>{C::Video} << true;
    QTest::newRow("two gifs") << QList<C>{C::Gif, C::Gif} << false;
    QTest::newRow("two videos") << QList<C>{C::Video, C::Video} << false;
    QTest::newRow("photo and gif") << QList<C>{C::Image, C::Gif} << false;
    QTest::newRow("photo and video") << QList<C>{C::Video, C::Image} << false;
}

void XMediaRulesTest::mediaPerPost() {
    QFETCH(QList<MediaCategory>, media);
    QFETCH(bool, allowed);
    const auto checked = checkMediaSet(media);
    QCOMPARE(checked.ok(), allowed);
    if (!allowed)
        QCOMPARE(checked.error().code, QString("media_combination"));
}

void XMediaRulesTest::videoRules() {
    huntaze::media::MediaInfo good;
    good.uploadContentType = "video/mp4";
    good.videoCodec = "h264";
    good.audioCodec = "aac";
    good.durationMs = 30'000;
    good.frameRate = 30;
    good.sizeBytes = 10'000'000;
    QVERIFY(checkVideo(good).isEmpty());
    auto silent = good;
    silent.audioCodec.clear();
    QVERIFY(checkVideo(silent).isEmpty());
    auto edge = good;
    edge.durationMs = 500;
    edge.frameRate = 60;
    QVERIFY(checkVideo(edge).isEmpty());

    auto bad = good;
    bad.uploadContentType = "video/webm";
    bad.videoCodec = "vp9";
    bad.audioCodec = "opus";
    bad.durationMs = 181'000;
    bad.frameRate = 120;
    bad.sizeBytes = 600LL * 1024 * 1024;
    const QStringList problems = checkVideo(bad);
    QCOMPARE(problems.size(), 6);
    QVERIFY(problems.join(' ').contains("181.0 seconds"));
    auto tooShort = good;
    tooShort.durationMs = 400;
    QCOMPARE(checkVideo(tooShort).size(), 1);
}

void XMediaRulesTest::segmentsAreAtMostFiveMegabytesAndCoverTheFile_data() {
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("last");
    QTest::newRow("one byte") << qint64(1) << 1 << qint64(1);
    QTest::newRow("exactly one segment") << qint64(5'000'000) << 1 << qint64(5'000'000);
    QTest::newRow("one byte over") << qint64(5'000'001) << 2 << qint64(1);
    QTest::newRow("an image of 5 MiB") << qint64(5 * 1024 * 1024) << 2 << qint64(242'880);
    QTest::newRow("largest video") << qint64(512LL * 1024 * 1024) << 108 << qint64(1'870'912);
}

void XMediaRulesTest::segmentsAreAtMostFiveMegabytesAndCoverTheFile() {
    QFETCH(qint64, total);
    QFETCH(int, count);
    QFETCH(qint64, last);
    const auto plan = SegmentPlan::forSize(total);
    QVERIFY(plan);
    QCOMPARE(plan->count, count);
    QCOMPARE(plan->length(count - 1), last);
    qint64 covered = 0;
    for (int i = 0; i < plan->count; ++i) {
        QCOMPARE(plan->start(i), covered);
        QVERIFY(plan->length(i) > 0 && plan->length(i) <= 5'000'000);
        covered += plan->length(i);
    }
    QCOMPARE(covered, total);
    QCOMPARE(plan->length(count), 0);
    QCOMPARE(plan->length(-1), 0);
}

void XMediaRulesTest::segmentPlanRefusesWhatCannotBeSent() {
    QVERIFY(!SegmentPlan::forSize(0));
    QVERIFY(!SegmentPlan::forSize(-5));
    QVERIFY(!SegmentPlan::forSize(100, 0));
    QVERIFY(!SegmentPlan::forSize(100, 5'000'001)); // over X's segment size
    QCOMPARE(SegmentPlan::forSize(5'000'000'001LL).error().code, QString("media_too_large"));
    QCOMPARE(SegmentPlan::forSize(10, 3)->count, 4);
}

QTEST_GUILESS_MAIN(XMediaRulesTest)
#include "tst_xmediarules.moc"
