#pragma once

#include "redditapigate.h"

namespace sandbox {

// GET /r/<subreddit>/api/link_flair_v2 (scope flair): the link flair templates a
// subreddit offers, as Reddit's JSON array. The templates are fixed per subreddit
// (RedditState::seed, listed in README.md); submit checks flair_id against them.
class RedditFlairs {
public:
    RedditFlairs(RedditEnv &env, RedditApiGate &gate)
        : m_env(env)
        , m_gate(gate) {}
    void registerRoutes(Router &router);

    // One template in Reddit's shape; text HTML-escaped unless the call asked raw_json=1.
    static QJsonObject templateJson(const RedditFlairTemplate &flair, const RedditCall *call);

private:
    void linkFlairs(const RedditCall &call);

    RedditEnv &m_env;
    RedditApiGate &m_gate;
};

} // namespace sandbox
