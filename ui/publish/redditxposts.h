#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace huntaze::ui {

// What the Posts page says about Reddit and X posts, from their rows as stored
// (reddit_posts, x_posts), kept apart from the model so each rule is tested on plain text.
// Everything here reads what a platform (or a hostile relay row) wrote: odd values give
// nothing rather than a wrong link or number.
class RedditXPosts {
    Q_DECLARE_TR_FUNCTIONS(RedditXPosts)
public:
    // "Text post", "Link", "Image", "Video" from reddit_posts.kind.
    static QString redditKindText(const QString &kind);
    // reddit_posts.removed_by_category as "Removed by the moderators", ... (empty when
    // the post is up).
    static QString redditRemovedText(const QString &category);
    // What removal means and what the creator can do about it.
    static QString redditRemovedAdvice(const QString &category);
    // "r/pics · Title": where it went and what it says.
    static QString redditCaption(const QString &subreddit, const QString &title);
    // An upvote ratio (0..1) as "97 %"; empty when unknown or not a ratio.
    static QString upvoteRatioText(const QString &ratio);
    // The post's page: an absolute https://www.reddit.com/ address as is, Reddit's own
    // relative permalink ("/r/.../comments/...") made absolute; anything else empty.
    static QString redditLink(const QString &permalink);

    // "Text post", "Photos", "GIF", "Video" from the publication's kind when Huntaze made
    // the post; "Post" when it did not (X does not say).
    static QString xKindText(const QString &kind);
    // One figure of an X post (impression_count, like_count, retweet_count, reply_count,
    // quote_count, ...): from public_metrics, else from non_public_metrics (jsonb as text).
    static std::optional<qint64> xMetric(const QJsonObject &publicMetrics,
                                         const QJsonObject &nonPublicMetrics, const QString &name);
    // The private figures X shares with the author for recent posts ("Link clicks: 3 ·
    // Profile clicks: 1"), empty when X sent none.
    static QString xPrivateFiguresText(const QJsonObject &nonPublicMetrics);
};

} // namespace huntaze::ui
