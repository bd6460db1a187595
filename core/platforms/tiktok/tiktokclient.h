#pragma once

#include "base/result.h"
#include "jobs/ratelimiter.h"
#include "tiktokanswers.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;

namespace huntaze::tiktok {

// TikTok's Content Posting API (shared/platforms/tiktok.md) for the desktop: creator
// info, the three init calls, status and cancel. Every call is paced per access token
// by the documented limits (init 6, creator_info 20, status 30 a minute, of which this
// desktop takes 20 and leaves 10 to the relay's poller), so normal use
// never meets a 429: a call over the limit waits for its turn instead of being sent.
// Errors come back as Errors whose message says what happened and what to do. An init
// whose answer never arrived fails with code "outcome_unknown": the caller must not
// assume it did not happen.
class TikTokClient : public QObject {
    Q_OBJECT
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    TikTokClient(QUrl apiBase, QNetworkAccessManager *network, QObject *parent = nullptr);

    // limitKey names the access token's owner (the account), so pacing survives a refresh.
    void creatorInfo(const QString &limitKey, const QByteArray &token, Done<CreatorInfo> done);
    void initInbox(const QString &limitKey, const QByteArray &token, const VideoSource &source,
                   Done<InitAnswer> done);
    void initDirect(const QString &limitKey, const QByteArray &token, const PostInfo &post,
                    const VideoSource &source, Done<InitAnswer> done);
    void initPhoto(const QString &limitKey, const QByteArray &token, bool directPost,
                   const PostInfo &post, const QStringList &photoUrls, int coverIndex,
                   Done<InitAnswer> done);
    void fetchStatus(const QString &limitKey, const QByteArray &token, const QString &publishId,
                     Done<PublishStatus> done);
    void cancel(const QString &limitKey, const QByteArray &token, const QString &publishId,
                Done<bool> done);

    static constexpr int kStatusCallsPerMinute = 20;
    static constexpr std::chrono::milliseconds kWindow{61'000};

private:
    using Answer = std::function<void(Result<QJsonObject>)>;
    void post(jobs::SlidingWindowLimiter &limiter, const QString &limitKey, const QByteArray &token,
              const QString &path, const QJsonObject &body, bool isInit, Answer answer);
    void whenAllowed(jobs::SlidingWindowLimiter &limiter, const QString &limitKey,
                     std::function<void()> call);
    QUrl m_apiBase;
    QNetworkAccessManager *m_network;
    jobs::SlidingWindowLimiter m_initLimiter;
    jobs::SlidingWindowLimiter m_creatorInfoLimiter;
    jobs::SlidingWindowLimiter m_statusLimiter;
};

} // namespace huntaze::tiktok
