#include "platforms/instagram/instagramerrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using huntaze::instagram::Action;
using huntaze::instagram::cleanPlatformText;
using huntaze::instagram::detailFor;
using huntaze::instagram::GraphError;
using huntaze::instagram::parseGraphError;
using huntaze::instagram::Problem;
using huntaze::instagram::problemFor;
using huntaze::instagram::problemForContainerStatus;
using huntaze::instagram::toError;

namespace {

GraphError graphError(int code, int subcode = 0, const QString &message = {},
                      int httpStatus = 400) {
    GraphError error;
    error.code = code;
    error.subcode = subcode;
    error.message = message;
    error.httpStatus = httpStatus;
    return error;
}

// What every message shown to a creator must look like.
void verifyReadable(const Problem &p) {
    QVERIFY2(!p.message.isEmpty(), qPrintable(p.code));
    QVERIFY2(p.message.at(0).isUpper(), qPrintable(p.message));
    QVERIFY2(p.message.endsWith('.'), qPrintable(p.message));
    QVERIFY2(!p.message.contains('\n'), qPrintable(p.message));
    QVERIFY2(p.message.size() < 600, qPrintable(p.message));
    QVERIFY2(!p.message.contains(QRegularExpression("\\bHTTP\\b")), qPrintable(p.message));
}

struct Row {
    const char *name;
    int code;
    int subcode;
    const char *metaMessage;
    Action action;
    bool retryable;
    const char *keyword; // the key idea the creator must read (regular expression)
};

// instagram.md, "Errors": every row, with each of 190's subcodes on its own.
const Row kTable[] = {
    {"190/458 app removed", 190, 458, "", Action::Reconnect, false, "access .*removed"},
    {"190/459 checkpoint", 190, 459, "", Action::Reconnect, false, "checkpoint"},
    {"190/460 password changed", 190, 460, "", Action::Reconnect, false, "password changed"},
    {"190/463 expired", 190, 463, "", Action::Reconnect, false, "expired"},
    {"190/464 unconfirmed", 190, 464, "", Action::Reconnect, false, "[Cc]onfirm"},
    {"190/467 logged out", 190, 467, "", Action::Reconnect, false, "logged out"},
    {"190/492 no page role", 190, 492, "", Action::Reconnect, false, "role on the Facebook Page"},
    {"190 bare", 190, 0, "", Action::Reconnect, false, "no longer accepts"},
    {"10 named", 10, 0,
     "(#10) Application does not have permission for this action. Missing "
     "permission: instagram_content_publish",
     Action::Reconnect, false, "\"instagram_content_publish\""},
    {"10 unnamed", 10, 0, "(#10) Application does not have permission for this action",
     Action::Reconnect, false, "permission"},
    {"200 named", 200, 0, "(#200) Requires pages_show_list permission to manage the object",
     Action::Reconnect, false, "\"pages_show_list\""},
    {"299 unnamed", 299, 0, "(#299) Nope", Action::Reconnect, false, "Page permission"},
    {"4 app limit", 4, 0, "(#4) Application request limit reached", Action::WaitUntil, true,
     "limiting"},
    {"17 user limit", 17, 0, "", Action::WaitUntil, true, "Facebook account .*too many"},
    {"32 page limit", 32, 0, "", Action::WaitUntil, true, "Page .*too many"},
    {"613 hourly", 613, 0, "", Action::WaitUntil, true, "hourly limit"},
    {"80002 account", 80002, 0, "", Action::WaitUntil, true, "account has made too many"},
    {"9 alone", 9, 0, "", Action::WaitUntil, true, "too many actions"},
    {"1 unknown", 1, 0, "", Action::RetryWithBackoff, true, "unknown problem"},
    {"2 service", 2, 0, "", Action::RetryWithBackoff, true, "temporarily unavailable"},
    {"-1/2207001 server", -1, 2207001, "", Action::RetryWithBackoff, true, "server error"},
    {"9/2207042 daily limit", 9, 2207042, "", Action::WaitUntil, true, "quota"},
    {"9007/2207027 not ready", 9007, 2207027, "", Action::KeepPolling, true, "still processing"},
    {"9004/2207052 fetch", 9004, 2207052, "", Action::FixMedia, false, "could not download"},
    {"-2/2207003 timeout", -2, 2207003, "", Action::RetryWithBackoff, true, "timed out"},
    {"-2/2207020 expired", -2, 2207020, "", Action::NewContainer, true, "within 24 hours"},
    {"24/2207008 builder", 24, 2207008, "", Action::RetryThenNewContainer, true, "ran out"},
    {"25/2207050 restricted", 25, 2207050, "", Action::CheckInstagram, false, "restricted"},
    {"4/2207051 spam", 4, 2207051, "", Action::CheckInstagram, false, "spam"},
    {"100/2207028 carousel", 100, 2207028, "", Action::FixMedia, false, "between 2 and 10"},
    {"352/2207026 video format", 352, 2207026, "", Action::FixMedia, false, "video's format"},
    {"36000/2207004 image size", 36000, 2207004, "", Action::FixMedia, false, "8 MB"},
    {"36001/2207005 image format", 36001, 2207005, "", Action::FixMedia, false, "JPEG"},
    {"36003/2207009 aspect", 36003, 2207009, "", Action::FixMedia, false, "4:5.*1.91:1"},
    {"36004/2207010 caption", 36004, 2207010, "", Action::FixMedia, false, "caption"},
    {"368 policy", 368, 0, "", Action::CheckInstagram, false, "temporarily blocked"},
};

const QString kToken = "EAAGm0PX4ZCpsBAKZBpZCp0ZCqZBZCZBlZBZCZBZCZBZCZBZCZBZCZBZCZBZCZBZC";

} // namespace

class InstagramErrorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTableRowHasItsActionAndAMessageWithTheKeyIdea_data();
    void everyTableRowHasItsActionAndAMessageWithTheKeyIdea();
    void everyTableRowHasItsOwnMessage();
    void aSubcodeWinsOverItsCode();
    void aPaired2207SubcodeIsReadWhateverCodeCameWithIt();
    void codesOnTheirOwnMapToTheirRow();
    void accountRateLimitWaitsForTheRegainTimeWhenGiven();
    void permissionIsNamedFromEitherMessage();
    void unknownCodesFallBackOnTransienceAndStatus_data();
    void unknownCodesFallBackOnTransienceAndStatus();
    void unknownCodeQuotesMetaCleanedAndCutTo200Characters();
    void aTokenNeverAppearsInAMessageOrDetail_data();
    void aTokenNeverAppearsInAMessageOrDetail();
    void envelopeIsParsedWithEveryField();
    void envelopeParsingRefusesWhatIsNotAGraphError_data();
    void envelopeParsingRefusesWhatIsNotAGraphError();
    void hostileFieldsAreReadAsAbsent_data();
    void hostileFieldsAreReadAsAbsent();
    void envelopeWithoutCodeFallsBackOnTheStatus();
    void containerStatusBecomesAProblem_data();
    void containerStatusBecomesAProblem();
    void toErrorCarriesDomainCodeMessageStatusRetryableAndWait();
};

void InstagramErrorsTest::everyTableRowHasItsActionAndAMessageWithTheKeyIdea_data() {
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("metaMessage");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("keyword");
    for (const Row &row : kTable)
        QTest::newRow(row.name) << row.code << row.subcode << QString(row.metaMessage) << row.action
                                << row.retryable << QString(row.keyword);
}

void InstagramErrorsTest::everyTableRowHasItsActionAndAMessageWithTheKeyIdea() {
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, metaMessage);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QString, keyword);
    const Problem p = problemFor(graphError(code, subcode, metaMessage));
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    QCOMPARE(p.code, subcode ? QString("%1/%2").arg(code).arg(subcode) : QString::number(code));
    QVERIFY2(p.message.contains(QRegularExpression(keyword)), qPrintable(p.message));
    QCOMPARE(p.waitSeconds, 0);
    verifyReadable(p);
    // Where the creator's next step is "connect again", the message says so.
    if (action == Action::Reconnect && code == 190)
        QVERIFY2(p.message.contains("connect Instagram again", Qt::CaseInsensitive),
                 qPrintable(p.message));
}

void InstagramErrorsTest::everyTableRowHasItsOwnMessage() {
    QHash<QString, QString> seen;
    for (const Row &row : kTable) {
        const Problem p = problemFor(graphError(row.code, row.subcode, row.metaMessage));
        QVERIFY2(!seen.contains(p.message),
                 qPrintable(QString("%1 repeats %2").arg(row.name, seen.value(p.message))));
        seen.insert(p.message, row.name);
    }
    QCOMPARE(seen.size(), qsizetype(std::size(kTable)));
}

void InstagramErrorsTest::aSubcodeWinsOverItsCode() {
    // 4 alone is a rate limit; with 2207051 it is spam, which waiting does not fix.
    QCOMPARE(problemFor(graphError(4)).action, Action::WaitUntil);
    QCOMPARE(problemFor(graphError(4, 2207051)).action, Action::CheckInstagram);
    QVERIFY(!problemFor(graphError(4, 2207051)).retryable);
    // -2 is a timeout with one subcode and an expiry with the other.
    QCOMPARE(problemFor(graphError(-2, 2207003)).action, Action::RetryWithBackoff);
    QCOMPARE(problemFor(graphError(-2, 2207020)).action, Action::NewContainer);
    // 9 alone is "too many actions"; 9/2207042 is the daily publishing limit.
    const Problem alone = problemFor(graphError(9));
    const Problem daily = problemFor(graphError(9, 2207042));
    QCOMPARE(alone.action, Action::WaitUntil);
    QCOMPARE(daily.action, Action::WaitUntil);
    QVERIFY(alone.message != daily.message);
    QVERIFY(daily.message.contains("24 hours"));
    // 100 alone is a plain invalid parameter, not the carousel row.
    QVERIFY(problemFor(graphError(100, 0, "(#100) Invalid parameter")).action != Action::FixMedia);
    QCOMPARE(problemFor(graphError(100, 2207028)).action, Action::FixMedia);
}

void InstagramErrorsTest::aPaired2207SubcodeIsReadWhateverCodeCameWithIt() {
    const Problem p = problemFor(graphError(1, 2207026));
    QCOMPARE(p.action, Action::FixMedia);
    QCOMPARE(p.code, QString("1/2207026"));
    QCOMPARE(p.message, problemFor(graphError(352, 2207026)).message);
}

void InstagramErrorsTest::codesOnTheirOwnMapToTheirRow() {
    QCOMPARE(problemFor(graphError(36001)).message, problemFor(graphError(36001, 2207005)).message);
    QCOMPARE(problemFor(graphError(9007)).action, Action::KeepPolling);
    QCOMPARE(problemFor(graphError(24)).action, Action::RetryThenNewContainer);
    QCOMPARE(problemFor(graphError(-1)).action, Action::RetryWithBackoff);
    // An undocumented 190 subcode is still a dead token.
    const Problem odd = problemFor(graphError(190, 999));
    QCOMPARE(odd.action, Action::Reconnect);
    QCOMPARE(odd.code, QString("190/999"));
}

void InstagramErrorsTest::accountRateLimitWaitsForTheRegainTimeWhenGiven() {
    const Problem known = problemFor(graphError(80002), 7);
    QCOMPARE(known.action, Action::WaitUntil);
    QCOMPARE(known.waitSeconds, 7 * 60);
    QVERIFY2(known.message.contains("7 minutes"), qPrintable(known.message));
    QCOMPARE(problemFor(graphError(80002)).waitSeconds, 0);
    QCOMPARE(problemFor(graphError(80002), -5).waitSeconds, 0);
    // Only the account limit comes with a regain time.
    QCOMPARE(problemFor(graphError(4), 7).waitSeconds, 0);
}

void InstagramErrorsTest::permissionIsNamedFromEitherMessage() {
    const Problem fromMessage =
        problemFor(graphError(10, 0,
                              "(#10) Application does not have permission. Missing permission: "
                              "instagram_manage_insights"));
    QCOMPARE(fromMessage.permission, QString("instagram_manage_insights"));
    const Problem fromRequires =
        problemFor(graphError(200, 0, "(#200) Requires pages_read_engagement permission"));
    QCOMPARE(fromRequires.permission, QString("pages_read_engagement"));
    GraphError user = graphError(10, 0, "(#10) Permission denied");
    user.userMessage = "Log in again and grant the instagram_content_publish permission.";
    QCOMPARE(problemFor(user).permission, QString("instagram_content_publish"));
    QVERIFY(problemFor(graphError(10, 0, "no name here")).permission.isEmpty());
    // Not a permission word: never made up.
    QVERIFY(problemFor(graphError(200, 0, "Requires <script> permission")).permission.isEmpty());
}

void InstagramErrorsTest::unknownCodesFallBackOnTransienceAndStatus_data() {
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("transient 400") << 12345 << true << 400 << Action::RetryWithBackoff << true;
    QTest::newRow("500") << 12345 << false << 500 << Action::RetryWithBackoff << true;
    QTest::newRow("503") << 0 << false << 503 << Action::RetryWithBackoff << true;
    QTest::newRow("429") << 12345 << false << 429 << Action::WaitUntil << true;
    QTest::newRow("401") << 12345 << false << 401 << Action::Reconnect << false;
    QTest::newRow("400") << 12345 << false << 400 << Action::None << false;
    QTest::newRow("-2 alone is undocumented") << -2 << false << 400 << Action::None << false;
}

void InstagramErrorsTest::unknownCodesFallBackOnTransienceAndStatus() {
    QFETCH(int, code);
    QFETCH(bool, transient);
    QFETCH(int, httpStatus);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    GraphError error = graphError(code, 0, "Something odd happened", httpStatus);
    error.isTransient = transient;
    const Problem p = problemFor(error);
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    QCOMPARE(p.code, code ? QString::number(code) : QString("http_%1").arg(httpStatus));
    QVERIFY2(p.message.contains("Something odd happened"), qPrintable(p.message));
    verifyReadable(p);
}

void InstagramErrorsTest::unknownCodeQuotesMetaCleanedAndCutTo200Characters() {
    const QString longText = "<b>Bad</b>\nthing\t" + QString("word ").repeated(100);
    const Problem p = problemFor(graphError(4242, 0, longText));
    QVERIFY(!p.message.contains("<b>"));
    QVERIFY(!p.message.contains('\n') && !p.message.contains('\t'));
    const QRegularExpression quoted("\"([^\"]*)\"");
    const auto match = quoted.match(p.message);
    QVERIFY(match.hasMatch());
    QVERIFY2(match.captured(1).size() <= 201,
             qPrintable(QString::number(match.captured(1).size())));
    QVERIFY(match.captured(1).startsWith("Bad thing"));
    QVERIFY(match.captured(1).endsWith(QChar(0x2026)));
    // Meta's user-facing text is preferred when it has one.
    GraphError withUser = graphError(4242, 0, "internal words");
    withUser.userMessage = "Words for people";
    QVERIFY(problemFor(withUser).message.contains("Words for people"));
    // And with nothing to quote, it says so.
    QVERIFY(problemFor(graphError(4242)).message.contains("gave no reason"));
}

void InstagramErrorsTest::aTokenNeverAppearsInAMessageOrDetail_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("query") << "Bad url https://graph.facebook.com/v25.0/me?access_token=" + kToken +
                                  "&x=1";
    QTest::newRow("form") << "body was access_token=" + kToken;
    QTest::newRow("json") << "{\"access_token\": \"" + kToken + "\"}";
    QTest::newRow("bearer") << "Authorization: Bearer " + kToken;
    QTest::newRow("oauth") << "header OAuth " + kToken + " refused";
    QTest::newRow("bare") << "The token " + kToken + " is odd";
    QTest::newRow("bare long opaque") << "key 0123456789abcdefABCDEF0123456789abcdef is odd";
}

void InstagramErrorsTest::aTokenNeverAppearsInAMessageOrDetail() {
    QFETCH(QString, text);
    const QString secret =
        text.contains(kToken) ? kToken : "0123456789abcdefABCDEF0123456789abcdef";
    for (const int code : {4242, 190, 10, 1}) {
        GraphError error = graphError(code, 0, text);
        error.userMessage = text;
        error.type = text;
        error.fbtraceId = text;
        const Problem p = problemFor(error);
        QVERIFY2(!p.message.contains(secret.left(20)), qPrintable(p.message));
        QVERIFY2(!detailFor(error).contains(secret.left(20)), qPrintable(detailFor(error)));
    }
    QVERIFY(!cleanPlatformText(text).contains(secret.left(20)));
    QVERIFY(!problemForContainerStatus("ERROR", text).message.contains(secret.left(20)));
}

void InstagramErrorsTest::envelopeIsParsedWithEveryField() {
    const QByteArray body = R"({"error": {"message": "Invalid OAuth access token.",
        "type": "OAuthException", "code": 190, "error_subcode": 460,
        "error_user_title": "Session expired", "error_user_msg": "Please log in again.",
        "is_transient": false, "fbtrace_id": "AbCdEf123"}})";
    const auto error = parseGraphError(400, body);
    QVERIFY(error);
    QCOMPARE(error->httpStatus, 400);
    QCOMPARE(error->code, 190);
    QCOMPARE(error->subcode, 460);
    QCOMPARE(error->message, QString("Invalid OAuth access token."));
    QCOMPARE(error->type, QString("OAuthException"));
    QCOMPARE(error->userTitle, QString("Session expired"));
    QCOMPARE(error->userMessage, QString("Please log in again."));
    QCOMPARE(error->isTransient, false);
    QCOMPARE(error->fbtraceId, QString("AbCdEf123"));
    QVERIFY(problemFor(*error).message.contains("password"));
    const QString detail = detailFor(*error);
    QVERIFY(detail.contains("190/460") && detail.contains("AbCdEf123") &&
            detail.contains("OAuthException"));
    // A transient one, as Meta sends for code 2 (HTTP 500).
    const auto transient =
        parseGraphError(500, R"({"error":{"code":2,"is_transient":true,"message":"x"}})");
    QVERIFY(transient);
    QVERIFY(transient->isTransient);
    QCOMPARE(transient->httpStatus, 500);
}

void InstagramErrorsTest::envelopeParsingRefusesWhatIsNotAGraphError_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("<html>502 Bad Gateway</html>");
    QTest::newRow("truncated") << QByteArray(R"({"error": {"code": 190, "mess)");
    QTest::newRow("array") << QByteArray(R"([{"error": {"code": 190}}])");
    QTest::newRow("string error") << QByteArray(R"({"error": "invalid_token"})");
    QTest::newRow("null error") << QByteArray(R"({"error": null})");
    QTest::newRow("success") << QByteArray(R"({"id": "17890000000000001"})");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{\"error\":{}}", 15);
    QByteArray huge = R"({"error": {"code": 190, "message": ")";
    huge += QByteArray(70 * 1024, 'a');
    huge += R"("}})";
    QTest::newRow("over 64 KiB") << huge;
}

void InstagramErrorsTest::envelopeParsingRefusesWhatIsNotAGraphError() {
    QFETCH(QByteArray, body);
    QVERIFY(!parseGraphError(400, body).has_value());
}

void InstagramErrorsTest::hostileFieldsAreReadAsAbsent_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::newRow("huge code") << QByteArray(R"({"error":{"code":1e300,"error_subcode":460}})") << 0
                               << 460;
    QTest::newRow("over int") << QByteArray(R"({"error":{"code":2147483648}})") << 0 << 0;
    QTest::newRow("fraction") << QByteArray(R"({"error":{"code":190.5}})") << 0 << 0;
    QTest::newRow("negative huge") << QByteArray(R"({"error":{"code":-1e20}})") << 0 << 0;
    QTest::newRow("object code") << QByteArray(R"({"error":{"code":{"a":1},"error_subcode":[1]}})")
                                 << 0 << 0;
    QTest::newRow("bool subcode") << QByteArray(R"({"error":{"code":190,"error_subcode":true}})")
                                  << 190 << 0;
    QTest::newRow("numeric string")
        << QByteArray(R"({"error":{"code":"190","error_subcode":"463"}})") << 190 << 463;
    QTest::newRow("word string") << QByteArray(R"({"error":{"code":"lots"}})") << 0 << 0;
    QTest::newRow("missing everything") << QByteArray(R"({"error":{}})") << 0 << 0;
}

void InstagramErrorsTest::hostileFieldsAreReadAsAbsent() {
    QFETCH(QByteArray, body);
    QFETCH(int, code);
    QFETCH(int, subcode);
    const auto error = parseGraphError(400, body);
    QVERIFY(error);
    QCOMPARE(error->code, code);
    QCOMPARE(error->subcode, subcode);
    verifyReadable(problemFor(*error));
}

void InstagramErrorsTest::envelopeWithoutCodeFallsBackOnTheStatus() {
    const QByteArray body =
        R"({"error":{"message":42,"type":["x"],"is_transient":"yes","fbtrace_id":{}}})";
    const auto unavailable = parseGraphError(503, body);
    QVERIFY(unavailable);
    QVERIFY(unavailable->message.isEmpty() && unavailable->type.isEmpty());
    QVERIFY(!unavailable->isTransient);
    QCOMPARE(problemFor(*unavailable).action, Action::RetryWithBackoff);
    QCOMPARE(problemFor(*unavailable).code, QString("http_503"));
    const auto refused = parseGraphError(400, body);
    QCOMPARE(problemFor(*refused).action, Action::None);
    QVERIFY(!problemFor(*refused).retryable);
}

void InstagramErrorsTest::containerStatusBecomesAProblem_data() {
    QTest::addColumn<QString>("statusCode");
    QTest::addColumn<QString>("status");
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("keyword");
    QTest::newRow("expired") << "EXPIRED"
                             << "Expired: not published within 24 hours." << Action::NewContainer
                             << "container_expired"
                             << "not published within 24 hours";
    QTest::newRow("error with subcode in brackets")
        << "ERROR"
        << "Error: The video format is not supported. (2207026)" << Action::FixMedia
        << "352/2207026"
        << "video's format";
    QTest::newRow("error with code sentence")
        << "ERROR"
        << "Error: Media upload has failed with error code 2207003" << Action::RetryWithBackoff
        << "-2/2207003"
        << "timed out";
    QTest::newRow("error, carousel child expired")
        << "ERROR"
        << "Error: Carousel item 17900 failed: EXPIRED (2207020)" << Action::NewContainer
        << "-2/2207020"
        << "24 hours";
    QTest::newRow("error with unknown subcode")
        << "ERROR"
        << "Error: Something new (2209999)" << Action::FixMedia << "container_error"
        << "Something new";
    QTest::newRow("error without subcode")
        << "ERROR"
        << "Error: Unexpected problem" << Action::FixMedia << "container_error"
        << "Unexpected problem";
    QTest::newRow("error without text") << "ERROR"
                                        << "" << Action::FixMedia << "container_error"
                                        << "gave no reason";
    QTest::newRow("in progress") << "IN_PROGRESS"
                                 << "In Progress" << Action::KeepPolling << "container_in_progress"
                                 << "still processing";
    QTest::newRow("lower case expired") << "expired"
                                        << "" << Action::NewContainer << "container_expired"
                                        << "24 hours";
    QTest::newRow("unknown state") << "MELTED"
                                   << "" << Action::RetryWithBackoff << "container_status_unknown"
                                   << "MELTED";
}

void InstagramErrorsTest::containerStatusBecomesAProblem() {
    QFETCH(QString, statusCode);
    QFETCH(QString, status);
    QFETCH(Action, action);
    QFETCH(QString, code);
    QFETCH(QString, keyword);
    const Problem p = problemForContainerStatus(statusCode, status);
    QCOMPARE(p.action, action);
    QCOMPARE(p.code, code);
    QVERIFY2(p.message.contains(keyword), qPrintable(p.message));
    verifyReadable(p);
}

void InstagramErrorsTest::toErrorCarriesDomainCodeMessageStatusRetryableAndWait() {
    const Problem limit = problemFor(graphError(80002), 3);
    const auto error = toError(limit, 400);
    QCOMPARE(error.domain, QString("instagram"));
    QCOMPARE(error.code, QString("80002"));
    QCOMPARE(error.message, limit.message);
    QCOMPARE(error.httpStatus, 400);
    QVERIFY(error.retryable);
    QVERIFY(error.retryAfter.has_value());
    QCOMPARE(error.retryAfter->count(), 180);
    const auto token = toError(problemFor(graphError(190, 460)));
    QCOMPARE(token.code, QString("190/460"));
    QCOMPARE(token.httpStatus, 0);
    QVERIFY(!token.retryable);
    QVERIFY(!token.retryAfter.has_value());
    // Finished containers are not problems.
    QCOMPARE(problemForContainerStatus("FINISHED", "").action, Action::None);
    QCOMPARE(problemForContainerStatus("PUBLISHED", "").action, Action::None);
}

QTEST_GUILESS_MAIN(InstagramErrorsTest)
#include "tst_instagramerrors.moc"
