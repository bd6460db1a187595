#include "platforms/instagram/instagrammediarules.h"

#include <QFile>
#include <QImage>
#include <QImageWriter>
#include <QLocale>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using huntaze::instagram::CaptionCheck;
using huntaze::instagram::checkCaption;
using huntaze::instagram::checkCarouselCount;
using huntaze::instagram::checkFeedImage;
using huntaze::instagram::checkReelVideo;
using huntaze::instagram::checkStoryImage;
using huntaze::instagram::checkStoryVideo;
using huntaze::instagram::ImageFacts;
using huntaze::instagram::kindFromName;
using huntaze::instagram::kindName;
using huntaze::instagram::PostKind;
using huntaze::instagram::readImageFacts;
using huntaze::media::MediaInfo;

Q_DECLARE_METATYPE(MediaInfo)

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// A reel Instagram takes: every rule passes.
MediaInfo goodVideo() {
    MediaInfo info;
    info.path = "/videos/clip.mp4";
    info.sizeBytes = 10 * kMiB;
    info.container = "mov,mp4,m4a,3gp,3g2,mj2";
    info.containerLabel = "MP4";
    info.hasVideo = true;
    info.videoCodec = "h264";
    info.audioCodec = "aac";
    info.width = 1080;
    info.height = 1920;
    info.frameRate = 30;
    info.durationMs = 10'000;
    info.uploadContentType = "video/mp4";
    return info;
}

QString repeated(const QString &piece, int times) {
    QString out;
    for (int i = 0; i < times; ++i)
        out += piece.arg(i);
    return out;
}

} // namespace

class InstagramRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void kindNamesRoundTrip();
    void captionCounts_data();
    void captionCounts();
    void captionLimitsAtAndOneOver_data();
    void captionLimitsAtAndOneOver();
    void captionOverEveryLimitReportsEachOne();
    void feedImageFactsAndAspect_data();
    void feedImageFactsAndAspect();
    void formatComesFromTheContentNotTheName();
    void imageOver8MegabytesIsRefusedWithBothSizes();
    void fileOver64MegabytesIsNotRead();
    void unreadableFilesSayWhy_data();
    void unreadableFilesSayWhy();
    void sidewaysPhotoIsMeasuredUpright();
    void storyImageHasNoAspectRule();
    void reelVideoRules_data();
    void reelVideoRules();
    void storyVideoRules_data();
    void storyVideoRules();
    void everyVideoProblemIsReported();
    void carouselCounts_data();
    void carouselCounts();

private:
    QString writeImage(const QString &name, int width, int height, const char *format);
    QTemporaryDir m_dir;
};

void InstagramRulesTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

QString InstagramRulesTest::writeImage(const QString &name, int width, int height,
                                       const char *format) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    const QString path = m_dir.filePath(name);
    if (!image.save(path, format))
        return {};
    return path;
}

void InstagramRulesTest::kindNamesRoundTrip() {
    for (PostKind kind : {PostKind::Photo, PostKind::Reel, PostKind::Story, PostKind::Carousel})
        QCOMPARE(kindFromName(kindName(kind)), std::optional<PostKind>(kind));
    QCOMPARE(kindName(PostKind::Reel), QString("reel"));
    QCOMPARE(kindFromName(" Carousel "), std::optional<PostKind>(PostKind::Carousel));
    QVERIFY(!kindFromName("video").has_value());
    QVERIFY(!kindFromName("").has_value());
}

void InstagramRulesTest::captionCounts_data() {
    QTest::addColumn<QString>("caption");
    QTest::addColumn<int>("characters");
    QTest::addColumn<int>("hashtags");
    QTest::addColumn<int>("mentions");
    QTest::newRow("empty") << "" << 0 << 0 << 0;
    QTest::newRow("plain") << "Hello" << 5 << 0 << 0;
    QTest::newRow("tags and mentions")
        << "#sun at the #beach with @alex.studio and @b_2!" << 46 << 2 << 2;
    QTest::newRow("thumbs up with skin tone")
        << QString::fromUtf8("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD") << 4 << 0 << 0;
    QTest::newRow("flag") << QString::fromUtf8("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7") << 4 << 0 << 0;
    QTest::newRow("family (zero-width joiners)")
        << QString::fromUtf8("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91"
                             "\xA7")
        << 8 << 0 << 0;
    QTest::newRow("emoji in a tag")
        << QString::fromUtf8("#sun \xF0\x9F\x98\x80 #fun") << 12 << 2 << 0;
    QTest::newRow("combining accent") << QString::fromUtf8("cafe\xCC\x81") << 5 << 0 << 0;
    QTest::newRow("combining accent in a tag")
        << QString::fromUtf8("#cafe\xCC\x81 #e\xCC\x81te\xCC\x81") << 13 << 2 << 0;
    QTest::newRow("accented letters")
        << QString::fromUtf8("#\xC3\xA9t\xC3\xA9 @z\xC3\xB6") << 8 << 1 << 1;
    QTest::newRow("other scripts") << QString::fromUtf8("#\xE6\x97\xA5\xE6\x9C\xAC") << 3 << 1 << 0;
    QTest::newRow("# inside words is not a tag") << "C#code abc#def x#1" << 18 << 0 << 0;
    QTest::newRow("# after an accent mark is inside the word")
        << QString::fromUtf8("e\xCC\x81#tag") << 6 << 0 << 0;
    QTest::newRow("# alone is not a tag") << "# and #" << 7 << 0 << 0;
    QTest::newRow("double #") << "##tag" << 5 << 1 << 0;
    QTest::newRow("tag after punctuation") << "(#a),#b" << 7 << 2 << 0;
    QTest::newRow("emails are not mentions") << "mail me@example.com or @real" << 28 << 0 << 1;
    QTest::newRow("@ alone is not a mention") << "meet @ 5" << 8 << 0 << 0;
    QTest::newRow("line breaks") << "one\r\ntwo #x" << 11 << 1 << 0;
}

void InstagramRulesTest::captionCounts() {
    QFETCH(QString, caption);
    QFETCH(int, characters);
    QFETCH(int, hashtags);
    QFETCH(int, mentions);
    const CaptionCheck check = checkCaption(caption);
    QCOMPARE(check.characters, characters);
    QCOMPARE(check.hashtags, hashtags);
    QCOMPARE(check.mentions, mentions);
    QVERIFY(check.problems.isEmpty());
}

void InstagramRulesTest::captionLimitsAtAndOneOver_data() {
    QTest::addColumn<QString>("caption");
    QTest::addColumn<QString>("problem"); // empty: fine
    QTest::newRow("2200 characters") << QString(2200, 'a') << "";
    QTest::newRow("2201 characters")
        << QString(2201, 'a')
        << "The caption has 2,201 characters; Instagram allows 2,200. Remove 1.";
    QTest::newRow("1100 emoji are 2200 UTF-16 units, as Meta counts")
        << QString::fromUtf8("\xF0\x9F\x98\x80").repeated(1100) << "";
    QTest::newRow("1101 emoji are one over")
        << QString::fromUtf8("\xF0\x9F\x98\x80").repeated(1101)
        << "The caption has 2,202 characters; Instagram allows 2,200. Remove 2.";
    QTest::newRow("551 emoji with skin tones")
        << QString::fromUtf8("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD").repeated(551)
        << "The caption has 2,204 characters; Instagram allows 2,200. Remove 4.";
    QTest::newRow("30 hashtags") << repeated("#tag%1 ", 30) << "";
    QTest::newRow("31 hashtags") << repeated("#tag%1 ", 31)
                                 << "The caption has 31 hashtags; Instagram allows 30. Remove 1.";
    QTest::newRow("20 mentions") << repeated("@user%1 ", 20) << "";
    QTest::newRow("21 mentions") << repeated("@user%1 ", 21)
                                 << "The caption has 21 @mentions; Instagram allows 20. Remove 1.";
    QTest::newRow("25 mentions") << repeated("@u%1 ", 25)
                                 << "The caption has 25 @mentions; Instagram allows 20. Remove 5.";
}

void InstagramRulesTest::captionLimitsAtAndOneOver() {
    QFETCH(QString, caption);
    QFETCH(QString, problem);
    const CaptionCheck check = checkCaption(caption);
    if (problem.isEmpty())
        QCOMPARE(check.problems, QStringList());
    else
        QCOMPARE(check.problems, QStringList{problem});
}

void InstagramRulesTest::captionOverEveryLimitReportsEachOne() {
    const QString caption = repeated("#t%1 ", 35) + repeated("@u%1 ", 22) + QString(2200, 'x');
    const CaptionCheck check = checkCaption(caption);
    QCOMPARE(check.hashtags, 35);
    QCOMPARE(check.mentions, 22);
    QCOMPARE(check.problems.size(), 3);
    QVERIFY(check.problems[0].contains("characters"));
    QVERIFY(check.problems[1].contains("35 hashtags") && check.problems[1].contains("Remove 5."));
    QVERIFY(check.problems[2].contains("22 @mentions") && check.problems[2].contains("Remove 2."));
}

void InstagramRulesTest::feedImageFactsAndAspect_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("problem"); // empty: fine
    QTest::newRow("square") << 1080 << 1080 << "";
    QTest::newRow("4:5 exactly") << 1080 << 1350 << "";
    QTest::newRow("just taller than 4:5")
        << 1080 << 1351
        << "This image is 1,080 × 1,351 pixels, taller than the 4:5 Instagram allows in the "
           "feed. Crop it to at most 1,080 × 1,350 pixels.";
    QTest::newRow("1.91:1 exactly") << 1910 << 1000 << "";
    QTest::newRow("just wider than 1.91:1")
        << 1911 << 1000
        << "This image is 1,911 × 1,000 pixels, wider than the 1.91:1 Instagram allows in the "
           "feed. Crop it to at most 1,910 × 1,000 pixels.";
    QTest::newRow("tiny portrait") << 4 << 5 << "";
}

void InstagramRulesTest::feedImageFactsAndAspect() {
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, problem);
    const QString path =
        writeImage(QString("photo-%1x%2.jpg").arg(width).arg(height), width, height, "JPEG");
    QVERIFY(!path.isEmpty());
    const ImageFacts facts = readImageFacts(path);
    QCOMPARE(facts.error, QString());
    QCOMPARE(facts.format, QString("jpeg"));
    QCOMPARE(facts.size, QSize(width, height));
    QCOMPARE(facts.bytes, QFileInfo(path).size());
    if (problem.isEmpty())
        QCOMPARE(checkFeedImage(facts), QStringList());
    else
        QCOMPARE(checkFeedImage(facts), QStringList{problem});
}

void InstagramRulesTest::formatComesFromTheContentNotTheName() {
    // A PNG is refused, even when its name says JPEG.
    const QString png = writeImage("real.png", 100, 100, "PNG");
    const QString disguised = m_dir.filePath("disguised.jpg");
    QVERIFY(QFile::copy(png, disguised));
    for (const QString &path : {png, disguised}) {
        const ImageFacts facts = readImageFacts(path);
        QCOMPARE(facts.format, QString("png"));
        const QStringList problems = checkFeedImage(facts);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0], QString("This image is a PNG file; Instagram only accepts JPEG. Save "
                                      "it as a JPEG, then choose it again."));
    }
}

void InstagramRulesTest::imageOver8MegabytesIsRefusedWithBothSizes() {
    // A small JPEG with data after its end: read by its header, 8 MiB + 1 byte on disk.
    const QString path = writeImage("big.jpg", 1080, 1080, "JPEG");
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write(QByteArray(8 * kMiB + 1 - file.size(), '\0'));
    file.close();
    const ImageFacts facts = readImageFacts(path);
    QCOMPARE(facts.error, QString());
    QCOMPARE(facts.bytes, 8 * kMiB + 1);
    QCOMPARE(facts.size, QSize(1080, 1080));
    const QStringList problems = checkFeedImage(facts);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(
        problems[0].startsWith("This image is 8,388,609 bytes; Instagram accepts at most 8 MB"),
        qPrintable(problems[0]));
    // Exactly 8 MiB passes.
    QVERIFY(file.resize(8 * kMiB));
    QCOMPARE(checkFeedImage(readImageFacts(path)), QStringList());
    // A clearly bigger one reads in megabytes.
    QVERIFY(file.resize(9 * kMiB + kMiB / 2));
    QVERIFY2(checkStoryImage(readImageFacts(path)).value(0).startsWith("This image is 9.5 MB"),
             qPrintable(checkStoryImage(readImageFacts(path)).value(0)));
}

void InstagramRulesTest::fileOver64MegabytesIsNotRead() {
    const QString path = writeImage("huge.jpg", 100, 100, "JPEG");
    QFile file(path);
    QVERIFY(file.resize(64 * kMiB + 1)); // sparse: nothing is written
    const ImageFacts facts = readImageFacts(path);
    QCOMPARE(facts.bytes, 64 * kMiB + 1);
    QVERIFY(facts.format.isEmpty());
    QVERIFY(!facts.size.isValid());
    QVERIFY2(facts.error.contains("huge.jpg") && facts.error.contains("8 MB"),
             qPrintable(facts.error));
    QCOMPARE(checkFeedImage(facts), QStringList{facts.error});
    // At the bound it is still read.
    QVERIFY(file.resize(64 * kMiB));
    QCOMPARE(readImageFacts(path).format, QString("jpeg"));
}

void InstagramRulesTest::unreadableFilesSayWhy_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content"); // null: do not create
    QTest::addColumn<QString>("keyword");
    QByteArray garbage(4096, '\0');
    for (char &byte : garbage)
        byte = char(QRandomGenerator::global()->bounded(256));
    QTest::newRow("garbage") << "garbage.jpg" << garbage << "not a picture";
    QTest::newRow("text") << "notes.jpg" << QByteArray("just some words") << "not a picture";
    QTest::newRow("empty") << "empty.jpg" << QByteArray("") << "not a picture";
    QTest::newRow("truncated jpeg header")
        << "cut.jpg" << QByteArray("\xFF\xD8\xFF\xE0\x00", 5) << "not a picture";
    QTest::newRow("missing") << "missing.jpg" << QByteArray() << "does not exist";
}

void InstagramRulesTest::unreadableFilesSayWhy() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, keyword);
    const QString path = m_dir.filePath(name);
    if (!content.isNull()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const ImageFacts facts = readImageFacts(path);
    QVERIFY2(facts.error.contains(keyword), qPrintable(facts.error));
    QVERIFY2(facts.error.contains(name), qPrintable(facts.error));
    QVERIFY(facts.format.isEmpty());
    QCOMPARE(checkFeedImage(facts), QStringList{facts.error});
    QCOMPARE(checkStoryImage(facts), QStringList{facts.error});
    // A folder is not a photo either.
    QVERIFY(!readImageFacts(m_dir.path()).error.isEmpty());
}

void InstagramRulesTest::sidewaysPhotoIsMeasuredUpright() {
    QImage image(1350, 1080, QImage::Format_RGB32);
    image.fill(Qt::white);
    const QString path = m_dir.filePath("sideways.jpg");
    QImageWriter writer(path, "jpeg");
    if (!writer.supportsOption(QImageIOHandler::ImageTransformation))
        QSKIP("this Qt's JPEG writer cannot store an EXIF orientation");
    writer.setTransformation(QImageIOHandler::TransformationRotate90);
    QVERIFY(writer.write(image));
    const ImageFacts facts = readImageFacts(path);
    QCOMPARE(facts.size, QSize(1080, 1350));
    QCOMPARE(checkFeedImage(facts), QStringList());
}

void InstagramRulesTest::storyImageHasNoAspectRule() {
    const QString tall = writeImage("story.jpg", 1080, 1920, "JPEG");
    QVERIFY(!checkFeedImage(readImageFacts(tall)).isEmpty());
    QCOMPARE(checkStoryImage(readImageFacts(tall)), QStringList());
    const QString png = writeImage("story.png", 1080, 1920, "PNG");
    QCOMPARE(checkStoryImage(readImageFacts(png)).size(), 1);
}

void InstagramRulesTest::reelVideoRules_data() {
    QTest::addColumn<MediaInfo>("video");
    QTest::addColumn<QString>("problem"); // empty: fine

    QTest::newRow("good mp4") << goodVideo() << "";
    MediaInfo mov = goodVideo();
    mov.containerLabel = "MOV";
    mov.videoCodec = "hevc";
    mov.audioCodec.clear();
    QTest::newRow("silent hevc mov") << mov << "";

    MediaInfo webm = goodVideo();
    webm.container = "matroska,webm";
    webm.containerLabel = "WebM";
    QTest::newRow("webm") << webm
                          << "This video is a WebM file; Instagram needs MP4 or MOV. Export it "
                             "again as an MP4.";
    MediaInfo vp9 = goodVideo();
    vp9.videoCodec = "vp9";
    QTest::newRow("vp9") << vp9
                         << "This video is encoded as VP9; Instagram needs H.264 or HEVC (H.265). "
                            "Export it again with H.264.";
    MediaInfo mp3 = goodVideo();
    mp3.audioCodec = "mp3";
    QTest::newRow("mp3 sound") << mp3
                               << "This video's sound is encoded as MP3; Instagram needs AAC sound "
                                  "(or none). Export it again with AAC audio.";
    for (const double fps : {12.0, 22.9, 61.0}) {
        MediaInfo rate = goodVideo();
        rate.frameRate = fps;
        QTest::addRow("%g fps", fps)
            << rate
            << QString("This video is %1 fps; Instagram needs 23 to 60 fps. Export it again at "
                       "30 fps.")
                   .arg(fps == 22.9 ? "22.90" : QString::number(fps));
    }
    for (const double fps : {23.0, 22.98, 59.94, 60.0, 60.02}) {
        MediaInfo rate = goodVideo();
        rate.frameRate = fps;
        QTest::addRow("%g fps is fine", fps) << rate << "";
    }
    MediaInfo unknownRate = goodVideo();
    unknownRate.frameRate = 0;
    QTest::newRow("unknown frame rate")
        << unknownRate
        << "Huntaze could not read this video's frame rate; Instagram needs 23 to 60 fps. Export "
           "it again at 30 fps.";
    MediaInfo shortClip = goodVideo();
    shortClip.durationMs = 2'500;
    QTest::newRow("2.5 s") << shortClip
                           << "This video is 2.5 seconds long; Instagram needs at least 3 "
                              "seconds. Use a longer clip.";
    MediaInfo three = goodVideo();
    three.durationMs = 3'000;
    QTest::newRow("3 s") << three << "";
    MediaInfo fifteen = goodVideo();
    fifteen.durationMs = 15 * 60'000;
    QTest::newRow("15 min") << fifteen << "";
    MediaInfo tooLong = goodVideo();
    tooLong.durationMs = 15 * 60'000 + 1'000;
    QTest::newRow("15:01")
        << tooLong << "This video is 15:01 long; a reel can be at most 15 minutes. Trim it.";
    MediaInfo unknownLength = goodVideo();
    unknownLength.durationMs = 0;
    QTest::newRow("unknown duration is left to Instagram") << unknownLength << "";
    MediaInfo maxSize = goodVideo();
    maxSize.sizeBytes = 300 * kMiB;
    QTest::newRow("300 MB") << maxSize << "";
    MediaInfo overSize = goodVideo();
    overSize.sizeBytes = 312 * kMiB + kMiB / 2;
    QTest::newRow("312.5 MB") << overSize
                              << "This video is 312.5 MB; a reel can be at most 300 MB. Export it "
                                 "at a lower bitrate or trim it.";
    MediaInfo noPicture = goodVideo();
    noPicture.hasVideo = false;
    noPicture.videoCodec.clear();
    QTest::newRow("no picture") << noPicture
                                << "This file has no video picture. Choose a video file.";
}

void InstagramRulesTest::reelVideoRules() {
    QFETCH(MediaInfo, video);
    QFETCH(QString, problem);
    if (problem.isEmpty())
        QCOMPARE(checkReelVideo(video), QStringList());
    else
        QCOMPARE(checkReelVideo(video), QStringList{problem});
}

void InstagramRulesTest::storyVideoRules_data() {
    QTest::addColumn<MediaInfo>("video");
    QTest::addColumn<QString>("problem");
    MediaInfo minute = goodVideo();
    minute.durationMs = 60'000;
    QTest::newRow("60 s") << minute << "";
    MediaInfo over = goodVideo();
    over.durationMs = 61'000;
    QTest::newRow("61 s") << over
                          << "This video is 1:01 long; a story video can be at most 60 seconds. "
                             "Trim it, or post it as a reel.";
    MediaInfo shortClip = goodVideo();
    shortClip.durationMs = 2'000;
    QTest::newRow("2 s") << shortClip
                         << "This video is 2 seconds long; Instagram needs at least 3 seconds. "
                            "Use a longer clip.";
    MediaInfo maxSize = goodVideo();
    maxSize.sizeBytes = 100 * kMiB;
    QTest::newRow("100 MB") << maxSize << "";
    MediaInfo overSize = goodVideo();
    overSize.sizeBytes = 100 * kMiB + 1;
    QTest::newRow("100 MB + 1 byte")
        << overSize
        << "This video is 104,857,601 bytes; a story video can be at most 100 MB (104,857,600 "
           "bytes). Export it at a lower bitrate or trim it.";
}

void InstagramRulesTest::storyVideoRules() {
    QFETCH(MediaInfo, video);
    QFETCH(QString, problem);
    if (problem.isEmpty())
        QCOMPARE(checkStoryVideo(video), QStringList());
    else
        QCOMPARE(checkStoryVideo(video), QStringList{problem});
}

void InstagramRulesTest::everyVideoProblemIsReported() {
    MediaInfo bad = goodVideo();
    bad.container = "avi";
    bad.containerLabel = "AVI";
    bad.videoCodec = "mpeg4";
    bad.audioCodec = "mp3";
    bad.frameRate = 15;
    bad.durationMs = 1'000;
    bad.sizeBytes = 400 * kMiB;
    const QStringList problems = checkReelVideo(bad);
    QCOMPARE(problems.size(), 6);
    for (const QString &problem : problems) {
        QVERIFY2(problem.at(0).isUpper() && problem.endsWith('.'), qPrintable(problem));
        QVERIFY2(!problem.contains('\n'), qPrintable(problem));
    }
}

void InstagramRulesTest::carouselCounts_data() {
    QTest::addColumn<int>("items");
    QTest::addColumn<QString>("problem");
    QTest::newRow("0") << 0
                       << "A carousel needs at least 2 photos or videos; this one has 0. Add more, "
                          "or post a single photo or reel instead.";
    QTest::newRow("1") << 1
                       << "A carousel needs at least 2 photos or videos; this one has 1. Add more, "
                          "or post a single photo or reel instead.";
    QTest::newRow("2") << 2 << "";
    QTest::newRow("10") << 10 << "";
    QTest::newRow("11") << 11
                        << "A carousel can hold at most 10 photos or videos; this one has 11. "
                           "Remove 1.";
    QTest::newRow("14") << 14
                        << "A carousel can hold at most 10 photos or videos; this one has 14. "
                           "Remove 4.";
}

void InstagramRulesTest::carouselCounts() {
    QFETCH(int, items);
    QFETCH(QString, problem);
    if (problem.isEmpty())
        QCOMPARE(checkCarouselCount(items), QStringList());
    else
        QCOMPARE(checkCarouselCount(items), QStringList{problem});
}

QTEST_GUILESS_MAIN(InstagramRulesTest)
#include "tst_instagramrules.moc"
