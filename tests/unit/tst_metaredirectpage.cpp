#include "broker/metaredirectpage.h"

#include <QTest>
#include <QUrlQuery>

using huntaze::relay::MetaRedirectPage;

// The HTTPS redirect page must only ever forward to the desktop's own loopback
// listener, with exactly what Meta's dialog returned.
class MetaRedirectPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forwardsOnlyToLoopbackWithTheStatePort_data();
    void forwardsOnlyToLoopbackWithTheStatePort();
    void keepsErrorsAndDropsEverythingElse();
};

void MetaRedirectPageTest::forwardsOnlyToLoopbackWithTheStatePort_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("target");
    QTest::newRow("code and state")
        << "code=AQD1&state=abcdefghijklmnop.53682"
        << "http://127.0.0.1:53682/callback?code=AQD1&state=abcdefghijklmnop.53682";
    QTest::newRow("no port") << "code=AQD1&state=abcdefghijklmnop"
                             << "";
    QTest::newRow("privileged port") << "code=AQD1&state=abcdefghijklmnop.80"
                                     << "";
    QTest::newRow("port too large") << "code=AQD1&state=abcdefghijklmnop.99999"
                                    << "";
    QTest::newRow("short nonce") << "code=AQD1&state=abc.53682"
                                 << "";
    QTest::newRow("host smuggled in state") << "code=x&state=abcdefghijklmnop@evil.example.53682"
                                            << "";
    QTest::newRow("no state") << "code=AQD1"
                              << "";
}

void MetaRedirectPageTest::forwardsOnlyToLoopbackWithTheStatePort() {
    QFETCH(QString, query);
    QFETCH(QString, target);
    QCOMPARE(MetaRedirectPage::forwardTarget(QUrlQuery(query)).toString(), target);
}

void MetaRedirectPageTest::keepsErrorsAndDropsEverythingElse() {
    const QUrl target = MetaRedirectPage::forwardTarget(
        QUrlQuery("error=access_denied&error_reason=user_denied&error_description=Permissions+"
                  "error&state=abcdefghijklmnop.50000&next=https://evil.example"));
    const QUrlQuery forwarded(target.query());
    QCOMPARE(target.host(), QString("127.0.0.1"));
    QCOMPARE(forwarded.queryItemValue("error"), QString("access_denied"));
    QCOMPARE(forwarded.queryItemValue("error_reason"), QString("user_denied"));
    QVERIFY(!forwarded.hasQueryItem("next"));
}

QTEST_GUILESS_MAIN(MetaRedirectPageTest)
#include "tst_metaredirectpage.moc"
