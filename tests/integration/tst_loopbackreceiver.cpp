#include "httpclient.h"
#include "oauth/loopbackreceiver.h"
#include "oauth/pkce.h"
#include "sandboxprocess.h"

#include <QSignalSpy>
#include <QTest>

using namespace huntaze;
using namespace huntaze::oauth;
using namespace huntaze::test;

// The desktop's end of the OAuth redirect, driven the way a browser drives it, and
// against the sandbox's TikTok authorization page.
class LoopbackReceiverTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pkceMatchesTheRfcVectorAndTikTokHex();
    void validCallbackDeliversTheCodeAndTellsTheBrowser();
    void staleStateIsRefusedAndTheWaitGoesOn();
    void denialBecomesAnActionableMessage();
    void timeoutAndCancelEndTheWait();
    void tiktokSandboxRedirectReachesTheListener_data();
    void tiktokSandboxRedirectReachesTheListener();

private:
    HttpClient m_http;
};

void LoopbackReceiverTest::pkceMatchesTheRfcVectorAndTikTokHex() {
    // RFC 7636 appendix B.
    QCOMPARE(Pkce::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                Pkce::Encoding::Base64Url),
             QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    const Pkce hex = Pkce::generate(Pkce::Encoding::Hex);
    QCOMPARE(hex.verifier.size(), 64);
    QVERIFY(QRegularExpression("^[A-Za-z0-9._~-]{43,128}$")
                .match(QString::fromLatin1(hex.verifier))
                .hasMatch());
    QCOMPARE(hex.challenge.size(), 64);
    QCOMPARE(hex.challenge, hex.challenge.toLower());
    QVERIFY(Pkce::generate(Pkce::Encoding::Hex).verifier != hex.verifier);
    QVERIFY(randomState() != randomState());
}

void LoopbackReceiverTest::validCallbackDeliversTheCodeAndTellsTheBrowser() {
    LoopbackReceiver receiver("/callback/", "state-123");
    QString error;
    QVERIFY2(receiver.listen(0, &error), qPrintable(error));
    QVERIFY(receiver.redirectUri().startsWith("http://127.0.0.1:"));
    QSignalSpy received(&receiver, &LoopbackReceiver::received);
    const auto page = m_http.get(QUrl(
        receiver.redirectUri() + "?code=abc&scopes=user.info.basic,video.upload&state=state-123"));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("Connected"));
    QVERIFY(received.wait(5000) || received.count() == 1);
    const auto callback = received.first().first().value<LoopbackReceiver::Callback>();
    QCOMPARE(callback.code, QString("abc"));
    QCOMPARE(callback.grantedScopes, QString("user.info.basic,video.upload"));
    // One callback only.
    QCOMPARE(m_http.get(QUrl(receiver.redirectUri() + "?code=again&state=state-123")).status, 410);
}

void LoopbackReceiverTest::staleStateIsRefusedAndTheWaitGoesOn() {
    LoopbackReceiver receiver("/callback/", "fresh-state");
    QString error;
    QVERIFY(receiver.listen(0, &error));
    QSignalSpy stale(&receiver, &LoopbackReceiver::staleCallbackRefused);
    QSignalSpy received(&receiver, &LoopbackReceiver::received);
    const auto old = m_http.get(QUrl(receiver.redirectUri() + "?code=x&state=old-state"));
    QCOMPARE(old.status, 400);
    QVERIFY(old.body.contains("out of date"));
    QCOMPARE(stale.count(), 1);
    QCOMPARE(m_http.get(QUrl(receiver.redirectUri() + "?code=good&state=fresh-state")).status, 200);
    QTRY_COMPARE(received.count(), 1);
}

void LoopbackReceiverTest::denialBecomesAnActionableMessage() {
    LoopbackReceiver receiver("/callback/", "s");
    QString error;
    QVERIFY(receiver.listen(0, &error));
    QSignalSpy failed(&receiver, &LoopbackReceiver::failed);
    const auto page = m_http.get(QUrl(
        receiver.redirectUri() + "?error=access_denied&error_description=User%20denied&state=s"));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("declined"));
    QTRY_COMPARE(failed.count(), 1);
    const auto reported = failed.first().first().value<Error>();
    QCOMPARE(reported.code, QString("access_denied"));
    QVERIFY(reported.message.contains("try again"));
}

void LoopbackReceiverTest::timeoutAndCancelEndTheWait() {
    LoopbackReceiver timed("/callback", "s");
    QString error;
    QVERIFY(timed.listen(0, &error));
    QSignalSpy timedOut(&timed, &LoopbackReceiver::failed);
    timed.startTimeout(100);
    QTRY_COMPARE(timedOut.count(), 1);
    QCOMPARE(timedOut.first().first().value<Error>().code, QString("timeout"));

    LoopbackReceiver cancelled("/callback", "s");
    QVERIFY(cancelled.listen(0, &error));
    QSignalSpy failed(&cancelled, &LoopbackReceiver::failed);
    cancelled.cancel();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().first().value<Error>().code, QString("cancelled"));
}

void LoopbackReceiverTest::tiktokSandboxRedirectReachesTheListener_data() {
    QTest::addColumn<QString>("decision");
    QTest::newRow("approve") << "approve";
    QTest::newRow("deny") << "deny";
}

void LoopbackReceiverTest::tiktokSandboxRedirectReachesTheListener() {
    QFETCH(QString, decision);
    SandboxProcess sandbox;
    QVERIFY(sandbox.isRunning());
    const Pkce pkce = Pkce::generate(Pkce::Encoding::Hex);
    const QByteArray state = randomState();
    LoopbackReceiver receiver("/callback/", state);
    QString error;
    QVERIFY(receiver.listen(0, &error));
    QSignalSpy received(&receiver, &LoopbackReceiver::received);
    QSignalSpy failed(&receiver, &LoopbackReceiver::failed);
    QUrl authorize = sandbox.url("/tiktok/v2/auth/authorize/");
    authorize.setQuery(QUrlQuery{{"client_key", "sbx-tiktok-client"},
                                 {"response_type", "code"},
                                 {"scope", "user.info.basic,video.upload"},
                                 {"redirect_uri", receiver.redirectUri()},
                                 {"state", QString::fromLatin1(state)},
                                 {"code_challenge", QString::fromLatin1(pkce.challenge)},
                                 {"code_challenge_method", "S256"},
                                 {"sandbox_decision", decision},
                                 {"sandbox_user", "tt-alice"}});
    const auto redirect = m_http.get(authorize);
    QCOMPARE(redirect.status, 302);
    // The browser follows the redirect to the loopback listener (any port: TikTok's wildcard).
    const auto landing = m_http.get(QUrl(QString::fromUtf8(redirect.header("Location"))));
    QCOMPARE(landing.status, 200);
    if (decision == "approve") {
        QTRY_COMPARE(received.count(), 1);
        QVERIFY(!received.first().first().value<LoopbackReceiver::Callback>().code.isEmpty());
    } else {
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().value<Error>().code, QString("access_denied"));
    }
}

QTEST_GUILESS_MAIN(LoopbackReceiverTest)
#include "tst_loopbackreceiver.moc"
