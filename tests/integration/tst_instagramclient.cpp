#include "media/mediaprobe.h"
#include "mediafixtures.h"
#include "platforms/instagram/instagramclient.h"
#include "platforms/instagram/instagramerrors.h"
#include "platforms/instagram/instagrammediarules.h"
#include "platforms/instagram/instagramusage.h"
#include "sandbox/instagramtesthelpers.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

using huntaze::Error;
using huntaze::Result;
using namespace huntaze::instagram;
using namespace igtest;

Q_DECLARE_METATYPE(ContainerRequest)

namespace {

using Fields = QList<std::pair<QString, QString>>;

// Runs one client call and waits for its answer (the answer may never come: then nullopt).
template <typename T, typename Call> std::optional<Result<T>> answer(Call call, int ms = 20000) {
    auto out = std::make_shared<std::optional<Result<T>>>();
    call([out](Result<T> result) { out->emplace(std::move(result)); });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, ms); // nullopt tells the caller
    return *out;
}

QString describe(const Error &error) {
    return error.code + ": " + error.message + " (" + error.detail + ")";
}

// For QVERIFY2's message, which is built even when the check passes.
template <typename T> QByteArray why(const Result<T> &result) {
    return result ? QByteArray() : describe(result.error()).toUtf8();
}
template <typename T> QByteArray why(const std::optional<Result<T>> &result) {
    return result ? why(*result) : QByteArray("no answer");
}

} // namespace

// InstagramClient against huntaze-sandbox over real HTTP: containers, the resumable
// upload of a real MP4, status over sandbox time, publishing, limits, scripted errors,
// usage headers and calls that must never be sent twice.
class InstagramClientTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void containerParametersFollowTheContract_data();
    void containerParametersFollowTheContract();
    void parsersRefuseAnswersTheyCannotUse();
    void probedSoundMeetsTheReelRules_data();
    void probedSoundMeetsTheReelRules();
    void imageContainerPublishesAndReadsItsPermalink();
    void reelUploadsARealVideoAndPublishesOnceProcessed();
    void uploadRefusalsComeBackAsErrors();
    void anAbortedUploadSaysSo();
    void publishingLimitIsReadFromTheAccount();
    void scriptedErrorsArriveAsTheirProblemCode_data();
    void scriptedErrorsArriveAsTheirProblemCode();
    void expiredContainerIsReportedByItsStatus();
    void lostAnswerToACreatingCallIsOutcomeUnknownAndNeverResent_data();
    void lostAnswerToACreatingCallIsOutcomeUnknownAndNeverResent();
    void failedStatusCallIsRetryable();
    void idsThatAreNotGraphIdsAreRefusedBeforeSending();
    void usageHeadersSlowCallsDownBeforeInstagramRefuses();

private:
    Result<ContainerAnswer> create(const ContainerRequest &request);
    int requestCount(const QString &endpoint);
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    Session m_alex;
    QByteArray m_token;
    QNetworkAccessManager m_network;
    UsageGovernor m_governor;
    std::unique_ptr<InstagramClient> m_client;
    QTemporaryDir m_dir;
};

void InstagramClientTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 1000000}, {"buc_call_limit", 1000000}}));
    m_alex = login(m_http, *m_sandbox);
    QVERIFY(!m_alex.longToken.isEmpty());
    m_token = m_alex.longToken.toUtf8();
    const QJsonObject platform = m_sandbox->platform("instagram");
    QVERIFY(!platform.value("graph_url").toString().isEmpty());
    m_client = std::make_unique<InstagramClient>(QUrl(platform.value("graph_url").toString()),
                                                 platform.value("graph_version").toString(),
                                                 &m_network, &m_governor);
}

void InstagramClientTest::init() {
    m_http.send("DELETE", m_sandbox->url("/_admin/instagram/errors"), {}, {}, 5000);
    m_http.send("DELETE", m_sandbox->url("/_admin/faults"), {}, {}, 5000);
}

Result<ContainerAnswer> InstagramClientTest::create(const ContainerRequest &request) {
    const auto result = answer<ContainerAnswer>(
        [&](auto done) { m_client->createContainer(kAlexIg, m_token, request, done); });
    if (!result)
        return Error{"test", "timeout", "no answer", {}, 0, false, {}};
    return *result;
}

int InstagramClientTest::requestCount(const QString &endpoint) {
    QUrl url = m_sandbox->url("/_admin/requests");
    url.setQuery("platform=instagram&endpoint=" + endpoint);
    return int(m_http.get(url).document().array().size());
}

void InstagramClientTest::containerParametersFollowTheContract_data() {
    using Type = ContainerRequest::Type;
    QTest::addColumn<ContainerRequest>("request");
    QTest::addColumn<Fields>("expected");
    ContainerRequest image;
    image.imageUrl = "https://cdn.example.com/a.jpg";
    image.caption = "Hi";
    QTest::newRow("image") << image
                           << Fields{{"image_url", "https://cdn.example.com/a.jpg"},
                                     {"caption", "Hi"}};
    ContainerRequest reel;
    reel.type = Type::Reel;
    reel.resumable = true;
    reel.shareToFeed = false;
    QTest::newRow("resumable reel")
        << reel
        << Fields{
               {"media_type", "REELS"}, {"upload_type", "resumable"}, {"share_to_feed", "false"}};
    ContainerRequest story;
    story.type = Type::StoryVideo;
    story.videoUrl = "https://cdn.example.com/s.mp4";
    story.caption = "stories carry no caption";
    QTest::newRow("story video") << story
                                 << Fields{{"media_type", "STORIES"},
                                           {"video_url", "https://cdn.example.com/s.mp4"}};
    ContainerRequest storyImage;
    storyImage.type = Type::StoryImage;
    storyImage.imageUrl = "https://cdn.example.com/s.jpg";
    QTest::newRow("story image") << storyImage
                                 << Fields{{"media_type", "STORIES"},
                                           {"image_url", "https://cdn.example.com/s.jpg"}};
    ContainerRequest item;
    item.type = Type::CarouselImageItem;
    item.imageUrl = "https://cdn.example.com/i.jpg";
    QTest::newRow("carousel image item")
        << item
        << Fields{{"is_carousel_item", "true"}, {"image_url", "https://cdn.example.com/i.jpg"}};
    ContainerRequest videoItem;
    videoItem.type = Type::CarouselVideoItem;
    videoItem.resumable = true;
    QTest::newRow("carousel video item")
        << videoItem
        << Fields{
               {"is_carousel_item", "true"}, {"media_type", "VIDEO"}, {"upload_type", "resumable"}};
    ContainerRequest carousel;
    carousel.type = Type::Carousel;
    carousel.children = {"1", "2", "3"};
    carousel.caption = "album";
    QTest::newRow("carousel") << carousel
                              << Fields{{"media_type", "CAROUSEL"},
                                        {"children", "1,2,3"},
                                        {"caption", "album"}};
}

void InstagramClientTest::containerParametersFollowTheContract() {
    QFETCH(ContainerRequest, request);
    QFETCH(Fields, expected);
    QCOMPARE(InstagramClient::containerParameters(request), expected);
}

void InstagramClientTest::parsersRefuseAnswersTheyCannotUse() {
    // A 200 without a usable id: something may exist, so it is not "try again".
    for (const QByteArray &body :
         {QByteArray("{}"), QByteArray("<html>ok</html>"), QByteArray(R"({"id":"../me"})"),
          QByteArray(R"({"id":17841400000000001})"),
          QByteArray(R"({"id":"1","uri":"not a url"})")}) {
        const auto container = InstagramClient::parseContainer(200, body);
        QVERIFY2(!container, body.constData());
        QCOMPARE(container.error().code, QString("outcome_unknown"));
        QVERIFY(!container.error().retryable);
    }
    const auto good = InstagramClient::parseContainer(
        200, R"({"id":"179","uri":"https://rupload.facebook.com/ig-api-upload/v25.0/179"})");
    QVERIFY(good);
    QCOMPARE(good->id, QString("179"));
    QCOMPARE(good->uploadUri.path(), QString("/ig-api-upload/v25.0/179"));
    // Graph errors come through every parser as their Problem.
    const QByteArray envelope = R"({"error":{"code":190,"error_subcode":463,"message":"x"}})";
    QCOMPARE(InstagramClient::parseContainer(400, envelope).error().code, QString("190/463"));
    QCOMPARE(InstagramClient::parseStatus(400, envelope).error().code, QString("190/463"));
    QCOMPARE(InstagramClient::parsePublishingLimit(400, envelope).error().code, QString("190/463"));
    QCOMPARE(InstagramClient::parseUploadAnswer(400, envelope).error().code, QString("190/463"));
    // A proxy's page instead of Graph's answer.
    const auto gateway = InstagramClient::parseStatus(502, "<html>Bad gateway</html>");
    QCOMPARE(gateway.error().code, QString("http_502"));
    QVERIFY(gateway.error().retryable);
    // Status and limits need their fields.
    QCOMPARE(InstagramClient::parseStatus(200, R"({"status":"x"})").error().code,
             QString("invalid_answer"));
    QCOMPARE(InstagramClient::parseStatus(200, "[]").error().code, QString("invalid_answer"));
    const auto status = InstagramClient::parseStatus(
        200, R"j({"status_code":"ERROR","status":"Error: x (2207026)"})j");
    QCOMPARE(status->statusCode, QString("ERROR"));
    QCOMPARE(status->status, QString("Error: x (2207026)"));
    QCOMPARE(InstagramClient::parsePublishingLimit(200, R"({"data":[]})").error().code,
             QString("invalid_answer"));
    const auto limit = InstagramClient::parsePublishingLimit(
        200, R"({"data":[{"quota_usage":2,"config":{"quota_total":50,"quota_duration":86400}}]})");
    QCOMPARE(limit->quotaUsage, 2);
    QCOMPARE(limit->quotaTotal, 50);
    QCOMPARE(limit->quotaDurationSeconds, qint64(86400));
    // rupload answers.
    QVERIFY(*InstagramClient::parseUploadAnswer(
        200, R"({"success":true,"message":"Upload successful."})"));
    const auto retriable = InstagramClient::parseUploadAnswer(
        400,
        R"({"debug_info":{"retriable":true,"type":"OffsetMismatchError","message":"resume"}})");
    QCOMPARE(retriable.error().code, QString("upload/OffsetMismatchError"));
    QVERIFY(retriable.error().retryable);
    const auto final = InstagramClient::parseUploadAnswer(
        400, R"({"debug_info":{"retriable":false,"type":"Bad type!","message":"no"}})");
    QCOMPARE(final.error().code, QString("upload/unknown"));
    QVERIFY(!final.error().retryable);
    QCOMPARE(InstagramClient::parseUploadAnswer(200, R"({"success":false})").error().code,
             QString("invalid_answer"));
    QVERIFY(InstagramClient::parseUploadAnswer(503, "busy").error().retryable);
}

void InstagramClientTest::probedSoundMeetsTheReelRules_data() {
    QTest::addColumn<QString>("encoder"); // empty: no sound at all
    QTest::addColumn<QString>("audioCodec");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("silent") << ""
                            << "" << true;
    QTest::newRow("aac") << "aac"
                         << "aac" << true;
    QTest::newRow("mp3") << "libmp3lame"
                         << "mp3" << false;
}

// The audio codec reaches the rules from a real file (media/mediaprobe.cpp).
void InstagramClientTest::probedSoundMeetsTheReelRules() {
    QFETCH(QString, encoder);
    QFETCH(QString, audioCodec);
    QFETCH(bool, accepted);
    const QString path = m_dir.filePath("sound-" + (encoder.isEmpty() ? "none" : encoder) + ".mp4");
    QStringList arguments{"-hide_banner", "-loglevel", "error", "-y",
                          "-f",           "lavfi",     "-i",    "testsrc2=size=320x240:rate=30"};
    if (!encoder.isEmpty())
        arguments << "-f"
                  << "lavfi"
                  << "-i"
                  << "sine=frequency=440"
                  << "-c:a" << encoder;
    arguments << "-t"
              << "3"
              << "-c:v"
              << "libx264"
              << "-preset"
              << "ultrafast"
              << "-pix_fmt"
              << "yuv420p" << path;
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", arguments);
    QVERIFY2(ffmpeg.waitForFinished(60000) && ffmpeg.exitCode() == 0,
             ffmpeg.readAllStandardError().constData());
    const auto info = huntaze::media::probeMedia(path);
    QVERIFY(info);
    QCOMPARE(info->audioCodec, audioCodec);
    const QStringList problems = checkReelVideo(*info);
    QCOMPARE(problems.isEmpty(), accepted);
    if (!accepted)
        QVERIFY2(problems.join(' ').contains("AAC"), qPrintable(problems.join(' ')));
}

void InstagramClientTest::imageContainerPublishesAndReadsItsPermalink() {
    ContainerRequest request;
    request.imageUrl = "https://cdn.example.com/client-photo.jpg";
    request.caption = QString::fromUtf8("Hello #client & friends +1 = 2 \xF0\x9F\x98\x80 100%");
    const Result<ContainerAnswer> container = create(request);
    QVERIFY2(container, why(container).constData());
    QVERIFY(container->uploadUri.isEmpty());

    const auto status = answer<ContainerStatus>(
        [&](auto done) { m_client->containerStatus(kAlexIg, m_token, container->id, done); });
    QVERIFY(status && *status);
    QCOMPARE((*status)->statusCode, QString("FINISHED"));

    const auto published = answer<QString>(
        [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); });
    QVERIFY(published && *published);
    const QString mediaId = **published;
    QVERIFY(!mediaId.isEmpty());

    const auto link =
        answer<QString>([&](auto done) { m_client->permalink(kAlexIg, m_token, mediaId, done); });
    QVERIFY(link && *link);
    QVERIFY2((*link)->startsWith("https://www.instagram.com/p/"), qPrintable(**link));
    // The caption crossed the form encoding intact.
    const auto media =
        graphGet(m_http, *m_sandbox, "/" + mediaId, m_alex.longToken, "fields=caption");
    QCOMPARE(media.json()["caption"].toString(), request.caption);
}

void InstagramClientTest::reelUploadsARealVideoAndPublishesOnceProcessed() {
    const QString video = huntaze::test::makeTestVideo(m_dir.filePath("reel.mp4"), 3, false);
    QVERIFY2(!video.isEmpty(), "ffmpeg is needed to make the test video");
    const qint64 size = QFileInfo(video).size();

    ContainerRequest request;
    request.type = ContainerRequest::Type::Reel;
    request.resumable = true;
    request.caption = "reel from the client";
    const Result<ContainerAnswer> container = create(request);
    QVERIFY2(container, why(container).constData());
    QVERIFY(container->uploadUri.isValid());
    QVERIFY(container->uploadUri.path().endsWith("/ig-api-upload/v25.0/" + container->id));

    QList<UploadProgress> steps;
    const auto uploaded = answer<bool>([&](auto done) {
        const QPointer<QNetworkReply> reply = m_client->uploadVideo(
            kAlexIg, container->uploadUri, m_token, video,
            [&steps](UploadProgress p) { steps.append(p); }, done);
        QVERIFY(reply);
    });
    QVERIFY(uploaded);
    QVERIFY2(*uploaded, why(uploaded).constData());
    QVERIFY(!steps.isEmpty());
    QCOMPARE(steps.last().sent, size);
    QCOMPARE(steps.last().total, size);
    for (qsizetype i = 1; i < steps.size(); ++i) // never back to 0 when the reply ends
        QVERIFY(steps[i].sent >= steps[i - 1].sent && steps[i].total == size);
    // The platform holds exactly the file's bytes.
    const QByteArray sha = huntaze::test::fileSha256(video);
    bool stored = false;
    for (const QJsonValue &u : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        stored = stored || u.toObject()["sha256"].toString().toUtf8() == sha;
    QVERIFY(stored);

    // Still processing: publishing now is the "keep polling" row.
    const auto early = answer<QString>(
        [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); });
    QVERIFY(early && !*early);
    QCOMPARE(early->error().code, QString("9007/2207027"));
    QVERIFY(early->error().retryable);

    QVERIFY(advance(m_http, *m_sandbox, 60));
    QString state;
    for (int i = 0; i < 50 && state != "FINISHED"; ++i) {
        const auto status = answer<ContainerStatus>(
            [&](auto done) { m_client->containerStatus(kAlexIg, m_token, container->id, done); });
        QVERIFY(status && *status);
        state = (*status)->statusCode;
        if (state != "FINISHED")
            QTest::qWait(50);
    }
    QCOMPARE(state, QString("FINISHED"));

    const auto published = answer<QString>(
        [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); });
    QVERIFY2(published && *published, why(published).constData());
    const auto media = graphGet(m_http, *m_sandbox, "/" + **published, m_alex.longToken,
                                "fields=media_product_type");
    QCOMPARE(media.json()["media_product_type"].toString(), QString("REELS"));
}

void InstagramClientTest::uploadRefusalsComeBackAsErrors() {
    const QString file = m_dir.filePath("small.mp4");
    QVERIFY(!huntaze::test::makeTestVideo(file, 1, false, "160x90").isEmpty());
    ContainerRequest request;
    request.type = ContainerRequest::Type::Reel;
    request.resumable = true;
    const Result<ContainerAnswer> container = create(request);
    QVERIFY(container);
    auto upload = [&](const QByteArray &token, const QString &path) {
        return answer<bool>([&](auto done) {
            m_client->uploadVideo(kAlexIg, container->uploadUri, token, path, {}, done);
        });
    };
    // A token rupload does not know is a dead sign-in, as Graph's 190.
    const auto refused = upload("EAAnope", file);
    QVERIFY(refused && !*refused);
    QCOMPARE(refused->error().code, QString("190"));
    QCOMPARE(refused->error().httpStatus, 401);
    QVERIFY(!refused->error().retryable);
    QVERIFY(!refused->error().message.contains("EAAnope"));
    // Uploaded twice: Meta's debug_info, not retriable.
    QVERIFY(*upload(m_token, file));
    const auto twice = upload(m_token, file);
    QVERIFY(twice && !*twice);
    QCOMPARE(twice->error().code, QString("upload/ProcessingFailedError"));
    QVERIFY(!twice->error().retryable);
    QCOMPARE(twice->error().domain, QString("instagram"));
    // A file that is not there never reaches the network.
    const auto missing = upload(m_token, m_dir.filePath("gone.mp4"));
    QVERIFY(missing && !*missing);
    QCOMPARE(missing->error().code, QString("file_unreadable"));
}

void InstagramClientTest::anAbortedUploadSaysSo() {
    const QString file = m_dir.filePath("abort.mp4");
    QVERIFY(!huntaze::test::makeTestVideo(file, 1, false, "160x90").isEmpty());
    ContainerRequest request;
    request.type = ContainerRequest::Type::Reel;
    request.resumable = true;
    const Result<ContainerAnswer> container = create(request);
    QVERIFY(container);
    const auto aborted = answer<bool>([&](auto done) {
        const QPointer<QNetworkReply> reply =
            m_client->uploadVideo(kAlexIg, container->uploadUri, m_token, file, {}, done);
        QVERIFY(reply);
        reply->abort();
    });
    QVERIFY(aborted && !*aborted);
    QCOMPARE(aborted->error().code, QString("aborted"));
}

void InstagramClientTest::publishingLimitIsReadFromTheAccount() {
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + kAlexIg,
                  {{"quota_total", 7}, {"quota_duration", 43200}}));
    const auto limit = answer<PublishingLimit>(
        [&](auto done) { m_client->publishingLimit(kAlexIg, m_token, done); });
    QVERIFY(admin(m_http, *m_sandbox, "/accounts/" + kAlexIg,
                  {{"quota_total", 50}, {"quota_duration", 86400}}));
    QVERIFY(limit && *limit);
    QCOMPARE((*limit)->quotaTotal, 7);
    QCOMPARE((*limit)->quotaDurationSeconds, qint64(43200));
    QVERIFY((*limit)->quotaUsage >= 0);
}

void InstagramClientTest::scriptedErrorsArriveAsTheirProblemCode_data() {
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<int>("httpStatus");
    QTest::newRow("daily limit on publish") << "media.publish" << 9 << 2207042 << "limit"
                                            << "9/2207042" << true << 400;
    QTest::newRow("spam on publish") << "media.publish" << 4 << 2207051 << "spam"
                                     << "4/2207051" << false << 400;
    QTest::newRow("password changed on status")
        << "container.status" << 190 << 460 << "Error validating access token"
        << "190/460" << false << 400;
    QTest::newRow("aspect on create") << "media.create" << 36003 << 2207009 << "aspect"
                                      << "36003/2207009" << false << 400;
    QTest::newRow("service error on limit") << "content_publishing_limit" << 2 << 0 << "down"
                                            << "2" << true << 500;
    QTest::newRow("permission on permalink")
        << "media.get" << 10 << 0 << "(#10) Missing permission: instagram_basic"
        << "10" << false << 400;
}

void InstagramClientTest::scriptedErrorsArriveAsTheirProblemCode() {
    QFETCH(QString, endpoint);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    QFETCH(bool, retryable);
    QFETCH(int, httpStatus);
    // Something real to point at first (its own calls are not scripted).
    ContainerRequest request;
    request.imageUrl = "https://cdn.example.com/scripted.jpg";
    const Result<ContainerAnswer> container = create(request);
    QVERIFY(container);
    QString mediaId;
    if (endpoint == "media.get") {
        const auto published = answer<QString>(
            [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); });
        QVERIFY(published && *published);
        mediaId = **published;
    }
    QVERIFY(admin(m_http, *m_sandbox, "/errors",
                  {{"endpoint", endpoint},
                   {"code", code},
                   {"error_subcode", subcode},
                   {"message", message}}));
    std::optional<Error> error;
    auto keep = [&error](const auto &result) {
        if (result && !*result)
            error = result->error();
    };
    if (endpoint == "media.publish")
        keep(answer<QString>(
            [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); }));
    else if (endpoint == "container.status")
        keep(answer<ContainerStatus>(
            [&](auto done) { m_client->containerStatus(kAlexIg, m_token, container->id, done); }));
    else if (endpoint == "media.create")
        keep(std::optional<Result<ContainerAnswer>>(create(request)));
    else if (endpoint == "content_publishing_limit")
        keep(answer<PublishingLimit>(
            [&](auto done) { m_client->publishingLimit(kAlexIg, m_token, done); }));
    else
        keep(answer<QString>(
            [&](auto done) { m_client->permalink(kAlexIg, m_token, mediaId, done); }));
    QVERIFY2(error, "the scripted error did not come back");
    QCOMPARE(error->domain, QString("instagram"));
    QCOMPARE(error->code, expected);
    QCOMPARE(error->retryable, retryable);
    QCOMPARE(error->httpStatus, httpStatus);
    GraphError graph;
    graph.code = code;
    graph.subcode = subcode;
    graph.message = message;
    QCOMPARE(error->message, problemFor(graph).message);
    QVERIFY2(error->detail.contains("fbtrace_id"), qPrintable(error->detail));
    QVERIFY(!error->detail.contains(m_alex.longToken));
}

void InstagramClientTest::expiredContainerIsReportedByItsStatus() {
    ContainerRequest request;
    request.imageUrl = "https://cdn.example.com/late-client.jpg";
    const Result<ContainerAnswer> container = create(request);
    QVERIFY(container);
    QVERIFY(advance(m_http, *m_sandbox, 86400 + 60));
    const auto status = answer<ContainerStatus>(
        [&](auto done) { m_client->containerStatus(kAlexIg, m_token, container->id, done); });
    QVERIFY(status && *status);
    QCOMPARE((*status)->statusCode, QString("EXPIRED"));
    const Problem problem = problemForContainerStatus((*status)->statusCode, (*status)->status);
    QCOMPARE(problem.action, Action::NewContainer);
    const auto late = answer<QString>(
        [&](auto done) { m_client->publish(kAlexIg, m_token, container->id, done); });
    QVERIFY(late && !*late);
    QCOMPARE(late->error().code, QString("-2/2207020"));
}

void InstagramClientTest::lostAnswerToACreatingCallIsOutcomeUnknownAndNeverResent_data() {
    QTest::addColumn<QString>("endpoint");
    QTest::newRow("container") << "media.create";
    QTest::newRow("publish") << "media.publish";
}

void InstagramClientTest::lostAnswerToACreatingCallIsOutcomeUnknownAndNeverResent() {
    QFETCH(QString, endpoint);
    ContainerRequest request;
    request.imageUrl = "https://cdn.example.com/dropped.jpg";
    const Result<ContainerAnswer> ready = create(request);
    QVERIFY(ready);
    const int before = requestCount(endpoint);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"),
                           {{"platform", "instagram"}, {"endpoint", endpoint}, {"kind", "drop"}})
                 .status,
             200);
    std::optional<Error> error;
    if (endpoint == "media.create") {
        const Result<ContainerAnswer> lost = create(request);
        if (!lost)
            error = lost.error();
    } else {
        const auto lost = answer<QString>(
            [&](auto done) { m_client->publish(kAlexIg, m_token, ready->id, done); });
        if (lost && !*lost)
            error = lost->error();
    }
    QVERIFY(error);
    QCOMPARE(error->code, QString("outcome_unknown"));
    QVERIFY(!error->retryable);
    QCOMPARE(error->httpStatus, 0);
    QTest::qWait(300); // time for a resend, if Qt were to make one
    QCOMPARE(requestCount(endpoint), before + 1);
}

void InstagramClientTest::failedStatusCallIsRetryable() {
    ContainerRequest request;
    request.imageUrl = "https://cdn.example.com/faulted.jpg";
    const Result<ContainerAnswer> container = create(request);
    QVERIFY(container);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "instagram"},
                                                              {"endpoint", "container.status"},
                                                              {"kind", "drop"}})
                 .status,
             200);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "instagram"},
                                                              {"endpoint", "container.status"},
                                                              {"kind", "status"},
                                                              {"status", 503},
                                                              {"body", "<html>busy</html>"}})
                 .status,
             200);
    // Qt may resend a dropped GET once by itself (a GET is safe to repeat); either way every
    // failure is retryable, and the poll that follows succeeds.
    QStringList failures;
    bool answered = false;
    for (int attempt = 0; attempt < 3 && !answered; ++attempt) {
        const auto status = answer<ContainerStatus>(
            [&](auto done) { m_client->containerStatus(kAlexIg, m_token, container->id, done); });
        QVERIFY(status);
        answered = status->ok();
        if (answered)
            break;
        QVERIFY2(status->error().retryable, qPrintable(describe(status->error())));
        failures << status->error().code;
    }
    QVERIFY(answered);
    QVERIFY(!failures.isEmpty());
    for (const QString &code : std::as_const(failures))
        QVERIFY2(code == "unreachable" || code == "http_503", qPrintable(code));
}

void InstagramClientTest::idsThatAreNotGraphIdsAreRefusedBeforeSending() {
    const int before = requestCount("node.get");
    const auto refused = answer<ContainerStatus>(
        [&](auto done) { m_client->containerStatus(kAlexIg, m_token, "../me", done); });
    QVERIFY(refused && !*refused);
    QCOMPARE(refused->error().code, QString("invalid_id"));
    QCOMPARE(requestCount("node.get"), before);
}

void InstagramClientTest::usageHeadersSlowCallsDownBeforeInstagramRefuses() {
    // Blair's own account and a fresh governor: four calls an hour make 100 %.
    const QString ig = "17841400000000002";
    const Session blair = login(m_http, *m_sandbox, "1000000000002");
    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{"buc_call_limit", 4}, {"reset", true}}));
    UsageGovernor governor;
    const QJsonObject platform = m_sandbox->platform("instagram");
    InstagramClient paced(QUrl(platform.value("graph_url").toString()),
                          platform.value("graph_version").toString(), &m_network, &governor);
    const QByteArray token = blair.longToken.toUtf8();
    auto limit = [&] {
        return answer<PublishingLimit>([&](auto done) { paced.publishingLimit(ig, token, done); });
    };

    int calls = 0;
    while (governor.delayMs(ig) == 0 && calls < 4) {
        const auto result = limit();
        QVERIFY(result);
        QVERIFY2(*result, why(result).constData()); // Meta never refused
        ++calls;
    }
    QCOMPARE(calls, 3); // 75 %: the governor asks for a pause before Meta would refuse
    const qint64 pause = governor.delayMs(ig);
    QVERIFY(pause > 0 && pause <= UsageGovernor::slowdownMs(75));
    QCOMPARE(governor.lastPercent(ig), 75);

    // The next call waits that pause out before it is sent, and still succeeds.
    QElapsedTimer elapsed;
    elapsed.start();
    const auto fourth = limit();
    QVERIFY(fourth && *fourth);
    QVERIFY2(elapsed.elapsed() >= pause - 50, qPrintable(QString::number(elapsed.elapsed())));
    // Now at 100 %: the governor stops calls until Meta's regain time...
    QVERIFY(governor.delayMs(ig) > UsageGovernor::kLongestSlowdownMs);
    // ...which is exactly when Meta starts refusing (80002, with that time).
    const auto refused = graphGet(m_http, *m_sandbox, "/" + ig + "/content_publishing_limit",
                                  blair.longToken, "fields=quota_usage");
    QCOMPARE(error(refused)["code"].toInt(), 80002);
    // An ungoverned client sees the refusal as a wait, with Meta's regain time.
    InstagramClient unpaced(QUrl(platform.value("graph_url").toString()),
                            platform.value("graph_version").toString(), &m_network, nullptr);
    const auto blocked =
        answer<PublishingLimit>([&](auto done) { unpaced.publishingLimit(ig, token, done); });
    QVERIFY(blocked && !*blocked);
    QCOMPARE(blocked->error().code, QString("80002"));
    QVERIFY(blocked->error().retryable);
    QVERIFY(blocked->error().retryAfter.has_value() && blocked->error().retryAfter->count() > 0);

    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{"buc_call_limit", 1000000}, {"reset", true}}));
}

QTEST_GUILESS_MAIN(InstagramClientTest)
#include "tst_instagramclient.moc"
