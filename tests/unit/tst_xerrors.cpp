#include "platforms/x/xerrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace huntaze::x;

namespace {

constexpr qint64 kNow = 1'760'000'000; // a fixed "now", epoch seconds

QByteArray problemJson(int status, const QString &title, const QString &detail,
                       const QString &type = "about:blank") {
    return QJsonDocument(
               QJsonObject{
                   {"type", type}, {"title", title}, {"detail", detail}, {"status", status}})
        .toJson(QJsonDocument::Compact);
}

QByteArray legacyJson(int code, const QString &message) {
    return QJsonDocument(QJsonObject{{"errors", QJsonArray{QJsonObject{{"code", code},
                                                                       {"message", message}}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray oauthJson(const QString &error, const QString &description = "") {
    return QJsonDocument(QJsonObject{{"error", error}, {"error_description", description}})
        .toJson(QJsonDocument::Compact);
}

QString typeUrl(const QString &name) {
    return "https://api.twitter.com/2/problems/" + name;
}

Problem classify(int status, const QByteArray &body, const RateLimits &limits = {}) {
    return problemFor(status, parseErrorBody(body), limits, kNow);
}

RateLimits headers(const QList<std::pair<QByteArray, QByteArray>> &pairs) {
    return parseRateLimits(pairs);
}

// What every message shown to a user must look like.
void verifyReadable(const Problem &p) {
    QVERIFY2(!p.message.isEmpty(), qPrintable(p.code));
    QVERIFY2(p.message.at(0).isUpper(), qPrintable(p.message));
    QVERIFY2(p.message.endsWith('.'), qPrintable(p.message));
    QVERIFY2(!p.message.contains('\n'), qPrintable(p.message));
    QVERIFY2(p.message.size() < 600, qPrintable(p.message));
    QVERIFY2(!p.message.contains(QRegularExpression("\\bHTTP\\b")), qPrintable(p.message));
    QVERIFY2(QRegularExpression("^[a-z][a-z0-9_]{1,40}$").match(p.code).hasMatch(),
             qPrintable(p.code));
}

const QString kToken =
    "bFZ3dGxrZ0pHbnBqNE1ZZ3NvRmhZSVV6dEp0Z2ZTVnRqOjE3MzA1MDE4Nzk2MzQ6MToxOmF0OjE";

} // namespace

Q_DECLARE_METATYPE(Action)

// xerrors.h: both of X's error shapes and the token endpoint's, every documented code
// and message mapped to what happened and what to do, limits with their reset times,
// and bodies that try to break the parser or smuggle text to the user.
class XErrorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void problemShapeIsParsedWithEveryField();
    void problemWithNestedErrorsKeepsTheirMessages();
    void legacyShapeIsParsedWithEveryCode();
    void oauthShapeIsParsed();
    void partialErrorListReadsAsAProblem();
    void whatIsNotAnXErrorBodyIsRefused_data();
    void whatIsNotAnXErrorBodyIsRefused();
    void hostileFieldsAreBoundedOrIgnored();
    void everyDocumentedErrorMapsToItsActionAndMessage_data();
    void everyDocumentedErrorMapsToItsActionAndMessage();
    void everyMappedCodeHasItsOwnMessage();
    void duplicateContentIsRecognisedInBothShapes();
    void missingScopesAreNamed();
    void rateLimitWaitsForTheWindowReset();
    void dailyCapsWinOverTheWindowAndWaitForTheirReset_data();
    void dailyCapsWinOverTheWindowAndWaitForTheirReset();
    void limitWithoutResetAsksToBackOff();
    void resetsInThePastOrFarFutureAreBounded_data();
    void resetsInThePastOrFarFutureAreBounded();
    void legacyDailyStatusLimitIsTheUserCap();
    void rateHeadersAreReadCaseInsensitively();
    void hostileRateHeadersCountAsNotReported_data();
    void hostileRateHeadersCountAsNotReported();
    void quotedTextIsCleanedAndCut();
    void aTokenNeverReachesAMessageOrDetail_data();
    void aTokenNeverReachesAMessageOrDetail();
    void processingFailureQuotesXsReason();
    void errorForCarriesDomainCodeStatusDetailAndRetryAfter();
};

void XErrorsTest::problemShapeIsParsedWithEveryField() {
    const auto body =
        parseErrorBody(problemJson(403, "Forbidden",
                                   "You are not allowed to create a Tweet with duplicate "
                                   "content."));
    QVERIFY(body);
    QCOMPARE(body->shape, ErrorBody::Shape::Problem);
    QCOMPARE(body->type, QString("about:blank"));
    QCOMPARE(body->title, QString("Forbidden"));
    QCOMPARE(body->detail,
             QString("You are not allowed to create a Tweet with duplicate content."));
    QCOMPARE(body->status, 403);
    QVERIFY(body->codes.isEmpty());
}

void XErrorsTest::problemWithNestedErrorsKeepsTheirMessages() {
    const QByteArray raw = R"({"errors":[{"parameters":{"ids":["x"]},"message":"The `ids` query
parameter value [x] is not valid"},{"message":"second"}],"title":"Invalid Request","detail":"One
or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"})";
    const auto body = parseErrorBody(QByteArray(raw).replace('\n', ' '));
    QVERIFY(body);
    QCOMPARE(body->shape, ErrorBody::Shape::Problem);
    QCOMPARE(body->more.size(), 2);
    QVERIFY(body->more.first().contains("[x] is not valid"));
    QCOMPARE(classify(400, QByteArray(raw).replace('\n', ' ')).code, QString("invalid_request"));
}

void XErrorsTest::legacyShapeIsParsedWithEveryCode() {
    const auto body = parseErrorBody(
        R"({"errors":[{"code":88,"message":"Rate limit exceeded"},{"code":"185","message":"User is over daily status update limit."}]})");
    QVERIFY(body);
    QCOMPARE(body->shape, ErrorBody::Shape::Legacy);
    QCOMPARE(body->codes, (QList<int>{88, 185}));
    QCOMPARE(body->detail, QString("Rate limit exceeded"));
    QCOMPARE(body->more, QStringList{"User is over daily status update limit."});
}

void XErrorsTest::oauthShapeIsParsed() {
    const auto body = parseErrorBody(oauthJson("invalid_request", "Value passed for the token "
                                                                  "was invalid."));
    QVERIFY(body);
    QCOMPARE(body->shape, ErrorBody::Shape::OAuth);
    QCOMPARE(body->oauthError, QString("invalid_request"));
    QCOMPARE(body->detail, QString("Value passed for the token was invalid."));
    // An error name that is not an identifier is not kept as given.
    QCOMPARE(parseErrorBody(oauthJson("<script>x</script>"))->oauthError, QString("unknown"));
}

void XErrorsTest::partialErrorListReadsAsAProblem() {
    const auto body = parseErrorBody(
        R"({"errors":[{"value":"12","detail":"Could not find tweet with ids: [12].","title":"Not Found Error","resource_type":"tweet","parameter":"ids","resource_id":"12","type":"https://api.twitter.com/2/problems/resource-not-found"}]})");
    QVERIFY(body);
    QCOMPARE(body->shape, ErrorBody::Shape::Problem);
    QCOMPARE(body->title, QString("Not Found Error"));
    QCOMPARE(problemFor(404, body, {}, kNow).code, QString("not_found"));
}

void XErrorsTest::whatIsNotAnXErrorBodyIsRefused_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("html") << QByteArray("<html><body>502 Bad Gateway</body></html>");
    QTest::newRow("truncated") << QByteArray(R"({"title":"Forbid)");
    QTest::newRow("array") << QByteArray(R"([{"code":187}])");
    QTest::newRow("string") << QByteArray(R"("duplicate content")");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("data only") << QByteArray(R"({"data":{"id":"1"}})");
    QTest::newRow("errors not a list") << QByteArray(R"({"errors":{"code":187}})");
    QTest::newRow("errors of nothing") << QByteArray(R"({"errors":[1,"a",null,{}]})");
    QTest::newRow("title not a string") << QByteArray(R"({"title":42,"status":403})");
    QByteArray huge = R"({"title":"Forbidden","detail":")" + QByteArray(70 * 1024, 'a') + "\"}";
    QTest::newRow("over 64 KiB") << huge;
}

void XErrorsTest::whatIsNotAnXErrorBodyIsRefused() {
    QFETCH(QByteArray, body);
    QVERIFY(!parseErrorBody(body));
    // Judged by the status alone, and still readable.
    const Problem p = classify(403, body);
    QCOMPARE(p.code, QString("forbidden"));
    verifyReadable(p);
}

void XErrorsTest::hostileFieldsAreBoundedOrIgnored() {
    // A deeply nested body does not crash the parser (Qt refuses it as too deep).
    QByteArray deep = QByteArray(5000, '[') + QByteArray(5000, ']');
    QVERIFY(!parseErrorBody(deep));
    // Status as a string, as a fraction, as 1e300.
    QCOMPARE(parseErrorBody(R"({"title":"x","status":"403"})")->status, 403);
    QCOMPARE(parseErrorBody(R"({"title":"x","status":403.5})")->status, 0);
    QCOMPARE(parseErrorBody(R"({"title":"x","status":1e300})")->status, 0);
    // Legacy codes that are not ints read as 0, never as something they are not.
    QCOMPARE(parseErrorBody(R"({"errors":[{"code":1e300,"message":"m"}]})")->codes, QList<int>{0});
    // Every text is cut at 4000 characters, and only 5 further messages are kept.
    QJsonArray many;
    for (int i = 0; i < 50; ++i)
        many.append(QJsonObject{{"code", 44},
                                {"message", QString(i == 0 ? 5000 : 100, QChar('a' + i % 26))}});
    const auto body =
        parseErrorBody(QJsonDocument(QJsonObject{{"errors", many}}).toJson(QJsonDocument::Compact));
    QVERIFY(body);
    QCOMPARE(body->detail.size(), 4000);
    QCOMPARE(body->more.size(), 5);
    QCOMPARE(body->codes.size(), 20);
}

void XErrorsTest::everyDocumentedErrorMapsToItsActionAndMessage_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("keyword"); // the key idea the user must read

    const QString dup = "You are not allowed to create a Tweet with duplicate content.";
    // Duplicate content, both shapes.
    QTest::newRow("duplicate problem")
        << 403 << problemJson(403, "Forbidden", dup) << "duplicate_content" << Action::FixPost
        << false << "same text";
    QTest::newRow("duplicate legacy 187")
        << 403 << legacyJson(187, "Status is a duplicate.") << "duplicate_content"
        << Action::FixPost << false << "same text";
    // Limits.
    QTest::newRow("429 problem") << 429
                                 << problemJson(429, "Too Many Requests", "Too Many Requests")
                                 << "rate_limited" << Action::WaitUntil << true << "limiting";
    QTest::newRow("429 legacy 88") << 429 << legacyJson(88, "Rate limit exceeded") << "rate_limited"
                                   << Action::WaitUntil << true << "limiting";
    QTest::newRow("429 without body")
        << 429 << QByteArray() << "rate_limited" << Action::WaitUntil << true << "limiting";
    QTest::newRow("legacy 185 daily")
        << 403 << legacyJson(185, "User is over daily status update limit.")
        << "daily_post_cap_user" << Action::WaitUntil << true << "24 hours";
    QTest::newRow("usage capped") << 429
                                  << problemJson(429, "UsageCapExceeded",
                                                 "Usage cap exceeded: Monthly product cap",
                                                 typeUrl("usage-capped"))
                                  << "rate_limited" << Action::WaitUntil << true << "limiting";
    QTest::newRow("usage capped as 403")
        << 403
        << problemJson(403, "UsageCapExceeded", "Usage cap exceeded: Monthly product cap",
                       typeUrl("usage-capped"))
        << "usage_capped" << Action::WaitUntil << true << "used up";
    // Authentication and authorization.
    QTest::newRow("401 problem") << 401 << problemJson(401, "Unauthorized", "Unauthorized")
                                 << "token_invalid" << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("legacy 89") << 401 << legacyJson(89, "Invalid or expired token.")
                               << "token_invalid" << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("legacy 32") << 401 << legacyJson(32, "Could not authenticate you.")
                               << "token_invalid" << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("legacy 215") << 400 << legacyJson(215, "Bad Authentication data.")
                                << "token_invalid" << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("401 without body")
        << 401 << QByteArray() << "token_invalid" << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("missing scopes problem")
        << 403 << problemJson(403, "Forbidden", "Missing required OAuth 2.0 scopes: media.write")
        << "missing_scope" << Action::Reconnect << false << "\"media.write\"";
    QTest::newRow("missing scopes legacy 453")
        << 403 << legacyJson(453, "Missing required OAuth 2.0 scopes: tweet.write")
        << "missing_scope" << Action::Reconnect << false << "\"tweet.write\"";
    QTest::newRow("unsupported authentication")
        << 403
        << problemJson(403, "Unsupported Authentication",
                       "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                       "endpoint.",
                       typeUrl("unsupported-authentication"))
        << "unsupported_authentication" << Action::ContactSupport << false << "support";
    QTest::newRow("legacy 220") << 403 << legacyJson(220, "Your credentials do not allow access.")
                                << "unsupported_authentication" << Action::ContactSupport << false
                                << "support";
    QTest::newRow("client forbidden")
        << 403
        << problemJson(403, "Client Forbidden",
                       "This request must be made using an approved "
                       "developer account",
                       typeUrl("client-forbidden"))
        << "app_access_level" << Action::ContactSupport << false << "access level";
    QTest::newRow("legacy 453 access level")
        << 403
        << legacyJson(453, "You currently have access to a subset of X API V2 endpoints and "
                           "limited v1.1 endpoints only.")
        << "app_access_level" << Action::ContactSupport << false << "access level";
    QTest::newRow("legacy 64 suspended")
        << 403
        << legacyJson(64, "Your account is suspended and is not permitted to access "
                          "this feature.")
        << "account_suspended" << Action::CheckAccount << false << "suspended";
    QTest::newRow("legacy 326 locked")
        << 403
        << legacyJson(326, "To protect our users from spam and other malicious "
                           "activity, this account is temporarily locked.")
        << "account_locked" << Action::CheckAccount << false << "locked";
    QTest::newRow("legacy 226 automated")
        << 403 << legacyJson(226, "This request looks like it might be automated.")
        << "automated_request" << Action::CheckAccount << false << "automated";
    QTest::newRow("legacy 261 app write")
        << 403 << legacyJson(261, "Application cannot perform write actions.") << "app_restricted"
        << Action::ContactSupport << false << "restricted";
    QTest::newRow("legacy 416 app suspended")
        << 401 << legacyJson(416, "Invalid / suspended application") << "token_invalid"
        << Action::RefreshAndRetry << true << "renew";
    QTest::newRow("legacy 416 as 403")
        << 403 << legacyJson(416, "Invalid / suspended application") << "app_restricted"
        << Action::ContactSupport << false << "restricted";
    // The post itself.
    QTest::newRow("text too long problem")
        << 403
        << problemJson(403, "Forbidden",
                       "You are not permitted to create a Tweet with more than 280 characters.")
        << "text_too_long" << Action::FixPost << false << "280";
    QTest::newRow("legacy 186") << 403 << legacyJson(186, "Tweet needs to be a bit shorter.")
                                << "text_too_long" << Action::FixPost << false << "280";
    QTest::newRow("reply target deleted")
        << 403
        << problemJson(403, "Forbidden",
                       "You attempted to reply to a Tweet that is deleted or "
                       "not visible to you.")
        << "reply_target_unavailable" << Action::FixPost << false << "replies to";
    QTest::newRow("legacy 385") << 403
                                << legacyJson(385, "You attempted to reply to a tweet "
                                                   "that is deleted or not visible.")
                                << "reply_target_unavailable" << Action::FixPost << false
                                << "replies to";
    QTest::newRow("legacy 433 reply restricted")
        << 403
        << legacyJson(433, "The original Tweet author restricted who can reply to this "
                           "Tweet.")
        << "reply_restricted" << Action::FixPost << false << "who can reply";
    // Media.
    QTest::newRow("media combination problem")
        << 400
        << problemJson(400, "Invalid Request",
                       "Your media IDs are invalid: at most 4 photos, or 1 GIF, or 1 video.",
                       typeUrl("invalid-request"))
        << "media_combination" << Action::FixPost << false << "4 photos";
    QTest::newRow("legacy 323 gif mix")
        << 400 << legacyJson(323, "GIFs cannot be combined with other media.")
        << "media_combination" << Action::FixPost << false << "4 photos";
    QTest::newRow("legacy 386 attachment types")
        << 400 << legacyJson(386, "The Tweet exceeds the number of allowed attachment types.")
        << "media_combination" << Action::FixPost << false << "4 photos";
    QTest::newRow("media ids invalid problem")
        << 400
        << problemJson(400, "Invalid Request", "Your media IDs are invalid.",
                       typeUrl("invalid-request"))
        << "media_ids_invalid" << Action::UploadAgain << true << "upload the files again";
    QTest::newRow("legacy 324") << 400 << legacyJson(324, "The validation of media ids failed.")
                                << "media_ids_invalid" << Action::UploadAgain << true
                                << "upload the files again";
    QTest::newRow("legacy 325") << 400 << legacyJson(325, "A media id was not found.")
                                << "media_ids_invalid" << Action::UploadAgain << true
                                << "upload the files again";
    QTest::newRow("unsupported media")
        << 400
        << problemJson(400, "Invalid Request",
                       "Invalid or Unsupported media, Reason: UnsupportedMedia.")
        << "media_unsupported" << Action::FixMedia << false << "UnsupportedMedia";
    QTest::newRow("file too large")
        << 400 << problemJson(400, "Invalid Request", "File size exceeds 5242880 bytes.")
        << "media_too_large" << Action::FixMedia << false << "5 MB";
    QTest::newRow("413") << 413 << QByteArray() << "media_too_large" << Action::FixMedia << false
                         << "512 MB";
    QTest::newRow("upload expired")
        << 400
        << problemJson(400, "Invalid Request",
                       "The media_id [1870000000000004097] is not valid or has expired.")
        << "upload_expired" << Action::UploadAgain << true << "a day";
    QTest::newRow("segments missing")
        << 400
        << problemJson(400, "Invalid Request",
                       "Segments do not add up to provided total file size.")
        << "upload_out_of_step" << Action::UploadAgain << true << "upload it again";
    // Lookups.
    QTest::newRow("legacy 144") << 404 << legacyJson(144, "No status found with that ID.")
                                << "not_found" << Action::None << false << "deleted";
    QTest::newRow("not found problem")
        << 404
        << problemJson(404, "Not Found Error", "Could not find tweet with id: [1].",
                       typeUrl("resource-not-found"))
        << "not_found" << Action::None << false << "deleted";
    QTest::newRow("field not authorized")
        << 403
        << problemJson(403, "Field Authorization Error",
                       "Sorry, you are not authorized to access 'non_public_metrics' on the "
                       "Tweet with ids: [1].",
                       typeUrl("not-authorized-for-field"))
        << "field_not_authorized" << Action::None << false << "30 days";
    QTest::newRow("resource not authorized")
        << 403
        << problemJson(403, "Authorization Error",
                       "Sorry, you are not authorized to see "
                       "the Tweet with id: [1].",
                       typeUrl("not-authorized-for-resource"))
        << "not_authorized" << Action::FixPost << false << "protected";
    QTest::newRow("legacy 179") << 403
                                << legacyJson(179, "Sorry, you are not authorized to see "
                                                   "this status.")
                                << "not_authorized" << Action::FixPost << false << "protected";
    QTest::newRow("resource unavailable")
        << 403
        << problemJson(403, "Forbidden", "User has been suspended: [x].",
                       typeUrl("resource-unavailable"))
        << "resource_unavailable" << Action::FixPost << false << "suspended";
    QTest::newRow("disallowed resource")
        << 403 << problemJson(403, "Forbidden", "Nope.", typeUrl("disallowed-resource"))
        << "resource_unavailable" << Action::FixPost << false << "not available";
    // X-side trouble and no answer.
    QTest::newRow("legacy 130 over capacity")
        << 503 << legacyJson(130, "Over capacity") << "over_capacity" << Action::RetryWithBackoff
        << true << "over capacity";
    QTest::newRow("503") << 503 << QByteArray("<html>") << "over_capacity"
                         << Action::RetryWithBackoff << true << "over capacity";
    QTest::newRow("legacy 131") << 500 << legacyJson(131, "Internal error") << "server_error"
                                << Action::RetryWithBackoff << true << "its side";
    QTest::newRow("502") << 502 << QByteArray() << "server_error" << Action::RetryWithBackoff
                         << true << "its side";
    QTest::newRow("no answer") << 0 << QByteArray() << "unreachable" << Action::RetryWithBackoff
                               << true << "could not be reached";
    // Invalid requests and the rest, quoted.
    QTest::newRow("invalid request problem")
        << 400
        << problemJson(400, "Invalid Request", "$.reply_settings: one of following",
                       typeUrl("invalid-request"))
        << "invalid_request" << Action::FixPost << false << "reply_settings";
    QTest::newRow("legacy 44") << 400 << legacyJson(44, "attachment_url parameter is invalid.")
                               << "invalid_request" << Action::FixPost << false << "attachment_url";
    QTest::newRow("400 bare") << 400 << QByteArray() << "invalid_request" << Action::FixPost
                              << false << "no reason";
    QTest::newRow("403 unknown") << 403 << problemJson(403, "Forbidden", "Something new.")
                                 << "forbidden" << Action::FixPost << false << "Something new";
    QTest::newRow("418 unknown") << 418 << legacyJson(999, "I am a teapot.") << "rejected"
                                 << Action::FixPost << false << "teapot";
    // The token endpoint's shape.
    QTest::newRow("oauth invalid_grant") << 400 << oauthJson("invalid_grant") << "oauth_refused"
                                         << Action::Reconnect << false << "Connect your X";
    QTest::newRow("oauth invalid_request")
        << 400 << oauthJson("invalid_request", "Value passed for the token was invalid.")
        << "oauth_refused" << Action::Reconnect << false << "Connect your X";
    QTest::newRow("oauth access_denied") << 400 << oauthJson("access_denied") << "oauth_refused"
                                         << Action::Reconnect << false << "Connect your X";
    QTest::newRow("oauth unauthorized_client")
        << 401 << oauthJson("unauthorized_client", "Missing valid authorization header")
        << "oauth_app_refused" << Action::ContactSupport << false << "support";
    QTest::newRow("oauth invalid_client")
        << 400 << oauthJson("invalid_client") << "oauth_app_refused" << Action::ContactSupport
        << false << "support";
    QTest::newRow("oauth server_error") << 500 << oauthJson("server_error") << "oauth_unavailable"
                                        << Action::RetryWithBackoff << true << "unavailable";
    QTest::newRow("oauth temporarily_unavailable")
        << 503 << oauthJson("temporarily_unavailable") << "oauth_unavailable"
        << Action::RetryWithBackoff << true << "unavailable";
}

void XErrorsTest::everyDocumentedErrorMapsToItsActionAndMessage() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QString, keyword);
    const Problem p = classify(status, body);
    QCOMPARE(p.code, code);
    QCOMPARE(p.action, action);
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p);
    QVERIFY2(p.message.contains(keyword, Qt::CaseInsensitive), qPrintable(p.message));
}

void XErrorsTest::everyMappedCodeHasItsOwnMessage() {
    // Each code has one message, and no two codes share one.
    QHash<QString, QString> byCode;
    QSet<QString> messages;
    const QList<std::pair<int, QByteArray>> answers = {
        {403, legacyJson(187, "d")},
        {401, {}},
        {403, legacyJson(64, "s")},
        {403, legacyJson(326, "l")},
        {403, legacyJson(226, "a")},
        {403, legacyJson(186, "t")},
        {403, legacyJson(385, "r")},
        {403, legacyJson(433, "r")},
        {400, legacyJson(323, "m")},
        {400, legacyJson(324, "m")},
        {413, {}},
        {404, {}},
        {503, {}},
        {500, {}},
        {0, {}},
        {403, legacyJson(220, "u")},
        {403, legacyJson(453, "a")},
        {403, legacyJson(261, "w")},
    };
    for (const auto &[status, body] : answers) {
        const Problem p = classify(status, body);
        QVERIFY2(!byCode.contains(p.code) || byCode.value(p.code) == p.message, qPrintable(p.code));
        byCode.insert(p.code, p.message);
        messages.insert(p.message);
    }
    QCOMPARE(messages.size(), byCode.size());
}

void XErrorsTest::duplicateContentIsRecognisedInBothShapes() {
    // Even as a 400 or with another title: the words are what X documents.
    const Problem problem =
        classify(400, problemJson(400, "Bad",
                                  "You are not allowed to create a Tweet with duplicate content."));
    const Problem legacy = classify(403, legacyJson(187, "Status is a duplicate."));
    QCOMPARE(problem.code, QString("duplicate_content"));
    QCOMPARE(legacy.code, problem.code);
    QCOMPARE(legacy.message, problem.message);
    QVERIFY(!problem.retryable);
    QVERIFY(problem.message.contains("Change the text"));
}

void XErrorsTest::missingScopesAreNamed() {
    const Problem two =
        classify(403, problemJson(403, "Forbidden",
                                  "Missing required OAuth 2.0 scopes: media.write tweet.write"));
    QVERIFY2(two.message.contains("\"media.write tweet.write\""), qPrintable(two.message));
    // Scope text that is not scope names is not quoted.
    const Problem odd =
        classify(403, problemJson(403, "Forbidden", "Missing required OAuth 2.0 scopes: <b>"));
    QCOMPARE(odd.code, QString("missing_scope"));
    QVERIFY(!odd.message.contains("<b>"));
    verifyReadable(odd);
}

void XErrorsTest::rateLimitWaitsForTheWindowReset() {
    const RateLimits limits = headers({{"x-rate-limit-limit", "100"},
                                       {"x-rate-limit-remaining", "0"},
                                       {"x-rate-limit-reset", QByteArray::number(kNow + 300)}});
    const Problem p =
        classify(429, problemJson(429, "Too Many Requests", "Too Many Requests"), limits);
    QCOMPARE(p.code, QString("rate_limited"));
    QCOMPARE(p.waitSeconds, 300);
    QCOMPARE(p.waitUntil, QDateTime::fromSecsSinceEpoch(kNow + 300, Qt::UTC));
    QVERIFY2(p.message.contains("in about 5 minutes"), qPrintable(p.message));
    const auto error = toError(p, 429);
    QVERIFY(error.retryAfter);
    QCOMPARE(error.retryAfter->count(), 300);
}

void XErrorsTest::dailyCapsWinOverTheWindowAndWaitForTheirReset_data() {
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("code");
    QTest::newRow("user") << QByteArray("x-user-limit-24hour") << "daily_post_cap_user";
    QTest::newRow("app") << QByteArray("x-app-limit-24hour") << "daily_post_cap_app";
}

void XErrorsTest::dailyCapsWinOverTheWindowAndWaitForTheirReset() {
    QFETCH(QByteArray, prefix);
    QFETCH(QString, code);
    const qint64 dayReset = kNow + 20 * 3600;
    const RateLimits limits = headers({{"x-rate-limit-limit", "100"},
                                       {"x-rate-limit-remaining", "0"},
                                       {"x-rate-limit-reset", QByteArray::number(kNow + 60)},
                                       {prefix + "-limit", "2400"},
                                       {prefix + "-remaining", "0"},
                                       {prefix + "-reset", QByteArray::number(dayReset)}});
    const Problem p = classify(429, legacyJson(88, "Rate limit exceeded"), limits);
    QCOMPARE(p.code, code);
    QCOMPARE(p.action, Action::WaitUntil);
    QCOMPARE(p.waitSeconds, 20 * 3600);
    QCOMPARE(p.waitUntil.toSecsSinceEpoch(), dayReset);
    QVERIFY2(p.message.contains("after"), qPrintable(p.message));
    verifyReadable(p);
    // The cap alone, with plenty left in the window, is still the cap.
    const RateLimits capOnly = headers({{prefix + "-remaining", "0"},
                                        {prefix + "-reset", QByteArray::number(dayReset)},
                                        {"x-rate-limit-remaining", "57"},
                                        {"x-rate-limit-reset", QByteArray::number(kNow + 60)}});
    QCOMPARE(classify(429, {}, capOnly).code, code);
}

void XErrorsTest::limitWithoutResetAsksToBackOff() {
    const Problem p = classify(429, {}, {});
    QCOMPARE(p.code, QString("rate_limited"));
    QCOMPARE(p.waitSeconds, 0);
    QVERIFY(!p.waitUntil.isValid());
    QVERIFY(!toError(p).retryAfter);
    QVERIFY2(p.message.contains("once X allows it again"), qPrintable(p.message));
}

void XErrorsTest::resetsInThePastOrFarFutureAreBounded_data() {
    QTest::addColumn<qint64>("reset");
    QTest::addColumn<qint64>("wait");
    QTest::newRow("past") << kNow - 500 << qint64(1);
    QTest::newRow("now") << kNow << qint64(1);
    QTest::newRow("a minute") << kNow + 45 << qint64(45);
    QTest::newRow("a year") << kNow + 365LL * 86400 << qint64(25 * 3600);
}

void XErrorsTest::resetsInThePastOrFarFutureAreBounded() {
    QFETCH(qint64, reset);
    QFETCH(qint64, wait);
    const Problem p = problemForLimit(LimitKind::Window, reset, kNow);
    QCOMPARE(p.waitSeconds, wait);
    QCOMPARE(p.waitUntil.toSecsSinceEpoch(), kNow + wait);
    verifyReadable(p);
}

void XErrorsTest::legacyDailyStatusLimitIsTheUserCap() {
    const RateLimits limits =
        headers({{"x-user-limit-24hour-remaining", "0"},
                 {"x-user-limit-24hour-reset", QByteArray::number(kNow + 7200)}});
    const Problem p =
        classify(403, legacyJson(185, "User is over daily status update limit."), limits);
    QCOMPARE(p.code, QString("daily_post_cap_user"));
    QCOMPARE(p.waitSeconds, 7200);
}

void XErrorsTest::rateHeadersAreReadCaseInsensitively() {
    const RateLimits limits = headers({{"X-Rate-Limit-Limit", "900"},
                                       {"x-rate-limit-remaining", " 899 "},
                                       {"X-RATE-LIMIT-RESET", "1760000900"},
                                       {"x-user-limit-24hour-limit", "2400"},
                                       {"x-user-limit-24hour-remaining", "2399"},
                                       {"x-user-limit-24hour-reset", "1760086400"},
                                       {"x-app-limit-24hour-limit", "10000"},
                                       {"x-app-limit-24hour-remaining", "9000"},
                                       {"x-app-limit-24hour-reset", "1760086401"},
                                       {"content-type", "application/json"}});
    QCOMPARE(limits.window.limit, 900);
    QCOMPARE(limits.window.remaining, 899);
    QCOMPARE(limits.window.resetEpoch, 1760000900);
    QVERIFY(limits.window.reported() && !limits.window.exhausted());
    QCOMPARE(limits.userDay.limit, 2400);
    QCOMPARE(limits.userDay.remaining, 2399);
    QCOMPARE(limits.userDay.resetEpoch, 1760086400);
    QCOMPARE(limits.appDay.limit, 10000);
    QCOMPARE(limits.appDay.remaining, 9000);
    QCOMPARE(limits.appDay.resetEpoch, 1760086401);
    const RateLimits none = headers({});
    QVERIFY(!none.window.reported() && !none.userDay.reported() && !none.appDay.reported());
}

void XErrorsTest::hostileRateHeadersCountAsNotReported_data() {
    QTest::addColumn<QByteArray>("remaining");
    QTest::addColumn<QByteArray>("reset");
    QTest::addColumn<qint64>("wait"); // what a 429 carrying these headers waits
    const QByteArray reset = QByteArray::number(kNow + 900);
    QTest::newRow("negative remaining") << QByteArray("-1") << reset << qint64(900);
    QTest::newRow("fraction") << QByteArray("1.5") << reset << qint64(900);
    QTest::newRow("exponent") << QByteArray("1e3") << reset << qint64(900);
    QTest::newRow("hex") << QByteArray("0x10") << reset << qint64(900);
    QTest::newRow("huge remaining") << QByteArray("99999999999") << reset << qint64(900);
    QTest::newRow("forty digits") << QByteArray(40, '9') << reset << qint64(900);
    QTest::newRow("reset in ms") << QByteArray("0") << QByteArray(reset + "000") << qint64(0);
    QTest::newRow("reset negative") << QByteArray("0") << QByteArray("-5") << qint64(0);
    QTest::newRow("reset text") << QByteArray("0") << QByteArray("tomorrow") << qint64(0);
    QTest::newRow("reset forty digits") << QByteArray("0") << QByteArray(40, '1') << qint64(0);
    QTest::newRow("empty") << QByteArray("") << QByteArray("") << qint64(0);
}

void XErrorsTest::hostileRateHeadersCountAsNotReported() {
    QFETCH(QByteArray, remaining);
    QFETCH(QByteArray, reset);
    QFETCH(qint64, wait);
    const RateLimits limits =
        headers({{"x-rate-limit-remaining", remaining}, {"x-rate-limit-reset", reset}});
    QVERIFY(!limits.window.reported());
    QVERIFY(!limits.window.exhausted());
    // The pacer is never stalled by them; a 429 still waits for a reset that is a reset,
    // and otherwise backs off, without a made-up time.
    QCOMPARE(classify(429, {}, limits).waitSeconds, wait);
}

void XErrorsTest::quotedTextIsCleanedAndCut() {
    const QString raw = "<b>Bad</b>\n\tthing\x01 " + QString("word ").repeated(100) + "end";
    const Problem p = classify(400, problemJson(400, "Invalid Request", raw));
    QVERIFY(!p.message.contains('<'));
    QVERIFY(!p.message.contains('\t'));
    QVERIFY(!p.message.contains(QChar(1)));
    QVERIFY(p.message.contains(QString("Bad thing")));
    QVERIFY(p.message.contains(QChar(0x2026))); // cut with an ellipsis
    QVERIFY(p.message.size() < 450);
    QVERIFY(cleanPlatformText(raw, 10).size() <= 11);
    // A surrogate pair is never cut in half.
    const QString emoji = QString(9, 'a') + QString::fromUtf8("\xF0\x9F\x98\x80") + "bbb";
    const QString cut = cleanPlatformText(emoji, 10);
    QVERIFY(!cut.at(cut.size() - 2).isHighSurrogate());
}

void XErrorsTest::aTokenNeverReachesAMessageOrDetail_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("bearer in detail")
        << 400 << problemJson(400, "Invalid Request", "Header was Authorization: Bearer " + kToken);
    QTest::newRow("bare token in detail")
        << 403 << problemJson(403, "Forbidden", "token " + kToken + " is not allowed");
    QTest::newRow("access_token parameter")
        << 400 << legacyJson(44, "access_token=" + kToken + " invalid");
    QTest::newRow("oauth description") << 400 << oauthJson("invalid_grant", "bad " + kToken);
    QTest::newRow("unknown status") << 418 << legacyJson(1, kToken);
}

void XErrorsTest::aTokenNeverReachesAMessageOrDetail() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const huntaze::Error error = errorFor(status, body, {}, kNow);
    QVERIFY2(!error.message.contains(kToken.left(24)), qPrintable(error.message));
    QVERIFY2(!error.detail.contains(kToken.left(24)), qPrintable(error.detail));
}

void XErrorsTest::processingFailureQuotesXsReason() {
    const Problem p = problemForProcessingFailure(
        "InvalidMedia", "Invalid or Unsupported media, Reason: Duration too long, "
                        "maximum:140000, actual:181000.");
    QCOMPARE(p.code, QString("media_processing_failed"));
    QCOMPARE(p.action, Action::FixMedia);
    QVERIFY(!p.retryable);
    QVERIFY(p.message.contains("Duration too long"));
    verifyReadable(p);
    const Problem bare = problemForProcessingFailure({}, {});
    QVERIFY(bare.message.contains("no reason"));
    verifyReadable(bare);
    QVERIFY(problemForProcessingFailure("InvalidMedia", {}).message.contains("InvalidMedia"));
}

void XErrorsTest::errorForCarriesDomainCodeStatusDetailAndRetryAfter() {
    const RateLimits limits = headers(
        {{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", QByteArray::number(kNow + 90)}});
    const huntaze::Error error =
        errorFor(429, problemJson(429, "Too Many Requests", "Too Many Requests"), limits, kNow);
    QCOMPARE(error.domain, QString("x"));
    QCOMPARE(error.code, QString("rate_limited"));
    QCOMPARE(error.httpStatus, 429);
    QVERIFY(error.retryable);
    QCOMPARE(error.retryAfter->count(), 90);
    QVERIFY2(error.detail.contains("HTTP 429") && error.detail.contains("Too Many Requests"),
             qPrintable(error.detail));
    const huntaze::Error legacy = errorFor(403, legacyJson(187, "dup"), {}, kNow);
    QVERIFY2(legacy.detail.contains("legacy codes=187"), qPrintable(legacy.detail));
    QVERIFY(!legacy.retryAfter);
    const huntaze::Error bare = errorFor(502, "<html>", {}, kNow);
    QVERIFY(bare.detail.contains("without an X error body"));
}

QTEST_GUILESS_MAIN(XErrorsTest)
#include "tst_xerrors.moc"
