#include "xsandbox.h"

#include <QTest>

using namespace huntaze::test;
using namespace xtest;

// X's OAuth 2.0 with PKCE as shared/platforms/x.md describes it: the authorize page and
// its non-interactive shortcut, exact redirect URIs, S256 PKCE checked at the token
// step, 30-second single-use codes, client authentication, refresh-token rotation,
// revoke, and GET /2/users/me.
class SandboxXOAuthTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void endpointsNameTheAppAndTestUsers();
    void authorizePageOffersUsersScopesAndBothDecisions();
    void formDecisionRedirectsWithCodeAndState();
    void denyRedirectsWithAccessDeniedAndState();
    void redirectUriMustMatchExactly_data();
    void redirectUriMustMatchExactly();
    void unknownClientGetsAnErrorPageNotARedirect();
    void invalidAuthorizeParametersRedirectWithError_data();
    void invalidAuthorizeParametersRedirectWithError();
    void pkceVerifierMustMatchTheChallenge_data();
    void pkceVerifierMustMatchTheChallenge();
    void codeExpiresAfterThirtySeconds();
    void codeIsSingleUseAndReuseRevokesItsTokens();
    void tokenRequestNeedsClientAuthentication_data();
    void tokenRequestNeedsClientAuthentication();
    void redirectUriAtTokenStepMustMatch();
    void tokenResponseHasTheDocumentedShape();
    void refreshTokenOnlyWithOfflineAccess();
    void refreshRotatesTheRefreshToken();
    void accessTokenExpiresAfterTwoHours();
    void revokeEndsTheToken();
    void usersMeAnswersWithTheTestUser();
    void usersMeRefusesMissingOrWrongTokens_data();
    void usersMeRefusesMissingOrWrongTokens();
    void partialScopeGrantIsHonoured();
    void tokensSurviveARestart();

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
};

void SandboxXOAuthTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxXOAuthTest::endpointsNameTheAppAndTestUsers() {
    const QJsonObject x = m_sandbox->platform("x");
    QCOMPARE(x["client_id"].toString(), kClientId);
    QCOMPARE(x["client_secret"].toString(), kClientSecret);
    QVERIFY(!x["consumer_secret"].toString().isEmpty());
    QVERIFY(!x["app_bearer_token"].toString().isEmpty());
    QVERIFY(x["redirect_uris"].toArray().contains(kRedirect));
    QVERIFY(x["redirect_uris"].toArray().size() <= 10);
    QVERIFY(x["test_users"].toArray().size() >= 2);
    QCOMPARE(x["authorize_url"].toString(), m_sandbox->url("/x/i/oauth2/authorize").toString());
    QCOMPARE(x["token_url"].toString(), m_sandbox->url("/x/2/oauth2/token").toString());
    // The same answer is served by the admin API.
    const auto endpoints = m_http.get(m_sandbox->url("/_admin/endpoints")).json();
    QCOMPARE(endpoints["platforms"].toObject()["x"].toObject()["client_id"].toString(), kClientId);
}

void SandboxXOAuthTest::authorizePageOffersUsersScopesAndBothDecisions() {
    const auto page =
        m_http.get(authorizeUrl(*m_sandbox, {}, {"sandbox_decision", "sandbox_user"}));
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    const QString html = QString::fromUtf8(page.body);
    QVERIFY(html.contains("name=\"sandbox_user\""));
    QVERIFY(html.contains(kCreator));
    QVERIFY(html.contains("value=\"media.write\""));
    QVERIFY(html.contains("value=\"approve\""));
    QVERIFY(html.contains("value=\"deny\""));
    QVERIFY(html.contains("/x/i/oauth2/authorize/decision"));
}

void SandboxXOAuthTest::formDecisionRedirectsWithCodeAndState() {
    // What the page's form posts: every authorize parameter, the user and the scopes.
    QUrlQuery form;
    form.addQueryItem("response_type", "code");
    form.addQueryItem("client_id", kClientId);
    form.addQueryItem("redirect_uri", kRedirect);
    form.addQueryItem("scope", kAllScopes);
    form.addQueryItem("state", "from the form");
    form.addQueryItem("code_challenge", s256(kVerifier));
    form.addQueryItem("code_challenge_method", "S256");
    form.addQueryItem("sandbox_user", kBrand);
    form.addQueryItem("sandbox_scope", "tweet.read");
    form.addQueryItem("sandbox_scope", "users.read");
    form.addQueryItem("sandbox_decision", "approve");
    const auto result = m_http.postForm(m_sandbox->url("/x/i/oauth2/authorize/decision"), form);
    QCOMPARE(result.status, 302);
    const QUrl location = QUrl::fromEncoded(result.header("Location"));
    QCOMPARE(location.toString(QUrl::RemoveQuery), kRedirect);
    const QUrlQuery query(location);
    QCOMPARE(query.queryItemValue("state", QUrl::FullyDecoded), QString("from the form"));
    const auto token =
        exchangeCode(m_http, *m_sandbox, query.queryItemValue("code", QUrl::FullyDecoded));
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json()["scope"].toString(), QString("tweet.read users.read"));
    const auto me = m_http.get(m_sandbox->url("/x/2/users/me"),
                               bearer(token.json()["access_token"].toString()));
    QCOMPARE(me.json()["data"].toObject()["id"].toString(), kBrand);
}

void SandboxXOAuthTest::denyRedirectsWithAccessDeniedAndState() {
    const auto result = m_http.get(authorizeUrl(*m_sandbox, {{"sandbox_decision", "deny"}}));
    QCOMPARE(result.status, 302);
    const QUrlQuery query = redirectQuery(result);
    QCOMPARE(query.queryItemValue("error"), QString("access_denied"));
    QCOMPARE(query.queryItemValue("state"), QString("state-123"));
    QVERIFY(!query.hasQueryItem("code"));
}

void SandboxXOAuthTest::redirectUriMustMatchExactly_data() {
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("registered") << "http://127.0.0.1:53682/x/callback" << true;
    QTest::newRow("registered with its trailing slash")
        << "http://127.0.0.1:53682/oauth/x/" << true;
    QTest::newRow("other port") << "http://127.0.0.1:53683/x/callback" << false;
    QTest::newRow("extra trailing slash") << "http://127.0.0.1:53682/x/callback/" << false;
    QTest::newRow("missing trailing slash") << "http://127.0.0.1:53682/oauth/x" << false;
    QTest::newRow("localhost instead of 127.0.0.1") << "http://localhost:53682/x/callback" << false;
    QTest::newRow("different path") << "http://127.0.0.1:53682/x/other" << false;
    QTest::newRow("https instead of http") << "https://127.0.0.1:53682/x/callback" << false;
    QTest::newRow("no port") << "http://127.0.0.1/x/callback" << false;
    QTest::newRow("extra query") << "http://127.0.0.1:53682/x/callback?a=1" << false;
    QTest::newRow("missing") << "" << false;
}

void SandboxXOAuthTest::redirectUriMustMatchExactly() {
    QFETCH(QString, redirect);
    QFETCH(bool, accepted);
    const auto result = m_http.get(authorizeUrl(*m_sandbox, {{"redirect_uri", redirect}}));
    if (accepted) {
        QCOMPARE(result.status, 302);
        QVERIFY(QString::fromUtf8(result.header("Location")).startsWith(redirect + "?"));
        QVERIFY(redirectQuery(result).hasQueryItem("code"));
    } else {
        // Never redirected to an unregistered URI: an error page instead.
        QCOMPARE(result.status, 400);
        QVERIFY(result.header("Location").isEmpty());
    }
}

void SandboxXOAuthTest::unknownClientGetsAnErrorPageNotARedirect() {
    const auto result = m_http.get(authorizeUrl(*m_sandbox, {{"client_id", "someone-else"}}));
    QCOMPARE(result.status, 400);
    QVERIFY(result.header("Location").isEmpty());
}

void SandboxXOAuthTest::invalidAuthorizeParametersRedirectWithError_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("response_type token") << "response_type"
                                         << "token"
                                         << "unsupported_response_type";
    QTest::newRow("unknown scope") << "scope"
                                   << "tweet.read everything"
                                   << "invalid_scope";
    QTest::newRow("empty scope") << "scope"
                                 << ""
                                 << "invalid_scope";
    QTest::newRow("comma separated scopes") << "scope"
                                            << "tweet.read,users.read"
                                            << "invalid_scope";
    QTest::newRow("state over 500") << "state" << QString(501, 'a') << "invalid_request";
    QTest::newRow("no state") << "state"
                              << ""
                              << "invalid_request";
    QTest::newRow("no challenge") << "code_challenge"
                                  << ""
                                  << "invalid_request";
    QTest::newRow("method S512") << "code_challenge_method"
                                 << "S512"
                                 << "invalid_request";
    QTest::newRow("method lower case s256") << "code_challenge_method"
                                            << "s256"
                                            << "invalid_request";
}

void SandboxXOAuthTest::invalidAuthorizeParametersRedirectWithError() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, error);
    const auto result = m_http.get(authorizeUrl(*m_sandbox, {{key, value}}));
    QCOMPARE(result.status, 302);
    const QUrlQuery query = redirectQuery(result);
    QCOMPARE(query.queryItemValue("error"), error);
    QVERIFY(!query.hasQueryItem("code"));
}

void SandboxXOAuthTest::pkceVerifierMustMatchTheChallenge_data() {
    QTest::addColumn<QString>("challenge");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("verifier");
    QTest::addColumn<bool>("accepted");
    const QByteArray digest = QCryptographicHash::hash(kVerifier, QCryptographicHash::Sha256);
    QTest::newRow("S256 base64url unpadded") << s256(kVerifier) << "S256" << kVerifier << true;
    QTest::newRow("S256 hex digest")
        << QString::fromLatin1(digest.toHex()) << "S256" << kVerifier << false;
    QTest::newRow("S256 padded base64url")
        << QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding)) << "S256"
        << kVerifier << false;
    QTest::newRow("S256 standard base64")
        << QString::fromLatin1(digest.toBase64()) << "S256" << kVerifier << false;
    QTest::newRow("S256 other verifier")
        << s256(kVerifier) << "S256" << QByteArray(kVerifier + "x") << false;
    QTest::newRow("S256 challenge sent as verifier")
        << s256(kVerifier) << "S256" << s256(kVerifier).toLatin1() << false;
    QTest::newRow("plain matching")
        << QString::fromLatin1(kVerifier) << "plain" << kVerifier << true;
    QTest::newRow("plain mismatching") << QString::fromLatin1(kVerifier) << "plain"
                                       << QByteArray("something-else-entirely") << false;
    QTest::newRow("missing verifier") << s256(kVerifier) << "S256" << QByteArray() << false;
}

void SandboxXOAuthTest::pkceVerifierMustMatchTheChallenge() {
    QFETCH(QString, challenge);
    QFETCH(QString, method);
    QFETCH(QByteArray, verifier);
    QFETCH(bool, accepted);
    const QString code = obtainCode(
        m_http, *m_sandbox, {{"code_challenge", challenge}, {"code_challenge_method", method}});
    QVERIFY(!code.isEmpty());
    const auto result = exchangeCode(m_http, *m_sandbox, code, verifier);
    if (accepted) {
        QCOMPARE(result.status, 200);
        QVERIFY(!result.json()["access_token"].toString().isEmpty());
    } else {
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json()["error"].toString(), QString("invalid_request"));
        QVERIFY(!result.json()["error_description"].toString().isEmpty());
    }
}

void SandboxXOAuthTest::codeExpiresAfterThirtySeconds() {
    const QString late = obtainCode(m_http, *m_sandbox);
    QCOMPARE(advance(m_http, *m_sandbox, 31).status, 200);
    const auto expired = exchangeCode(m_http, *m_sandbox, late);
    QCOMPARE(expired.status, 400);
    QCOMPARE(expired.json()["error"].toString(), QString("invalid_request"));
    // Within the 30 seconds it works.
    const QString prompt = obtainCode(m_http, *m_sandbox);
    QCOMPARE(advance(m_http, *m_sandbox, 20).status, 200);
    QCOMPARE(exchangeCode(m_http, *m_sandbox, prompt).status, 200);
}

void SandboxXOAuthTest::codeIsSingleUseAndReuseRevokesItsTokens() {
    const QString code = obtainCode(m_http, *m_sandbox);
    const auto first = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(first.status, 200);
    const QString access = first.json()["access_token"].toString();
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(access)).status, 200);
    const auto second = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(second.status, 400);
    QCOMPARE(second.json()["error"].toString(), QString("invalid_request"));
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(access)).status, 401);
}

void SandboxXOAuthTest::tokenRequestNeedsClientAuthentication_data() {
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("basic confidential") << "basic" << 200 << "";
    QTest::newRow("client_id public") << "client_id" << 200 << "";
    QTest::newRow("neither") << "none" << 401 << "unauthorized_client";
    QTest::newRow("wrong secret") << "wrong_secret" << 401 << "unauthorized_client";
    QTest::newRow("unknown client_id") << "wrong_client_id" << 401 << "unauthorized_client";
}

void SandboxXOAuthTest::tokenRequestNeedsClientAuthentication() {
    QFETCH(QString, mode);
    QFETCH(int, status);
    QFETCH(QString, error);
    const QString code = obtainCode(m_http, *m_sandbox);
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("code", code);
    form.addQueryItem("redirect_uri", kRedirect);
    form.addQueryItem("code_verifier", QString::fromLatin1(kVerifier));
    HttpClient::Headers headers;
    if (mode == "basic")
        headers = basicAuth();
    else if (mode == "wrong_secret")
        headers = basicAuth(kClientId, "nope");
    else if (mode == "client_id")
        form.addQueryItem("client_id", kClientId);
    else if (mode == "wrong_client_id")
        form.addQueryItem("client_id", "another-client");
    const auto result = m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form, headers);
    QCOMPARE(result.status, status);
    if (!error.isEmpty()) {
        QCOMPARE(result.json()["error"].toString(), error);
        QCOMPARE(result.json()["error_description"].toString(),
                 QString("Missing valid authorization header"));
    }
}

void SandboxXOAuthTest::redirectUriAtTokenStepMustMatch() {
    const QString code = obtainCode(m_http, *m_sandbox);
    const auto result =
        exchangeCode(m_http, *m_sandbox, code, kVerifier, "http://127.0.0.1:53682/oauth/x/");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json()["error"].toString(), QString("invalid_request"));
}

void SandboxXOAuthTest::tokenResponseHasTheDocumentedShape() {
    const QString code = obtainCode(m_http, *m_sandbox);
    const auto result = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(result.status, 200);
    const QJsonObject token = result.json();
    QCOMPARE(token["token_type"].toString(), QString("bearer"));
    QCOMPARE(token["expires_in"].toInt(), 7200);
    QVERIFY(!token["access_token"].toString().isEmpty());
    QVERIFY(!token["refresh_token"].toString().isEmpty());
    QCOMPARE(token["scope"].toString().split(' ').size(), 5);

    // Form bodies only; wrong grant types are invalid_request.
    const auto json = m_http.postJson(m_sandbox->url("/x/2/oauth2/token"),
                                      {{"grant_type", "authorization_code"}}, basicAuth());
    QCOMPARE(json.status, 400);
    QCOMPARE(json.json()["error"].toString(), QString("invalid_request"));
    QUrlQuery form;
    form.addQueryItem("grant_type", "password");
    const auto grant = m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form, basicAuth());
    QCOMPARE(grant.status, 400);
    QCOMPARE(grant.json()["error"].toString(), QString("invalid_request"));
}

void SandboxXOAuthTest::refreshTokenOnlyWithOfflineAccess() {
    const QJsonObject token = login(m_http, *m_sandbox, "tweet.read users.read");
    QVERIFY(!token["access_token"].toString().isEmpty());
    QVERIFY(!token.contains("refresh_token"));
}

void SandboxXOAuthTest::refreshRotatesTheRefreshToken() {
    const QJsonObject first = login(m_http, *m_sandbox);
    const QString oldRefresh = first["refresh_token"].toString();
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", oldRefresh);
    form.addQueryItem("client_id", kClientId);
    const auto refreshed = m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form);
    QCOMPARE(refreshed.status, 200);
    const QString newRefresh = refreshed.json()["refresh_token"].toString();
    QVERIFY(!newRefresh.isEmpty());
    QVERIFY(newRefresh != oldRefresh);
    QCOMPARE(refreshed.json()["expires_in"].toInt(), 7200);
    QCOMPARE(m_http
                 .get(m_sandbox->url("/x/2/users/me"),
                      bearer(refreshed.json()["access_token"].toString()))
                 .status,
             200);
    // The old refresh token stopped working.
    const auto reused = m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form);
    QCOMPARE(reused.status, 400);
    QCOMPARE(reused.json()["error"].toString(), QString("invalid_request"));
    // The new one works (with Basic this time).
    QUrlQuery next;
    next.addQueryItem("grant_type", "refresh_token");
    next.addQueryItem("refresh_token", newRefresh);
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), next, basicAuth()).status, 200);
}

void SandboxXOAuthTest::accessTokenExpiresAfterTwoHours() {
    const QJsonObject token = login(m_http, *m_sandbox);
    const auto access = bearer(token["access_token"].toString());
    QCOMPARE(advance(m_http, *m_sandbox, 7100).status, 200);
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), access).status, 200);
    QCOMPARE(advance(m_http, *m_sandbox, 200).status, 200);
    const auto expired = m_http.get(m_sandbox->url("/x/2/users/me"), access);
    QCOMPARE(expired.status, 401);
    QCOMPARE(expired.json()["title"].toString(), QString("Unauthorized"));
    // The refresh token still works after the access token expired.
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form, basicAuth()).status, 200);
}

void SandboxXOAuthTest::revokeEndsTheToken() {
    const QJsonObject token = login(m_http, *m_sandbox);
    QUrlQuery form;
    form.addQueryItem("token", token["access_token"].toString());
    form.addQueryItem("client_id", kClientId);
    const auto revoked = m_http.postForm(m_sandbox->url("/x/2/oauth2/revoke"), form);
    QCOMPARE(revoked.status, 200);
    QCOMPARE(revoked.json()["revoked"].toBool(), true);
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(token["access_token"].toString()))
                 .status,
             401);
    // Revoking the refresh token (with Basic) ends the refresh grant too.
    QUrlQuery refresh;
    refresh.addQueryItem("token", token["refresh_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/revoke"), refresh, basicAuth()).status,
             200);
    QUrlQuery use;
    use.addQueryItem("grant_type", "refresh_token");
    use.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), use, basicAuth()).status, 400);
    // Without client authentication: unauthorized_client.
    const auto anonymous = m_http.postForm(m_sandbox->url("/x/2/oauth2/revoke"), refresh);
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.json()["error"].toString(), QString("unauthorized_client"));
}

void SandboxXOAuthTest::usersMeAnswersWithTheTestUser() {
    const QJsonObject token = login(m_http, *m_sandbox);
    const auto me =
        m_http.get(m_sandbox->url("/x/2/users/me"), bearer(token["access_token"].toString()));
    QCOMPARE(me.status, 200);
    const QJsonObject data = me.json()["data"].toObject();
    QCOMPARE(data["id"].toString(), kCreator);
    QCOMPARE(data["username"].toString(), QString("sbx_creator"));
    QVERIFY(!data["name"].toString().isEmpty());
    QVERIFY(!me.header("x-rate-limit-limit").isEmpty());
    QVERIFY(!me.header("x-rate-limit-remaining").isEmpty());
    QVERIFY(me.header("x-rate-limit-reset").toLongLong() > 1'700'000'000);
}

void SandboxXOAuthTest::usersMeRefusesMissingOrWrongTokens_data() {
    QTest::addColumn<QString>("token");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << "" << 401;
    QTest::newRow("unknown token") << "not-a-token" << 401;
    QTest::newRow("app-only bearer") << "app" << 403;
    QTest::newRow("without users.read") << "no-users-read" << 403;
}

void SandboxXOAuthTest::usersMeRefusesMissingOrWrongTokens() {
    QFETCH(QString, token);
    QFETCH(int, status);
    if (token == "app")
        token = m_sandbox->platform("x")["app_bearer_token"].toString();
    else if (token == "no-users-read")
        token = login(m_http, *m_sandbox, "tweet.read tweet.write")["access_token"].toString();
    const auto result = m_http.get(m_sandbox->url("/x/2/users/me"),
                                   token.isEmpty() ? HttpClient::Headers{} : bearer(token));
    QCOMPARE(result.status, status);
    QCOMPARE(result.json()["status"].toInt(), status);
    QVERIFY(!result.json()["title"].toString().isEmpty());
    QVERIFY(result.json().contains("type"));
}

void SandboxXOAuthTest::partialScopeGrantIsHonoured() {
    const QString code =
        obtainCode(m_http, *m_sandbox, {{"sandbox_scopes", "tweet.read,users.read"}});
    const auto token = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(token.json()["scope"].toString(), QString("tweet.read users.read"));
    QVERIFY(!token.json().contains("refresh_token"));
}

void SandboxXOAuthTest::tokensSurviveARestart() {
    const QJsonObject token = login(m_http, *m_sandbox);
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(token["access_token"].toString()))
                 .status,
             200);
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/x/2/oauth2/token"), form, basicAuth()).status, 200);
}

QTEST_GUILESS_MAIN(SandboxXOAuthTest)
#include "tst_sandbox_x_oauth.moc"
