#pragma once

#include "redditapigate.h"

namespace sandbox {

// The reading side of oauth.reddit.com: /api/v1/me, /user/<name>/submitted,
// /api/info, /comments/<id>; and the growth of scores and comments over time.
class RedditReading {
public:
    RedditReading(RedditEnv &env, RedditApiGate &gate)
        : m_env(env)
        , m_gate(gate) {}
    void registerRoutes(Router &router);
    // Scores and comments grow with the clock: every minute of a post's life adds votes,
    // every fifth minute a comment (up to 200).
    void tick();

    static QJsonObject postThing(const RedditPost &post, const QString &base,
                                 const RedditCall *call);
    static QJsonObject listing(const QJsonArray &children, const QString &after,
                               const QString &before);
    static void addComment(RedditState &state, RedditPost &post, const QString &author,
                           const QString &body, qint64 now);

private:
    void me(const RedditCall &call);
    void submitted(const RedditCall &call);
    void info(const RedditCall &call);
    void comments(const RedditCall &call);

    RedditEnv &m_env;
    RedditApiGate &m_gate;
};

} // namespace sandbox
