#include "childprocess.h"
#include "httpclient.h"
#include "publishingstack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

namespace {
const QString kAlex = "1000000000001";
const QString kBlair = "1000000000002";
const QString kCasey = "1000000000003";
const QString kDana = "1000000000004";
const QString kEli = "1000000000005";
const QString kAlexPage = "2000000000001";
const QString kAlexIg = "17841400000000001";
const QString kBlairMakes = "17841400000000002";
const QString kBlairTravels = "17841400000000003";

QStringList allBut(const QString &declined) {
    QStringList scopes = PublishingStack::allInstagramScopes();
    scopes.removeAll(declined);
    return scopes;
}
} // namespace

// Connecting Instagram finds the professional accounts behind a Facebook login, over
// real HTTP against the sandbox, through a real relay and PostgreSQL: a lone account is
// connected at once (Page token sealed, Page subscribed to webhooks), several wait for
// the creator's choice, and every dead end (no Page, nothing linked, a personal account,
// a declined permission) comes back with its own code and a message that says what to do.
class InstagramAccountsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void platformDirectoryPinsTheGraphVersion();
    void loneAccountIsSelectedSealedAndSubscribed();
    void twoAccountsWaitForTheCreatorsChoice();
    void choiceOutsideTheCandidatesIsRefused();
    void choosingAgainReplacesTheChoice();
    void loginWithoutAPageSaysToCreateOne();
    void pageWithoutALinkedAccountSaysToLinkIt();
    void personalAccountLooksUnlinkedAndGetsTheSameAdvice();
    void declinedPermissionsAreNamed_data();
    void declinedPermissionsAreNamed();
    void declinedPublishingConnectsReadOnlyWithAWarning();
    void declinedPageMetadataConnectsWithoutWebhooks();
    void checkAgainSeesWhatChangedWithoutANewLogin();
    void routesRefuseOtherLoginsAndStrangers();
    void keyRotationResealsPageTokens();

private:
    HttpResult relayGet(const QString &pathAndQuery);
    HttpResult relayPost(const QString &path, const QJsonObject &body);
    QJsonObject connect(const QString &user,
                        const QStringList &scopes = PublishingStack::allInstagramScopes());
    QStringList sandboxTokens(const QString &kind, const QString &pageOrUser);
    QString column(const QString &igId, const QString &column);
    qint64 scalar(const QString &sql) { return m_stack.scalar(sql); }

    PublishingStack m_stack;
    HttpClient m_http;
    qint64 m_blairAccount = 0;
};

void InstagramAccountsTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
}

HttpResult InstagramAccountsTest::relayGet(const QString &pathAndQuery) {
    return m_http.get(QUrl(m_stack.relayUrl().toString() + pathAndQuery),
                      {{"Authorization", "Bearer " + m_stack.credential()}});
}

HttpResult InstagramAccountsTest::relayPost(const QString &path, const QJsonObject &body) {
    return m_http.postJson(QUrl(m_stack.relayUrl().toString() + path), body,
                           {{"Authorization", "Bearer " + m_stack.credential()}});
}

QJsonObject InstagramAccountsTest::connect(const QString &user, const QStringList &scopes) {
    const auto answer = m_stack.connectInstagram(user, scopes);
    if (!answer)
        qWarning("connect failed: %s", qPrintable(m_stack.errorString()));
    return answer.value_or(QJsonObject());
}

// Tokens the sandbox issued: kind "page" for a Page id, "user_long" for a user id.
QStringList InstagramAccountsTest::sandboxTokens(const QString &kind, const QString &owner) {
    QStringList out;
    const QJsonArray tokens =
        m_http.get(m_stack.sandbox().url("/_admin/instagram/tokens")).document().array();
    for (const QJsonValue &value : tokens) {
        const QJsonObject token = value.toObject();
        if (token["kind"].toString() == kind &&
            (token["page_id"].toString() == owner || token["user_id"].toString() == owner))
            out.append(token["token"].toString());
    }
    return out;
}

QString InstagramAccountsTest::column(const QString &igId, const QString &column) {
    auto rows = m_stack.sql().exec(
        "SELECT " + column + "::text FROM instagram_accounts WHERE ig_business_id = $1", {igId});
    return rows && rows->rows() ? rows->text(0, 0) : QStringLiteral("<none>");
}

void InstagramAccountsTest::platformDirectoryPinsTheGraphVersion() {
    const QJsonObject instagram = m_stack.platforms()["instagram"].toObject();
    QCOMPARE(instagram["graph_version"].toString(), QStringLiteral("v25.0"));
    QVERIFY(instagram["authorize_url"].toString().endsWith("/v25.0/dialog/oauth"));
}

void InstagramAccountsTest::loneAccountIsSelectedSealedAndSubscribed() {
    const QJsonObject alex = connect(kAlex);
    QVERIFY(alex.contains("account_id"));
    const QJsonObject instagram = alex["instagram"].toObject();
    QVERIFY2(!instagram.contains("problem"), QJsonDocument(instagram).toJson().constData());
    QCOMPARE(instagram["warnings"].toArray().size(), 0);
    const QJsonArray candidates = instagram["candidates"].toArray();
    QCOMPARE(candidates.size(), 1);
    const QJsonObject candidate = candidates.first().toObject();
    QCOMPARE(candidate["ig_business_id"].toString(), kAlexIg);
    QCOMPARE(candidate["page_id"].toString(), kAlexPage);
    QCOMPARE(candidate["page_name"].toString(), QStringLiteral("Alex Studio"));
    QCOMPARE(candidate["username"].toString(), QStringLiteral("alex.studio"));
    QCOMPARE(candidate["access_level"].toString(), QStringLiteral("publish"));
    QVERIFY(candidate["profile_picture_url"].toString().startsWith("https://"));
    QVERIFY(!candidate.contains("access_token"));
    QCOMPARE(instagram["selected"].toArray(), QJsonArray{kAlexIg});

    // Stored for this login, the Page token sealed under the active key, never in clear.
    QCOMPARE(column(kAlexIg, "account_id"), QString::number(alex["account_id"].toInteger()));
    QCOMPARE(column(kAlexIg, "username"), QStringLiteral("alex.studio"));
    QCOMPARE(column(kAlexIg, "page_name"), QStringLiteral("Alex Studio"));
    QCOMPARE(column(kAlexIg, "access_level"), QStringLiteral("publish"));
    QCOMPARE(column(kAlexIg, "webhooks_subscribed"), QStringLiteral("true"));
    QVERIFY(column(kAlexIg, "key_id") != QStringLiteral("<none>") &&
            !column(kAlexIg, "key_id").isEmpty());
    QVERIFY(scalar("SELECT length(page_token_sealed) FROM instagram_accounts WHERE "
                   "ig_business_id = '17841400000000001'") > 28);
    const QStringList pageTokens = sandboxTokens("page", kAlexPage);
    QVERIFY(!pageTokens.isEmpty());
    for (const QString &token : pageTokens) {
        auto leaked = m_stack.sql().exec(
            "SELECT count(*) FROM instagram_accounts WHERE position(convert_to($1, 'UTF8') IN "
            "page_token_sealed) > 0 OR row_to_json(instagram_accounts)::text LIKE '%' || $1 || "
            "'%'",
            {token});
        QVERIFY(leaked);
        QCOMPARE(leaked->int64(0, 0), 0);
    }

    // The Page is subscribed at Meta (the sandbox) to the fields Huntaze follows.
    const auto subscriptions = m_http.get(m_stack.sandbox().url(
        "/instagram/v25.0/" + kAlexPage + "/subscribed_apps?access_token=" + pageTokens.first()));
    QCOMPARE(subscriptions.status, 200);
    const QJsonArray fields =
        subscriptions.json()["data"].toArray().first().toObject()["subscribed_fields"].toArray();
    QCOMPARE(fields, (QJsonArray{"comments", "mentions", "story_insights"}));
    QVERIFY(scalar("SELECT count(*) FROM audit_log WHERE event = 'instagram.select' AND outcome "
                   "= 'ok' AND subject = '17841400000000001'") >= 1);
}

void InstagramAccountsTest::twoAccountsWaitForTheCreatorsChoice() {
    const QJsonObject blair = connect(kBlair);
    m_blairAccount = blair["account_id"].toInteger();
    QVERIFY(m_blairAccount > 0);
    const QJsonObject instagram = blair["instagram"].toObject();
    QVERIFY(!instagram.contains("problem"));
    QStringList ids;
    for (const QJsonValue &candidate : instagram["candidates"].toArray())
        ids.append(candidate.toObject()["ig_business_id"].toString());
    ids.sort();
    QCOMPARE(ids, (QStringList{kBlairMakes, kBlairTravels}));
    QCOMPARE(instagram["selected"].toArray().size(), 0);
    QCOMPARE(scalar(QString("SELECT count(*) FROM instagram_accounts WHERE account_id = %1")
                        .arg(m_blairAccount)),
             0);

    const auto chosen =
        relayPost("/v1/instagram/accounts/select",
                  {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{kBlairTravels}}});
    QCOMPARE(chosen.status, 200);
    QCOMPARE(chosen.json()["selected"].toArray(), QJsonArray{kBlairTravels});
    QCOMPARE(chosen.json()["candidates"].toArray().size(), 2);
    QCOMPARE(column(kBlairTravels, "page_id"), QStringLiteral("2000000000003"));
    QCOMPARE(column(kBlairTravels, "page_name"), QStringLiteral("Blair Travels"));
    QCOMPARE(column(kBlairTravels, "username"), QStringLiteral("blair.travels"));
    QCOMPARE(column(kBlairTravels, "webhooks_subscribed"), QStringLiteral("true"));
    QCOMPARE(column(kBlairMakes, "id"), QStringLiteral("<none>"));
    for (const QString &token : sandboxTokens("page", "2000000000003")) {
        auto leaked = m_stack.sql().exec(
            "SELECT count(*) FROM instagram_accounts WHERE position(convert_to($1, 'UTF8') IN "
            "page_token_sealed) > 0",
            {token});
        QVERIFY(leaked);
        QCOMPARE(leaked->int64(0, 0), 0);
    }
    QVERIFY(scalar("SELECT length(page_token_sealed) FROM instagram_accounts WHERE "
                   "ig_business_id = '17841400000000003'") > 28);

    // Checking again keeps the choice.
    const auto again =
        relayGet("/v1/instagram/accounts?account_id=" + QString::number(m_blairAccount));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json()["selected"].toArray(), QJsonArray{kBlairTravels});
}

void InstagramAccountsTest::choiceOutsideTheCandidatesIsRefused() {
    // Alex's account is real, but not one this login reaches.
    const auto refused = relayPost(
        "/v1/instagram/accounts/select",
        {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{kBlairMakes, kAlexIg}}});
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.json()["error"].toString(), QStringLiteral("not_a_candidate"));
    QVERIFY(refused.json()["message"].toString().contains(kAlexIg));
    // Nothing changed: Alex's row is still Alex's, Blair's choice still stands.
    QCOMPARE(
        column(kAlexIg, "account_id"),
        QString::number(scalar("SELECT id FROM oauth_accounts WHERE open_id = '" + kAlex + "'")));
    QCOMPARE(column(kBlairMakes, "id"), QStringLiteral("<none>"));
    QCOMPARE(column(kBlairTravels, "username"), QStringLiteral("blair.travels"));
    QVERIFY(scalar("SELECT count(*) FROM audit_log WHERE event = 'instagram.select' AND outcome "
                   "= 'refused'") >= 1);

    const auto malformed = relayPost(
        "/v1/instagram/accounts/select",
        {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{QString(65, '1')}}});
    QCOMPARE(malformed.status, 400);
    const auto empty =
        relayPost("/v1/instagram/accounts/select",
                  {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{}}});
    QCOMPARE(empty.status, 400);
}

void InstagramAccountsTest::choosingAgainReplacesTheChoice() {
    const auto both = relayPost("/v1/instagram/accounts/select",
                                {{"account_id", m_blairAccount},
                                 {"ig_business_ids", QJsonArray{kBlairMakes, kBlairTravels}}});
    QCOMPARE(both.status, 200);
    QCOMPARE(scalar(QString("SELECT count(*) FROM instagram_accounts WHERE account_id = %1")
                        .arg(m_blairAccount)),
             2);
    const auto one =
        relayPost("/v1/instagram/accounts/select",
                  {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{kBlairMakes}}});
    QCOMPARE(one.status, 200);
    QCOMPARE(column(kBlairMakes, "username"), QStringLiteral("blair.makes"));
    QCOMPARE(column(kBlairTravels, "id"), QStringLiteral("<none>"));
}

void InstagramAccountsTest::loginWithoutAPageSaysToCreateOne() {
    const QJsonObject casey = connect(kCasey);
    QVERIFY(casey["account_id"].toInteger() > 0); // the login itself is kept
    const QJsonObject instagram = casey["instagram"].toObject();
    QCOMPARE(instagram["candidates"].toArray().size(), 0);
    QCOMPARE(instagram["selected"].toArray().size(), 0);
    const QJsonObject problem = instagram["problem"].toObject();
    QCOMPARE(problem["code"].toString(), QStringLiteral("no_facebook_page"));
    const QString message = problem["message"].toString();
    QVERIFY2(message.contains("Create a Facebook Page") && message.contains("link") &&
                 message.contains("try again"),
             qPrintable(message));
}

void InstagramAccountsTest::pageWithoutALinkedAccountSaysToLinkIt() {
    const QJsonObject problem = connect(kDana)["instagram"].toObject()["problem"].toObject();
    QCOMPARE(problem["code"].toString(), QStringLiteral("no_instagram_account"));
    const QString message = problem["message"].toString();
    QVERIFY2(message.contains("Dana Bakery") && message.contains("Business or Creator") &&
                 message.contains("Check again"),
             qPrintable(message));
}

void InstagramAccountsTest::personalAccountLooksUnlinkedAndGetsTheSameAdvice() {
    const QJsonObject problem = connect(kEli)["instagram"].toObject()["problem"].toObject();
    QCOMPARE(problem["code"].toString(), QStringLiteral("no_instagram_account"));
    const QString message = problem["message"].toString();
    QVERIFY2(message.contains("Eli Photos") && message.contains("personal") &&
                 message.contains("Business or Creator"),
             qPrintable(message));
}

void InstagramAccountsTest::declinedPermissionsAreNamed_data() {
    QTest::addColumn<QString>("declined");
    QTest::newRow("pages_show_list") << "pages_show_list";
    QTest::newRow("instagram_basic") << "instagram_basic";
}

void InstagramAccountsTest::declinedPermissionsAreNamed() {
    QFETCH(QString, declined);
    const QJsonObject instagram = connect(kAlex, allBut(declined))["instagram"].toObject();
    const QJsonObject problem = instagram["problem"].toObject();
    QCOMPARE(problem["code"].toString(), QStringLiteral("permission_declined"));
    QCOMPARE(problem["permission"].toString(), declined);
    const QString message = problem["message"].toString();
    QVERIFY2(message.contains(declined) && message.contains("again") && message.contains("ticked"),
             qPrintable(message));
    QCOMPARE(instagram["candidates"].toArray().size(), 0);
}

void InstagramAccountsTest::declinedPublishingConnectsReadOnlyWithAWarning() {
    const QJsonObject instagram =
        connect(kAlex, allBut("instagram_content_publish"))["instagram"].toObject();
    QVERIFY(!instagram.contains("problem"));
    QCOMPARE(instagram["selected"].toArray(), QJsonArray{kAlexIg});
    QCOMPARE(instagram["candidates"].toArray().first().toObject()["access_level"].toString(),
             QStringLiteral("read_only"));
    const QJsonArray warnings = instagram["warnings"].toArray();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings.first().toObject()["code"].toString(), QStringLiteral("permission_declined"));
    QCOMPARE(warnings.first().toObject()["permission"].toString(),
             QStringLiteral("instagram_content_publish"));
    QCOMPARE(column(kAlexIg, "access_level"), QStringLiteral("read_only"));
}

void InstagramAccountsTest::declinedPageMetadataConnectsWithoutWebhooks() {
    const QJsonObject instagram =
        connect(kAlex, allBut("pages_manage_metadata"))["instagram"].toObject();
    QVERIFY(!instagram.contains("problem"));
    QCOMPARE(instagram["selected"].toArray(), QJsonArray{kAlexIg});
    QCOMPARE(instagram["candidates"].toArray().first().toObject()["access_level"].toString(),
             QStringLiteral("publish"));
    const QJsonArray warnings = instagram["warnings"].toArray();
    QCOMPARE(warnings.size(), 1);
    const QJsonObject warning = warnings.first().toObject();
    QCOMPARE(warning["code"].toString(), QStringLiteral("webhooks_not_subscribed"));
    QCOMPARE(warning["permission"].toString(), QStringLiteral("pages_manage_metadata"));
    QVERIFY(warning["message"].toString().contains("pages_manage_metadata"));
    // Still connected, only without webhooks.
    QCOMPARE(column(kAlexIg, "access_level"), QStringLiteral("publish"));
    QCOMPARE(column(kAlexIg, "webhooks_subscribed"), QStringLiteral("false"));
}

void InstagramAccountsTest::checkAgainSeesWhatChangedWithoutANewLogin() {
    const QJsonObject alex = connect(kAlex);
    const qint64 account = alex["account_id"].toInteger();
    QCOMPARE(column(kAlexIg, "webhooks_subscribed"), QStringLiteral("true"));
    const int tokensBefore = sandboxTokens("user_long", kAlex).size();

    // Meta refuses publishing for a moment (scripted): Check again says read only...
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/errors"),
                           {{"endpoint", "content_publishing_limit"},
                            {"code", 10},
                            {"message", "(#10) Application does not have permission for this "
                                        "action. Missing permission: instagram_content_publish"},
                            {"times", 1}})
                 .status,
             200);
    const auto readOnly = relayGet("/v1/instagram/accounts?account_id=" + QString::number(account));
    QCOMPARE(readOnly.status, 200);
    QCOMPARE(readOnly.json()["candidates"].toArray().first().toObject()["access_level"].toString(),
             QStringLiteral("read_only"));
    QCOMPARE(column(kAlexIg, "access_level"), QStringLiteral("read_only"));
    // ... and once it is fixed, checking again (no login) sees it.
    const auto fixed = relayGet("/v1/instagram/accounts?account_id=" + QString::number(account));
    QCOMPARE(fixed.status, 200);
    QCOMPARE(fixed.json()["candidates"].toArray().first().toObject()["access_level"].toString(),
             QStringLiteral("publish"));
    QCOMPARE(fixed.json()["selected"].toArray(), QJsonArray{kAlexIg});
    QCOMPARE(fixed.json()["warnings"].toArray().size(), 0);
    QCOMPARE(column(kAlexIg, "access_level"), QStringLiteral("publish"));
    QCOMPARE(sandboxTokens("user_long", kAlex).size(), tokensBefore); // no new login

    // A login with nothing to connect stays so until things change on Facebook.
    const qint64 dana = scalar("SELECT id FROM oauth_accounts WHERE open_id = '" + kDana + "'");
    const auto stillNothing =
        relayGet("/v1/instagram/accounts?account_id=" + QString::number(dana));
    QCOMPARE(stillNothing.status, 200);
    QCOMPARE(stillNothing.json()["problem"].toObject()["code"].toString(),
             QStringLiteral("no_instagram_account"));

    // A token Meta no longer accepts: the login turns needs_reconnect.
    QCOMPARE(m_http
                 .postJson(m_stack.sandbox().url("/_admin/instagram/tokens/invalidate"),
                           {{"user_id", kDana}, {"subcode", 460}})
                 .status,
             200);
    const auto dead = relayGet("/v1/instagram/accounts?account_id=" + QString::number(dana));
    QCOMPARE(dead.status, 200);
    QCOMPARE(dead.json()["problem"].toObject()["code"].toString(),
             QStringLiteral("needs_reconnect"));
    QCOMPARE(scalar("SELECT (status = 'needs_reconnect' AND access_token_sealed IS NULL)::int FROM "
                    "oauth_accounts WHERE open_id = '" +
                    kDana + "'"),
             1);
    QCOMPARE(relayGet("/v1/instagram/accounts?account_id=" + QString::number(dana)).status, 409);
}

void InstagramAccountsTest::routesRefuseOtherLoginsAndStrangers() {
    const auto tiktok = m_stack.connectTikTok("tt-alice");
    QVERIFY2(tiktok, qPrintable(m_stack.errorString()));
    QCOMPARE(relayGet("/v1/instagram/accounts?account_id=" + QString::number(*tiktok)).status, 404);
    QCOMPARE(relayGet("/v1/instagram/accounts?account_id=999999").status, 404);
    QCOMPARE(relayGet("/v1/instagram/accounts").status, 400);
    const auto stranger =
        m_http.get(QUrl(m_stack.relayUrl().toString() +
                        "/v1/instagram/accounts?account_id=" + QString::number(m_blairAccount)),
                   {{"Authorization", "Bearer not-a-device"}});
    QCOMPARE(stranger.status, 401);
    const auto anonymous = m_http.postJson(
        QUrl(m_stack.relayUrl().toString() + "/v1/instagram/accounts/select"),
        {{"account_id", m_blairAccount}, {"ig_business_ids", QJsonArray{kBlairMakes}}});
    QCOMPARE(anonymous.status, 401);
}

// Last: the running relay does not know the new key.
void InstagramAccountsTest::keyRotationResealsPageTokens() {
    const qint64 stored = scalar("SELECT count(*) FROM instagram_accounts WHERE "
                                 "page_token_sealed IS NOT NULL");
    QVERIFY(stored >= 2);
    const QString before = column(kAlexIg, "encode(page_token_sealed, 'hex')");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("HUNTAZE_DATABASE_URL", m_stack.database().url());
    environment.insert("HUNTAZE_KEYRING", m_stack.keyRingPath());
    ChildProcess rotate(HUNTAZE_RELAY_BIN, {"keys", "rotate"}, environment);
    QCOMPARE(rotate.waitForExit(), 0);
    const QJsonObject report =
        QJsonDocument::fromJson(rotate.output().trimmed().split('\n').last()).object();
    // Sealed bound to instagram | ig id | page, as the rotation opens them.
    QCOMPARE(report["page_tokens_resealed"].toInt(), int(stored));
    QVERIFY(column(kAlexIg, "encode(page_token_sealed, 'hex')") != before);
    QCOMPARE(column(kAlexIg, "key_id"), report["active_key"].toString());
}

QTEST_GUILESS_MAIN(InstagramAccountsTest)
#include "tst_instagramaccounts.moc"
