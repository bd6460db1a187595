#include "platforms.h"

#include "instagram/instagramplatform.h"
#include "reddit/redditplatform.h"
#include "tiktok/tiktokplatform.h"
#include "x/xplatform.h"

namespace sandbox {

std::vector<std::unique_ptr<Platform>> createPlatforms(SandboxContext &context) {
    std::vector<std::unique_ptr<Platform>> platforms;
    platforms.push_back(std::make_unique<TikTokPlatform>(context));
    platforms.push_back(std::make_unique<InstagramPlatform>(context));
    platforms.push_back(std::make_unique<RedditPlatform>(context));
    platforms.push_back(std::make_unique<XPlatform>(context));
    return platforms;
}

} // namespace sandbox
