#pragma once

#include <QObject>

class QNetworkAccessManager;

namespace huntaze::net {
class AccessTokens;
class RelayClient;
} // namespace huntaze::net
namespace huntaze::tiktok {
class TikTokClient;
}
namespace huntaze::instagram {
class InstagramClient;
}
namespace huntaze::reddit {
class RedditClient;
}
namespace huntaze::x {
class XClient;
}

namespace huntaze::jobs {

class PublicationStore;

// What a job needs from the desktop: the queue's table, tokens from the relay, the
// network and the platform clients (shared, so per-token pacing is shared too).
struct PublishingServices {
    PublicationStore *store = nullptr;
    net::AccessTokens *tokens = nullptr;
    QNetworkAccessManager *network = nullptr;
    tiktok::TikTokClient *tiktok = nullptr;
    instagram::InstagramClient *instagram = nullptr;
    reddit::RedditClient *reddit = nullptr;
    x::XClient *x = nullptr;
    // The relay itself: hosts local photos for Instagram (which takes photos by URL only).
    net::RelayClient *relay = nullptr;
};

// One publication being worked on by this process, while it holds the publication's
// lock. run() takes it as far as it can go now (uploaded, waiting for the platform,
// waiting out a limit, or done), records that in the row, then emits finished().
class PublicationJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual qint64 publicationId() const = 0;
    virtual void run() = 0;
    virtual void pause() = 0;  // stop now; the row is already marked paused
    virtual void cancel() = 0; // stop now and withdraw what the platform holds

Q_SIGNALS:
    void progress(qint64 publicationId, qint64 bytesSent, qint64 bytesTotal, double bytesPerSecond);
    void finished(qint64 publicationId);
};

} // namespace huntaze::jobs
