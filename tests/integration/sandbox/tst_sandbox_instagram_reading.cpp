#include "instagramtesthelpers.h"

using namespace huntaze::test;
using namespace igtest;

// Reading: the account's media with cursors, comments arriving over time, replies and
// hiding, insights that grow, and the usage headers with their blocking at 100 %.
class SandboxInstagramReadingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mediaListIsNewestFirstWithCursorPagination();
    void storiesAndCarouselChildrenAreNotListed();
    void commentsArriveOverTime();
    void replyAndHideAComment();
    void replyNeedsAMessage();
    void insightsAnswerViewsAndGrowOverTime();
    void retiredOrUnknownMetricsAreRejected_data();
    void retiredOrUnknownMetricsAreRejected();
    void carouselChildrenHaveNoInsights();
    void appUsageGrowsAndBlocksAt100();
    void accountUsageBlocksWith80002AndTellsWhenAccessReturns();
    void mediaCommentsAndContainersSurviveARestart();
    void userAndPageLimitsAnswer17And32_data();
    void userAndPageLimitsAnswer17And32();
    void declinedPermissionsAnswerCode10_data();
    void declinedPermissionsAnswerCode10();

private:
    QString publishImage(const QString &name);
    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    Session m_alex;
};

void SandboxInstagramReadingTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 1000000}, {"buc_call_limit", 1000000}}));
    m_alex = login(m_http, *m_sandbox);
}

QString SandboxInstagramReadingTest::publishImage(const QString &name) {
    const auto c =
        graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                  {{"image_url", "https://cdn.example.com/" + name + ".jpg"}, {"caption", name}});
    const auto p = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media_publish", m_alex.longToken,
                             {{"creation_id", c.json()["id"].toString()}});
    return p.json()["id"].toString();
}

void SandboxInstagramReadingTest::mediaListIsNewestFirstWithCursorPagination() {
    QStringList ids;
    for (const char *name : {"first", "second", "third"}) {
        ids.prepend(publishImage(name));
        QVERIFY(!ids.first().isEmpty());
        QVERIFY(advance(m_http, *m_sandbox, 1));
    }
    const QString fields = "fields=id,caption,media_type,media_product_type,permalink,timestamp,"
                           "like_count,comments_count,media_url&limit=2";
    const auto first =
        graphGet(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken, fields);
    QCOMPARE(first.status, 200);
    QJsonArray data = first.json()["data"].toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data[0].toObject()["id"].toString(), ids[0]);
    QCOMPARE(data[1].toObject()["id"].toString(), ids[1]);
    QCOMPARE(data[0].toObject()["caption"].toString(), QString("third"));
    QVERIFY(data[0].toObject()["timestamp"].toString().endsWith("+0000"));
    QCOMPARE(data[0].toObject()["media_product_type"].toString(), QString("FEED"));
    const QString after =
        first.json()["paging"].toObject()["cursors"].toObject()["after"].toString();
    const auto second = graphGet(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                 "fields=id&limit=2&after=" + after);
    QCOMPARE(second.json()["data"].toArray()[0].toObject()["id"].toString(), ids[2]);
    QVERIFY(!first.json()["paging"].toObject()["next"].toString().isEmpty());
    const auto bad =
        graphGet(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken, "after=garbage");
    QCOMPARE(error(bad)["code"].toInt(), 100);
}

void SandboxInstagramReadingTest::storiesAndCarouselChildrenAreNotListed() {
    const auto story =
        graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                  {{"media_type", "STORIES"}, {"image_url", "https://cdn.example.com/story.jpg"}});
    const auto storyMedia =
        graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media_publish", m_alex.longToken,
                  {{"creation_id", story.json()["id"].toString()}});
    QCOMPARE(storyMedia.status, 200);
    const auto list = graphGet(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                               "fields=id,media_product_type&limit=100");
    for (const QJsonValue &m : list.json()["data"].toArray()) {
        QVERIFY(m.toObject()["id"].toString() != storyMedia.json()["id"].toString());
        QVERIFY(m.toObject()["media_product_type"].toString() != "STORY");
    }
}

void SandboxInstagramReadingTest::commentsArriveOverTime() {
    const QString media = publishImage("commented");
    const auto before = graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken,
                                 "fields=id,text,username,timestamp,like_count,replies");
    QCOMPARE(before.status, 200);
    QCOMPARE(before.json()["data"].toArray().size(), 0);
    QVERIFY(advance(m_http, *m_sandbox, 3600));
    const auto after = graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken,
                                "fields=id,text,username,timestamp,like_count,replies");
    const QJsonArray data = after.json()["data"].toArray();
    QCOMPARE(data.size(), 3);
    const QJsonObject c = data[0].toObject();
    QVERIFY(!c["text"].toString().isEmpty());
    QVERIFY(!c["username"].toString().isEmpty());
    QVERIFY(c.contains("like_count"));
    QVERIFY(c.contains("replies"));
    const auto count =
        graphGet(m_http, *m_sandbox, "/" + media, m_alex.longToken, "fields=comments_count");
    QCOMPARE(count.json()["comments_count"].toInt(), 3);
}

void SandboxInstagramReadingTest::replyAndHideAComment() {
    const QString media = publishImage("replied");
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/instagram/comments"),
                           {{"media_id", media}, {"text", "love it"}, {"username", "a.fan"}})
                 .status,
             200);
    const auto comments = graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken,
                                   "fields=id,text,username");
    const QString comment = comments.json()["data"].toArray()[0].toObject()["id"].toString();
    QVERIFY(!comment.isEmpty());
    const auto reply = graphPost(m_http, *m_sandbox, "/" + comment + "/replies", m_alex.longToken,
                                 {{"message", "thank you!"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(!reply.json()["id"].toString().isEmpty());
    const auto hidden =
        graphPost(m_http, *m_sandbox, "/" + comment, m_alex.longToken, {{"hide", "true"}});
    QCOMPARE(hidden.status, 200);
    QCOMPARE(hidden.json()["success"].toBool(), true);
    const auto read = graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken,
                               "fields=id,hidden,replies{id,text,username}");
    const QJsonObject c = read.json()["data"].toArray()[0].toObject();
    QCOMPARE(c["hidden"].toBool(), true);
    const QJsonArray replies = c["replies"].toObject()["data"].toArray();
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].toObject()["text"].toString(), QString("thank you!"));
    QCOMPARE(replies[0].toObject()["username"].toString(), QString("alex.studio"));
}

void SandboxInstagramReadingTest::replyNeedsAMessage() {
    const QString media = publishImage("noreply");
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"), {{"media_id", media}});
    const QString comment =
        graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken)
            .json()["data"]
            .toArray()[0]
            .toObject()["id"]
            .toString();
    const auto result = graphPost(m_http, *m_sandbox, "/" + comment + "/replies", m_alex.longToken);
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 100);
}

void SandboxInstagramReadingTest::insightsAnswerViewsAndGrowOverTime() {
    const QString media = publishImage("measured");
    const QString metrics = "metric=reach,likes,comments,saved,shares,views,total_interactions";
    const auto before =
        graphGet(m_http, *m_sandbox, "/" + media + "/insights", m_alex.longToken, metrics);
    QCOMPARE(before.status, 200);
    const QJsonArray data = before.json()["data"].toArray();
    QCOMPARE(data.size(), 7);
    auto value = [](const QJsonArray &array, const QString &name) {
        for (const QJsonValue &v : array)
            if (v.toObject()["name"].toString() == name)
                return v.toObject()["values"].toArray()[0].toObject()["value"].toInt();
        return -1;
    };
    QCOMPARE(data[5].toObject()["name"].toString(), QString("views"));
    QVERIFY(data[5].toObject().contains("period"));
    QVERIFY(data[5].toObject().contains("total_value"));
    const int viewsBefore = value(data, "views");
    QVERIFY(advance(m_http, *m_sandbox, 2 * 3600));
    const auto after =
        graphGet(m_http, *m_sandbox, "/" + media + "/insights", m_alex.longToken, metrics);
    const QJsonArray later = after.json()["data"].toArray();
    QVERIFY(value(later, "views") > viewsBefore);
    QVERIFY(value(later, "likes") > 0);
    QVERIFY(value(later, "comments") >= 6);
}

void SandboxInstagramReadingTest::retiredOrUnknownMetricsAreRejected_data() {
    QTest::addColumn<QString>("metric");
    QTest::newRow("impressions") << "impressions";
    QTest::newRow("plays") << "plays";
    QTest::newRow("video_views") << "video_views";
    QTest::newRow("unknown") << "happiness";
    QTest::newRow("missing") << "";
}

void SandboxInstagramReadingTest::retiredOrUnknownMetricsAreRejected() {
    QFETCH(QString, metric);
    const QString media = publishImage("retired");
    const auto result = graphGet(m_http, *m_sandbox, "/" + media + "/insights", m_alex.longToken,
                                 "metric=reach," + metric);
    const auto alone = graphGet(m_http, *m_sandbox, "/" + media + "/insights", m_alex.longToken,
                                metric.isEmpty() ? "" : "metric=" + metric);
    QCOMPARE(alone.status, 400);
    QCOMPARE(error(alone)["code"].toInt(), 100);
    if (!metric.isEmpty()) {
        QCOMPARE(result.status, 400);
        QVERIFY(error(result)["message"].toString().contains(metric));
    }
}

void SandboxInstagramReadingTest::carouselChildrenHaveNoInsights() {
    QStringList items;
    for (int i = 0; i < 2; ++i)
        items << graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                           {{"is_carousel_item", "true"},
                            {"image_url", QString("https://cdn.example.com/k%1.jpg").arg(i)}})
                     .json()["id"]
                     .toString();
    const auto carousel = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
                                    {{"media_type", "CAROUSEL"}, {"children", items.join(',')}});
    const QString container = carousel.json()["id"].toString();
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
    const auto published = graphPost(m_http, *m_sandbox, "/" + kAlexIg + "/media_publish",
                                     m_alex.longToken, {{"creation_id", container}});
    const QString album = published.json()["id"].toString();
    const auto children =
        graphGet(m_http, *m_sandbox, "/" + album, m_alex.longToken, "fields=children{id}");
    const QString child =
        children.json()["children"].toObject()["data"].toArray()[0].toObject()["id"].toString();
    QVERIFY(!child.isEmpty());
    const auto childInsights =
        graphGet(m_http, *m_sandbox, "/" + child + "/insights", m_alex.longToken, "metric=reach");
    QCOMPARE(childInsights.status, 400);
    QCOMPARE(error(childInsights)["code"].toInt(), 100);
    QCOMPARE(
        graphGet(m_http, *m_sandbox, "/" + album + "/insights", m_alex.longToken, "metric=reach")
            .status,
        200);
}

void SandboxInstagramReadingTest::appUsageGrowsAndBlocksAt100() {
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 10}, {"buc_call_limit", 1000000}, {"reset", true}}));
    int last = -1;
    for (int i = 0; i < 10; ++i) {
        const auto r = graphGet(m_http, *m_sandbox, "/me", m_alex.longToken);
        QCOMPARE(r.status, 200);
        const int count =
            QJsonDocument::fromJson(r.header("X-App-Usage")).object()["call_count"].toInt();
        QVERIFY2(count > last, qPrintable(QString("%1 after %2").arg(count).arg(last)));
        last = count;
    }
    QCOMPARE(last, 100);
    const auto blocked = graphGet(m_http, *m_sandbox, "/me", m_alex.longToken);
    QCOMPARE(blocked.status, 400);
    QCOMPARE(error(blocked)["code"].toInt(), 4);
    QCOMPARE(error(blocked)["is_transient"].toBool(), true);
    // The window rolls: an hour later calls go through again.
    QVERIFY(advance(m_http, *m_sandbox, 3601));
    QCOMPARE(graphGet(m_http, *m_sandbox, "/me", m_alex.longToken).status, 200);
    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{"app_call_limit", 1000000}, {"reset", true}}));
}

void SandboxInstagramReadingTest::accountUsageBlocksWith80002AndTellsWhenAccessReturns() {
    QVERIFY(admin(m_http, *m_sandbox, "/usage",
                  {{"app_call_limit", 1000000}, {"buc_call_limit", 5}, {"reset", true}}));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(graphGet(m_http, *m_sandbox, "/" + kAlexIg, m_alex.longToken).status, 200);
    const auto blocked = graphGet(m_http, *m_sandbox, "/" + kAlexIg, m_alex.longToken);
    QCOMPARE(blocked.status, 400);
    QCOMPARE(error(blocked)["code"].toInt(), 80002);
    const QJsonObject entry = QJsonDocument::fromJson(blocked.header("X-Business-Use-Case-Usage"))
                                  .object()[kAlexIg]
                                  .toArray()[0]
                                  .toObject();
    QCOMPARE(entry["call_count"].toInt(), 100);
    QVERIFY(entry["estimated_time_to_regain_access"].toInt() > 0);
    // Calls that do not touch the account still pass.
    QCOMPARE(graphGet(m_http, *m_sandbox, "/me", m_alex.longToken).status, 200);
    QVERIFY(advance(m_http, *m_sandbox, 3601));
    QCOMPARE(graphGet(m_http, *m_sandbox, "/" + kAlexIg, m_alex.longToken).status, 200);
    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{"buc_call_limit", 1000000}, {"reset", true}}));
}

void SandboxInstagramReadingTest::mediaCommentsAndContainersSurviveARestart() {
    const QString media = publishImage("persisted");
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/instagram/comments"),
                           {{"media_id", media}, {"text", "still here"}})
                 .status,
             200);
    const auto pending = graphPost(
        m_http, *m_sandbox, "/" + kAlexIg + "/media", m_alex.longToken,
        {{"media_type", "REELS"}, {"video_url", "https://cdn.example.com/after-restart.mp4"}});
    const QString container = pending.json()["id"].toString();
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    const auto read = graphGet(m_http, *m_sandbox, "/" + media, m_alex.longToken,
                               "fields=id,permalink,comments_count");
    QCOMPARE(read.status, 200);
    QVERIFY(read.json()["comments_count"].toInt() >= 1);
    const auto comments =
        graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken, "fields=text");
    QVERIFY(comments.body.contains("still here"));
    // Processing goes on after the restart.
    QVERIFY(advance(m_http, *m_sandbox, 60));
    QVERIFY(waitForStatus(m_http, *m_sandbox, container, m_alex.longToken, "FINISHED"));
}

void SandboxInstagramReadingTest::declinedPermissionsAnswerCode10_data() {
    QTest::addColumn<QString>("declined");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("query");
    QTest::newRow("comments") << "instagram_manage_comments"
                              << "GET"
                              << "/comments"
                              << "";
    QTest::newRow("reply") << "instagram_manage_comments"
                           << "POST"
                           << "/replies"
                           << "message=hi";
    QTest::newRow("insights") << "instagram_manage_insights"
                              << "GET"
                              << "/insights"
                              << "metric=reach";
}

void SandboxInstagramReadingTest::declinedPermissionsAnswerCode10() {
    QFETCH(QString, declined);
    QFETCH(QString, method);
    QFETCH(QString, suffix);
    QFETCH(QString, query);
    const QString media = publishImage("permissions");
    m_http.postJson(m_sandbox->url("/_admin/instagram/comments"), {{"media_id", media}});
    const QString comment =
        graphGet(m_http, *m_sandbox, "/" + media + "/comments", m_alex.longToken)
            .json()["data"]
            .toArray()[0]
            .toObject()["id"]
            .toString();
    QStringList granted = kAllScopes;
    granted.removeAll(declined);
    const Session limited = login(m_http, *m_sandbox, kAlex, granted);
    const QString target = "/" + (suffix == "/replies" ? comment : media) + suffix;
    const auto result =
        method == "GET"
            ? graphGet(m_http, *m_sandbox, target, limited.longToken, query)
            : graphPost(m_http, *m_sandbox, target, limited.longToken, QUrlQuery(query));
    QCOMPARE(result.status, 400);
    QCOMPARE(error(result)["code"].toInt(), 10);
    QVERIFY(error(result)["message"].toString().contains(declined));
}

void SandboxInstagramReadingTest::userAndPageLimitsAnswer17And32_data() {
    QTest::addColumn<QString>("knob");
    QTest::addColumn<bool>("pageToken");
    QTest::addColumn<int>("code");
    QTest::newRow("user limit") << "user_call_limit" << false << 17;
    QTest::newRow("page limit") << "page_call_limit" << true << 32;
}

void SandboxInstagramReadingTest::userAndPageLimitsAnswer17And32() {
    QFETCH(QString, knob);
    QFETCH(bool, pageToken);
    QFETCH(int, code);
    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{knob, 3}, {"reset", true}}));
    const QString token = pageToken ? m_alex.pageToken : m_alex.longToken;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(graphGet(m_http, *m_sandbox, "/" + kAlexPage, token).status, 200);
    const auto blocked = graphGet(m_http, *m_sandbox, "/" + kAlexPage, token);
    QCOMPARE(blocked.status, 400);
    QCOMPARE(error(blocked)["code"].toInt(), code);
    QCOMPARE(error(blocked)["is_transient"].toBool(), true);
    // Another user is not affected.
    const Session blair = login(m_http, *m_sandbox, "1000000000002");
    QCOMPARE(graphGet(m_http, *m_sandbox, "/me", blair.longToken).status, 200);
    QVERIFY(advance(m_http, *m_sandbox, 3601));
    QCOMPARE(graphGet(m_http, *m_sandbox, "/" + kAlexPage, token).status, 200);
    QVERIFY(admin(m_http, *m_sandbox, "/usage", {{knob, 0}, {"reset", true}}));
}

QTEST_GUILESS_MAIN(SandboxInstagramReadingTest)
#include "tst_sandbox_instagram_reading.moc"
