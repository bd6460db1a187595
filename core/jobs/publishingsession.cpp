#include "publishingsession.h"

#include "net/accesstokens.h"
#include "platforms/instagram/instagramclient.h"
#include "platforms/instagram/instagramusage.h"
#include "platforms/tiktok/tiktokclient.h"

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
          apis.instagramGraph, apis.instagramVersion, &m_network, m_instagramUsage.get())) {
    m_services = {m_store.get(),  m_tokens.get(),    &m_network,
                  m_tiktok.get(), m_instagram.get(), relay};
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
    return {base("tiktok"), base("instagram"), graphVersion};
}

} // namespace huntaze::jobs
