#include "tiktokoauth.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace sandbox::tiktok {

namespace {
// The contract does not give TikTok's code lifetime: the sandbox picks 10 minutes, and
// a code is single use (a second exchange gets invalid_grant; the tokens issued by the
// first stay valid, as TikTok documents no revocation on reuse).
constexpr qint64 kCodeLifetimeMs = 10 * 60 * 1000;

QString htmlEscape(const QString &text) {
    return text.toHtmlEscaped();
}

// The redirect target with its query built from encoded pairs (state may carry any
// character: it comes back exactly as sent).
QUrl withQuery(const QString &uri, const QList<std::pair<QString, QString>> &items) {
    QString text;
    for (const auto &[name, value] : items) {
        if (!text.isEmpty())
            text += u'&';
        text += name + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    QUrl url(uri);
    url.setQuery(text, QUrl::StrictMode);
    return url;
}

bool isFormEncoded(const ExchangePtr &e) {
    return e->header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded");
}
} // namespace

const QStringList &TikTokOAuth::knownScopes() {
    static const QStringList scopes{u"user.info.basic"_s, u"user.info.profile"_s,
                                    u"user.info.stats"_s, u"video.list"_s,
                                    u"video.upload"_s,    u"video.publish"_s};
    return scopes;
}

bool TikTokOAuth::redirectUriAllowed(const QString &uri) {
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.hasQuery() || url.hasFragment() || uri.contains(u'#') ||
        uri.contains(u'?') || !url.userInfo().isEmpty())
        return false;
    const QString scheme = url.scheme();
    const QString host = url.host();
    if ((scheme != u"http"_s && scheme != u"https"_s) ||
        (host != u"localhost"_s && host != u"127.0.0.1"_s) || url.port() <= 0)
        return false;
    for (const QString &registered : registeredRedirectUris()) {
        // Registered form: scheme://host:PORT/path with PORT a number or "*".
        static const QRegularExpression pattern(u"^(https?)://([^:/]+):([0-9]+|\\*)(/.*)$"_s);
        const auto m = pattern.match(registered);
        if (!m.hasMatch())
            continue;
        if (m.captured(1) == scheme && m.captured(2) == host &&
            (m.captured(3) == u"*"_s || m.captured(3).toInt() == url.port()) &&
            m.captured(4) == url.path())
            return true;
    }
    return false;
}

bool TikTokOAuth::pkceMatches(const QString &verifier, const QString &challenge) {
    static const QRegularExpression valid(u"^[A-Za-z0-9\\-._~]{43,128}$"_s);
    if (!valid.match(verifier).hasMatch())
        return false;
    const QByteArray hex =
        QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QString::fromLatin1(hex) == challenge;
}

void TikTokOAuth::registerRoutes(Router &router) {
    const QString p = u"tiktok"_s;
    router.add("GET", u"/tiktok/v2/auth/authorize/"_s, p, u"auth.authorize"_s,
               [this](const ExchangePtr &e) { authorize(e); });
    router.add("POST", u"/tiktok/v2/auth/authorize/decision/"_s, p, u"auth.decision"_s,
               [this](const ExchangePtr &e) { decision(e); });
    router.add("POST", u"/tiktok/v2/oauth/token/"_s, p, u"oauth.token"_s,
               [this](const ExchangePtr &e) { token(e); });
    router.add("POST", u"/tiktok/v2/oauth/revoke/"_s, p, u"oauth.revoke"_s,
               [this](const ExchangePtr &e) { revoke(e); });
}

void TikTokOAuth::errorPage(const ExchangePtr &e, const QString &error,
                            const QString &description) {
    // TikTok shows its own error page (no redirect) when the client or the redirect URI
    // cannot be trusted.
    const QString html =
        u"<!doctype html><html><head><meta charset=\"utf-8\"><title>TikTok sandbox - "
        "error</title></head><body><h1>Something went wrong</h1><p class=\"error\" "
        "data-error=\"%1\">%1: %2</p></body></html>"_s.arg(htmlEscape(error),
                                                           htmlEscape(description));
    e->respond(400, html.toUtf8(), "text/html; charset=utf-8");
}

void TikTokOAuth::redirectError(const ExchangePtr &e, const Request &request, const QString &error,
                                const QString &description) {
    QList<std::pair<QString, QString>> items{{u"error"_s, error},
                                             {u"error_description"_s, description}};
    if (!request.state.isEmpty())
        items.append({u"state"_s, request.state});
    e->redirect(withQuery(request.redirectUri, items));
}

std::optional<TikTokOAuth::Request> TikTokOAuth::validate(const ExchangePtr &e,
                                                          const QUrlQuery &query) {
    const auto value = [&query](const QString &name) {
        return query.queryItemValue(name, QUrl::FullyDecoded);
    };
    Request request;
    request.clientKey = value(u"client_key"_s);
    request.redirectUri = value(u"redirect_uri"_s);
    request.state = value(u"state"_s);
    request.challenge = value(u"code_challenge"_s);
    if (request.clientKey != clientKey()) {
        errorPage(e, u"invalid_client"_s, u"client_key is missing or unknown."_s);
        return std::nullopt;
    }
    if (!redirectUriAllowed(request.redirectUri)) {
        errorPage(e, u"invalid_request"_s,
                  u"redirect_uri is missing or does not match a registered redirect URI."_s);
        return std::nullopt;
    }
    if (value(u"response_type"_s) != u"code"_s) {
        redirectError(e, request, u"unsupported_response_type"_s, u"response_type must be code."_s);
        return std::nullopt;
    }
    const QStringList scopes = value(u"scope"_s).split(u',', Qt::SkipEmptyParts);
    for (const QString &scope : scopes) {
        const QString s = scope.trimmed();
        if (!knownScopes().contains(s)) {
            redirectError(e, request, u"invalid_scope"_s, u"Unknown scope: %1."_s.arg(s));
            return std::nullopt;
        }
        if (!request.scopes.contains(s))
            request.scopes.append(s);
    }
    if (request.scopes.isEmpty()) {
        redirectError(e, request, u"invalid_scope"_s, u"scope is required."_s);
        return std::nullopt;
    }
    // The challenge's encoding is not checked here: like TikTok, a wrong encoding
    // (base64url) only shows at the token step, where hex(SHA-256(verifier)) differs.
    static const QRegularExpression challengeChars(u"^[A-Za-z0-9\\-._~]{43,128}$"_s);
    if (value(u"code_challenge_method"_s) != u"S256"_s ||
        !challengeChars.match(request.challenge).hasMatch()) {
        redirectError(e, request, u"invalid_request"_s,
                      u"code_challenge and code_challenge_method=S256 are required."_s);
        return std::nullopt;
    }
    return request;
}

void TikTokOAuth::decide(const ExchangePtr &e, const Request &request, const QString &decision,
                         const QString &userId, const QString &grantedScopes, bool scopesGiven) {
    if (decision == u"deny"_s) {
        redirectError(e, request, u"access_denied"_s, u"The user denied the request."_s);
        return;
    }
    if (decision != u"approve"_s) {
        errorPage(e, u"invalid_request"_s, u"decision must be approve or deny."_s);
        return;
    }
    if (!m_core.state.userById(userId)) {
        errorPage(e, u"invalid_request"_s, u"No such test user: %1."_s.arg(userId));
        return;
    }
    QStringList granted;
    const QStringList chosen = grantedScopes.split(u',', Qt::SkipEmptyParts);
    for (const QString &scope : request.scopes)
        // user.info.basic cannot be unticked on TikTok's page.
        if (!scopesGiven || chosen.contains(scope) || scope == u"user.info.basic"_s)
            granted.append(scope);
    AuthCode code{
        TikTokCore::randomString(48),     userId, granted, request.redirectUri, request.challenge,
        m_core.nowMs() + kCodeLifetimeMs, false};
    m_core.state.codes.insert(code.code, code);
    m_core.changed();
    QList<std::pair<QString, QString>> items{{u"code"_s, code.code},
                                             {u"scopes"_s, granted.join(u',')}};
    if (!request.state.isEmpty())
        items.append({u"state"_s, request.state});
    e->redirect(withQuery(request.redirectUri, items));
}

void TikTokOAuth::authorize(const ExchangePtr &e) {
    const auto request = validate(e, e->query());
    if (!request)
        return;
    const QString decision = e->queryValue(u"sandbox_decision"_s);
    if (!decision.isEmpty()) {
        decide(e, *request, decision, e->queryValue(u"sandbox_user"_s),
               e->queryValue(u"sandbox_scopes"_s), e->query().hasQueryItem(u"sandbox_scopes"_s));
        return;
    }
    QString users;
    for (const User &user : m_core.state.users)
        users += u"<option value=\"%1\">%2 (@%3)</option>"_s.arg(
            htmlEscape(user.id), htmlEscape(user.displayName), htmlEscape(user.username));
    QString scopes;
    for (const QString &scope : request->scopes)
        scopes +=
            u"<label><input type=\"checkbox\" name=\"scope_%1\" value=\"1\" checked%2> "
            "%1</label><br>"_s.arg(htmlEscape(scope),
                                   scope == u"user.info.basic"_s ? u" disabled"_s : QString());
    QString hidden;
    for (const auto &[name, value] : e->query().queryItems(QUrl::FullyDecoded))
        hidden += u"<input type=\"hidden\" name=\"%1\" value=\"%2\">"_s.arg(htmlEscape(name),
                                                                            htmlEscape(value));
    const QString html =
        u"<!doctype html><html><head><meta charset=\"utf-8\"><title>TikTok sandbox - "
        "authorize</title></head><body><h1>Authorize %1</h1><form method=\"post\" "
        "action=\"/tiktok/v2/auth/authorize/decision/\">%2<p><label>Test user <select "
        "name=\"sandbox_user\">%3</select></label></p><fieldset><legend>Scopes to "
        "grant</legend>%4</fieldset><p><button name=\"sandbox_decision\" "
        "value=\"approve\">Approve</button> <button name=\"sandbox_decision\" "
        "value=\"deny\">Deny</button></p></form></body></html>"_s.arg(
            htmlEscape(request->clientKey), hidden, users, scopes);
    e->respond(200, html.toUtf8(), "text/html; charset=utf-8");
}

void TikTokOAuth::decision(const ExchangePtr &e) {
    const QUrlQuery form = e->formBody();
    const auto request = validate(e, form);
    if (!request)
        return;
    QStringList chosen;
    for (const QString &scope : request->scopes)
        if (form.hasQueryItem(u"scope_"_s + scope))
            chosen.append(scope);
    decide(e, *request, form.queryItemValue(u"sandbox_decision"_s, QUrl::FullyDecoded),
           form.queryItemValue(u"sandbox_user"_s, QUrl::FullyDecoded), chosen.join(u','), true);
}

bool TikTokOAuth::clientAuthenticated(const ExchangePtr &e, const QUrlQuery &form) {
    if (form.queryItemValue(u"client_key"_s, QUrl::FullyDecoded) != clientKey() ||
        form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded) != clientSecret()) {
        m_core.oauthError(e, 401, u"invalid_client"_s, u"Client key or secret is invalid."_s);
        return false;
    }
    return true;
}

void TikTokOAuth::token(const ExchangePtr &e) {
    if (!isFormEncoded(e)) {
        m_core.oauthError(e, 400, u"invalid_request"_s,
                          u"Content-Type must be application/x-www-form-urlencoded."_s);
        return;
    }
    const QUrlQuery form = e->formBody();
    const auto value = [&form](const QString &name) {
        return form.queryItemValue(name, QUrl::FullyDecoded);
    };
    if (!clientAuthenticated(e, form))
        return;
    const QString grantType = value(u"grant_type"_s);
    if (grantType == u"authorization_code"_s) {
        const QString codeText = value(u"code"_s);
        if (codeText.isEmpty() || value(u"redirect_uri"_s).isEmpty() ||
            value(u"code_verifier"_s).isEmpty()) {
            m_core.oauthError(e, 400, u"invalid_request"_s,
                              u"code, redirect_uri and code_verifier are required."_s);
            return;
        }
        auto it = m_core.state.codes.find(codeText);
        if (it == m_core.state.codes.end() || it->used) {
            m_core.oauthError(e, 400, u"invalid_grant"_s,
                              u"Authorization code is invalid or has been used."_s);
            return;
        }
        if (it->expiresMs <= m_core.nowMs()) {
            m_core.oauthError(e, 400, u"invalid_grant"_s, u"Authorization code is expired."_s);
            return;
        }
        // Presenting the code consumes it, whatever follows.
        it->used = true;
        m_core.changed();
        if (value(u"redirect_uri"_s) != it->redirectUri) {
            m_core.oauthError(e, 400, u"invalid_grant"_s,
                              u"redirect_uri does not match the authorization request."_s);
            return;
        }
        if (!pkceMatches(value(u"code_verifier"_s), it->challenge)) {
            m_core.oauthError(e, 400, u"invalid_request"_s,
                              u"Code verifier or code challenge is invalid."_s);
            return;
        }
        e->respondJson(200, m_core.issueTokens(it->userId, it->scopes));
    } else if (grantType == u"refresh_token"_s) {
        const QString refresh = value(u"refresh_token"_s);
        if (refresh.isEmpty()) {
            m_core.oauthError(e, 400, u"invalid_request"_s, u"refresh_token is required."_s);
            return;
        }
        const auto it = m_core.state.refreshTokens.constFind(refresh);
        if (it == m_core.state.refreshTokens.cend() || it->expiresMs <= m_core.nowMs()) {
            m_core.oauthError(e, 400, u"invalid_grant"_s,
                              u"Refresh token is invalid or expired."_s);
            return;
        }
        const Token old = *it;
        if (m_core.state.settings.rotatingRefresh) {
            // Rotation: the old refresh token stops working once a new one is issued.
            m_core.state.refreshTokens.remove(refresh);
            e->respondJson(200, m_core.issueTokens(old.userId, old.scopes));
        } else {
            e->respondJson(200, m_core.issueTokens(old.userId, old.scopes, refresh));
        }
    } else if (grantType.isEmpty()) {
        m_core.oauthError(e, 400, u"invalid_request"_s, u"grant_type is required."_s);
    } else {
        m_core.oauthError(e, 400, u"unsupported_grant_type"_s,
                          u"Unsupported grant_type: %1."_s.arg(grantType));
    }
}

void TikTokOAuth::revoke(const ExchangePtr &e) {
    if (!isFormEncoded(e)) {
        m_core.oauthError(e, 400, u"invalid_request"_s,
                          u"Content-Type must be application/x-www-form-urlencoded."_s);
        return;
    }
    const QUrlQuery form = e->formBody();
    if (!clientAuthenticated(e, form))
        return;
    const QString token = form.queryItemValue(u"token"_s, QUrl::FullyDecoded);
    if (token.isEmpty()) {
        m_core.oauthError(e, 400, u"invalid_request"_s, u"token is required."_s);
        return;
    }
    // Revoking ends the user's authorization of the app: every access and refresh
    // token of that user dies. An unknown token is not an error (RFC 7009). TikTok
    // documents an empty 200 answer.
    QString userId;
    if (const auto it = m_core.state.accessTokens.constFind(token);
        it != m_core.state.accessTokens.cend())
        userId = it->userId;
    else if (const auto r = m_core.state.refreshTokens.constFind(token);
             r != m_core.state.refreshTokens.cend())
        userId = r->userId;
    if (!userId.isEmpty())
        m_core.invalidateTokens(userId, true);
    e->respond(200, QByteArray(), "application/json");
}

} // namespace sandbox::tiktok
