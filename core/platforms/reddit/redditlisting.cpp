#include "redditlisting.h"

#include "redditerrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace huntaze::reddit {

namespace {

constexpr qsizetype kMaxAnswerBytes = 4 << 20;
constexpr qsizetype kMaxPosts = 100;
constexpr qsizetype kMaxFlairs = 500;
constexpr qsizetype kMaxText = 4000;

Error invalidAnswer(int httpStatus, const QString &detail) {
    Error error = toError(problemFor(LocalFailure::InvalidAnswer), httpStatus);
    error.detail = detail;
    return error;
}

QString text(const QJsonObject &object, const char *name, qsizetype limit = kMaxText) {
    return object.value(QLatin1String(name)).toString().left(limit);
}

// Counts are ints; anything else (a string, 1e300, NaN) is 0.
int count(const QJsonValue &value) {
    if (!value.isDouble())
        return 0;
    const double number = value.toDouble();
    if (!std::isfinite(number))
        return 0;
    return int(std::clamp(number, double(std::numeric_limits<int>::min()),
                          double(std::numeric_limits<int>::max())));
}

std::optional<PostInfo> postFrom(const QJsonObject &thing) {
    if (thing.value(QLatin1String("kind")).toString() != QLatin1String("t3"))
        return std::nullopt;
    const QJsonObject data = thing.value(QLatin1String("data")).toObject();
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]{1,16}$"));
    PostInfo post;
    post.id = data.value(QLatin1String("id")).toString();
    if (!idPattern.match(post.id).hasMatch())
        return std::nullopt;
    post.fullname = QStringLiteral("t3_") + post.id;
    post.title = text(data, "title");
    post.subreddit = text(data, "subreddit", 64);
    post.author = text(data, "author", 64);
    post.permalink = text(data, "permalink", 2048);
    post.url = text(data, "url", 2048);
    post.removedByCategory = text(data, "removed_by_category", 64);
    post.score = count(data.value(QLatin1String("score")));
    post.numComments = std::max(0, count(data.value(QLatin1String("num_comments"))));
    const double ratio = data.value(QLatin1String("upvote_ratio")).toDouble();
    post.upvoteRatio = std::isfinite(ratio) ? std::clamp(ratio, 0.0, 1.0) : 0.0;
    const double created = data.value(QLatin1String("created_utc")).toDouble();
    post.createdUtc = std::isfinite(created) && created > 0 && created < 1e11 ? qint64(created) : 0;
    post.nsfw = data.value(QLatin1String("over_18")).toBool();
    post.spoiler = data.value(QLatin1String("spoiler")).toBool();
    return post;
}

} // namespace

bool RedditListing::isFullname(const QString &fullname) {
    static const QRegularExpression pattern(QStringLiteral("^t3_[a-z0-9]{1,16}$"));
    return pattern.match(fullname).hasMatch();
}

Result<Listing> RedditListing::parseListing(int httpStatus, const QByteArray &body) {
    if (httpStatus < 200 || httpStatus >= 300)
        return toError(problemForHttpStatus(httpStatus, body), httpStatus);
    if (body.size() > kMaxAnswerBytes)
        return invalidAnswer(httpStatus, QStringLiteral("listing too large"));
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (root.value(QLatin1String("kind")).toString() != QLatin1String("Listing"))
        return invalidAnswer(httpStatus, QStringLiteral("not a Listing"));
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    Listing listing;
    const QJsonArray children = data.value(QLatin1String("children")).toArray();
    for (qsizetype i = 0; i < children.size() && listing.posts.size() < kMaxPosts; ++i)
        if (const auto post = postFrom(children.at(i).toObject()))
            listing.posts.append(*post);
    const QString after = data.value(QLatin1String("after")).toString();
    if (isFullname(after))
        listing.after = after;
    return listing;
}

Result<QList<Flair>> RedditListing::parseFlairs(int httpStatus, const QByteArray &body,
                                                const QString &subreddit) {
    if (httpStatus < 200 || httpStatus >= 300)
        return toError(problemForHttpStatus(httpStatus, body, {}, -1, subreddit), httpStatus);
    if (body.size() > kMaxAnswerBytes)
        return invalidAnswer(httpStatus, QStringLiteral("flair list too large"));
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isArray())
        return invalidAnswer(httpStatus, QStringLiteral("flair list is not an array"));
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    QList<Flair> flairs;
    const QJsonArray entries = document.array();
    for (qsizetype i = 0; i < entries.size() && flairs.size() < kMaxFlairs; ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        Flair flair;
        flair.id = entry.value(QLatin1String("id")).toString();
        if (!idPattern.match(flair.id).hasMatch())
            continue; // a flair that cannot be chosen by id is of no use
        flair.text = text(entry, "text", 256);
        flair.type = text(entry, "type", 32);
        flair.textEditable = entry.value(QLatin1String("text_editable")).toBool();
        flair.modOnly = entry.value(QLatin1String("mod_only")).toBool();
        flair.backgroundColor = text(entry, "background_color", 32);
        flair.textColor = text(entry, "text_color", 32);
        flairs.append(flair);
    }
    return flairs;
}

} // namespace huntaze::reddit
