#include "instagramplatform.h"

namespace sandbox {

InstagramPlatform::InstagramPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent) {}

void InstagramPlatform::registerRoutes(Router &) {}

QJsonObject InstagramPlatform::save() const {
    return {};
}

void InstagramPlatform::load(const QJsonObject &) {}

void InstagramPlatform::tick() {}

QJsonObject InstagramPlatform::endpoints() const {
    return {{QStringLiteral("base_url"), baseUrl()}};
}

} // namespace sandbox
