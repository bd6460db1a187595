#include "mediafixtures.h"
#include "platforms/reddit/redditclient.h"
#include "platforms/reddit/redditerrors.h"
#include "platforms/reddit/redditratelimit.h"
#include "platforms/reddit/reddituseragent.h"
#include "sandbox/redditsandbox.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTemporaryDir>
#include <QUuid>

#include <memory>

using huntaze::Error;
using huntaze::Result;
using namespace huntaze::reddit;
using namespace reddit_test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Action)
Q_DECLARE_METATYPE(PostKind)

namespace {

// Runs one client call and waits for its answer (the answer may never come: then nullopt).
template <typename T, typename Call> std::optional<Result<T>> answer(Call call, int ms = 30000) {
    auto out = std::make_shared<std::optional<Result<T>>>();
    call([out](Result<T> result) { out->emplace(std::move(result)); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, ms); // nullopt tells the caller
    return *out;
}

QString describe(const Error &error) {
    return error.code + ": " + error.message + " (" + error.detail + ")";
}

// For QVERIFY2's message, which is built even when the check passes.
template <typename T> QByteArray why(const std::optional<Result<T>> &result) {
    if (!result)
        return "no answer";
    return *result ? QByteArray() : describe(result->error()).toUtf8();
}

// A unique title or link, so tests never trip over each other's posts.
QString unique(const QString &prefix) {
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(10);
}

const QByteArray kAgent = RedditUserAgent::make("desktop", "com.huntaze.tests", "1.0", "sbx_alice");

} // namespace

// RedditClient against huntaze-sandbox over real HTTP: self, link, image and video posts
// (local files through the media lease and the bucket, the post learned from the
// websocket or by polling), reading posts back, scripted refusals and RATELIMIT as their
// Problems, the User-Agent on every call, and pacing that keeps a burst under the limit.
class RedditClientTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void selfPostIsPublishedWithItsOptionsAndReadBack();
    void linkPostIsPublished();
    void imagePostFromALocalFileIsPublished();
    void videoPostFromALocalFileIsPublishedWithItsPoster();
    void mediaPostIsFoundByPollingWhenTheWebSocketFails_data();
    void mediaPostIsFoundByPollingWhenTheWebSocketFails();
    void failedMediaProcessingIsAFixMediaProblem();
    void uploadRefusalsAreTheirProblems();
    void filesRedditDoesNotTakeAreRefusedBeforeSending();
    void scriptedRefusalsArriveAsTheirProblem_data();
    void scriptedRefusalsArriveAsTheirProblem();
    void rateLimitArrivesAsAWaitOfTheRightLength_data();
    void rateLimitArrivesAsAWaitOfTheRightLength();
    void lostSubmitAnswerIsOutcomeUnknownAndNeverResent();
    void unknownPostsAndBadIdsAreRefused();
    void everyCallCarriesTheDescriptiveUserAgent();
    void genericUserAgentIsRefused();
    void flairsAreListedFromRedditsFlairEndpoint();
    void pacingKeepsABurstUnderTheLimit();

private:
    Result<SubmitAnswer> submit(const Submission &submission);
    Result<UploadedMedia> upload(const QString &path);
    Result<MediaPost> watch(const SubmitAnswer &answer, const Submission &submission,
                            MediaWatchTimings timings);
    QString makeImage(const QString &name, const char *format);
    QJsonObject adminPost(const QString &fullname);
    QJsonArray requests(const QString &endpoint = {});
    qint64 sandboxNow();
    bool fault(const QJsonObject &rule);

    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QByteArray m_token;
    QNetworkAccessManager m_network;
    std::unique_ptr<RateLimitPacer> m_pacer;
    std::unique_ptr<RedditClient> m_client;
    QUrl m_apiBase;
    QTemporaryDir m_dir;
};

void RedditClientTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    m_apiBase = QUrl(m_sandbox->platform("reddit").value("oauth_base_url").toString());
    QVERIFY(m_apiBase.isValid() && !m_apiBase.isEmpty());
    QVERIFY(m_dir.isValid());
}

void RedditClientTest::init() {
    m_http.send("DELETE", m_sandbox->url("/_admin/faults"), {}, {}, 5000);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/reddit/media"),
                           {{"fail", false}, {"processing_seconds", 1}})
                 .status,
             200);
    m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", 0}});
    // A fresh token for every test: some move the sandbox's clock past a token's life.
    m_token = login(m_http, *m_sandbox, "identity submit read history flair").toUtf8();
    QVERIFY(!m_token.isEmpty());
    m_pacer = std::make_unique<RateLimitPacer>();
    m_client = std::make_unique<RedditClient>(m_apiBase, kAgent, &m_network, m_pacer.get());
}

Result<SubmitAnswer> RedditClientTest::submit(const Submission &submission) {
    const auto result = answer<SubmitAnswer>(
        [&](auto done) { m_client->submit("alice", m_token, submission, done); });
    if (!result)
        return Error{"test", "timeout", "no answer", {}, 0, false, {}};
    return *result;
}

Result<UploadedMedia> RedditClientTest::upload(const QString &path) {
    const auto result = answer<UploadedMedia>(
        [&](auto done) { m_client->uploadFile("alice", m_token, path, nullptr, done); }, 120000);
    if (!result)
        return Error{"test", "timeout", "no answer", {}, 0, false, {}};
    return *result;
}

Result<MediaPost> RedditClientTest::watch(const SubmitAnswer &submitted,
                                          const Submission &submission, MediaWatchTimings timings) {
    MediaPostMatch match;
    match.username = "sbx_alice";
    match.subreddit = RedditSubmission::normaliseSubreddit(submission.subreddit);
    match.title = submission.title;
    match.mediaUrl = QUrl(submission.url);
    match.submittedAtUtc = sandboxNow();
    match.video = submission.kind != PostKind::Image;
    const auto result = answer<MediaPost>(
        [&](auto done) {
            m_client->watchMediaPost("alice", m_token, submitted, match, done, timings);
        },
        int(timings.deadline.count()) + 10000);
    if (!result)
        return Error{"test", "timeout", "no answer", {}, 0, false, {}};
    return *result;
}

QString RedditClientTest::makeImage(const QString &name, const char *format) {
    QImage image(160, 120, QImage::Format_RGB32);
    image.fill(QColor(255, 69, 0));
    for (int x = 0; x < 160; ++x)
        image.setPixelColor(x, x % 120, Qt::white); // not one flat colour
    const QString path = m_dir.filePath(name);
    return image.save(path, format) ? path : QString();
}

QJsonObject RedditClientTest::adminPost(const QString &fullname) {
    for (const auto &p :
         m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray())
        if (p.toObject()["name"].toString() == fullname)
            return p.toObject();
    return {};
}

QJsonArray RedditClientTest::requests(const QString &endpoint) {
    QUrl url = m_sandbox->url("/_admin/requests");
    url.setQuery("platform=reddit" + (endpoint.isEmpty() ? QString() : "&endpoint=" + endpoint));
    return m_http.get(url).document().array();
}

qint64 RedditClientTest::sandboxNow() {
    return qint64(m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble());
}

bool RedditClientTest::fault(const QJsonObject &rule) {
    QJsonObject full = rule;
    full.insert("platform", "reddit");
    return m_http.postJson(m_sandbox->url("/_admin/faults"), full).status == 200;
}

void RedditClientTest::selfPostIsPublishedWithItsOptionsAndReadBack() {
    Submission post;
    post.subreddit = "r/huntaze";
    post.title = unique("Hello & <world> ");
    post.text = "Some **markdown** & more";
    post.flairId = "5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e02"; // r/huntaze's Showcase (editable)
    post.flairText = "News";
    post.nsfw = true;
    post.spoiler = true;
    post.sendReplies = false;
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    QVERIFY(!submitted->awaitingMedia());
    QVERIFY(submitted->fullname.startsWith("t3_"));
    QVERIFY(submitted->url.path().contains("/r/huntaze/comments/" + submitted->id));

    const QJsonObject stored = adminPost(submitted->fullname);
    QCOMPARE(stored["kind"].toString(), QString("self"));
    QCOMPARE(stored["title"].toString(), post.title);
    QCOMPARE(stored["selftext"].toString(), post.text);
    QCOMPARE(stored["link_flair_text"].toString(), QString("News"));
    QCOMPARE(stored["link_flair_template_id"].toString(),
             QString("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e02"));
    QVERIFY(stored["over_18"].toBool());
    QVERIFY(stored["spoiler"].toBool());
    QVERIFY(!stored["send_replies"].toBool());

    const auto read = answer<PostInfo>(
        [&](auto done) { m_client->submission("alice", m_token, submitted->fullname, done); });
    QVERIFY2(read && *read, why(read));
    const PostInfo &info = read->value();
    QCOMPARE(info.title, post.title); // raw_json=1: no &amp; or &lt;
    QCOMPARE(info.subreddit, QString("huntaze"));
    QCOMPARE(info.permalink, stored["permalink"].toString());
    QCOMPARE(info.numComments, 0);

    // Ten minutes of the post's life: votes and comments grow, and are read back.
    QVERIFY(advance(m_http, *m_sandbox, 600));
    QTest::qWait(300); // a sandbox tick
    m_token = login(m_http, *m_sandbox, "identity submit read history flair").toUtf8();
    const auto later = answer<QList<PostInfo>>(
        [&](auto done) { m_client->info("alice", m_token, {submitted->fullname}, done); });
    QVERIFY2(later && *later, why(later));
    QCOMPARE(later->value().size(), 1);
    QVERIFY2(later->value().first().score > info.score,
             qPrintable(QString::number(later->value().first().score)));
    QCOMPARE(later->value().first().numComments, 2);
}

void RedditClientTest::linkPostIsPublished() {
    Submission post;
    post.subreddit = "huntaze";
    post.kind = PostKind::Link;
    post.title = unique("A link ");
    post.url = "https://example.com/" + unique("huntaze-") + "?a=1&b=2";
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    const QJsonObject stored = adminPost(submitted->fullname);
    QCOMPARE(stored["kind"].toString(), QString("link"));
    QCOMPARE(stored["url"].toString(), post.url);
    const auto read = answer<PostInfo>(
        [&](auto done) { m_client->submission("alice", m_token, submitted->fullname, done); });
    QVERIFY2(read && *read, why(read));
    QCOMPARE(read->value().url, post.url); // unescaped
}

void RedditClientTest::imagePostFromALocalFileIsPublished() {
    const QString path = makeImage("orange cat.png", "PNG");
    QVERIFY(!path.isEmpty());
    QList<UploadProgress> progress;
    const auto uploaded = answer<UploadedMedia>([&](auto done) {
        m_client->uploadFile(
            "alice", m_token, path, [&progress](UploadProgress p) { progress.append(p); }, done);
    });
    QVERIFY2(uploaded && *uploaded, why(uploaded));
    const UploadedMedia &media = uploaded->value();
    QCOMPARE(media.mimeType, QString("image/png"));
    QCOMPARE(media.bytes, QFileInfo(path).size());
    QVERIFY(media.url.toString().startsWith(m_sandbox->url("/reddit/s3-bucket/").toString()));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().sent, progress.last().total);

    // The bucket holds exactly the file, under its name only (never the local path).
    bool stored = false;
    for (const auto &a : m_http.get(m_sandbox->url("/_admin/reddit/assets")).document().array()) {
        const QJsonObject asset = a.toObject();
        if (asset["key"].toString() != media.key)
            continue;
        stored = asset["uploaded"].toBool() &&
                 asset["sha256"].toString().toLatin1() == huntaze::test::fileSha256(path);
        QCOMPARE(asset["filepath"].toString(), QString("orange_cat.png"));
    }
    QVERIFY(stored);

    Submission post;
    post.subreddit = "sandbox";
    post.kind = PostKind::Image;
    post.title = unique("An image ");
    post.url = media.url.toString();
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    QVERIFY(submitted->awaitingMedia());
    QVERIFY(submitted->websocketUrl.scheme() == "ws");

    const Result<MediaPost> found = watch(*submitted, post, {20s, 500ms, 40s});
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QVERIFY(found->fromWebSocket);
    QVERIFY(found->permalink.startsWith("/r/sandbox/comments/" + found->id));
    const QJsonObject made = adminPost(found->fullname);
    QCOMPARE(made["kind"].toString(), QString("image"));
    QCOMPARE(made["title"].toString(), post.title);
    QCOMPARE(made["stored_url"].toString(), post.url);
}

void RedditClientTest::videoPostFromALocalFileIsPublishedWithItsPoster() {
    const QString video =
        huntaze::test::makeTestVideo(m_dir.filePath("clip.mp4"), 2, false, "320x240", 10);
    QVERIFY2(!video.isEmpty(), "ffmpeg could not make the test video");
    const QString poster = makeImage("poster.jpg", "JPG");
    QVERIFY(!poster.isEmpty());
    const Result<UploadedMedia> videoMedia = upload(video);
    QVERIFY2(videoMedia, qPrintable(videoMedia ? QString() : describe(videoMedia.error())));
    QCOMPARE(videoMedia->mimeType, QString("video/mp4"));
    const Result<UploadedMedia> posterMedia = upload(poster);
    QVERIFY2(posterMedia, qPrintable(posterMedia ? QString() : describe(posterMedia.error())));
    QCOMPARE(posterMedia->mimeType, QString("image/jpeg"));

    Submission post;
    post.subreddit = "sandbox";
    post.kind = PostKind::Video;
    post.title = unique("A video ");
    post.url = videoMedia->url.toString();
    post.videoPosterUrl = posterMedia->url.toString();
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    QVERIFY(submitted->awaitingMedia());
    const Result<MediaPost> found = watch(*submitted, post, {20s, 500ms, 40s});
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    const QJsonObject made = adminPost(found->fullname);
    QCOMPARE(made["kind"].toString(), QString("video"));
    QCOMPARE(made["poster_url"].toString(), post.videoPosterUrl);
    QVERIFY(made["is_video"].toBool());
    // The bytes Reddit holds are the file's.
    bool same = false;
    for (const auto &a : m_http.get(m_sandbox->url("/_admin/reddit/assets")).document().array())
        same = same ||
               (a.toObject()["key"].toString() == videoMedia->key &&
                a.toObject()["sha256"].toString().toLatin1() == huntaze::test::fileSha256(video));
    QVERIFY(same);
}

void RedditClientTest::mediaPostIsFoundByPollingWhenTheWebSocketFails_data() {
    QTest::addColumn<QString>("socket");
    QTest::newRow("closed by Reddit") << "closed";
    QTest::newRow("silent") << "silent";
    QTest::newRow("none given") << "none";
    QTest::newRow("unreachable") << "unreachable";
}

void RedditClientTest::mediaPostIsFoundByPollingWhenTheWebSocketFails() {
    QFETCH(QString, socket);
    if (socket == "silent") // the post exists only after 3 s: the socket stays silent till then
        QCOMPARE(
            m_http.postJson(m_sandbox->url("/_admin/reddit/media"), {{"processing_seconds", 3}})
                .status,
            200);
    const QString path = makeImage(unique("poll") + ".png", "PNG");
    const Result<UploadedMedia> media = upload(path);
    QVERIFY2(media, qPrintable(media ? QString() : describe(media.error())));
    Submission post;
    post.subreddit = "sandbox";
    post.kind = PostKind::Image;
    post.title = unique("Polled ");
    post.url = media->url.toString();
    Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    SubmitAnswer answer = *submitted;
    MediaWatchTimings timings{20s, 300ms, 30s};
    if (socket == "closed") // an id the sandbox does not know: it closes the socket at once
        answer.websocketUrl = QUrl("ws://" + m_sandbox->baseUrl().authority() + "/reddit/ws/nope");
    else if (socket == "silent")
        timings.socketWait = 200ms;
    else if (socket == "none")
        answer.websocketUrl = QUrl();
    else
        answer.websocketUrl = QUrl("ws://127.0.0.1:1/never");
    const int listingsBefore = int(requests("listing.submitted").size());
    const Result<MediaPost> found = watch(answer, post, timings);
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QVERIFY(!found->fromWebSocket);
    QCOMPARE(adminPost(found->fullname)["title"].toString(), post.title);
    QVERIFY(requests("listing.submitted").size() > listingsBefore);
}

void RedditClientTest::failedMediaProcessingIsAFixMediaProblem() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/reddit/media"), {{"fail", true}}).status, 200);
    const Result<UploadedMedia> media = upload(makeImage("doomed.png", "PNG"));
    QVERIFY2(media, qPrintable(media ? QString() : describe(media.error())));
    Submission post;
    post.subreddit = "sandbox";
    post.kind = PostKind::Image;
    post.title = unique("Doomed ");
    post.url = media->url.toString();
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY2(submitted, qPrintable(submitted ? QString() : describe(submitted.error())));
    const Result<MediaPost> found = watch(*submitted, post, {20s, 500ms, 30s});
    QVERIFY(!found);
    QCOMPARE(found.error().code, QString("media_failed"));
    QCOMPARE(actionFor(found.error()), Action::FixMedia);
    QVERIFY(found.error().message.contains("could not be processed"));
}

void RedditClientTest::uploadRefusalsAreTheirProblems() {
    // Over Reddit's 20 MB for images: the bucket refuses it and says both sizes.
    const QString big = m_dir.filePath("huge.png");
    {
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray mb(1024 * 1024, 'z');
        for (int i = 0; i < 21; ++i)
            file.write(mb);
    }
    const Result<UploadedMedia> tooLarge = upload(big);
    QVERIFY(!tooLarge);
    QCOMPARE(tooLarge.error().code, QString("upload/EntityTooLarge"));
    QCOMPARE(actionFor(tooLarge.error()), Action::FixMedia);
    QVERIFY2(tooLarge.error().message.contains("21.0 MB") &&
                 tooLarge.error().message.contains("20.0 MB"),
             qPrintable(tooLarge.error().message));

    // A lease older than an hour: the upload starts again with a new one.
    const QString path = makeImage("late.png", "PNG");
    const auto lease =
        answer<MediaLease>([&](auto done) { m_client->leaseMedia("alice", m_token, path, done); });
    QVERIFY2(lease && *lease, why(lease));
    QVERIFY(advance(m_http, *m_sandbox, 3601));
    const auto late = answer<UploadedMedia>(
        [&](auto done) { m_client->uploadMedia(lease->value(), path, nullptr, done); });
    QVERIFY(late && !*late);
    QCOMPARE(late->error().code, QString("upload/expired"));
    QVERIFY(late->error().retryable);
    QCOMPARE(actionFor(late->error()), Action::RetryWithBackoff);
}

void RedditClientTest::filesRedditDoesNotTakeAreRefusedBeforeSending() {
    const QString text = m_dir.filePath("notes.txt");
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("hello");
    file.close();
    const int before = int(requests("media.lease").size());
    const Result<UploadedMedia> refused = upload(text);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QString("unsupported_media"));
    const Result<UploadedMedia> missing = upload(m_dir.filePath("gone.png"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, QString("file_unreadable"));
    QCOMPARE(int(requests("media.lease").size()), before);
}

void RedditClientTest::scriptedRefusalsArriveAsTheirProblem_data() {
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("subreddit");
    QTest::addColumn<PostKind>("kind");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QString>("keyword");
    const auto link = [] { return "https://example.com/" + unique("l-"); };
    QTest::newRow("NO_SELFS") << ""
                              << "linksonly" << PostKind::Self << ""
                              << "NO_SELFS" << Action::ChooseAnotherSubreddit << false << 200
                              << "r/linksonly does not allow text posts";
    QTest::newRow("NO_LINKS") << ""
                              << "selfonly" << PostKind::Link << link() << "NO_LINKS"
                              << Action::ChooseAnotherSubreddit << false << 200
                              << "r/selfonly only allows text posts";
    QTest::newRow("SUBREDDIT_NOTALLOWED")
        << ""
        << "privateclub" << PostKind::Self << ""
        << "SUBREDDIT_NOTALLOWED" << Action::ChooseAnotherSubreddit << false << 200
        << "r/privateclub does not let";
    QTest::newRow("SUBREDDIT_NOEXIST") << ""
                                       << "nosuchplace" << PostKind::Self << ""
                                       << "SUBREDDIT_NOEXIST" << Action::ChooseAnotherSubreddit
                                       << false << 200 << "r/nosuchplace does not exist";
    QTest::newRow("DOMAIN_BANNED")
        << ""
        << "sandbox" << PostKind::Link << "https://banned.example/page"
        << "DOMAIN_BANNED" << Action::FixPost << false << 200 << "different website";
    QTest::newRow("BAD_URL") << ""
                             << "sandbox" << PostKind::Link << "not a url"
                             << "BAD_URL" << Action::FixPost << false << 200 << "https://";
    QTest::newRow("BAD_URL as SUBMIT_VALIDATION_ERROR")
        << "validate"
        << "sandbox" << PostKind::Link << "not a url"
        << "BAD_URL" << Action::FixPost << false << 400 << "https://";
    QTest::newRow("TOO_LONG text")
        << "long text"
        << "sandbox" << PostKind::Self << ""
        << "TOO_LONG" << Action::FixPost << false << 200 << "40000 characters";
    QTest::newRow("ALREADY_SUB") << "twice"
                                 << "sandbox" << PostKind::Link << link() << "ALREADY_SUB"
                                 << Action::FixPost << false << 200
                                 << "already been posted in r/sandbox";
    QTest::newRow("QUOTA_FILLED") << "twice"
                                  << "onceaday" << PostKind::Self << ""
                                  << "QUOTA_FILLED" << Action::WaitUntil << true << 200
                                  << "r/onceaday limits";
    QTest::newRow("USER_REQUIRED") << "app token"
                                   << "sandbox" << PostKind::Self << ""
                                   << "USER_REQUIRED" << Action::Reconnect << false << 200
                                   << "Connect your Reddit account again";
    QTest::newRow("401") << "invalidated"
                         << "sandbox" << PostKind::Self << ""
                         << "unauthorized" << Action::RefreshAndRetry << true << 401
                         << "session has expired";
    QTest::newRow("403 scope") << "narrow scope"
                               << "sandbox" << PostKind::Self << ""
                               << "insufficient_scope" << Action::Reconnect << false << 403
                               << "missing a Reddit permission";
    QTest::newRow("503 to a submit")
        << "503"
        << "sandbox" << PostKind::Self << ""
        << "outcome_unknown" << Action::CheckReddit << false << 503 << "not known whether";
    QTest::newRow("malformed 200 to a submit")
        << "malformed"
        << "sandbox" << PostKind::Self << ""
        << "outcome_unknown" << Action::CheckReddit << false << 200 << "not known whether";
}

void RedditClientTest::scriptedRefusalsArriveAsTheirProblem() {
    QFETCH(QString, setup);
    QFETCH(QString, subreddit);
    QFETCH(PostKind, kind);
    QFETCH(QString, url);
    QFETCH(QString, code);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(int, httpStatus);
    QFETCH(QString, keyword);
    Submission post;
    post.subreddit = subreddit;
    post.kind = kind;
    post.title = unique("Refused ");
    post.url = url;
    post.validateOnSubmit = setup == "validate";
    if (setup == "long text")
        post.text = QString(40001, 'x');
    if (setup == "twice") {
        const Result<SubmitAnswer> first = submit(post);
        QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
    } else if (setup == "app token") {
        QUrlQuery form;
        form.addQueryItem("grant_type", "https://oauth.reddit.com/grants/installed_client");
        form.addQueryItem("device_id", "DO_NOT_TRACK_THIS_DEVICE");
        m_token = tokenRequest(m_http, *m_sandbox, form).json()["access_token"].toString().toUtf8();
        QVERIFY(!m_token.isEmpty());
    } else if (setup == "invalidated") {
        QCOMPARE(m_http
                     .postJson(m_sandbox->url("/_admin/reddit/tokens/invalidate"),
                               {{"token", QString::fromUtf8(m_token)}})
                     .status,
                 200);
    } else if (setup == "narrow scope") {
        m_token = login(m_http, *m_sandbox, "identity read").toUtf8();
    } else if (setup == "503") {
        QVERIFY(fault({{"endpoint", "post.submit"},
                       {"kind", "status"},
                       {"status", 503},
                       {"body", "<html>busy</html>"}}));
    } else if (setup == "malformed") {
        QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "malformed"}}));
    }
    const Result<SubmitAnswer> refused = submit(post);
    QVERIFY(!refused);
    const Error &error = refused.error();
    QCOMPARE(error.domain, QString("reddit"));
    QCOMPARE(error.code, code);
    QCOMPARE(actionFor(error), action);
    QCOMPARE(error.retryable, retryable);
    QCOMPARE(error.httpStatus, httpStatus);
    QVERIFY2(error.message.contains(keyword), qPrintable(error.message));
    if (code == "QUOTA_FILLED")
        QCOMPARE(error.retryAfter, std::chrono::seconds(3600));
}

void RedditClientTest::rateLimitArrivesAsAWaitOfTheRightLength_data() {
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("amount");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("said");
    QTest::newRow("7 minutes") << "minutes" << 7 << 420 << "wait 7 minutes";
    QTest::newRow("40 seconds") << "seconds" << 40 << 40 << "wait 40 seconds";
    QTest::newRow("1 minute") << "minutes" << 1 << 60 << "wait 1 minute";
    QTest::newRow("500 milliseconds") << "milliseconds" << 500 << 1 << "wait 1 second";
}

void RedditClientTest::rateLimitArrivesAsAWaitOfTheRightLength() {
    QFETCH(QString, unit);
    QFETCH(int, amount);
    QFETCH(int, seconds);
    QFETCH(QString, said);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/reddit/ratelimit"),
                           {{"unit", unit}, {"amount", amount}, {"times", 1}})
                 .status,
             200);
    Submission post;
    post.subreddit = "sandbox";
    post.title = unique("Too fast ");
    const Result<SubmitAnswer> limited = submit(post);
    QVERIFY(!limited);
    QCOMPARE(limited.error().code, QString("RATELIMIT"));
    QCOMPARE(actionFor(limited.error()), Action::WaitUntil);
    QVERIFY(limited.error().retryable);
    QCOMPARE(limited.error().retryAfter, std::chrono::seconds(seconds));
    QVERIFY2(limited.error().message.contains(said), qPrintable(limited.error().message));
    // Only the next submit was limited.
    QVERIFY(submit(post));
}

void RedditClientTest::lostSubmitAnswerIsOutcomeUnknownAndNeverResent() {
    const int before = int(requests("post.submit").size());
    QVERIFY(fault({{"endpoint", "post.submit"}, {"kind", "drop_after"}, {"times", 3}}));
    Submission post;
    post.subreddit = "sandbox";
    post.title = unique("Lost answer ");
    const Result<SubmitAnswer> lost = submit(post);
    QVERIFY(!lost);
    QCOMPARE(lost.error().code, QString("outcome_unknown"));
    QCOMPARE(lost.error().httpStatus, 0);
    QVERIFY(!lost.error().retryable);
    QCOMPARE(actionFor(lost.error()), Action::CheckReddit);
    QTest::qWait(300); // time for a resend, if Qt were to make one
    QCOMPARE(int(requests("post.submit").size()), before + 1);
    // Reddit did make it: the profile shows it (what the queue checks before resubmitting).
    const auto mine = answer<Listing>(
        [&](auto done) { m_client->submitted("alice", m_token, "sbx_alice", 10, {}, done); });
    QVERIFY2(mine && *mine, why(mine));
    bool posted = false;
    for (const PostInfo &p : mine->value().posts)
        posted = posted || p.title == post.title;
    QVERIFY(posted);
}

void RedditClientTest::unknownPostsAndBadIdsAreRefused() {
    const auto unknown = answer<PostInfo>(
        [&](auto done) { m_client->submission("alice", m_token, "t3_zzzzzz9", done); });
    QVERIFY(unknown && !*unknown);
    QCOMPARE(unknown->error().code, QString("not_found"));
    const int before = int(requests().size());
    for (const QString &bad : {QString("../me"), QString("t1_abc"), QString("t3_ABC")}) {
        const auto refused =
            answer<PostInfo>([&](auto done) { m_client->submission("alice", m_token, bad, done); });
        QVERIFY(refused && !*refused);
        QCOMPARE(refused->error().code, QString("invalid_id"));
    }
    const auto badUser = answer<Listing>(
        [&](auto done) { m_client->submitted("alice", m_token, "../admin", 10, {}, done); });
    QVERIFY(badUser && !*badUser);
    QCOMPARE(badUser->error().code, QString("invalid_id"));
    QCOMPARE(int(requests().size()), before);
}

void RedditClientTest::everyCallCarriesTheDescriptiveUserAgent() {
    QVERIFY(m_http.send("DELETE", m_sandbox->url("/_admin/requests"), {}, {}, 5000).status == 200);
    Submission post;
    post.subreddit = "sandbox";
    post.title = unique("Agent ");
    const Result<SubmitAnswer> submitted = submit(post);
    QVERIFY(submitted);
    QVERIFY(upload(makeImage("agent.png", "PNG")));
    const auto read = answer<QList<PostInfo>>(
        [&](auto done) { m_client->info("alice", m_token, {submitted->fullname}, done); });
    QVERIFY(read && *read);
    QVERIFY(answer<Listing>(
        [&](auto done) { m_client->submitted("alice", m_token, "sbx_alice", 5, {}, done); }));
    QSet<QString> endpoints;
    for (const auto &r : requests()) {
        const QJsonObject record = r.toObject();
        const QString endpoint = record["endpoint"].toString();
        if (endpoint.startsWith("oauth."))
            continue; // the test's own login
        endpoints << endpoint;
        QCOMPARE(record["user_agent"].toString().toUtf8(), kAgent);
        if (endpoint != "media.upload")
            QVERIFY2(record["query"].toString().contains("raw_json=1"),
                     qPrintable(record["query"].toString()));
    }
    QCOMPARE(endpoints, (QSet<QString>{"post.submit", "media.lease", "media.upload", "listing.info",
                                       "listing.submitted"}));
}

void RedditClientTest::genericUserAgentIsRefused() {
    RedditClient generic(m_apiBase, "Qt/6.4 (huntaze)", &m_network, nullptr);
    const auto refused = answer<QList<PostInfo>>(
        [&](auto done) { generic.info("alice", m_token, {"t3_abc"}, done); });
    QVERIFY(refused && !*refused);
    QCOMPARE(refused->error().code, QString("too_many_requests"));
    QCOMPARE(actionFor(refused->error()), Action::WaitUntil);
    QVERIFY(!RedditUserAgent::isDescriptive("Qt/6.4 (huntaze)"));
    QVERIFY(RedditUserAgent::isDescriptive(kAgent));
}

// GET /r/<sub>/api/link_flair_v2 (scope flair) against the sandbox's fixed templates
// (sandbox/reddit/README.md): the list as Reddit gives it, sent like every other call,
// and a name that is no subreddit's refused before anything is sent.
void RedditClientTest::flairsAreListedFromRedditsFlairEndpoint() {
    QVERIFY(m_http.send("DELETE", m_sandbox->url("/_admin/requests"), {}, {}, 5000).status == 200);
    const auto flairs = answer<QList<Flair>>(
        [&](auto done) { m_client->flairs("alice", m_token, "r/Huntaze", done); });
    QVERIFY2(flairs && *flairs, why(flairs));
    const QList<Flair> &list = flairs->value();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.at(0).text, QString("Tutorial"));
    QCOMPARE(list.at(0).id, QString("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e01"));
    QVERIFY(!list.at(0).textEditable);
    QCOMPARE(list.at(1).text, QString("Showcase"));
    QVERIFY(list.at(1).textEditable);
    QCOMPARE(list.at(1).type, QString("text"));
    QCOMPARE(list.at(1).backgroundColor, QString("#ffd635"));
    QCOMPARE(list.at(1).textColor, QString("dark"));
    QCOMPARE(list.at(2).text, QString("Announcement"));
    QVERIFY(list.at(2).modOnly);

    // One call, with the agent and raw_json=1, and its rate-limit headers reached the pacer.
    const QJsonArray sent = requests("flair.list");
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).toObject()["user_agent"].toString().toUtf8(), kAgent);
    QVERIFY(sent.at(0).toObject()["query"].toString().contains("raw_json=1"));
    QVERIFY(sent.at(0).toObject()["path"].toString().endsWith("/r/Huntaze/api/link_flair_v2",
                                                              Qt::CaseInsensitive));
    const QJsonObject window = m_http.get(m_sandbox->url("/_admin/reddit/ratelimit/window")).json();
    QCOMPARE(m_pacer->snapshot("alice").remaining, window["remaining"].toDouble());

    // A subreddit without flairs is an empty list; one that does not exist, its Problem.
    const auto none = answer<QList<Flair>>(
        [&](auto done) { m_client->flairs("alice", m_token, "linksonly", done); });
    QVERIFY2(none && *none, why(none));
    QVERIFY(none->value().isEmpty());
    const auto unknown = answer<QList<Flair>>(
        [&](auto done) { m_client->flairs("alice", m_token, "no_such_sub", done); });
    QVERIFY(unknown && !*unknown);
    QCOMPARE(unknown->error().code, QString("subreddit_not_found"));
    QCOMPARE(actionFor(unknown->error()), Action::ChooseAnotherSubreddit);

    // Without the flair scope Reddit answers 403: the account must be connected again.
    const QByteArray noFlair = login(m_http, *m_sandbox, "identity submit read history").toUtf8();
    const auto refused = answer<QList<Flair>>(
        [&](auto done) { m_client->flairs("alice", noFlair, "huntaze", done); });
    QVERIFY(refused && !*refused);
    QCOMPARE(refused->error().code, QString("insufficient_scope"));
    QCOMPARE(actionFor(refused->error()), Action::Reconnect);

    const int before = int(requests().size());
    const auto bad = answer<QList<Flair>>(
        [&](auto done) { m_client->flairs("alice", m_token, "../../admin", done); });
    QVERIFY(bad && !*bad);
    QCOMPARE(bad->error().code, QString("SUBREDDIT_NOEXIST"));
    QCOMPARE(int(requests().size()), before);
}

void RedditClientTest::pacingKeepsABurstUnderTheLimit() {
    // The window ends in about four seconds and has ten calls left; 25 calls are asked
    // for at once.
    const auto window = [&] {
        return m_http.get(m_sandbox->url("/_admin/reddit/ratelimit/window")).json();
    };
    // Moves the sandbox's clock to four seconds before the end of a window (Reddit's are
    // ten minutes long), with a fresh token.
    const auto nearWindowEnd = [&] {
        const int reset = window()["reset"].toInt();
        const bool moved = advance(m_http, *m_sandbox, reset > 4 ? reset - 4 : reset + 600 - 4);
        m_token = login(m_http, *m_sandbox, "identity submit read history flair").toUtf8();
        return moved && !m_token.isEmpty();
    };
    QVERIFY(nearWindowEnd());
    const int limit = window()["limit"].toInt();
    QVERIFY(limit > 10);
    const auto burst = [&](RedditClient &client, int calls) {
        auto answers = std::make_shared<QList<Result<QList<PostInfo>>>>();
        for (int i = 0; i < calls; ++i)
            client.info("alice", m_token, {"t3_abc"},
                        [answers](Result<QList<PostInfo>> r) { answers->append(std::move(r)); });
        (void)QTest::qWaitFor([&] { return answers->size() == calls; }, 60000);
        return *answers;
    };

    // Without pacing the burst meets Reddit's 429 (so the paced run below means something).
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", limit - 10}})
            .status,
        200);
    RedditClient unpaced(m_apiBase, kAgent, &m_network, nullptr);
    int refused = 0;
    for (const auto &r : burst(unpaced, 25))
        refused += (!r && r.error().code == "too_many_requests") ? 1 : 0;
    QVERIFY2(refused > 0, "an unpaced burst should have met a 429");

    // Paced: the same burst, the next window, not one 429.
    QVERIFY(nearWindowEnd());
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", limit - 10}})
            .status,
        200);
    QVERIFY(m_http.send("DELETE", m_sandbox->url("/_admin/requests"), {}, {}, 5000).status == 200);
    RateLimitPacer pacer;
    RedditClient paced(m_apiBase, kAgent, &m_network, &pacer);
    QElapsedTimer clock;
    clock.start();
    const auto answers = burst(paced, 25);
    QCOMPARE(answers.size(), 25);
    for (const auto &r : answers)
        QVERIFY2(r, qPrintable(r ? QString() : describe(r.error())));
    int tooMany = 0;
    for (const auto &record : requests("listing.info"))
        tooMany += record.toObject()["status"].toInt() == 429 ? 1 : 0;
    QCOMPARE(tooMany, 0);
    // The ten calls left were spread to the window's end, the rest went in the next one.
    QVERIFY2(clock.elapsed() >= 3000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(window()["used"].toInt() < limit - 10);
}

QTEST_GUILESS_MAIN(RedditClientTest)
#include "tst_redditclient.moc"
