#include "redditoauth.h"

#include <QJsonArray>

namespace sandbox {

namespace {

constexpr qint64 kCodeLifetimeSecs = 600; // "The code lives 10 minutes"

QString htmlEscape(const QString &text) {
    return text.toHtmlEscaped();
}

void respondForm(const ExchangePtr &exchange, int status, const QJsonObject &body) {
    exchange->respondJson(status, body);
}

QJsonObject oauthError(const QString &code) {
    return {{QStringLiteral("error"), code}};
}

} // namespace

QJsonObject redditError(int status, const QString &message) {
    return {{QStringLiteral("message"), message}, {QStringLiteral("error"), status}};
}

const QStringList &RedditOAuth::knownScopes() {
    // Reddit's scope names (GET /api/v1/scopes).
    static const QStringList scopes = {
        QStringLiteral("identity"),
        QStringLiteral("edit"),
        QStringLiteral("flair"),
        QStringLiteral("history"),
        QStringLiteral("modconfig"),
        QStringLiteral("modflair"),
        QStringLiteral("modlog"),
        QStringLiteral("modposts"),
        QStringLiteral("modwiki"),
        QStringLiteral("mysubreddits"),
        QStringLiteral("privatemessages"),
        QStringLiteral("read"),
        QStringLiteral("report"),
        QStringLiteral("save"),
        QStringLiteral("submit"),
        QStringLiteral("subscribe"),
        QStringLiteral("vote"),
        QStringLiteral("wikiedit"),
        QStringLiteral("wikiread"),
        QStringLiteral("account"),
    };
    return scopes;
}

void RedditOAuth::registerRoutes(Router &router) {
    const QString reddit = QStringLiteral("reddit");
    for (const QString &path : {QStringLiteral("/reddit/api/v1/authorize"),
                                QStringLiteral("/reddit/api/v1/authorize.compact")}) {
        router.add("GET", path, reddit, QStringLiteral("oauth.authorize"),
                   [this](const ExchangePtr &e) { authorize(e, e->query(), false); });
    }
    router.add("POST", QStringLiteral("/reddit/api/v1/authorize/decision"), reddit,
               QStringLiteral("oauth.decision"),
               [this](const ExchangePtr &e) { authorize(e, e->formBody(), true); });
    router.add("POST", QStringLiteral("/reddit/api/v1/access_token"), reddit,
               QStringLiteral("oauth.token"), [this](const ExchangePtr &e) { token(e); });
    router.add("POST", QStringLiteral("/reddit/api/v1/revoke_token"), reddit,
               QStringLiteral("oauth.revoke"), [this](const ExchangePtr &e) { revoke(e); });
}

RedditOAuth::Request RedditOAuth::requestFrom(const QUrlQuery &query) {
    Request r;
    r.clientId = query.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    r.responseType = query.queryItemValue(QStringLiteral("response_type"), QUrl::FullyDecoded);
    r.hasState = query.hasQueryItem(QStringLiteral("state"));
    r.state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    r.redirectUri = query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
    r.duration = query.queryItemValue(QStringLiteral("duration"), QUrl::FullyDecoded);
    r.scope = query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded);
    // Form bodies encode spaces as '+'.
    r.scope.replace(QLatin1Char('+'), QLatin1Char(' '));
    return r;
}

QString RedditOAuth::pageError(const Request &request) const {
    // Like Reddit: an unknown client or a redirect URI that is not exactly the registered
    // one is shown on reddit.com, never sent to the (untrusted) redirect URI.
    if (request.clientId != RedditEnv::clientId())
        return QStringLiteral("invalid client id.");
    if (request.redirectUri != RedditEnv::redirectUri())
        return QStringLiteral("invalid redirect_uri parameter.");
    return {};
}

QString RedditOAuth::redirectError(const Request &request) const {
    if (request.responseType != QLatin1String("code"))
        return QStringLiteral("unsupported_response_type");
    if (!request.hasState || request.state.isEmpty())
        return QStringLiteral("invalid_request");
    if (!request.duration.isEmpty() && request.duration != QLatin1String("temporary") &&
        request.duration != QLatin1String("permanent"))
        return QStringLiteral("invalid_request");
    const QStringList scopes = request.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (scopes.isEmpty())
        return QStringLiteral("invalid_scope");
    for (const QString &scope : scopes)
        if (!knownScopes().contains(scope))
            return QStringLiteral("invalid_scope");
    return {};
}

void RedditOAuth::redirectWith(const ExchangePtr &exchange, const Request &request,
                               const QList<std::pair<QString, QString>> &items) {
    QUrl target(request.redirectUri);
    QUrlQuery query(target);
    for (const auto &[key, value] : items)
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    target.setQuery(query);
    // Reddit appends "#_" to the callback; a URL parser keeps it out of the query.
    target.setFragment(QStringLiteral("_"));
    exchange->redirect(target);
}

void RedditOAuth::authorize(const ExchangePtr &exchange, const QUrlQuery &params, bool fromForm) {
    const Request request = requestFrom(params);
    const QString page = pageError(request);
    if (!page.isEmpty()) {
        exchange->respond(400,
                          QStringLiteral("<!doctype html><html><head><title>reddit.com: bad "
                                         "request</title></head><body><h1>bad request</h1><p>%1</p>"
                                         "</body></html>")
                              .arg(htmlEscape(page))
                              .toUtf8(),
                          "text/html; charset=UTF-8");
        return;
    }
    const QString error = redirectError(request);
    if (!error.isEmpty()) {
        redirectWith(exchange, request,
                     {{QStringLiteral("state"), request.state}, {QStringLiteral("error"), error}});
        return;
    }
    const QString decision =
        fromForm ? params.queryItemValue(QStringLiteral("decision"), QUrl::FullyDecoded)
                 : params.queryItemValue(QStringLiteral("sandbox_decision"), QUrl::FullyDecoded);
    if (decision.isEmpty() && !fromForm) {
        servePage(exchange, request);
        return;
    }
    if (decision != QLatin1String("approve")) {
        redirectWith(exchange, request,
                     {{QStringLiteral("state"), request.state},
                      {QStringLiteral("error"), QStringLiteral("access_denied")}});
        return;
    }
    const QString userKey = params.queryItemValue(
        fromForm ? QStringLiteral("user") : QStringLiteral("sandbox_user"), QUrl::FullyDecoded);
    const RedditUser *user =
        m_env.state.user(userKey.isEmpty() ? QStringLiteral("sbx1a") : userKey);
    if (!user) {
        exchange->respond(400, QByteArrayLiteral("<!doctype html><p>no such test user</p>"),
                          "text/html; charset=UTF-8");
        return;
    }
    const QStringList requested = request.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList granted = requested;
    // The sandbox lets the person (or test) grant a subset of the requested scopes.
    if (fromForm) {
        granted.clear();
        for (const auto &[key, value] : params.queryItems(QUrl::FullyDecoded))
            if (key == QLatin1String("grant") && requested.contains(value))
                granted.append(value);
    } else if (params.hasQueryItem(QStringLiteral("sandbox_scopes"))) {
        granted.clear();
        for (const QString &s :
             params.queryItemValue(QStringLiteral("sandbox_scopes"), QUrl::FullyDecoded)
                 .split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (requested.contains(s.trimmed()))
                granted.append(s.trimmed());
    }
    if (granted.isEmpty()) {
        redirectWith(exchange, request,
                     {{QStringLiteral("state"), request.state},
                      {QStringLiteral("error"), QStringLiteral("access_denied")}});
        return;
    }
    RedditCode code;
    code.code = randomToken(18);
    code.userId = user->id;
    code.scopes = granted;
    code.redirectUri = request.redirectUri;
    code.permanent = request.duration == QLatin1String("permanent");
    code.expiresAt = m_env.now() + kCodeLifetimeSecs;
    m_env.state.codes.insert(code.code, code);
    m_env.changed();
    redirectWith(exchange, request,
                 {{QStringLiteral("state"), request.state}, {QStringLiteral("code"), code.code}});
}

void RedditOAuth::servePage(const ExchangePtr &exchange, const Request &request) {
    QString users;
    for (const auto &u : m_env.state.users)
        users += QStringLiteral("<option value=\"%1\">/u/%2 (t2_%1)</option>")
                     .arg(htmlEscape(u.id), htmlEscape(u.name));
    QString scopes;
    for (const QString &s : request.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        scopes += QStringLiteral("<label><input type=\"checkbox\" name=\"grant\" value=\"%1\" "
                                 "checked> %1</label><br>")
                      .arg(htmlEscape(s));
    auto hidden = [](const char *name, const QString &value) {
        return QStringLiteral("<input type=\"hidden\" name=\"%1\" value=\"%2\">")
            .arg(QLatin1String(name), value.toHtmlEscaped());
    };
    const QString html =
        QStringLiteral("<!doctype html><html><head><meta charset=\"utf-8\"><title>reddit: "
                       "authorize application</title></head><body>"
                       "<h1>sandbox-app (sbx-reddit-client) requests to connect with your "
                       "reddit account</h1>"
                       "<form method=\"post\" action=\"/reddit/api/v1/authorize/decision\">") +
        hidden("client_id", request.clientId) + hidden("response_type", request.responseType) +
        hidden("state", request.state) + hidden("redirect_uri", request.redirectUri) +
        hidden("duration", request.duration) + hidden("scope", request.scope) +
        QStringLiteral("<p>Test user: <select name=\"user\">") + users +
        QStringLiteral("</select></p><p>Allow it to:</p>") + scopes +
        QStringLiteral("<p>Access lasts: %1</p>"
                       "<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button> "
                       "<button type=\"submit\" name=\"decision\" value=\"deny\">Decline</button>"
                       "</form></body></html>")
            .arg(request.duration == QLatin1String("permanent") ? QStringLiteral("until revoked")
                                                                : QStringLiteral("one hour"));
    exchange->respond(200, html.toUtf8(), "text/html; charset=UTF-8");
}

bool RedditOAuth::basicAuthOk(const ExchangePtr &exchange) const {
    const QByteArray header = exchange->header("Authorization");
    if (!header.left(6).toLower().startsWith("basic "))
        return false;
    const QByteArray decoded = QByteArray::fromBase64(header.mid(6).trimmed());
    // Installed app: the client id as user and an EMPTY password.
    return decoded == RedditEnv::clientId().toUtf8() + ':';
}

QJsonObject RedditOAuth::issue(const QString &userId, const QStringList &scopes, bool withRefresh,
                               const QString &fromCode, const QString &existingRefresh) {
    RedditToken access;
    access.token = QString::number(m_env.now()) + QLatin1Char('-') + randomToken(21);
    access.userId = userId;
    access.scopes = scopes;
    access.expiresAt = m_env.now() + m_env.state.settings.expiresIn;
    access.fromCode = fromCode;
    QJsonObject out{{QStringLiteral("access_token"), access.token},
                    {QStringLiteral("token_type"), QStringLiteral("bearer")},
                    {QStringLiteral("expires_in"), m_env.state.settings.expiresIn},
                    {QStringLiteral("scope"), scopes.join(QLatin1Char(' '))}};
    QString refresh = existingRefresh;
    if (withRefresh) {
        RedditToken r;
        r.token = QString::number(m_env.now()) + QLatin1Char('-') + randomToken(21);
        r.refresh = true;
        r.userId = userId;
        r.scopes = scopes;
        r.fromCode = fromCode;
        m_env.state.tokens.insert(r.token, r);
        refresh = r.token;
        out.insert(QStringLiteral("refresh_token"), r.token);
    }
    access.refreshToken = refresh;
    m_env.state.tokens.insert(access.token, access);
    m_env.changed();
    return out;
}

void RedditOAuth::token(const ExchangePtr &exchange) {
    if (!basicAuthOk(exchange)) {
        exchange->respondJson(401, redditError(401, QStringLiteral("Unauthorized")));
        return;
    }
    // Reddit answers its OAuth errors with HTTP 200 and {"error": ...} (r2's api_wrapper),
    // except a request it cannot read at all (not a form body): 400 invalid_request.
    const QByteArray type = exchange->header("Content-Type").toLower();
    if (!type.startsWith("application/x-www-form-urlencoded")) {
        respondForm(exchange, 400, oauthError(QStringLiteral("invalid_request")));
        return;
    }
    const QUrlQuery form = exchange->formBody();
    auto value = [&form](const char *name) {
        return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    const QString grant = value("grant_type");
    if (grant == QLatin1String("authorization_code")) {
        const QString codeValue = value("code");
        const QString redirect = value("redirect_uri");
        if (codeValue.isEmpty() || redirect.isEmpty()) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_request")));
            return;
        }
        auto it = m_env.state.codes.find(codeValue);
        if (it == m_env.state.codes.end() || it->expiresAt <= m_env.now()) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_grant")));
            return;
        }
        if (it->used) {
            // Using a code twice revokes every token issued from it.
            m_env.state.revokeFromCode(it->code);
            m_env.changed();
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_grant")));
            return;
        }
        if (it->redirectUri != redirect) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_grant")));
            return;
        }
        it->used = true;
        const RedditCode code = *it;
        respondForm(exchange, 200, issue(code.userId, code.scopes, code.permanent, code.code, {}));
        return;
    }
    if (grant == QLatin1String("refresh_token")) {
        const QString refreshValue = value("refresh_token");
        if (refreshValue.isEmpty()) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_request")));
            return;
        }
        auto it = m_env.state.tokens.find(refreshValue);
        if (it == m_env.state.tokens.end() || !it->refresh || it->revoked) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_grant")));
            return;
        }
        const RedditToken refresh = *it;
        const bool rotate = m_env.state.settings.rotateRefreshTokens;
        if (rotate)
            it->revoked = true;
        respondForm(exchange, 200,
                    issue(refresh.userId, refresh.scopes, rotate, refresh.fromCode, refresh.token));
        return;
    }
    if (grant == QLatin1String("https://oauth.reddit.com/grants/installed_client")) {
        // Application-only access: no user behind it (submit answers USER_REQUIRED).
        const QString device = value("device_id");
        if (device.size() < 20 || device.size() > 30) {
            respondForm(exchange, 200, oauthError(QStringLiteral("invalid_request")));
            return;
        }
        respondForm(exchange, 200, issue({}, {QStringLiteral("*")}, false, {}, {}));
        return;
    }
    respondForm(exchange, 200, oauthError(QStringLiteral("unsupported_grant_type")));
}

void RedditOAuth::revoke(const ExchangePtr &exchange) {
    if (!basicAuthOk(exchange)) {
        exchange->respondJson(401, redditError(401, QStringLiteral("Unauthorized")));
        return;
    }
    const QUrlQuery form = exchange->formBody();
    const QString value = form.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    const QString hint = form.queryItemValue(QStringLiteral("token_type_hint"), QUrl::FullyDecoded);
    if (value.isEmpty() || (!hint.isEmpty() && hint != QLatin1String("access_token") &&
                            hint != QLatin1String("refresh_token"))) {
        exchange->respondJson(400, oauthError(QStringLiteral("invalid_request")));
        return;
    }
    // RFC 7009: an unknown token is not an error. Revoking a refresh token also ends the
    // access tokens it minted.
    auto it = m_env.state.tokens.find(value);
    if (it != m_env.state.tokens.end()) {
        it->revoked = true;
        if (it->refresh)
            for (auto &t : m_env.state.tokens)
                if (t.refreshToken == value)
                    t.revoked = true;
        m_env.changed();
    }
    // "any 2xx is success (it changed from 204 to 200 once)": an admin knob picks which.
    if (m_env.state.settings.revokeStatus == 200)
        exchange->respond(200, QByteArray(), "application/json");
    else
        exchange->respond(204, QByteArray(), "application/json");
}

} // namespace sandbox
