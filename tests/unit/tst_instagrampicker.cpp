#include "accounts/accountspage.h"
#include "accounts/instagramaccountpicker.h"
#include "accounts/instagramsetup.h"
#include "instagramtestbed.h"
#include "net/relayclient.h"
#include "screenshots.h"

#include <QDeadlineTimer>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTest>
#include <QUrlQuery>

using huntaze::net::RelayClient;
using huntaze::test::FakeRelay;
using huntaze::test::InstagramTestBed;
using huntaze::ui::AccountsPage;
using huntaze::ui::InstagramAccountPicker;
using huntaze::ui::InstagramSetup;

namespace {
constexpr int kWaitMs = 10000;
const QString kCreatorId = "17841400000000001";
const QString kStudioId = "17841400000000002";
const QString kNoAccountMessage =
    "The Facebook Page “Creator Page” has no Instagram professional account linked. Link one "
    "in Instagram (Settings › Account type and tools), then check again.";
const QString kWebhookWarning = "Huntaze could not subscribe @studio to comment notifications: "
                                "comments arrive with the hourly sync instead.";

QJsonObject candidate(const QString &id, const QString &username, const QString &page) {
    return {{"ig_business_id", id},
            {"page_id", "page-" + username},
            {"page_name", page},
            {"username", username},
            {"name", username.at(0).toUpper() + username.mid(1)},
            {"profile_picture_url", ""},
            {"access_level", "full"}};
}

const QJsonArray kTwoCandidates{candidate(kCreatorId, "creator", "Creator Page"),
                                candidate(kStudioId, "studio", "Studio Page")};

QJsonObject instagramAnswer(const QJsonArray &candidates, const QStringList &selected,
                            const QJsonObject &problem = {}, const QJsonArray &warnings = {}) {
    QJsonObject answer{{"candidates", candidates},
                       {"selected", QJsonArray::fromStringList(selected)},
                       {"warnings", warnings}};
    if (!problem.isEmpty())
        answer.insert("problem", problem);
    return answer;
}

// Stands in for the system browser: the creator signs in on Facebook and is sent back to
// the desktop's loopback listener with a code.
class FakeBrowser {
public:
    QList<QUrl> opened;
    bool signsIn = true;

    bool open(const QUrl &authorization) {
        opened << authorization;
        if (!signsIn)
            return true;
        const QUrlQuery asked(authorization);
        QUrl callback(asked.queryItemValue("redirect_uri", QUrl::FullyDecoded));
        QUrlQuery answer;
        answer.addQueryItem("code", "meta-code");
        answer.addQueryItem("state", asked.queryItemValue("state", QUrl::FullyDecoded));
        callback.setQuery(answer);
        QNetworkReply *reply = m_network.get(QNetworkRequest(callback));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        return true;
    }

private:
    QNetworkAccessManager m_network;
};

QStringList candidateTexts(const QListWidget *list) {
    QStringList texts;
    for (int row = 0; row < list->count(); ++row)
        texts << list->item(row)->text();
    return texts;
}
} // namespace

class InstagramPickerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void problemIsShownInTheRelaysWordsAndCheckAgainAsksAnew();
    void connectAgainStartsANewSignIn();
    void severalAccountsOpenThePickerAndOkSendsTheChoice();
    void chooseAccountsReopensThePickerWithTheChosenTicked();
    void relayRefusingTheChoiceIsShownInThePicker();
    void oneAccountNeedsNoPicker();

private:
    // The Accounts page on the database and the (fake) relay, shown.
    std::unique_ptr<AccountsPage> openPage();
    // Clicks Connect Instagram; the relay's exchange answers with this "instagram" object.
    void connectInstagram(AccountsPage &page, const QJsonObject &instagram);
    // As the relay records a choice: the chosen accounts replace the login's others.
    void recordChosen(const QStringList &ids);
    InstagramAccountPicker *waitForPicker(AccountsPage &page);

    std::unique_ptr<InstagramTestBed> m_bed;
    std::unique_ptr<FakeRelay> m_relay;
    std::unique_ptr<RelayClient> m_client;
    std::unique_ptr<FakeBrowser> m_browser;
};

void InstagramPickerTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
}

void InstagramPickerTest::init() {
    QVERIFY(m_bed->run("DELETE FROM instagram_accounts").isEmpty()); // nothing chosen yet
    m_relay = std::make_unique<FakeRelay>();
    m_client = std::make_unique<RelayClient>(m_relay->url());
    m_browser = std::make_unique<FakeBrowser>();
}

void InstagramPickerTest::cleanup() {
    m_client.reset();
    m_relay.reset();
    m_browser.reset();
}

std::unique_ptr<AccountsPage> InstagramPickerTest::openPage() {
    auto page = std::make_unique<AccountsPage>();
    page->resize(900, 560);
    page->setOpenUrl([browser = m_browser.get()](const QUrl &url) { return browser->open(url); });
    page->setRelay(
        m_client.get(),
        QJsonObject{{"instagram", QJsonObject{{"client_id", "meta-app"},
                                              {"authorize_url", "https://www.facebook.com/v25.0/"
                                                                "dialog/oauth"}}}});
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (page->accountLines().isEmpty() && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void InstagramPickerTest::connectInstagram(AccountsPage &page, const QJsonObject &instagram) {
    m_relay->answer("/v1/oauth/instagram/exchange",
                    {{"account_id", InstagramTestBed::kLoginId},
                     {"provider", "instagram"},
                     {"open_id", "fb-user-1"},
                     {"display_name", "Creator FB"},
                     {"username", ""},
                     {"avatar_url", ""},
                     {"scope", "instagram_basic,instagram_manage_comments"},
                     {"expires_in", 5184000},
                     {"instagram", instagram}});
    auto *button = page.findChild<QPushButton *>("connect_instagram");
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page.statusText().startsWith("Connected Creator FB on Instagram"),
                             kWaitMs);
}

void InstagramPickerTest::recordChosen(const QStringList &ids) {
    QString problem = m_bed->run("DELETE FROM instagram_accounts");
    for (const QString &id : ids) {
        const bool studio = id == kStudioId;
        if (problem.isEmpty())
            problem = m_bed->run(
                "INSERT INTO instagram_accounts (user_id, account_id, ig_business_id, page_id, "
                "page_name, username, access_level) VALUES (1, 1, $1, $2, $3, $4, 'full')",
                {id, studio ? "page-studio" : "page-creator",
                 studio ? "Studio Page" : "Creator Page", studio ? "studio" : "creator"});
    }
    if (problem.isEmpty())
        problem = m_bed->run("SELECT pg_notify('huntaze_changes', '{\"table\": "
                             "\"instagram_accounts\", \"user_id\": 1, \"key\": \"1\"}')");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

InstagramAccountPicker *InstagramPickerTest::waitForPicker(AccountsPage &page) {
    QDeadlineTimer deadline(kWaitMs);
    while (!page.instagramSetup()->picker() && !deadline.hasExpired())
        QTest::qWait(20);
    InstagramAccountPicker *picker = page.instagramSetup()->picker();
    if (picker && !QTest::qWaitForWindowExposed(picker))
        return nullptr;
    return picker;
}

void InstagramPickerTest::problemIsShownInTheRelaysWordsAndCheckAgainAsksAnew() {
    auto page = openPage();
    QVERIFY(page);
    auto *problem = page->findChild<QLabel *>("instagramProblem");
    QVERIFY(problem && !problem->isVisible());
    QVERIFY(page->instagramSetup()->isHidden());
    connectInstagram(
        *page, instagramAnswer({}, {},
                               {{"code", "no_instagram_account"}, {"message", kNoAccountMessage}}));

    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), kWaitMs);
    QCOMPARE(problem->text(), kNoAccountMessage);
    QCOMPARE(page->instagramSetup()->problemText(), kNoAccountMessage);
    auto *checkAgain = page->findChild<QPushButton *>("checkInstagramAgain");
    auto *connectAgain = page->findChild<QPushButton *>("connectInstagramAgain");
    QVERIFY(checkAgain->isVisible() && checkAgain->isEnabled());
    QVERIFY(connectAgain->isVisible() && connectAgain->isEnabled());
    QVERIFY(!page->instagramSetup()->picker());
    QVERIFY(!huntaze::test::saveScreenshot(page.get(), "accounts-instagram-problem").isEmpty());

    // Still wrong: the relay's new words replace the old ones.
    const QString declined = "You declined pages_show_list: connect again and allow Huntaze to "
                             "see your Pages.";
    m_relay->answer("/v1/instagram/accounts", instagramAnswer({}, {},
                                                              {{"code", "permission_declined"},
                                                               {"message", declined},
                                                               {"permission", "pages_show_list"}}));
    const qsizetype before = m_relay->requests().size();
    QTest::mouseClick(checkAgain, Qt::LeftButton);
    QVERIFY(m_relay->waitForRequests(before + 1));
    const FakeRelay::Request asked = m_relay->requests().last();
    QCOMPARE(asked.method, QByteArray("GET"));
    QCOMPARE(asked.path, QString("/v1/instagram/accounts"));
    QCOMPARE(asked.query.queryItemValue("account_id"), QString("1"));
    QTRY_COMPARE_WITH_TIMEOUT(problem->text(), declined, kWaitMs);

    // Fixed on Facebook: one account, chosen by the relay at once; the problem goes and the
    // account appears under the login.
    m_relay->on("/v1/instagram/accounts", [this](const FakeRelay::Request &) {
        recordChosen({kCreatorId});
        return FakeRelay::Answer{200,
                                 instagramAnswer(QJsonArray{kTwoCandidates.at(0)}, {kCreatorId})};
    });
    QTRY_VERIFY_WITH_TIMEOUT(checkAgain->isEnabled(), kWaitMs);
    QTest::mouseClick(checkAgain, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->instagramSetup()->isHidden(), kWaitMs);
    QCOMPARE(page->instagramSetup()->problemText(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(
        page->accountLines().contains("      ↳ Instagram @creator · Facebook Page: Creator Page"),
        kWaitMs);
    QVERIFY(!page->instagramSetup()->picker());
}

void InstagramPickerTest::connectAgainStartsANewSignIn() {
    auto page = openPage();
    QVERIFY(page);
    connectInstagram(
        *page, instagramAnswer({}, {},
                               {{"code", "no_instagram_account"}, {"message", kNoAccountMessage}}));
    auto *connectAgain = page->findChild<QPushButton *>("connectInstagramAgain");
    QTRY_VERIFY_WITH_TIMEOUT(connectAgain->isVisible(), kWaitMs);
    QCOMPARE(m_browser->opened.size(), 1);

    m_browser->signsIn = false; // the creator is on Facebook's page now
    QTRY_VERIFY_WITH_TIMEOUT(page->findChild<QPushButton *>("connect_instagram")->isEnabled(),
                             kWaitMs);
    QTest::mouseClick(connectAgain, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_browser->opened.size(), 2, kWaitMs);
    QCOMPARE(m_browser->opened.last().host(), QString("www.facebook.com"));
    QVERIFY(page->statusText().startsWith("Finish signing in to Instagram in your browser."));
    QTest::mouseClick(page->findChild<QPushButton *>("cancelConnect"), Qt::LeftButton);
}

void InstagramPickerTest::severalAccountsOpenThePickerAndOkSendsTheChoice() {
    m_relay->on("/v1/instagram/accounts/select", [this](const FakeRelay::Request &request) {
        QStringList ids;
        for (const QJsonValue &id : request.body.value("ig_business_ids").toArray())
            ids << id.toString();
        recordChosen(ids);
        return FakeRelay::Answer{200,
                                 instagramAnswer(kTwoCandidates, ids, {},
                                                 {QJsonObject{{"code", "webhooks_not_subscribed"},
                                                              {"message", kWebhookWarning}}})};
    });
    auto page = openPage();
    QVERIFY(page);
    connectInstagram(*page, instagramAnswer(kTwoCandidates, {}));

    InstagramAccountPicker *picker = waitForPicker(*page);
    QVERIFY(picker);
    QVERIFY(picker->isVisible());
    QCOMPARE(picker->windowTitle(), QString("Choose Instagram accounts"));
    auto *list = picker->findChild<QListWidget *>("instagramCandidates");
    QCOMPARE(candidateTexts(list), (QStringList{"@creator · Creator\nFacebook Page: Creator Page",
                                                "@studio · Studio\nFacebook Page: Studio Page"}));
    QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
    QCOMPARE(list->item(1)->checkState(), Qt::Unchecked);
    QPushButton *ok = picker->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());                   // nothing ticked
    QVERIFY(page->instagramSetup()->isHidden()); // no problem to show

    list->item(1)->setCheckState(Qt::Checked);
    QVERIFY(ok->isEnabled());
    QVERIFY(!huntaze::test::saveScreenshot(picker, "instagram-account-picker").isEmpty());
    QTest::mouseClick(ok, Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!page->instagramSetup()->picker(), kWaitMs); // closed
    const FakeRelay::Request sent = m_relay->requests().last();
    QCOMPARE(sent.method, QByteArray("POST"));
    QCOMPARE(sent.path, QString("/v1/instagram/accounts/select"));
    QCOMPARE(sent.body,
             (QJsonObject{{"account_id", 1}, {"ig_business_ids", QJsonArray{kStudioId}}}));

    // Under the Facebook login: the chosen account with its Page, and the relay's note.
    QTRY_VERIFY_WITH_TIMEOUT(
        page->accountLines().contains("      ↳ Instagram @studio · Facebook Page: Studio Page"),
        kWaitMs);
    const QStringList lines = page->accountLines();
    QVERIFY(lines.contains("      Note: " + kWebhookWarning));
    QVERIFY(lines.first().startsWith("Instagram · Creator FB"));
    QCOMPARE(lines.size(), 3); // the login, its account, the note; not the unchosen one
    QVERIFY(!huntaze::test::saveScreenshot(page.get(), "accounts-instagram-chosen").isEmpty());
}

void InstagramPickerTest::chooseAccountsReopensThePickerWithTheChosenTicked() {
    recordChosen({kStudioId});
    m_relay->answer("/v1/instagram/accounts", instagramAnswer(kTwoCandidates, {kStudioId}));
    auto page = openPage();
    QVERIFY(page);
    auto *choose = page->findChild<QPushButton *>("chooseInstagramAccounts");
    QVERIFY(choose && choose->isVisible());
    auto *accounts = page->findChild<QListWidget *>("accountList");
    QTRY_COMPARE_WITH_TIMEOUT(accounts->count(), 2, kWaitMs);
    accounts->setCurrentRow(1); // the chosen account's row stands for its login too
    QVERIFY(choose->isEnabled());
    QVERIFY(!page->findChild<QPushButton *>("disconnectAccount")->isEnabled());
    accounts->setCurrentRow(0);
    QVERIFY(choose->isEnabled());
    QVERIFY(page->findChild<QPushButton *>("disconnectAccount")->isEnabled());
    QTest::mouseClick(choose, Qt::LeftButton);

    InstagramAccountPicker *picker = waitForPicker(*page);
    QVERIFY(picker);
    QCOMPARE(m_relay->requests().last().query.queryItemValue("account_id"), QString("1"));
    auto *list = picker->findChild<QListWidget *>("instagramCandidates");
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
    QCOMPARE(list->item(1)->checkState(), Qt::Checked);
    QCOMPARE(picker->checkedIds(), QStringList{kStudioId});
    picker->reject();
    QTRY_VERIFY_WITH_TIMEOUT(!page->instagramSetup()->picker(), kWaitMs);
}

void InstagramPickerTest::relayRefusingTheChoiceIsShownInThePicker() {
    const QString refusal = "17841400000000002 is not one of the Instagram accounts your "
                            "Facebook login reaches. Check again, then choose among the "
                            "accounts listed.";
    m_relay->answer("/v1/instagram/accounts/select",
                    {{"error", "not_a_candidate"}, {"message", refusal}}, 400);
    auto page = openPage();
    QVERIFY(page);
    connectInstagram(*page, instagramAnswer(kTwoCandidates, {}));
    InstagramAccountPicker *picker = waitForPicker(*page);
    QVERIFY(picker);
    picker->findChild<QListWidget *>("instagramCandidates")->item(1)->setCheckState(Qt::Checked);
    QTest::mouseClick(picker->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    auto *status = picker->findChild<QLabel *>("pickerStatus");
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), refusal, kWaitMs);
    QVERIFY(status->isVisible());
    QVERIFY(picker->isVisible()); // still open to choose again
    QVERIFY(picker->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    picker->reject();
}

void InstagramPickerTest::oneAccountNeedsNoPicker() {
    auto page = openPage();
    QVERIFY(page);
    recordChosen({kCreatorId}); // the relay chose the only one during the exchange
    connectInstagram(*page, instagramAnswer(QJsonArray{kTwoCandidates.at(0)}, {kCreatorId}, {},
                                            {QJsonObject{{"code", "webhooks_not_subscribed"},
                                                         {"message", kWebhookWarning}}}));
    QTRY_VERIFY_WITH_TIMEOUT(page->accountLines().contains("      Note: " + kWebhookWarning),
                             kWaitMs);
    QVERIFY(
        page->accountLines().contains("      ↳ Instagram @creator · Facebook Page: Creator Page"));
    QTest::qWait(200);
    QVERIFY(!page->instagramSetup()->picker());
    QVERIFY(page->instagramSetup()->isHidden());
}

QTEST_MAIN(InstagramPickerTest)
#include "tst_instagrampicker.moc"
