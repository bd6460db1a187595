#include "instagramtesthelpers.h"
#include "webhookreceiver.h"

using namespace huntaze::test;
using namespace igtest;

// Facebook Login against the Instagram sandbox: the dialog, redirect rules, declined
// permissions, code exchange, long-lived and Page tokens, invalidation.
class SandboxInstagramOAuthTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void dialogServesAPageWithUsersAndScopes();
    void formDecisionRedirectsWithCodeAndState();
    void approvalRedirectsWithCodeAndState();
    void cancelRedirectsWithAccessDenied();
    void redirectRules_data();
    void redirectRules();
    void invalidDialogRequestsShowAnErrorPage_data();
    void invalidDialogRequestsShowAnErrorPage();
    void codeIsSingleUse();
    void codeExpiresAfterTenMinutes();
    void codeNeedsTheSameRedirectUri();
    void exchangeChecksTheAppCredentials_data();
    void exchangeChecksTheAppCredentials();
    void shortLivedTokenLastsHoursAndExchangesForLongLived();
    void expiredShortTokenCannotBeExchanged();
    void pageTokensFromLongLivedTokenDoNotExpire();
    void declinedPermissionAnswersThePermissionError_data();
    void declinedPermissionAnswersThePermissionError();
    void invalidatedTokenAnswers190WithSubcode_data();
    void invalidatedTokenAnswers190WithSubcode();
    void deauthorizationInvalidatesTokensAndSendsSignedRequest();
    void missingAndUnknownTokensAreRefused();
    void tokensSurviveARestart();

private:
    std::unique_ptr<WebhookReceiver> m_relay;
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
};

void SandboxInstagramOAuthTest::initTestCase() {
    m_relay = std::make_unique<WebhookReceiver>();
    m_sandbox = std::make_unique<SandboxProcess>(m_relay->url());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxInstagramOAuthTest::init() {
    QVERIFY(admin(m_http, *m_sandbox, "/app", {{"mode", "development"}}));
}

void SandboxInstagramOAuthTest::dialogServesAPageWithUsersAndScopes() {
    const auto page = m_http.get(dialogUrl(*m_sandbox, kLoopback, kAllScopes, {}));
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    QVERIFY(page.body.contains("value=\"1000000000001\""));
    QVERIFY(page.body.contains("name=\"grant\" value=\"instagram_content_publish\""));
    QVERIFY(page.body.contains("value=\"approve\""));
    QVERIFY(page.body.contains("value=\"deny\""));
}

void SandboxInstagramOAuthTest::formDecisionRedirectsWithCodeAndState() {
    QUrlQuery form;
    form.addQueryItem("client_id", kClientId);
    form.addQueryItem("redirect_uri", kLoopback);
    form.addQueryItem("state", "form-state");
    form.addQueryItem("response_type", "code");
    form.addQueryItem("scope", "instagram_basic,pages_show_list");
    form.addQueryItem("user", "1000000000002");
    form.addQueryItem("grant", "pages_show_list"); // instagram_basic unticked
    form.addQueryItem("decision", "approve");
    const auto result = m_http.postForm(m_sandbox->url(kGraph + "/dialog/oauth/decision"), form);
    QCOMPARE(result.status, 302);
    const QUrlQuery query = redirectQuery(result);
    QCOMPARE(query.queryItemValue("state"), QString("form-state"));
    const auto token = exchangeCode(m_http, *m_sandbox, query.queryItemValue("code"));
    QCOMPARE(token.status, 200);
    const QString user = token.json()["access_token"].toString();
    // instagram_basic was declined: the IG account is out of reach.
    const auto account = graphGet(m_http, *m_sandbox, "/17841400000000002", user, "fields=id");
    QCOMPARE(account.status, 400);
    QCOMPARE(error(account)["code"].toInt(), 10);
}

void SandboxInstagramOAuthTest::approvalRedirectsWithCodeAndState() {
    const auto result =
        m_http.get(dialogUrl(*m_sandbox, kLoopback, kAllScopes,
                             {{"sandbox_decision", "approve"}, {"sandbox_user", kAlex}}));
    QCOMPARE(result.status, 302);
    const QUrl location(QString::fromUtf8(result.header("Location")));
    QCOMPARE(location.host(), QString("localhost"));
    QCOMPARE(location.port(), 7777);
    QCOMPARE(location.path(), QString("/callback"));
    const QUrlQuery query(location);
    QVERIFY(!query.queryItemValue("code").isEmpty());
    QCOMPARE(query.queryItemValue("state"), QString("st-123"));
}

void SandboxInstagramOAuthTest::cancelRedirectsWithAccessDenied() {
    const auto result =
        m_http.get(dialogUrl(*m_sandbox, kLoopback, kAllScopes, {{"sandbox_decision", "deny"}}));
    QCOMPARE(result.status, 302);
    const QUrlQuery query = redirectQuery(result);
    QCOMPARE(query.queryItemValue("error"), QString("access_denied"));
    QCOMPARE(query.queryItemValue("error_reason"), QString("user_denied"));
    QVERIFY(!query.queryItemValue("error_description").isEmpty());
    QCOMPARE(query.queryItemValue("state"), QString("st-123"));
    QVERIFY(!query.hasQueryItem("code"));
}

void SandboxInstagramOAuthTest::redirectRules_data() {
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("dev: localhost any port") << "development"
                                             << "http://localhost:51234/cb" << true;
    QTest::newRow("dev: 127.0.0.1") << "development"
                                    << "http://127.0.0.1:8080/x" << true;
    QTest::newRow("dev: registered https")
        << "development"
        << "https://relay.huntaze.test/oauth/instagram/callback" << true;
    QTest::newRow("dev: unregistered https") << "development"
                                             << "https://evil.example/cb" << false;
    QTest::newRow("dev: https path differs")
        << "development"
        << "https://relay.huntaze.test/oauth/instagram/callback/x" << false;
    QTest::newRow("dev: http non-loopback") << "development"
                                            << "http://relay.huntaze.test/cb" << false;
    QTest::newRow("live: localhost rejected") << "live"
                                              << "http://localhost:51234/cb" << false;
    QTest::newRow("live: registered loopback rejected") << "live"
                                                        << "http://localhost/" << false;
    QTest::newRow("live: registered https")
        << "live"
        << "https://relay.huntaze.test/oauth/instagram/callback" << true;
}

void SandboxInstagramOAuthTest::redirectRules() {
    QFETCH(QString, mode);
    QFETCH(QString, redirect);
    QFETCH(bool, accepted);
    QVERIFY(admin(m_http, *m_sandbox, "/app", {{"mode", mode}}));
    const auto result =
        m_http.get(dialogUrl(*m_sandbox, redirect, kAllScopes,
                             {{"sandbox_decision", "approve"}, {"sandbox_user", kAlex}}));
    if (accepted) {
        QCOMPARE(result.status, 302);
        QVERIFY(QString::fromUtf8(result.header("Location")).startsWith(redirect));
    } else {
        QCOMPARE(result.status, 400);
        QVERIFY(result.body.contains("URL Blocked"));
        QVERIFY(result.header("Location").isEmpty());
    }
}

void SandboxInstagramOAuthTest::invalidDialogRequestsShowAnErrorPage_data() {
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown client") << "client_id"
                                    << "someone-else"
                                    << "Invalid App ID";
    QTest::newRow("unknown scope") << "scope"
                                   << "instagram_basic,publish_everything"
                                   << "Invalid Scopes";
    QTest::newRow("token flow") << "response_type"
                                << "token"
                                << "response_type";
}

void SandboxInstagramOAuthTest::invalidDialogRequestsShowAnErrorPage() {
    QFETCH(QString, parameter);
    QFETCH(QString, value);
    QFETCH(QString, message);
    QUrl url = dialogUrl(*m_sandbox, kLoopback, kAllScopes,
                         {{"sandbox_decision", "approve"}, {"sandbox_user", kAlex}});
    QUrlQuery query(url);
    query.removeQueryItem(parameter);
    query.addQueryItem(parameter, value);
    url.setQuery(query);
    const auto result = m_http.get(url);
    QCOMPARE(result.status, 400);
    QVERIFY2(result.body.contains(message.toUtf8()), result.body.constData());
}

void SandboxInstagramOAuthTest::codeIsSingleUse() {
    const QString code = authorize(m_http, *m_sandbox, kAlex);
    QCOMPARE(exchangeCode(m_http, *m_sandbox, code).status, 200);
    const auto again = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(again.status, 400);
    QCOMPARE(error(again)["code"].toInt(), 100);
    QCOMPARE(error(again)["error_subcode"].toInt(), 36009);
    QCOMPARE(error(again)["type"].toString(), QString("OAuthException"));
    QVERIFY(!error(again)["fbtrace_id"].toString().isEmpty());
}

void SandboxInstagramOAuthTest::codeExpiresAfterTenMinutes() {
    const QString code = authorize(m_http, *m_sandbox, kAlex);
    QVERIFY(advance(m_http, *m_sandbox, 11 * 60));
    const auto late = exchangeCode(m_http, *m_sandbox, code);
    QCOMPARE(late.status, 400);
    QCOMPARE(error(late)["error_subcode"].toInt(), 36007);
}

void SandboxInstagramOAuthTest::codeNeedsTheSameRedirectUri() {
    const QString code = authorize(m_http, *m_sandbox, kAlex);
    const auto wrong = exchangeCode(m_http, *m_sandbox, code, "http://localhost:9999/other");
    QCOMPARE(wrong.status, 400);
    QCOMPARE(error(wrong)["error_subcode"].toInt(), 36008);
}

void SandboxInstagramOAuthTest::exchangeChecksTheAppCredentials_data() {
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<int>("code");
    QTest::newRow("wrong secret") << kClientId << "nope" << 1;
    QTest::newRow("wrong client") << "other-app" << kSecret << 101;
}

void SandboxInstagramOAuthTest::exchangeChecksTheAppCredentials() {
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(int, code);
    const QString authCode = authorize(m_http, *m_sandbox, kAlex);
    QUrl url = m_sandbox->url(kGraph + "/oauth/access_token");
    QUrlQuery q;
    q.addQueryItem("client_id", clientId);
    q.addQueryItem("client_secret", secret);
    q.addQueryItem("redirect_uri", kLoopback);
    q.addQueryItem("code", authCode);
    url.setQuery(q);
    const auto result = m_http.get(url);
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), code);
}

void SandboxInstagramOAuthTest::shortLivedTokenLastsHoursAndExchangesForLongLived() {
    const auto shortToken = exchangeCode(m_http, *m_sandbox, authorize(m_http, *m_sandbox, kAlex));
    QCOMPARE(shortToken.status, 200);
    QCOMPARE(shortToken.json()["token_type"].toString(), QString("bearer"));
    const double shortLife = shortToken.json()["expires_in"].toDouble();
    QVERIFY(shortLife >= 3600 && shortLife <= 24 * 3600);
    const auto longToken =
        exchangeLong(m_http, *m_sandbox, shortToken.json()["access_token"].toString());
    QCOMPARE(longToken.status, 200);
    QCOMPARE(longToken.json()["expires_in"].toDouble(), 5184000.0);
    QCOMPARE(longToken.json()["token_type"].toString(), QString("bearer"));
    const auto me =
        graphGet(m_http, *m_sandbox, "/me", longToken.json()["access_token"].toString());
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json()["id"].toString(), kAlex);
}

void SandboxInstagramOAuthTest::expiredShortTokenCannotBeExchanged() {
    const QString token = exchangeCode(m_http, *m_sandbox, authorize(m_http, *m_sandbox, kAlex))
                              .json()["access_token"]
                              .toString();
    QVERIFY(advance(m_http, *m_sandbox, 3 * 3600));
    const auto result = exchangeLong(m_http, *m_sandbox, token);
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 190);
    QCOMPARE(error(result)["error_subcode"].toInt(), 463);
    const auto me = graphGet(m_http, *m_sandbox, "/me", token);
    QCOMPARE(error(me)["error_subcode"].toInt(), 463);
}

void SandboxInstagramOAuthTest::pageTokensFromLongLivedTokenDoNotExpire() {
    const Session s = login(m_http, *m_sandbox);
    QVERIFY(!s.pageToken.isEmpty());
    QVERIFY(advance(m_http, *m_sandbox, 61 * 86400));
    const auto user = graphGet(m_http, *m_sandbox, "/me", s.longToken);
    QCOMPARE(user.status, 400);
    QCOMPARE(error(user)["error_subcode"].toInt(), 463);
    const auto page = graphGet(m_http, *m_sandbox, "/" + kAlexPage, s.pageToken,
                               "fields=id,instagram_business_account");
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json()["instagram_business_account"].toObject()["id"].toString(), kAlexIg);
}

void SandboxInstagramOAuthTest::declinedPermissionAnswersThePermissionError_data() {
    QTest::addColumn<QString>("declined");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("code");
    QTest::newRow("pages_show_list") << "pages_show_list"
                                     << "GET"
                                     << "/me/accounts"
                                     << "" << 200;
    QTest::newRow("instagram_basic") << "instagram_basic"
                                     << "GET"
                                     << "/" + kAlexIg << "fields=id,username" << 10;
    QTest::newRow("instagram_content_publish") << "instagram_content_publish"
                                               << "POST"
                                               << "/" + kAlexIg + "/media"
                                               << "image_url=https://cdn.example.com/a.jpg" << 10;
    QTest::newRow("instagram_content_publish (quota)")
        << "instagram_content_publish"
        << "GET"
        << "/" + kAlexIg + "/content_publishing_limit"
        << "" << 10;
}

void SandboxInstagramOAuthTest::declinedPermissionAnswersThePermissionError() {
    QFETCH(QString, declined);
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(int, code);
    QStringList granted = kAllScopes;
    granted.removeAll(declined);
    const QString code0 = authorize(m_http, *m_sandbox, kAlex, granted);
    const QString token = exchangeCode(m_http, *m_sandbox, code0).json()["access_token"].toString();
    QVERIFY(!token.isEmpty());
    const auto result = method == "GET"
                            ? graphGet(m_http, *m_sandbox, path, token, query)
                            : graphPost(m_http, *m_sandbox, path, token, QUrlQuery(query));
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), code);
    QVERIFY(error(result)["message"].toString().contains(declined));
}

void SandboxInstagramOAuthTest::invalidatedTokenAnswers190WithSubcode_data() {
    QTest::addColumn<int>("subcode");
    for (int subcode : {458, 459, 460, 463, 464, 467, 492})
        QTest::newRow(qPrintable(QString::number(subcode))) << subcode;
}

void SandboxInstagramOAuthTest::invalidatedTokenAnswers190WithSubcode() {
    QFETCH(int, subcode);
    const Session s = login(m_http, *m_sandbox);
    QCOMPARE(graphGet(m_http, *m_sandbox, "/me", s.longToken).status, 200);
    QVERIFY(admin(m_http, *m_sandbox, "/tokens/invalidate",
                  {{"token", s.longToken}, {"subcode", subcode}}));
    const auto result = graphGet(m_http, *m_sandbox, "/me", s.longToken);
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 190);
    QCOMPARE(error(result)["error_subcode"].toInt(), subcode);
    QVERIFY(result.header("WWW-Authenticate").contains("invalid_token"));
}

void SandboxInstagramOAuthTest::deauthorizationInvalidatesTokensAndSendsSignedRequest() {
    m_relay->clear();
    const Session s = login(m_http, *m_sandbox, "1000000000004");
    QVERIFY(admin(m_http, *m_sandbox, "/deauthorize", {{"user_id", "1000000000004"}}));
    const auto result = graphGet(m_http, *m_sandbox, "/me", s.longToken);
    QCOMPARE(error(result)["code"].toInt(), 190);
    QCOMPARE(error(result)["error_subcode"].toInt(), 458);
    QVERIFY(m_relay->waitFor(1));
    const auto &request = m_relay->received().last();
    QCOMPARE(request.path, QString("/webhooks/instagram/deauthorize"));
    QVERIFY(request.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    const QString signedRequest = QUrlQuery(QString::fromUtf8(request.body))
                                      .queryItemValue("signed_request", QUrl::FullyDecoded);
    const QStringList parts = signedRequest.split('.');
    QCOMPARE(parts.size(), 2);
    const QByteArray expected =
        QMessageAuthenticationCode::hash(parts[1].toUtf8(), kSecret.toUtf8(),
                                         QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(parts[0].toUtf8(), expected);
    const QJsonObject payload =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(parts[1].toUtf8(), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(payload["user_id"].toString(), QString("1000000000004"));
    QCOMPARE(payload["algorithm"].toString(), QString("HMAC-SHA256"));
}

void SandboxInstagramOAuthTest::missingAndUnknownTokensAreRefused() {
    const auto missing = graphGet(m_http, *m_sandbox, "/me/accounts", {});
    QCOMPARE(missing.status, 400);
    QCOMPARE(error(missing)["code"].toInt(), 104);
    const auto unknown = graphGet(m_http, *m_sandbox, "/me/accounts", "EAAnotatoken");
    QCOMPARE(unknown.status, 400);
    QCOMPARE(error(unknown)["code"].toInt(), 190);
    // The Authorization header works as well as access_token.
    const Session s = login(m_http, *m_sandbox);
    const auto bearer = m_http.get(m_sandbox->url(kGraph + "/me"),
                                   {{"Authorization", "Bearer " + s.longToken.toUtf8()}});
    QCOMPARE(bearer.status, 200);
}

void SandboxInstagramOAuthTest::tokensSurviveARestart() {
    const Session s = login(m_http, *m_sandbox);
    QTest::qWait(1500); // the state store flushes shortly after a change
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    QCOMPARE(graphGet(m_http, *m_sandbox, "/me", s.longToken).status, 200);
    QCOMPARE(graphGet(m_http, *m_sandbox, "/" + kAlexPage, s.pageToken).status, 200);
}

QTEST_GUILESS_MAIN(SandboxInstagramOAuthTest)
#include "tst_sandbox_instagram_oauth.moc"
