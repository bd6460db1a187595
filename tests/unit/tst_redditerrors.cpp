#include "platforms/reddit/redditerrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace huntaze::reddit;

Q_DECLARE_METATYPE(Action)

namespace {

// What every message shown to a creator must look like.
void verifyReadable(const Problem &p) {
    QVERIFY2(!p.message.isEmpty(), qPrintable(p.code));
    // A sentence starts with a capital, or with a subreddit's name ("r/pics does not...").
    QVERIFY2(p.message.at(0).isUpper() || p.message.startsWith("r/"), qPrintable(p.message));
    QVERIFY2(p.message.endsWith('.'), qPrintable(p.message));
    QVERIFY2(!p.message.contains('\n'), qPrintable(p.message));
    QVERIFY2(p.message.size() < 600, qPrintable(p.message));
    QVERIFY2(!p.message.contains(QRegularExpression("\\bHTTP\\b")), qPrintable(p.message));
    QVERIFY2(!p.message.contains("%1") && !p.message.contains("%2"), qPrintable(p.message));
    // The queue keeps the Error: its code alone must say what to do.
    QCOMPARE(actionFor(toError(p)), p.action);
}

SubmitError entry(const QString &code, const QString &message = {}, const QString &field = {}) {
    return SubmitError{code, message, field};
}

// json.errors made of these entries (a list, so one entry is never mistaken for the array).
QByteArray errorsBody(const QList<QJsonValue> &entries) {
    QJsonArray errors;
    for (const QJsonValue &e : entries)
        errors.append(e);
    return QJsonDocument(QJsonObject{{"json", QJsonObject{{"errors", errors}}}}).toJson();
}

} // namespace

// The Reddit error catalogue: every json.errors code of reddit.md, the HTTP-level
// failures, the media bucket's refusals and the waits Reddit names in its own words.
class RedditErrorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everySubmitCodeHasItsActionAndMessage_data();
    void everySubmitCodeHasItsActionAndMessage();
    void messagesNameTheSubredditOnlyWhenItIsAName();
    void fieldDecidesWhatTheMessageAsksFor_data();
    void fieldDecidesWhatTheMessageAsksFor();
    void rateLimitWaitIsReadFromRedditsWords_data();
    void rateLimitWaitIsReadFromRedditsWords();
    void rateLimitProblemWaitsAsLongAsRedditAsks_data();
    void rateLimitProblemWaitsAsLongAsRedditAsks();
    void quotaFilledWaitsForTheQuota();
    void httpFailuresHaveTheirAction_data();
    void httpFailuresHaveTheirAction();
    void tooManyRequestsWaitsForTheReset();
    void submitValidationErrorIsReadLikeJsonErrors_data();
    void submitValidationErrorIsReadLikeJsonErrors();
    void submitErrorsAreReadFromHostileBodies_data();
    void submitErrorsAreReadFromHostileBodies();
    void oversizedBodiesAreNotRead();
    void bucketRefusalsHaveTheirAction_data();
    void bucketRefusalsHaveTheirAction();
    void tooLargeUploadSaysBothSizes();
    void mediaFailureQuotesRedditCleanly();
    void localFailuresAreReadable();
    void platformTextIsCleanedBeforeQuoting_data();
    void platformTextIsCleanedBeforeQuoting();
    void toErrorCarriesTheProblem();
};

void RedditErrorsTest::everySubmitCodeHasItsActionAndMessage_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("keyword"); // the idea the creator must read (regex)
    QTest::newRow("SUBREDDIT_NOEXIST")
        << "SUBREDDIT_NOEXIST"
        << "sr" << Action::ChooseAnotherSubreddit << false << "does not exist";
    QTest::newRow("SUBREDDIT_NOTALLOWED")
        << "SUBREDDIT_NOTALLOWED"
        << "sr" << Action::ChooseAnotherSubreddit << false << "does not let this account post";
    QTest::newRow("SUBREDDIT_REQUIRED")
        << "SUBREDDIT_REQUIRED"
        << "sr" << Action::ChooseAnotherSubreddit << false << "No subreddit was chosen";
    QTest::newRow("NO_SELFS") << "NO_SELFS"
                              << "sr" << Action::ChooseAnotherSubreddit << false
                              << "does not allow text posts";
    QTest::newRow("NO_LINKS") << "NO_LINKS"
                              << "sr" << Action::ChooseAnotherSubreddit << false
                              << "only allows text posts";
    QTest::newRow("ALREADY_SUB") << "ALREADY_SUB"
                                 << "url" << Action::FixPost << false << "already been posted";
    QTest::newRow("RATELIMIT") << "RATELIMIT"
                               << "ratelimit" << Action::WaitUntil << true << "too quickly";
    QTest::newRow("BAD_URL") << "BAD_URL"
                             << "url" << Action::FixPost << false << "link";
    QTest::newRow("NO_URL") << "NO_URL"
                            << "url" << Action::FixPost << false << "needs a link";
    QTest::newRow("NO_TEXT") << "NO_TEXT"
                             << "title" << Action::FixPost << false << "no title";
    QTest::newRow("TOO_LONG") << "TOO_LONG"
                              << "title" << Action::FixPost << false << "title is longer";
    QTest::newRow("DOMAIN_BANNED")
        << "DOMAIN_BANNED"
        << "url" << Action::FixPost << false << "does not allow links to this website";
    QTest::newRow("USER_REQUIRED")
        << "USER_REQUIRED"
        << "" << Action::Reconnect << false << "Connect your Reddit account again";
    QTest::newRow("INVALID_OPTION") << "INVALID_OPTION"
                                    << "kind" << Action::FixPost << false << "\"kind\" option";
    QTest::newRow("QUOTA_FILLED") << "QUOTA_FILLED"
                                  << "ratelimit" << Action::WaitUntil << true
                                  << "reached that limit";
    QTest::newRow("BAD_FLAIR_TEMPLATE_ID")
        << "BAD_FLAIR_TEMPLATE_ID"
        << "flair" << Action::FixPost << false << "does not offer the flair";
    QTest::newRow("unknown code") << "SOMETHING_NEW"
                                  << "" << Action::FixPost << false << "refused the post";
    QTest::newRow("lower-case code is Reddit's")
        << "no_selfs"
        << "sr" << Action::ChooseAnotherSubreddit << false << "does not allow text posts";
}

void RedditErrorsTest::everySubmitCodeHasItsActionAndMessage() {
    QFETCH(QString, code);
    QFETCH(QString, field);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QString, keyword);
    const Problem p = problemForSubmitError(entry(code, "reddit's words", field), "pics");
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    QVERIFY2(p.message.contains(QRegularExpression(keyword)), qPrintable(p.message));
    QCOMPARE(p.code, code.toUpper());
    QCOMPARE(p.field, field);
    verifyReadable(p);
    if (action == Action::WaitUntil)
        QVERIFY(p.waitSeconds > 0);
    else
        QCOMPARE(p.waitSeconds, 0);
}

void RedditErrorsTest::messagesNameTheSubredditOnlyWhenItIsAName() {
    QVERIFY(problemForSubmitError(entry("NO_SELFS"), "r/linksonly")
                .message.startsWith("r/linksonly does not allow"));
    QVERIFY(problemForSubmitError(entry("NO_SELFS"), "/r/linksonly")
                .message.startsWith("r/linksonly does not allow"));
    QVERIFY(problemForSubmitError(entry("NO_SELFS")).message.startsWith("This subreddit"));
    // Markup, spaces or a name too long for Reddit never reach the message.
    for (const QString &hostile : {QString("<b>x</b>"), QString("a b"), QString(40, 'a')}) {
        const Problem p = problemForSubmitError(entry("SUBREDDIT_NOEXIST"), hostile);
        QVERIFY2(p.message.startsWith("This subreddit"), qPrintable(p.message));
        verifyReadable(p);
    }
}

void RedditErrorsTest::fieldDecidesWhatTheMessageAsksFor_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("keyword");
    QTest::newRow("title too long")
        << "TOO_LONG"
        << "title"
        << "this is too long (max: 300)" << Action::FixPost << "title.*300 characters";
    QTest::newRow("text too long")
        << "TOO_LONG"
        << "text"
        << "this is too long (max: 40000)" << Action::FixPost << "text.*40000 characters";
    QTest::newRow("flair too long")
        << "TOO_LONG"
        << "flair_text"
        << "this is too long (max: 64)" << Action::FixPost << "flair text.*64 characters";
    QTest::newRow("other too long")
        << "TOO_LONG"
        << ""
        << "this is too long" << Action::FixPost << "Reddit said: \"this is too long\"";
    QTest::newRow("no title") << "NO_TEXT"
                              << "title"
                              << "" << Action::FixPost << "no title";
    QTest::newRow("no text") << "NO_TEXT"
                             << "text"
                             << "" << Action::FixPost << "needs text";
    QTest::newRow("bad link") << "BAD_URL"
                              << "url"
                              << "" << Action::FixPost << "https://";
    QTest::newRow("bad poster") << "BAD_URL"
                                << "video_poster_url"
                                << "" << Action::FixPost << "poster image";
    QTest::newRow("no poster") << "NO_URL"
                               << "video_poster_url"
                               << "" << Action::FixPost << "needs a poster image";
}

void RedditErrorsTest::fieldDecidesWhatTheMessageAsksFor() {
    QFETCH(QString, code);
    QFETCH(QString, field);
    QFETCH(QString, message);
    QFETCH(Action, action);
    QFETCH(QString, keyword);
    const Problem p = problemForSubmitError(entry(code, message, field));
    QCOMPARE(p.action, action);
    QVERIFY2(p.message.contains(QRegularExpression(keyword)), qPrintable(p.message));
    verifyReadable(p);
}

void RedditErrorsTest::rateLimitWaitIsReadFromRedditsWords_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("seconds"); // -1: no wait can be read
    QTest::newRow("minutes") << "you are doing that too much. try again in 7 minutes." << 420;
    QTest::newRow("seconds") << "you are doing that too much. try again in 40 seconds." << 40;
    QTest::newRow("one minute") << "you are doing that too much. try again in 1 minute." << 60;
    QTest::newRow("six minutes (reddit.md)")
        << "you are doing that too much. try again in 6 minutes." << 360;
    QTest::newRow("milliseconds round up")
        << "you are doing that too much. try again in 500 milliseconds." << 1;
    QTest::newRow("1500 ms") << "you are doing that too much. try again in 1500 milliseconds." << 2;
    QTest::newRow("one millisecond") << "try again in 1 millisecond." << 1;
    QTest::newRow("one second") << "try again in 1 second." << 1;
    QTest::newRow("hours") << "try again in 2 hours." << 7200;
    QTest::newRow("an hour (QUOTA_FILLED)")
        << "You've submitted too many links recently. Please try again in an hour." << 3600;
    QTest::newRow("a minute") << "try again in a minute" << 60;
    QTest::newRow("newer wording") << "Looks like you've been doing that a lot. Take a break for "
                                      "3 minutes before trying again."
                                   << 180;
    QTest::newRow("compound") << "try again in 1 minute and 30 seconds." << 90;
    QTest::newRow("compound with comma") << "try again in 2 minutes, 5 seconds" << 125;
    QTest::newRow("decimal") << "try again in 2.5 minutes." << 150;
    QTest::newRow("abbreviated") << "try again in 9m" << 540;
    QTest::newRow("abbreviated secs") << "try again in 45 secs" << 45;
    QTest::newRow("abbreviated ms") << "try again in 250ms" << 1;
    QTest::newRow("upper case") << "YOU ARE DOING THAT TOO MUCH. TRY AGAIN IN 7 MINUTES." << 420;
    QTest::newRow("no space") << "try again in 7minutes." << 420;
    QTest::newRow("without the anchor") << "wait 30 seconds" << 30;
    QTest::newRow("number after the wait is not the wait")
        << "try again in 4 minutes. (limit: 3 posts per 10 minutes)" << 240;
    QTest::newRow("zero is at least a second") << "try again in 0 seconds." << 1;
    QTest::newRow("huge is at most a day") << "try again in 99999999999 minutes." << 86400;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("no number") << "you are doing that too much. try again later." << -1;
    QTest::newRow("no unit") << "try again in 7." << -1;
    QTest::newRow("unknown unit") << "try again in 7 fortnights." << -1;
    QTest::newRow("word number") << "try again in soon minutes." << -1;
    QTest::newRow("negative") << "try again in -5 minutes." << -1;
    QTest::newRow("digits run") << "try again in " + QString(600, '9') + " minutes" << -1;
    QTest::newRow("unit inside a word") << "try again in 5 monkeys" << -1;
    QTest::newRow("markup") << "<script>try again in</script>" << -1;
    QTest::newRow("wait past 500 characters is not read")
        << QString(600, 'x') + " in 5 minutes" << -1;
}

void RedditErrorsTest::rateLimitWaitIsReadFromRedditsWords() {
    QFETCH(QString, message);
    QFETCH(int, seconds);
    const std::optional<int> wait = parseRateLimitWait(message);
    if (seconds < 0) {
        QVERIFY2(!wait, qPrintable(QString::number(wait.value_or(0))));
    } else {
        QVERIFY(wait);
        QCOMPARE(*wait, seconds);
    }
}

void RedditErrorsTest::rateLimitProblemWaitsAsLongAsRedditAsks_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<double>("ratelimit"); // json.ratelimit; negative: absent
    QTest::addColumn<int>("wait");
    QTest::addColumn<QString>("said");
    QTest::newRow("message only") << "you are doing that too much. try again in 7 minutes." << -1.0
                                  << 420 << "7 minutes";
    QTest::newRow("json.ratelimit is longer")
        << "you are doing that too much. try again in 6 minutes." << 382.4 << 383 << "7 minutes";
    QTest::newRow("message is longer") << "try again in 2 minutes." << 61.0 << 120 << "2 minutes";
    QTest::newRow("ratelimit only") << "slow down" << 40.0 << 40 << "40 seconds";
    QTest::newRow("nothing readable: ten minutes") << "slow down" << -1.0 << 600 << "10 minutes";
    QTest::newRow("one second") << "try again in 500 milliseconds." << 0.5 << 1 << "1 second";
    QTest::newRow("huge ratelimit is capped") << "" << 1e300 << 86400 << "24 hours";
}

void RedditErrorsTest::rateLimitProblemWaitsAsLongAsRedditAsks() {
    QFETCH(QString, message);
    QFETCH(double, ratelimit);
    QFETCH(int, wait);
    QFETCH(QString, said);
    const Problem p =
        problemForSubmitError(entry("RATELIMIT", message, "ratelimit"), {}, ratelimit);
    QCOMPARE(p.action, Action::WaitUntil);
    QVERIFY(p.retryable);
    QCOMPARE(p.waitSeconds, wait);
    QVERIFY2(p.message.contains("wait " + said), qPrintable(p.message));
    verifyReadable(p);
    QCOMPARE(toError(p).retryAfter, std::chrono::seconds(wait));
}

void RedditErrorsTest::quotaFilledWaitsForTheQuota() {
    const Problem named = problemForSubmitError(
        entry("QUOTA_FILLED",
              "You've submitted too many links recently. Please try again in an "
              "hour.",
              "ratelimit"),
        "onceaday");
    QCOMPARE(named.waitSeconds, 3600);
    QVERIFY2(named.message.startsWith("r/onceaday limits"), qPrintable(named.message));
    QVERIFY(named.message.contains("in 1 hour"));
    QCOMPARE(problemForSubmitError(entry("QUOTA_FILLED", "no wait here")).waitSeconds, 3600);
    QCOMPARE(problemForSubmitError(entry("QUOTA_FILLED", "try again in 20 minutes")).waitSeconds,
             1200);
}

void RedditErrorsTest::httpFailuresHaveTheirAction_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("wwwAuthenticate");
    QTest::addColumn<QString>("subreddit");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("401") << 401 << QByteArray("Bearer realm=\"reddit\", error=\"invalid_token\"")
                         << ""
                         << "unauthorized" << Action::RefreshAndRetry << true;
    QTest::newRow("403 scope") << 403
                               << QByteArray(
                                      "Bearer realm=\"reddit\", error=\"insufficient_scope\"")
                               << ""
                               << "insufficient_scope" << Action::Reconnect << false;
    QTest::newRow("403") << 403 << QByteArray() << ""
                         << "forbidden" << Action::ChooseAnotherSubreddit << false;
    QTest::newRow("404 post") << 404 << QByteArray() << ""
                              << "not_found" << Action::None << false;
    QTest::newRow("404 subreddit")
        << 404 << QByteArray() << "nosuchsub"
        << "subreddit_not_found" << Action::ChooseAnotherSubreddit << false;
    QTest::newRow("413") << 413 << QByteArray() << ""
                         << "too_large" << Action::FixMedia << false;
    QTest::newRow("429") << 429 << QByteArray() << ""
                         << "too_many_requests" << Action::WaitUntil << true;
    QTest::newRow("500") << 500 << QByteArray() << ""
                         << "server_error" << Action::RetryWithBackoff << true;
    QTest::newRow("502") << 502 << QByteArray() << ""
                         << "server_error" << Action::RetryWithBackoff << true;
    QTest::newRow("503") << 503 << QByteArray() << ""
                         << "server_error" << Action::RetryWithBackoff << true;
    QTest::newRow("no answer") << 0 << QByteArray() << ""
                               << "server_error" << Action::RetryWithBackoff << true;
    QTest::newRow("400 plain") << 400 << QByteArray() << ""
                               << "http_400" << Action::FixPost << false;
    QTest::newRow("418") << 418 << QByteArray() << ""
                         << "http_418" << Action::FixPost << false;
}

void RedditErrorsTest::httpFailuresHaveTheirAction() {
    QFETCH(int, status);
    QFETCH(QByteArray, wwwAuthenticate);
    QFETCH(QString, subreddit);
    QFETCH(QString, code);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    const Problem p = problemForHttpStatus(status, R"({"message": "Nope", "error": 1})",
                                           wwwAuthenticate, -1, subreddit);
    QCOMPARE(p.code, code);
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p);
    if (!subreddit.isEmpty())
        QVERIFY(p.message.contains("r/" + subreddit));
}

void RedditErrorsTest::tooManyRequestsWaitsForTheReset() {
    QCOMPARE(problemForHttpStatus(429, {}, {}, 37.2).waitSeconds, 38);
    QVERIFY(problemForHttpStatus(429, {}, {}, 37.2).message.contains("38 seconds"));
    QCOMPARE(problemForHttpStatus(429, {}, {}, 0).waitSeconds, 1);
    QCOMPARE(problemForHttpStatus(429).waitSeconds, 60); // no reset header
    QCOMPARE(problemForHttpStatus(429, {}, {}, 1e12).waitSeconds, 86400);
}

void RedditErrorsTest::submitValidationErrorIsReadLikeJsonErrors_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<Action>("action");
    const auto body = [](const QString &reason, const QString &field) {
        return QJsonDocument(QJsonObject{{"fields", QJsonArray{field}},
                                         {"explanation", "this is too long (max: 300)"},
                                         {"error_type", "SUBMIT_VALIDATION_ERROR"},
                                         {"message", "Bad Request"},
                                         {"reason", reason}})
            .toJson();
    };
    QTest::newRow("TOO_LONG title") << body("TOO_LONG", "title") << "TOO_LONG"
                                    << "title" << Action::FixPost;
    QTest::newRow("BAD_URL url") << body("BAD_URL", "url") << "BAD_URL"
                                 << "url" << Action::FixPost;
    QTest::newRow("NO_URL poster") << body("NO_URL", "video_poster_url") << "NO_URL"
                                   << "video_poster_url" << Action::FixPost;
    QTest::newRow("NO_TEXT title") << body("NO_TEXT", "title") << "NO_TEXT"
                                   << "title" << Action::FixPost;
    QTest::newRow("unknown reason") << body("<b>", "title") << "SUBMIT_VALIDATION_ERROR"
                                    << "title" << Action::FixPost;
    QTest::newRow("other error_type")
        << QByteArray(R"({"error_type": "OTHER", "reason": "X"})") << "http_400"
        << "" << Action::FixPost;
    QTest::newRow("not JSON") << QByteArray("<html>Bad Request</html>") << "http_400"
                              << "" << Action::FixPost;
}

void RedditErrorsTest::submitValidationErrorIsReadLikeJsonErrors() {
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, field);
    QFETCH(Action, action);
    const Problem p = problemForHttpStatus(400, body);
    QCOMPARE(p.code, code);
    QCOMPARE(p.field, field);
    QCOMPARE(p.action, action);
    QVERIFY(!p.retryable);
    verifyReadable(p);
}

void RedditErrorsTest::submitErrorsAreReadFromHostileBodies_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("codes");
    QTest::addColumn<QString>("firstField");
    QTest::newRow("one") << errorsBody({QJsonArray{"NO_SELFS", "no text posts", "sr"}})
                         << QStringList{"NO_SELFS"} << "sr";
    QTest::newRow("null field") << errorsBody({QJsonArray{"USER_REQUIRED", "log in", QJsonValue()}})
                                << QStringList{"USER_REQUIRED"} << "";
    QTest::newRow("two") << errorsBody({QJsonArray{"NO_TEXT", "", "title"},
                                        QJsonArray{"BAD_URL", "", "url"}})
                         << QStringList{"NO_TEXT", "BAD_URL"} << "title";
    QTest::newRow("none") << errorsBody({}) << QStringList{} << "";
    QTest::newRow("not JSON") << QByteArray("<html>oops") << QStringList{} << "";
    QTest::newRow("array root") << QByteArray("[1,2,3]") << QStringList{} << "";
    QTest::newRow("errors not an array")
        << QByteArray(R"({"json": {"errors": "RATELIMIT"}})") << QStringList{} << "";
    QTest::newRow("entry not an array")
        << errorsBody({"RATELIMIT"}) << QStringList{"UNKNOWN"} << "";
    QTest::newRow("code not a string")
        << errorsBody({QJsonArray{42, "x", "sr"}}) << QStringList{"UNKNOWN"} << "sr";
    QTest::newRow("markup code") << errorsBody({QJsonArray{"<script>", "x", "<b>"}})
                                 << QStringList{"UNKNOWN"} << "";
    QTest::newRow("very long code") << errorsBody({QJsonArray{QString(1000, 'A'), "x", "sr"}})
                                    << QStringList{"UNKNOWN"} << "sr";
    QList<QJsonValue> many;
    for (int i = 0; i < 500; ++i)
        many.append(QJsonArray{"BAD_URL", "x", "url"});
    QStringList twenty;
    for (int i = 0; i < 20; ++i)
        twenty << "BAD_URL";
    QTest::newRow("500 entries: 20 read") << errorsBody(many) << twenty << "url";
}

void RedditErrorsTest::submitErrorsAreReadFromHostileBodies() {
    QFETCH(QByteArray, body);
    QFETCH(QStringList, codes);
    QFETCH(QString, firstField);
    const QList<SubmitError> errors = parseSubmitErrors(body);
    QStringList read;
    for (const SubmitError &e : errors)
        read << e.code;
    QCOMPARE(read, codes);
    if (!errors.isEmpty()) {
        QCOMPARE(errors.first().field, firstField);
        verifyReadable(problemForSubmitError(errors.first()));
    }
}

void RedditErrorsTest::oversizedBodiesAreNotRead() {
    const QByteArray huge = errorsBody({QJsonArray{"NO_SELFS", QString(70000, 'x'), "sr"}});
    QVERIFY(parseSubmitErrors(huge).isEmpty());
    // A huge 400 is judged by its status alone.
    QByteArray validation = R"({"error_type": "SUBMIT_VALIDATION_ERROR", "reason": "TOO_LONG",
                                "explanation": ")" +
                            QByteArray(70000, 'y') + "\"}";
    QCOMPARE(problemForHttpStatus(400, validation).code, QString("http_400"));
    // A long message is cut before it is quoted.
    const Problem quoted =
        problemForSubmitError(entry("WHATEVER", QString("words ").repeated(900)));
    QVERIFY(quoted.message.size() < 600);
    QVERIFY(quoted.message.contains(QChar(0x2026)));
}

void RedditErrorsTest::bucketRefusalsHaveTheirAction_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    const auto s3 = [](const char *code, const char *message) {
        return QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>") + code +
               "</Code><Message>" + message + "</Message><RequestId>1</RequestId></Error>";
    };
    QTest::newRow("expired lease")
        << 403 << s3("AccessDenied", "Invalid according to Policy: Policy expired.")
        << "upload/expired" << Action::RetryWithBackoff << true;
    QTest::newRow("changed field")
        << 403 << s3("AccessDenied", "Policy Condition failed: [eq, $key]") << "upload/AccessDenied"
        << Action::ContactSupport << false;
    QTest::newRow("signature") << 403 << s3("SignatureDoesNotMatch", "no")
                               << "upload/SignatureDoesNotMatch" << Action::ContactSupport << false;
    QTest::newRow("field order") << 400 << s3("InvalidArgument", "order")
                                 << "upload/InvalidArgument" << Action::ContactSupport << false;
    QTest::newRow("not multipart")
        << 400 << s3("MalformedPOSTRequest", "x") << "upload/MalformedPOSTRequest"
        << Action::ContactSupport << false;
    QTest::newRow("internal") << 500 << s3("InternalError", "try again") << "upload/InternalError"
                              << Action::RetryWithBackoff << true;
    QTest::newRow("slow down") << 503 << s3("SlowDown", "x") << "upload/SlowDown"
                               << Action::RetryWithBackoff << true;
    QTest::newRow("not XML 502") << 502 << QByteArray("<html>bad gateway") << "upload/server_error"
                                 << Action::RetryWithBackoff << true;
    QTest::newRow("not XML 403") << 403 << QByteArray("{}") << "upload/http_403"
                                 << Action::ContactSupport << false;
    QTest::newRow("not XML 413") << 413 << QByteArray() << "too_large" << Action::FixMedia << false;
    QTest::newRow("hostile code") << 400 << s3("Evil Code!", "x") << "upload/Unknown"
                                  << Action::ContactSupport << false;
    QTest::newRow("oversized") << 500 << s3("InternalError", QByteArray(70000, 'm').constData())
                               << "upload/server_error" << Action::RetryWithBackoff << true;
}

void RedditErrorsTest::bucketRefusalsHaveTheirAction() {
    QFETCH(int, status);
    QFETCH(QByteArray, xml);
    QFETCH(QString, code);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    const Problem p = problemForUploadError(status, xml, false);
    QCOMPARE(p.code, code);
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p);
}

void RedditErrorsTest::tooLargeUploadSaysBothSizes() {
    const QByteArray xml = "<Error><Code>EntityTooLarge</Code><Message>too big</Message>"
                           "<ProposedSize>20971521</ProposedSize>"
                           "<MaxSizeAllowed>20971520</MaxSizeAllowed></Error>";
    const Problem image = problemForUploadError(400, xml, false);
    QCOMPARE(image.code, QString("upload/EntityTooLarge"));
    QCOMPARE(image.action, Action::FixMedia);
    QVERIFY(!image.retryable);
    QVERIFY2(image.message.contains("The image is 20.0 MB") &&
                 image.message.contains("at most 20.0 MB"),
             qPrintable(image.message));
    verifyReadable(image);
    const Problem video =
        problemForUploadError(400, "<Error><Code>EntityTooLarge</Code></Error>", true);
    QVERIFY2(video.message.startsWith("The video is larger"), qPrintable(video.message));
    verifyReadable(video);
}

void RedditErrorsTest::mediaFailureQuotesRedditCleanly() {
    const Problem p =
        problemForMediaFailure("Your media could not be <b>processed</b>.\nbearer abc", true);
    QCOMPARE(p.code, QString("media_failed"));
    QCOMPARE(p.action, Action::FixMedia);
    QVERIFY2(p.message.contains("could not be processed."), qPrintable(p.message));
    QVERIFY(!p.message.contains("<b>"));
    QVERIFY(p.message.contains("video"));
    verifyReadable(p);
    verifyReadable(problemForMediaFailure({}, false));
    QVERIFY(problemForMediaFailure({}, false).message.contains("Reddit gave no reason."));
}

void RedditErrorsTest::localFailuresAreReadable() {
    const QList<std::tuple<LocalFailure, QString, Action, bool>> table{
        {LocalFailure::LostAnswer, "unreachable", Action::RetryWithBackoff, true},
        {LocalFailure::OutcomeUnknown, "outcome_unknown", Action::CheckReddit, false},
        {LocalFailure::SubmitServerError, "outcome_unknown", Action::CheckReddit, false},
        {LocalFailure::InvalidAnswer, "invalid_answer", Action::RetryWithBackoff, true},
        {LocalFailure::FileUnreadable, "file_unreadable", Action::FixMedia, false},
        {LocalFailure::UnsupportedMedia, "unsupported_media", Action::FixMedia, false},
        {LocalFailure::UploadStalled, "upload_stalled", Action::RetryWithBackoff, true},
        {LocalFailure::Aborted, "aborted", Action::None, false},
        {LocalFailure::MediaNotFound, "media_not_found", Action::CheckReddit, false},
        {LocalFailure::InvalidId, "invalid_id", Action::ContactSupport, false},
    };
    for (const auto &[failure, code, action, retryable] : table) {
        const Problem p = problemFor(failure);
        QCOMPARE(p.code, code);
        QCOMPARE(p.action, action);
        QCOMPARE(p.retryable, retryable);
        verifyReadable(p);
    }
}

void RedditErrorsTest::platformTextIsCleanedBeforeQuoting_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("clean");
    QTest::newRow("plain") << "that subreddit doesn't exist"
                           << "that subreddit doesn't exist";
    QTest::newRow("markup") << "<b>bold</b> <script>x</script>"
                            << "bold x";
    QTest::newRow("lines and tabs") << "one\ntwo\tthree\r\n"
                                    << "one two three";
    QTest::newRow("quotes") << "say \"hi\""
                            << "say hi";
    QTest::newRow("control") << QString("a") + QChar(7) + "b"
                             << "a b";
    QTest::newRow("bearer") << "Authorization: bearer abcdef123"
                            << "";
    QTest::newRow("opaque run") << "token " + QString(40, 'k') << "token [redacted]";
}

void RedditErrorsTest::platformTextIsCleanedBeforeQuoting() {
    QFETCH(QString, raw);
    QFETCH(QString, clean);
    const QString cleaned = cleanPlatformText(raw);
    if (clean.isEmpty()) // a credential: only that it is gone matters
        QVERIFY2(!cleaned.contains("abcdef123"), qPrintable(cleaned));
    else
        QCOMPARE(cleaned, clean);
    const QString cut = cleanPlatformText(QString("word ").repeated(60), 10);
    QVERIFY2(cut.size() <= 11 && cut.endsWith(QChar(0x2026)), qPrintable(cut));
}

void RedditErrorsTest::toErrorCarriesTheProblem() {
    const Problem p = problemForSubmitError(entry("RATELIMIT", "try again in 40 seconds."));
    const huntaze::Error error = toError(p, 200);
    QCOMPARE(error.domain, QString("reddit"));
    QCOMPARE(error.code, QString("RATELIMIT"));
    QCOMPARE(error.message, p.message);
    QCOMPARE(error.httpStatus, 200);
    QVERIFY(error.retryable);
    QCOMPARE(error.retryAfter, std::chrono::seconds(40));
    QVERIFY(!toError(problemForSubmitError(entry("NO_SELFS"))).retryAfter);
}

QTEST_GUILESS_MAIN(RedditErrorsTest)
#include "tst_redditerrors.moc"
