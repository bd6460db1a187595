#include "redditmediawatch.h"

#include "redditclient.h"
#include "redditerrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QWebSocket>

namespace huntaze::reddit {

namespace {

constexpr qsizetype kMaxMessageBytes = 64 * 1024;
// The listing page polled: the post is among the newest.
constexpr int kPollLimit = 25;
// Clocks differ: a post "made before the submit" by up to this much still counts.
constexpr qint64 kClockSkewSeconds = 600;

bool sameText(const QString &a, const QString &b) {
    return a.trimmed().compare(b.trimmed(), Qt::CaseSensitive) == 0;
}

} // namespace

RedditMediaWatch::RedditMediaWatch(RedditClient *client, QString limitKey, QByteArray token,
                                   QUrl websocketUrl, MediaPostMatch match,
                                   MediaWatchTimings timings, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_limitKey(std::move(limitKey))
    , m_token(std::move(token))
    , m_websocketUrl(std::move(websocketUrl))
    , m_match(std::move(match))
    , m_timings(timings) {
    m_socketTimer.setSingleShot(true);
    m_pollTimer.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_socketTimer, &QTimer::timeout, this, [this] {
        // Silence: the message may never come (reddit.md: find the post by polling).
        startPolling();
    });
    connect(&m_pollTimer, &QTimer::timeout, this, &RedditMediaWatch::poll);
    connect(&m_deadline, &QTimer::timeout, this,
            [this] { finish(toError(problemFor(LocalFailure::MediaNotFound))); });
}

RedditMediaWatch::~RedditMediaWatch() {
    dropSocket();
}

void RedditMediaWatch::dropSocket() {
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    // A connected socket says goodbye; one still connecting (or failed) just stops.
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close();
    else
        m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void RedditMediaWatch::start(std::function<void(Result<MediaPost>)> done) {
    m_done = std::move(done);
    m_deadline.start(m_timings.deadline);
    if (m_websocketUrl.isValid() && !m_websocketUrl.isEmpty())
        openSocket();
    else
        startPolling();
}

void RedditMediaWatch::openSocket() {
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RedditMediaWatch::onMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &data) { onMessage(QString::fromUtf8(data)); });
    // Closed (or never opened) before the message came: fall back on polling.
    connect(m_socket, &QWebSocket::disconnected, this, &RedditMediaWatch::startPolling);
    // (Qt 6.4 names the signal error(); 6.5 renamed it errorOccurred().)
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &RedditMediaWatch::startPolling);
    QNetworkRequest request(m_websocketUrl);
    if (m_client)
        request.setRawHeader("User-Agent", m_client->userAgent());
    m_socketTimer.start(m_timings.socketWait);
    m_socket->open(request);
}

void RedditMediaWatch::onMessage(const QString &text) {
    if (m_finished)
        return;
    const MediaMessage message = parseMessage(text.toUtf8());
    if (message.type == MediaMessage::Type::Failed)
        return finish(toError(problemForMediaFailure(message.message, m_match.video)));
    if (message.type != MediaMessage::Type::Success)
        return; // not the message this socket is for: keep listening
    const QString permalink = permalinkIn(message.redirect);
    const QString id = idInPermalink(permalink);
    if (id.isEmpty())
        return startPolling(); // a success without a usable link: find it on the profile
    MediaPost post;
    post.id = id;
    post.fullname = QStringLiteral("t3_") + id;
    post.permalink = permalink;
    post.url = message.redirect;
    post.fromWebSocket = true;
    finish(post);
}

void RedditMediaWatch::startPolling() {
    if (m_finished || m_polling)
        return;
    m_polling = true;
    m_socketTimer.stop();
    dropSocket();
    poll();
}

void RedditMediaWatch::poll() {
    if (m_finished)
        return;
    if (!m_client)
        return finish(toError(problemFor(LocalFailure::MediaNotFound)));
    QPointer<RedditMediaWatch> self(this);
    m_client->submitted(m_limitKey, m_token, m_match.username, kPollLimit, {},
                        [self](Result<Listing> listing) {
                            if (!self || self->m_finished)
                                return;
                            if (!listing) {
                                // Trouble that passes (a lost answer, 5xx, 429): keep looking until
                                // the deadline. Anything else will not get better by asking again.
                                if (!listing.error().retryable)
                                    return self->finish(listing.error());
                            } else if (const auto found = findPost(listing->posts, self->m_match)) {
                                MediaPost post;
                                post.id = found->id;
                                post.fullname = found->fullname;
                                post.permalink = found->permalink;
                                return self->finish(post);
                            }
                            self->m_pollTimer.start(self->m_timings.pollInterval);
                        });
}

void RedditMediaWatch::finish(Result<MediaPost> result) {
    if (m_finished)
        return;
    m_finished = true;
    m_socketTimer.stop();
    m_pollTimer.stop();
    m_deadline.stop();
    dropSocket();
    const auto done = std::move(m_done);
    deleteLater();
    if (done)
        done(std::move(result));
}

MediaMessage RedditMediaWatch::parseMessage(const QByteArray &text) {
    MediaMessage message;
    if (text.size() > kMaxMessageBytes)
        return message;
    const QJsonObject root = QJsonDocument::fromJson(text).object();
    const QString type = root.value(QLatin1String("type")).toString();
    const QJsonObject payload = root.value(QLatin1String("payload")).toObject();
    if (type == QLatin1String("success")) {
        const QUrl redirect(payload.value(QLatin1String("redirect")).toString(), QUrl::StrictMode);
        const QString scheme = redirect.scheme().toLower();
        if (redirect.isValid() && !redirect.host().isEmpty() &&
            (scheme == QLatin1String("https") || scheme == QLatin1String("http"))) {
            message.type = MediaMessage::Type::Success;
            message.redirect = redirect;
        }
    } else if (type == QLatin1String("failed")) {
        message.type = MediaMessage::Type::Failed;
        message.message = payload.value(QLatin1String("message")).toString().left(2000);
    }
    return message;
}

QString RedditMediaWatch::permalinkIn(const QUrl &postUrl) {
    // The page may live under a prefix (a test platform's /reddit): the permalink is the
    // part from /r/ on.
    static const QRegularExpression pattern(
        QStringLiteral("(/r/[A-Za-z0-9_]{1,21}/comments/[a-z0-9]{1,16}(?:/[^?#]*)?)$"));
    const auto match = pattern.match(postUrl.path(QUrl::FullyEncoded));
    return match.hasMatch() ? match.captured(1) : QString();
}

QString RedditMediaWatch::idInPermalink(const QString &permalink) {
    static const QRegularExpression pattern(
        QStringLiteral("^/r/[A-Za-z0-9_]{1,21}/comments/([a-z0-9]{1,16})(?:/|$)"));
    const auto match = pattern.match(permalink);
    return match.hasMatch() ? match.captured(1) : QString();
}

std::optional<PostInfo> RedditMediaWatch::findPost(const QList<PostInfo> &posts,
                                                   const MediaPostMatch &match) {
    const QString mediaUrl = match.mediaUrl.toString();
    if (!mediaUrl.isEmpty())
        for (const PostInfo &post : posts)
            if (post.url == mediaUrl)
                return post;
    // Reddit may show the media at its own address (i.redd.it) rather than the upload's:
    // then the newest post with this title in this subreddit, made after the submit.
    for (const PostInfo &post : posts) {
        if (post.subreddit.compare(match.subreddit, Qt::CaseInsensitive) != 0 ||
            !sameText(post.title, match.title))
            continue;
        if (match.submittedAtUtc > 0 && post.createdUtc > 0 &&
            post.createdUtc < match.submittedAtUtc - kClockSkewSeconds)
            continue;
        return post;
    }
    return std::nullopt;
}

} // namespace huntaze::reddit
