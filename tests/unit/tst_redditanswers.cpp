#include "platforms/reddit/redditlisting.h"
#include "platforms/reddit/redditmedialease.h"
#include "platforms/reddit/redditmediawatch.h"
#include "platforms/reddit/redditsubmission.h"
#include "platforms/reddit/reddituseragent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace huntaze::reddit;
using Fields = QList<std::pair<QString, QString>>;

Q_DECLARE_METATYPE(Submission)

namespace {

QByteArray json(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject thing(const QJsonObject &data) {
    return {{"kind", "t3"}, {"data", data}};
}

QByteArray listing(const QJsonArray &children, const QJsonValue &after = QJsonValue()) {
    return json(
        {{"kind", "Listing"}, {"data", QJsonObject{{"children", children}, {"after", after}}}});
}

QByteArray leaseBody(const QString &action) {
    QJsonArray fields;
    for (const char *name : {"acl", "key", "X-Amz-Credential", "policy", "X-Amz-Signature"})
        fields.append(
            QJsonObject{{"name", name}, {"value", QString(name) == "key" ? "abc-cat.png" : "v"}});
    return json({{"args", QJsonObject{{"action", action}, {"fields", fields}}},
                 {"asset", QJsonObject{{"asset_id", "abc"},
                                       {"processing_state", "incomplete"},
                                       {"websocket_url", "wss://ws.example/asset"}}}});
}

} // namespace

// The pure side of the Reddit client: the submit form and its check, every answer's
// parser (submit, lease, bucket, listings, flairs, the media websocket), finding a media
// post among the user's submissions, and the User-Agent.
class RedditAnswersTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void submitFormFollowsTheContract_data();
    void submitFormFollowsTheContract();
    void postsRedditWouldRefuseAreRefusedFirst_data();
    void postsRedditWouldRefuseAreRefusedFirst();
    void subredditNamesAreNormalised();
    void submitAnswersAreRead();
    void submitRefusalsBecomeTheirProblem();
    void unreadableSubmitAnswersAreOutcomeUnknown_data();
    void unreadableSubmitAnswersAreOutcomeUnknown();
    void leaseIsReadAndItsActionGetsAScheme();
    void unusableLeasesAreRefused_data();
    void unusableLeasesAreRefused();
    void bucketAnswersAreRead();
    void mediaTypesAreThoseRedditTakes_data();
    void mediaTypesAreThoseRedditTakes();
    void leaseFileNameNeverCarriesThePath();
    void listingsAreRead();
    void hostileListingsAreReadSafely_data();
    void hostileListingsAreReadSafely();
    void flairsAreRead();
    void websocketMessagesAreRead_data();
    void websocketMessagesAreRead();
    void postLinksGiveTheirId_data();
    void postLinksGiveTheirId();
    void mediaPostIsFoundAmongSubmissions();
    void userAgentHasTheDescriptiveForm();
};

void RedditAnswersTest::submitFormFollowsTheContract_data() {
    QTest::addColumn<Submission>("submission");
    QTest::addColumn<Fields>("expected");
    Submission self;
    self.subreddit = "r/sandbox";
    self.title = "Hello";
    self.text = "Some *markdown*";
    self.flairId = "f-1";
    self.flairText = "News";
    self.nsfw = true;
    QTest::newRow("self") << self << Fields{{"sr", "sandbox"},       {"kind", "self"},
                                            {"title", "Hello"},      {"text", "Some *markdown*"},
                                            {"flair_id", "f-1"},     {"flair_text", "News"},
                                            {"nsfw", "true"},        {"spoiler", "false"},
                                            {"sendreplies", "true"}, {"api_type", "json"}};
    Submission link;
    link.subreddit = "huntaze";
    link.kind = PostKind::Link;
    link.title = "A link";
    link.text = "ignored for links";
    link.url = " https://example.com/a?b=c ";
    link.spoiler = true;
    link.sendReplies = false;
    link.resubmit = true;
    link.validateOnSubmit = true;
    QTest::newRow("link") << link
                          << Fields{{"sr", "huntaze"},
                                    {"kind", "link"},
                                    {"title", "A link"},
                                    {"url", "https://example.com/a?b=c"},
                                    {"nsfw", "false"},
                                    {"spoiler", "true"},
                                    {"sendreplies", "false"},
                                    {"resubmit", "true"},
                                    {"validate_on_submit", "true"},
                                    {"api_type", "json"}};
    Submission video;
    video.subreddit = "sandbox";
    video.kind = PostKind::Video;
    video.title = "Clip";
    video.url = "https://bucket/v.mp4";
    video.videoPosterUrl = "https://bucket/p.jpg";
    QTest::newRow("video") << video
                           << Fields{{"sr", "sandbox"},
                                     {"kind", "video"},
                                     {"title", "Clip"},
                                     {"url", "https://bucket/v.mp4"},
                                     {"video_poster_url", "https://bucket/p.jpg"},
                                     {"nsfw", "false"},
                                     {"spoiler", "false"},
                                     {"sendreplies", "true"},
                                     {"api_type", "json"}};
    Submission gif = video;
    gif.kind = PostKind::VideoGif;
    QTest::newRow("videogif has no poster")
        << gif << Fields{{"sr", "sandbox"},       {"kind", "videogif"},
                         {"title", "Clip"},       {"url", "https://bucket/v.mp4"},
                         {"nsfw", "false"},       {"spoiler", "false"},
                         {"sendreplies", "true"}, {"api_type", "json"}};
}

void RedditAnswersTest::submitFormFollowsTheContract() {
    QFETCH(Submission, submission);
    QFETCH(Fields, expected);
    QCOMPARE(RedditSubmission::form(submission), expected);
}

void RedditAnswersTest::postsRedditWouldRefuseAreRefusedFirst_data() {
    QTest::addColumn<Submission>("submission");
    QTest::addColumn<QString>("code"); // empty: fine
    QTest::addColumn<QString>("field");
    Submission ok;
    ok.subreddit = "sandbox";
    ok.title = "Fine";
    QTest::newRow("fine") << ok << ""
                          << "";
    Submission noSub = ok;
    noSub.subreddit = " r/ ";
    QTest::newRow("no subreddit") << noSub << "SUBREDDIT_REQUIRED"
                                  << "sr";
    Submission noTitle = ok;
    noTitle.title = "   ";
    QTest::newRow("no title") << noTitle << "NO_TEXT"
                              << "title";
    Submission longTitle = ok;
    longTitle.title = QString(301, 'x');
    QTest::newRow("301 characters") << longTitle << "TOO_LONG"
                                    << "title";
    Submission exact = ok;
    exact.title = QString(300, 'x');
    QTest::newRow("300 characters") << exact << ""
                                    << "";
    Submission emoji = ok;
    emoji.title.clear();
    for (int i = 0; i < 300; ++i)
        emoji.title += QString::fromUtf8("\xF0\x9F\x98\x80"); // 600 UTF-16 units
    QTest::newRow("300 emoji are 300 characters") << emoji << ""
                                                  << "";
    Submission link = ok;
    link.kind = PostKind::Link;
    QTest::newRow("link without url") << link << "NO_URL"
                                      << "url";
    Submission video = ok;
    video.kind = PostKind::Video;
    video.url = "https://bucket/v.mp4";
    QTest::newRow("video without poster") << video << "NO_URL"
                                          << "video_poster_url";
}

void RedditAnswersTest::postsRedditWouldRefuseAreRefusedFirst() {
    QFETCH(Submission, submission);
    QFETCH(QString, code);
    QFETCH(QString, field);
    const auto problem = RedditSubmission::check(submission);
    if (code.isEmpty()) {
        QVERIFY2(!problem, qPrintable(problem ? problem->code : QString()));
        return;
    }
    QVERIFY(problem);
    QCOMPARE(problem->code, code);
    QCOMPARE(problem->field, field);
    QVERIFY(!problem->retryable);
}

void RedditAnswersTest::subredditNamesAreNormalised() {
    QCOMPARE(RedditSubmission::normaliseSubreddit("r/pics"), QString("pics"));
    QCOMPARE(RedditSubmission::normaliseSubreddit("/r/pics/"), QString("pics"));
    QCOMPARE(RedditSubmission::normaliseSubreddit(" R/pics "), QString("pics"));
    QCOMPARE(RedditSubmission::normaliseSubreddit("pics"), QString("pics"));
}

void RedditAnswersTest::submitAnswersAreRead() {
    const auto self = RedditSubmission::parseAnswer(
        200,
        json(
            {{"json",
              QJsonObject{{"errors", QJsonArray()},
                          {"data", QJsonObject{{"url", "https://www.reddit.com/r/a/comments/x1/t/"},
                                               {"id", "x1"},
                                               {"name", "t3_x1"}}}}}}),
        "a");
    QVERIFY(self);
    QCOMPARE(self->fullname, QString("t3_x1"));
    QCOMPARE(self->id, QString("x1"));
    QCOMPARE(self->url.toString(), QString("https://www.reddit.com/r/a/comments/x1/t/"));
    QVERIFY(!self->awaitingMedia());

    const auto media = RedditSubmission::parseAnswer(
        200,
        json({{"json",
               QJsonObject{
                   {"errors", QJsonArray()},
                   {"data",
                    QJsonObject{{"user_submitted_page", "https://www.reddit.com/user/u/submitted/"},
                                {"websocket_url", "wss://ws.redditmedia.com/x?m=1"}}}}}}),
        "a");
    QVERIFY(media);
    QVERIFY(media->awaitingMedia());
    QCOMPARE(media->websocketUrl.toString(), QString("wss://ws.redditmedia.com/x?m=1"));
    QCOMPARE(media->userSubmittedPage.path(), QString("/user/u/submitted/"));

    // The id alone is enough; a name without an id too.
    const auto idOnly = RedditSubmission::parseAnswer(
        200, json({{"json", QJsonObject{{"data", QJsonObject{{"id", "zz9"}}}}}}), "a");
    QVERIFY(idOnly);
    QCOMPARE(idOnly->fullname, QString("t3_zz9"));
}

void RedditAnswersTest::submitRefusalsBecomeTheirProblem() {
    const auto refused = RedditSubmission::parseAnswer(
        200,
        json({{"json",
               QJsonObject{{"errors", QJsonArray{QJsonArray{"NO_SELFS", "no text posts", "sr"},
                                                 QJsonArray{"BAD_URL", "check", "url"}}}}}}),
        "linksonly");
    QVERIFY(!refused);
    QCOMPARE(refused.error().domain, QString("reddit"));
    QCOMPARE(refused.error().code, QString("NO_SELFS"));
    QVERIFY(refused.error().message.startsWith("r/linksonly does not allow text posts"));
    QVERIFY2(refused.error().detail.contains("NO_SELFS(sr), BAD_URL(url)"),
             qPrintable(refused.error().detail));
    QCOMPARE(refused.error().httpStatus, 200);

    const auto limited = RedditSubmission::parseAnswer(
        200,
        json({{"json", QJsonObject{{"errors", QJsonArray{QJsonArray{
                                                  "RATELIMIT",
                                                  "you are doing that too much. try again in 6 "
                                                  "minutes.",
                                                  "ratelimit"}}},
                                   {"ratelimit", 371.5}}}}),
        "a");
    QVERIFY(!limited);
    QCOMPARE(limited.error().code, QString("RATELIMIT"));
    QVERIFY(limited.error().retryable);
    QCOMPARE(limited.error().retryAfter, std::chrono::seconds(372));

    const auto validation =
        RedditSubmission::parseAnswer(400,
                                      json({{"fields", QJsonArray{"title"}},
                                            {"explanation", "this is too long (max: 300)"},
                                            {"error_type", "SUBMIT_VALIDATION_ERROR"},
                                            {"message", "Bad Request"},
                                            {"reason", "TOO_LONG"}}),
                                      "a");
    QVERIFY(!validation);
    QCOMPARE(validation.error().code, QString("TOO_LONG"));
    QCOMPARE(validation.error().httpStatus, 400);
}

void RedditAnswersTest::unreadableSubmitAnswersAreOutcomeUnknown_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("<html>ok</html>");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no data") << QByteArray(R"({"json": {"errors": []}})");
    QTest::newRow("hostile id") << QByteArray(
        R"({"json": {"data": {"id": "../../x", "name": "t3_<b>"}}})");
    QTest::newRow("websocket not a websocket")
        << QByteArray(R"({"json": {"data": {"websocket_url": "javascript:void"}}})");
    QTest::newRow("huge") << QByteArray(R"({"json": {"data": {"x": ")") + QByteArray(2 << 20, 'x') +
                                 "\"}}}";
}

void RedditAnswersTest::unreadableSubmitAnswersAreOutcomeUnknown() {
    QFETCH(QByteArray, body);
    const auto answer = RedditSubmission::parseAnswer(200, body, "a");
    QVERIFY(!answer);
    QCOMPARE(answer.error().code, QString("outcome_unknown"));
    QVERIFY(!answer.error().retryable); // never resubmit blindly: it may have been posted
}

void RedditAnswersTest::leaseIsReadAndItsActionGetsAScheme() {
    const auto lease = RedditMediaLease::parseLease(
        200, leaseBody("//reddit-uploaded-media.s3-accelerate.amazonaws.com"), "https");
    QVERIFY2(lease, qPrintable(lease ? QString() : lease.error().detail));
    QCOMPARE(lease->action.toString(),
             QString("https://reddit-uploaded-media.s3-accelerate.amazonaws.com"));
    QCOMPARE(lease->fields.size(), 5);
    QCOMPARE(lease->fields.at(1), (std::pair<QString, QString>("key", "abc-cat.png")));
    QCOMPARE(lease->key, QString("abc-cat.png"));
    QCOMPARE(lease->assetId, QString("abc"));
    QCOMPARE(lease->mediaUrl().toString(),
             QString("https://reddit-uploaded-media.s3-accelerate.amazonaws.com/abc-cat.png"));
    // A plain-HTTP platform (the sandbox) keeps its own scheme.
    const auto local =
        RedditMediaLease::parseLease(200, leaseBody("//127.0.0.1:8080/reddit/s3-bucket"), "http");
    QVERIFY(local);
    QCOMPARE(local->mediaUrl().toString(),
             QString("http://127.0.0.1:8080/reddit/s3-bucket/abc-cat.png"));
    // An action that already has its scheme is left alone.
    QCOMPARE(RedditMediaLease::parseLease(200, leaseBody("https://b.example/"), "http")
                 ->mediaUrl()
                 .toString(),
             QString("https://b.example/abc-cat.png"));
}

void RedditAnswersTest::unusableLeasesAreRefused_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("400") << 400 << QByteArray(R"({"message": "Bad Request", "error": 400})")
                         << "http_400";
    QTest::newRow("403 scope") << 403 << QByteArray() << "forbidden";
    QTest::newRow("not JSON") << 200 << QByteArray("nope") << "invalid_answer";
    QTest::newRow("javascript action")
        << 200 << leaseBody("javascript:alert(1)") << "invalid_answer";
    QTest::newRow("no host") << 200 << leaseBody("//") << "invalid_answer";
    QTest::newRow("ftp") << 200 << leaseBody("ftp://b.example") << "invalid_answer";
    QByteArray noKey = leaseBody("//b.example");
    noKey.replace("\"key\"", "\"kee\"");
    QTest::newRow("no key") << 200 << noKey << "invalid_answer";
    QByteArray fileField = leaseBody("//b.example");
    fileField.replace("\"acl\"", "\"file\"");
    QTest::newRow("a field named file") << 200 << fileField << "invalid_answer";
    QJsonArray many;
    for (int i = 0; i < 100; ++i)
        many.append(QJsonObject{{"name", QString("f%1").arg(i)}, {"value", "v"}});
    QTest::newRow("100 fields") << 200
                                << json({{"args", QJsonObject{{"action", "//b.example"},
                                                              {"fields", many}}}})
                                << "invalid_answer";
}

void RedditAnswersTest::unusableLeasesAreRefused() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    const auto lease = RedditMediaLease::parseLease(status, body, "https");
    QVERIFY(!lease);
    QCOMPARE(lease.error().code, code);
}

void RedditAnswersTest::bucketAnswersAreRead() {
    const auto lease = RedditMediaLease::parseLease(200, leaseBody("//b.example"), "https");
    QVERIFY(lease);
    const auto ok = RedditMediaLease::parseUploadAnswer(
        201,
        "<?xml version=\"1.0\"?><PostResponse><Location>https://b.example/abc-cat.png</Location>"
        "<Key>abc-cat.png</Key></PostResponse>",
        *lease, "image/png");
    QVERIFY(ok);
    QCOMPARE(ok->url.toString(), QString("https://b.example/abc-cat.png"));
    QCOMPARE(ok->location, QString("https://b.example/abc-cat.png"));
    QCOMPARE(ok->mimeType, QString("image/png"));
    const auto tooLarge = RedditMediaLease::parseUploadAnswer(
        400,
        "<Error><Code>EntityTooLarge</Code><Message>too big</Message><ProposedSize>2000"
        "</ProposedSize><MaxSizeAllowed>1000</MaxSizeAllowed></Error>",
        *lease, "video/mp4");
    QVERIFY(!tooLarge);
    QCOMPARE(tooLarge.error().code, QString("upload/EntityTooLarge"));
    QVERIFY(tooLarge.error().message.startsWith("The video is"));
    QVERIFY(tooLarge.error().detail.contains("EntityTooLarge"));
}

void RedditAnswersTest::mediaTypesAreThoseRedditTakes_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("type");
    QTest::newRow("jpg") << "/a/b.jpg"
                         << "image/jpeg";
    QTest::newRow("JPEG") << "C:/x/Y.JPEG"
                          << "image/jpeg";
    QTest::newRow("png") << "x.png"
                         << "image/png";
    QTest::newRow("gif") << "x.gif"
                         << "image/gif";
    QTest::newRow("mp4") << "clip.mp4"
                         << "video/mp4";
    QTest::newRow("mov") << "clip.MOV"
                         << "video/quicktime";
    QTest::newRow("webp") << "x.webp"
                          << "";
    QTest::newRow("mkv") << "x.mkv"
                         << "";
    QTest::newRow("no extension") << "README"
                                  << "";
}

void RedditAnswersTest::mediaTypesAreThoseRedditTakes() {
    QFETCH(QString, path);
    QFETCH(QString, type);
    QCOMPARE(RedditMediaLease::mimeTypeFor(path), type);
}

void RedditAnswersTest::leaseFileNameNeverCarriesThePath() {
    QCOMPARE(RedditMediaLease::leaseFileName("/home/alice/secret project/cat photo.png"),
             QString("cat_photo.png"));
    QCOMPARE(RedditMediaLease::leaseFileName("/home/me/My \"cat\".png"), QString("My_cat_.png"));
    QCOMPARE(RedditMediaLease::leaseFileName(""), QString("upload"));
    QCOMPARE(RedditMediaLease::leaseFileName(QString(300, 'a') + ".jpg").size(), 100);
    QVERIFY(RedditMediaLease::leaseFileName(QString(300, 'a') + ".jpg").endsWith(".jpg"));
}

void RedditAnswersTest::listingsAreRead() {
    const QByteArray body = listing(
        {thing({{"id", "abc"},
                {"name", "t3_abc"},
                {"title", "Ben & Jerry's <3"},
                {"subreddit", "sandbox"},
                {"author", "sbx_alice"},
                {"permalink", "/r/sandbox/comments/abc/ben/"},
                {"url", "https://example.com/x?a=1&b=2"},
                {"score", 12},
                {"num_comments", 3},
                {"upvote_ratio", 0.92},
                {"created_utc", 1700000000.0},
                {"removed_by_category", QJsonValue()},
                {"over_18", true}}),
         QJsonObject{{"kind", "t1"}, {"data", QJsonObject{{"id", "c1"}}}}, // a comment: skipped
         thing({{"id", "def"}, {"removed_by_category", "moderator"}})},
        "t3_def");
    const auto parsed = RedditListing::parseListing(200, body);
    QVERIFY(parsed);
    QCOMPARE(parsed->posts.size(), 2);
    const PostInfo &first = parsed->posts.first();
    QCOMPARE(first.fullname, QString("t3_abc"));
    QCOMPARE(first.title, QString("Ben & Jerry's <3"));
    QCOMPARE(first.permalink, QString("/r/sandbox/comments/abc/ben/"));
    QCOMPARE(first.score, 12);
    QCOMPARE(first.numComments, 3);
    QCOMPARE(first.upvoteRatio, 0.92);
    QCOMPARE(first.createdUtc, qint64(1700000000));
    QVERIFY(first.nsfw);
    QVERIFY(first.removedByCategory.isEmpty());
    QCOMPARE(parsed->posts.last().removedByCategory, QString("moderator"));
    QCOMPARE(parsed->after, QString("t3_def"));
}

void RedditAnswersTest::hostileListingsAreReadSafely_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code"); // empty: read, with `posts` posts
    QTest::addColumn<int>("posts");
    QTest::newRow("401") << 401 << QByteArray() << "unauthorized" << 0;
    QTest::newRow("500") << 500 << QByteArray("<html>") << "server_error" << 0;
    QTest::newRow("not JSON") << 200 << QByteArray("{") << "invalid_answer" << 0;
    QTest::newRow("not a Listing")
        << 200 << QByteArray(R"({"kind": "t3"})") << "invalid_answer" << 0;
    QTest::newRow("bad ids skipped")
        << 200 << listing({thing({{"id", "../x"}}), thing({{"id", 5}}), thing({{"id", "ok1"}})})
        << "" << 1;
    QTest::newRow("wrong types") << 200
                                 << listing({thing({{"id", "ok1"},
                                                    {"score", "12"},
                                                    {"num_comments", 1e300},
                                                    {"upvote_ratio", 7},
                                                    {"created_utc", -5},
                                                    {"title", 42}})})
                                 << "" << 1;
    QJsonArray many;
    for (int i = 0; i < 300; ++i)
        many.append(thing({{"id", QString("p%1").arg(i)}}));
    QTest::newRow("300 posts: 100 read") << 200 << listing(many) << "" << 100;
    QTest::newRow("after not a fullname") << 200 << listing({}, "javascript:x") << "" << 0;
}

void RedditAnswersTest::hostileListingsAreReadSafely() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(int, posts);
    const auto parsed = RedditListing::parseListing(status, body);
    if (!code.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(parsed->posts.size(), posts);
    QVERIFY(parsed->after.isEmpty());
    for (const PostInfo &post : parsed->posts) {
        QVERIFY(post.numComments >= 0);
        QVERIFY(post.upvoteRatio >= 0 && post.upvoteRatio <= 1);
        QVERIFY(post.createdUtc >= 0);
    }
}

void RedditAnswersTest::flairsAreRead() {
    const QByteArray body =
        QJsonDocument(QJsonArray{
                          QJsonObject{{"id", "0d8c0a2e-1b2c-11ee-9f8e-000000000001"},
                                      {"text", "News"},
                                      {"type", "text"},
                                      {"text_editable", false},
                                      {"mod_only", false},
                                      {"background_color", "#ff4500"},
                                      {"text_color", "light"}},
                          QJsonObject{{"id", "bad id!"}, {"text", "skipped"}},
                          QJsonObject{{"id", "f2"},
                                      {"text", "Editable"},
                                      {"text_editable", true},
                                      {"mod_only", true}},
                      })
            .toJson();
    const auto flairs = RedditListing::parseFlairs(200, body, "sandbox");
    QVERIFY(flairs);
    QCOMPARE(flairs->size(), 2);
    QCOMPARE(flairs->at(0).text, QString("News"));
    QCOMPARE(flairs->at(0).backgroundColor, QString("#ff4500"));
    QVERIFY(flairs->at(1).textEditable);
    QVERIFY(flairs->at(1).modOnly);
    QCOMPARE(RedditListing::parseFlairs(200, "{}", "x").error().code, QString("invalid_answer"));
    const auto missing = RedditListing::parseFlairs(404, "{}", "nosuchsub");
    QCOMPARE(missing.error().code, QString("subreddit_not_found"));
    QVERIFY(missing.error().message.contains("r/nosuchsub"));
}

void RedditAnswersTest::websocketMessagesAreRead_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type"); // MediaMessage::Type
    QTest::addColumn<QString>("detail");
    QTest::newRow("success")
        << QByteArray(
               R"({"type": "success", "payload": {"redirect": "https://www.reddit.com/r/a/comments/x1/t/"}})")
        << int(MediaMessage::Type::Success) << "https://www.reddit.com/r/a/comments/x1/t/";
    QTest::newRow("failed")
        << QByteArray(R"({"type": "failed", "payload": {"message": "could not process"}})")
        << int(MediaMessage::Type::Failed) << "could not process";
    QTest::newRow("success without redirect")
        << QByteArray(R"({"type": "success"})") << int(MediaMessage::Type::Other) << "";
    QTest::newRow("javascript redirect")
        << QByteArray(R"({"type": "success", "payload": {"redirect": "javascript:x"}})")
        << int(MediaMessage::Type::Other) << "";
    QTest::newRow("other type") << QByteArray(R"({"type": "ping"})")
                                << int(MediaMessage::Type::Other) << "";
    QTest::newRow("not JSON") << QByteArray("hello") << int(MediaMessage::Type::Other) << "";
    QTest::newRow("huge") << QByteArray(R"({"type": "failed", "payload": {"message": ")") +
                                 QByteArray(100000, 'm') + "\"}}"
                          << int(MediaMessage::Type::Other) << "";
}

void RedditAnswersTest::websocketMessagesAreRead() {
    QFETCH(QByteArray, text);
    QFETCH(int, type);
    QFETCH(QString, detail);
    const MediaMessage message = RedditMediaWatch::parseMessage(text);
    QCOMPARE(int(message.type), type);
    if (message.type == MediaMessage::Type::Success)
        QCOMPARE(message.redirect.toString(), detail);
    if (message.type == MediaMessage::Type::Failed)
        QCOMPARE(message.message, detail);
}

void RedditAnswersTest::postLinksGiveTheirId_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("permalink");
    QTest::addColumn<QString>("id");
    QTest::newRow("reddit") << "https://www.reddit.com/r/pics/comments/abc12/my_cat/"
                            << "/r/pics/comments/abc12/my_cat/"
                            << "abc12";
    QTest::newRow("under a prefix") << "http://127.0.0.1:5000/reddit/r/sandbox/comments/9z/t/"
                                    << "/r/sandbox/comments/9z/t/"
                                    << "9z";
    QTest::newRow("no slug") << "https://www.reddit.com/r/pics/comments/abc12"
                             << "/r/pics/comments/abc12"
                             << "abc12";
    QTest::newRow("user page") << "https://www.reddit.com/user/u/submitted/"
                               << ""
                               << "";
    QTest::newRow("bad id") << "https://www.reddit.com/r/pics/comments/ABC!/x/"
                            << ""
                            << "";
}

void RedditAnswersTest::postLinksGiveTheirId() {
    QFETCH(QString, url);
    QFETCH(QString, permalink);
    QFETCH(QString, id);
    QCOMPARE(RedditMediaWatch::permalinkIn(QUrl(url)), permalink);
    QCOMPARE(RedditMediaWatch::idInPermalink(permalink), id);
}

void RedditAnswersTest::mediaPostIsFoundAmongSubmissions() {
    const auto post = [](const char *id, const char *sub, const char *title, const char *url,
                         qint64 created) {
        PostInfo p;
        p.id = id;
        p.fullname = QString("t3_") + id;
        p.subreddit = sub;
        p.title = title;
        p.url = url;
        p.createdUtc = created;
        return p;
    };
    const QList<PostInfo> posts{
        post("n1", "pics", "Another", "https://i.redd.it/n1.png", 2000),
        post("m1", "pics", "My cat", "https://i.redd.it/m1.png", 1990),
        post("u1", "pics", "Old cat", "https://bucket/abc-cat.png", 100),
        post("o1", "pics", "My cat", "https://i.redd.it/o1.png", 100),
    };
    MediaPostMatch match;
    match.subreddit = "PICS";
    match.title = "My cat";
    match.submittedAtUtc = 1995;
    // The uploaded URL wins wherever it is.
    match.mediaUrl = QUrl("https://bucket/abc-cat.png");
    QCOMPARE(RedditMediaWatch::findPost(posts, match)->id, QString("u1"));
    // Otherwise the newest with this title in this subreddit (clocks may differ a little).
    match.mediaUrl = QUrl("https://bucket/other.png");
    QCOMPARE(RedditMediaWatch::findPost(posts, match)->id, QString("m1"));
    // A same-titled post from long before the submit is not this one.
    match.submittedAtUtc = 5000;
    QVERIFY(!RedditMediaWatch::findPost(posts, match));
    match.submittedAtUtc = 0;
    match.subreddit = "other";
    QVERIFY(!RedditMediaWatch::findPost(posts, match));
}

void RedditAnswersTest::userAgentHasTheDescriptiveForm() {
    const QByteArray agent =
        RedditUserAgent::make("desktop", "com.huntaze.app", "1.4.0", "/u/huntaze_dev");
    QCOMPARE(agent, QByteArray("desktop:com.huntaze.app:1.4.0 (by /u/huntaze_dev)"));
    QVERIFY(RedditUserAgent::isDescriptive(agent));
    // Parts that would break the format are mended.
    const QByteArray mended =
        RedditUserAgent::make("my desktop", "com:huntaze", "1.0 beta", "bad name!");
    QCOMPARE(mended, QByteArray("my-desktop:com-huntaze:1.0-beta (by /u/bad_name_)"));
    QVERIFY(RedditUserAgent::isDescriptive(mended));
    QVERIFY(RedditUserAgent::isDescriptive(RedditUserAgent::make("", "", "", "")));
    for (const QByteArray &generic :
         {QByteArray("Mozilla/5.0"), QByteArray("python-requests/2.31"), QByteArray("curl/8"),
          QByteArray(), QByteArray("Qt/6.4"), QByteArray("huntaze"), QByteArray("desktop:app:1.0"),
          QByteArray("Mozilla/5.0 desktop:a:1 (by /u/x)")})
        QVERIFY2(!RedditUserAgent::isDescriptive(generic), generic.constData());
    QVERIFY(RedditUserAgent::isDescriptive("python:com.example.bot:v2 (by /u/someone)"));
}

QTEST_GUILESS_MAIN(RedditAnswersTest)
#include "tst_redditanswers.moc"
