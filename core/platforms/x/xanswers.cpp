#include "xanswers.h"

#include "xerrors.h"
#include "xpostrequest.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace huntaze::x {

namespace {

constexpr qsizetype kMaxAnswerBytes = 4 * 1024 * 1024;
constexpr qsizetype kMaxTextChars = 4000;
constexpr qsizetype kMaxEntries = 1000;
constexpr double kMaxCount = 9007199254740992.0; // 2^53: beyond it a double is not a count

QString tr(const char *text) {
    return QCoreApplication::translate("XAnswers", text);
}

bool isSuccess(int status) {
    return status >= 200 && status < 300;
}

Error answerError(const char *code, const QString &message, const HttpAnswer &answer,
                  bool retryable, const QString &detail) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = QString::fromLatin1(code);
    error.message = message;
    error.detail = detail;
    error.httpStatus = answer.status;
    error.retryable = retryable;
    return error;
}

Error invalidAnswer(const HttpAnswer &answer, const QString &detail) {
    return answerError("invalid_answer",
                       tr("X sent an answer Huntaze could not read. Huntaze will try again "
                          "automatically."),
                       answer, true, detail);
}

// The answer's JSON object, or the Error it carries (a non-2xx status, or a 2xx body that
// is not an object).
Result<QJsonObject> objectOf(const HttpAnswer &answer) {
    if (!isSuccess(answer.status))
        return errorFor(answer.status, answer.body, answer.limits, answer.nowEpoch);
    if (answer.body.size() > kMaxAnswerBytes)
        return invalidAnswer(answer, QStringLiteral("answer over 4 MiB"));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(answer.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return invalidAnswer(answer, QStringLiteral("not a JSON object"));
    return document.object();
}

// A count or size: a non-negative whole number (or a string of digits); else 0.
qint64 readCount(const QJsonValue &value) {
    if (value.isString()) {
        bool ok = false;
        const qint64 parsed = value.toString().trimmed().toLongLong(&ok);
        return ok && parsed >= 0 && double(parsed) <= kMaxCount ? parsed : 0;
    }
    const double number = value.toDouble(-1);
    if (!value.isDouble() || !std::isfinite(number) || number < 0 || number > kMaxCount ||
        number != std::trunc(number))
        return 0;
    return qint64(number);
}

// X ids come as strings; an older field may carry them as "media_id_string".
QString readId(const QJsonObject &object, const char *name, const char *fallback = nullptr) {
    QString id = object.value(QLatin1String(name)).toString();
    if (id.isEmpty() && fallback)
        id = object.value(QLatin1String(fallback)).toString();
    return isXId(id) ? id : QString();
}

QString readText(const QJsonObject &object, const char *name) {
    return object.value(QLatin1String(name)).toString().left(kMaxTextChars);
}

// media_key: "<digits>_<id>"; anything else is not kept.
QString readMediaKey(const QJsonObject &object) {
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{1,3}_[0-9]{1,19}$"));
    const QString key = object.value(QLatin1String("media_key")).toString();
    return pattern.match(key).hasMatch() ? key : QString();
}

std::optional<PublicMetrics> readPublic(const QJsonValue &value) {
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    PublicMetrics m;
    m.retweets = readCount(o.value(QLatin1String("retweet_count")));
    m.replies = readCount(o.value(QLatin1String("reply_count")));
    m.likes = readCount(o.value(QLatin1String("like_count")));
    m.quotes = readCount(o.value(QLatin1String("quote_count")));
    m.bookmarks = readCount(o.value(QLatin1String("bookmark_count")));
    m.impressions = readCount(o.value(QLatin1String("impression_count")));
    return m;
}

std::optional<NonPublicMetrics> readNonPublic(const QJsonValue &value) {
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    NonPublicMetrics m;
    m.impressions = readCount(o.value(QLatin1String("impression_count")));
    m.urlLinkClicks = readCount(o.value(QLatin1String("url_link_clicks")));
    m.userProfileClicks = readCount(o.value(QLatin1String("user_profile_clicks")));
    return m;
}

} // namespace

Result<PostAnswer> XAnswers::parsePost(const HttpAnswer &answer) {
    Result<QJsonObject> root = objectOf(answer);
    // X said 2xx: the post exists (or may), so an unusable answer is an outcome to
    // reconcile, never a reason to post again.
    const Error incomplete = answerError(
        "outcome_unknown",
        tr("X accepted the post but its answer could not be read. Check the account on x.com "
           "before posting it again."),
        answer, false, QStringLiteral("post answer without a usable data.id"));
    // A server error or timeout after the request arrived says nothing about the post:
    // X's front may have created it before failing. Reconcile, never resend.
    if (answer.status >= 500 || answer.status == 408)
        return answerError(
            "outcome_unknown",
            tr("X answered with a server error (HTTP %1) after the post was sent, so it may "
               "have gone out. Check the account on x.com before posting it again.")
                .arg(answer.status),
            answer, false, QStringLiteral("post answered HTTP %1").arg(answer.status));
    if (!root)
        return isSuccess(answer.status) ? incomplete : root.error();
    const QJsonObject data = root->value(QLatin1String("data")).toObject();
    PostAnswer post;
    post.id = readId(data, "id");
    post.text = readText(data, "text");
    post.limits = answer.limits;
    if (post.id.isEmpty())
        return incomplete;
    return post;
}

Result<UploadSession> XAnswers::parseInitialize(const HttpAnswer &answer) {
    Result<QJsonObject> root = objectOf(answer);
    if (!root)
        return root.error();
    const QJsonObject data = root->value(QLatin1String("data")).toObject();
    UploadSession session;
    session.mediaId = readId(data, "id", "media_id_string");
    session.mediaKey = readMediaKey(data);
    session.expiresAfterSecs = readCount(data.value(QLatin1String("expires_after_secs")));
    if (session.mediaId.isEmpty())
        return invalidAnswer(answer, QStringLiteral("initialize answer without a media id"));
    return session;
}

Result<qint64> XAnswers::parseAppend(const HttpAnswer &answer) {
    if (!isSuccess(answer.status))
        return errorFor(answer.status, answer.body, answer.limits, answer.nowEpoch);
    // The segment is stored once X says 2xx; what the body adds is only its expiry.
    QJsonParseError parseError{};
    const QJsonObject root = answer.body.size() <= kMaxAnswerBytes
                                 ? QJsonDocument::fromJson(answer.body, &parseError).object()
                                 : QJsonObject();
    return readCount(
        root.value(QLatin1String("data")).toObject().value(QLatin1String("expires_at")));
}

std::optional<Processing> XAnswers::parseProcessing(const QJsonValue &value) {
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    const QString state = o.value(QLatin1String("state")).toString();
    if (state.isEmpty())
        return std::nullopt;
    Processing p;
    if (state == QLatin1String("pending"))
        p.state = Processing::State::Pending;
    else if (state == QLatin1String("succeeded"))
        p.state = Processing::State::Succeeded;
    else if (state == QLatin1String("failed"))
        p.state = Processing::State::Failed;
    else
        p.state = Processing::State::InProgress;
    p.checkAfterSecs =
        int(std::min<qint64>(readCount(o.value(QLatin1String("check_after_secs"))), 86400));
    if (o.contains(QLatin1String("progress_percent")))
        p.progressPercent =
            int(std::min<qint64>(readCount(o.value(QLatin1String("progress_percent"))), 100));
    const QJsonObject error = o.value(QLatin1String("error")).toObject();
    p.errorName = readText(error, "name");
    p.errorMessage = readText(error, "message");
    return p;
}

Result<FinalizeAnswer> XAnswers::parseFinalize(const HttpAnswer &answer) {
    Result<QJsonObject> root = objectOf(answer);
    if (!root)
        return root.error();
    const QJsonObject data = root->value(QLatin1String("data")).toObject();
    FinalizeAnswer finalized;
    finalized.mediaId = readId(data, "id", "media_id_string");
    finalized.mediaKey = readMediaKey(data);
    finalized.size = readCount(data.value(QLatin1String("size")));
    finalized.expiresAfterSecs = readCount(data.value(QLatin1String("expires_after_secs")));
    finalized.processing = parseProcessing(data.value(QLatin1String("processing_info")));
    if (finalized.mediaId.isEmpty())
        return invalidAnswer(answer, QStringLiteral("finalize answer without a media id"));
    return finalized;
}

Result<StatusAnswer> XAnswers::parseStatus(const HttpAnswer &answer) {
    Result<QJsonObject> root = objectOf(answer);
    if (!root)
        return root.error();
    const QJsonObject data = root->value(QLatin1String("data")).toObject();
    StatusAnswer status;
    status.mediaId = readId(data, "id", "media_id_string");
    status.processing = parseProcessing(data.value(QLatin1String("processing_info")));
    if (status.mediaId.isEmpty() && !status.processing)
        return invalidAnswer(answer, QStringLiteral("status answer without id or processing"));
    return status;
}

Result<LookupAnswer> XAnswers::parseLookup(const HttpAnswer &answer) {
    Result<QJsonObject> root = objectOf(answer);
    if (!root)
        return root.error();
    const QJsonValue dataValue = root->value(QLatin1String("data"));
    const QJsonValue errorsValue = root->value(QLatin1String("errors"));
    if (!dataValue.isArray() && !errorsValue.isArray())
        return invalidAnswer(answer, QStringLiteral("lookup answer without data or errors"));
    LookupAnswer lookup;
    const QJsonArray data = dataValue.toArray();
    for (qsizetype i = 0; i < std::min(data.size(), kMaxEntries); ++i) {
        const QJsonObject item = data.at(i).toObject();
        PostMetrics post;
        post.id = readId(item, "id");
        if (post.id.isEmpty())
            continue;
        post.text = readText(item, "text");
        post.publicMetrics = readPublic(item.value(QLatin1String("public_metrics")));
        post.nonPublicMetrics = readNonPublic(item.value(QLatin1String("non_public_metrics")));
        lookup.posts.append(post);
    }
    const QJsonArray errors = errorsValue.toArray();
    for (qsizetype i = 0; i < std::min(errors.size(), kMaxEntries); ++i) {
        const QJsonObject item = errors.at(i).toObject();
        QString id = readId(item, "resource_id", "value");
        if (id.isEmpty())
            continue;
        const QString type = item.value(QLatin1String("type")).toString();
        if (type.endsWith(QLatin1String("/resource-not-found")))
            lookup.notFound.append(id);
        else if (type.endsWith(QLatin1String("/not-authorized-for-field")))
            lookup.nonPublicRefused.append(id);
        else
            lookup.unavailable.append(id);
    }
    return lookup;
}

} // namespace huntaze::x
