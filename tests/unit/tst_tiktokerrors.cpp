#include "platforms/tiktok/tiktokerrors.h"

#include <QRegularExpression>
#include <QTest>

using huntaze::tiktok::Action;
using huntaze::tiktok::Problem;
using huntaze::tiktok::problemForApiError;
using huntaze::tiktok::problemForFailReason;
using huntaze::tiktok::toError;

namespace {

QString actionName(Action action) {
    switch (action) {
    case Action::RefreshAndRetry:
        return "RefreshAndRetry";
    case Action::Reconnect:
        return "Reconnect";
    case Action::WaitThenRetry:
        return "WaitThenRetry";
    case Action::RetryWithBackoff:
        return "RetryWithBackoff";
    case Action::FixMedia:
        return "FixMedia";
    case Action::FixRequest:
        return "FixRequest";
    case Action::ChooseAnotherPrivacy:
        return "ChooseAnotherPrivacy";
    case Action::CheckTikTok:
        return "CheckTikTok";
    case Action::ContactSupport:
        return "ContactSupport";
    case Action::None:
        return "None";
    }
    return "?";
}

// What every message shown to a user must look like.
void verifyReadable(const Problem &p, const QString &code) {
    QVERIFY2(!p.message.isEmpty(), qPrintable(code));
    QVERIFY2(p.message.trimmed() != code.trimmed(), qPrintable(p.message));
    QVERIFY2(p.message.at(0).isUpper(), qPrintable(p.message));
    QVERIFY2(p.message.endsWith('.'), qPrintable(p.message));
    QVERIFY2(!p.message.contains(QRegularExpression("\\bHTTP\\b")), qPrintable(p.message));
    QVERIFY2(p.message.size() < 1000, qPrintable(code.left(80)));
    QVERIFY2(!p.message.contains('\n'), qPrintable(p.message));
}

} // namespace

class TikTokErrorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyApiErrorCodeMapsToAnActionAndAnActionableMessage_data();
    void everyApiErrorCodeMapsToAnActionAndAnActionableMessage();
    void invalidParamQuotesThePlatformMessageBecauseItNamesTheField_data();
    void invalidParamQuotesThePlatformMessageBecauseItNamesTheField();
    void invalidParamWithoutAPlatformMessageStillSaysWhatToCheck();
    void codesMatchWhateverTheirCaseAndSurroundingSpace();
    void unknownApiCodeFallsBackOnTheHttpStatus_data();
    void unknownApiCodeFallsBackOnTheHttpStatus();
    void unknownApiCodeRefusedWithA4xxQuotesThePlatformMessageAndCode();
    void everyFailReasonMapsToAnActionAndAnActionableMessage_data();
    void everyFailReasonMapsToAnActionAndAnActionableMessage();
    void unknownFailReasonNamesTheReason();
    void emptyFailReasonSaysTikTokGaveNoReason();
    void hostileInputYieldsABoundedMessageWithOnlyATruncatedExcerpt_data();
    void hostileInputYieldsABoundedMessageWithOnlyATruncatedExcerpt();
    void aTokenInThePlatformMessageIsNeverShown();
    void toErrorCarriesDomainCodeMessageStatusAndRetryable();
};

void TikTokErrorsTest::everyApiErrorCodeMapsToAnActionAndAnActionableMessage_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("keyword");

    const auto row = [](const char *code, int status, Action action, bool retryable,
                        const char *keyword) {
        QTest::addRow("%s/%d", code, status)
            << QString(code) << status << action << retryable << QString(keyword);
    };
    // The envelope table of shared/platforms/tiktok.md.
    row("access_token_invalid", 401, Action::RefreshAndRetry, true, "refresh");
    row("scope_not_authorized", 401, Action::Reconnect, false, "reconnect");
    row("scope_permission_missed", 400, Action::ContactSupport, false, "support");
    row("invalid_param", 400, Action::FixRequest, false, "privacy_level");
    row("invalid_params", 400, Action::FixRequest, false, "privacy_level");
    row("invalid_file_upload", 400, Action::FixMedia, false, "MP4");
    row("rate_limit_exceeded", 429, Action::WaitThenRetry, true, "wait");
    row("spam_risk_too_many_pending_share", 403, Action::WaitThenRetry, true, "draft");
    row("spam_risk_too_many_posts", 403, Action::WaitThenRetry, true, "daily");
    row("spam_risk_user_banned_from_posting", 403, Action::CheckTikTok, false, "blocked");
    row("reached_active_user_cap", 403, Action::ContactSupport, false, "limit");
    row("unaudited_client_can_only_post_to_private_accounts", 403, Action::ChooseAnotherPrivacy,
        false, "Only me");
    row("url_ownership_unverified", 403, Action::FixRequest, false, "upload the file");
    row("privacy_level_option_mismatch", 403, Action::ChooseAnotherPrivacy, false, "privacy");
    row("internal_error", 500, Action::RetryWithBackoff, true, "try again");
    row("invalid_publish_id", 400, Action::None, false, "no longer recognises");
    row("token_not_authorized_for_specified_publish_id", 400, Action::FixRequest, false,
        "different TikTok account");
    row("publish_not_cancellable", 400, Action::None, false, "cancelled");
    // creator_info/query returns these with HTTP 200 on purpose: the code decides.
    row("spam_risk_too_many_pending_share", 200, Action::WaitThenRetry, true, "draft");
    row("spam_risk_too_many_posts", 200, Action::WaitThenRetry, true, "daily");
    row("spam_risk_user_banned_from_posting", 200, Action::CheckTikTok, false, "blocked");
    row("reached_active_user_cap", 200, Action::ContactSupport, false, "limit");
    // OAuth token endpoint errors; one report saw invalid_grant with 200.
    row("invalid_grant", 400, Action::Reconnect, false, "reconnect");
    row("invalid_grant", 200, Action::Reconnect, false, "reconnect");
    row("access_denied", 400, Action::Reconnect, false, "approve");
    row("invalid_request", 400, Action::Reconnect, false, "again");
    row("invalid_client", 401, Action::ContactSupport, false, "support");
    row("unauthorized_client", 400, Action::ContactSupport, false, "support");
    row("invalid_scope", 400, Action::ContactSupport, false, "support");
    row("unsupported_grant_type", 400, Action::ContactSupport, false, "support");
    row("unsupported_response_type", 400, Action::ContactSupport, false, "support");
    row("server_error", 500, Action::RetryWithBackoff, true, "unavailable");
    row("temporarily_unavailable", 503, Action::RetryWithBackoff, true, "unavailable");
}

void TikTokErrorsTest::everyApiErrorCodeMapsToAnActionAndAnActionableMessage() {
    QFETCH(QString, code);
    QFETCH(int, httpStatus);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QString, keyword);

    const Problem p = problemForApiError(code, httpStatus, "The field privacy_level is not valid.");
    QCOMPARE(p.code, code);
    QCOMPARE(actionName(p.action), actionName(action));
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p, code);
    QVERIFY2(p.message.contains(keyword, Qt::CaseInsensitive), qPrintable(p.message));
}

void TikTokErrorsTest::invalidParamQuotesThePlatformMessageBecauseItNamesTheField_data() {
    QTest::addColumn<QString>("code");
    QTest::newRow("invalid_param") << "invalid_param";
    QTest::newRow("invalid_params") << "invalid_params";
}

void TikTokErrorsTest::invalidParamQuotesThePlatformMessageBecauseItNamesTheField() {
    QFETCH(QString, code);
    const QString platform = "post_info.title exceeds 2200 characters";
    const Problem p = problemForApiError(code, 400, platform);
    QCOMPARE(actionName(p.action), actionName(Action::FixRequest));
    QVERIFY2(p.message.contains(platform), qPrintable(p.message));
    verifyReadable(p, code);
}

void TikTokErrorsTest::invalidParamWithoutAPlatformMessageStillSaysWhatToCheck() {
    const Problem p = problemForApiError("invalid_param", 400, QString());
    QCOMPARE(actionName(p.action), actionName(Action::FixRequest));
    QVERIFY2(p.message.contains("caption"), qPrintable(p.message));
    QVERIFY(!p.message.contains("\"\""));
    verifyReadable(p, "invalid_param");
}

void TikTokErrorsTest::codesMatchWhateverTheirCaseAndSurroundingSpace() {
    const Problem p = problemForApiError("  Rate_Limit_Exceeded\n", 200, QString());
    QCOMPARE(p.code, QString("rate_limit_exceeded"));
    QCOMPARE(actionName(p.action), actionName(Action::WaitThenRetry));
    const Problem f = problemForFailReason(" AUTH_REMOVED ");
    QCOMPARE(f.code, QString("auth_removed"));
    QCOMPARE(actionName(f.action), actionName(Action::Reconnect));
}

void TikTokErrorsTest::unknownApiCodeFallsBackOnTheHttpStatus_data() {
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("keyword");
    QTest::newRow("no response") << 0 << Action::RetryWithBackoff << true << "unavailable";
    QTest::newRow("500") << 500 << Action::RetryWithBackoff << true << "unavailable";
    QTest::newRow("502") << 502 << Action::RetryWithBackoff << true << "unavailable";
    QTest::newRow("503") << 503 << Action::RetryWithBackoff << true << "unavailable";
    QTest::newRow("429") << 429 << Action::WaitThenRetry << true << "wait";
    QTest::newRow("401") << 401 << Action::RefreshAndRetry << true << "refresh";
    QTest::newRow("400") << 400 << Action::FixRequest << false << "brand_new_code";
    QTest::newRow("403") << 403 << Action::FixRequest << false << "brand_new_code";
    QTest::newRow("404") << 404 << Action::FixRequest << false << "brand_new_code";
    QTest::newRow("409") << 409 << Action::FixRequest << false << "brand_new_code";
}

void TikTokErrorsTest::unknownApiCodeFallsBackOnTheHttpStatus() {
    QFETCH(int, httpStatus);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QString, keyword);
    const Problem p = problemForApiError("brand_new_code", httpStatus, "Something new.");
    QCOMPARE(p.code, QString("brand_new_code"));
    QCOMPARE(actionName(p.action), actionName(action));
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p, "brand_new_code");
    QVERIFY2(p.message.contains(keyword, Qt::CaseInsensitive), qPrintable(p.message));
}

void TikTokErrorsTest::unknownApiCodeRefusedWithA4xxQuotesThePlatformMessageAndCode() {
    const Problem p = problemForApiError("video_too_blue", 400, "The video is too blue.");
    QCOMPARE(actionName(p.action), actionName(Action::FixRequest));
    QVERIFY2(p.message.contains("The video is too blue."), qPrintable(p.message));
    QVERIFY2(p.message.contains("video_too_blue"), qPrintable(p.message));
    verifyReadable(p, "video_too_blue");

    const Problem noText = problemForApiError("video_too_blue", 400, QString());
    QVERIFY2(noText.message.contains("video_too_blue"), qPrintable(noText.message));
    verifyReadable(noText, "video_too_blue");
}

void TikTokErrorsTest::everyFailReasonMapsToAnActionAndAnActionableMessage_data() {
    QTest::addColumn<QString>("reason");
    QTest::addColumn<Action>("action");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QStringList>("keywords");

    const auto row = [](const char *reason, Action action, bool retryable,
                        const QStringList &keywords) {
        QTest::newRow(reason) << QString(reason) << action << retryable << keywords;
    };
    row("file_format_check_failed", Action::FixMedia, false,
        {"MP4", "WebM", "MOV", "H.264", "H.265", "VP8", "VP9"});
    row("duration_check_failed", Action::FixMedia, false, {"10 minutes", "maximum"});
    row("frame_rate_check_failed", Action::FixMedia, false, {"23", "60 fps"});
    row("picture_size_check_failed", Action::FixMedia, false, {"360", "4096"});
    row("internal", Action::RetryWithBackoff, true, {"try again"});
    row("video_pull_failed", Action::FixRequest, false, {"https", "redirect", "an hour"});
    row("photo_pull_failed", Action::FixRequest, false, {"https", "redirect", "an hour"});
    row("publish_cancelled", Action::None, false, {"cancelled"});
    row("auth_removed", Action::Reconnect, false, {"reconnect"});
    row("spam_risk_too_many_posts", Action::WaitThenRetry, true, {"daily"});
    row("spam_risk_user_banned_from_posting", Action::CheckTikTok, false, {"blocked"});
    row("spam_risk_text", Action::FixRequest, false, {"caption"});
    row("spam_risk", Action::CheckTikTok, false, {"spam", "Open TikTok"});
}

void TikTokErrorsTest::everyFailReasonMapsToAnActionAndAnActionableMessage() {
    QFETCH(QString, reason);
    QFETCH(Action, action);
    QFETCH(bool, retryable);
    QFETCH(QStringList, keywords);

    const Problem p = problemForFailReason(reason);
    QCOMPARE(p.code, reason);
    QCOMPARE(actionName(p.action), actionName(action));
    QCOMPARE(p.retryable, retryable);
    verifyReadable(p, reason);
    for (const QString &keyword : keywords)
        QVERIFY2(p.message.contains(keyword, Qt::CaseInsensitive),
                 qPrintable(keyword + " missing from: " + p.message));
}

void TikTokErrorsTest::unknownFailReasonNamesTheReason() {
    const Problem p = problemForFailReason("audio_check_failed");
    QCOMPARE(p.code, QString("audio_check_failed"));
    QVERIFY2(p.message.contains("audio_check_failed"), qPrintable(p.message));
    QVERIFY(!p.retryable);
    verifyReadable(p, "audio_check_failed");
}

void TikTokErrorsTest::emptyFailReasonSaysTikTokGaveNoReason() {
    const Problem p = problemForFailReason(QString());
    QVERIFY2(p.message.contains("no reason"), qPrintable(p.message));
    QVERIFY(!p.code.isEmpty());
    verifyReadable(p, QString());
}

void TikTokErrorsTest::hostileInputYieldsABoundedMessageWithOnlyATruncatedExcerpt_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("platformMessage");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QString>("forbidden");

    const QString huge = QString(10 * 1024, 'x');
    const QString html = "<script>alert('pwned')</script>\n<b>bold</b>\r\nline\ttwo\x01";
    QTest::newRow("empty code, 400") << QString() << QString() << 400 << QString();
    QTest::newRow("empty code, no response") << QString() << QString() << 0 << QString();
    QTest::newRow("10 KB code") << huge << QString() << 400 << huge.left(100);
    QTest::newRow("10 KB code, 500") << huge << QString() << 500 << huge.left(100);
    QTest::newRow("10 KB platform message") << "weird" << huge << 403 << huge.left(300);
    QTest::newRow("code with newlines and HTML") << html << QString() << 400 << "<script";
    QTest::newRow("platform message with HTML") << "weird" << html << 400 << "<script";
    QTest::newRow("both hostile") << html + huge << html + huge << 418 << "<b>";
}

void TikTokErrorsTest::hostileInputYieldsABoundedMessageWithOnlyATruncatedExcerpt() {
    QFETCH(QString, code);
    QFETCH(QString, platformMessage);
    QFETCH(int, httpStatus);
    QFETCH(QString, forbidden);

    const Problem api = problemForApiError(code, httpStatus, platformMessage);
    const Problem fail = problemForFailReason(code + platformMessage);
    for (const Problem &p : {api, fail}) {
        verifyReadable(p, code);
        QVERIFY2(!p.message.contains('<') && !p.message.contains('>'), qPrintable(p.message));
        QVERIFY2(!p.message.contains('\r') && !p.message.contains('\t'), qPrintable(p.message));
        QVERIFY2(!p.message.contains(QChar(0x01)), qPrintable(p.message));
        if (!forbidden.isEmpty())
            QVERIFY2(!p.message.contains(forbidden), qPrintable(p.message));
        // The stored code is a short identifier whatever came in.
        QVERIFY2(QRegularExpression("^[a-z0-9_.-]{1,64}$").match(p.code).hasMatch(),
                 qPrintable(p.code.left(80)));
    }
    if (code.size() > 1000 && httpStatus >= 400 && httpStatus < 500) {
        // What TikTok sent survives only as a cut excerpt, or masked whole when it is one
        // long opaque run (it could be a token quoted back).
        for (const Problem &p : {api, fail})
            QVERIFY2(p.message.contains(QChar(0x2026)) || p.message.contains("[redacted]"),
                     qPrintable(p.message));
        QVERIFY(api.message.size() < 1000 && fail.message.size() < 1000);
    }
}

void TikTokErrorsTest::aTokenInThePlatformMessageIsNeverShown() {
    const QString token = "act.example0123456789abcdefSECRET";
    const Problem p = problemForApiError(
        "invalid_param", 400, "Authorization: Bearer " + token + " access_token=" + token);
    QVERIFY2(!p.message.contains(token), qPrintable(p.message));
    const Problem unknown = problemForApiError("odd", 400, "Bearer " + token);
    QVERIFY2(!unknown.message.contains(token), qPrintable(unknown.message));
}

void TikTokErrorsTest::toErrorCarriesDomainCodeMessageStatusAndRetryable() {
    const Problem p = problemForApiError("rate_limit_exceeded", 429, QString());
    const huntaze::Error e = toError(p, 429);
    QCOMPARE(e.domain, QString("tiktok"));
    QCOMPARE(e.code, QString("rate_limit_exceeded"));
    QCOMPARE(e.message, p.message);
    QCOMPARE(e.httpStatus, 429);
    QCOMPARE(e.retryable, true);

    const huntaze::Error noStatus = toError(problemForFailReason("spam_risk_text"));
    QCOMPARE(noStatus.httpStatus, 0);
    QCOMPARE(noStatus.retryable, false);
    QCOMPARE(noStatus.code, QString("spam_risk_text"));
}

QTEST_GUILESS_MAIN(TikTokErrorsTest)
#include "tst_tiktokerrors.moc"
