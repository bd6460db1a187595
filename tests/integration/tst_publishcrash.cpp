#include "childprocess.h"
#include "httpclient.h"
#include "mediafixtures.h"
#include "publishingstack.h"
#include "scriptedbrowser.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace huntaze;
using namespace huntaze::test;

// The desktop's command line publishes a real video, is killed (SIGKILL, as a crash or
// a power cut) in the middle of the upload, and a new process takes over from the byte
// TikTok acknowledged: the sandbox holds every byte once, in order, and one post.
class PublishCrashTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedUploadResumesInANewProcessAndPostsOnce();
    void commandLineReportsLocalProblemsWithExitCodes();

private:
    ChildProcess *huntaze(const QStringList &arguments);

    PublishingStack m_stack;
    QTemporaryDir m_files;
    HttpClient m_http;
    std::vector<std::unique_ptr<ChildProcess>> m_children;
};

void PublishCrashTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    QVERIFY2(m_stack.connectTikTok("tt-alice"), qPrintable(m_stack.errorString()));
    QCOMPARE(
        m_http
            .postJson(m_stack.sandbox().url("/_admin/tiktok/settings"), {{"processing_seconds", 1}})
            .status,
        200);
}

ChildProcess *PublishCrashTest::huntaze(const QStringList &arguments) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto desktop = m_stack.desktopEnvironment();
    for (auto it = desktop.begin(); it != desktop.end(); ++it)
        environment.insert(it.key(), it.value());
    m_children.push_back(std::make_unique<ChildProcess>(QStringLiteral(HUNTAZE_DESKTOP_BIN),
                                                        arguments, environment));
    return m_children.back().get();
}

void PublishCrashTest::killedUploadResumesInANewProcessAndPostsOnce() {
    const QString video = makeTestVideo(m_files.filePath("big.mp4"), 10, true);
    QVERIFY(!video.isEmpty());
    const qint64 size = QFileInfo(video).size();
    QVERIFY2(size > 60'000'000, qPrintable(QString::number(size)));
    // A slow link, so the kill lands mid-upload.
    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/tiktok/settings"), {{"chunk_delay_ms", 400}})
            .status,
        200);
    ChildProcess *first =
        huntaze({"publish", "--account", "alice.creates", "--file", video, "--json"});
    QTRY_VERIFY_WITH_TIMEOUT(
        m_stack.scalar("SELECT bytes_sent FROM publications ORDER BY id DESC LIMIT 1") >=
            20'000'000,
        60000);
    ::kill(pid_t(first->process().processId()), SIGKILL);
    QVERIFY(first->process().waitForFinished(5000));
    const qint64 acknowledged =
        m_stack.scalar("SELECT bytes_sent FROM publications ORDER BY id DESC LIMIT 1");
    QVERIFY(acknowledged < size);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM publications WHERE state = 'uploading'"), 1);

    QCOMPARE(
        m_http.postJson(m_stack.sandbox().url("/_admin/tiktok/settings"), {{"chunk_delay_ms", 0}})
            .status,
        200);
    ChildProcess *second = huntaze({"queue", "run", "--json"});
    QCOMPARE(second->waitForExit(120000), 0);
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM publications WHERE state = 'published'"), 1);

    const QJsonArray posts =
        m_http.get(m_stack.sandbox().url("/_admin/tiktok/posts")).document().array();
    QCOMPARE(posts.size(), 1); // one publication, one post
    const QJsonObject post = posts.first().toObject();
    QCOMPARE(qint64(post["uploaded_bytes"].toDouble()), size);
    QCOMPARE(post["sha256"].toString().toLatin1(), fileSha256(video));
    // Every chunk was accepted exactly once: resumed where TikTok stood, never re-sent.
    int accepted = 0;
    const auto log =
        m_http.get(m_stack.sandbox().url("/_admin/requests?platform=tiktok&endpoint=upload.chunk"));
    for (const QJsonValue &request : log.document().array())
        if (request["status"].toInt() == 206 || request["status"].toInt() == 201)
            ++accepted;
    QCOMPARE(accepted, post["total_chunk_count"].toInt());
    // The resumed process started at the acknowledged byte, not at zero.
    QVERIFY2(second->output().contains("\"event\":\"upload.start\""), second->output().constData());
    QVERIFY(!second->output().contains("\"resume_from\":0,"));
}

void PublishCrashTest::commandLineReportsLocalProblemsWithExitCodes() {
    const QString slow = makeTestVideo(m_files.filePath("slow.mp4"), 1, false);
    QVERIFY(!slow.isEmpty());
    // 15 fps is refused locally, before anything is sent.
    const QString fifteen =
        makeTestVideo(m_files.filePath("fifteen.mp4"), 1, false, QStringLiteral("640x360"), 15);
    QVERIFY(!fifteen.isEmpty());
    ChildProcess *rejected =
        huntaze({"publish", "--account", "alice.creates", "--file", fifteen, "--json"});
    QCOMPARE(rejected->waitForExit(30000), 4);
    QVERIFY2(rejected->output().contains("fps"), rejected->output().constData());

    ChildProcess *usage = huntaze({"publish", "--file", slow});
    QCOMPARE(usage->waitForExit(30000), 2);

    ChildProcess *stranger = huntaze({"publish", "--account", "nobody", "--file", slow, "--json"});
    QCOMPARE(stranger->waitForExit(30000), 2);
    QVERIFY(stranger->output().contains("no_such_account"));

    // Connecting from the command line: with no browser it prints the sign-in address and
    // waits on its loopback listener; a person (here, a scripted one) signs in there.
    ChildProcess *connect = huntaze({"connect", "tiktok", "--no-browser", "--json"});
    QUrl signIn;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            connect->waitForJsonLine([](const QJsonObject &) { return false; }, 50); // drains
            for (const QByteArray &line : connect->output().split('\n'))
                if (line.startsWith("http"))
                    signIn = QUrl(QString::fromUtf8(line.trimmed()));
            return signIn.isValid();
        }(),
        15000);
    QVERIFY2(signIn.path().endsWith("/v2/auth/authorize/"), connect->output().constData());
    test::ScriptedBrowser browser;
    browser.user = "tt-bob";
    browser.open(signIn); // runs on this test's event loop, which QTRY keeps turning
    QTRY_VERIFY_WITH_TIMEOUT(connect->process().state() == QProcess::NotRunning, 30000);
    QCOMPARE(connect->waitForExit(1000), 0);
    QVERIFY2(connect->output().contains("sbx-openid-bob"), connect->output().constData());

    ChildProcess *accounts = huntaze({"accounts", "--json"});
    QCOMPARE(accounts->waitForExit(30000), 0);
    QVERIFY(accounts->output().contains("alice.creates"));
    QVERIFY(accounts->output().contains("bob.private"));
    QVERIFY(!accounts->output().contains("token"));

    // Photos are pulled from verified URLs, never uploaded.
    ChildProcess *photos =
        huntaze({"publish", "--account", "alice.creates", "--photo",
                 "https://verified.example/a.jpg", "--photo", "https://verified.example/b.jpg",
                 "--title", "Two photos", "--caption", "From the command line", "--json"});
    QVERIFY2(photos->waitForExit(60000) == 0, photos->output().right(2000).constData());
    QVERIFY2(photos->output().contains("\"state\":\"published\""), photos->output().constData());
    bool pulled = false;
    for (const QJsonValue &post :
         m_http.get(m_stack.sandbox().url("/_admin/tiktok/posts")).document().array())
        pulled |= post["media_type"].toString() == "PHOTO" && post["urls"].toArray().size() == 2 &&
                  post["title"].toString() == "Two photos";
    QVERIFY(pulled);
    ChildProcess *insecure = huntaze(
        {"publish", "--account", "alice.creates", "--photo", "http://verified.example/a.jpg"});
    QCOMPARE(insecure->waitForExit(30000), 2);

    // A short clip to the inbox, with JSON for scripts.
    ChildProcess *published =
        huntaze({"publish", "--account", "alice.creates", "--file", slow, "--json"});
    QCOMPARE(published->waitForExit(60000), 0);
    QVERIFY2(published->output().contains("\"state\":\"published\""),
             published->output().constData());
}

QTEST_GUILESS_MAIN(PublishCrashTest)
#include "tst_publishcrash.moc"
