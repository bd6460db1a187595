#pragma once

#include "redditapigate.h"

namespace sandbox {

class RedditMedia;

// POST /api/submit: every kind, Reddit's business errors (HTTP 200, json.errors), the
// validate_on_submit 400 shape, and native media handed to RedditMedia for processing.
class RedditSubmit {
public:
    RedditSubmit(RedditEnv &env, RedditApiGate &gate, RedditMedia &media)
        : m_env(env)
        , m_gate(gate)
        , m_media(media) {}
    void registerRoutes(Router &router);

    static QString rateLimitMessage(const QString &unit, int amount);
    static const QStringList &bannedDomains();

private:
    struct Failure {
        QString code;
        QString message;
        QString field;
    };
    void submit(const RedditCall &call);
    std::optional<Failure> validate(const RedditCall &call, const QUrlQuery &form,
                                    RedditPost *post) const;
    void fail(const RedditCall &call, const Failure &failure, bool validateOnSubmit,
              double rateLimitSecs = -1) const;

    RedditEnv &m_env;
    RedditApiGate &m_gate;
    RedditMedia &m_media;
};

} // namespace sandbox
