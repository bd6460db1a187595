#include "tiktoktest.h"

using namespace huntaze::test;
using namespace tiktoktest;

// TikTok Login Kit for desktop as the sandbox serves it: redirect rules, hex PKCE,
// single-use codes, token shapes and lifetimes, rotation, revoke, scope-gated user info.
class SandboxTikTokOAuthTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void redirectUriRulesAreEnforced_data();
    void redirectUriRulesAreEnforced();
    void pkceIsHexSha256AndOtherEncodingsFail_data();
    void pkceIsHexSha256AndOtherEncodingsFail();
    void authorizeErrorsRedirectWithState_data();
    void authorizeErrorsRedirectWithState();
    void unknownClientKeyShowsAnErrorPage();
    void interactivePageOffersUsersAndScopesAndPostsTheDecision();
    void sandboxScopesGrantASubsetAndBasicAlwaysStays();
    void tokenResponseIsTopLevelWithNewerLifetimes();
    void codeIsSingleUse();
    void codeExpiresAfterTenMinutes();
    void tokenEndpointErrors_data();
    void tokenEndpointErrors();
    void tokenAndRevokeRequireFormBodies();
    void refreshRotatesAndTheOldRefreshTokenDies();
    void legacyModeGives24hAnd365dWithoutRotation();
    void invalidGrantCanBeAnsweredWith200();
    void accessTokenExpiresAfterTwoHours();
    void revokeKillsEveryTokenOfTheUser();
    void adminInvalidationKillsAccessTokensButRefreshStillWorks();
    void userInfoFieldsAreScopeGated_data();
    void userInfoFieldsAreScopeGated();
    void tokensSurviveARestart();
    void endpointsDescribeTheApp();

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
};

void SandboxTikTokOAuthTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxTikTokOAuthTest::redirectUriRulesAreEnforced_data() {
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("127.0.0.1 any port") << "http://127.0.0.1:8765/callback/" << true;
    QTest::newRow("127.0.0.1 other port") << "http://127.0.0.1:50123/callback/" << true;
    QTest::newRow("localhost any port") << "http://localhost:1234/callback/" << true;
    QTest::newRow("no port") << "http://127.0.0.1/callback/" << false;
    QTest::newRow("query") << "http://127.0.0.1:8765/callback/?x=1" << false;
    QTest::newRow("fragment") << "http://127.0.0.1:8765/callback/#frag" << false;
    QTest::newRow("other path") << "http://127.0.0.1:8765/other/" << false;
    QTest::newRow("missing trailing slash") << "http://127.0.0.1:8765/callback" << false;
    QTest::newRow("other host") << "http://example.com:8765/callback/" << false;
    QTest::newRow("0.0.0.0") << "http://0.0.0.0:8765/callback/" << false;
    QTest::newRow("https not registered") << "https://127.0.0.1:8765/callback/" << false;
    QTest::newRow("custom scheme") << "huntaze://127.0.0.1:8765/callback/" << false;
    QTest::newRow("userinfo") << "http://user@127.0.0.1:8765/callback/" << false;
    QTest::newRow("empty") << "" << false;
}

void SandboxTikTokOAuthTest::redirectUriRulesAreEnforced() {
    QFETCH(QString, redirect);
    QFETCH(bool, allowed);
    auto items = authorizeItems(hexChallenge(verifier()), kAllScopes, redirect);
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", "tt-alice");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, items));
    if (allowed) {
        QCOMPARE(result.status, 302);
        const QUrl location = QUrl::fromEncoded(result.header("Location"));
        QCOMPARE(location.adjusted(QUrl::RemoveQuery).toString(), redirect);
        QVERIFY(!q(QUrlQuery(location), "code").isEmpty());
    } else {
        QCOMPARE(result.status, 400);
        QVERIFY(result.header("Location").isEmpty());
        QVERIFY(result.body.contains("invalid_request"));
    }
}

void SandboxTikTokOAuthTest::pkceIsHexSha256AndOtherEncodingsFail_data() {
    QTest::addColumn<QString>("challenge");
    QTest::addColumn<QString>("verifier");
    QTest::addColumn<bool>("ok");
    const QString v = verifier(64);
    QTest::newRow("hex sha256") << hexChallenge(v) << v << true;
    QTest::newRow("43-char verifier") << hexChallenge(verifier(43)) << verifier(43) << true;
    QTest::newRow("128-char verifier") << hexChallenge(verifier(128)) << verifier(128) << true;
    const QString unreserved = "abcDEF123-._~" + verifier(40);
    QTest::newRow("unreserved characters") << hexChallenge(unreserved) << unreserved << true;
    QTest::newRow("base64url (RFC 7636) fails") << base64UrlChallenge(v) << v << false;
    QTest::newRow("uppercase hex fails") << hexChallenge(v).toUpper() << v << false;
    QTest::newRow("plain verifier as challenge fails") << v << v << false;
    QTest::newRow("wrong verifier") << hexChallenge(v) << verifier(64, 'b') << false;
    QTest::newRow("42-char verifier") << hexChallenge(verifier(42)) << verifier(42) << false;
    QTest::newRow("129-char verifier") << hexChallenge(verifier(129)) << verifier(129) << false;
    const QString bad = verifier(50) + "+/";
    QTest::newRow("characters outside the set") << hexChallenge(bad) << bad << false;
}

void SandboxTikTokOAuthTest::pkceIsHexSha256AndOtherEncodingsFail() {
    QFETCH(QString, challenge);
    QFETCH(QString, verifier);
    QFETCH(bool, ok);
    auto items = authorizeItems(challenge);
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", "tt-alice");
    const auto authorized = m_http.get(authorizeUrl(*m_sandbox, items));
    QCOMPARE(authorized.status, 302);
    const QString code = q(locationQuery(authorized), "code");
    QVERIFY(!code.isEmpty());
    const auto token = exchange(m_http, *m_sandbox, code, verifier);
    if (ok) {
        QCOMPARE(token.status, 200);
        QVERIFY(!token.json()["access_token"].toString().isEmpty());
    } else {
        QCOMPARE(token.json()["error"].toString(), QString("invalid_request"));
        QCOMPARE(token.json()["error_description"].toString(),
                 QString("Code verifier or code challenge is invalid."));
        QVERIFY(!token.json()["log_id"].toString().isEmpty());
        QVERIFY(token.status >= 400);
    }
}

void SandboxTikTokOAuthTest::authorizeErrorsRedirectWithState_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("response_type token") << "response_type"
                                         << "token"
                                         << "unsupported_response_type";
    QTest::newRow("unknown scope") << "scope"
                                   << "user.info.basic,video.delete"
                                   << "invalid_scope";
    QTest::newRow("empty scope") << "scope"
                                 << ""
                                 << "invalid_scope";
    QTest::newRow("plain method") << "code_challenge_method"
                                  << "plain"
                                  << "invalid_request";
    QTest::newRow("missing challenge") << "code_challenge"
                                       << ""
                                       << "invalid_request";
    QTest::newRow("user denies") << "sandbox_decision"
                                 << "deny"
                                 << "access_denied";
}

void SandboxTikTokOAuthTest::authorizeErrorsRedirectWithState() {
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, error);
    auto items = authorizeItems(hexChallenge(verifier()), kAllScopes, kRedirect, "s t&=ate");
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", "tt-alice");
    for (auto &item : items)
        if (item.first == name)
            item.second = value;
    const auto result = m_http.get(authorizeUrl(*m_sandbox, items));
    QCOMPARE(result.status, 302);
    const QUrlQuery query = locationQuery(result);
    QCOMPARE(q(query, "error"), error);
    QVERIFY(!q(query, "error_description").isEmpty());
    QCOMPARE(q(query, "state"), QString("s t&=ate"));
    QVERIFY(!query.hasQueryItem("code"));
}

void SandboxTikTokOAuthTest::unknownClientKeyShowsAnErrorPage() {
    auto items = authorizeItems(hexChallenge(verifier()));
    items[0].second = "someone-else";
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", "tt-alice");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, items));
    QCOMPARE(result.status, 400);
    QVERIFY(result.header("Location").isEmpty());
    QVERIFY(result.body.contains("invalid_client"));
}

void SandboxTikTokOAuthTest::interactivePageOffersUsersAndScopesAndPostsTheDecision() {
    const QString v = verifier(60);
    const auto items = authorizeItems(hexChallenge(v), "user.info.basic,video.upload");
    const auto page = m_http.get(authorizeUrl(*m_sandbox, items));
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    for (const char *needle : {"tt-alice", "tt-bob", "scope_video.upload", "Approve", "Deny",
                               "/tiktok/v2/auth/authorize/decision/"})
        QVERIFY2(page.body.contains(needle), needle);

    // What the browser posts: the hidden original parameters plus the choices.
    QUrlQuery form;
    for (const auto &[k, val] : items)
        form.addQueryItem(k, val);
    form.addQueryItem("sandbox_user", "tt-bob");
    form.addQueryItem("sandbox_decision", "approve");
    form.addQueryItem("scope_user.info.basic", "1");
    const auto decided =
        m_http.postForm(m_sandbox->url("/tiktok/v2/auth/authorize/decision/"), form);
    QCOMPARE(decided.status, 302);
    const QUrlQuery callback = locationQuery(decided);
    QCOMPARE(q(callback, "scopes"), QString("user.info.basic")); // video.upload unticked
    QCOMPARE(q(callback, "state"), QString("st-1"));
    const auto token = exchange(m_http, *m_sandbox, q(callback, "code"), v);
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json()["open_id"].toString(), QString("sbx-openid-bob"));
    QCOMPARE(token.json()["scope"].toString(), QString("user.info.basic"));

    form.removeAllQueryItems("sandbox_decision");
    form.addQueryItem("sandbox_decision", "deny");
    const auto denied =
        m_http.postForm(m_sandbox->url("/tiktok/v2/auth/authorize/decision/"), form);
    QCOMPARE(denied.status, 302);
    QCOMPARE(q(locationQuery(denied), "error"), QString("access_denied"));
}

void SandboxTikTokOAuthTest::sandboxScopesGrantASubsetAndBasicAlwaysStays() {
    auto items = authorizeItems(hexChallenge(verifier()), kAllScopes);
    items.emplace_back("sandbox_decision", "approve");
    items.emplace_back("sandbox_user", "tt-alice");
    items.emplace_back("sandbox_scopes", "video.upload");
    const auto result = m_http.get(authorizeUrl(*m_sandbox, items));
    QCOMPARE(result.status, 302);
    QCOMPARE(q(locationQuery(result), "scopes"), QString("user.info.basic,video.upload"));
}

void SandboxTikTokOAuthTest::tokenResponseIsTopLevelWithNewerLifetimes() {
    const QString v = verifier(70);
    const auto token = exchange(m_http, *m_sandbox, approve(m_http, *m_sandbox, v), v);
    QCOMPARE(token.status, 200);
    const QJsonObject json = token.json();
    QVERIFY(!json.contains("data"));
    QVERIFY(!json["access_token"].toString().isEmpty());
    QVERIFY(!json["refresh_token"].toString().isEmpty());
    QCOMPARE(json["expires_in"].toInt(), 7200);
    QCOMPARE(json["refresh_expires_in"].toInt(), 180 * 86400);
    QCOMPARE(json["open_id"].toString(), QString("sbx-openid-alice"));
    QCOMPARE(json["scope"].toString(), kAllScopes);
    QCOMPARE(json["token_type"].toString(), QString("Bearer"));
}

void SandboxTikTokOAuthTest::codeIsSingleUse() {
    const QString v = verifier(45);
    const QString code = approve(m_http, *m_sandbox, v);
    QCOMPARE(exchange(m_http, *m_sandbox, code, v).status, 200);
    const auto again = exchange(m_http, *m_sandbox, code, v);
    QCOMPARE(again.status, 400);
    QCOMPARE(again.json()["error"].toString(), QString("invalid_grant"));
}

void SandboxTikTokOAuthTest::codeExpiresAfterTenMinutes() {
    const QString v = verifier(45);
    const QString fresh = approve(m_http, *m_sandbox, v);
    const QString stale = approve(m_http, *m_sandbox, v);
    advance(m_http, *m_sandbox, 9 * 60);
    QCOMPARE(exchange(m_http, *m_sandbox, fresh, v).status, 200);
    advance(m_http, *m_sandbox, 2 * 60);
    const auto expired = exchange(m_http, *m_sandbox, stale, v);
    QCOMPARE(expired.json()["error"].toString(), QString("invalid_grant"));
}

void SandboxTikTokOAuthTest::tokenEndpointErrors_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("wrong secret") << "client_secret"
                                  << "nope" << 401 << "invalid_client";
    QTest::newRow("wrong client") << "client_key"
                                  << "nope" << 401 << "invalid_client";
    QTest::newRow("unknown grant") << "grant_type"
                                   << "password" << 400 << "unsupported_grant_type";
    QTest::newRow("no grant") << "grant_type"
                              << "" << 400 << "invalid_request";
    QTest::newRow("no code") << "code"
                             << "" << 400 << "invalid_request";
    QTest::newRow("unknown code") << "code"
                                  << "made-up" << 400 << "invalid_grant";
    QTest::newRow("redirect differs")
        << "redirect_uri"
        << "http://127.0.0.1:9999/callback/" << 400 << "invalid_grant";
    QTest::newRow("no verifier") << "code_verifier"
                                 << "" << 400 << "invalid_request";
}

void SandboxTikTokOAuthTest::tokenEndpointErrors() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(int, status);
    QFETCH(QString, error);
    const QString v = verifier(48);
    QList<std::pair<QString, QString>> items{{"client_key", kClientKey},
                                             {"client_secret", kClientSecret},
                                             {"code", approve(m_http, *m_sandbox, v)},
                                             {"grant_type", "authorization_code"},
                                             {"redirect_uri", kRedirect},
                                             {"code_verifier", v}};
    for (auto &item : items)
        if (item.first == field)
            item.second = value;
    const auto result = tokenRequest(m_http, *m_sandbox, items);
    QCOMPARE(result.status, status);
    QCOMPARE(result.json()["error"].toString(), error);
    QVERIFY(result.json().contains("error_description"));
    QVERIFY(result.json().contains("log_id"));
}

void SandboxTikTokOAuthTest::tokenAndRevokeRequireFormBodies() {
    for (const char *path : {"/tiktok/v2/oauth/token/", "/tiktok/v2/oauth/revoke/"}) {
        const auto json = m_http.postJson(m_sandbox->url(path), {{"client_key", kClientKey},
                                                                 {"client_secret", kClientSecret},
                                                                 {"grant_type", "refresh_token"},
                                                                 {"token", "x"}});
        QCOMPARE(json.status, 400);
        QCOMPARE(json.json()["error"].toString(), QString("invalid_request"));
        QVERIFY(json.json().contains("log_id"));
    }
    QUrlQuery form;
    form.addQueryItem("client_key", kClientKey);
    form.addQueryItem("client_secret", kClientSecret);
    const auto noToken = m_http.postForm(m_sandbox->url("/tiktok/v2/oauth/revoke/"), form);
    QCOMPARE(noToken.status, 400);
    QCOMPARE(noToken.json()["error"].toString(), QString("invalid_request"));
    form.addQueryItem("token", "act.unknown");
    QCOMPARE(m_http.postForm(m_sandbox->url("/tiktok/v2/oauth/revoke/"), form).status, 200);
}

void SandboxTikTokOAuthTest::refreshRotatesAndTheOldRefreshTokenDies() {
    const QJsonObject first = connectUser(m_http, *m_sandbox);
    const QString oldRefresh = first["refresh_token"].toString();
    const QList<std::pair<QString, QString>> refresh{{"client_key", kClientKey},
                                                     {"client_secret", kClientSecret},
                                                     {"grant_type", "refresh_token"},
                                                     {"refresh_token", oldRefresh}};
    const auto rotated = tokenRequest(m_http, *m_sandbox, refresh);
    QCOMPARE(rotated.status, 200);
    const QString newRefresh = rotated.json()["refresh_token"].toString();
    QVERIFY(!newRefresh.isEmpty());
    QVERIFY(newRefresh != oldRefresh);
    QCOMPARE(rotated.json()["expires_in"].toInt(), 7200);
    QCOMPARE(rotated.json()["scope"].toString(), kAllScopes);
    const auto info = m_http.get(m_sandbox->url("/tiktok/v2/user/info/?fields=open_id"),
                                 bearer(rotated.json()["access_token"].toString()));
    QCOMPARE(info.status, 200);
    const auto reused = tokenRequest(m_http, *m_sandbox, refresh);
    QCOMPARE(reused.json()["error"].toString(), QString("invalid_grant"));
}

void SandboxTikTokOAuthTest::legacyModeGives24hAnd365dWithoutRotation() {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"token_mode", "legacy"}})
                 .status,
             200);
    const QJsonObject first = connectUser(m_http, *m_sandbox);
    QCOMPARE(first["expires_in"].toInt(), 86400);
    QCOMPARE(first["refresh_expires_in"].toInt(), 365 * 86400);
    const QList<std::pair<QString, QString>> refresh{
        {"client_key", kClientKey},
        {"client_secret", kClientSecret},
        {"grant_type", "refresh_token"},
        {"refresh_token", first["refresh_token"].toString()}};
    for (int i = 0; i < 2; ++i) {
        const auto again = tokenRequest(m_http, *m_sandbox, refresh);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json()["refresh_token"].toString(), first["refresh_token"].toString());
    }
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"token_mode", "rotating"}})
            .status,
        200);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"token_mode", "x"}}).status,
        400);
}

void SandboxTikTokOAuthTest::invalidGrantCanBeAnsweredWith200() {
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"invalid_grant_status", 200}})
            .status,
        200);
    const QString v = verifier(48);
    const auto result = exchange(m_http, *m_sandbox, "no-such-code", v);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["error"].toString(), QString("invalid_grant"));
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/settings"), {{"invalid_grant_status", 400}})
            .status,
        200);
    QCOMPARE(exchange(m_http, *m_sandbox, "no-such-code", v).status, 400);
}

void SandboxTikTokOAuthTest::accessTokenExpiresAfterTwoHours() {
    const QString token = connectUser(m_http, *m_sandbox)["access_token"].toString();
    const QUrl url = m_sandbox->url("/tiktok/v2/user/info/?fields=open_id");
    advance(m_http, *m_sandbox, 7200 - 60);
    QCOMPARE(m_http.get(url, bearer(token)).status, 200);
    advance(m_http, *m_sandbox, 120);
    const auto expired = m_http.get(url, bearer(token));
    QCOMPARE(expired.status, 401);
    QCOMPARE(errorCode(expired), QString("access_token_invalid"));
    QVERIFY(expired.json().contains("data"));
    QVERIFY(!expired.json()["error"].toObject()["log_id"].toString().isEmpty());
}

void SandboxTikTokOAuthTest::revokeKillsEveryTokenOfTheUser() {
    const QJsonObject tokens = connectUser(m_http, *m_sandbox, "tt-bob");
    QUrlQuery form;
    form.addQueryItem("client_key", kClientKey);
    form.addQueryItem("client_secret", kClientSecret);
    form.addQueryItem("token", tokens["access_token"].toString());
    QCOMPARE(m_http.postForm(m_sandbox->url("/tiktok/v2/oauth/revoke/"), form).status, 200);
    QCOMPARE(m_http
                 .get(m_sandbox->url("/tiktok/v2/user/info/?fields=open_id"),
                      bearer(tokens["access_token"].toString()))
                 .status,
             401);
    const auto refreshed = tokenRequest(m_http, *m_sandbox,
                                        {{"client_key", kClientKey},
                                         {"client_secret", kClientSecret},
                                         {"grant_type", "refresh_token"},
                                         {"refresh_token", tokens["refresh_token"].toString()}});
    QCOMPARE(refreshed.json()["error"].toString(), QString("invalid_grant"));
    form.removeAllQueryItems("client_secret");
    form.addQueryItem("client_secret", "wrong");
    QCOMPARE(m_http.postForm(m_sandbox->url("/tiktok/v2/oauth/revoke/"), form).json()["error"],
             QJsonValue("invalid_client"));
}

void SandboxTikTokOAuthTest::adminInvalidationKillsAccessTokensButRefreshStillWorks() {
    const QJsonObject tokens = connectUser(m_http, *m_sandbox, "tt-alice");
    const auto killed = m_http.postJson(m_sandbox->url("/_admin/tiktok/tokens/invalidate"),
                                        {{"open_id", "sbx-openid-alice"}});
    QCOMPARE(killed.status, 200);
    QVERIFY(killed.json()["invalidated"].toInt() >= 1);
    const auto info = m_http.get(m_sandbox->url("/tiktok/v2/user/info/?fields=open_id"),
                                 bearer(tokens["access_token"].toString()));
    QCOMPARE(errorCode(info), QString("access_token_invalid"));
    const auto refreshed = tokenRequest(m_http, *m_sandbox,
                                        {{"client_key", kClientKey},
                                         {"client_secret", kClientSecret},
                                         {"grant_type", "refresh_token"},
                                         {"refresh_token", tokens["refresh_token"].toString()}});
    QCOMPARE(refreshed.status, 200);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/tiktok/tokens/invalidate"), {{"open_id", "nobody"}})
            .status,
        404);
}

void SandboxTikTokOAuthTest::userInfoFieldsAreScopeGated_data() {
    QTest::addColumn<QString>("scopes");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("basic fields") << "user.info.basic"
                                  << "open_id,union_id,avatar_url,avatar_url_100,"
                                     "avatar_large_url,display_name"
                                  << 200 << "ok";
    QTest::newRow("profile without scope") << "user.info.basic"
                                           << "open_id,username" << 401 << "scope_not_authorized";
    QTest::newRow("profile with scope")
        << "user.info.basic,user.info.profile"
        << "bio_description,profile_deep_link,is_verified,username" << 200 << "ok";
    QTest::newRow("stats without scope") << "user.info.basic,user.info.profile"
                                         << "follower_count" << 401 << "scope_not_authorized";
    QTest::newRow("stats with scope")
        << "user.info.basic,user.info.stats"
        << "follower_count,following_count,likes_count,video_count" << 200 << "ok";
    QTest::newRow("unknown field") << "user.info.basic"
                                   << "open_id,shoe_size" << 400 << "invalid_param";
    QTest::newRow("no fields") << "user.info.basic"
                               << "" << 400 << "invalid_param";
}

void SandboxTikTokOAuthTest::userInfoFieldsAreScopeGated() {
    QFETCH(QString, scopes);
    QFETCH(QString, fields);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QString token =
        connectUser(m_http, *m_sandbox, "tt-alice", scopes)["access_token"].toString();
    QVERIFY(!token.isEmpty());
    const auto result =
        m_http.get(m_sandbox->url("/tiktok/v2/user/info/?fields=" + fields), bearer(token));
    QCOMPARE(result.status, status);
    QCOMPARE(errorCode(result), code);
    if (status == 200) {
        const QJsonObject user = result.json()["data"].toObject()["user"].toObject();
        for (const QString &field : fields.split(','))
            QVERIFY2(user.contains(field), qPrintable(field));
        QCOMPARE(user.size(), fields.split(',').size());
        if (user.contains("open_id"))
            QCOMPARE(user["open_id"].toString(), QString("sbx-openid-alice"));
    }
}

void SandboxTikTokOAuthTest::tokensSurviveARestart() {
    const QJsonObject tokens = connectUser(m_http, *m_sandbox);
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    QCOMPARE(m_http
                 .get(m_sandbox->url("/tiktok/v2/user/info/?fields=open_id"),
                      bearer(tokens["access_token"].toString()))
                 .status,
             200);
}

void SandboxTikTokOAuthTest::endpointsDescribeTheApp() {
    const QJsonObject tiktok = m_sandbox->platform("tiktok");
    QCOMPARE(tiktok["client_key"].toString(), kClientKey);
    QCOMPARE(tiktok["client_secret"].toString(), kClientSecret);
    QVERIFY(tiktok["redirect_uris"].toArray().contains(QJsonValue("http://127.0.0.1:*/callback/")));
    QCOMPARE(tiktok["authorize_url"].toString(),
             m_sandbox->url("/tiktok/v2/auth/authorize/").toString());
    QCOMPARE(tiktok["test_users"].toArray().size(), 6);
}

QTEST_GUILESS_MAIN(SandboxTikTokOAuthTest)
#include "tst_sandbox_tiktok_oauth.moc"
