#include "redditsubmission.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace huntaze::reddit {

namespace {

constexpr qsizetype kMaxAnswerBytes = 1 << 20;

QString boolText(bool value) {
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

bool isSuccess(int httpStatus) {
    return httpStatus >= 200 && httpStatus < 300;
}

Problem fieldProblem(const char *code, const char *field, const QString &message = {}) {
    SubmitError error;
    error.code = QString::fromLatin1(code);
    error.field = QString::fromLatin1(field);
    error.message = message;
    return problemForSubmitError(error);
}

// The answer was 2xx, so Reddit may have made the post: never a failure to retry blindly.
Error outcomeUnknown(int httpStatus, const QString &detail) {
    Error error = toError(problemFor(LocalFailure::OutcomeUnknown), httpStatus);
    error.detail = detail;
    return error;
}

QUrl webUrl(const QString &text, const QStringList &schemes) {
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme().toLower()))
        return {};
    return url;
}

} // namespace

QString kindName(PostKind kind) {
    switch (kind) {
    case PostKind::Self:
        return QStringLiteral("self");
    case PostKind::Link:
        return QStringLiteral("link");
    case PostKind::Image:
        return QStringLiteral("image");
    case PostKind::Video:
        return QStringLiteral("video");
    case PostKind::VideoGif:
        return QStringLiteral("videogif");
    }
    return QStringLiteral("self");
}

QString RedditSubmission::normaliseSubreddit(const QString &subreddit) {
    QString name = subreddit.trimmed();
    if (name.startsWith(QLatin1Char('/')))
        name = name.mid(1);
    if (name.startsWith(QLatin1String("r/"), Qt::CaseInsensitive))
        name = name.mid(2);
    while (name.endsWith(QLatin1Char('/')))
        name.chop(1);
    return name.trimmed();
}

std::optional<Problem> RedditSubmission::check(const Submission &submission) {
    if (normaliseSubreddit(submission.subreddit).isEmpty())
        return fieldProblem("SUBREDDIT_REQUIRED", "sr");
    if (submission.title.trimmed().isEmpty())
        return fieldProblem("NO_TEXT", "title");
    // Reddit counts characters, not UTF-16 units: an emoji is one.
    if (submission.title.toUcs4().size() > kMaxTitle)
        return fieldProblem("TOO_LONG", "title",
                            QStringLiteral("this is too long (max: %1)").arg(kMaxTitle));
    if (submission.kind != PostKind::Self && submission.url.trimmed().isEmpty())
        return fieldProblem("NO_URL", "url");
    if (submission.kind == PostKind::Video && submission.videoPosterUrl.trimmed().isEmpty())
        return fieldProblem("NO_URL", "video_poster_url");
    return std::nullopt;
}

QList<std::pair<QString, QString>> RedditSubmission::form(const Submission &submission) {
    QList<std::pair<QString, QString>> fields;
    const auto add = [&fields](const char *name, const QString &value) {
        fields.append({QString::fromLatin1(name), value});
    };
    add("sr", normaliseSubreddit(submission.subreddit));
    add("kind", kindName(submission.kind));
    add("title", submission.title);
    if (submission.kind == PostKind::Self) {
        if (!submission.text.isEmpty())
            add("text", submission.text);
    } else {
        add("url", submission.url.trimmed());
    }
    if (submission.kind == PostKind::Video)
        add("video_poster_url", submission.videoPosterUrl.trimmed());
    if (!submission.flairId.isEmpty())
        add("flair_id", submission.flairId);
    if (!submission.flairText.isEmpty())
        add("flair_text", submission.flairText);
    add("nsfw", boolText(submission.nsfw));
    add("spoiler", boolText(submission.spoiler));
    add("sendreplies", boolText(submission.sendReplies));
    if (submission.resubmit)
        add("resubmit", boolText(true));
    if (submission.validateOnSubmit)
        add("validate_on_submit", boolText(true));
    add("api_type", QStringLiteral("json"));
    return fields;
}

Result<SubmitAnswer> RedditSubmission::parseAnswer(int httpStatus, const QByteArray &body,
                                                   const QString &subreddit) {
    if (!isSuccess(httpStatus))
        return toError(problemForHttpStatus(httpStatus, body, {}, -1, subreddit), httpStatus);
    if (body.size() > kMaxAnswerBytes)
        return outcomeUnknown(httpStatus, QStringLiteral("submit answer too large to read"));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return outcomeUnknown(httpStatus, QStringLiteral("submit answer is not a JSON object"));
    const QJsonObject json = document.object().value(QLatin1String("json")).toObject();

    const QList<SubmitError> errors = parseSubmitErrors(body);
    if (!errors.isEmpty()) {
        const QJsonValue ratelimit = json.value(QLatin1String("ratelimit"));
        Error error =
            toError(problemForSubmitError(errors.first(), subreddit,
                                          ratelimit.isDouble() ? ratelimit.toDouble() : -1.0),
                    httpStatus);
        QStringList codes;
        for (const SubmitError &e : errors)
            codes.append(e.field.isEmpty()
                             ? e.code
                             : e.code + QLatin1Char('(') + e.field + QLatin1Char(')'));
        error.detail = QStringLiteral("json.errors: ") + codes.join(QStringLiteral(", ")) +
                       QStringLiteral("; ") + cleanPlatformText(errors.first().message);
        return error;
    }

    const QJsonObject data = json.value(QLatin1String("data")).toObject();
    SubmitAnswer answer;
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]{1,16}$"));
    static const QRegularExpression fullnamePattern(QStringLiteral("^t3_([a-z0-9]{1,16})$"));
    const auto named = fullnamePattern.match(data.value(QLatin1String("name")).toString());
    const QString id = data.value(QLatin1String("id")).toString();
    if (named.hasMatch())
        answer.id = named.captured(1);
    else if (idPattern.match(id).hasMatch())
        answer.id = id;
    if (!answer.id.isEmpty())
        answer.fullname = QStringLiteral("t3_") + answer.id;
    const QStringList web{QStringLiteral("https"), QStringLiteral("http")};
    answer.url = webUrl(data.value(QLatin1String("url")).toString(), web);
    answer.userSubmittedPage =
        webUrl(data.value(QLatin1String("user_submitted_page")).toString(), web);
    answer.websocketUrl = webUrl(data.value(QLatin1String("websocket_url")).toString(),
                                 {QStringLiteral("wss"), QStringLiteral("ws")});
    if (answer.fullname.isEmpty() && answer.websocketUrl.isEmpty() &&
        answer.userSubmittedPage.isEmpty())
        return outcomeUnknown(httpStatus,
                              QStringLiteral("submit answer without an id or a websocket"));
    return answer;
}

} // namespace huntaze::reddit
