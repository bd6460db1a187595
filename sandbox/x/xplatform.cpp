#include "xplatform.h"

namespace sandbox {

XPlatform::XPlatform(SandboxContext &context, QObject *parent)
    : Platform(context, parent) {}

void XPlatform::registerRoutes(Router &) {}

QJsonObject XPlatform::save() const {
    return {};
}

void XPlatform::load(const QJsonObject &) {}

void XPlatform::tick() {}

QJsonObject XPlatform::endpoints() const {
    return {{QStringLiteral("base_url"), baseUrl()}};
}

} // namespace sandbox
