#include "platforms/x/xanswers.h"
#include "platforms/x/xpostrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace huntaze::x;

namespace {

constexpr qint64 kNow = 1'760'000'000;

HttpAnswer answer(int status, const QByteArray &body) {
    HttpAnswer a;
    a.status = status;
    a.body = body;
    a.nowEpoch = kNow;
    return a;
}

QByteArray json(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

// XAnswers: every answer the X client reads, parsed without a network; and the post
// body builder that refuses what X would certainly refuse.
class XAnswersTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void postAnswerGivesIdTextAndLimits();
    void unusable2xxPostAnswerIsOutcomeUnknown_data();
    void unusable2xxPostAnswerIsOutcomeUnknown();
    void serverErrorToAPostIsOutcomeUnknown_data();
    void serverErrorToAPostIsOutcomeUnknown();
    void errorAnswersBecomeXErrors();
    void initializeAnswerGivesTheUploadSession();
    void initializeWithoutAnIdIsRetryable();
    void appendAnswerGivesItsExpiry();
    void finalizeWithoutProcessingIsReady();
    void finalizeWithProcessingSaysWhenToCheck();
    void processingStatesAreRead_data();
    void processingStatesAreRead();
    void processingFailureKeepsXsReason();
    void lookupReadsMetricsAndSortsItsErrors();
    void lookupRefusesWhatIsNotALookup_data();
    void lookupRefusesWhatIsNotALookup();
    void hostileCountsReadAsZero();
    void postBodyFollowsTheContract();
    void postBodyRefusesWhatXWouldRefuse_data();
    void postBodyRefusesWhatXWouldRefuse();
    void idsAreDigitsOnly_data();
    void idsAreDigitsOnly();
};

void XAnswersTest::postAnswerGivesIdTextAndLimits() {
    HttpAnswer a = answer(201, R"({"data":{"id":"1870000000000004097","text":"hello",
"edit_history_tweet_ids":["1870000000000004097"]}})");
    a.limits.userDay.remaining = 2399;
    a.limits.userDay.resetEpoch = kNow + 86400;
    const auto post = XAnswers::parsePost(a);
    QVERIFY(post);
    QCOMPARE(post->id, QString("1870000000000004097"));
    QCOMPARE(post->text, QString("hello"));
    QCOMPARE(post->limits.userDay.remaining, 2399);
}

void XAnswersTest::unusable2xxPostAnswerIsOutcomeUnknown_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("created");
    QTest::newRow("no data") << QByteArray(R"({"id":"1"})");
    QTest::newRow("id as number") << QByteArray(R"({"data":{"id":1870000000000004097}})");
    QTest::newRow("id not digits") << QByteArray(R"({"data":{"id":"../../etc"}})");
    QTest::newRow("id too long") << QByteArray(R"({"data":{"id":"12345678901234567890"}})");
}

void XAnswersTest::serverErrorToAPostIsOutcomeUnknown_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("503 problem") << 503
                                 << QByteArray(R"({"title":"Service Unavailable","status":503})");
    QTest::newRow("500 empty") << 500 << QByteArray();
    QTest::newRow("502 gateway page") << 502 << QByteArray("<html>Bad gateway</html>");
    QTest::newRow("408 timeout") << 408 << QByteArray();
}

void XAnswersTest::serverErrorToAPostIsOutcomeUnknown() {
    // X may have created the post before its front failed: look, never post again blindly.
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const auto post = XAnswers::parsePost(answer(status, body));
    QVERIFY(!post);
    QCOMPARE(post.error().code, QString("outcome_unknown"));
    QVERIFY(!post.error().retryable);
    QVERIFY(post.error().message.contains(QString::number(status)));
}

void XAnswersTest::unusable2xxPostAnswerIsOutcomeUnknown() {
    QFETCH(QByteArray, body);
    const auto post = XAnswers::parsePost(answer(201, body));
    QVERIFY(!post);
    QCOMPARE(post.error().code, QString("outcome_unknown"));
    QVERIFY(!post.error().retryable); // never post again blindly
    QCOMPARE(post.error().domain, QString("x"));
}

void XAnswersTest::errorAnswersBecomeXErrors() {
    const auto duplicate = XAnswers::parsePost(answer(
        403,
        R"({"type":"about:blank","title":"Forbidden","status":403,"detail":"You are not allowed to create a Tweet with duplicate content."})"));
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, QString("duplicate_content"));
    QCOMPARE(duplicate.error().httpStatus, 403);
    HttpAnswer limited = answer(429, R"({"title":"Too Many Requests","status":429})");
    limited.limits.window.remaining = 0;
    limited.limits.window.resetEpoch = kNow + 120;
    const auto status = XAnswers::parseStatus(limited);
    QCOMPARE(status.error().code, QString("rate_limited"));
    QCOMPARE(status.error().retryAfter->count(), 120);
    QCOMPARE(XAnswers::parseAppend(answer(500, {})).error().code, QString("server_error"));
    QCOMPARE(XAnswers::parseLookup(answer(401, {})).error().code, QString("token_invalid"));
}

void XAnswersTest::initializeAnswerGivesTheUploadSession() {
    const auto session = XAnswers::parseInitialize(answer(
        200,
        R"({"data":{"id":"1870000000000008193","media_key":"7_1870000000000008193","expires_after_secs":86400}})"));
    QVERIFY(session);
    QCOMPARE(session->mediaId, QString("1870000000000008193"));
    QCOMPARE(session->mediaKey, QString("7_1870000000000008193"));
    QCOMPARE(session->expiresAfterSecs, 86400);
    // The older field name, and a media key that is not one.
    const auto older = XAnswers::parseInitialize(
        answer(200, R"({"data":{"media_id_string":"42","media_key":"<x>"}})"));
    QVERIFY(older);
    QCOMPARE(older->mediaId, QString("42"));
    QVERIFY(older->mediaKey.isEmpty());
}

void XAnswersTest::initializeWithoutAnIdIsRetryable() {
    const auto session = XAnswers::parseInitialize(answer(200, R"({"data":{}})"));
    QVERIFY(!session);
    QCOMPARE(session.error().code, QString("invalid_answer"));
    QVERIFY(session.error().retryable);
}

void XAnswersTest::appendAnswerGivesItsExpiry() {
    QCOMPARE(*XAnswers::parseAppend(answer(200, R"({"data":{"expires_at":1760086400}})")),
             1760086400);
    // A 2xx is enough: the segment is stored, whatever the body says.
    QCOMPARE(*XAnswers::parseAppend(answer(204, {})), 0);
    QCOMPARE(*XAnswers::parseAppend(answer(200, "garbage")), 0);
}

void XAnswersTest::finalizeWithoutProcessingIsReady() {
    const auto finalized = XAnswers::parseFinalize(answer(
        200,
        R"({"data":{"id":"11","media_key":"3_11","size":300000,"expires_after_secs":86399}})"));
    QVERIFY(finalized);
    QCOMPARE(finalized->size, 300000);
    QCOMPARE(finalized->expiresAfterSecs, 86399);
    QVERIFY(!finalized->processing);
}

void XAnswersTest::finalizeWithProcessingSaysWhenToCheck() {
    const auto finalized = XAnswers::parseFinalize(answer(
        200,
        R"({"data":{"id":"12","media_key":"7_12","size":5,"processing_info":{"state":"pending","check_after_secs":1}}})"));
    QVERIFY(finalized);
    QVERIFY(finalized->processing);
    QCOMPARE(finalized->processing->state, Processing::State::Pending);
    QCOMPARE(finalized->processing->checkAfterSecs, 1);
    QCOMPARE(finalized->processing->progressPercent, -1);
}

void XAnswersTest::processingStatesAreRead_data() {
    QTest::addColumn<QByteArray>("info");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("checkAfter");
    QTest::addColumn<int>("percent");
    QTest::newRow("pending") << QByteArray(R"({"state":"pending","check_after_secs":1})")
                             << int(Processing::State::Pending) << 1 << -1;
    QTest::newRow("in progress")
        << QByteArray(R"({"state":"in_progress","check_after_secs":2,"progress_percent":37})")
        << int(Processing::State::InProgress) << 2 << 37;
    QTest::newRow("succeeded") << QByteArray(R"({"state":"succeeded","progress_percent":100})")
                               << int(Processing::State::Succeeded) << 0 << 100;
    QTest::newRow("failed") << QByteArray(R"({"state":"failed","progress_percent":50})")
                            << int(Processing::State::Failed) << 0 << 50;
    QTest::newRow("unknown state keeps waiting")
        << QByteArray(R"({"state":"transcoding","check_after_secs":3})")
        << int(Processing::State::InProgress) << 3 << -1;
    QTest::newRow("absurd numbers are bounded")
        << QByteArray(R"({"state":"in_progress","check_after_secs":1e12,"progress_percent":900})")
        << int(Processing::State::InProgress) << 86400 << 100;
    QTest::newRow("negative numbers")
        << QByteArray(R"({"state":"in_progress","check_after_secs":-5,"progress_percent":-1})")
        << int(Processing::State::InProgress) << 0 << 0;
}

void XAnswersTest::processingStatesAreRead() {
    QFETCH(QByteArray, info);
    QFETCH(int, state);
    QFETCH(int, checkAfter);
    QFETCH(int, percent);
    const auto status = XAnswers::parseStatus(
        answer(200, R"({"data":{"id":"12","processing_info":)" + info + "}}"));
    QVERIFY(status);
    QVERIFY(status->processing);
    QCOMPARE(int(status->processing->state), state);
    QCOMPARE(status->processing->checkAfterSecs, checkAfter);
    QCOMPARE(status->processing->progressPercent, percent);
}

void XAnswersTest::processingFailureKeepsXsReason() {
    const auto processing = XAnswers::parseProcessing(
        QJsonDocument::fromJson(
            R"({"state":"failed","error":{"code":1,"name":"InvalidMedia","message":"Duration too long"}})")
            .object());
    QVERIFY(processing);
    QCOMPARE(processing->errorName, QString("InvalidMedia"));
    QCOMPARE(processing->errorMessage, QString("Duration too long"));
    QVERIFY(!XAnswers::parseProcessing(QJsonValue("failed")));
    QVERIFY(!XAnswers::parseProcessing(QJsonObject{{"check_after_secs", 1}}));
}

void XAnswersTest::lookupReadsMetricsAndSortsItsErrors() {
    const QJsonObject body{
        {"data",
         QJsonArray{QJsonObject{{"id", "100"},
                                {"text", "mine"},
                                {"public_metrics", QJsonObject{{"retweet_count", 1},
                                                               {"reply_count", 2},
                                                               {"like_count", 3},
                                                               {"quote_count", 4},
                                                               {"bookmark_count", 5},
                                                               {"impression_count", 6}}},
                                {"non_public_metrics", QJsonObject{{"impression_count", 6},
                                                                   {"url_link_clicks", 7},
                                                                   {"user_profile_clicks", 8}}}},
                    QJsonObject{{"id", "bogus"}}}},
        {"errors",
         QJsonArray{
             QJsonObject{{"resource_id", "200"},
                         {"type", "https://api.twitter.com/2/problems/not-authorized-for-field"}},
             QJsonObject{{"value", "300"},
                         {"type", "https://api.twitter.com/2/problems/resource-not-found"}},
             QJsonObject{{"resource_id", "400"},
                         {"type", "https://api.twitter.com/2/problems/not-authorized-for-"
                                  "resource"}},
             QJsonObject{{"resource_id", "evil/../1"}, {"type", "x"}}}}};
    const auto lookup = XAnswers::parseLookup(answer(200, json(body)));
    QVERIFY(lookup);
    QCOMPARE(lookup->posts.size(), 1);
    const PostMetrics &post = lookup->posts.first();
    QCOMPARE(post.id, QString("100"));
    QCOMPARE(post.publicMetrics->retweets, 1);
    QCOMPARE(post.publicMetrics->replies, 2);
    QCOMPARE(post.publicMetrics->likes, 3);
    QCOMPARE(post.publicMetrics->quotes, 4);
    QCOMPARE(post.publicMetrics->bookmarks, 5);
    QCOMPARE(post.publicMetrics->impressions, 6);
    QCOMPARE(post.nonPublicMetrics->impressions, 6);
    QCOMPARE(post.nonPublicMetrics->urlLinkClicks, 7);
    QCOMPARE(post.nonPublicMetrics->userProfileClicks, 8);
    QCOMPARE(lookup->nonPublicRefused, QStringList{"200"});
    QCOMPARE(lookup->notFound, QStringList{"300"});
    QCOMPARE(lookup->unavailable, QStringList{"400"});
    // Errors alone (every id gone) is a valid answer.
    const auto gone = XAnswers::parseLookup(answer(200, json({{"errors", body["errors"]}})));
    QVERIFY(gone);
    QVERIFY(gone->posts.isEmpty());
}

void XAnswersTest::lookupRefusesWhatIsNotALookup_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("data as object") << QByteArray(R"({"data":{"id":"1"}})");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("html") << QByteArray("<html>");
    QTest::newRow("over 4 MiB") << QByteArray(R"({"data":[)") + QByteArray(5 << 20, ' ') + "]}";
}

void XAnswersTest::lookupRefusesWhatIsNotALookup() {
    QFETCH(QByteArray, body);
    const auto lookup = XAnswers::parseLookup(answer(200, body));
    QVERIFY(!lookup);
    QCOMPARE(lookup.error().code, QString("invalid_answer"));
    QVERIFY(lookup.error().retryable);
}

void XAnswersTest::hostileCountsReadAsZero() {
    const auto lookup = XAnswers::parseLookup(answer(
        200,
        R"({"data":[{"id":"1","public_metrics":{"like_count":-3,"reply_count":1e300,"retweet_count":2.5,"quote_count":"7","bookmark_count":null,"impression_count":"lots"}}]})"));
    QVERIFY(lookup);
    const PublicMetrics m = *lookup->posts.first().publicMetrics;
    QCOMPARE(m.likes, 0);
    QCOMPARE(m.replies, 0);
    QCOMPARE(m.retweets, 0);
    QCOMPARE(m.quotes, 7);
    QCOMPARE(m.bookmarks, 0);
    QCOMPARE(m.impressions, 0);
    QVERIFY(!lookup->posts.first().nonPublicMetrics);
}

void XAnswersTest::postBodyFollowsTheContract() {
    PostRequest text;
    text.text = "hello";
    QCOMPARE(*postJson(text), (QJsonObject{{"text", "hello"}}));

    PostRequest media;
    media.text = "two photos";
    media.mediaIds = {"11", "12"};
    media.replySettings = ReplySettings::MentionedUsers;
    media.inReplyToId = "99";
    QCOMPARE(*postJson(media),
             (QJsonObject{{"text", "two photos"},
                          {"media", QJsonObject{{"media_ids", QJsonArray{"11", "12"}}}},
                          {"reply", QJsonObject{{"in_reply_to_tweet_id", "99"}}},
                          {"reply_settings", "mentionedUsers"}}));

    PostRequest mediaOnly;
    mediaOnly.mediaIds = {"13"};
    QCOMPARE(*postJson(mediaOnly),
             (QJsonObject{{"media", QJsonObject{{"media_ids", QJsonArray{"13"}}}}}));

    PostRequest poll;
    poll.text = "which?";
    poll.pollOptions = {"a", "b"};
    poll.pollDurationMinutes = 60;
    QCOMPARE(postJson(poll)->value("poll").toObject(),
             (QJsonObject{{"options", QJsonArray{"a", "b"}}, {"duration_minutes", 60}}));

    PostRequest quote;
    quote.text = "look";
    quote.quotePostId = "77";
    quote.replySettings = ReplySettings::Following;
    QCOMPARE(postJson(quote)->value("quote_tweet_id").toString(), QString("77"));
    QCOMPARE(postJson(quote)->value("reply_settings").toString(), QString("following"));

    // X weighs an emoji 2 (140 fit, 141 do not) and a link 23 whatever its length.
    PostRequest emoji;
    emoji.text = QString::fromUtf8("\xF0\x9F\x98\x80").repeated(140);
    QVERIFY(postJson(emoji));
    emoji.text += QString::fromUtf8("\xF0\x9F\x98\x80");
    QCOMPARE(postJson(emoji).error().code, QString("invalid_post"));
    PostRequest longLink;
    longLink.text =
        QString("a").repeated(250) + " https://example.com/" + QString("p").repeated(200);
    QVERIFY(postJson(longLink));
}

void XAnswersTest::postBodyRefusesWhatXWouldRefuse_data() {
    QTest::addColumn<QString>("what");
    QTest::newRow("nothing") << "nothing";
    QTest::newRow("blank text") << "blank";
    QTest::newRow("281 characters") << "long";
    QTest::newRow("five media") << "five";
    QTest::newRow("media id not digits") << "badmedia";
    QTest::newRow("media and poll") << "mediapoll";
    QTest::newRow("media and quote") << "mediaquote";
    QTest::newRow("poll and quote") << "pollquote";
    QTest::newRow("poll of one") << "pollone";
    QTest::newRow("poll of five") << "pollfive";
    QTest::newRow("poll option of 26") << "polllong";
    QTest::newRow("poll option blank") << "pollblank";
    QTest::newRow("poll of 4 minutes") << "pollshort";
    QTest::newRow("poll of 10081 minutes") << "polllong2";
    QTest::newRow("reply id not digits") << "badreply";
    QTest::newRow("quote id not digits") << "badquote";
}

void XAnswersTest::postBodyRefusesWhatXWouldRefuse() {
    QFETCH(QString, what);
    PostRequest post;
    post.text = "hi";
    const auto poll = [&post](QStringList options, int minutes) {
        post.pollOptions = options;
        post.pollDurationMinutes = minutes;
    };
    if (what == "nothing")
        post.text.clear();
    else if (what == "blank")
        post.text = "  \n ";
    else if (what == "long")
        post.text = QString(281, 'a');
    else if (what == "five")
        post.mediaIds = {"1", "2", "3", "4", "5"};
    else if (what == "badmedia")
        post.mediaIds = {"1/../2"};
    else if (what == "mediapoll") {
        post.mediaIds = {"1"};
        poll({"a", "b"}, 60);
    } else if (what == "mediaquote") {
        post.mediaIds = {"1"};
        post.quotePostId = "2";
    } else if (what == "pollquote") {
        poll({"a", "b"}, 60);
        post.quotePostId = "2";
    }
    if (what == "pollone")
        poll({"a"}, 60);
    else if (what == "pollfive")
        poll({"a", "b", "c", "d", "e"}, 60);
    else if (what == "polllong")
        poll({"a", QString(26, 'b')}, 60);
    else if (what == "pollblank")
        poll({"a", " "}, 60);
    else if (what == "pollshort")
        poll({"a", "b"}, 4);
    else if (what == "polllong2")
        poll({"a", "b"}, 10081);
    else if (what == "badreply")
        post.inReplyToId = "abc";
    else if (what == "badquote")
        post.quotePostId = "1 OR 1=1";
    const auto body = postJson(post);
    QVERIFY(!body);
    QCOMPARE(body.error().code, QString("invalid_post"));
    QCOMPARE(body.error().domain, QString("x"));
    QVERIFY(body.error().message.endsWith('.'));
}

void XAnswersTest::idsAreDigitsOnly_data() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("snowflake") << "1870000000000004097" << true;
    QTest::newRow("short") << "7" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("20 digits") << "18700000000000040971" << false;
    QTest::newRow("letters") << "12a" << false;
    QTest::newRow("path") << "../1" << false;
    QTest::newRow("arabic-indic digits") << QString::fromUtf8("\xD9\xA1\xD9\xA2") << false;
}

void XAnswersTest::idsAreDigitsOnly() {
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(isXId(id), valid);
}

QTEST_GUILESS_MAIN(XAnswersTest)
#include "tst_xanswers.moc"
