#pragma once

#include "publicationjob.h"
#include "publicationqueue.h"
#include "publicationstore.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <memory>

namespace huntaze::net {
class RelayClient;
}
namespace huntaze::instagram {
class InstagramClient;
class UsageGovernor;
} // namespace huntaze::instagram
namespace huntaze::reddit {
class RedditClient;
class RateLimitPacer;
} // namespace huntaze::reddit
namespace huntaze::x {
class XClient;
class XPacer;
} // namespace huntaze::x
namespace huntaze::store {
class DesktopDatabase;
}

namespace huntaze::jobs {

// The publishing machinery of one paired desktop, assembled once and shared by the
// window, the command line and the tests: the queue's table, tokens from the relay,
// one network manager and one client per platform (so pacing per token is shared).
class PublishingSession : public QObject {
    Q_OBJECT
public:
    struct ApiBases {
        QUrl tiktok;
        QUrl instagramGraph;
        QString instagramVersion = QStringLiteral("v25.0");
        QUrl reddit; // oauth.reddit.com
        QUrl x;      // api.x.com
    };
    PublishingSession(store::DesktopDatabase *database, net::RelayClient *relay, ApiBases apis,
                      QObject *parent = nullptr);
    ~PublishingSession() override;

    // The platforms' API hosts as the relay's /v1/platforms describes them.
    static ApiBases apiBasesFrom(const QJsonObject &platforms);

    PublicationQueue *queue() const { return m_queue.get(); }
    PublicationStore *store() const { return m_store.get(); }
    net::AccessTokens *tokens() const { return m_tokens.get(); }
    tiktok::TikTokClient *tiktok() const { return m_tiktok.get(); }
    instagram::InstagramClient *instagram() const { return m_instagram.get(); }
    instagram::UsageGovernor *instagramUsage() const { return m_instagramUsage.get(); }
    reddit::RedditClient *reddit() const { return m_reddit.get(); }
    x::XClient *x() const { return m_x.get(); }
    // The descriptive User-Agent Reddit requires on every call (reddit.md).
    static QByteArray redditUserAgent();
    const PublishingServices &services() const { return m_services; }

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<PublicationStore> m_store;
    std::unique_ptr<net::AccessTokens> m_tokens;
    std::unique_ptr<tiktok::TikTokClient> m_tiktok;
    std::unique_ptr<instagram::UsageGovernor> m_instagramUsage;
    std::unique_ptr<instagram::InstagramClient> m_instagram;
    std::unique_ptr<reddit::RateLimitPacer> m_redditPacer;
    std::unique_ptr<reddit::RedditClient> m_reddit;
    std::unique_ptr<x::XPacer> m_xPacer;
    std::unique_ptr<x::XClient> m_x;
    PublishingServices m_services;
    std::unique_ptr<PublicationQueue> m_queue;
};

} // namespace huntaze::jobs
