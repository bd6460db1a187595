#include "redditsandbox.h"

using namespace huntaze::test;
using namespace reddit_test;

// POST /api/submit: success shapes, every business error code (HTTP 200 + json.errors),
// every RATELIMIT message variant, validate_on_submit's 400 shape.
class SandboxRedditSubmitTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void selfPostSucceedsWithUrlIdAndName();
    void linkPostSucceedsAndIsListedByAdmin();
    void flairIdMustBeOneOfTheSubredditsTemplates_data();
    void flairIdMustBeOneOfTheSubredditsTemplates();
    void submitErrorsComeAsHttp200WithCodeAndField_data();
    void submitErrorsComeAsHttp200WithCodeAndField();
    void resubmitTrueAllowsTheSameUrlAgain();
    void titleOfExactly300CharactersIsAccepted();
    void rateLimitMessageCarriesTheWait_data();
    void rateLimitMessageCarriesTheWait();
    void quotaIsAcountedOverTwentyFourHours();
    void validateOnSubmitAnswers400ForFieldErrors_data();
    void validateOnSubmitAnswers400ForFieldErrors();

private:
    // The fixed flair templates of README.md.
    const QString kSandboxTestFlair = "9b7d6e5f-1a2b-4c3d-8e9f-0a1b2c3d4e05";
    const QString kTutorialFlair = "5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e01";
    const QString kShowcaseFlair = "5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e02";
    const QString kAnnouncementFlair = "5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e03";
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_token;
    QString m_userless;
};

void SandboxRedditSubmitTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    m_token = login(m_http, *m_sandbox);
    QVERIFY(!m_token.isEmpty());
    // An application-only token (no user): Reddit's installed_client grant.
    QUrlQuery form;
    form.addQueryItem("grant_type", "https://oauth.reddit.com/grants/installed_client");
    form.addQueryItem("device_id", "DO_NOT_TRACK_THIS_DEVICE");
    const QJsonObject userless = tokenRequest(m_http, *m_sandbox, form).json();
    m_userless = userless["access_token"].toString();
    QVERIFY(!m_userless.isEmpty());
    QVERIFY(!userless.contains("refresh_token"));
    // Preconditions of the ALREADY_SUB and QUOTA_FILLED rows.
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token,
                                   {{"sr", "sandbox"},
                                    {"kind", "link"},
                                    {"title", "already"},
                                    {"url", "https://example.com/already"}})),
             QString());
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token,
                                   {{"sr", "onceaday"}, {"kind", "self"}, {"title", "daily"}})),
             QString());
}

void SandboxRedditSubmitTest::init() {
    m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", 0}});
}

void SandboxRedditSubmitTest::selfPostSucceedsWithUrlIdAndName() {
    const auto result = submit(m_http, *m_sandbox, m_token,
                               {{"sr", "sandbox"},
                                {"kind", "self"},
                                {"title", "Hello sandbox"},
                                {"text", "**markdown** body"},
                                {"nsfw", "true"},
                                {"spoiler", "false"},
                                {"sendreplies", "false"},
                                {"flair_id", kSandboxTestFlair}});
    QCOMPARE(result.status, 200);
    const QJsonObject json = result.json()["json"].toObject();
    QCOMPARE(json["errors"].toArray().size(), 0);
    const QJsonObject data = json["data"].toObject();
    const QString id = data["id"].toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(data["name"].toString(), "t3_" + id);
    QVERIFY(data["url"].toString().contains("/r/sandbox/comments/" + id + "/hello_sandbox/"));
    const auto info =
        m_http.get(m_sandbox->url("/reddit/api/info?raw_json=1&id=t3_" + id), api(m_token));
    const QJsonObject post =
        info.json()["data"].toObject()["children"].toArray().at(0).toObject()["data"].toObject();
    QCOMPARE(post["selftext"].toString(), QString("**markdown** body"));
    QCOMPARE(post["over_18"].toBool(), true);
    QCOMPARE(post["spoiler"].toBool(), false);
    QCOMPARE(post["send_replies"].toBool(), false);
    QCOMPARE(post["link_flair_text"].toString(), QString("Test")); // the template's text
    QCOMPARE(post["link_flair_template_id"].toString(), kSandboxTestFlair);
    QCOMPARE(post["author"].toString(), QString("sbx_alice"));
}

void SandboxRedditSubmitTest::linkPostSucceedsAndIsListedByAdmin() {
    const auto result = submit(m_http, *m_sandbox, m_token,
                               {{"sr", "linksonly"},
                                {"kind", "link"},
                                {"title", "A link"},
                                {"url", "https://example.org/article"}});
    const QJsonObject data = result.json()["json"].toObject()["data"].toObject();
    QVERIFY(data["name"].toString().startsWith("t3_"));
    const QJsonArray posts =
        m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray();
    bool found = false;
    for (const auto &p : posts)
        if (p.toObject()["name"] == data["name"]) {
            found = true;
            QCOMPARE(p.toObject()["url"].toString(), QString("https://example.org/article"));
            QCOMPARE(p.toObject()["subreddit"].toString(), QString("linksonly"));
        }
    QVERIFY(found);
}

// README.md's flair templates: r/huntaze's Tutorial, Showcase (text_editable) and
// Announcement (mod_only); r/sandbox's Test.
void SandboxRedditSubmitTest::flairIdMustBeOneOfTheSubredditsTemplates_data() {
    QTest::addColumn<QString>("sr");
    QTest::addColumn<QString>("flairId");
    QTest::addColumn<QString>("flairText");
    QTest::addColumn<QString>("code");       // empty: posted
    QTest::addColumn<QString>("storedText"); // link_flair_text once posted
    QTest::newRow("fixed template keeps its text") << "huntaze" << kTutorialFlair << "My own words"
                                                   << ""
                                                   << "Tutorial";
    QTest::newRow("editable template takes the poster's words")
        << "huntaze" << kShowcaseFlair << "My & own <words>"
        << ""
        << "My & own <words>";
    QTest::newRow("editable template without words keeps its text")
        << "huntaze" << kShowcaseFlair << ""
        << ""
        << "Showcase";
    QTest::newRow("text alone, no template") << "huntaze"
                                             << ""
                                             << "Free"
                                             << ""
                                             << "Free";
    QTest::newRow("mod-only template") << "huntaze" << kAnnouncementFlair << ""
                                       << "BAD_FLAIR_TEMPLATE_ID"
                                       << "";
    QTest::newRow("another subreddit's template") << "sandbox" << kShowcaseFlair << ""
                                                  << "BAD_FLAIR_TEMPLATE_ID"
                                                  << "";
    QTest::newRow("unknown id") << "huntaze"
                                << "aa11-bb22"
                                << ""
                                << "BAD_FLAIR_TEMPLATE_ID"
                                << "";
}

void SandboxRedditSubmitTest::flairIdMustBeOneOfTheSubredditsTemplates() {
    QFETCH(QString, sr);
    QFETCH(QString, flairId);
    QFETCH(QString, flairText);
    QFETCH(QString, code);
    QFETCH(QString, storedText);
    QList<std::pair<QString, QString>> fields{
        {"sr", sr}, {"kind", "self"}, {"title", QString("Flair ") + QTest::currentDataTag()}};
    if (!flairId.isEmpty())
        fields.append({"flair_id", flairId});
    if (!flairText.isEmpty())
        fields.append({"flair_text", flairText});
    const auto result = submit(m_http, *m_sandbox, m_token, fields);
    QCOMPARE(result.status, 200);
    const QJsonObject json = result.json()["json"].toObject();
    if (!code.isEmpty()) {
        const QJsonArray error = json["errors"].toArray().at(0).toArray();
        QCOMPARE(error.at(0).toString(), code);
        QCOMPARE(error.at(1).toString(), QString("Flair template not found"));
        QCOMPARE(error.at(2).toString(), QString("flair"));
        QVERIFY(!json.contains("data"));
        return;
    }
    QCOMPARE(json["errors"].toArray().size(), 0);
    const QString name = json["data"].toObject()["name"].toString();
    const auto info =
        m_http.get(m_sandbox->url("/reddit/api/info?raw_json=1&id=" + name), api(m_token));
    const QJsonObject post =
        info.json()["data"].toObject()["children"].toArray().at(0).toObject()["data"].toObject();
    QCOMPARE(post["link_flair_text"].toString(), storedText);
    QCOMPARE(post["link_flair_template_id"].toVariant().toString(), flairId); // null: ""
}

void SandboxRedditSubmitTest::submitErrorsComeAsHttp200WithCodeAndField_data() {
    QTest::addColumn<QString>("sr");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("userless");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    const QString t = "A title";
    const QString u = "https://example.com/fresh";
    QTest::newRow("SUBREDDIT_REQUIRED") << ""
                                        << "self" << t << "" << false << "SUBREDDIT_REQUIRED"
                                        << "sr";
    QTest::newRow("SUBREDDIT_NOEXIST") << "no_such_sub"
                                       << "self" << t << "" << false << "SUBREDDIT_NOEXIST"
                                       << "sr";
    QTest::newRow("SUBREDDIT_NOTALLOWED") << "privateclub"
                                          << "self" << t << "" << false << "SUBREDDIT_NOTALLOWED"
                                          << "sr";
    QTest::newRow("NO_SELFS") << "linksonly"
                              << "self" << t << "" << false << "NO_SELFS"
                              << "sr";
    QTest::newRow("NO_LINKS") << "selfonly"
                              << "link" << t << u << false << "NO_LINKS"
                              << "sr";
    QTest::newRow("NO_LINKS for images") << "selfonly"
                                         << "image" << t << u << false << "NO_LINKS"
                                         << "sr";
    QTest::newRow("ALREADY_SUB") << "sandbox"
                                 << "link" << t << "https://example.com/already" << false
                                 << "ALREADY_SUB"
                                 << "url";
    QTest::newRow("BAD_URL not a url") << "sandbox"
                                       << "link" << t << "not a url" << false << "BAD_URL"
                                       << "url";
    QTest::newRow("BAD_URL ftp") << "sandbox"
                                 << "link" << t << "ftp://example.com/x" << false << "BAD_URL"
                                 << "url";
    QTest::newRow("BAD_URL image not uploaded") << "sandbox"
                                                << "image" << t << u << false << "BAD_URL"
                                                << "url";
    QTest::newRow("NO_URL") << "sandbox"
                            << "link" << t << "" << false << "NO_URL"
                            << "url";
    QTest::newRow("NO_TEXT") << "sandbox"
                             << "self"
                             << ""
                             << "" << false << "NO_TEXT"
                             << "title";
    QTest::newRow("NO_TEXT blank") << "sandbox"
                                   << "self"
                                   << "   "
                                   << "" << false << "NO_TEXT"
                                   << "title";
    QTest::newRow("TOO_LONG") << "sandbox"
                              << "self" << QString(301, 'x') << "" << false << "TOO_LONG"
                              << "title";
    QTest::newRow("TOO_LONG text") << "sandbox"
                                   << "self" << t << "" << false << "TOO_LONG"
                                   << "text";
    QTest::newRow("TOO_LONG flair_text") << "sandbox"
                                         << "self" << t << "" << false << "TOO_LONG"
                                         << "flair_text";
    QTest::newRow("DOMAIN_BANNED")
        << "sandbox"
        << "link" << t << "https://banned.example/page" << false << "DOMAIN_BANNED"
        << "url";
    QTest::newRow("USER_REQUIRED") << "sandbox"
                                   << "self" << t << "" << true << "USER_REQUIRED"
                                   << "";
    QTest::newRow("INVALID_OPTION") << "sandbox"
                                    << "poll" << t << "" << false << "INVALID_OPTION"
                                    << "kind";
    QTest::newRow("QUOTA_FILLED") << "onceaday"
                                  << "self" << t << "" << false << "QUOTA_FILLED"
                                  << "ratelimit";
}

void SandboxRedditSubmitTest::submitErrorsComeAsHttp200WithCodeAndField() {
    QFETCH(QString, sr);
    QFETCH(QString, kind);
    QFETCH(QString, title);
    QFETCH(QString, url);
    QFETCH(bool, userless);
    QFETCH(QString, code);
    QFETCH(QString, field);
    QList<std::pair<QString, QString>> fields{{"kind", kind}, {"title", title}};
    if (!sr.isEmpty())
        fields.append({"sr", sr});
    if (!url.isEmpty())
        fields.append({"url", url});
    if (QString(QTest::currentDataTag()) == "TOO_LONG text")
        fields.append({"text", QString(40001, 's')});
    if (QString(QTest::currentDataTag()) == "TOO_LONG flair_text")
        fields.append({"flair_text", QString(65, 'f')});
    const int before =
        m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray().size();
    const auto result = submit(m_http, *m_sandbox, userless ? m_userless : m_token, fields);
    QCOMPARE(result.status, 200);
    const QJsonArray errors = result.json()["json"].toObject()["errors"].toArray();
    QCOMPARE(errors.size(), 1);
    const QJsonArray error = errors.at(0).toArray();
    QCOMPARE(error.size(), 3);
    QCOMPARE(error.at(0).toString(), code);
    QVERIFY(!error.at(1).toString().isEmpty());
    QCOMPARE(error.at(2).toString(), field);
    QVERIFY(!result.json()["json"].toObject().contains("data"));
    QCOMPARE(m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray().size(),
             before);
}

void SandboxRedditSubmitTest::resubmitTrueAllowsTheSameUrlAgain() {
    const auto again = submit(m_http, *m_sandbox, m_token,
                              {{"sr", "sandbox"},
                               {"kind", "link"},
                               {"title", "again"},
                               {"url", "https://example.com/already"},
                               {"resubmit", "true"}});
    QCOMPARE(firstErrorCode(again), QString());
    QVERIFY(
        again.json()["json"].toObject()["data"].toObject()["name"].toString().startsWith("t3_"));
    // The same URL in another subreddit is not a duplicate.
    const auto elsewhere = submit(m_http, *m_sandbox, m_token,
                                  {{"sr", "huntaze"},
                                   {"kind", "link"},
                                   {"title", "elsewhere"},
                                   {"url", "https://example.com/already"}});
    QCOMPARE(firstErrorCode(elsewhere), QString());
}

void SandboxRedditSubmitTest::titleOfExactly300CharactersIsAccepted() {
    const auto result = submit(m_http, *m_sandbox, m_token,
                               {{"sr", "sandbox"}, {"kind", "self"}, {"title", QString(300, 't')}});
    QCOMPARE(firstErrorCode(result), QString());
    QVERIFY(
        result.json()["json"].toObject()["data"].toObject()["name"].toString().startsWith("t3_"));
}

void SandboxRedditSubmitTest::rateLimitMessageCarriesTheWait_data() {
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("amount");
    QTest::addColumn<QString>("message");
    QTest::addColumn<double>("seconds");
    QTest::newRow("milliseconds") << "milliseconds" << 750
                                  << "you are doing that too much. try again in 750 milliseconds."
                                  << 0.75;
    QTest::newRow("seconds") << "seconds" << 42
                             << "you are doing that too much. try again in 42 seconds." << 42.0;
    QTest::newRow("minutes") << "minutes" << 6
                             << "you are doing that too much. try again in 6 minutes." << 360.0;
    QTest::newRow("one minute") << "minutes" << 1
                                << "you are doing that too much. try again in 1 minute." << 60.0;
    QTest::newRow("one second") << "seconds" << 1
                                << "you are doing that too much. try again in 1 second." << 1.0;
}

void SandboxRedditSubmitTest::rateLimitMessageCarriesTheWait() {
    QFETCH(QString, unit);
    QFETCH(int, amount);
    QFETCH(QString, message);
    QFETCH(double, seconds);
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/reddit/ratelimit"),
                           {{"unit", unit}, {"amount", amount}, {"times", 1}})
                 .status,
             200);
    const QList<std::pair<QString, QString>> fields{
        {"sr", "sandbox"}, {"kind", "self"}, {"title", "rate " + unit}};
    const auto limited = submit(m_http, *m_sandbox, m_token, fields);
    QCOMPARE(limited.status, 200);
    const QJsonObject json = limited.json()["json"].toObject();
    const QJsonArray error = json["errors"].toArray().at(0).toArray();
    QCOMPARE(error.at(0).toString(), QString("RATELIMIT"));
    QCOMPARE(error.at(1).toString(), message);
    QCOMPARE(error.at(2).toString(), QString("ratelimit"));
    QCOMPARE(json["ratelimit"].toDouble(), seconds);
    // Forced once: the next submit goes through.
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token, fields)), QString());
}

void SandboxRedditSubmitTest::quotaIsAcountedOverTwentyFourHours() {
    const QList<std::pair<QString, QString>> fields{
        {"sr", "onceaday"}, {"kind", "self"}, {"title", "tomorrow"}};
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token, fields)), QString("QUOTA_FILLED"));
    QVERIFY(advance(m_http, *m_sandbox, 86400 + 1));
    m_token = login(m_http, *m_sandbox); // the old token expired meanwhile
    QCOMPARE(firstErrorCode(submit(m_http, *m_sandbox, m_token, fields)), QString());
}

void SandboxRedditSubmitTest::validateOnSubmitAnswers400ForFieldErrors_data() {
    QTest::addColumn<QString>("sr");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("title");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("field");
    QTest::newRow("TOO_LONG") << "sandbox"
                              << "self" << QString(301, 'y') << 400 << "TOO_LONG"
                              << "title";
    QTest::newRow("NO_TEXT") << "sandbox"
                             << "self"
                             << "" << 400 << "NO_TEXT"
                             << "title";
    QTest::newRow("NO_URL") << "sandbox"
                            << "link"
                            << "t" << 400 << "NO_URL"
                            << "url";
    QTest::newRow("SUBREDDIT_NOEXIST stays 200") << "no_such_sub"
                                                 << "self"
                                                 << "t" << 200 << "SUBREDDIT_NOEXIST"
                                                 << "sr";
}

void SandboxRedditSubmitTest::validateOnSubmitAnswers400ForFieldErrors() {
    QFETCH(QString, sr);
    QFETCH(QString, kind);
    QFETCH(QString, title);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, field);
    const auto result =
        submit(m_http, *m_sandbox, m_token,
               {{"sr", sr}, {"kind", kind}, {"title", title}, {"validate_on_submit", "true"}});
    QCOMPARE(result.status, status);
    if (status == 400) {
        const QJsonObject body = result.json();
        QCOMPARE(body["error_type"].toString(), QString("SUBMIT_VALIDATION_ERROR"));
        QCOMPARE(body["reason"].toString(), reason);
        QCOMPARE(body["fields"].toArray().at(0).toString(), field);
        QVERIFY(!body["explanation"].toString().isEmpty());
        QVERIFY(!body["message"].toString().isEmpty());
    } else {
        QCOMPARE(firstErrorCode(result), reason);
    }
}

QTEST_GUILESS_MAIN(SandboxRedditSubmitTest)
#include "tst_sandbox_reddit_submit.moc"
