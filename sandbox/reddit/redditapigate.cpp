#include "redditapigate.h"

#include <QRegularExpression>

namespace sandbox {

void RedditCall::respond(int status, const QJsonObject &object) const {
    exchange->respond(status, QJsonDocument(object).toJson(QJsonDocument::Compact),
                      "application/json; charset=UTF-8", headers);
}

void RedditCall::respond(int status, const QJsonDocument &document) const {
    exchange->respond(status, document.toJson(QJsonDocument::Compact),
                      "application/json; charset=UTF-8", headers);
}

QString RedditCall::text(const QString &value) const {
    if (rawJson)
        return value;
    QString out = value;
    out.replace(QLatin1Char('&'), QLatin1String("&amp;"));
    out.replace(QLatin1Char('<'), QLatin1String("&lt;"));
    out.replace(QLatin1Char('>'), QLatin1String("&gt;"));
    return out;
}

bool RedditApiGate::descriptiveUserAgent(const QByteArray &agent) {
    const QString ua = QString::fromUtf8(agent).trimmed();
    static const QRegularExpression generic(
        QStringLiteral("^(mozilla|python-requests|python-urllib|qt|curl|wget|okhttp|go-http-"
                       "client|java|libcurl|axios|node-fetch|postman|httpie)"),
        QRegularExpression::CaseInsensitiveOption);
    if (ua.isEmpty() || generic.match(ua).hasMatch())
        return false;
    // <platform>:<app id>:<version> (by /u/<username>)
    static const QRegularExpression descriptive(
        QStringLiteral("^[^:\\s]+:[^:\\s]+:[^\\s]+ \\(by /u/[A-Za-z0-9_-]+\\)$"));
    return descriptive.match(ua).hasMatch();
}

std::pair<qint64, int> &RedditApiGate::window() {
    // Windows are aligned on the clock's 10-minute boundaries, as Reddit's reset shows.
    const qint64 now = m_env.now();
    const qint64 start = now - now % kWindowSecs;
    auto &w = m_env.state.windows[RedditEnv::clientId()];
    if (w.first != start) {
        w = {start, 0};
        m_env.changed();
    }
    return w;
}

QJsonObject RedditApiGate::windowJson() {
    const auto &w = window();
    return {{QStringLiteral("client_id"), RedditEnv::clientId()},
            {QStringLiteral("window_start"), double(w.first)},
            {QStringLiteral("used"), w.second},
            {QStringLiteral("remaining"), qMax(0, kWindowLimit - w.second)},
            {QStringLiteral("reset"), double(w.first + kWindowSecs - m_env.now())},
            {QStringLiteral("limit"), kWindowLimit}};
}

void RedditApiGate::setUsed(int used) {
    window().second = qBound(0, used, kWindowLimit);
    m_env.changed();
}

void RedditApiGate::add(Router &router, const QByteArray &method, const QString &path,
                        const QString &endpoint, const QString &scope, Handler handler) {
    router.add(method, path, QStringLiteral("reddit"), endpoint,
               [this, scope, handler = std::move(handler)](const ExchangePtr &e) {
                   handle(e, scope, handler);
               });
}

void RedditApiGate::handle(const ExchangePtr &exchange, const QString &scope,
                           const Handler &handler) {
    if (!descriptiveUserAgent(exchange->header("User-Agent"))) {
        exchange->respondJson(429, redditError(429, QStringLiteral("Too Many Requests")));
        return;
    }
    const QString value = QString::fromUtf8(exchange->bearerToken());
    const auto it = m_env.state.tokens.constFind(value);
    if (value.isEmpty() || it == m_env.state.tokens.cend() || it->refresh || it->revoked ||
        it->expiresAt <= m_env.now()) {
        exchange->respondJson(
            401, redditError(401, QStringLiteral("Unauthorized")),
            {{"WWW-Authenticate", "Bearer realm=\"reddit\", error=\"invalid_token\""}});
        return;
    }
    auto &w = window();
    const qint64 reset = w.first + kWindowSecs - m_env.now();
    RedditCall call;
    call.exchange = exchange;
    call.token = *it;
    call.user = m_env.state.user(it->userId);
    if (it->userId.isEmpty())
        call.user = nullptr;
    const QString raw = exchange->queryValue(QStringLiteral("raw_json"));
    call.rawJson = raw == QLatin1String("1");
    if (w.second >= kWindowLimit) {
        call.headers = {{"X-Ratelimit-Used", QByteArray::number(kWindowLimit)},
                        {"X-Ratelimit-Remaining", "0.0"},
                        {"X-Ratelimit-Reset", QByteArray::number(reset)}};
        call.respond(429, redditError(429, QStringLiteral("Too Many Requests")));
        return;
    }
    ++w.second;
    m_env.changed();
    call.headers = {{"X-Ratelimit-Used", QByteArray::number(w.second)},
                    {"X-Ratelimit-Remaining", QByteArray::number(kWindowLimit - w.second) + ".0"},
                    {"X-Ratelimit-Reset", QByteArray::number(reset)}};
    if (!scope.isEmpty() && !it->scopes.contains(scope) &&
        !it->scopes.contains(QStringLiteral("*"))) {
        call.headers.append(std::pair<QByteArray, QByteArray>(
            "WWW-Authenticate", "Bearer realm=\"reddit\", error=\"insufficient_scope\""));
        call.respond(403, redditError(403, QStringLiteral("Forbidden")));
        return;
    }
    handler(call);
}

} // namespace sandbox
