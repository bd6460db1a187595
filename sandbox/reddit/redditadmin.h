#pragma once

#include "redditapigate.h"

namespace sandbox {

// /_admin/reddit/...: Reddit-specific knobs and inspection (platform "admin": faults
// never apply here).
class RedditAdmin {
public:
    RedditAdmin(RedditEnv &env, RedditApiGate &gate)
        : m_env(env)
        , m_gate(gate) {}
    void registerRoutes(Router &router);

private:
    void add(Router &router, const QByteArray &method, const QString &path, const char *endpoint,
             std::function<void(const ExchangePtr &, const QJsonObject &)> handler);
    QJsonObject postJson(const RedditPost &post) const;

    RedditEnv &m_env;
    RedditApiGate &m_gate;
};

} // namespace sandbox
