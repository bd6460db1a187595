#pragma once

#include "config/serverconfig.h"
#include "http/router.h"

#include <QJsonObject>

namespace huntaze::relay {

// GET /v1/platforms: what a desktop needs to start a login with each platform this relay
// brokers: the public client id and where the authorization page is. Never a secret.
class PlatformDirectory {
public:
    static QJsonObject describe(const config::ServerConfig &config);
    static void registerRoutes(Router &router, QJsonObject directory);
};

} // namespace huntaze::relay
