#include "httpclient.h"
#include "net/relayclient.h"
#include "oauth/connectflow.h"
#include "publishingstack.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace huntaze;
using namespace huntaze::test;

namespace {
// The address registered in the sandbox's Meta app, as an operator registers the relay's
// public HTTPS page; this test's "browser" reaches it at the relay's real address (the
// reverse proxy's job in production).
const QString kPublicPage = QStringLiteral("https://relay.huntaze.test/oauth/meta/callback");
} // namespace

// Connecting Instagram when the Meta app is live: Meta refuses loopback redirects, so the
// dialog sends the creator to the relay's HTTPS page, which forwards code and state to
// the desktop's listener; the exchange uses the same redirect URI and the account is
// connected. In development mode the loopback listener is used directly (tst_connectflow).
class MetaLiveRedirectTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void liveAppConnectsThroughTheRelaysPage();
    void liveAppRefusesALoopbackRedirect();

private:
    // Follows what a browser would, from the dialog to the desktop's listener; returns
    // the addresses visited.
    QList<QUrl> browse(const QUrl &dialog, bool throughRelay);
    PublishingStack m_stack;
    HttpClient m_http;
};

void MetaLiveRedirectTest::initTestCase() {
    QVERIFY2(m_stack.start({{"INSTAGRAM_REDIRECT_URI", kPublicPage}}),
             qPrintable(m_stack.errorString()));
    QCOMPARE(m_stack.platforms().value("instagram").toObject().value("redirect_uri").toString(),
             kPublicPage);
    const auto live =
        m_http.postJson(m_stack.sandbox().url("/_admin/instagram/app"),
                        {{"mode", "live"}, {"redirect_uris", QJsonArray{kPublicPage}}});
    QVERIFY2(live.status == 200, live.body.constData());
}

QList<QUrl> MetaLiveRedirectTest::browse(const QUrl &dialog, bool throughRelay) {
    QList<QUrl> visited{dialog};
    QUrl page = dialog;
    QUrlQuery query(page);
    query.addQueryItem("sandbox_decision", "approve");
    query.addQueryItem("sandbox_user", "1000000000001");
    page.setQuery(query);
    HttpClient browser;
    QUrl next = QUrl(QString::fromUtf8(browser.get(page).header("Location")));
    for (int hops = 0; hops < 3 && next.isValid() && !next.isEmpty(); ++hops) {
        visited << next;
        if (throughRelay && next.host() == QLatin1String("relay.huntaze.test")) {
            QUrl relay = m_stack.relayUrl();
            relay.setPath(next.path());
            relay.setQuery(next.query());
            next = relay;
        }
        const auto answer = browser.get(next);
        next = QUrl(QString::fromUtf8(answer.header("Location")));
    }
    return visited;
}

void MetaLiveRedirectTest::liveAppConnectsThroughTheRelaysPage() {
    net::RelayClient relay(m_stack.relayUrl());
    relay.setCredential(m_stack.credential());
    const QJsonObject entry = m_stack.platforms()["instagram"].toObject();
    QList<QUrl> visited;
    oauth::ConnectFlow flow(relay,
                            {"instagram", entry["client_id"].toString(),
                             QUrl(entry["authorize_url"].toString()), 0,
                             QUrl(entry["redirect_uri"].toString())},
                            [&](const QUrl &url) {
                                QTimer::singleShot(0, [&, url] { visited = browse(url, true); });
                                return true;
                            });
    QSignalSpy connected(&flow, &oauth::ConnectFlow::connected);
    QSignalSpy failed(&flow, &oauth::ConnectFlow::failed);
    flow.start(30000);
    QTRY_VERIFY_WITH_TIMEOUT(connected.count() + failed.count() > 0, 30000);
    QVERIFY2(
        failed.isEmpty(),
        qPrintable(failed.isEmpty() ? QString() : failed.first().first().value<Error>().message));

    // The dialog and the exchange used the relay's page; the state carried the port.
    const QUrlQuery dialog(flow.authorizationUrl());
    QCOMPARE(dialog.queryItemValue("redirect_uri", QUrl::FullyDecoded), kPublicPage);
    QVERIFY(dialog.queryItemValue("state").contains('.'));
    QVERIFY(visited.size() >= 3);
    QCOMPARE(visited.at(1).toString(QUrl::RemoveQuery | QUrl::RemoveFragment), kPublicPage);
    QCOMPARE(visited.at(2).host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(visited.at(2).path(), QStringLiteral("/callback"));
    const QJsonObject account = connected.first().first().toJsonObject();
    QCOMPARE(account["provider"].toString(), QStringLiteral("instagram"));
    QCOMPARE(account["instagram"]["selected"].toArray().first().toString(),
             QStringLiteral("17841400000000001"));
}

void MetaLiveRedirectTest::liveAppRefusesALoopbackRedirect() {
    // Without the relay's page a live app turns the loopback redirect away: the flow
    // fails with the platform's message rather than hanging.
    net::RelayClient relay(m_stack.relayUrl());
    relay.setCredential(m_stack.credential());
    const QJsonObject entry = m_stack.platforms()["instagram"].toObject();
    HttpClient browser;
    int dialogStatus = 0;
    oauth::ConnectFlow flow(relay,
                            {"instagram", entry["client_id"].toString(),
                             QUrl(entry["authorize_url"].toString()), 0, QUrl()},
                            [&](const QUrl &url) {
                                QUrl page = url;
                                QUrlQuery query(page);
                                query.addQueryItem("sandbox_decision", "approve");
                                query.addQueryItem("sandbox_user", "1000000000001");
                                page.setQuery(query);
                                dialogStatus = browser.get(page).status;
                                return true;
                            });
    flow.start(3000);
    QTRY_VERIFY_WITH_TIMEOUT(dialogStatus != 0, 10000);
    QVERIFY2(dialogStatus >= 400, qPrintable(QString::number(dialogStatus)));
    QCOMPARE(QUrlQuery(flow.authorizationUrl())
                 .queryItemValue("redirect_uri", QUrl::FullyDecoded)
                 .startsWith("http://127.0.0.1:"),
             true);
}

QTEST_GUILESS_MAIN(MetaLiveRedirectTest)
#include "tst_metaliveredirect.moc"
