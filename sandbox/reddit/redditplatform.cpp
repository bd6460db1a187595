#include "redditplatform.h"

namespace sandbox {

RedditPlatform::RedditPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent) {}

void RedditPlatform::registerRoutes(Router &) {}

QJsonObject RedditPlatform::save() const {
    return {};
}

void RedditPlatform::load(const QJsonObject &) {}

void RedditPlatform::tick() {}

QJsonObject RedditPlatform::endpoints() const {
    return {{QStringLiteral("base_url"), baseUrl()}};
}

} // namespace sandbox
