#include "instagramtesthelpers.h"

using namespace huntaze::test;
using namespace igtest;

// Finding the Instagram account: /me/accounts with field expansion and pagination, the
// Page's instagram_business_account, the IG User node, and the seeded failure cases.
class SandboxInstagramAccountsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void endpointsDescribeTheAppAndTestUsers();
    void accountsListPagesWithLinkedBusinessAccounts_data();
    void accountsListPagesWithLinkedBusinessAccounts();
    void accountsPaginateWithCursorsAndNext();
    void pageNodeTellsTheLinkedAccount_data();
    void pageNodeTellsTheLinkedAccount();
    void igUserNodeAnswersProfileFields();
    void anotherUsersObjectsAreInvisible_data();
    void anotherUsersObjectsAreInvisible();
    void unknownFieldIsAnError();
    void everyGraphAnswerCarriesUsageHeaders();

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
};

void SandboxInstagramAccountsTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxInstagramAccountsTest::endpointsDescribeTheAppAndTestUsers() {
    const QJsonObject ig = m_sandbox->platform("instagram");
    QCOMPARE(ig["client_id"].toString(), kClientId);
    QCOMPARE(ig["client_secret"].toString(), kSecret);
    QVERIFY(ig["graph_url"].toString().endsWith("/instagram"));
    QVERIFY(ig["redirect_uris"].toArray().contains(
        QJsonValue("https://relay.huntaze.test/oauth/instagram/callback")));
    QCOMPARE(ig["test_users"].toArray().size(), 5);
}

void SandboxInstagramAccountsTest::accountsListPagesWithLinkedBusinessAccounts_data() {
    QTest::addColumn<QString>("user");
    QTest::addColumn<QStringList>("pages");
    QTest::addColumn<QStringList>("usernames"); // "" where the Page has no business account
    QTest::newRow("one page, linked")
        << "1000000000001" << QStringList{"2000000000001"} << QStringList{"alex.studio"};
    QTest::newRow("two pages, both linked")
        << "1000000000002" << QStringList{"2000000000002", "2000000000003"}
        << QStringList{"blair.makes", "blair.travels"};
    QTest::newRow("no page") << "1000000000003" << QStringList{} << QStringList{};
    QTest::newRow("page without linked account")
        << "1000000000004" << QStringList{"2000000000004"} << QStringList{""};
    QTest::newRow("page linked to a personal account")
        << "1000000000005" << QStringList{"2000000000005"} << QStringList{""};
}

void SandboxInstagramAccountsTest::accountsListPagesWithLinkedBusinessAccounts() {
    QFETCH(QString, user);
    QFETCH(QStringList, pages);
    QFETCH(QStringList, usernames);
    const Session s = login(m_http, *m_sandbox, user);
    const auto result =
        graphGet(m_http, *m_sandbox, "/me/accounts", s.longToken,
                 "fields=id,name,access_token,instagram_business_account{id,username}");
    QCOMPARE(result.status, 200);
    const QJsonArray data = result.json()["data"].toArray();
    QCOMPARE(data.size(), pages.size());
    for (int i = 0; i < data.size(); ++i) {
        const QJsonObject page = data[i].toObject();
        QCOMPARE(page["id"].toString(), pages[i]);
        QVERIFY(!page["name"].toString().isEmpty());
        QVERIFY(!page["access_token"].toString().isEmpty());
        if (usernames[i].isEmpty()) {
            QVERIFY(!page.contains("instagram_business_account"));
        } else {
            const QJsonObject ig = page["instagram_business_account"].toObject();
            QCOMPARE(ig["username"].toString(), usernames[i]);
            QVERIFY(ig["id"].toString().startsWith("1784"));
        }
    }
}

void SandboxInstagramAccountsTest::accountsPaginateWithCursorsAndNext() {
    const Session s = login(m_http, *m_sandbox, "1000000000002");
    const auto first = graphGet(m_http, *m_sandbox, "/me/accounts", s.longToken, "limit=1");
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json()["data"].toArray().size(), 1);
    const QJsonObject paging = first.json()["paging"].toObject();
    QVERIFY(!paging["cursors"].toObject()["after"].toString().isEmpty());
    const QString next = paging["next"].toString();
    QVERIFY(!next.isEmpty());
    const auto second = m_http.get(QUrl(next));
    QCOMPARE(second.status, 200);
    const QJsonArray data = second.json()["data"].toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0].toObject()["id"].toString(), QString("2000000000003"));
    QVERIFY(!second.json()["paging"].toObject().contains("next"));
    // Default fields: id, name, access_token, category, tasks.
    const QJsonObject page = first.json()["data"].toArray()[0].toObject();
    for (const char *field : {"id", "name", "access_token", "category", "tasks"})
        QVERIFY2(page.contains(field), field);
}

void SandboxInstagramAccountsTest::pageNodeTellsTheLinkedAccount_data() {
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("page");
    QTest::addColumn<QString>("igId");
    QTest::newRow("linked") << "1000000000001"
                            << "2000000000001" << kAlexIg;
    QTest::newRow("not linked") << "1000000000004"
                                << "2000000000004"
                                << "";
    QTest::newRow("personal account") << "1000000000005"
                                      << "2000000000005"
                                      << "";
}

void SandboxInstagramAccountsTest::pageNodeTellsTheLinkedAccount() {
    QFETCH(QString, user);
    QFETCH(QString, page);
    QFETCH(QString, igId);
    const Session s = login(m_http, *m_sandbox, user);
    for (const QString &token : {s.longToken, s.pageToken}) {
        const auto result =
            graphGet(m_http, *m_sandbox, "/" + page, token, "fields=instagram_business_account");
        QCOMPARE(result.status, 200);
        if (igId.isEmpty())
            QVERIFY(!result.json().contains("instagram_business_account"));
        else
            QCOMPARE(result.json()["instagram_business_account"].toObject()["id"].toString(), igId);
    }
}

void SandboxInstagramAccountsTest::igUserNodeAnswersProfileFields() {
    const Session s = login(m_http, *m_sandbox);
    const auto result = graphGet(m_http, *m_sandbox, "/" + kAlexIg, s.longToken,
                                 "fields=id,username,name,profile_picture_url,followers_count,"
                                 "follows_count,media_count,biography,website");
    QCOMPARE(result.status, 200);
    const QJsonObject o = result.json();
    QCOMPARE(o["id"].toString(), kAlexIg);
    QCOMPARE(o["username"].toString(), QString("alex.studio"));
    QVERIFY(o["followers_count"].toInt() > 0);
    QVERIFY(o.contains("media_count"));
    QVERIFY(o["website"].toString().startsWith("https://"));
    QVERIFY(o["profile_picture_url"].toString().startsWith("https://"));
}

void SandboxInstagramAccountsTest::anotherUsersObjectsAreInvisible_data() {
    QTest::addColumn<QString>("id");
    QTest::newRow("other page") << "2000000000002";
    QTest::newRow("other account") << "17841400000000002";
    QTest::newRow("personal account id") << "17841400000000005";
    QTest::newRow("nonexistent") << "999";
}

void SandboxInstagramAccountsTest::anotherUsersObjectsAreInvisible() {
    QFETCH(QString, id);
    const Session s = login(m_http, *m_sandbox);
    const auto result = graphGet(m_http, *m_sandbox, "/" + id, s.longToken, "fields=id");
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 100);
    QCOMPARE(error(result)["error_subcode"].toInt(), 33);
}

void SandboxInstagramAccountsTest::unknownFieldIsAnError() {
    const Session s = login(m_http, *m_sandbox);
    const auto result =
        graphGet(m_http, *m_sandbox, "/" + kAlexIg, s.longToken, "fields=id,shoe_size");
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 100);
    QVERIFY(error(result)["message"].toString().contains("shoe_size"));
}

void SandboxInstagramAccountsTest::everyGraphAnswerCarriesUsageHeaders() {
    const Session s = login(m_http, *m_sandbox);
    const auto ok = graphGet(m_http, *m_sandbox, "/" + kAlexIg, s.longToken);
    const auto fail = graphGet(m_http, *m_sandbox, "/" + kAlexIg, "EAAbroken");
    for (const auto &result : {ok, fail}) {
        const QJsonObject app = QJsonDocument::fromJson(result.header("X-App-Usage")).object();
        QVERIFY(app.contains("call_count"));
        QVERIFY(app.contains("total_cputime"));
        QVERIFY(app.contains("total_time"));
        const QJsonObject buc =
            QJsonDocument::fromJson(result.header("X-Business-Use-Case-Usage")).object();
        const QJsonObject entry = buc[kAlexIg].toArray().first().toObject();
        QCOMPARE(entry["type"].toString(), QString("instagram"));
        QVERIFY(entry.contains("estimated_time_to_regain_access"));
    }
}

QTEST_GUILESS_MAIN(SandboxInstagramAccountsTest)
#include "tst_sandbox_instagram_accounts.moc"
