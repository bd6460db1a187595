#pragma once

#include "http/router.h"

namespace huntaze::relay {

// GET /oauth/meta/callback: Meta accepts loopback redirects only for apps in development
// mode, so a live app redirects here (HTTPS, through the relay's reverse proxy) and this
// page hands code and state on to the desktop's loopback listener. The desktop puts its
// listener's port at the end of the state ("<nonce>.<port>"); nothing else is trusted:
// the target is always http://127.0.0.1:<port>/callback, never a host from the request.
class MetaRedirectPage {
public:
    static void registerRoutes(Router &router);
    // The loopback URL to forward to, or an empty URL when the state carries no valid port.
    static QUrl forwardTarget(const QUrlQuery &query);
};

} // namespace huntaze::relay
