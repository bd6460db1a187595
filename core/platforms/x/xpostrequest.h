#pragma once

#include "base/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace huntaze::x {

// Who may reply to a post (x.md: reply_settings). Everyone is X's default and is never sent.
enum class ReplySettings { Everyone, Following, MentionedUsers, Subscribers, Verified };

// One post to create with POST /2/tweets (x.md, "Posting").
struct PostRequest {
    QString text;
    QStringList mediaIds;        // 1-4 ids (strings of digits); excludes a poll and a quote
    QString inReplyToId;         // reply.in_reply_to_tweet_id
    QString quotePostId;         // quote_tweet_id; excludes media and a poll
    QStringList pollOptions;     // 2-4 options of 1-25 characters; excludes media and a quote
    int pollDurationMinutes = 0; // 5-10080 with a poll
    ReplySettings replySettings = ReplySettings::Everyone;
};

// The JSON body, or an Error (domain "x", code "invalid_post", action FixPost) saying what
// to change, for what X would certainly refuse: no text and no media, a text weighing more
// than 280 (xtextweight.h: links as 23, CJK and emoji as 2), media with a poll or a
// quote, more than 4 media, a bad poll, ids that are not ids.
Result<QJsonObject> postJson(const PostRequest &post);

// "following", "mentionedUsers", "subscribers", "verified"; "" for Everyone.
QString replySettingsName(ReplySettings settings);

// X ids are decimal strings of up to 19 digits; anything else never goes into a URL or body.
bool isXId(const QString &id);

// https://x.com/<username>/status/<id>, or the username-free form X redirects from when
// the name is not a valid handle (1-15 letters, digits, underscores); "" when the id is
// not an X id. The one place the app and its jobs build a post's address.
QString postPermalink(const QString &username, const QString &postId);

} // namespace huntaze::x
