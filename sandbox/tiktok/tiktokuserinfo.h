#pragma once

#include "tiktokcore.h"

namespace sandbox::tiktok {

// GET /v2/user/info/?fields=...: each field needs its scope.
class TikTokUserInfo {
public:
    explicit TikTokUserInfo(TikTokCore &core)
        : m_core(core) {}
    void registerRoutes(Router &router);

private:
    void info(const ExchangePtr &e);
    void avatar(const ExchangePtr &e);
    TikTokCore &m_core;
};

} // namespace sandbox::tiktok
