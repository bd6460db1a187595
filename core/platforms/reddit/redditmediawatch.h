#pragma once

#include "base/result.h"
#include "redditlisting.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

class QWebSocket;

namespace huntaze::reddit {

class RedditClient;

// How to recognise a media post in the user's submissions when the websocket cannot say.
struct MediaPostMatch {
    QString username;  // whose /user/<name>/submitted to poll
    QString subreddit; // without r/
    QString title;
    QUrl mediaUrl;             // the `url` submitted
    qint64 submittedAtUtc = 0; // seconds since the epoch; 0: any time
    bool video = false;        // for the failure message
};

// The media post, once Reddit made it.
struct MediaPost {
    QString id;        // "abc"
    QString fullname;  // "t3_abc"
    QString permalink; // "/r/sub/comments/abc/slug/"
    QUrl url;          // the page, when the websocket gave it
    bool fromWebSocket = false;
};

struct MediaWatchTimings {
    std::chrono::milliseconds socketWait{std::chrono::minutes(5)}; // silence before polling
    std::chrono::milliseconds pollInterval{std::chrono::seconds(15)};
    std::chrono::milliseconds deadline{std::chrono::minutes(15)}; // then "media_not_found"
};

// The websocket's one message (reddit.md, "Native media", step 4).
struct MediaMessage {
    enum class Type { Success, Failed, Other };
    Type type = Type::Other;
    QUrl redirect;   // Success: the post's page
    QString message; // Failed: Reddit's reason
};

// Learns the post an image/video submit made: the submit answer's websocket sends one
// message (the post's URL, or a failure). When the websocket cannot be opened, closes
// without a message or stays silent for socketWait, the user's submissions are polled
// (paced like every API call) until the post shows up or the deadline passes. Calls done
// once, then deletes itself.
//
// No Q_OBJECT on purpose: it has no signals or slots, and without a moc'd vtable the
// linker pulls it (and QtWebSockets) only into programs that watch media posts - never
// into the relay.
class RedditMediaWatch : public QObject {
public:
    RedditMediaWatch(RedditClient *client, QString limitKey, QByteArray token, QUrl websocketUrl,
                     MediaPostMatch match, MediaWatchTimings timings, QObject *parent = nullptr);
    ~RedditMediaWatch() override;
    void start(std::function<void(Result<MediaPost>)> done);

    // Pure helpers, unit-tested on their own.
    static MediaMessage parseMessage(const QByteArray &text);
    // "https://www.reddit.com/r/pics/comments/abc/slug/" -> "/r/pics/comments/abc/slug/".
    static QString permalinkIn(const QUrl &postUrl);
    // "/r/pics/comments/abc/slug/" -> "abc"; empty when it is no post's link.
    static QString idInPermalink(const QString &permalink);
    // The newest post that is this media post: the same media URL, or else the same
    // subreddit and title, made no earlier than ten minutes before the submit.
    static std::optional<PostInfo> findPost(const QList<PostInfo> &posts,
                                            const MediaPostMatch &match);

private:
    void openSocket();
    void onMessage(const QString &text);
    void startPolling();
    void poll();
    void finish(Result<MediaPost> result);
    void dropSocket();
    QPointer<RedditClient> m_client;
    QString m_limitKey;
    QByteArray m_token;
    QUrl m_websocketUrl;
    MediaPostMatch m_match;
    MediaWatchTimings m_timings;
    std::function<void(Result<MediaPost>)> m_done;
    QWebSocket *m_socket = nullptr;
    QTimer m_socketTimer;
    QTimer m_pollTimer;
    QTimer m_deadline;
    bool m_polling = false;
    bool m_finished = false;
};

} // namespace huntaze::reddit
