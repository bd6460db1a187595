#include "tiktokplatform.h"

namespace sandbox {

TikTokPlatform::TikTokPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent) {}

void TikTokPlatform::registerRoutes(Router &) {}

QJsonObject TikTokPlatform::save() const {
    return {};
}

void TikTokPlatform::load(const QJsonObject &) {}

void TikTokPlatform::tick() {}

QJsonObject TikTokPlatform::endpoints() const {
    return {{QStringLiteral("base_url"), baseUrl()}};
}

} // namespace sandbox
