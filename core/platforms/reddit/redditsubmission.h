#pragma once

#include "base/result.h"
#include "redditerrors.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace huntaze::reddit {

enum class PostKind { Self, Link, Image, Video, VideoGif };

// "self", "link", "image", "video", "videogif": the submit form's `kind`.
QString kindName(PostKind kind);

// One post to submit (reddit.md, "Posting").
struct Submission {
    QString subreddit; // with or without "r/"
    PostKind kind = PostKind::Self;
    QString title;          // at most 300 characters
    QString text;           // markdown, self posts only
    QString url;            // the link, or the uploaded media's URL (RedditMediaLease::mediaUrl)
    QString videoPosterUrl; // video posts: an uploaded image
    QString flairId;
    QString flairText;
    bool nsfw = false;
    bool spoiler = false;
    bool sendReplies = true;
    bool resubmit = false; // post a link already posted in the subreddit anyway
    // Reddit then reports title/url failures as HTTP 400 SUBMIT_VALIDATION_ERROR.
    bool validateOnSubmit = false;
};

// Submit's answer. Self and link posts have their id at once; image and video posts only
// a websocket to learn it from (RedditMediaWatch), and the user's submitted page.
struct SubmitAnswer {
    QString id;       // "abc"
    QString fullname; // "t3_abc"
    QUrl url;         // the post's page
    QUrl websocketUrl;
    QUrl userSubmittedPage;
    bool awaitingMedia() const { return fullname.isEmpty(); }
};

// The pure side of submitting: the form, a check before sending, the answer.
class RedditSubmission {
public:
    static constexpr int kMaxTitle = 300;

    // "r/pics", "/r/pics/", " pics " -> "pics".
    static QString normaliseSubreddit(const QString &subreddit);
    // What Reddit would refuse anyway, found before anything is sent: no subreddit, no
    // title or one over 300 characters (counted as Reddit does, in code points), a link or
    // media post without its URL, a video without its poster. Same Problems as Reddit's.
    static std::optional<Problem> check(const Submission &submission);
    // The form body, fields in the contract's order, api_type=json last.
    static QList<std::pair<QString, QString>> form(const Submission &submission);
    // HTTP 200 with json.errors -> the first error's Problem (the codes of all of them in
    // Error::detail); 200 with an id or a websocket -> the answer. A 2xx Huntaze cannot
    // read, or one with neither, is "outcome_unknown": the post may exist.
    static Result<SubmitAnswer> parseAnswer(int httpStatus, const QByteArray &body,
                                            const QString &subreddit);
};

} // namespace huntaze::reddit
