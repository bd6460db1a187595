#include "instagramoauth.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace sandbox {

namespace {
constexpr qint64 kCodeLifetimeMs = 10 * 60 * 1000; // Meta's codes live about ten minutes
constexpr qint64 kShortLivedSecs = 2 * 3600;       // "a short-lived user token (hours)"
constexpr qint64 kLongLivedSecs = 5184000;         // 60 days

QString escapeHtml(const QString &text) {
    return text.toHtmlEscaped();
}
} // namespace

InstagramOAuth::InstagramOAuth(InstagramGraph &graph, std::function<void()> changed)
    : m_graph(graph)
    , m_changed(std::move(changed)) {}

const QStringList &InstagramOAuth::knownScopes() {
    static const QStringList scopes{u"instagram_basic"_s,           u"pages_show_list"_s,
                                    u"pages_read_engagement"_s,     u"instagram_content_publish"_s,
                                    u"instagram_manage_insights"_s, u"instagram_manage_comments"_s,
                                    u"pages_manage_metadata"_s,     u"business_management"_s};
    return scopes;
}

void InstagramOAuth::registerRoutes(Router &router) {
    const QString p = u"instagram"_s;
    router.add("GET", u"/instagram/v25.0/dialog/oauth"_s, p, u"oauth.dialog"_s,
               [this](const ExchangePtr &e) { dialog(e); });
    router.add("POST", u"/instagram/v25.0/dialog/oauth/decision"_s, p, u"oauth.decision"_s,
               [this](const ExchangePtr &e) { decision(e); });
    for (const QByteArray &method : {QByteArrayLiteral("GET"), QByteArrayLiteral("POST")})
        router.add(
            method, u"/instagram/v25.0/oauth/access_token"_s, p, u"oauth.access_token"_s,
            m_graph.wrap(u"oauth.access_token"_s, [this](GraphCall &call) { accessToken(call); }));
}

// Loopback redirects (http://localhost or 127.0.0.1, any port and path) are accepted
// while the app is in development mode, as Meta does; a live app only takes the
// registered HTTPS URIs, matched exactly.
bool InstagramOAuth::redirectAllowed(const QString &uri) const {
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty())
        return false;
    const QString host = url.host().toLower();
    const bool loopback = url.scheme() == "http"_L1 &&
                          (host == "localhost"_L1 || host == "127.0.0.1"_L1 || host == "::1"_L1);
    if (loopback)
        return m_graph.state.appMode == "development"_L1;
    return url.scheme() == "https"_L1 && m_graph.state.redirectUris.contains(uri);
}

QString InstagramOAuth::validate(const Request &r) const {
    if (r.clientId != m_graph.state.clientId)
        return u"Invalid App ID: The provided app ID does not look like a valid app ID."_s;
    if (r.redirectUri.isEmpty() || !redirectAllowed(r.redirectUri))
        return u"URL Blocked: This redirect failed because the redirect URI is not whitelisted "
               u"in the app's Client OAuth Settings."_s;
    if (r.responseType != "code"_L1)
        return u"Invalid response_type: this app only uses response_type=code."_s;
    QStringList unknown;
    for (const QString &scope : r.scopes)
        if (!knownScopes().contains(scope))
            unknown.append(scope);
    if (!unknown.isEmpty())
        return u"Invalid Scopes: "_s + unknown.join(u", "_s) +
               u". This message is only shown to developers."_s;
    return {};
}

void InstagramOAuth::errorPage(const ExchangePtr &e, const QString &message) {
    e->respond(400,
               (u"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, "
                u"something went wrong.</h1><p id=\"error\">"_s +
                escapeHtml(message) + u"</p></body></html>"_s)
                   .toUtf8(),
               "text/html; charset=utf-8");
}

void InstagramOAuth::dialog(const ExchangePtr &e) {
    Request r;
    r.clientId = e->queryValue(u"client_id"_s);
    r.redirectUri = e->queryValue(u"redirect_uri"_s);
    r.state = e->queryValue(u"state"_s);
    r.responseType =
        e->query().hasQueryItem(u"response_type"_s) ? e->queryValue(u"response_type"_s) : u"code"_s;
    for (const QString &scope :
         e->queryValue(u"scope"_s).split(QLatin1Char(','), Qt::SkipEmptyParts))
        r.scopes.append(scope.trimmed());
    const QString problem = validate(r);
    if (!problem.isEmpty()) {
        errorPage(e, problem);
        return;
    }
    const QString decisionValue = e->queryValue(u"sandbox_decision"_s);
    if (!decisionValue.isEmpty()) {
        QStringList granted = r.scopes;
        if (e->query().hasQueryItem(u"sandbox_scopes"_s)) {
            granted.clear();
            for (const QString &scope :
                 e->queryValue(u"sandbox_scopes"_s).split(QLatin1Char(','), Qt::SkipEmptyParts))
                if (r.scopes.contains(scope.trimmed()))
                    granted.append(scope.trimmed());
        }
        decide(e, r, decisionValue, e->queryValue(u"sandbox_user"_s), granted);
        return;
    }
    // The page a person uses: pick a test user, untick permissions to decline them.
    QString html = u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Log in with "
                   u"Facebook (sandbox)</title></head><body><h1>Huntaze sandbox wants to "
                   u"access your Instagram account</h1><form method=\"post\" "
                   u"action=\"/instagram/v25.0/dialog/oauth/decision\">"_s;
    auto hidden = [&html](const QString &name, const QString &value) {
        html += u"<input type=\"hidden\" name=\""_s + name + u"\" value=\""_s + escapeHtml(value) +
                u"\">"_s;
    };
    hidden(u"client_id"_s, r.clientId);
    hidden(u"redirect_uri"_s, r.redirectUri);
    hidden(u"state"_s, r.state);
    hidden(u"response_type"_s, r.responseType);
    hidden(u"scope"_s, r.scopes.join(QLatin1Char(',')));
    html += u"<p><label>Continue as <select name=\"user\">"_s;
    for (const IgFacebookUser &user : std::as_const(m_graph.state.users))
        html += u"<option value=\""_s + user.id + u"\">"_s + escapeHtml(user.name) + u" ("_s +
                user.id + u")</option>"_s;
    html += u"</select></label></p><fieldset><legend>Permissions</legend>"_s;
    for (const QString &scope : std::as_const(r.scopes))
        html += u"<label><input type=\"checkbox\" name=\"grant\" value=\""_s + scope +
                u"\" checked> "_s + scope + u"</label><br>"_s;
    html += u"</fieldset><button type=\"submit\" name=\"decision\" value=\"approve\">Continue</"
            u"button> <button type=\"submit\" name=\"decision\" value=\"deny\">Cancel</button>"
            u"</form></body></html>"_s;
    e->respond(200, html.toUtf8(), "text/html; charset=utf-8");
}

void InstagramOAuth::decision(const ExchangePtr &e) {
    const QUrlQuery form = e->formBody();
    auto value = [&form](const QString &name) {
        return form.queryItemValue(name, QUrl::FullyDecoded);
    };
    Request r;
    r.clientId = value(u"client_id"_s);
    r.redirectUri = value(u"redirect_uri"_s);
    r.state = value(u"state"_s);
    r.responseType = value(u"response_type"_s);
    r.scopes = value(u"scope"_s).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QString problem = validate(r);
    if (!problem.isEmpty()) {
        errorPage(e, problem);
        return;
    }
    QStringList granted;
    for (const QString &scope : form.allQueryItemValues(u"grant"_s, QUrl::FullyDecoded))
        if (r.scopes.contains(scope))
            granted.append(scope);
    decide(e, r, value(u"decision"_s), value(u"user"_s), granted);
}

void InstagramOAuth::decide(const ExchangePtr &e, const Request &r, const QString &decisionValue,
                            const QString &userId, const QStringList &granted) {
    QUrl target(r.redirectUri);
    QUrlQuery query(target);
    if (decisionValue == "deny"_L1) {
        query.addQueryItem(u"error"_s, u"access_denied"_s);
        query.addQueryItem(u"error_code"_s, u"200"_s);
        query.addQueryItem(u"error_description"_s, u"Permissions error"_s);
        query.addQueryItem(u"error_reason"_s, u"user_denied"_s);
    } else if (decisionValue == "approve"_L1) {
        if (!m_graph.state.users.contains(userId)) {
            errorPage(e, u"Unknown sandbox test user: "_s + userId);
            return;
        }
        IgFacebookUser &user = m_graph.state.users[userId];
        user.authorized = true;
        user.grantedScopes = granted;
        IgCode code;
        code.code = u"AQ"_s + m_graph.newToken().mid(6);
        code.userId = userId;
        code.redirectUri = r.redirectUri;
        code.scopes = granted;
        code.expiresMs = m_graph.context.clock.nowMs() + kCodeLifetimeMs;
        m_graph.state.codes.insert(code.code, code);
        m_changed();
        query.addQueryItem(u"code"_s, code.code);
    } else {
        errorPage(e, u"sandbox_decision must be approve or deny"_s);
        return;
    }
    if (!r.state.isEmpty())
        query.addQueryItem(u"state"_s, r.state);
    target.setQuery(query);
    target.setFragment(u"_=_"_s); // Facebook appends #_=_ to its redirects
    e->redirect(target);
}

void InstagramOAuth::accessToken(GraphCall &call) {
    InstagramState &state = m_graph.state;
    if (call.param(u"client_id"_s) != state.clientId) {
        GraphError error;
        error.code = 101;
        error.message = u"Error validating application. Invalid application ID."_s;
        call.fail(error);
        return;
    }
    if (call.param(u"client_secret"_s) != state.clientSecret) {
        GraphError error;
        error.code = 1;
        error.message = u"Error validating client secret."_s;
        call.fail(error);
        return;
    }
    const qint64 now = m_graph.context.clock.nowMs();
    IgToken issued;
    if (call.param(u"grant_type"_s) == "fb_exchange_token"_L1) {
        const QString old = call.param(u"fb_exchange_token"_s);
        if (old.isEmpty()) {
            call.fail(GraphError::param(u"Missing fb_exchange_token parameter"_s));
            return;
        }
        // The token to exchange is checked like any token (expired: 190/463).
        const auto it = state.tokens.constFind(old);
        if (it == state.tokens.cend() || it->kind == "page"_L1) {
            call.fail(
                GraphError::token(0, u"Invalid OAuth access token - Cannot parse access token"_s));
            return;
        }
        if (it->invalidSubcode || (it->expiresMs && it->expiresMs <= now)) {
            GraphError error = GraphError::token(
                it->invalidSubcode ? it->invalidSubcode : 463,
                it->invalidSubcode ? u"Error validating access token: The session is invalid."_s
                                   : u"Error validating access token: Session has expired. The "
                                     u"user must log in again."_s);
            call.fail(error);
            return;
        }
        issued.kind = u"user_long"_s;
        issued.userId = it->userId;
        issued.scopes = it->scopes;
        issued.expiresMs = now + kLongLivedSecs * 1000;
    } else {
        const QString codeValue = call.param(u"code"_s);
        if (codeValue.isEmpty()) {
            call.fail(GraphError::param(u"Missing authorization code"_s));
            return;
        }
        const auto it = state.codes.find(codeValue);
        if (it == state.codes.end()) {
            call.fail(GraphError::param(u"Invalid verification code format."_s));
            return;
        }
        if (it->used) {
            call.fail(GraphError::param(u"This authorization code has been used."_s, 36009));
            return;
        }
        if (it->expiresMs <= now) {
            call.fail(GraphError::param(u"This authorization code has expired."_s, 36007));
            return;
        }
        if (call.param(u"redirect_uri"_s) != it->redirectUri) {
            call.fail(GraphError::param(
                u"Error validating verification code. Please make sure your redirect_uri is "
                u"identical to the one you used in the OAuth dialog request"_s,
                36008));
            return;
        }
        it->used = true;
        issued.kind = u"user_short"_s;
        issued.userId = it->userId;
        issued.scopes = it->scopes;
        issued.expiresMs = now + kShortLivedSecs * 1000;
    }
    issued.token = m_graph.newToken();
    state.tokens.insert(issued.token, issued);
    m_changed();
    call.ok({{u"access_token"_s, issued.token},
             {u"token_type"_s, u"bearer"_s},
             {u"expires_in"_s, double((issued.expiresMs - now) / 1000)}});
}

} // namespace sandbox
