#pragma once

#include "tiktokcore.h"

namespace sandbox::tiktok {

// The upload_url target: chunk PUTs with Content-Type, Content-Length and
// Content-Range, every chunk rule enforced, bytes kept in the UploadStore.
class TikTokUpload {
public:
    explicit TikTokUpload(TikTokCore &core)
        : m_core(core) {}
    void registerRoutes(Router &router);

private:
    void chunk(const ExchangePtr &e);
    void handleChunk(const ExchangePtr &e);
    TikTokCore &m_core;
};

} // namespace sandbox::tiktok
