#pragma once

#include "platform.h"
#include "redditstate.h"

#include <functional>

namespace sandbox {

// What the pieces of the Reddit stand-in share: the sandbox context, the state and the
// sandbox app. One installed app (no secret), one registered redirect URI, matched as
// an exact string as Reddit does.
struct RedditEnv {
    SandboxContext &context;
    RedditState &state;
    std::function<void()> changed;

    static QString clientId() { return QStringLiteral("sbx-reddit-client"); }
    static QString redirectUri() {
        return QStringLiteral("http://127.0.0.1:65010/reddit/callback");
    }
    // http://host:port/reddit: stands for www.reddit.com and oauth.reddit.com alike.
    QString base() const { return context.baseUrl.toString() + QStringLiteral("/reddit"); }
    // host:port, for the scheme-relative lease action and the websocket URLs.
    QString authority() const { return context.baseUrl.authority(QUrl::FullyEncoded); }
    qint64 now() const { return context.clock.nowSecs(); }
};

// Reddit's generic JSON error body: {"message": "Unauthorized", "error": 401}.
QJsonObject redditError(int status, const QString &message);

} // namespace sandbox
