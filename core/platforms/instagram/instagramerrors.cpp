#include "instagramerrors.h"

#include "base/jsonnumbers.h"
#include "log/platformtext.h"
#include "log/redaction.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace huntaze::instagram {

namespace {

constexpr qsizetype kMaxEnvelopeBytes = 64 * 1024;
constexpr qsizetype kMaxFieldChars = 4000; // what is kept of any one text field
constexpr qsizetype kQuoteChars = 200;     // what is shown to the creator of Meta's text

QString tr(const char *text) {
    return QCoreApplication::translate("InstagramErrors", text);
}

Problem make(const QString &code, Action action, bool retryable, const QString &message) {
    Problem problem;
    problem.code = code;
    problem.action = action;
    problem.retryable = retryable;
    problem.message = message;
    return problem;
}

// "190/463", or "10" when Meta gave no subcode. Only numbers: safe to store and log.
QString codeText(int code, int subcode) {
    return subcode ? QString::number(code) + QLatin1Char('/') + QString::number(subcode)
                   : QString::number(code);
}

QString readText(const QJsonObject &object, const char *name) {
    return object.value(QLatin1String(name)).toString().left(kMaxFieldChars);
}

// Platform text quoted to the creator or a log: no credentials, no markup, no control
// characters, one line, at most `limit` characters.
QString excerpt(const QString &raw, qsizetype limit) {
    // Meta tokens ("EAA...") and any long opaque run that could be one.
    static const QRegularExpression opaque(
        QStringLiteral("\\bEAA[A-Za-z0-9]{8,}|[A-Za-z0-9_\\-]{32,}"));
    return log::quotePlatformText(raw.left(kMaxFieldChars), limit, opaque);
}

// "Missing permission: instagram_content_publish", "(#200) Requires pages_show_list
// permission to manage the object", or any permission name Meta mentions.
QString permissionNamedIn(const QString &text) {
    static const QRegularExpression patterns[] = {
        QRegularExpression(QStringLiteral("missing permissions?\\s*:?\\s*\\(?([a-z][a-z_]{2,63})"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(
            QStringLiteral("requires\\s+(?:the\\s+)?['\"]?([a-z][a-z_]{2,63})['\"]?\\s+permission"),
            QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral(
            "\\b((?:instagram|pages|business|ads|read|publish|user)_[a-z_]{2,60})\\b")),
    };
    for (const QRegularExpression &pattern : patterns) {
        const auto match = pattern.match(text.left(kMaxFieldChars));
        if (match.hasMatch())
            return match.captured(1).toLower();
    }
    return {};
}

// ---- 190: the token ----

Problem tokenProblem(int subcode, const QString &code) {
    const auto reconnect = [&code](const QString &message) {
        return make(code, Action::Reconnect, false, message);
    };
    switch (subcode) {
    case 458:
        return reconnect(tr("Huntaze's access to your Instagram account was removed in your "
                            "Facebook settings. Connect Instagram again to keep publishing."));
    case 459:
        return reconnect(tr("Facebook has put a security checkpoint on your account. Log in at "
                            "facebook.com and follow the instructions there, then connect "
                            "Instagram again."));
    case 460:
        return reconnect(tr("Your Facebook password changed, which signed Huntaze out of "
                            "Instagram. Connect Instagram again."));
    case 463:
        return reconnect(tr("Huntaze's sign-in to Instagram has expired. Connect Instagram "
                            "again to keep publishing."));
    case 464:
        return reconnect(tr("Facebook does not allow this account to sign in to apps until it "
                            "is confirmed. Confirm your Facebook account's email or phone "
                            "number, then connect Instagram again."));
    case 467:
        return reconnect(tr("You logged out of Facebook, which also signed Huntaze out of "
                            "Instagram. Connect Instagram again."));
    case 492:
        return reconnect(tr("You no longer have a role on the Facebook Page linked to this "
                            "Instagram account. Ask a Page admin to give you access to the "
                            "Page, then connect Instagram again."));
    default:
        return reconnect(tr("Instagram no longer accepts Huntaze's sign-in for this account. "
                            "Connect Instagram again."));
    }
}

// ---- 10, 200-299: a permission ----

Problem permissionProblem(const GraphError &error, const QString &code) {
    QString permission = permissionNamedIn(error.message);
    if (permission.isEmpty())
        permission = permissionNamedIn(error.userMessage);
    Problem problem;
    if (!permission.isEmpty())
        problem = make(code, Action::Reconnect, false,
                       tr("Huntaze is missing the permission \"%1\" for this account. Connect "
                          "Instagram again and allow it when Facebook asks.")
                           .arg(permission));
    else if (error.code == 10)
        problem = make(code, Action::Reconnect, false,
                       tr("Huntaze was not given permission to do this on Instagram. Connect "
                          "Instagram again and allow every permission Facebook asks for."));
    else
        problem = make(code, Action::Reconnect, false,
                       tr("Huntaze is missing a Facebook Page permission for this account. "
                          "Connect Instagram again, choose the Page linked to it and allow "
                          "every permission Facebook asks for."));
    problem.permission = permission;
    return problem;
}

// ---- 4, 9, 17, 32, 613, 80002: rate limits ----

Problem rateProblem(int code, const QString &codeString, int regainMinutes) {
    const auto wait = [&codeString](const QString &message) {
        return make(codeString, Action::WaitUntil, true, message);
    };
    switch (code) {
    case 4:
        return wait(tr("Instagram is limiting how many requests Huntaze's app can make right "
                       "now (the app's hourly limit, or 400 posts prepared in 24 hours). "
                       "Huntaze will wait and try again automatically."));
    case 9:
        return wait(tr("Instagram says this account is doing too many actions too quickly. "
                       "Huntaze will slow down and try again automatically."));
    case 17:
        return wait(tr("Your Facebook account has made too many requests in a short time. "
                       "Huntaze will wait and try again automatically."));
    case 32:
        return wait(tr("The Facebook Page linked to this Instagram account has made too many "
                       "requests in a short time. Huntaze will wait and try again "
                       "automatically."));
    case 613:
        return wait(tr("Instagram's hourly limit for this kind of request was reached. Huntaze "
                       "will wait and try again automatically."));
    default: { // 80002
        Problem problem;
        if (regainMinutes > 0) {
            problem = wait(tr("This Instagram account has made too many requests in the last "
                              "hour. Huntaze will wait about %1 minutes, as Instagram asks, and "
                              "then try again automatically.")
                               .arg(QLocale().toString(regainMinutes)));
            problem.waitSeconds = regainMinutes * 60;
        } else {
            problem = wait(tr("This Instagram account has made too many requests in the last "
                              "hour. Huntaze will wait and try again automatically."));
        }
        return problem;
    }
    }
}

// ---- the rows that Meta identifies by a subcode (instagram.md, "Errors") ----

struct SubcodeRow {
    int subcode;
    int code; // the code the table pairs it with
};
constexpr SubcodeRow kSubcodeRows[] = {
    {2207001, -1},  {2207042, 9},     {2207027, 9007},  {2207052, 9004},  {2207003, -2},
    {2207020, -2},  {2207008, 24},    {2207050, 25},    {2207051, 4},     {2207028, 100},
    {2207026, 352}, {2207004, 36000}, {2207005, 36001}, {2207009, 36003}, {2207010, 36004},
};

int pairedCode(int subcode) {
    for (const SubcodeRow &row : kSubcodeRows)
        if (row.subcode == subcode)
            return row.code;
    return 0;
}

// The row for a subcode, or for the code alone when Meta sent no subcode. Codes that mean
// something else without their subcode (-2, 100, 4, 9) are not matched here.
std::optional<Problem> publishingRow(int key, const QString &code) {
    switch (key) {
    case 2207001:
        return make(code, Action::RetryWithBackoff, true,
                    tr("Instagram had a temporary server error while handling this post. "
                       "Huntaze will try again automatically in a few minutes."));
    case 2207042:
        return make(code, Action::WaitUntil, true,
                    tr("This Instagram account has reached its limit of posts for the last 24 "
                       "hours. Huntaze keeps the post queued and publishes it when the limit "
                       "frees up; the account's publishing quota shows how many posts are "
                       "left."));
    case 9007:
    case 2207027:
        return make(code, Action::KeepPolling, true,
                    tr("Instagram is still processing the media, so it cannot be published "
                       "yet. Huntaze keeps checking and publishes it as soon as it is "
                       "ready."));
    case 9004:
    case 2207052:
        return make(code, Action::FixMedia, false,
                    tr("Instagram could not download the media from its web address. Make "
                       "sure the link is public and points straight at the file, then post "
                       "again."));
    case 2207003:
        return make(code, Action::RetryWithBackoff, true,
                    tr("Instagram timed out while downloading the media. Huntaze will try "
                       "again automatically; if it keeps happening, use a smaller file."));
    case 2207020:
        return make(code, Action::NewContainer, true,
                    tr("The prepared post expired because it was not published within 24 "
                       "hours. Huntaze will prepare it again and publish it."));
    case 24:
    case 2207008:
        return make(code, Action::RetryThenNewContainer, true,
                    tr("Instagram's session for preparing this post ran out. Huntaze will try "
                       "again, and start the post over if that does not work."));
    case 25:
    case 2207050:
        return make(code, Action::CheckInstagram, false,
                    tr("Instagram has restricted this account, so it cannot publish right "
                       "now. Open the Instagram app, check Account status for the reason and "
                       "resolve it, then post again."));
    case 2207051:
        return make(code, Action::CheckInstagram, false,
                    tr("Instagram flagged this post as possible spam and blocked it. Open the "
                       "Instagram app to check the account for notices, and change the post "
                       "before trying again."));
    case 2207028:
        return make(code, Action::FixMedia, false,
                    tr("A carousel needs between 2 and 10 photos or videos. Add or remove "
                       "items, then post again."));
    case 352:
    case 2207026:
        return make(code, Action::FixMedia, false,
                    tr("Instagram cannot use this video's format. Export it as an MP4 or MOV "
                       "with H.264 or HEVC video and AAC sound, 23 to 60 fps, 3 seconds to 15 "
                       "minutes long (60 seconds for a story) and at most 300 MB (100 MB for a "
                       "story), then post again."));
    case 36000:
    case 2207004:
        return make(code, Action::FixMedia, false,
                    tr("This image is larger than 8 MB, the most Instagram accepts. Save it as "
                       "a smaller JPEG (lower quality or fewer pixels), then post again."));
    case 36001:
    case 2207005:
        return make(code, Action::FixMedia, false,
                    tr("Instagram only accepts JPEG images. Save the image as a JPEG, then "
                       "post again."));
    case 36003:
    case 2207009:
        return make(code, Action::FixMedia, false,
                    tr("The image's aspect ratio is outside what Instagram allows in the feed "
                       "(from 4:5 portrait to 1.91:1 landscape). Crop it, then post again."));
    case 36004:
    case 2207010:
        return make(code, Action::FixMedia, false,
                    tr("The caption is over Instagram's limits of 2,200 characters, 30 "
                       "hashtags and 20 @mentions. Shorten it, then post again."));
    case 368:
        return make(code, Action::CheckInstagram, false,
                    tr("Instagram has temporarily blocked this account from posting because "
                       "of its community rules. Open the Instagram app to read the notice, and "
                       "wait until the block ends before posting again."));
    default:
        return std::nullopt;
    }
}

// Codes Meta does not document for publishing: judged by is_transient and the HTTP status,
// with Meta's own words quoted (cleaned and short) so the creator has something to go on.
Problem unknownProblem(const GraphError &error) {
    QString code;
    if (error.code || error.subcode)
        code = codeText(error.code, error.subcode);
    else
        code = error.httpStatus ? QStringLiteral("http_%1").arg(error.httpStatus)
                                : QStringLiteral("unknown");
    QString said = excerpt(error.userMessage, kQuoteChars);
    if (said.isEmpty())
        said = excerpt(error.message, kQuoteChars);
    const QString quote =
        said.isEmpty() ? tr("Instagram gave no reason.") : tr("Instagram said: \"%1\".").arg(said);
    if (error.isTransient || error.httpStatus >= 500)
        return make(code, Action::RetryWithBackoff, true,
                    tr("Instagram had a temporary problem (error %1). %2 Huntaze will try again "
                       "automatically in a few minutes.")
                        .arg(code, quote));
    if (error.httpStatus == 429)
        return make(code, Action::WaitUntil, true,
                    tr("Instagram is receiving too many requests (error %1). %2 Huntaze will "
                       "wait and try again automatically.")
                        .arg(code, quote));
    if (error.httpStatus == 401)
        return make(code, Action::Reconnect, false,
                    tr("Instagram did not accept Huntaze's sign-in (error %1). %2 Connect "
                       "Instagram again.")
                        .arg(code, quote));
    return make(code, Action::None, false,
                tr("Instagram refused the request (error %1). %2 Check the post and try again; "
                   "if it keeps happening, contact Huntaze support.")
                    .arg(code, quote));
}

} // namespace

std::optional<GraphError> parseGraphError(int httpStatus, const QByteArray &body) {
    if (body.isEmpty() || body.size() > kMaxEnvelopeBytes)
        return std::nullopt;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonValue inner = document.object().value(QLatin1String("error"));
    if (!inner.isObject())
        return std::nullopt;
    const QJsonObject object = inner.toObject();
    GraphError error;
    error.httpStatus = httpStatus;
    error.code = strictJsonInt(object.value(QLatin1String("code")));
    error.subcode = strictJsonInt(object.value(QLatin1String("error_subcode")));
    error.message = readText(object, "message");
    error.type = readText(object, "type").left(100);
    error.userTitle = readText(object, "error_user_title");
    error.userMessage = readText(object, "error_user_msg");
    error.isTransient = object.value(QLatin1String("is_transient")).toBool(false);
    error.fbtraceId = readText(object, "fbtrace_id").left(100);
    return error;
}

Problem problemFor(const GraphError &error, int regainMinutes) {
    const QString code = codeText(error.code, error.subcode);

    // A subcode names the row more precisely than the code: 4/2207051 is spam, not a rate
    // limit; -2 is a timeout or an expiry depending on it; 9/2207042 is the daily limit.
    if (pairedCode(error.subcode) != 0)
        if (auto row = publishingRow(error.subcode, code))
            return *row;

    switch (error.code) {
    case 190:
        return tokenProblem(error.subcode, code);
    case 10:
        return permissionProblem(error, code);
    case 4:
    case 9:
    case 17:
    case 32:
    case 613:
    case 80002:
        return rateProblem(error.code, code, std::max(0, regainMinutes));
    case 1:
        return make(code, Action::RetryWithBackoff, true,
                    tr("Instagram ran into an unknown problem on its side. Huntaze will try "
                       "again automatically in a few minutes."));
    case 2:
        return make(code, Action::RetryWithBackoff, true,
                    tr("Instagram's service is temporarily unavailable. Huntaze will try again "
                       "automatically in a few minutes."));
    case -1:
        return *publishingRow(2207001, code);
    default:
        break;
    }
    if (error.code >= 200 && error.code <= 299)
        return permissionProblem(error, code);
    if (auto row = publishingRow(error.code, code))
        return *row;
    return unknownProblem(error);
}

QString detailFor(const GraphError &error) {
    QString detail = QStringLiteral("Graph error ") + codeText(error.code, error.subcode);
    if (error.httpStatus)
        detail += QStringLiteral(", HTTP ") + QString::number(error.httpStatus);
    const QString type = excerpt(error.type, 60);
    if (!type.isEmpty())
        detail += QStringLiteral(", type ") + type;
    const QString trace = excerpt(error.fbtraceId, 60);
    if (!trace.isEmpty())
        detail += QStringLiteral(", fbtrace_id ") + trace;
    const QString message = excerpt(error.message, 300);
    if (!message.isEmpty())
        detail += QStringLiteral(": ") + message;
    return detail;
}

Problem problemForContainerStatus(const QString &statusCode, const QString &status) {
    const QString state = statusCode.trimmed().toUpper();
    if (state == QLatin1String("EXPIRED"))
        return make(QStringLiteral("container_expired"), Action::NewContainer, true,
                    tr("Instagram discarded the prepared post because it was not published "
                       "within 24 hours. Huntaze will prepare it again and publish it."));
    if (state == QLatin1String("IN_PROGRESS"))
        return *publishingRow(2207027, QStringLiteral("container_in_progress"));
    if (state == QLatin1String("FINISHED") || state == QLatin1String("PUBLISHED"))
        return make(state.toLower(), Action::None, false, QString());
    if (state == QLatin1String("ERROR")) {
        // Meta's free text carries the subcode, e.g. "Error: ... (2207026)" or "... error
        // code 2207026".
        static const QRegularExpression subcodePattern(QStringLiteral("\\b(22\\d{5})\\b"));
        const auto match = subcodePattern.match(status.left(kMaxFieldChars));
        if (match.hasMatch()) {
            const int subcode = match.captured(1).toInt();
            if (const int code = pairedCode(subcode)) {
                GraphError error;
                error.code = code;
                error.subcode = subcode;
                return problemFor(error);
            }
        }
        const QString said = excerpt(status, kQuoteChars);
        if (said.isEmpty())
            return make(QStringLiteral("container_error"), Action::FixMedia, false,
                        tr("Instagram could not process this media and gave no reason. Check "
                           "that it meets Instagram's format and size rules, then post "
                           "again."));
        return make(QStringLiteral("container_error"), Action::FixMedia, false,
                    tr("Instagram could not process this media. Instagram said: \"%1\". Check "
                       "that it meets Instagram's format and size rules, then post again.")
                        .arg(said));
    }
    const QString shown = excerpt(statusCode, 40);
    return make(QStringLiteral("container_status_unknown"), Action::RetryWithBackoff, true,
                tr("Instagram reported a processing state Huntaze does not know (\"%1\"). "
                   "Huntaze will check again shortly.")
                    .arg(shown));
}

QString cleanPlatformText(const QString &raw, qsizetype limit) {
    return excerpt(raw, std::max<qsizetype>(limit, 1));
}

Error toError(const Problem &problem, int httpStatus) {
    Error error;
    error.domain = QStringLiteral("instagram");
    error.code = problem.code;
    error.message = problem.message;
    error.httpStatus = httpStatus;
    error.retryable = problem.retryable;
    if (problem.waitSeconds > 0)
        error.retryAfter = std::chrono::seconds(problem.waitSeconds);
    return error;
}

} // namespace huntaze::instagram
