#pragma once

#include "tiktokcore.h"

namespace sandbox::tiktok {

class TikTokPublishing;

// /_admin/tiktok/...: settings knobs, token invalidation, authorization removal,
// posts with their uploads, and the user's side of a post (posted, failed, hidden).
class TikTokAdmin {
public:
    TikTokAdmin(TikTokCore &core, TikTokPublishing &publishing)
        : m_core(core)
        , m_publishing(publishing) {}
    void registerRoutes(Router &router);

private:
    QJsonObject settingsJson() const;
    void setSettings(const ExchangePtr &e);
    void invalidateTokens(const ExchangePtr &e);
    void removeAuthorization(const ExchangePtr &e);
    QJsonObject postJson(const Post &post) const;
    Post *post(const ExchangePtr &e);
    static void error(const ExchangePtr &e, int status, const QString &message);

    TikTokCore &m_core;
    TikTokPublishing &m_publishing;
};

} // namespace sandbox::tiktok
