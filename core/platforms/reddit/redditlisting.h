#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace huntaze::reddit {

// One submission as a listing or /api/info reports it (reddit.md, "Reading").
struct PostInfo {
    QString id;       // "abc"
    QString fullname; // "t3_abc"
    QString title;
    QString subreddit;
    QString author;
    QString permalink;         // "/r/sub/comments/abc/slug/" (relative, as Reddit gives it)
    QString url;               // the link, the media, or the post itself for self posts
    QString removedByCategory; // empty unless removed ("moderator", "deleted", ...)
    int score = 0;
    int numComments = 0;
    double upvoteRatio = 0;
    qint64 createdUtc = 0;
    bool nsfw = false;
    bool spoiler = false;
};

// A page of a listing: its posts, and `after` for the next page (empty at the end).
struct Listing {
    QList<PostInfo> posts;
    QString after;
};

// One link flair a subreddit offers (GET /r/<sub>/api/link_flair_v2).
struct Flair {
    QString id; // the flair_id to submit
    QString text;
    QString type; // "text", "richtext", ...
    bool textEditable = false;
    bool modOnly = false;
    QString backgroundColor;
    QString textColor;
};

// Pure parsers of Reddit's reading answers (2xx bodies; other statuses become the Problem
// for that status). Bounded: at most 100 posts and 500 flairs are read, and entries that
// are not submissions (kind != "t3") or have no usable id are skipped.
class RedditListing {
public:
    static Result<Listing> parseListing(int httpStatus, const QByteArray &body);
    static Result<QList<Flair>> parseFlairs(int httpStatus, const QByteArray &body,
                                            const QString &subreddit);
    static bool isFullname(const QString &fullname);
};

} // namespace huntaze::reddit
