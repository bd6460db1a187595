#include "xerrors.h"

#include "base/jsonnumbers.h"
#include "log/platformtext.h"
#include "log/redaction.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace huntaze::x {

namespace {

constexpr qsizetype kMaxBodyBytes = 64 * 1024;
constexpr qsizetype kMaxFieldChars = 4000;
constexpr qsizetype kMaxMore = 5;
constexpr qsizetype kMaxEntries = 20;
constexpr qsizetype kQuoteChars = 200;
constexpr qint64 kLongestWaitSeconds = 25 * 3600; // a 24-hour cap and then some

QString tr(const char *text) {
    return QCoreApplication::translate("XErrors", text);
}

Problem make(const char *code, Action action, bool retryable, const QString &message) {
    Problem problem;
    problem.code = QString::fromLatin1(code);
    problem.action = action;
    problem.retryable = retryable;
    problem.message = message;
    return problem;
}

// ---- reading the body ----

QString readText(const QJsonObject &object, const char *name) {
    return object.value(QLatin1String(name)).toString().left(kMaxFieldChars);
}

// The text of one entry of an "errors" list, whichever shape it has.
QString entryText(const QJsonObject &entry) {
    const QString message = readText(entry, "message");
    return message.isEmpty() ? readText(entry, "detail") : message;
}

void addMore(ErrorBody &body, const QString &text) {
    if (!text.isEmpty() && body.more.size() < kMaxMore && text != body.detail)
        body.more.append(text);
}

// ---- classifying ----

// "https://api.twitter.com/2/problems/usage-capped" -> "usage-capped"; "" for about:blank
// or anything not on one of X's hosts.
QString problemName(const QString &type) {
    static const QRegularExpression pattern(
        QStringLiteral("^https://api\\.(?:twitter|x)\\.com/2/problems/([a-z][a-z0-9-]{0,63})$"));
    const auto match = pattern.match(type.trimmed());
    return match.hasMatch() ? match.captured(1) : QString();
}

QString quoteOf(const std::optional<ErrorBody> &body) {
    if (!body)
        return {};
    QString said = cleanPlatformText(body->detail, kQuoteChars);
    if (said.isEmpty())
        said = cleanPlatformText(body->title, kQuoteChars);
    return said;
}

// " X said: "...". " or " X gave no reason. ", to sit inside a sentence pair.
QString saidText(const std::optional<ErrorBody> &body) {
    const QString said = quoteOf(body);
    return said.isEmpty() ? tr("X gave no reason.") : tr("X said: \"%1\".").arg(said);
}

QString whenText(qint64 waitSeconds, const QDateTime &until) {
    if (waitSeconds <= 0 || !until.isValid())
        return tr("once X allows it again");
    if (waitSeconds <= 90)
        return tr("in about a minute");
    if (waitSeconds < 3600)
        return tr("in about %1 minutes").arg((waitSeconds + 59) / 60);
    const QDateTime local = until.toLocalTime();
    if (waitSeconds < 20 * 3600)
        return tr("after %1").arg(QLocale().toString(local.time(), QLocale::ShortFormat));
    return tr("after %1").arg(QLocale().toString(local, QLocale::ShortFormat));
}

// The Problem for a 429 (or legacy code 88): the limit its headers say is used up. The
// 24-hour caps come first: their reset is the later one, and the one to wait for.
Problem limitProblem(const RateLimits &limits, qint64 nowEpoch) {
    if (limits.userDay.exhausted())
        return problemForLimit(LimitKind::UserDay, limits.userDay.resetEpoch, nowEpoch);
    if (limits.appDay.exhausted())
        return problemForLimit(LimitKind::AppDay, limits.appDay.resetEpoch, nowEpoch);
    return problemForLimit(LimitKind::Window, limits.window.resetEpoch, nowEpoch);
}

// "Missing required OAuth 2.0 scopes: media.write tweet.write" -> "media.write tweet.write".
QString missingScopes(const QString &text) {
    static const QRegularExpression pattern(
        QStringLiteral("missing required oauth 2\\.0 scopes?\\s*:\\s*([a-z.]+(?:[ ,]+[a-z.]+)*)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(text);
    return match.hasMatch() ? match.captured(1).left(120).simplified() : QString();
}

Problem oauthProblem(const QString &error) {
    const auto is = [&error](const char *name) { return error == QLatin1String(name); };
    // X answers a spent or revoked refresh token with invalid_request (see xoauth.h).
    if (is("invalid_grant") || is("invalid_request") || is("access_denied"))
        return make("oauth_refused", Action::Reconnect, false,
                    tr("X no longer accepts Huntaze's sign-in for this account. Connect your X "
                       "account again to keep posting."));
    if (is("server_error") || is("temporarily_unavailable"))
        return make("oauth_unavailable", Action::RetryWithBackoff, true,
                    tr("X's sign-in service is unavailable right now. Huntaze will try again "
                       "automatically in a few minutes."));
    return make("oauth_app_refused", Action::ContactSupport, false,
                tr("X did not accept Huntaze's app setup, so the account cannot be signed in. "
                   "Please contact Huntaze support."));
}

} // namespace

std::optional<ErrorBody> parseErrorBody(const QByteArray &raw) {
    if (raw.isEmpty() || raw.size() > kMaxBodyBytes)
        return std::nullopt;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject root = document.object();
    ErrorBody body;

    if (root.value(QLatin1String("error")).isString()) {
        body.shape = ErrorBody::Shape::OAuth;
        static const QRegularExpression identifier(QStringLiteral("^[a-z_]{1,64}$"));
        const QString error = readText(root, "error").trimmed().toLower();
        body.oauthError = identifier.match(error).hasMatch() ? error : QStringLiteral("unknown");
        body.detail = readText(root, "error_description");
        return body;
    }

    const QJsonArray errors = root.value(QLatin1String("errors")).toArray();
    const bool problem = root.value(QLatin1String("title")).isString() ||
                         root.value(QLatin1String("type")).isString() ||
                         root.value(QLatin1String("detail")).isString();
    if (problem) {
        body.shape = ErrorBody::Shape::Problem;
        body.type = readText(root, "type");
        body.title = readText(root, "title");
        body.detail = readText(root, "detail");
        body.status = strictJsonInt(root.value(QLatin1String("status")));
        for (qsizetype i = 0; i < std::min(errors.size(), kMaxEntries); ++i)
            addMore(body, entryText(errors.at(i).toObject()));
        return body;
    }

    bool legacy = false;
    for (qsizetype i = 0; i < std::min(errors.size(), kMaxEntries); ++i) {
        const QJsonObject entry = errors.at(i).toObject();
        const bool hasCode = entry.contains(QLatin1String("code"));
        const QString text = entryText(entry);
        if (!hasCode && text.isEmpty())
            continue;
        if (!legacy && !hasCode && entry.value(QLatin1String("title")).isString()) {
            // A v2 problem inside a list (partial errors): read as the problem it is.
            body.type = readText(entry, "type");
            body.title = readText(entry, "title");
        }
        legacy = true;
        if (hasCode)
            body.codes.append(strictJsonInt(entry.value(QLatin1String("code"))));
        if (body.detail.isEmpty())
            body.detail = text;
        else
            addMore(body, text);
    }
    if (!legacy)
        return std::nullopt;
    body.shape = body.codes.isEmpty() ? ErrorBody::Shape::Problem : ErrorBody::Shape::Legacy;
    return body;
}

Problem problemForLimit(LimitKind kind, qint64 resetEpoch, qint64 nowEpoch) {
    qint64 wait = 0;
    QDateTime until;
    if (resetEpoch > 0) {
        wait = std::clamp<qint64>(resetEpoch - nowEpoch, 1, kLongestWaitSeconds);
        until = QDateTime::fromSecsSinceEpoch(nowEpoch + wait, Qt::UTC);
    }
    const QString when = whenText(wait, until);
    Problem problem;
    switch (kind) {
    case LimitKind::Window:
        problem = make("rate_limited", Action::WaitUntil, true,
                       tr("X is limiting how often Huntaze can make this request for this "
                          "account. Huntaze will wait and try again automatically %1.")
                           .arg(when));
        break;
    case LimitKind::UserDay:
        problem = make("daily_post_cap_user", Action::WaitUntil, true,
                       tr("This X account has reached the number of posts X allows in 24 "
                          "hours. Huntaze keeps the post queued and publishes it "
                          "automatically %1.")
                           .arg(when));
        break;
    case LimitKind::AppDay:
        problem = make("daily_post_cap_app", Action::WaitUntil, true,
                       tr("X's daily limit on posts made through Huntaze has been reached. "
                          "Huntaze keeps the post queued and publishes it automatically %1.")
                           .arg(when));
        break;
    }
    problem.waitSeconds = wait;
    problem.waitUntil = until;
    return problem;
}

Problem problemFor(int httpStatus, const std::optional<ErrorBody> &body, const RateLimits &limits,
                   qint64 nowEpoch) {
    const QList<int> codes = body ? body->codes : QList<int>();
    const auto code = [&codes](std::initializer_list<int> wanted) {
        return std::any_of(wanted.begin(), wanted.end(),
                           [&codes](int c) { return codes.contains(c); });
    };
    QString text;
    if (body)
        text = body->title + QLatin1Char('\n') + body->detail + QLatin1Char('\n') +
               body->more.join(QLatin1Char('\n'));
    const auto says = [&text](const char *needle) {
        return text.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    const QString type = body ? problemName(body->type) : QString();
    const auto typeIs = [&type](const char *name) { return type == QLatin1String(name); };

    // Limits first: whatever else a 429 says, it means "wait".
    if (httpStatus == 429 || code({88}))
        return limitProblem(limits, nowEpoch);
    if (code({185}) || says("over daily status update limit"))
        return problemForLimit(LimitKind::UserDay, limits.userDay.resetEpoch, nowEpoch);

    if (code({187}) || says("duplicate content"))
        return make("duplicate_content", Action::FixPost, false,
                    tr("X does not allow the same text to be posted twice from one account, and "
                       "this post repeats one already on it. Change the text, then post "
                       "again."));

    if (body && body->shape == ErrorBody::Shape::OAuth)
        return oauthProblem(body->oauthError);

    if (says("missing required oauth 2.0 scope")) {
        const QString scopes = missingScopes(text);
        if (scopes.isEmpty())
            return make("missing_scope", Action::Reconnect, false,
                        tr("Huntaze is missing an X permission it needs for this. Connect your "
                           "X account again and allow everything Huntaze asks for."));
        return make("missing_scope", Action::Reconnect, false,
                    tr("Huntaze is missing the X permission \"%1\". Connect your X account "
                       "again and allow everything Huntaze asks for.")
                        .arg(scopes));
    }
    if (httpStatus == 401 || code({89, 32, 215}))
        return make("token_invalid", Action::RefreshAndRetry, true,
                    tr("X did not accept Huntaze's sign-in for this account. Huntaze will renew "
                       "it and try again; if that fails, connect your X account again."));
    if (typeIs("unsupported-authentication") || code({220}))
        return make("unsupported_authentication", Action::ContactSupport, false,
                    tr("X refused the kind of sign-in Huntaze used for this request. Please "
                       "contact Huntaze support."));
    if (typeIs("client-forbidden") || typeIs("client-not-enrolled") || code({453}))
        return make("app_access_level", Action::ContactSupport, false,
                    tr("Huntaze's X app is not allowed to make this request at its current "
                       "X access level. Please contact Huntaze support."));
    if (typeIs("usage-capped"))
        return make("usage_capped", Action::WaitUntil, true,
                    tr("Huntaze's X app has used up the posts and requests X allows it for now. "
                       "Huntaze will try again automatically later; contact Huntaze support "
                       "if this lasts."));
    if (code({64}))
        return make("account_suspended", Action::CheckAccount, false,
                    tr("X has suspended this account, so nothing can be posted to it. Sign in "
                       "at x.com to read X's notice and appeal it."));
    if (code({326}))
        return make("account_locked", Action::CheckAccount, false,
                    tr("X has temporarily locked this account. Sign in at x.com and follow the "
                       "steps there to unlock it, then post again."));
    if (code({226}))
        return make("automated_request", Action::CheckAccount, false,
                    tr("X flagged this post as automated or spam-like and did not publish it. "
                       "Sign in at x.com to check the account for notices, and change the post "
                       "before trying again."));
    if (code({261, 416}))
        return make("app_restricted", Action::ContactSupport, false,
                    tr("X has restricted Huntaze's app, so it cannot post right now. Please "
                       "contact Huntaze support."));

    if (code({186}) || says("more than 280 characters") || says("tweet text is too long"))
        return make("text_too_long", Action::FixPost, false,
                    tr("The text is longer than X allows (280 characters; links count as 23 and "
                       "some characters, such as emoji, count as 2). Shorten it, then post "
                       "again."));
    if (code({385}) || says("deleted or not visible"))
        return make("reply_target_unavailable", Action::FixPost, false,
                    tr("The post this replies to has been deleted or is no longer visible to "
                       "this account. Choose another post to reply to, or post it on its "
                       "own."));
    if (code({433}) || says("restricted who can reply"))
        return make("reply_restricted", Action::FixPost, false,
                    tr("The author of the post this replies to has limited who can reply. Post "
                       "it on its own instead."));
    if (code({323, 386}) || says("at most 4 photos") || says("cannot be combined"))
        return make("media_combination", Action::FixPost, false,
                    tr("X allows up to 4 photos, or 1 GIF, or 1 video in a post, never a mix. "
                       "Change the attached media, then post again."));
    if (code({324, 325}) || says("media ids are invalid") || says("media id is invalid"))
        return make("media_ids_invalid", Action::UploadAgain, true,
                    tr("X no longer recognises the uploaded media (uploads expire after a day, "
                       "and videos must finish processing first). Huntaze will upload the files "
                       "again."));
    if (says("unsupported media") || says("invalid media"))
        return make("media_unsupported", Action::FixMedia, false,
                    tr("X could not use this file. %1 Check that it is a JPEG, PNG, WebP or GIF "
                       "image or an MP4 or MOV video, then post again.")
                        .arg(saidText(body)));
    if (httpStatus == 413 || says("file size exceeds"))
        return make("media_too_large", Action::FixMedia, false,
                    tr("The file is larger than X allows: 5 MB for an image, 15 MB for a GIF, "
                       "512 MB for a video. Use a smaller file, then post again."));
    if (says("has expired"))
        return make("upload_expired", Action::UploadAgain, true,
                    tr("The upload to X expired before it was finished (X keeps unfinished "
                       "uploads for a day). Huntaze will upload the file again."));
    if (says("segments do not add up") || says("segments exceed") || says("already finalized") ||
        says("not finalized"))
        return make("upload_out_of_step", Action::UploadAgain, true,
                    tr("X and Huntaze disagree about which parts of the file were sent, for "
                       "example because the file changed during the upload. Huntaze will "
                       "upload it again."));

    if (code({144}) || typeIs("resource-not-found") || httpStatus == 404)
        return make("not_found", Action::None, false,
                    tr("X could not find this post; it may have been deleted. Nothing else needs "
                       "to be done."));
    if (typeIs("not-authorized-for-field"))
        return make("field_not_authorized", Action::None, false,
                    tr("X only shows these figures to the post's author for posts under 30 days "
                       "old. The public figures are shown instead."));
    if (typeIs("not-authorized-for-resource") || code({179}))
        return make("not_authorized", Action::FixPost, false,
                    tr("This account is not allowed to see or use a post this refers to (it may "
                       "be protected). Change the post, then try again."));
    if (typeIs("resource-unavailable") || typeIs("disallowed-resource"))
        return make("resource_unavailable", Action::FixPost, false,
                    tr("A post or account this refers to is not available on X. %1 Change the "
                       "post, then try again.")
                        .arg(saidText(body)));

    if (code({130}) || httpStatus == 503)
        return make("over_capacity", Action::RetryWithBackoff, true,
                    tr("X is over capacity right now. Huntaze will try again automatically in a "
                       "few minutes."));
    if (code({131}) || httpStatus >= 500)
        return make("server_error", Action::RetryWithBackoff, true,
                    tr("X ran into a problem on its side. Huntaze will try again automatically "
                       "in a few minutes."));
    if (httpStatus == 0)
        return make("unreachable", Action::RetryWithBackoff, true,
                    tr("X could not be reached. Huntaze will try again automatically; check "
                       "your internet connection if this lasts."));
    if (typeIs("invalid-request") || code({44}) || httpStatus == 400)
        return make(
            "invalid_request", Action::FixPost, false,
            tr("X refused the post as it is. %1 Correct it, then post again.").arg(saidText(body)));
    if (httpStatus == 403)
        return make("forbidden", Action::FixPost, false,
                    tr("X did not allow this. %1 Change the post or check the account on x.com, "
                       "then try again.")
                        .arg(saidText(body)));
    return make("rejected", Action::FixPost, false,
                tr("X refused the request. %1 Check the post and try again; if it keeps "
                   "happening, contact Huntaze support.")
                    .arg(saidText(body)));
}

Problem problemForProcessingFailure(const QString &errorName, const QString &errorMessage) {
    QString said = cleanPlatformText(errorMessage, kQuoteChars);
    if (said.isEmpty())
        said = cleanPlatformText(errorName, 60);
    if (said.isEmpty())
        return make("media_processing_failed", Action::FixMedia, false,
                    tr("X could not process this file and gave no reason. Check that a video is "
                       "an H.264/AAC MP4 or MOV of 0.5 to 140 seconds at up to 60 fps, then post "
                       "again."));
    return make("media_processing_failed", Action::FixMedia, false,
                tr("X could not process this file. X said: \"%1\". Check that a video is an "
                   "H.264/AAC MP4 or MOV of 0.5 to 140 seconds at up to 60 fps, then post "
                   "again.")
                    .arg(said));
}

QString detailFor(int httpStatus, const std::optional<ErrorBody> &body) {
    QString detail = QStringLiteral("HTTP %1").arg(httpStatus);
    if (!body)
        return detail + QStringLiteral(" without an X error body");
    switch (body->shape) {
    case ErrorBody::Shape::Problem:
        detail += QStringLiteral(" problem type=%1 title=%2 status=%3")
                      .arg(cleanPlatformText(body->type, 120), cleanPlatformText(body->title, 80))
                      .arg(body->status);
        break;
    case ErrorBody::Shape::Legacy: {
        QStringList codes;
        for (const int c : body->codes)
            codes.append(QString::number(c));
        detail += QStringLiteral(" legacy codes=") + codes.join(QLatin1Char(','));
        break;
    }
    case ErrorBody::Shape::OAuth:
        detail += QStringLiteral(" oauth error=") + body->oauthError;
        break;
    }
    detail += QStringLiteral(": ") + cleanPlatformText(body->detail, 300);
    for (const QString &more : body->more)
        detail += QStringLiteral(" | ") + cleanPlatformText(more, 120);
    return detail;
}

QString cleanPlatformText(const QString &raw, qsizetype limit) {
    return log::quotePlatformText(raw.left(kMaxFieldChars), limit);
}

Error toError(const Problem &problem, int httpStatus) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = problem.code;
    error.message = problem.message;
    error.httpStatus = httpStatus;
    error.retryable = problem.retryable;
    if (problem.waitSeconds > 0)
        error.retryAfter = std::chrono::seconds(problem.waitSeconds);
    return error;
}

Error errorFor(int httpStatus, const QByteArray &body, const RateLimits &limits, qint64 nowEpoch) {
    const std::optional<ErrorBody> parsed = parseErrorBody(body);
    Error error = toError(problemFor(httpStatus, parsed, limits, nowEpoch), httpStatus);
    error.detail = detailFor(httpStatus, parsed);
    return error;
}

} // namespace huntaze::x
