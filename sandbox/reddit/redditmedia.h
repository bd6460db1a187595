#pragma once

#include "redditapigate.h"

#include <QPointer>
#include <QWebSocket>

namespace sandbox {

// Native media: the lease (POST /api/media/asset.json), the S3-style upload target
// (POST /reddit/s3-bucket), the "processing" of media submissions over clock time and
// the websocket that reports the one result.
class RedditMedia {
public:
    static constexpr qint64 kMaxImageBytes = 20LL * 1024 * 1024;   // 20 MB
    static constexpr qint64 kMaxVideoBytes = 1024LL * 1024 * 1024; // 1 GB
    static constexpr qint64 kLeaseLifetimeSecs = 3600;

    RedditMedia(RedditEnv &env, RedditApiGate &gate);
    void registerRoutes(Router &router);
    // Queues a media post for processing; returns its websocket URL.
    QString queue(const RedditPost &post);
    void tick();
    bool acceptWebSocket(QWebSocket *socket);

private:
    void lease(const RedditCall &call);
    void upload(const ExchangePtr &exchange);
    void serve(const ExchangePtr &exchange);
    static QList<std::pair<QString, QString>> leaseFields(const RedditAsset &asset);
    QString signPolicy(const QString &policy) const;
    void s3Error(const ExchangePtr &exchange, int status, const QString &code,
                 const QString &message, const QString &extra = {}) const;
    // The one message for a websocket key, once there is one.
    std::optional<QJsonObject> resultFor(const QString &key) const;
    void deliver();

    RedditEnv &m_env;
    RedditApiGate &m_gate;
    QHash<QString, QList<QPointer<QWebSocket>>> m_listeners;
};

} // namespace sandbox
