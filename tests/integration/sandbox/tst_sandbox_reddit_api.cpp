#include "redditsandbox.h"

using namespace huntaze::test;
using namespace reddit_test;

// oauth.reddit.com's gate and reading side: User-Agent rule, bearer token in any case,
// scopes, the rate-limit window and its headers, /api/v1/me, listings, info, comments,
// growth over time, raw_json, and the admin knobs for tokens and posts.
class SandboxRedditApiTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void userAgentMustBeDescriptive_data();
    void userAgentMustBeDescriptive();
    void bearerSchemeIsAcceptedInAnyCase_data();
    void bearerSchemeIsAcceptedInAnyCase();
    void missingOrUnknownTokenIs401();
    void scopesAreEnforcedWith403();
    void meReturnsTheIdentity();
    void rateLimitHeadersCountEveryCall();
    void overTheLimitAnswers429UntilTheWindowResets();
    void submittedListingPagesNewestFirst();
    void infoReturnsPostFieldsAndRefusesMoreThan100Ids();
    void commentsAnswerPostListingAndCommentTree();
    void scoresAndCommentsGrowWithTheClock();
    void rawJsonControlsHtmlEscaping();
    void linkFlairsListTheSubredditsTemplates();
    void linkFlairsNeedTheFlairScopeAndAnExistingSubreddit();
    void adminRemovesAPost();
    void adminAddsComments();
    void adminInvalidatesATokenAndRevokesAnAuthorization();
    void faultInjectionTargetsRedditEndpoints();
    void postsSurviveARestart();

private:
    QString post(const QString &title, const QString &sr = "sandbox");
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    QString m_token;
};

void SandboxRedditApiTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    m_token = login(m_http, *m_sandbox);
    QVERIFY(!m_token.isEmpty());
}

void SandboxRedditApiTest::init() {
    // A fresh rate-limit window for every test.
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", 0}}).status,
        200);
}

QString SandboxRedditApiTest::post(const QString &title, const QString &sr) {
    const auto result =
        submit(m_http, *m_sandbox, m_token, {{"sr", sr}, {"kind", "self"}, {"title", title}});
    return result.json()["json"].toObject()["data"].toObject()["name"].toString();
}

void SandboxRedditApiTest::userAgentMustBeDescriptive_data() {
    QTest::addColumn<QByteArray>("agent");
    QTest::addColumn<int>("status");
    QTest::newRow("descriptive") << kUserAgent << 200;
    QTest::newRow("descriptive, other platform")
        << QByteArray("linux:huntaze:0.9.1 (by /u/bob)") << 200;
    QTest::newRow("absent") << QByteArray() << 429;
    QTest::newRow("empty") << QByteArray("") << 429;
    QTest::newRow("browser") << QByteArray("Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101") << 429;
    QTest::newRow("python-requests") << QByteArray("python-requests/2.31.0") << 429;
    QTest::newRow("Qt default") << QByteArray("Qt/6.4.2") << 429;
    QTest::newRow("curl") << QByteArray("curl/7.88.1") << 429;
    QTest::newRow("no username") << QByteArray("desktop:com.huntaze.app:1.0") << 429;
}

void SandboxRedditApiTest::userAgentMustBeDescriptive() {
    QFETCH(QByteArray, agent);
    QFETCH(int, status);
    HttpClient::Headers headers{{"Authorization", "bearer " + m_token.toUtf8()}};
    // Absent: whatever Qt sends by default (it is generic either way).
    if (!agent.isNull())
        headers.append({"User-Agent", agent});
    const auto result = m_http.get(m_sandbox->url("/reddit/api/v1/me"), headers);
    QCOMPARE(result.status, status);
}

void SandboxRedditApiTest::bearerSchemeIsAcceptedInAnyCase_data() {
    QTest::addColumn<QByteArray>("scheme");
    QTest::newRow("bearer") << QByteArray("bearer");
    QTest::newRow("Bearer") << QByteArray("Bearer");
    QTest::newRow("BEARER") << QByteArray("BEARER");
}

void SandboxRedditApiTest::bearerSchemeIsAcceptedInAnyCase() {
    QFETCH(QByteArray, scheme);
    const auto result = m_http.get(
        m_sandbox->url("/reddit/api/v1/me"),
        {{"Authorization", scheme + ' ' + m_token.toUtf8()}, {"User-Agent", kUserAgent}});
    QCOMPARE(result.status, 200);
}

void SandboxRedditApiTest::missingOrUnknownTokenIs401() {
    const auto none = m_http.get(m_sandbox->url("/reddit/api/v1/me"), {{"User-Agent", kUserAgent}});
    QCOMPARE(none.status, 401);
    QCOMPARE(none.json()["message"].toString(), QString("Unauthorized"));
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api("not-a-token")).status, 401);
}

void SandboxRedditApiTest::scopesAreEnforcedWith403() {
    const QString identityOnly = login(m_http, *m_sandbox, "identity");
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(identityOnly)).status, 200);
    const auto listing =
        m_http.get(m_sandbox->url("/reddit/user/sbx_alice/submitted"), api(identityOnly));
    QCOMPARE(listing.status, 403);
    QVERIFY(listing.header("WWW-Authenticate").contains("insufficient_scope"));
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/info?id=t3_x"), api(identityOnly)).status, 403);
    const auto submitted =
        submit(m_http, *m_sandbox, identityOnly, {{"sr", "sandbox"}, {"kind", "self"}});
    QCOMPARE(submitted.status, 403);
}

void SandboxRedditApiTest::meReturnsTheIdentity() {
    const auto me = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
    QCOMPARE(me.status, 200);
    const QJsonObject o = me.json();
    QCOMPARE(o["name"].toString(), QString("sbx_alice"));
    QCOMPARE(o["id"].toString(), QString("sbx1a"));
    QVERIFY(o["created_utc"].toDouble() > 1e9);
    QVERIFY(o.contains("link_karma"));
    QVERIFY(o.contains("comment_karma"));
}

void SandboxRedditApiTest::rateLimitHeadersCountEveryCall() {
    const auto first = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
    const auto second = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
    QCOMPARE(first.header("X-Ratelimit-Used"), QByteArray("1"));
    QCOMPARE(first.header("X-Ratelimit-Remaining"), QByteArray("999.0"));
    QCOMPARE(second.header("X-Ratelimit-Used"), QByteArray("2"));
    QCOMPARE(second.header("X-Ratelimit-Remaining"), QByteArray("998.0"));
    bool ok = false;
    const int reset = second.header("X-Ratelimit-Reset").toInt(&ok);
    QVERIFY(ok);
    QVERIFY(reset > 0 && reset <= 600);
    const QJsonObject window = m_http.get(m_sandbox->url("/_admin/reddit/ratelimit/window")).json();
    QCOMPARE(window["used"].toInt(), 2);
    QCOMPARE(window["limit"].toInt(), 1000);
}

void SandboxRedditApiTest::overTheLimitAnswers429UntilTheWindowResets() {
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/ratelimit/window"), {{"used", 997}}).status,
        200);
    for (const char *remaining : {"2.0", "1.0", "0.0"}) {
        const auto ok = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.header("X-Ratelimit-Remaining"), QByteArray(remaining));
    }
    const auto limited = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("X-Ratelimit-Remaining"), QByteArray("0.0"));
    QCOMPARE(limited.header("X-Ratelimit-Used"), QByteArray("1000"));
    const int reset = limited.header("X-Ratelimit-Reset").toInt();
    QVERIFY(reset > 0 && reset <= 600);
    // Still limited a little before the reset, free again after it.
    if (reset > 2) {
        QVERIFY(advance(m_http, *m_sandbox, reset - 2));
        QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token)).status, 429);
        QVERIFY(advance(m_http, *m_sandbox, 3));
    } else {
        QVERIFY(advance(m_http, *m_sandbox, reset + 1));
    }
    const auto fresh = m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token));
    QCOMPARE(fresh.status, 200);
    QCOMPARE(fresh.header("X-Ratelimit-Used"), QByteArray("1"));
    QCOMPARE(fresh.header("X-Ratelimit-Remaining"), QByteArray("999.0"));
}

void SandboxRedditApiTest::submittedListingPagesNewestFirst() {
    const QString bob = login(m_http, *m_sandbox, "identity submit read history", "sbx2b");
    QStringList created;
    for (int i = 0; i < 5; ++i) {
        const auto r =
            submit(m_http, *m_sandbox, bob,
                   {{"sr", "huntaze"}, {"kind", "self"}, {"title", QString("page %1").arg(i)}});
        created.prepend(r.json()["json"].toObject()["data"].toObject()["name"].toString());
        QVERIFY(advance(m_http, *m_sandbox, 1)); // distinct created_utc
    }
    QStringList seen;
    QString after;
    for (int page = 0; page < 5 && (page == 0 || !after.isEmpty()); ++page) {
        QString path = "/reddit/user/sbx_bob/submitted?limit=2";
        if (!after.isEmpty())
            path += "&after=" + after;
        const auto result = m_http.get(m_sandbox->url(path), api(bob));
        QCOMPARE(result.status, 200);
        const QJsonObject listing = result.json();
        QCOMPARE(listing["kind"].toString(), QString("Listing"));
        const QJsonArray children = listing["data"].toObject()["children"].toArray();
        QVERIFY(children.size() <= 2);
        for (const auto &child : children) {
            QCOMPARE(child.toObject()["kind"].toString(), QString("t3"));
            seen.append(child.toObject()["data"].toObject()["name"].toString());
        }
        after = listing["data"].toObject()["after"].toString();
    }
    QCOMPARE(seen, created);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/user/nobody_here/submitted"), api(bob)).status,
             404);
}

void SandboxRedditApiTest::infoReturnsPostFieldsAndRefusesMoreThan100Ids() {
    const QString a = post("info a");
    const QString b = post("info b");
    const auto result = m_http.get(
        m_sandbox->url("/reddit/api/info?id=" + a + "," + b + ",t3_zzzzzz"), api(m_token));
    QCOMPARE(result.status, 200);
    const QJsonArray children = result.json()["data"].toObject()["children"].toArray();
    QCOMPARE(children.size(), 2);
    const QJsonObject data = children.at(0).toObject()["data"].toObject();
    QCOMPARE(data["name"].toString(), a);
    for (const char *field : {"score", "num_comments", "upvote_ratio", "permalink"})
        QVERIFY2(data.contains(field), field);
    QVERIFY(data.contains("removed_by_category"));
    QVERIFY(data["removed_by_category"].isNull());
    QVERIFY(data["permalink"].toString().startsWith("/r/sandbox/comments/"));

    QStringList many;
    for (int i = 0; i < 101; ++i)
        many.append(QString("t3_%1").arg(i));
    QCOMPARE(
        m_http.get(m_sandbox->url("/reddit/api/info?id=" + many.join(",")), api(m_token)).status,
        400);
    many.removeLast();
    QCOMPARE(
        m_http.get(m_sandbox->url("/reddit/api/info?id=" + many.join(",")), api(m_token)).status,
        200);
}

void SandboxRedditApiTest::commentsAnswerPostListingAndCommentTree() {
    const QString name = post("with comments");
    QVERIFY(m_http
                .postJson(m_sandbox->url("/_admin/reddit/posts/" + name + "/comments"),
                          {{"body", "first!"}, {"author", "sbx_carol"}})
                .status == 200);
    const auto result = m_http.get(m_sandbox->url("/reddit/comments/" + name.mid(3)), api(m_token));
    QCOMPARE(result.status, 200);
    const QJsonArray both = result.document().array();
    QCOMPARE(both.size(), 2);
    const QJsonObject postListing = both.at(0).toObject();
    QCOMPARE(postListing["kind"].toString(), QString("Listing"));
    QCOMPARE(postListing["data"]
                 .toObject()["children"]
                 .toArray()
                 .at(0)
                 .toObject()["data"]
                 .toObject()["name"]
                 .toString(),
             name);
    const QJsonArray comments = both.at(1).toObject()["data"].toObject()["children"].toArray();
    QCOMPARE(comments.size(), 1);
    QCOMPARE(comments.at(0).toObject()["kind"].toString(), QString("t1"));
    const QJsonObject comment = comments.at(0).toObject()["data"].toObject();
    QCOMPARE(comment["body"].toString(), QString("first!"));
    QCOMPARE(comment["author"].toString(), QString("sbx_carol"));
    QCOMPARE(comment["parent_id"].toString(), name);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/comments/nope00"), api(m_token)).status, 404);
}

void SandboxRedditApiTest::scoresAndCommentsGrowWithTheClock() {
    const QString name = post("growing");
    auto read = [&] {
        return m_http.get(m_sandbox->url("/reddit/api/info?id=" + name), api(m_token))
            .json()["data"]
            .toObject()["children"]
            .toArray()
            .at(0)
            .toObject()["data"]
            .toObject();
    };
    const QJsonObject before = read();
    QVERIFY(advance(m_http, *m_sandbox, 30 * 60));
    const QJsonObject after = read();
    QVERIFY2(after["score"].toInt() > before["score"].toInt(),
             qPrintable(QString::number(after["score"].toInt())));
    QVERIFY(after["num_comments"].toInt() > before["num_comments"].toInt());
    QVERIFY(after["upvote_ratio"].toDouble() > 0 && after["upvote_ratio"].toDouble() <= 1);
    const auto comments =
        m_http.get(m_sandbox->url("/reddit/comments/" + name.mid(3)), api(m_token));
    QCOMPARE(comments.document()
                 .array()
                 .at(1)
                 .toObject()["data"]
                 .toObject()["children"]
                 .toArray()
                 .size(),
             after["num_comments"].toInt());
}

void SandboxRedditApiTest::rawJsonControlsHtmlEscaping() {
    const QString name = post("Tom & Jerry <3");
    const auto escaped = m_http.get(m_sandbox->url("/reddit/api/info?id=" + name), api(m_token));
    auto title = [](const HttpResult &r) {
        return r.json()["data"]
            .toObject()["children"]
            .toArray()
            .at(0)
            .toObject()["data"]
            .toObject()["title"]
            .toString();
    };
    QCOMPARE(title(escaped), QString("Tom &amp; Jerry &lt;3"));
    const auto raw =
        m_http.get(m_sandbox->url("/reddit/api/info?raw_json=1&id=" + name), api(m_token));
    QCOMPARE(title(raw), QString("Tom & Jerry <3"));
    const auto link = submit(m_http, *m_sandbox, m_token,
                             {{"sr", "sandbox"},
                              {"kind", "link"},
                              {"title", "query link"},
                              {"url", "https://example.com/p?a=1&b=2"}});
    const QString linkName = link.json()["json"].toObject()["data"].toObject()["name"].toString();
    auto url = [&](const QString &query) {
        return m_http
            .get(m_sandbox->url("/reddit/api/info?" + query + "id=" + linkName), api(m_token))
            .json()["data"]
            .toObject()["children"]
            .toArray()
            .at(0)
            .toObject()["data"]
            .toObject()["url"]
            .toString();
    };
    QCOMPARE(url(""), QString("https://example.com/p?a=1&amp;b=2"));
    QCOMPARE(url("raw_json=1&"), QString("https://example.com/p?a=1&b=2"));
}

// README.md's fixed templates, in Reddit's link_flair_v2 shape (a bare JSON array).
void SandboxRedditApiTest::linkFlairsListTheSubredditsTemplates() {
    const QString token = login(m_http, *m_sandbox, "identity submit flair");
    const auto huntaze =
        m_http.get(m_sandbox->url("/reddit/r/huntaze/api/link_flair_v2?raw_json=1"), api(token));
    QCOMPARE(huntaze.status, 200);
    QVERIFY(huntaze.document().isArray());
    const QJsonArray templates = huntaze.document().array();
    QCOMPARE(templates.size(), 3);
    QStringList texts;
    for (const auto &t : templates)
        texts << t.toObject()["text"].toString();
    QCOMPARE(texts, (QStringList{"Tutorial", "Showcase", "Announcement"}));
    const QJsonObject showcase = templates.at(1).toObject();
    QCOMPARE(showcase["id"].toString(), QString("5f0c3a1e-8d2b-4c6a-9e71-0a1b2c3d4e02"));
    QCOMPARE(showcase["type"].toString(), QString("text"));
    QCOMPARE(showcase["text_editable"].toBool(), true);
    QCOMPARE(showcase["mod_only"].toBool(), false);
    QCOMPARE(showcase["text_color"].toString(), QString("dark"));
    QCOMPARE(showcase["background_color"].toString(), QString("#ffd635"));
    QVERIFY(showcase["richtext"].isArray());
    QVERIFY(showcase.contains("allowable_content"));
    QVERIFY(showcase.contains("max_emojis"));
    QCOMPARE(templates.at(0).toObject()["text_editable"].toBool(), false);
    QCOMPARE(templates.at(2).toObject()["mod_only"].toBool(), true);
    // Names are matched without regard to case, as Reddit does.
    const auto sandbox =
        m_http.get(m_sandbox->url("/reddit/r/SandBox/api/link_flair_v2"), api(token));
    QCOMPARE(sandbox.status, 200);
    QCOMPARE(sandbox.document().array().size(), 1);
    QCOMPARE(sandbox.document().array().at(0).toObject()["text"].toString(), QString("Test"));
    // A subreddit without link flairs answers an empty array.
    const auto none =
        m_http.get(m_sandbox->url("/reddit/r/linksonly/api/link_flair_v2"), api(token));
    QCOMPARE(none.status, 200);
    QVERIFY(none.document().isArray());
    QCOMPARE(none.document().array().size(), 0);
    // The same templates are published in /_admin/endpoints for tests to find.
    const QJsonObject published = m_sandbox->platform("reddit")["link_flairs"].toObject();
    QCOMPARE(published["huntaze"].toArray(), templates);
}

void SandboxRedditApiTest::linkFlairsNeedTheFlairScopeAndAnExistingSubreddit() {
    // m_token was granted "identity submit read history": no flair.
    const auto refused =
        m_http.get(m_sandbox->url("/reddit/r/huntaze/api/link_flair_v2"), api(m_token));
    QCOMPARE(refused.status, 403);
    QVERIFY(refused.header("WWW-Authenticate").contains("insufficient_scope"));
    const QString token = login(m_http, *m_sandbox, "identity flair");
    const auto unknown =
        m_http.get(m_sandbox->url("/reddit/r/no_such_sub/api/link_flair_v2"), api(token));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json()["error"].toInt(), 404);
    // The route's endpoint name for faults and the request log.
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "reddit"},
                                                              {"endpoint", "flair.list"},
                                                              {"kind", "status"},
                                                              {"status", 503},
                                                              {"times", 1}})
                 .status,
             200);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/r/huntaze/api/link_flair_v2"), api(token)).status,
             503);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/r/huntaze/api/link_flair_v2"), api(token)).status,
             200);
    QVERIFY(m_http.get(m_sandbox->url("/_admin/requests?platform=reddit&endpoint=flair.list"))
                .document()
                .array()
                .size() >= 4);
}

void SandboxRedditApiTest::adminRemovesAPost() {
    const QString name = post("to be removed");
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/reddit/posts/" + name + "/remove"),
                           {{"category", "moderator"}})
                 .status,
             200);
    const QJsonObject data = m_http.get(m_sandbox->url("/reddit/api/info?id=" + name), api(m_token))
                                 .json()["data"]
                                 .toObject()["children"]
                                 .toArray()
                                 .at(0)
                                 .toObject()["data"]
                                 .toObject();
    QCOMPARE(data["removed_by_category"].toString(), QString("moderator"));
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/reddit/posts/t3_nope/remove"), {}).status,
             404);
}

void SandboxRedditApiTest::adminAddsComments() {
    const QString name = post("commented by admin");
    const auto added = m_http.postJson(m_sandbox->url("/_admin/reddit/posts/" + name + "/comments"),
                                       {{"count", 3}});
    QCOMPARE(added.status, 200);
    const QJsonObject data = m_http.get(m_sandbox->url("/reddit/api/info?id=" + name), api(m_token))
                                 .json()["data"]
                                 .toObject()["children"]
                                 .toArray()
                                 .at(0)
                                 .toObject()["data"]
                                 .toObject();
    QCOMPARE(data["num_comments"].toInt(), 3);
}

void SandboxRedditApiTest::adminInvalidatesATokenAndRevokesAnAuthorization() {
    const QString one = login(m_http, *m_sandbox, "identity", "sbx3c");
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/reddit/tokens/invalidate"), {{"token", one}})
                 .status,
             200);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(one)).status, 401);

    const QJsonObject token = exchangeCode(
        m_http, *m_sandbox, approve(m_http, *m_sandbox, "identity", "permanent", "sbx3c"));
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(token["access_token"].toString()))
                 .status,
             200);
    const auto revoked = m_http.postJson(m_sandbox->url("/_admin/reddit/authorizations/revoke"),
                                         {{"user", "sbx3c"}});
    QCOMPARE(revoked.status, 200);
    QVERIFY(revoked.json()["revoked"].toInt() >= 2);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(token["access_token"].toString()))
                 .status,
             401);
    QUrlQuery form;
    form.addQueryItem("grant_type", "refresh_token");
    form.addQueryItem("refresh_token", token["refresh_token"].toString());
    QCOMPARE(tokenRequest(m_http, *m_sandbox, form).json()["error"].toString(),
             QString("invalid_grant"));
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/reddit/authorizations/revoke"), {{"user", "ghost"}})
            .status,
        400);
}

void SandboxRedditApiTest::faultInjectionTargetsRedditEndpoints() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "reddit"},
                                                              {"endpoint", "account.me"},
                                                              {"kind", "status"},
                                                              {"status", 503},
                                                              {"times", 1}})
                 .status,
             200);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token)).status, 503);
    QCOMPARE(m_http.get(m_sandbox->url("/reddit/api/v1/me"), api(m_token)).status, 200);
    const QJsonArray seen =
        m_http.get(m_sandbox->url("/_admin/requests?platform=reddit&endpoint=account.me"))
            .document()
            .array();
    QVERIFY(seen.size() >= 2);
    QCOMPARE(seen.last().toObject()["user_agent"].toString(), QString::fromUtf8(kUserAgent));
}

void SandboxRedditApiTest::postsSurviveARestart() {
    const QString name = post("persistent");
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    const auto result = m_http.get(m_sandbox->url("/reddit/api/info?id=" + name), api(m_token));
    QCOMPARE(result.json()["data"].toObject()["children"].toArray().size(), 1);
    const QJsonArray posts =
        m_http.get(m_sandbox->url("/_admin/reddit/posts")).json()["posts"].toArray();
    bool found = false;
    for (const auto &p : posts)
        found = found || p.toObject()["name"].toString() == name;
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(SandboxRedditApiTest)
#include "tst_sandbox_reddit_api.moc"
