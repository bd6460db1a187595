#include "xpostrequest.h"

#include "xtextweight.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

namespace huntaze::x {

namespace {

constexpr qsizetype kMaxPollOption = 25;

Error invalidPost(const QString &message) {
    Error error;
    error.domain = QStringLiteral("x");
    error.code = QStringLiteral("invalid_post");
    error.message = message;
    return error;
}

QString tr(const char *text) {
    return QCoreApplication::translate("XPostRequest", text);
}

qsizetype characters(const QString &text) {
    return text.toUcs4().size();
}

} // namespace

bool isXId(const QString &id) {
    if (id.isEmpty() || id.size() > 19)
        return false;
    for (const QChar c : id)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    return true;
}

QString postPermalink(const QString &username, const QString &postId) {
    if (!isXId(postId))
        return {};
    static const QRegularExpression handle(QStringLiteral("^[A-Za-z0-9_]{1,15}$"));
    if (!handle.match(username).hasMatch())
        return QStringLiteral("https://x.com/i/status/%1").arg(postId);
    return QStringLiteral("https://x.com/%1/status/%2").arg(username, postId);
}

QString replySettingsName(ReplySettings settings) {
    switch (settings) {
    case ReplySettings::Everyone:
        return {};
    case ReplySettings::Following:
        return QStringLiteral("following");
    case ReplySettings::MentionedUsers:
        return QStringLiteral("mentionedUsers");
    case ReplySettings::Subscribers:
        return QStringLiteral("subscribers");
    case ReplySettings::Verified:
        break;
    }
    return QStringLiteral("verified");
}

Result<QJsonObject> postJson(const PostRequest &post) {
    const bool hasMedia = !post.mediaIds.isEmpty();
    const bool hasPoll = !post.pollOptions.isEmpty();
    const bool hasQuote = !post.quotePostId.isEmpty();
    if (int(hasMedia) + int(hasPoll) + int(hasQuote) > 1)
        return invalidPost(tr("A post on X can have media, a poll or a quoted post, but only one "
                              "of them. Remove the others, then post again."));
    if (post.text.trimmed().isEmpty() && !hasMedia)
        return invalidPost(tr("Write some text or attach media, then post again."));
    if (const int weight = weightedLength(post.text); weight > kMaxWeightedLength)
        return invalidPost(tr("The text is %1 characters too long for X (%2 at most; a link "
                              "counts 23, an emoji 2). Shorten it, then post again.")
                               .arg(weight - kMaxWeightedLength)
                               .arg(kMaxWeightedLength));

    QJsonObject body;
    if (!post.text.isEmpty())
        body.insert(QStringLiteral("text"), post.text);
    if (hasMedia) {
        if (post.mediaIds.size() > 4)
            return invalidPost(tr("X allows at most 4 photos in a post. Remove some, then post "
                                  "again."));
        for (const QString &id : post.mediaIds)
            if (!isXId(id))
                return invalidPost(tr("One of the attached files was not uploaded to X "
                                      "properly. Attach it again, then post."));
        body.insert(
            QStringLiteral("media"),
            QJsonObject{{QStringLiteral("media_ids"), QJsonArray::fromStringList(post.mediaIds)}});
    }
    if (hasPoll) {
        if (post.pollOptions.size() < 2 || post.pollOptions.size() > 4)
            return invalidPost(tr("A poll on X needs 2 to 4 choices. Change the choices, then "
                                  "post again."));
        for (const QString &option : post.pollOptions)
            if (option.trimmed().isEmpty() || characters(option) > kMaxPollOption)
                return invalidPost(tr("Each poll choice must have 1 to 25 characters. Change "
                                      "the choices, then post again."));
        if (post.pollDurationMinutes < 5 || post.pollDurationMinutes > 10080)
            return invalidPost(tr("A poll on X runs from 5 minutes to 7 days. Choose a length "
                                  "in that range, then post again."));
        body.insert(
            QStringLiteral("poll"),
            QJsonObject{{QStringLiteral("options"), QJsonArray::fromStringList(post.pollOptions)},
                        {QStringLiteral("duration_minutes"), post.pollDurationMinutes}});
    }
    if (hasQuote) {
        if (!isXId(post.quotePostId))
            return invalidPost(tr("The post to quote is not a valid X post. Choose it again, "
                                  "then post."));
        body.insert(QStringLiteral("quote_tweet_id"), post.quotePostId);
    }
    if (!post.inReplyToId.isEmpty()) {
        if (!isXId(post.inReplyToId))
            return invalidPost(tr("The post to reply to is not a valid X post. Choose it again, "
                                  "then post."));
        body.insert(QStringLiteral("reply"),
                    QJsonObject{{QStringLiteral("in_reply_to_tweet_id"), post.inReplyToId}});
    }
    if (post.replySettings != ReplySettings::Everyone)
        body.insert(QStringLiteral("reply_settings"), replySettingsName(post.replySettings));
    return body;
}

} // namespace huntaze::x
