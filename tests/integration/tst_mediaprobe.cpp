#include "media/mediaprobe.h"
#include "platforms/tiktok/tiktokvideorules.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <vector>

using namespace huntaze;
using namespace huntaze::media;
using namespace huntaze::tiktok;

// Local media checks before a TikTok upload: libavformat reads real files made by ffmpeg
// at the start of the run, and TikTok's limits (shared/platforms/tiktok.md, "Limits") are
// applied to what it reads.
class MediaProbeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void probeReportsContainerCodecSizeDurationAndFrameRate_data();
    void probeReportsContainerCodecSizeDurationAndFrameRate();
    void realFilesAreCheckedAgainstTikTokLimits_data();
    void realFilesAreCheckedAgainstTikTokLimits();
    void badInputBecomesAClearErrorNeverACrash_data();
    void badInputBecomesAClearErrorNeverACrash();
    void probesRunSafelyOnSeveralThreadsAtOnce();
    void checkVideoBoundaries_data();
    void checkVideoBoundaries();
    void checkVideoReportsEveryProblemNotOnlyTheFirst();

private:
    QString fixture(const QString &name) const { return m_dir.filePath(name); }
    void makeVideo(const QString &name, const QString &source, double seconds,
                   const QStringList &output);

    QTemporaryDir m_dir;
    QString m_ffmpeg;
};

void MediaProbeTest::makeVideo(const QString &name, const QString &source, double seconds,
                               const QStringList &output) {
    QStringList arguments = {"-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                             "-f",           "lavfi",     "-i",    source};
    arguments << "-t" << QString::number(seconds) << output << fixture(name);
    QProcess ffmpeg;
    ffmpeg.setProcessChannelMode(QProcess::MergedChannels);
    ffmpeg.start(m_ffmpeg, arguments);
    QVERIFY2(ffmpeg.waitForFinished(60000), qPrintable("ffmpeg did not finish for " + name));
    QVERIFY2(
        ffmpeg.exitStatus() == QProcess::NormalExit && ffmpeg.exitCode() == 0,
        qPrintable("ffmpeg failed for " + name + ": " + QString::fromLocal8Bit(ffmpeg.readAll())));
}

void MediaProbeTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_ffmpeg = QStandardPaths::findExecutable("ffmpeg");
    if (m_ffmpeg.isEmpty())
        QFAIL("ffmpeg is not installed: install the Debian package 'ffmpeg' "
              "(scripts/debian-packages.txt) to make the test videos.");

    const QStringList h264 = {"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"};
    makeVideo("valid.mp4", "testsrc=size=640x360:rate=30", 1, h264);
    makeVideo("valid.mov", "testsrc=size=640x360:rate=30", 1, h264 + QStringList{"-f", "mov"});
    makeVideo("valid.webm", "testsrc=size=360x360:rate=30", 1,
              {"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"});
    makeVideo("fps15.mp4", "testsrc=size=640x360:rate=15", 1, h264);
    makeVideo("small.mp4", "testsrc=size=200x200:rate=30", 1, h264);
    makeVideo("twoseconds.mp4", "testsrc=size=640x360:rate=30", 2, h264);
    makeVideo("mpeg4.avi", "testsrc=size=640x360:rate=30", 1, {"-c:v", "mpeg4", "-f", "avi"});
    makeVideo("animated.gif", "testsrc=size=400x400:rate=25", 1, {"-f", "gif"});
    makeVideo("still.png", "testsrc=size=640x360:rate=30", 1, {"-frames:v", "1"});
    makeVideo("audio.m4a", "sine=frequency=440", 1, {"-c:a", "aac"});

    auto write = [this](const QString &name, const QByteArray &bytes) {
        QFile file(fixture(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), bytes.size());
    };
    write("empty.mp4", {});
    QByteArray random(1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(20240611);
    for (char &byte : random)
        byte = static_cast<char>(generator.bounded(256));
    write("random.mp4", random);
    QFile valid(fixture("valid.mp4"));
    QVERIFY(valid.open(QIODevice::ReadOnly));
    write("truncated.mp4", valid.read(2048));
    write("text.mp4", "This is not a video.\nJust a few lines of text\nrenamed to .mp4.\n");
    QVERIFY(QDir(m_dir.path()).mkdir("folder.mp4"));
}

void MediaProbeTest::probeReportsContainerCodecSizeDurationAndFrameRate_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("fps");
    QTest::addColumn<qint64>("durationMs");
    QTest::addColumn<QString>("contentType");

    const QString mov = "mov,mp4,m4a,3gp,3g2,mj2";
    QTest::newRow("H.264 MP4") << "valid.mp4" << mov << "MP4"
                               << "h264" << 640 << 360 << 30.0 << qint64(1000) << "video/mp4";
    QTest::newRow("QuickTime MOV")
        << "valid.mov" << mov << "MOV"
        << "h264" << 640 << 360 << 30.0 << qint64(1000) << "video/quicktime";
    QTest::newRow("VP9 WebM") << "valid.webm"
                              << "matroska,webm"
                              << "WebM"
                              << "vp9" << 360 << 360 << 30.0 << qint64(1000) << "video/webm";
    QTest::newRow("15 fps MP4") << "fps15.mp4" << mov << "MP4"
                                << "h264" << 640 << 360 << 15.0 << qint64(1000) << "video/mp4";
    QTest::newRow("2 s MP4") << "twoseconds.mp4" << mov << "MP4"
                             << "h264" << 640 << 360 << 30.0 << qint64(2000) << "video/mp4";
    QTest::newRow("MPEG-4 Part 2 AVI") << "mpeg4.avi"
                                       << "avi"
                                       << "AVI"
                                       << "mpeg4" << 640 << 360 << 30.0 << qint64(1000) << "";
}

void MediaProbeTest::probeReportsContainerCodecSizeDurationAndFrameRate() {
    QFETCH(QString, file);
    QFETCH(QString, container);
    QFETCH(QString, label);
    QFETCH(QString, codec);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(double, fps);
    QFETCH(qint64, durationMs);
    QFETCH(QString, contentType);

    const Result<MediaInfo> probed = probeMedia(fixture(file));
    QVERIFY2(probed.ok(), qPrintable(probed.ok() ? QString() : probed.error().toString()));
    const MediaInfo &info = *probed;
    QCOMPARE(info.path, fixture(file));
    QCOMPARE(info.sizeBytes, QFileInfo(fixture(file)).size());
    QVERIFY(info.sizeBytes > 0);
    QCOMPARE(info.container, container);
    QCOMPARE(info.containerLabel, label);
    QVERIFY(info.hasVideo);
    QCOMPARE(info.videoCodec, codec);
    QCOMPARE(info.width, width);
    QCOMPARE(info.height, height);
    QVERIFY2(qAbs(info.frameRate - fps) < 0.01, qPrintable(QString::number(info.frameRate)));
    QVERIFY2(qAbs(info.durationMs - durationMs) <= 100,
             qPrintable(QString::number(info.durationMs)));
    QCOMPARE(info.uploadContentType, contentType);
}

void MediaProbeTest::realFilesAreCheckedAgainstTikTokLimits_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<int>("maxDurationSeconds");       // 0: not given
    QTest::addColumn<QStringList>("expectedProblems"); // a word each problem contains

    QTest::newRow("H.264 MP4 passes") << "valid.mp4" << false << 0 << QStringList();
    QTest::newRow("QuickTime MOV passes") << "valid.mov" << false << 0 << QStringList();
    QTest::newRow("VP9 WebM passes") << "valid.webm" << false << 0 << QStringList();
    QTest::newRow("VP9 WebM passes direct") << "valid.webm" << true << 60 << QStringList();
    QTest::newRow("15 fps fails on frame rate")
        << "fps15.mp4" << false << 0 << QStringList{"frame rate is 15 fps"};
    QTest::newRow("200x200 fails on picture size")
        << "small.mp4" << false << 0 << QStringList{"200 × 200"};
    QTest::newRow("2 s passes inbox") << "twoseconds.mp4" << false << 1 << QStringList();
    QTest::newRow("2 s passes direct without a creator limit")
        << "twoseconds.mp4" << true << 0 << QStringList();
    QTest::newRow("2 s fails direct limited to 1 s")
        << "twoseconds.mp4" << true << 1 << QStringList{"at most 1 second"};
    QTest::newRow("MPEG-4 Part 2 AVI fails on container and codec")
        << "mpeg4.avi" << false << 0 << QStringList{"AVI file", "encoded as mpeg4"};
    QTest::newRow("animated GIF fails on container and codec")
        << "animated.gif" << false << 0 << QStringList{"GIF file", "encoded as gif"};
    QTest::newRow("PNG image fails on container and codec")
        << "still.png" << false << 0 << QStringList{"PNG file", "encoded as png"};
}

void MediaProbeTest::realFilesAreCheckedAgainstTikTokLimits() {
    QFETCH(QString, file);
    QFETCH(bool, direct);
    QFETCH(int, maxDurationSeconds);
    QFETCH(QStringList, expectedProblems);

    const Result<MediaInfo> probed = probeMedia(fixture(file));
    QVERIFY2(probed.ok(), qPrintable(probed.ok() ? QString() : probed.error().toString()));
    const VideoCheck check =
        checkVideo(*probed, direct ? PostMode::Direct : PostMode::Inbox,
                   maxDurationSeconds > 0 ? std::optional<int>(maxDurationSeconds) : std::nullopt);
    const QString all = check.problems.join(" | ");
    QCOMPARE(check.ok(), expectedProblems.isEmpty());
    QVERIFY2(check.problems.size() == expectedProblems.size(), qPrintable(all));
    for (int i = 0; i < expectedProblems.size(); ++i)
        QVERIFY2(check.problems.at(i).contains(expectedProblems.at(i)), qPrintable(all));
    for (const QString &problem : check.problems)
        QVERIFY2(problem.endsWith('.') && problem.contains("TikTok"), qPrintable(problem));
}

void MediaProbeTest::badInputBecomesAClearErrorNeverACrash_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("code");

    QTest::newRow("empty file") << "empty.mp4"
                                << "not_media";
    QTest::newRow("1 MB of random bytes") << "random.mp4"
                                          << "not_media";
    QTest::newRow("first 2 KB of an MP4") << "truncated.mp4"
                                          << "not_media";
    QTest::newRow("text file named .mp4") << "text.mp4"
                                          << "not_media";
    QTest::newRow("a folder") << "folder.mp4"
                              << "not_media";
    QTest::newRow("audio only") << "audio.m4a"
                                << "no_video_stream";
    QTest::newRow("missing file") << "does-not-exist.mp4"
                                  << "file_missing";
    QTest::newRow("empty path") << ""
                                << "file_missing";
}

void MediaProbeTest::badInputBecomesAClearErrorNeverACrash() {
    QFETCH(QString, path);
    QFETCH(QString, code);

    const QString full = path.isEmpty() ? QString() : fixture(path);
    const Result<MediaInfo> probed = probeMedia(full);
    QVERIFY2(!probed.ok(), qPrintable("probing " + path + " succeeded"));
    const Error &error = probed.error();
    QCOMPARE(error.domain, QString("media"));
    QCOMPARE(error.code, code);
    QVERIFY(!error.message.isEmpty());
    QVERIFY2(!error.message.contains("AVERROR", Qt::CaseInsensitive), qPrintable(error.message));
    QVERIFY2(error.message.endsWith('.'), qPrintable(error.message));
    QVERIFY(!error.retryable);
}

void MediaProbeTest::probesRunSafelyOnSeveralThreadsAtOnce() {
    const QStringList files = {"valid.mp4",     "valid.mov", "valid.webm", "random.mp4",
                               "truncated.mp4", "mpeg4.avi", "valid.mp4",  "text.mp4"};
    std::vector<std::future<Result<MediaInfo>>> running;
    for (const QString &file : files)
        running.push_back(std::async(std::launch::async, probeMedia, fixture(file)));
    for (int i = 0; i < files.size(); ++i) {
        const Result<MediaInfo> probed = running[size_t(i)].get();
        const bool shouldOpen = !files[i].startsWith("random") && !files[i].startsWith("trunc") &&
                                !files[i].startsWith("text");
        QVERIFY2(probed.ok() == shouldOpen, qPrintable(files[i]));
    }
}

namespace {
MediaInfo goodInfo() {
    MediaInfo info;
    info.path = "/videos/clip.mp4";
    info.sizeBytes = 10'000'000;
    info.container = "mov,mp4,m4a,3gp,3g2,mj2";
    info.containerLabel = "MP4";
    info.hasVideo = true;
    info.videoCodec = "h264";
    info.width = 1080;
    info.height = 1920;
    info.frameRate = 30;
    info.durationMs = 30'000;
    info.uploadContentType = "video/mp4";
    return info;
}
} // namespace

void MediaProbeTest::checkVideoBoundaries_data() {
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<qint64>("durationMs");
    QTest::addColumn<qint64>("sizeBytes");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<int>("maxDurationSeconds"); // 0: not given
    QTest::addColumn<bool>("passes");

    const qint64 d = 30'000;
    const qint64 s = 10'000'000;
    const qint64 tenMinutes = 10 * 60 * 1000;
    QTest::newRow("23 fps passes") << 23.0 << 1080 << 1920 << d << s << false << 0 << true;
    QTest::newRow("60 fps passes") << 60.0 << 1080 << 1920 << d << s << false << 0 << true;
    QTest::newRow("NTSC 23.976 fps passes")
        << 23.976 << 1080 << 1920 << d << s << false << 0 << true;
    QTest::newRow("22.9 fps fails") << 22.9 << 1080 << 1920 << d << s << false << 0 << false;
    QTest::newRow("60.1 fps fails") << 60.1 << 1080 << 1920 << d << s << false << 0 << false;
    QTest::newRow("unknown fps fails") << 0.0 << 1080 << 1920 << d << s << false << 0 << false;
    QTest::newRow("360 px sides pass") << 30.0 << 360 << 360 << d << s << false << 0 << true;
    QTest::newRow("4096 px sides pass") << 30.0 << 4096 << 4096 << d << s << false << 0 << true;
    QTest::newRow("359 px width fails") << 30.0 << 359 << 640 << d << s << false << 0 << false;
    QTest::newRow("359 px height fails") << 30.0 << 640 << 359 << d << s << false << 0 << false;
    QTest::newRow("4097 px width fails") << 30.0 << 4097 << 2160 << d << s << false << 0 << false;
    QTest::newRow("4097 px height fails") << 30.0 << 2160 << 4097 << d << s << false << 0 << false;
    QTest::newRow("exactly 10 min passes inbox")
        << 30.0 << 1080 << 1920 << tenMinutes << s << false << 0 << true;
    QTest::newRow("10 min + 1 ms fails inbox")
        << 30.0 << 1080 << 1920 << tenMinutes + 1 << s << false << 0 << false;
    QTest::newRow("10 min + 1 ms fails direct without a creator limit")
        << 30.0 << 1080 << 1920 << tenMinutes + 1 << s << true << 0 << false;
    QTest::newRow("15 min passes direct with a 15 min creator limit")
        << 30.0 << 1080 << 1920 << 15 * 60 * qint64(1000) << s << true << 900 << true;
    QTest::newRow("61 s fails direct with a 60 s creator limit")
        << 30.0 << 1080 << 1920 << qint64(61'000) << s << true << 60 << false;
    QTest::newRow("creator limit does not apply to inbox")
        << 30.0 << 1080 << 1920 << qint64(61'000) << s << false << 60 << true;
    QTest::newRow("4,000,000,000 bytes pass")
        << 30.0 << 1080 << 1920 << d << qint64(4'000'000'000) << false << 0 << true;
    QTest::newRow("4,000,000,001 bytes fail")
        << 30.0 << 1080 << 1920 << d << qint64(4'000'000'001) << false << 0 << false;
}

void MediaProbeTest::checkVideoBoundaries() {
    QFETCH(double, fps);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(qint64, durationMs);
    QFETCH(qint64, sizeBytes);
    QFETCH(bool, direct);
    QFETCH(int, maxDurationSeconds);
    QFETCH(bool, passes);

    MediaInfo info = goodInfo();
    info.frameRate = fps;
    info.width = width;
    info.height = height;
    info.durationMs = durationMs;
    info.sizeBytes = sizeBytes;
    const VideoCheck check =
        checkVideo(info, direct ? PostMode::Direct : PostMode::Inbox,
                   maxDurationSeconds > 0 ? std::optional<int>(maxDurationSeconds) : std::nullopt);
    QVERIFY2(check.ok() == passes, qPrintable(check.problems.join(" | ")));
    QVERIFY(check.problems.size() == (passes ? 0 : 1));
}

void MediaProbeTest::checkVideoReportsEveryProblemNotOnlyTheFirst() {
    MediaInfo info = goodInfo();
    info.container = "avi";
    info.containerLabel = "AVI";
    info.uploadContentType.clear();
    info.videoCodec = "mpeg4";
    info.frameRate = 15;
    info.width = 200;
    info.height = 5000;
    info.sizeBytes = 5'000'000'000;
    info.durationMs = 11 * 60 * 1000;
    const VideoCheck check = checkVideo(info, PostMode::Inbox, std::nullopt);
    QCOMPARE(check.problems.size(), 6);
    const QString all = check.problems.join(" | ");
    for (const char *expected : {"AVI file", "mpeg4", "15 fps", "200 × 5000", "4 GB", "11:00 long"})
        QVERIFY2(all.contains(QString::fromUtf8(expected)), qPrintable(all));
}

QTEST_GUILESS_MAIN(MediaProbeTest)
#include "tst_mediaprobe.moc"
