#include "redditerrors.h"

#include "log/platformtext.h"
#include "log/redaction.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>

namespace huntaze::reddit {

namespace {

constexpr qsizetype kMaxBodyBytes = 64 * 1024; // error answers are small; more is not read
constexpr qsizetype kMaxFieldChars = 2000;     // what is kept of any one text field
constexpr qsizetype kMaxErrors = 20;           // json.errors entries looked at
constexpr qsizetype kMaxWaitTextChars = 500;   // of a RATELIMIT message
constexpr int kLongestWaitSeconds = 86400;
// No readable wait in a RATELIMIT: Reddit's window is ten minutes long.
constexpr int kDefaultRateLimitWait = 600;
// QUOTA_FILLED says "Please try again in an hour."
constexpr int kDefaultQuotaWait = 3600;
constexpr int kDefaultTooManyRequestsWait = 60;

QString tr(const char *text) {
    return QCoreApplication::translate("RedditErrors", text);
}

Problem make(const QString &code, Action action, bool retryable, const QString &message,
             const QString &field = {}) {
    Problem problem;
    problem.code = code;
    problem.field = field;
    problem.action = action;
    problem.retryable = retryable;
    problem.message = message;
    return problem;
}

// Reddit's codes are upper-case identifiers; anything else is not stored as given.
QString safeCode(const QString &raw) {
    static const QRegularExpression identifier(QStringLiteral("^[A-Z][A-Z0-9_]{0,63}$"));
    const QString code = raw.trimmed().toUpper();
    return identifier.match(code).hasMatch() ? code : QStringLiteral("UNKNOWN");
}

// Form field names: lower-case identifiers.
QString safeField(const QString &raw) {
    static const QRegularExpression identifier(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    const QString field = raw.trimmed().toLower();
    return identifier.match(field).hasMatch() ? field : QString();
}

// A subreddit name fit for a message ("r/name"), or empty.
QString safeSubreddit(const QString &raw) {
    QString name = raw.trimmed();
    if (name.startsWith(QLatin1String("/r/"), Qt::CaseInsensitive))
        name = name.mid(3);
    else if (name.startsWith(QLatin1String("r/"), Qt::CaseInsensitive))
        name = name.mid(2);
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]{1,21}$"));
    return pattern.match(name).hasMatch() ? name : QString();
}

// "r/name" at the start of a sentence, or "This subreddit".
QString subject(const QString &subreddit) {
    const QString name = safeSubreddit(subreddit);
    return name.isEmpty() ? tr("This subreddit") : QStringLiteral("r/") + name;
}

// "r/name" inside a sentence, or "this subreddit".
QString object(const QString &subreddit) {
    const QString name = safeSubreddit(subreddit);
    return name.isEmpty() ? tr("this subreddit") : QStringLiteral("r/") + name;
}

// "40 seconds", "7 minutes", "2 hours": rounded up, so Huntaze never says less than it waits.
QString duration(int seconds) {
    if (seconds < 60)
        return seconds == 1 ? tr("1 second") : tr("%1 seconds").arg(seconds);
    const int minutes = (seconds + 59) / 60;
    if (minutes < 60 || seconds < 3600)
        return minutes == 1 ? tr("1 minute") : tr("%1 minutes").arg(minutes);
    const int hours = (seconds + 3599) / 3600;
    return hours == 1 ? tr("1 hour") : tr("%1 hours").arg(hours);
}

// "12.5 MB" for a byte count.
QString megabytes(qint64 bytes) {
    return tr("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

// The quoted sentence for Reddit's own text, or "Reddit gave no reason.".
QString saidByReddit(const QString &platformMessage) {
    const QString said = cleanPlatformText(platformMessage);
    return said.isEmpty() ? tr("Reddit gave no reason.") : tr("Reddit said: \"%1\".").arg(said);
}

// "(max: 300)" in TOO_LONG's message.
int maxNamedIn(const QString &message) {
    static const QRegularExpression pattern(QStringLiteral("max(?:imum)?\\s*:?\\s*(\\d{1,7})"),
                                            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(message.left(kMaxFieldChars));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

// ---- json.errors codes ----

Problem tooLong(const QString &code, const QString &field, const QString &message) {
    const int named = maxNamedIn(message);
    if (field == QLatin1String("title"))
        return make(code, Action::FixPost, false,
                    tr("The title is longer than Reddit allows (%1 characters at most). Shorten "
                       "it, then post again.")
                        .arg(named > 0 ? named : 300),
                    field);
    if (field == QLatin1String("text"))
        return make(code, Action::FixPost, false,
                    tr("The post's text is longer than Reddit allows (%1 characters at most). "
                       "Shorten it, then post again.")
                        .arg(named > 0 ? named : 40000),
                    field);
    if (field == QLatin1String("flair_text"))
        return make(code, Action::FixPost, false,
                    tr("The flair text is longer than Reddit allows (%1 characters at most). "
                       "Shorten it or pick another flair, then post again.")
                        .arg(named > 0 ? named : 64),
                    field);
    return make(code, Action::FixPost, false,
                tr("Part of the post is longer than Reddit allows. %1 Shorten it, then post "
                   "again.")
                    .arg(saidByReddit(message)),
                field);
}

Problem missingText(const QString &code, const QString &field, const QString &message) {
    if (field == QLatin1String("title") || field.isEmpty())
        return make(code, Action::FixPost, false,
                    tr("The post has no title, and Reddit needs one. Add a title, then post "
                       "again."),
                    field);
    if (field == QLatin1String("text"))
        return make(code, Action::FixPost, false,
                    tr("Reddit needs text for this post. Add some text, then post again."), field);
    return make(code, Action::FixPost, false,
                tr("Reddit needs something in the post's \"%1\". %2 Fill it in, then post "
                   "again.")
                    .arg(field, saidByReddit(message)),
                field);
}

Problem badOrMissingUrl(const QString &code, const QString &field, bool missing) {
    // The poster is chosen with the post's other settings: the post changes, as for a link.
    if (field == QLatin1String("video_poster_url"))
        return make(code, Action::FixPost, false,
                    missing ? tr("Reddit needs a poster image for a video post. Choose a "
                                 "thumbnail image for the video, then post again.")
                            : tr("Reddit could not use the video's poster image. Choose another "
                                 "thumbnail image (JPEG, PNG or GIF), then post again."),
                    field);
    return make(code, Action::FixPost, false,
                missing ? tr("This kind of post needs a link, and there is none. Add the link "
                             "(or choose a text post), then post again.")
                        : tr("Reddit could not use the post's link or media. Check that the link "
                             "is a complete web address starting with https://, or upload the "
                             "file again, then post again."),
                field);
}

Problem rateLimited(const QString &code, const QString &message, double ratelimitSeconds) {
    int wait = parseRateLimitWait(message).value_or(0);
    if (ratelimitSeconds > 0 && std::isfinite(ratelimitSeconds))
        wait =
            std::max(wait, int(std::ceil(std::min<double>(ratelimitSeconds, kLongestWaitSeconds))));
    if (wait <= 0)
        wait = kDefaultRateLimitWait;
    Problem problem = make(code, Action::WaitUntil, true,
                           tr("Reddit says this account is posting too quickly and asks it to "
                              "wait %1. Huntaze will post it automatically then.")
                               .arg(duration(wait)),
                           QStringLiteral("ratelimit"));
    problem.waitSeconds = wait;
    return problem;
}

Problem quotaFilled(const QString &code, const QString &message, const QString &subreddit) {
    const int wait = parseRateLimitWait(message).value_or(kDefaultQuotaWait);
    Problem problem = make(code, Action::WaitUntil, true,
                           tr("%1 limits how often one account may post there, and this account "
                              "has reached that limit. Huntaze will try again in %2; or choose "
                              "another subreddit.")
                               .arg(subject(subreddit), duration(wait)));
    problem.waitSeconds = wait;
    return problem;
}

Problem unknownSubmitError(const QString &code, const QString &field, const QString &message) {
    return make(code, Action::FixPost, false,
                tr("Reddit refused the post. %1 Check the post's details and try again; if it "
                   "keeps happening, contact Huntaze support.")
                    .arg(saidByReddit(message)),
                field);
}

// ---- HTTP-level ----

Problem serverTrouble(const QString &code) {
    return make(code, Action::RetryWithBackoff, true,
                tr("Reddit is having trouble right now. Huntaze will try again automatically in "
                   "a few minutes."));
}

QJsonObject jsonObject(const QByteArray &body) {
    if (body.size() > kMaxBodyBytes)
        return {};
    return QJsonDocument::fromJson(body).object();
}

// 400 {"fields": [...], "explanation", "error_type": "SUBMIT_VALIDATION_ERROR", "message",
// "reason"}: the same failures as json.errors, reported as an HTTP error.
std::optional<Problem> validationProblem(const QJsonObject &root, const QString &subreddit) {
    if (root.value(QLatin1String("error_type")).toString() !=
        QLatin1String("SUBMIT_VALIDATION_ERROR"))
        return std::nullopt;
    SubmitError error;
    error.code = safeCode(root.value(QLatin1String("reason")).toString());
    error.message = root.value(QLatin1String("explanation")).toString().left(kMaxFieldChars);
    error.field = safeField(root.value(QLatin1String("fields")).toArray().at(0).toString());
    if (error.code == QLatin1String("UNKNOWN"))
        return unknownSubmitError(QStringLiteral("SUBMIT_VALIDATION_ERROR"), error.field,
                                  error.message);
    return problemForSubmitError(error, subreddit);
}

QString explanationIn(const QJsonObject &root) {
    for (const char *name : {"explanation", "message", "error_description"}) {
        const QJsonValue value = root.value(QLatin1String(name));
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString().left(kMaxFieldChars);
    }
    return {};
}

// ---- the media bucket ----

struct BucketError {
    QString code;
    QString message;
    qint64 proposedSize = 0;
    qint64 maxSizeAllowed = 0;
};

std::optional<BucketError> parseBucketError(const QByteArray &xml) {
    if (xml.isEmpty() || xml.size() > kMaxBodyBytes)
        return std::nullopt;
    QXmlStreamReader reader(xml);
    BucketError error;
    bool inError = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        const auto name = reader.name();
        if (name == QLatin1String("Error")) {
            inError = true;
            continue;
        }
        if (!inError)
            continue;
        if (name == QLatin1String("Code"))
            error.code = reader.readElementText().left(64);
        else if (name == QLatin1String("Message"))
            error.message = reader.readElementText().left(kMaxFieldChars);
        else if (name == QLatin1String("ProposedSize"))
            error.proposedSize = reader.readElementText().toLongLong();
        else if (name == QLatin1String("MaxSizeAllowed"))
            error.maxSizeAllowed = reader.readElementText().toLongLong();
    }
    if (!inError || error.code.isEmpty())
        return std::nullopt;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z]{1,64}$"));
    if (!identifier.match(error.code).hasMatch())
        error.code = QStringLiteral("Unknown");
    return error;
}

} // namespace

QList<SubmitError> parseSubmitErrors(const QByteArray &body) {
    QList<SubmitError> errors;
    const QJsonObject json = jsonObject(body).value(QLatin1String("json")).toObject();
    const QJsonArray entries = json.value(QLatin1String("errors")).toArray();
    for (qsizetype i = 0; i < entries.size() && i < kMaxErrors; ++i) {
        const QJsonArray entry = entries.at(i).toArray();
        SubmitError error;
        // An entry that is not ["CODE", ...] is still a refusal: keep it as UNKNOWN.
        error.code = safeCode(entry.at(0).toString());
        error.message = entry.at(1).toString().left(kMaxFieldChars);
        error.field = safeField(entry.at(2).toString());
        errors.append(error);
    }
    return errors;
}

std::optional<int> parseRateLimitWait(const QString &message) {
    const QString text = message.left(kMaxWaitTextChars);
    // The wait follows "again in" (or Reddit's newer "take a break for"); other numbers in
    // the message are not the wait.
    static const QRegularExpression anchor(QStringLiteral("\\b(?:again\\s+in|break\\s+for)\\b"),
                                           QRegularExpression::CaseInsensitiveOption);
    const auto anchored = anchor.match(text);
    const qsizetype from = anchored.hasMatch() ? anchored.capturedEnd() : 0;
    // A number (or "a", "an", "one") and a unit; never part of a longer word or a negative.
    static const QRegularExpression amount(
        QStringLiteral("(?<![\\w.\\-])(\\d{1,12}(?:\\.\\d{1,6})?|an?|one)\\s*"
                       "(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)"
                       "(?![a-z])"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression joiner(QStringLiteral("^[\\s,]*(?:and)?[\\s,]*$"),
                                           QRegularExpression::CaseInsensitiveOption);
    double seconds = 0;
    bool found = false;
    qsizetype lastEnd = -1;
    auto matches = amount.globalMatch(text, from);
    while (matches.hasNext()) {
        const auto match = matches.next();
        // "1 minute and 30 seconds" is one wait; a number further on is something else.
        if (found && !joiner.match(text.mid(lastEnd, match.capturedStart() - lastEnd)).hasMatch())
            break;
        const QString number = match.captured(1).toLower();
        const double value = number.at(0).isDigit() ? number.toDouble() : 1.0;
        const QString unit = match.captured(2).toLower();
        double scale = 1;
        if (unit.startsWith(QLatin1String("ms")) || unit.startsWith(QLatin1String("milli")))
            scale = 0.001;
        else if (unit.startsWith(QLatin1Char('m')))
            scale = 60;
        else if (unit.startsWith(QLatin1Char('h')))
            scale = 3600;
        seconds += value * scale;
        found = true;
        lastEnd = match.capturedEnd();
    }
    if (!found || !std::isfinite(seconds))
        return std::nullopt;
    return int(std::clamp(std::ceil(seconds), 1.0, double(kLongestWaitSeconds)));
}

namespace {

Problem problemForCode(const QString &code, const QString &field, const QString &message,
                       const QString &subreddit, double ratelimitSeconds) {
    const auto is = [&code](const char *name) { return code == QLatin1String(name); };

    if (is("SUBREDDIT_NOEXIST"))
        return make(code, Action::ChooseAnotherSubreddit, false,
                    tr("%1 does not exist on Reddit. Check the subreddit's name for typos, or "
                       "choose another subreddit.")
                        .arg(subject(subreddit)),
                    field);
    if (is("BAD_FLAIR_TEMPLATE_ID"))
        return make(code, Action::FixPost, false,
                    tr("%1 does not offer the flair you chose (it may have been removed, or "
                       "be for moderators only). Pick another flair from the list, then post "
                       "again.")
                        .arg(subject(subreddit)),
                    field);
    if (is("SUBREDDIT_NOTALLOWED"))
        return make(code, Action::ChooseAnotherSubreddit, false,
                    tr("%1 does not let this account post there (it may be private or "
                       "restricted to approved members). Choose another subreddit, or ask its "
                       "moderators for access.")
                        .arg(subject(subreddit)),
                    field);
    if (is("SUBREDDIT_REQUIRED"))
        return make(code, Action::ChooseAnotherSubreddit, false,
                    tr("No subreddit was chosen for this post. Choose the subreddit to post in, "
                       "then post again."),
                    field);
    if (is("NO_SELFS"))
        return make(code, Action::ChooseAnotherSubreddit, false,
                    tr("%1 does not allow text posts. Post a link, image or video there "
                       "instead, or choose another subreddit.")
                        .arg(subject(subreddit)),
                    field);
    if (is("NO_LINKS"))
        return make(code, Action::ChooseAnotherSubreddit, false,
                    tr("%1 only allows text posts, not links, images or videos. Make it a text "
                       "post, or choose another subreddit.")
                        .arg(subject(subreddit)),
                    field);
    if (is("ALREADY_SUB"))
        return make(code, Action::FixPost, false,
                    tr("This link has already been posted in %1 (check your profile: an earlier "
                       "attempt may have gone through). Post a different link, or choose "
                       "another subreddit.")
                        .arg(object(subreddit)),
                    field);
    if (is("RATELIMIT"))
        return rateLimited(code, message, ratelimitSeconds);
    if (is("QUOTA_FILLED"))
        return quotaFilled(code, message, subreddit);
    if (is("BAD_URL"))
        return badOrMissingUrl(code, field, false);
    if (is("NO_URL"))
        return badOrMissingUrl(code, field, true);
    if (is("NO_TEXT"))
        return missingText(code, field, message);
    if (is("TOO_LONG"))
        return tooLong(code, field, message);
    if (is("DOMAIN_BANNED"))
        return make(code, Action::FixPost, false,
                    tr("Reddit does not allow links to this website anywhere on Reddit. Link to "
                       "a different website, then post again."),
                    field);
    if (is("USER_REQUIRED"))
        return make(code, Action::Reconnect, false,
                    tr("Reddit did not recognise a signed-in account for this post. Connect your "
                       "Reddit account again, then post again."),
                    field);
    if (is("INVALID_OPTION"))
        return make(code, Action::FixPost, false,
                    field.isEmpty()
                        ? tr("Reddit refused one of the post's options. Check the post type, "
                             "flair and other settings, then post again.")
                        : tr("Reddit refused the post's \"%1\" option. Check the post type, flair "
                             "and other settings, then post again.")
                              .arg(field),
                    field);
    return unknownSubmitError(code, field, message);
}

} // namespace

Problem problemForSubmitError(const SubmitError &error, const QString &subreddit,
                              double ratelimitSeconds) {
    const QString field = safeField(error.field);
    Problem problem =
        problemForCode(safeCode(error.code), field, error.message.left(kMaxFieldChars), subreddit,
                       ratelimitSeconds);
    if (problem.field.isEmpty())
        problem.field = field;
    return problem;
}

Problem problemForHttpStatus(int httpStatus, const QByteArray &body,
                             const QByteArray &wwwAuthenticate, double resetSeconds,
                             const QString &subreddit) {
    const QJsonObject root = jsonObject(body);
    if (httpStatus == 400)
        if (const auto validation = validationProblem(root, subreddit))
            return *validation;
    if (httpStatus == 0 || httpStatus >= 500)
        return serverTrouble(QStringLiteral("server_error"));
    if (httpStatus == 401)
        return make(QStringLiteral("unauthorized"), Action::RefreshAndRetry, true,
                    tr("Your Reddit session has expired. Huntaze will renew it and try again; if "
                       "that fails, connect your Reddit account again."));
    if (httpStatus == 403) {
        if (wwwAuthenticate.contains("insufficient_scope"))
            return make(QStringLiteral("insufficient_scope"), Action::Reconnect, false,
                        tr("Huntaze is missing a Reddit permission it needs for this. Connect "
                           "your Reddit account again and allow everything Huntaze asks for."));
        return make(QStringLiteral("forbidden"), Action::ChooseAnotherSubreddit, false,
                    tr("Reddit refused access. The subreddit may be private or quarantined, or "
                       "this account may be banned there. Choose another subreddit; if it "
                       "happens everywhere, connect your Reddit account again."));
    }
    if (httpStatus == 404) {
        if (!safeSubreddit(subreddit).isEmpty())
            return make(QStringLiteral("subreddit_not_found"), Action::ChooseAnotherSubreddit,
                        false,
                        tr("Reddit could not find %1. Check the subreddit's name, or choose "
                           "another subreddit.")
                            .arg(object(subreddit)));
        return make(QStringLiteral("not_found"), Action::None, false,
                    tr("Reddit could not find it: the post or subreddit may have been deleted. "
                       "Check on Reddit whether it still exists."));
    }
    if (httpStatus == 413)
        return make(QStringLiteral("too_large"), Action::FixMedia, false,
                    tr("The file is larger than Reddit accepts. Choose a smaller file, then post "
                       "again."));
    if (httpStatus == 429) {
        int wait = kDefaultTooManyRequestsWait;
        if (resetSeconds >= 0 && std::isfinite(resetSeconds))
            wait = int(std::clamp(std::ceil(resetSeconds), 1.0, double(kLongestWaitSeconds)));
        Problem problem =
            make(QStringLiteral("too_many_requests"), Action::WaitUntil, true,
                 tr("Reddit is limiting how many requests Huntaze may send. Huntaze will wait "
                    "%1 and then continue automatically.")
                     .arg(duration(wait)));
        problem.waitSeconds = wait;
        return problem;
    }
    return make(QStringLiteral("http_%1").arg(httpStatus), Action::FixPost, false,
                tr("Reddit refused the request. %1 Check the post's details and try again; if it "
                   "keeps happening, contact Huntaze support.")
                    .arg(saidByReddit(explanationIn(root))));
}

Problem problemForUploadError(int httpStatus, const QByteArray &xmlBody, bool video) {
    const auto bucket = parseBucketError(xmlBody);
    if (!bucket) {
        if (httpStatus == 413)
            return problemForHttpStatus(413);
        if (httpStatus == 0 || httpStatus >= 500)
            return serverTrouble(QStringLiteral("upload/server_error"));
        return make(QStringLiteral("upload/http_%1").arg(httpStatus), Action::ContactSupport, false,
                    tr("Reddit's media storage refused the upload. Try posting again; if it "
                       "keeps happening, contact Huntaze support."));
    }
    const QString code = QStringLiteral("upload/") + bucket->code;
    const auto is = [&bucket](const char *name) { return bucket->code == QLatin1String(name); };
    if (is("EntityTooLarge")) {
        if (bucket->proposedSize > 0 && bucket->maxSizeAllowed > 0)
            return make(
                code, Action::FixMedia, false,
                (video ? tr("The video is %1; Reddit takes videos of at most %2. Choose "
                            "a shorter or smaller video, then post again.")
                       : tr("The image is %1; Reddit takes images of at most %2. Choose "
                            "a smaller image, then post again."))
                    .arg(megabytes(bucket->proposedSize), megabytes(bucket->maxSizeAllowed)));
        return make(code, Action::FixMedia, false,
                    video ? tr("The video is larger than Reddit accepts. Choose a shorter or "
                               "smaller video, then post again.")
                          : tr("The image is larger than Reddit accepts. Choose a smaller image, "
                               "then post again."));
    }
    if (is("AccessDenied") &&
        bucket->message.contains(QLatin1String("expired"), Qt::CaseInsensitive))
        return make(QStringLiteral("upload/expired"), Action::RetryWithBackoff, true,
                    tr("Reddit's permission to upload this file ran out before the upload "
                       "finished. Huntaze will start the upload again automatically."));
    if (is("InternalError") || is("SlowDown") || is("ServiceUnavailable") || is("RequestTimeout") ||
        httpStatus >= 500)
        return serverTrouble(code);
    // A changed field, a refused signature, fields out of order: how Huntaze sent it.
    return make(code, Action::ContactSupport, false,
                tr("Reddit's media storage refused the upload as Huntaze sent it. Try posting "
                   "again; if it keeps happening, contact Huntaze support."));
}

Problem problemForMediaFailure(const QString &platformMessage, bool video) {
    return make(QStringLiteral("media_failed"), Action::FixMedia, false,
                (video ? tr("Reddit could not process the video. %1 Check that it plays on your "
                            "computer (or export it again as MP4), then post it again.")
                       : tr("Reddit could not process the image. %1 Check that it opens on your "
                            "computer (or save it again as JPEG or PNG), then post it again."))
                    .arg(saidByReddit(platformMessage)));
}

Problem problemFor(LocalFailure failure) {
    switch (failure) {
    case LocalFailure::LostAnswer:
        return make(QStringLiteral("unreachable"), Action::RetryWithBackoff, true,
                    tr("Reddit could not be reached. Huntaze will try again automatically; "
                       "check your internet connection if this lasts."));
    case LocalFailure::OutcomeUnknown:
        // The submit may have reached Reddit: sending it again could post twice.
        return make(QStringLiteral("outcome_unknown"), Action::CheckReddit, false,
                    tr("The connection to Reddit dropped before it answered, so it is not known "
                       "whether the post went through. Huntaze checks your Reddit profile "
                       "before posting again, so nothing is posted twice."));
    case LocalFailure::SubmitServerError:
        return make(QStringLiteral("outcome_unknown"), Action::CheckReddit, false,
                    tr("Reddit ran into trouble while taking the post, so it is not known whether "
                       "it went through. Huntaze checks your Reddit profile before posting "
                       "again, so nothing is posted twice."));
    case LocalFailure::InvalidAnswer:
        return make(QStringLiteral("invalid_answer"), Action::RetryWithBackoff, true,
                    tr("Reddit sent an answer Huntaze could not read. Huntaze will try again "
                       "automatically."));
    case LocalFailure::FileUnreadable:
        return make(QStringLiteral("file_unreadable"), Action::FixMedia, false,
                    tr("Huntaze cannot read the file, or it is empty. Check that the file is "
                       "still there, then post again."));
    case LocalFailure::UnsupportedMedia:
        return make(QStringLiteral("unsupported_media"), Action::FixMedia, false,
                    tr("Reddit takes JPEG, PNG and GIF images and MP4 and MOV videos. Convert "
                       "the file to one of those, then post again."));
    case LocalFailure::UploadStalled:
        return make(QStringLiteral("upload_stalled"), Action::RetryWithBackoff, true,
                    tr("The upload to Reddit stopped moving. Huntaze will start it again "
                       "automatically."));
    case LocalFailure::Aborted:
        return make(QStringLiteral("aborted"), Action::None, false,
                    tr("The upload to Reddit was stopped."));
    case LocalFailure::MediaNotFound:
        return make(QStringLiteral("media_not_found"), Action::CheckReddit, false,
                    tr("Reddit accepted the post but has not shown it on your profile yet. Check "
                       "your Reddit profile before posting it again."));
    case LocalFailure::InvalidId:
        return make(QStringLiteral("invalid_id"), Action::ContactSupport, false,
                    tr("Huntaze has no valid Reddit name or id for this. Connect Reddit again; if "
                       "it keeps happening, contact Huntaze support."));
    }
    return make(QStringLiteral("unknown"), Action::None, false, tr("Something went wrong."));
}

QString cleanPlatformText(const QString &raw, qsizetype limit) {
    // Reddit's messages quote field names; the quotes only get in the way of a sentence.
    QString text = raw.left(kMaxFieldChars);
    text.remove(QLatin1Char('"'));
    return log::quotePlatformText(text, limit);
}

Action actionFor(const Error &error) {
    if (error.domain != QLatin1String("reddit"))
        return error.retryable ? Action::RetryWithBackoff : Action::None;
    const QString &code = error.code;
    const auto in = [&code](std::initializer_list<const char *> names) {
        return std::any_of(names.begin(), names.end(),
                           [&code](const char *name) { return code == QLatin1String(name); });
    };
    if (in({"unauthorized"}))
        return Action::RefreshAndRetry;
    if (in({"insufficient_scope", "USER_REQUIRED"}))
        return Action::Reconnect;
    if (in({"RATELIMIT", "QUOTA_FILLED", "too_many_requests"}))
        return Action::WaitUntil;
    if (in({"SUBREDDIT_NOEXIST", "SUBREDDIT_NOTALLOWED", "SUBREDDIT_REQUIRED", "NO_SELFS",
            "NO_LINKS", "forbidden", "subreddit_not_found"}))
        return Action::ChooseAnotherSubreddit;
    if (in({"too_large", "upload/EntityTooLarge", "media_failed", "file_unreadable",
            "unsupported_media"}))
        return Action::FixMedia;
    if (in({"outcome_unknown", "media_not_found"}))
        return Action::CheckReddit;
    if (in({"not_found", "aborted"}))
        return Action::None;
    if (error.retryable)
        return Action::RetryWithBackoff; // server trouble, lost answers, expired leases
    if (in({"invalid_id"}) || code.startsWith(QLatin1String("upload/")))
        return Action::ContactSupport;
    // Reddit's other codes (ALREADY_SUB, BAD_URL, TOO_LONG, ..., codes it adds later) and
    // refusals of the request itself: the post must change.
    return Action::FixPost;
}

Error toError(const Problem &problem, int httpStatus) {
    Error error;
    error.domain = QStringLiteral("reddit");
    error.code = problem.code;
    error.message = problem.message;
    error.httpStatus = httpStatus;
    error.retryable = problem.retryable;
    if (problem.waitSeconds > 0)
        error.retryAfter = std::chrono::seconds(problem.waitSeconds);
    return error;
}

} // namespace huntaze::reddit
