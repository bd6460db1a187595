#pragma once

#include "redditenv.h"

namespace sandbox {

// One authorized call to oauth.reddit.com, past the gate.
struct RedditCall {
    ExchangePtr exchange;
    RedditToken token;
    const RedditUser *user = nullptr;                 // null for application-only tokens
    QList<std::pair<QByteArray, QByteArray>> headers; // X-Ratelimit-*
    bool rawJson = false;

    void respond(int status, const QJsonObject &object) const;
    void respond(int status, const QJsonDocument &document) const;
    // Reddit HTML-escapes &, < and > in text unless raw_json=1.
    QString text(const QString &value) const;
};

// What every oauth.reddit.com call goes through, in Reddit's order: the User-Agent
// rule, the bearer token, the rate limit of the OAuth client, the scope.
class RedditApiGate {
public:
    static constexpr qint64 kWindowSecs = 600;
    static constexpr int kWindowLimit = 1000; // 100 a minute over a 10-minute window

    explicit RedditApiGate(RedditEnv &env)
        : m_env(env) {}
    using Handler = std::function<void(const RedditCall &)>;
    void add(Router &router, const QByteArray &method, const QString &path, const QString &endpoint,
             const QString &scope, Handler handler);

    // A descriptive agent: "<platform>:<app id>:<version> (by /u/<username>)". Generic
    // agents (empty, browsers, HTTP libraries, Qt's default) are refused with 429 at
    // once: the "tiny allowance" is zero, which makes the mistake impossible to miss.
    static bool descriptiveUserAgent(const QByteArray &agent);
    QJsonObject windowJson();
    void setUsed(int used);

private:
    std::pair<qint64, int> &window();
    void handle(const ExchangePtr &exchange, const QString &scope, const Handler &handler);

    RedditEnv &m_env;
};

} // namespace sandbox
