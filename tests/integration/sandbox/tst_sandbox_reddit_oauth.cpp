#include "redditsandbox.h"

using namespace huntaze::test;
using namespace reddit_test;

// www.reddit.com's login side: authorization page and shortcut, redirect URI exact match,
// callback errors, the token endpoint's Basic auth, code lifetime and reuse, refresh,
// rotation knob, revocation.
class SandboxRedditOAuthTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void authorizeWithoutDecisionServesAnApprovalPage();
    void approvalPageFormRedirectsWithCodeForGrantedScopes();
    void denyingRedirectsWithAccessDeniedAndState_data();
    void denyingRedirectsWithAccessDeniedAndState();
    void redirectUriMustMatchExactly_data();
    void redirectUriMustMatchExactly();
    void unknownClientIsShownAnErrorPageNotRedirected();
    void invalidAuthorizeParametersComeBackInTheCallback_data();
    void invalidAuthorizeParametersComeBackInTheCallback();
    void compactAuthorizeBehavesTheSame();
    void sandboxScopesGrantASubsetOfTheRequestedScopes();
    void pkceParametersAreIgnored();
    void tokenEndpointRequiresBasicAuthWithEmptyPassword_data();
    void tokenEndpointRequiresBasicAuthWithEmptyPassword();
    void permanentDurationGivesRefreshTokenTemporaryDoesNot_data();
    void permanentDurationGivesRefreshTokenTemporaryDoesNot();
    void tokenErrorsUseRedditsShape_data();
    void tokenErrorsUseRedditsShape();
    void codeExpiresAfterTenMinutes();
    void reusingACodeRevokesEveryTokenIssuedFromIt();
    void accessTokenExpiresWithTheClock();
    void expiresInKnobGives86400();
    void refreshGrantKeepsRefreshTokenUnlessRotationIsOn();
    void revokeAnswers204OrKnob200AndEndsTheTokens();
    void tokensSurviveARestart();

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    int meStatus(const QString &token) {
        return m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(token)).status;
    }
};

void SandboxRedditOAuthTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    const QJsonObject reddit = m_sandbox->platform("reddit");
    QCOMPARE(reddit["client_id"].toString(), kClientId);
    QCOMPARE(reddit["redirect_uris"].toArray().at(0).toString(), kRedirect);
    QVERIFY(reddit["test_users"].toArray().size() >= 3);
}

void SandboxRedditOAuthTest::authorizeWithoutDecisionServesAnApprovalPage() {
    const auto page = m_http.get(authorizeUrl(*m_sandbox, authorizeQuery()));
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    QVERIFY(page.body.contains("action=\"/reddit/api/v1/authorize/decision\""));
    QVERIFY(page.body.contains("value=\"sbx1a\""));
    QVERIFY(page.body.contains("name=\"grant\" value=\"submit\""));
    QVERIFY(page.body.contains("value=\"approve\""));
    QVERIFY(page.body.contains("value=\"deny\""));
}

void SandboxRedditOAuthTest::approvalPageFormRedirectsWithCodeForGrantedScopes() {
    QUrlQuery form;
    form.addQueryItem("client_id", kClientId);
    form.addQueryItem("response_type", "code");
    form.addQueryItem("state", "form-state");
    form.addQueryItem("redirect_uri", kRedirect);
    form.addQueryItem("duration", "temporary");
    form.addQueryItem("scope", "identity submit read");
    form.addQueryItem("user", "sbx2b");
    form.addQueryItem("grant", "identity");
    form.addQueryItem("grant", "read");
    form.addQueryItem("decision", "approve");
    const auto result = m_http.postForm(m_sandbox->url("/reddit/api/v1/authorize/decision"), form);
    QCOMPARE(result.status, 302);
    const QUrl location(QString::fromUtf8(result.header("Location")));
    QCOMPARE(location.toString(QUrl::RemoveQuery | QUrl::RemoveFragment), kRedirect);
    const QUrlQuery callback(location);
    QCOMPARE(callback.queryItemValue("state"), QString("form-state"));
    const QJsonObject token = exchangeCode(m_http, *m_sandbox, callback.queryItemValue("code"));
    QCOMPARE(token["scope"].toString(), QString("identity read"));
    const auto me =
        m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(token["access_token"].toString()));
    QCOMPARE(me.json()["name"].toString(), QString("sbx_bob"));
}

void SandboxRedditOAuthTest::denyingRedirectsWithAccessDeniedAndState_data() {
    QTest::addColumn<bool>("viaForm");
    QTest::newRow("sandbox_decision=deny") << false;
    QTest::newRow("page Deny button") << true;
}

void SandboxRedditOAuthTest::denyingRedirectsWithAccessDeniedAndState() {
    QFETCH(bool, viaForm);
    HttpResult result;
    if (viaForm) {
        QUrlQuery form;
        form.addQueryItem("client_id", kClientId);
        form.addQueryItem("response_type", "code");
        form.addQueryItem("state", "st-123");
        form.addQueryItem("redirect_uri", kRedirect);
        form.addQueryItem("scope", "identity");
        form.addQueryItem("decision", "deny");
        result = m_http.postForm(m_sandbox->url("/reddit/api/v1/authorize/decision"), form);
    } else {
        QUrlQuery q = authorizeQuery();
        q.addQueryItem("sandbox_decision", "deny");
        result = m_http.get(authorizeUrl(*m_sandbox, q));
    }
    QCOMPARE(result.status, 302);
    const QUrlQuery callback = callbackQuery(result);
    QCOMPARE(callback.queryItemValue("error"), QString("access_denied"));
    QCOMPARE(callback.queryItemValue("state"), QString("st-123"));
    QVERIFY(!callback.hasQueryItem("code"));
}

void SandboxRedditOAuthTest::redirectUriMustMatchExactly_data() {
    QTest::addColumn<QString>("redirectUri");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("exact") << kRedirect << true;
    QTest::newRow("https scheme") << "https://127.0.0.1:65010/reddit/callback" << false;
    QTest::newRow("localhost host") << "http://localhost:65010/reddit/callback" << false;
    QTest::newRow("other loopback") << "http://127.0.0.2:65010/reddit/callback" << false;
    QTest::newRow("other port") << "http://127.0.0.1:65011/reddit/callback" << false;
    QTest::newRow("no port") << "http://127.0.0.1/reddit/callback" << false;
    QTest::newRow("trailing slash") << "http://127.0.0.1:65010/reddit/callback/" << false;
    QTest::newRow("path case") << "http://127.0.0.1:65010/Reddit/Callback" << false;
    QTest::newRow("shorter path") << "http://127.0.0.1:65010/reddit" << false;
    QTest::newRow("extra query") << "http://127.0.0.1:65010/reddit/callback?x=1" << false;
    QTest::newRow("missing") << QString() << false;
}

void SandboxRedditOAuthTest::redirectUriMustMatchExactly() {
    QFETCH(QString, redirectUri);
    QFETCH(bool, accepted);
    QUrlQuery q = authorizeQuery();
    q.removeQueryItem("redirect_uri");
    if (!redirectUri.isNull())
        q.addQueryItem("redirect_uri", QString::fromLatin1(QUrl::toPercentEncoding(redirectUri)));
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q));
    if (accepted) {
        QCOMPARE(result.status, 302);
        QVERIFY(!callbackQuery(result).queryItemValue("code").isEmpty());
    } else {
        // Never sent to a redirect URI that is not the registered one.
        QCOMPARE(result.status, 400);
        QVERIFY(result.header("Location").isEmpty());
        QVERIFY(result.body.contains("redirect_uri"));
    }
}

void SandboxRedditOAuthTest::unknownClientIsShownAnErrorPageNotRedirected() {
    QUrlQuery q = authorizeQuery();
    q.removeQueryItem("client_id");
    q.addQueryItem("client_id", "someone-else");
    q.addQueryItem("sandbox_decision", "approve");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q));
    QCOMPARE(result.status, 400);
    QVERIFY(result.header("Location").isEmpty());
    QVERIFY(result.body.contains("client id"));
}

void SandboxRedditOAuthTest::invalidAuthorizeParametersComeBackInTheCallback_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value"); // null: remove the parameter
    QTest::addColumn<QString>("error");
    QTest::newRow("response_type=token") << "response_type"
                                         << "token"
                                         << "unsupported_response_type";
    QTest::newRow("no response_type")
        << "response_type" << QString() << "unsupported_response_type";
    QTest::newRow("no state") << "state" << QString() << "invalid_request";
    QTest::newRow("bad duration") << "duration"
                                  << "forever"
                                  << "invalid_request";
    QTest::newRow("unknown scope") << "scope"
                                   << "identity%20teleport"
                                   << "invalid_scope";
    QTest::newRow("comma separated scope") << "scope"
                                           << "identity,submit"
                                           << "invalid_scope";
    QTest::newRow("no scope") << "scope" << QString() << "invalid_scope";
}

void SandboxRedditOAuthTest::invalidAuthorizeParametersComeBackInTheCallback() {
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, error);
    QUrlQuery q = authorizeQuery();
    q.removeQueryItem(name);
    if (!value.isNull())
        q.addQueryItem(name, value);
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q));
    QCOMPARE(result.status, 302);
    const QUrlQuery callback = callbackQuery(result);
    QCOMPARE(callback.queryItemValue("error"), error);
    QVERIFY(!callback.hasQueryItem("code"));
    if (name != "state")
        QCOMPARE(callback.queryItemValue("state"), QString("st-123"));
}

void SandboxRedditOAuthTest::compactAuthorizeBehavesTheSame() {
    QUrlQuery q = authorizeQuery();
    const auto page = m_http.get(authorizeUrl(*m_sandbox, q, "/reddit/api/v1/authorize.compact"));
    QCOMPARE(page.status, 200);
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q, "/reddit/api/v1/authorize.compact"));
    QCOMPARE(result.status, 302);
    QVERIFY(!callbackQuery(result).queryItemValue("code").isEmpty());
}

void SandboxRedditOAuthTest::sandboxScopesGrantASubsetOfTheRequestedScopes() {
    QUrlQuery q = authorizeQuery("identity submit read");
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    q.addQueryItem("sandbox_scopes", "identity,read,modposts"); // modposts was not requested
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q));
    QCOMPARE(result.status, 302);
    const QJsonObject token =
        exchangeCode(m_http, *m_sandbox, callbackQuery(result).queryItemValue("code"));
    QCOMPARE(token["scope"].toString(), QString("identity read"));
    const auto submitted = submit(m_http, *m_sandbox, token["access_token"].toString(),
                                  {{"sr", "sandbox"}, {"kind", "self"}, {"title", "no scope"}});
    QCOMPARE(submitted.status, 403);
}

void SandboxRedditOAuthTest::pkceParametersAreIgnored() {
    QUrlQuery q = authorizeQuery();
    q.addQueryItem("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    q.addQueryItem("code_challenge_method", "S256");
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, q));
    QCOMPARE(result.status, 302);
    const QString code = callbackQuery(result).queryItemValue("code");
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("code", code);
    form.addQueryItem("redirect_uri", kRedirect);
    form.addQueryItem("code_verifier", "definitely-not-the-verifier");
    const auto token = tokenRequest(m_http, *m_sandbox, form);
    QCOMPARE(token.status, 200);
    QVERIFY(!token.json()["access_token"].toString().isEmpty());
}

void SandboxRedditOAuthTest::tokenEndpointRequiresBasicAuthWithEmptyPassword_data() {
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("client id, empty password") << basicAuth() << 200;
    QTest::newRow("missing") << QByteArray() << 401;
    QTest::newRow("with a password") << basicAuth("sbx-reddit-client", "secret") << 401;
    QTest::newRow("other client") << basicAuth("other-client") << 401;
    QTest::newRow("no colon") << "Basic " + QByteArray("sbx-reddit-client").toBase64() << 401;
    QTest::newRow("bearer instead") << QByteArray("Bearer sbx-reddit-client") << 401;
}

void SandboxRedditOAuthTest::tokenEndpointRequiresBasicAuthWithEmptyPassword() {
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("code", approve(m_http, *m_sandbox));
    form.addQueryItem("redirect_uri", kRedirect);
    const auto result = tokenRequest(m_http, *m_sandbox, form, authorization);
    QCOMPARE(result.status, status);
    if (status == 401)
        QCOMPARE(result.json()["error"].toInt(), 401);
    else
        QVERIFY(!result.json()["access_token"].toString().isEmpty());
}

void SandboxRedditOAuthTest::permanentDurationGivesRefreshTokenTemporaryDoesNot_data() {
    QTest::addColumn<QString>("duration");
    QTest::addColumn<bool>("refresh");
    QTest::newRow("permanent") << "permanent" << true;
    QTest::newRow("temporary") << "temporary" << false;
    QTest::newRow("default (absent)") << QString() << false;
}

void SandboxRedditOAuthTest::permanentDurationGivesRefreshTokenTemporaryDoesNot() {
    QFETCH(QString, duration);
    QFETCH(bool, refresh);
    QUrlQuery q = authorizeQuery("identity submit", duration.isNull() ? "x" : duration);
    if (duration.isNull())
        q.removeQueryItem("duration");
    q.addQueryItem("sandbox_decision", "approve");
    q.addQueryItem("sandbox_user", "sbx1a");
    const QString code =
        callbackQuery(m_http.get(authorizeUrl(*m_sandbox, q))).queryItemValue("code");
    QVERIFY(!code.isEmpty());
    const QJsonObject token = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(token["token_type"].toString(), QString("bearer"));
    QCOMPARE(token["expires_in"].toInt(), 3600);
    QCOMPARE(token["scope"].toString(), QString("identity submit"));
    QCOMPARE(token.contains("refresh_token"), refresh);
}

void SandboxRedditOAuthTest::tokenErrorsUseRedditsShape_data() {
    QTest::addColumn<QString>("grantType");
    QTest::addColumn<QString>("code"); // "<valid>" for a fresh one
    QTest::addColumn<QString>("redirectUri");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown grant") << "password"
                                   << "<valid>" << kRedirect << "unsupported_grant_type";
    QTest::newRow("no grant") << QString() << "<valid>" << kRedirect << "unsupported_grant_type";
    QTest::newRow("no code") << "authorization_code" << QString() << kRedirect << "invalid_request";
    QTest::newRow("no redirect_uri") << "authorization_code"
                                     << "<valid>" << QString() << "invalid_request";
    QTest::newRow("unknown code") << "authorization_code"
                                  << "nope" << kRedirect << "invalid_grant";
    QTest::newRow("other redirect_uri") << "authorization_code"
                                        << "<valid>"
                                        << "http://127.0.0.1:65010/other"
                                        << "invalid_grant";
}

void SandboxRedditOAuthTest::tokenErrorsUseRedditsShape() {
    QFETCH(QString, grantType);
    QFETCH(QString, code);
    QFETCH(QString, redirectUri);
    QFETCH(QString, error);
    QUrlQuery form;
    if (!grantType.isNull())
        form.addQueryItem("grant_type", grantType);
    if (!code.isNull())
        form.addQueryItem("code", code == "<valid>" ? approve(m_http, *m_sandbox) : code);
    if (!redirectUri.isNull())
        form.addQueryItem("redirect_uri", redirectUri);
    const auto result = tokenRequest(m_http, *m_sandbox, form);
    // Reddit answers OAuth errors with HTTP 200 and an "error" member.
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["error"].toString(), error);
    QVERIFY(!result.json().contains("access_token"));
}

void SandboxRedditOAuthTest::codeExpiresAfterTenMinutes() {
    const QString fresh = approve(m_http, *m_sandbox);
    const QString stale = approve(m_http, *m_sandbox);
    QVERIFY(advance(m_http, *m_sandbox, 590));
    QVERIFY(!exchangeCode(m_http, *m_sandbox, fresh)["access_token"].toString().isEmpty());
    QVERIFY(advance(m_http, *m_sandbox, 15));
    QCOMPARE(exchangeCode(m_http, *m_sandbox, stale)["error"].toString(), QString("invalid_grant"));
}

void SandboxRedditOAuthTest::reusingACodeRevokesEveryTokenIssuedFromIt() {
    const QString code = approve(m_http, *m_sandbox);
    const QJsonObject first = exchangeCode(m_http, *m_sandbox, code);
    const QString access = first["access_token"].toString();
    QCOMPARE(meStatus(access), 200);
    const QJsonObject second = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(second["error"].toString(), QString("invalid_grant"));
    QCOMPARE(meStatus(access), 401);
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", first["refresh_token"].toString());
    QCOMPARE(tokenRequest(m_http, *m_sandbox, form).json()["error"].toString(),
             QString("invalid_grant"));
}

void SandboxRedditOAuthTest::accessTokenExpiresWithTheClock() {
    const QString token = login(m_http, *m_sandbox);
    QCOMPARE(meStatus(token), 200);
    QVERIFY(advance(m_http, *m_sandbox, 3590));
    QCOMPARE(meStatus(token), 200);
    QVERIFY(advance(m_http, *m_sandbox, 11));
    const auto expired = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(token));
    QCOMPARE(expired.status, 401);
    QVERIFY(expired.header("WWW-Authenticate").contains("invalid_token"));
}

void SandboxRedditOAuthTest::expiresInKnobGives86400() {
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/settings"), {{"expires_in", 86400}}).status,
        200);
    const QJsonObject token = exchangeCode(m_http, *m_sandbox, approve(m_http, *m_sandbox));
    QCOMPARE(token["expires_in"].toInt(), 86400);
    QVERIFY(advance(m_http, *m_sandbox, 7200));
    QCOMPARE(meStatus(token["access_token"].toString()), 200);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/settings"), {{"expires_in", 3600}}).status,
        200);
}

void SandboxRedditOAuthTest::refreshGrantKeepsRefreshTokenUnlessRotationIsOn() {
    const QJsonObject initial = exchangeCode(m_http, *m_sandbox, approve(m_http, *m_sandbox));
    const QString refresh = initial["refresh_token"].toString();
    QVERIFY(!refresh.isEmpty());
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", refresh);
    const QJsonObject plain = tokenRequest(m_http, *m_sandbox, form).json();
    QVERIFY(!plain["access_token"].toString().isEmpty());
    QVERIFY(!plain.contains("refresh_token"));
    QCOMPARE(plain["scope"].toString(), QString("identity submit read history"));
    QCOMPARE(meStatus(plain["access_token"].toString()), 200);

    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/reddit/settings"), {{"rotate_refresh_tokens", true}})
            .status,
        200);
    const QJsonObject rotated = tokenRequest(m_http, *m_sandbox, form).json();
    const QString next = rotated["refresh_token"].toString();
    QVERIFY(!next.isEmpty());
    QVERIFY(next != refresh);
    // The old refresh token is spent; the new one works.
    QCOMPARE(tokenRequest(m_http, *m_sandbox, form).json()["error"].toString(),
             QString("invalid_grant"));
    QUrlQuery nextForm;
    nextForm.addQueryItem("grant_type", "refresh_token");
    nextForm.addQueryItem("refresh_token", next);
    QVERIFY(
        !tokenRequest(m_http, *m_sandbox, nextForm).json()["access_token"].toString().isEmpty());
    m_http.postJson(m_sandbox->url("/_admin/reddit/settings"), {{"rotate_refresh_tokens", false}});

    QUrlQuery missing;
    missing.addQueryItem("grant_type", "refresh_token");
    QCOMPARE(tokenRequest(m_http, *m_sandbox, missing).json()["error"].toString(),
             QString("invalid_request"));
}

void SandboxRedditOAuthTest::revokeAnswers204OrKnob200AndEndsTheTokens() {
    const QJsonObject token = exchangeCode(m_http, *m_sandbox, approve(m_http, *m_sandbox));
    const QString access = token["access_token"].toString();
    QUrlQuery form;
    form.addQueryItem("token", token["refresh_token"].toString());
    form.addQueryItem("token_type_hint", "refresh_token");
    const auto noAuth = m_http.postForm(m_sandbox->url("/reddit/api/v1/revoke_token"), form);
    QCOMPARE(noAuth.status, 401);
    const auto revoked = m_http.postForm(m_sandbox->url("/reddit/api/v1/revoke_token"), form,
                                         {{"Authorization", basicAuth()}});
    QCOMPARE(revoked.status, 204);
    QCOMPARE(meStatus(access), 401); // access tokens minted by the refresh token end too
    QUrlQuery refreshForm;
    refreshForm.addQueryItem("grant_type", "refresh_token");
    refreshForm.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(tokenRequest(m_http, *m_sandbox, refreshForm).json()["error"].toString(),
             QString("invalid_grant"));

    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/settings"), {{"revoke_status", 200}}).status,
        200);
    const QString other = login(m_http, *m_sandbox);
    QUrlQuery accessForm;
    accessForm.addQueryItem("token", other);
    accessForm.addQueryItem("token_type_hint", "access_token");
    QCOMPARE(m_http
                 .postForm(m_sandbox->url("/reddit/api/v1/revoke_token"), accessForm,
                           {{"Authorization", basicAuth()}})
                 .status,
             200);
    QCOMPARE(meStatus(other), 401);
    m_http.postJson(m_sandbox->url("/_admin/reddit/settings"), {{"revoke_status", 204}});
}

void SandboxRedditOAuthTest::tokensSurviveARestart() {
    const QString token = login(m_http, *m_sandbox);
    QCOMPARE(meStatus(token), 200);
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    QCOMPARE(meStatus(token), 200);
}

QTEST_GUILESS_MAIN(SandboxRedditOAuthTest)
#include "tst_sandbox_reddit_oauth.moc"
