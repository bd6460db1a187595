#include "publishingsession.h"

#include "huntaze/version.h"
#include "net/accesstokens.h"
#include "platforms/instagram/instagramclient.h"
#include "platforms/instagram/instagramusage.h"
#include "platforms/reddit/redditclient.h"
#include "platforms/reddit/redditratelimit.h"
#include "platforms/reddit/reddituseragent.h"
#include "platforms/tiktok/tiktokclient.h"
#include "platforms/x/xclient.h"
#include "platforms/x/xpacer.h"

#include <QJsonObject>

namespace huntaze::jobs {

PublishingSession::PublishingSession(store::DesktopDatabase *database, net::RelayClient *relay,
                                     ApiBases apis, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<PublicationStore>(database))
    , m_tokens(std::make_unique<net::AccessTokens>(relay))
    , m_tiktok(std::make_unique<tiktok::TikTokClient>(apis.tiktok, &m_network))
    , m_instagramUsage(std::make_unique<instagram::UsageGovernor>())
    , m_instagram(std::make_unique<instagram::InstagramClient>(
          apis.instagramGraph, apis.instagramVersion, &m_network, m_instagramUsage.get()))
    , m_redditPacer(std::make_unique<reddit::RateLimitPacer>())
    , m_reddit(std::make_unique<reddit::RedditClient>(apis.reddit, redditUserAgent(), &m_network,
                                                      m_redditPacer.get()))
    , m_xPacer(std::make_unique<x::XPacer>())
    , m_x(std::make_unique<x::XClient>(apis.x, &m_network, m_xPacer.get())) {
    m_services.store = m_store.get();
    m_services.tokens = m_tokens.get();
    m_services.network = &m_network;
    m_services.tiktok = m_tiktok.get();
    m_services.instagram = m_instagram.get();
    m_services.relay = relay;
    m_services.reddit = m_reddit.get();
    m_services.x = m_x.get();
    m_queue = std::make_unique<PublicationQueue>(m_services);
}

PublishingSession::~PublishingSession() {
    m_queue.reset(); // jobs first: they use everything else
}

PublishingSession::ApiBases PublishingSession::apiBasesFrom(const QJsonObject &platforms) {
    const auto base = [&platforms](const char *provider) {
        return QUrl(platforms.value(QLatin1String(provider))
                        .toObject()
                        .value(QStringLiteral("api_base_url"))
                        .toString());
    };
    const QString graphVersion = platforms.value(QStringLiteral("instagram"))
                                     .toObject()
                                     .value(QStringLiteral("graph_version"))
                                     .toString(QStringLiteral("v25.0"));
    return {base("tiktok"), base("instagram"), graphVersion, base("reddit"), base("x")};
}

QByteArray PublishingSession::redditUserAgent() {
    // The app's Reddit account is named in the User-Agent, as Reddit asks of every client.
    return reddit::RedditUserAgent::make(
        QStringLiteral("desktop"), QStringLiteral("com.huntaze.app"),
        QStringLiteral(HUNTAZE_VERSION), QStringLiteral("huntaze_app"));
}

} // namespace huntaze::jobs
