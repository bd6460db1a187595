#include "xsandbox.h"

#include <QDateTime>
#include <QTest>

using namespace huntaze::test;
using namespace xtest;

// X posting, media upload, metrics and limits as shared/platforms/x.md describes them.
class SandboxXPostingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void postAnswers201WithIdTextAndLimitHeaders();
    void invalidPostBodiesAreRefused_data();
    void invalidPostBodiesAreRefused();
    void validPostVariantsAreAccepted_data();
    void validPostVariantsAreAccepted();
    void duplicateContentIsForbidden();
    void legacyErrorShapeCanBeSwitchedOn();
    void postingNeedsAUserTokenWithTweetWrite_data();
    void postingNeedsAUserTokenWithTweetWrite();
    void fifteenMinuteLimitsAnswer429UntilTheWindowResets_data();
    void fifteenMinuteLimitsAnswer429UntilTheWindowResets();
    void twentyFourHourPostingCaps_data();
    void twentyFourHourPostingCaps();
    void injectedFaultHitsTheNamedEndpoint();
    void imageUploadIsStoredWithItsSha256AndCanBePosted();
    void segmentsMayArriveInAnyOrder();
    void videoProcessingMovesOverTime();
    void videoProcessingFailureCanBeForced();
    void mislabelledImageIsRejectedAtFinalize();
    void initializeValidatesTypeCategoryAndSize_data();
    void initializeValidatesTypeCategoryAndSize();
    void appendValidatesEverySegment_data();
    void appendValidatesEverySegment();
    void appendDroppedMidUploadCanBeRetried();
    void initializedMediaExpiresAfterADay();
    void finalizeNeedsEverySegment_data();
    void finalizeNeedsEverySegment();
    void mediaPerPostRules_data();
    void mediaPerPostRules();
    void publicMetricsGrowOverTime();
    void nonPublicMetricsOnlyForTheAuthorUnderThirtyDays();
    void lookupValidatesItsParameters_data();
    void lookupValidatesItsParameters();
    void deleteRemovesOnlyYourOwnPost();
    void invalidatedTokenAnswers401();
    void postsAndMediaSurviveARestart();

private:
    QString token(const QString &user = kCreator, const QString &scopes = kAllScopes);
    QString uniqueText();
    HttpResult post(const QString &token, const QJsonObject &body);
    QString uploadReady(const QString &token, const QString &type, const QString &category,
                        qsizetype size);
    HttpResult lookup(const QString &token, const QString &ids, const QString &fields);
    void setLimit(const QJsonObject &body);

    std::unique_ptr<SandboxProcess> m_sandbox;
    HttpClient m_http;
    int m_counter = 0;
};

void SandboxXPostingTest::initTestCase() {
    m_sandbox = std::make_unique<SandboxProcess>();
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->output()));
}

void SandboxXPostingTest::init() {
    // Every test starts with fresh counters and the documented shapes.
    setLimit({{"reset", true}});
    m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"error_shape", "problem"}});
}

QString SandboxXPostingTest::token(const QString &user, const QString &scopes) {
    return login(m_http, *m_sandbox, scopes, user)["access_token"].toString();
}

QString SandboxXPostingTest::uniqueText() {
    return QString("sandbox post %1 #%2").arg(QDateTime::currentMSecsSinceEpoch()).arg(++m_counter);
}

HttpResult SandboxXPostingTest::post(const QString &accessToken, const QJsonObject &body) {
    return m_http.postJson(m_sandbox->url("/x/2/tweets"), body, bearer(accessToken));
}

QString SandboxXPostingTest::uploadReady(const QString &accessToken, const QString &type,
                                         const QString &category, qsizetype size) {
    const auto finalized =
        uploadMedia(m_http, *m_sandbox, accessToken, type, category, fakeFile(type, size));
    if (finalized.status != 200)
        return {};
    const QString id = finalized.json()["data"].toObject()["id"].toString();
    if (finalized.json()["data"].toObject().contains("processing_info"))
        advance(m_http, *m_sandbox, 11);
    return id;
}

HttpResult SandboxXPostingTest::lookup(const QString &accessToken, const QString &ids,
                                       const QString &fields) {
    QUrl url = m_sandbox->url("/x/2/tweets");
    QUrlQuery query;
    query.addQueryItem("ids", ids);
    if (!fields.isEmpty())
        query.addQueryItem("tweet.fields", fields);
    url.setQuery(query);
    return m_http.get(url, bearer(accessToken));
}

void SandboxXPostingTest::setLimit(const QJsonObject &body) {
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/x/limits"), body).status, 200);
}

void SandboxXPostingTest::postAnswers201WithIdTextAndLimitHeaders() {
    const QString text = uniqueText();
    const auto result = post(token(), {{"text", text}});
    QCOMPARE(result.status, 201);
    const QJsonObject data = result.json()["data"].toObject();
    QCOMPARE(data["text"].toString(), text);
    QVERIFY(!data["id"].toString().isEmpty());
    QCOMPARE(result.header("x-rate-limit-limit"), QByteArray("100"));
    QCOMPARE(result.header("x-rate-limit-remaining"), QByteArray("99"));
    QVERIFY(result.header("x-rate-limit-reset").toLongLong() > QDateTime::currentSecsSinceEpoch());
    for (const char *name :
         {"x-user-limit-24hour-limit", "x-user-limit-24hour-remaining", "x-user-limit-24hour-reset",
          "x-app-limit-24hour-limit", "x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"})
        QVERIFY2(!result.header(name).isEmpty(), name);
    // The platform's view.
    const QJsonArray posts = m_http.get(m_sandbox->url("/_admin/x/posts")).document().array();
    bool seen = false;
    for (const QJsonValue &p : posts)
        seen = seen || (p["id"].toString() == data["id"].toString() &&
                        p["text"].toString() == text && p["author_id"].toString() == kCreator);
    QVERIFY(seen);
}

void SandboxXPostingTest::invalidPostBodiesAreRefused_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("not json") << QByteArray("{\"text\": ") << 400;
    QTest::newRow("array") << QByteArray("[\"text\"]") << 400;
    QTest::newRow("unknown field") << QByteArray(R"({"text":"a","colour":"red"})") << 400;
    QTest::newRow("text not a string") << QByteArray(R"({"text":42})") << 400;
    QTest::newRow("empty text without media") << QByteArray(R"({"text":""})") << 400;
    QTest::newRow("no text no media") << QByteArray(R"({})") << 400;
    QTest::newRow("text over 280")
        << QByteArray("{\"text\":\"" + QByteArray(281, 'a') + "\"}") << 403;
    QTest::newRow("media ids empty")
        << QByteArray(R"({"text":"a","media":{"media_ids":[]}})") << 400;
    QTest::newRow("five media ids")
        << QByteArray(R"({"text":"a","media":{"media_ids":["1","2","3","4","5"]}})") << 400;
    QTest::newRow("media id as number")
        << QByteArray(R"({"text":"a","media":{"media_ids":[123]}})") << 400;
    QTest::newRow("unknown media id")
        << QByteArray(R"({"text":"a","media":{"media_ids":["1234567890"]}})") << 400;
    QTest::newRow("poll one option")
        << QByteArray(R"({"text":"a","poll":{"options":["x"],"duration_minutes":60}})") << 400;
    QTest::newRow("poll five options")
        << QByteArray(
               R"({"text":"a","poll":{"options":["a","b","c","d","e"],"duration_minutes":60}})")
        << 400;
    QTest::newRow("poll option 26 chars")
        << QByteArray(
               R"({"text":"a","poll":{"options":["abcdefghijklmnopqrstuvwxyz","b"],"duration_minutes":60}})")
        << 400;
    QTest::newRow("poll options not strings")
        << QByteArray(R"({"text":"a","poll":{"options":[1,2],"duration_minutes":60}})") << 400;
    QTest::newRow("poll 4 minutes")
        << QByteArray(R"({"text":"a","poll":{"options":["a","b"],"duration_minutes":4}})") << 400;
    QTest::newRow("poll 10081 minutes")
        << QByteArray(R"({"text":"a","poll":{"options":["a","b"],"duration_minutes":10081}})")
        << 400;
    QTest::newRow("poll and quote")
        << QByteArray(
               R"({"text":"a","poll":{"options":["a","b"],"duration_minutes":60},"quote_tweet_id":"1"})")
        << 400;
    QTest::newRow("media and quote")
        << QByteArray(R"({"text":"a","media":{"media_ids":["1"]},"quote_tweet_id":"1"})") << 400;
    QTest::newRow("media and poll")
        << QByteArray(
               R"({"text":"a","media":{"media_ids":["1"]},"poll":{"options":["a","b"],"duration_minutes":60}})")
        << 400;
    QTest::newRow("quote of unknown post")
        << QByteArray(R"({"text":"a","quote_tweet_id":"999"})") << 400;
    QTest::newRow("reply to unknown post")
        << QByteArray(R"({"text":"a","reply":{"in_reply_to_tweet_id":"999"}})") << 403;
    QTest::newRow("reply without id") << QByteArray(R"({"text":"a","reply":{}})") << 400;
    QTest::newRow("bad reply_settings")
        << QByteArray(R"({"text":"a","reply_settings":"friends"})") << 400;
}

void SandboxXPostingTest::invalidPostBodiesAreRefused() {
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const auto result =
        m_http.post(m_sandbox->url("/x/2/tweets"), body, "application/json", bearer(token()));
    QCOMPARE(result.status, status);
    const QJsonObject problem = result.json();
    QCOMPARE(problem["status"].toInt(), status);
    QVERIFY(!problem["title"].toString().isEmpty());
    QVERIFY(!problem["detail"].toString().isEmpty());
    QVERIFY(problem.contains("type"));
}

void SandboxXPostingTest::validPostVariantsAreAccepted_data() {
    QTest::addColumn<QString>("variant");
    QTest::newRow("poll 2 options 5 minutes") << "poll-min";
    QTest::newRow("poll 4 options 10080 minutes") << "poll-max";
    QTest::newRow("reply") << "reply";
    QTest::newRow("quote") << "quote";
    QTest::newRow("reply_settings following") << "settings";
    QTest::newRow("media only, no text") << "media-only";
}

void SandboxXPostingTest::validPostVariantsAreAccepted() {
    QFETCH(QString, variant);
    const QString access = token();
    const QString existing =
        post(access, {{"text", uniqueText()}}).json()["data"].toObject()["id"].toString();
    QJsonObject body{{"text", uniqueText()}};
    if (variant == "poll-min")
        body["poll"] = QJsonObject{{"options", QJsonArray{"yes", "no"}}, {"duration_minutes", 5}};
    else if (variant == "poll-max")
        body["poll"] =
            QJsonObject{{"options", QJsonArray{"a", "b", "c", "abcdefghijklmnopqrstuvwxy"}},
                        {"duration_minutes", 10080}};
    else if (variant == "reply")
        body["reply"] = QJsonObject{{"in_reply_to_tweet_id", existing}};
    else if (variant == "quote")
        body["quote_tweet_id"] = existing;
    else if (variant == "settings")
        body["reply_settings"] = "following";
    else if (variant == "media-only")
        body = {{"media",
                 QJsonObject{{"media_ids",
                              QJsonArray{uploadReady(access, "image/png", "tweet_image", 2000)}}}}};
    const auto result = post(access, body);
    QCOMPARE(result.status, 201);
    QVERIFY(!result.json()["data"].toObject()["id"].toString().isEmpty());
}

void SandboxXPostingTest::duplicateContentIsForbidden() {
    const QString access = token();
    const QString text = uniqueText();
    QCOMPARE(post(access, {{"text", text}}).status, 201);
    const auto duplicate = post(access, {{"text", text}});
    QCOMPARE(duplicate.status, 403);
    QCOMPARE(duplicate.json()["detail"].toString(),
             QString("You are not allowed to create a Tweet with duplicate content."));
    QCOMPARE(duplicate.json()["status"].toInt(), 403);
    // Another account may say the same thing.
    QCOMPARE(post(token(kBrand), {{"text", text}}).status, 201);
}

void SandboxXPostingTest::legacyErrorShapeCanBeSwitchedOn() {
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"error_shape", "legacy"}}).status,
        200);
    const QString access = token();
    const QString text = uniqueText();
    QCOMPARE(post(access, {{"text", text}}).status, 201);
    const auto duplicate = post(access, {{"text", text}});
    QCOMPARE(duplicate.status, 403);
    const QJsonArray errors = duplicate.json()["errors"].toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].toObject()["code"].toInt(), 187);
    QVERIFY(!errors[0].toObject()["message"].toString().isEmpty());
    QVERIFY(!duplicate.json().contains("title"));
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/x/settings"), {{"error_shape", "sideways"}}).status,
        400);
}

void SandboxXPostingTest::postingNeedsAUserTokenWithTweetWrite_data() {
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << "none" << 401;
    QTest::newRow("unknown token") << "bogus" << 401;
    QTest::newRow("app-only bearer") << "app" << 403;
    QTest::newRow("read-only user token") << "read" << 403;
}

void SandboxXPostingTest::postingNeedsAUserTokenWithTweetWrite() {
    QFETCH(QString, who);
    QFETCH(int, status);
    HttpClient::Headers headers;
    if (who == "bogus")
        headers = bearer("bogus");
    else if (who == "app")
        headers = bearer(m_sandbox->platform("x")["app_bearer_token"].toString());
    else if (who == "read")
        headers = bearer(token(kCreator, "tweet.read users.read"));
    const auto result =
        m_http.postJson(m_sandbox->url("/x/2/tweets"), {{"text", uniqueText()}}, headers);
    QCOMPARE(result.status, status);
    QCOMPARE(result.json()["status"].toInt(), status);
}

void SandboxXPostingTest::fifteenMinuteLimitsAnswer429UntilTheWindowResets_data() {
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<int>("limit");
    QTest::newRow("tweets.create") << "tweets.create" << 3;
    QTest::newRow("tweets.lookup") << "tweets.lookup" << 2;
    QTest::newRow("users.me") << "users.me" << 2;
    QTest::newRow("media.initialize") << "media.initialize" << 2;
    QTest::newRow("media.status") << "media.status" << 3;
    QTest::newRow("webhooks.list (app-only)") << "webhooks.list" << 2;
}

void SandboxXPostingTest::fifteenMinuteLimitsAnswer429UntilTheWindowResets() {
    QFETCH(QString, endpoint);
    QFETCH(int, limit);
    setLimit({{"endpoint", endpoint}, {"limit", limit}, {"window_seconds", 900}});
    const QString access = token();
    const QString ready = endpoint == "media.status"
                              ? uploadReady(access, "image/png", "tweet_image", 500)
                              : QString();
    auto call = [&] {
        if (endpoint == "media.status")
            return m_http.get(
                m_sandbox->url("/x/2/media/upload?media_id=" + ready + "&command=STATUS"),
                bearer(access));
        if (endpoint == "webhooks.list")
            return m_http.get(m_sandbox->url("/x/2/webhooks"),
                              bearer(m_sandbox->platform("x")["app_bearer_token"].toString()));
        if (endpoint == "tweets.create")
            return post(access, {{"text", uniqueText()}});
        if (endpoint == "tweets.lookup")
            return lookup(access, "1234", "public_metrics");
        if (endpoint == "users.me")
            return m_http.get(m_sandbox->url("/x/2/users/me"), bearer(access));
        return m_http.postJson(
            m_sandbox->url("/x/2/media/upload/initialize"),
            {{"media_type", "image/png"}, {"total_bytes", 10}, {"media_category", "tweet_image"}},
            bearer(access));
    };
    for (int i = 1; i <= limit; ++i) {
        const auto ok = call();
        QVERIFY2(ok.status == 200 || ok.status == 201, ok.body.constData());
        QCOMPARE(ok.header("x-rate-limit-limit").toInt(), limit);
        QCOMPARE(ok.header("x-rate-limit-remaining").toInt(), limit - i);
    }
    const auto limited = call();
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("x-rate-limit-remaining"), QByteArray("0"));
    const qint64 reset = limited.header("x-rate-limit-reset").toLongLong();
    const qint64 now = qint64(m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble());
    QVERIFY(reset > now && reset <= now + 900);
    QCOMPARE(limited.json()["title"].toString(), QString("Too Many Requests"));
    QCOMPARE(advance(m_http, *m_sandbox, double(reset - now + 1)).status, 200);
    const auto again = call();
    QVERIFY2(again.status == 200 || again.status == 201, again.body.constData());
    QCOMPARE(again.header("x-rate-limit-remaining").toInt(), limit - 1);
    setLimit({{"endpoint", endpoint}, {"limit", 900}, {"window_seconds", 900}});
}

void SandboxXPostingTest::twentyFourHourPostingCaps_data() {
    QTest::addColumn<QString>("cap");
    QTest::newRow("per user") << "user";
    QTest::newRow("per app") << "app";
}

void SandboxXPostingTest::twentyFourHourPostingCaps() {
    QFETCH(QString, cap);
    const QByteArray prefix = cap == "user" ? "x-user-limit-24hour" : "x-app-limit-24hour";
    setLimit({{cap == "user" ? "user_24h_limit" : "app_24h_limit", 2}});
    const QString creator = token();
    const QString brand = token(kBrand);
    const auto first = post(creator, {{"text", uniqueText()}});
    QCOMPARE(first.status, 201);
    QCOMPARE(first.header(prefix + "-limit"), QByteArray("2"));
    QCOMPARE(first.header(prefix + "-remaining"), QByteArray("1"));
    // The app cap counts every user's posts; the user cap only the user's own.
    const auto second = post(cap == "app" ? brand : creator, {{"text", uniqueText()}});
    QCOMPARE(second.status, 201);
    QCOMPARE(second.header(prefix + "-remaining"), QByteArray("0"));
    if (cap == "user")
        QCOMPARE(post(brand, {{"text", uniqueText()}}).status, 201);
    const auto capped = post(creator, {{"text", uniqueText()}});
    QCOMPARE(capped.status, 429);
    QCOMPARE(capped.header(prefix + "-remaining"), QByteArray("0"));
    const qint64 reset = capped.header(prefix + "-reset").toLongLong();
    const qint64 now = qint64(m_http.get(m_sandbox->url("/_admin/clock")).json()["now"].toDouble());
    QVERIFY(reset > now && reset <= now + 86400);
    QCOMPARE(advance(m_http, *m_sandbox, 86401).status, 200);
    QCOMPARE(post(token(), {{"text", uniqueText()}}).status, 201);
    setLimit({{"user_24h_limit", 2400}, {"app_24h_limit", 10000}});
}

void SandboxXPostingTest::injectedFaultHitsTheNamedEndpoint() {
    QCOMPARE(m_http
                 .postJson(m_sandbox->url("/_admin/faults"), {{"platform", "x"},
                                                              {"endpoint", "tweets.create"},
                                                              {"kind", "status"},
                                                              {"status", 503}})
                 .status,
             200);
    const QString access = token();
    QCOMPARE(post(access, {{"text", uniqueText()}}).status, 503);
    QCOMPARE(post(access, {{"text", uniqueText()}}).status, 201);
}

void SandboxXPostingTest::imageUploadIsStoredWithItsSha256AndCanBePosted() {
    const QString access = token();
    const QByteArray bytes = fakeFile("image/jpeg", 300'000);
    const auto finalized =
        uploadMedia(m_http, *m_sandbox, access, "image/jpeg", "tweet_image", bytes, 100'000);
    QCOMPARE(finalized.status, 200);
    const QJsonObject data = finalized.json()["data"].toObject();
    QCOMPARE(data["size"].toInteger(), 300'000);
    QVERIFY(data["media_key"].toString().endsWith(data["id"].toString()));
    QVERIFY(data["expires_after_secs"].toInt() > 0);
    QVERIFY(!data.contains("processing_info")); // images need no processing
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const QJsonValue &u : m_http.get(m_sandbox->url("/_admin/uploads")).document().array())
        found = found || (u["platform"].toString() == "x" && u["sha256"].toString() == sha &&
                          u["complete"].toBool());
    QVERIFY(found);
    const auto posted =
        post(access, {{"text", uniqueText()},
                      {"media", QJsonObject{{"media_ids", QJsonArray{data["id"]}}}}});
    QCOMPARE(posted.status, 201);
}

void SandboxXPostingTest::segmentsMayArriveInAnyOrder() {
    const QString access = token();
    const QByteArray bytes = fakeFile("image/png", 30'000);
    const auto init = m_http.postJson(
        m_sandbox->url("/x/2/media/upload/initialize"),
        {{"media_type", "image/png"}, {"total_bytes", 30'000}, {"media_category", "tweet_image"}},
        bearer(access));
    QCOMPARE(init.status, 200);
    const QString id = init.json()["data"].toObject()["id"].toString();
    QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "2", bytes.mid(20'000)).status, 200);
    QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "0", bytes.left(10'000)).status, 200);
    QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "1", bytes.mid(10'000, 10'000)).status,
             200);
    const auto appendAnswer =
        appendSegment(m_http, *m_sandbox, access, id, "1", bytes.mid(10'000, 10'000));
    QCOMPARE(appendAnswer.status, 200); // a retried segment replaces itself
    QVERIFY(appendAnswer.json()["data"].toObject()["expires_at"].toDouble() > 0);
    QCOMPARE(m_http
                 .post(m_sandbox->url("/x/2/media/upload/" + id + "/finalize"), {},
                       "application/json", bearer(access))
                 .status,
             200);
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const QJsonValue &m : m_http.get(m_sandbox->url("/_admin/x/media")).document().array())
        found = found || (m["id"].toString() == id && m["sha256"].toString() == sha);
    QVERIFY(found);
}

void SandboxXPostingTest::videoProcessingMovesOverTime() {
    const QString access = token();
    const auto finalized = uploadMedia(m_http, *m_sandbox, access, "video/mp4", "tweet_video",
                                       fakeFile("video/mp4", 2'500'000));
    QCOMPARE(finalized.status, 200);
    const QJsonObject data = finalized.json()["data"].toObject();
    const QString id = data["id"].toString();
    QCOMPARE(data["processing_info"].toObject()["state"].toString(), QString("pending"));
    QVERIFY(data["processing_info"].toObject()["check_after_secs"].toInt() > 0);
    QVERIFY(data["media_key"].toString().startsWith("7_"));
    auto status = [&] {
        return m_http.get(m_sandbox->url("/x/2/media/upload?media_id=" + id + "&command=STATUS"),
                          bearer(access));
    };
    QCOMPARE(status().json()["data"].toObject()["processing_info"].toObject()["state"].toString(),
             QString("pending"));
    // Not postable while processing.
    QCOMPARE(post(access,
                  {{"text", uniqueText()}, {"media", QJsonObject{{"media_ids", QJsonArray{id}}}}})
                 .status,
             400);
    advance(m_http, *m_sandbox, 5);
    const auto progress = status();
    QCOMPARE(progress.status, 200);
    QCOMPARE(progress.json()["data"].toObject()["processing_info"].toObject()["state"].toString(),
             QString("in_progress"));
    const int percent = progress.json()["data"]
                            .toObject()["processing_info"]
                            .toObject()["progress_percent"]
                            .toInt();
    QVERIFY(percent > 0 && percent < 100);
    advance(m_http, *m_sandbox, 10);
    QCOMPARE(status().json()["data"].toObject()["processing_info"].toObject()["state"].toString(),
             QString("succeeded"));
    QCOMPARE(post(access,
                  {{"text", uniqueText()}, {"media", QJsonObject{{"media_ids", QJsonArray{id}}}}})
                 .status,
             201);
    // STATUS needs the command.
    QCOMPARE(m_http
                 .get(m_sandbox->url("/x/2/media/upload?media_id=" + id + "&command=INIT"),
                      bearer(access))
                 .status,
             400);
}

void SandboxXPostingTest::videoProcessingFailureCanBeForced() {
    QCOMPARE(
        m_http.post(m_sandbox->url("/_admin/x/media/fail_next"), {}, "application/json").status,
        200);
    const QString access = token();
    const auto finalized = uploadMedia(m_http, *m_sandbox, access, "video/mp4", "tweet_video",
                                       fakeFile("video/mp4", 50'000));
    QCOMPARE(finalized.status, 200);
    const QString id = finalized.json()["data"].toObject()["id"].toString();
    advance(m_http, *m_sandbox, 15);
    const auto status = m_http.get(
        m_sandbox->url("/x/2/media/upload?media_id=" + id + "&command=STATUS"), bearer(access));
    const QJsonObject info = status.json()["data"].toObject()["processing_info"].toObject();
    QCOMPARE(info["state"].toString(), QString("failed"));
    QVERIFY(!info["error"].toObject()["message"].toString().isEmpty());
    QCOMPARE(post(access,
                  {{"text", uniqueText()}, {"media", QJsonObject{{"media_ids", QJsonArray{id}}}}})
                 .status,
             400);
    // A GIF marked for failure while it processes.
    const auto gif = uploadMedia(m_http, *m_sandbox, access, "image/gif", "tweet_gif",
                                 fakeFile("image/gif", 40'000));
    QCOMPARE(gif.status, 200);
    const QString gifId = gif.json()["data"].toObject()["id"].toString();
    QVERIFY(gif.json()["data"].toObject()["media_key"].toString().startsWith("16_"));
    QCOMPARE(
        m_http.post(m_sandbox->url("/_admin/x/media/" + gifId + "/fail"), {}, "application/json")
            .status,
        200);
    advance(m_http, *m_sandbox, 15);
    QCOMPARE(m_http
                 .get(m_sandbox->url("/x/2/media/upload?media_id=" + gifId + "&command=STATUS"),
                      bearer(access))
                 .json()["data"]
                 .toObject()["processing_info"]
                 .toObject()["state"]
                 .toString(),
             QString("failed"));
}

void SandboxXPostingTest::mislabelledImageIsRejectedAtFinalize() {
    const QString access = token();
    // PNG bytes declared as JPEG.
    const auto finalized = uploadMedia(m_http, *m_sandbox, access, "image/jpeg", "tweet_image",
                                       fakeFile("image/png", 5000));
    QCOMPARE(finalized.status, 400);
    QCOMPARE(finalized.json()["status"].toInt(), 400);
}

void SandboxXPostingTest::initializeValidatesTypeCategoryAndSize_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("scopes");
    QTest::addColumn<int>("status");
    const QString all = kAllScopes;
    QTest::newRow("image at 5 MB")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":5242880,"media_category":"tweet_image"})")
        << all << 200;
    QTest::newRow("image over 5 MB")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":5242881,"media_category":"tweet_image"})")
        << all << 400;
    QTest::newRow("webp image")
        << QByteArray(
               R"({"media_type":"image/webp","total_bytes":100,"media_category":"tweet_image"})")
        << all << 200;
    QTest::newRow("gif at 15 MB")
        << QByteArray(
               R"({"media_type":"image/gif","total_bytes":15728640,"media_category":"tweet_gif"})")
        << all << 200;
    QTest::newRow("gif over 15 MB")
        << QByteArray(
               R"({"media_type":"image/gif","total_bytes":15728641,"media_category":"tweet_gif"})")
        << all << 400;
    QTest::newRow("video at 512 MB")
        << QByteArray(
               R"({"media_type":"video/quicktime","total_bytes":536870912,"media_category":"tweet_video"})")
        << all << 200;
    QTest::newRow("video over 512 MB")
        << QByteArray(
               R"({"media_type":"video/mp4","total_bytes":536870913,"media_category":"tweet_video"})")
        << all << 400;
    QTest::newRow("unsupported type")
        << QByteArray(
               R"({"media_type":"video/x-msvideo","total_bytes":100,"media_category":"tweet_video"})")
        << all << 400;
    QTest::newRow("type and category disagree")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":100,"media_category":"tweet_video"})")
        << all << 400;
    QTest::newRow("astronomical total_bytes")
        << QByteArray(
               R"({"media_type":"video/mp4","total_bytes":1e300,"media_category":"tweet_video"})")
        << all << 400;
    QTest::newRow("fractional total_bytes")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":10.5,"media_category":"tweet_image"})")
        << all << 400;
    QTest::newRow("zero bytes")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":0,"media_category":"tweet_image"})")
        << all << 400;
    QTest::newRow("total_bytes missing")
        << QByteArray(R"({"media_type":"image/png","media_category":"tweet_image"})") << all << 400;
    QTest::newRow("total_bytes as string")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":"100","media_category":"tweet_image"})")
        << all << 400;
    QTest::newRow("not json") << QByteArray("media_type=image/png") << all << 400;
    QTest::newRow("without media.write")
        << QByteArray(
               R"({"media_type":"image/png","total_bytes":100,"media_category":"tweet_image"})")
        << "tweet.read tweet.write users.read" << 403;
}

void SandboxXPostingTest::initializeValidatesTypeCategoryAndSize() {
    QFETCH(QByteArray, body);
    QFETCH(QString, scopes);
    QFETCH(int, status);
    const auto result = m_http.post(m_sandbox->url("/x/2/media/upload/initialize"), body,
                                    "application/json", bearer(token(kCreator, scopes)));
    QCOMPARE(result.status, status);
    if (status == 200) {
        QVERIFY(!result.json()["data"].toObject()["id"].toString().isEmpty());
        QVERIFY(!result.json()["data"].toObject()["media_key"].toString().isEmpty());
        QCOMPARE(result.json()["data"].toObject()["expires_after_secs"].toInt(), 86400);
    } else {
        QCOMPARE(result.json()["status"].toInt(), status);
    }
}

void SandboxXPostingTest::appendValidatesEverySegment_data() {
    QTest::addColumn<QByteArray>("index");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("status");
    QTest::newRow("index 0") << QByteArray("0") << qint64(1000) << "media" << 200;
    QTest::newRow("index 999") << QByteArray("999") << qint64(1000) << "media" << 200;
    QTest::newRow("index 1000") << QByteArray("1000") << qint64(1000) << "media" << 400;
    QTest::newRow("index -1") << QByteArray("-1") << qint64(1000) << "media" << 400;
    QTest::newRow("index not a number") << QByteArray("one") << qint64(1000) << "media" << 400;
    QTest::newRow("index missing") << QByteArray() << qint64(1000) << "media" << 400;
    QTest::newRow("media missing") << QByteArray("0") << qint64(-1) << "media" << 400;
    QTest::newRow("chunk of exactly 5 MB")
        << QByteArray("0") << qint64(5 * 1024 * 1024) << "media" << 200;
    QTest::newRow("chunk over 5 MB")
        << QByteArray("0") << qint64(5 * 1024 * 1024 + 1) << "media" << 400;
    QTest::newRow("beyond total_bytes")
        << QByteArray("0") << qint64(6 * 1024 * 1024 + 1) << "small" << 400;
    QTest::newRow("unknown media id") << QByteArray("0") << qint64(1000) << "unknown" << 400;
    QTest::newRow("after finalize") << QByteArray("1") << qint64(1000) << "finalized" << 400;
    QTest::newRow("not multipart") << QByteArray("0") << qint64(1000) << "json" << 400;
}

void SandboxXPostingTest::appendValidatesEverySegment() {
    QFETCH(QByteArray, index);
    QFETCH(qint64, size);
    QFETCH(QString, target);
    QFETCH(int, status);
    const QString access = token();
    const qint64 total = target == "small" ? 3000 : 6 * 1024 * 1024;
    const auto init = m_http.postJson(m_sandbox->url("/x/2/media/upload/initialize"),
                                      {{"media_type", "video/mp4"},
                                       {"total_bytes", double(total)},
                                       {"media_category", "tweet_video"}},
                                      bearer(access));
    QCOMPARE(init.status, 200);
    QString id = init.json()["data"].toObject()["id"].toString();
    if (target == "unknown")
        id = "1234567";
    if (target == "finalized") {
        const auto small = m_http.postJson(
            m_sandbox->url("/x/2/media/upload/initialize"),
            {{"media_type", "video/mp4"}, {"total_bytes", 1000}, {"media_category", "tweet_video"}},
            bearer(access));
        id = small.json()["data"].toObject()["id"].toString();
        QCOMPARE(
            appendSegment(m_http, *m_sandbox, access, id, "0", fakeFile("video/mp4", 1000)).status,
            200);
        QCOMPARE(m_http
                     .post(m_sandbox->url("/x/2/media/upload/" + id + "/finalize"), {},
                           "application/json", bearer(access))
                     .status,
                 200);
    }
    if (target == "small")
        size = 3001;
    HttpResult result;
    if (target == "json")
        result = m_http.postJson(m_sandbox->url("/x/2/media/upload/" + id + "/append"),
                                 {{"segment_index", 0}, {"media", "AAAA"}}, bearer(access));
    else
        result = appendSegment(m_http, *m_sandbox, access, id, index,
                               size < 0 ? QByteArray() : fakeFile("video/mp4", size));
    QCOMPARE(result.status, status);
    if (status != 200)
        QCOMPARE(result.json()["status"].toInt(), status);
}

void SandboxXPostingTest::appendDroppedMidUploadCanBeRetried() {
    const QString access = token();
    const QByteArray bytes = fakeFile("video/mp4", 20'000);
    const auto init = m_http.postJson(
        m_sandbox->url("/x/2/media/upload/initialize"),
        {{"media_type", "video/mp4"}, {"total_bytes", 20'000}, {"media_category", "tweet_video"}},
        bearer(access));
    const QString id = init.json()["data"].toObject()["id"].toString();
    // The segment arrives, but the connection drops before the answer.
    QCOMPARE(
        m_http
            .postJson(m_sandbox->url("/_admin/faults"),
                      {{"platform", "x"}, {"endpoint", "media.append"}, {"kind", "drop_after"}})
            .status,
        200);
    // Qt may resend the POST by itself on a fresh connection; either way the segment
    // reached the platform twice and the retry replaced it.
    const auto first = appendSegment(m_http, *m_sandbox, access, id, "0", bytes.left(10'000));
    if (first.status != 200)
        QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "0", bytes.left(10'000)).status,
                 200);
    bool dropped = false;
    for (const QJsonValue &r :
         m_http.get(m_sandbox->url("/_admin/requests?platform=x&endpoint=media.append"))
             .document()
             .array())
        dropped = dropped || r["status"].toInt() == -1;
    QVERIFY(dropped);
    QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "1", bytes.mid(10'000)).status, 200);
    QCOMPARE(m_http
                 .post(m_sandbox->url("/x/2/media/upload/" + id + "/finalize"), {},
                       "application/json", bearer(access))
                 .status,
             200);
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    bool found = false;
    for (const QJsonValue &m : m_http.get(m_sandbox->url("/_admin/x/media")).document().array())
        found = found || (m["id"].toString() == id && m["sha256"].toString() == sha);
    QVERIFY(found);
}

void SandboxXPostingTest::initializedMediaExpiresAfterADay() {
    const QString access = token();
    const auto init = m_http.postJson(
        m_sandbox->url("/x/2/media/upload/initialize"),
        {{"media_type", "image/png"}, {"total_bytes", 2000}, {"media_category", "tweet_image"}},
        bearer(access));
    const QString id = init.json()["data"].toObject()["id"].toString();
    QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, "0", fakeFile("image/png", 1000)).status,
             200);
    QCOMPARE(advance(m_http, *m_sandbox, 86401).status, 200);
    const QString later = token();
    QCOMPARE(appendSegment(m_http, *m_sandbox, later, id, "1", fakeFile("image/png", 1000)).status,
             400);
    QCOMPARE(m_http
                 .post(m_sandbox->url("/x/2/media/upload/" + id + "/finalize"), {},
                       "application/json", bearer(later))
                 .status,
             400);
}

void SandboxXPostingTest::finalizeNeedsEverySegment_data() {
    QTest::addColumn<QList<int>>("segments");
    QTest::addColumn<int>("status");
    QTest::newRow("complete") << QList<int>{0, 1, 2} << 200;
    QTest::newRow("gap") << QList<int>{0, 2} << 400;
    QTest::newRow("short") << QList<int>{0, 1} << 400;
    QTest::newRow("nothing") << QList<int>{} << 400;
    QTest::newRow("not starting at zero") << QList<int>{1, 2, 3} << 400;
}

void SandboxXPostingTest::finalizeNeedsEverySegment() {
    QFETCH(QList<int>, segments);
    QFETCH(int, status);
    const QString access = token();
    const QByteArray bytes = fakeFile("video/mp4", 3000);
    const auto init = m_http.postJson(
        m_sandbox->url("/x/2/media/upload/initialize"),
        {{"media_type", "video/mp4"}, {"total_bytes", 3000}, {"media_category", "tweet_video"}},
        bearer(access));
    const QString id = init.json()["data"].toObject()["id"].toString();
    for (int index : segments)
        QCOMPARE(appendSegment(m_http, *m_sandbox, access, id, QByteArray::number(index),
                               bytes.mid((index % 3) * 1000, 1000))
                     .status,
                 200);
    const auto finalized = m_http.post(m_sandbox->url("/x/2/media/upload/" + id + "/finalize"), {},
                                       "application/json", bearer(access));
    QCOMPARE(finalized.status, status);
    if (status == 400)
        QCOMPARE(finalized.json()["detail"].toString(),
                 QString("Segments do not add up to provided total file size."));
}

void SandboxXPostingTest::mediaPerPostRules_data() {
    QTest::addColumn<QStringList>("kinds");
    QTest::addColumn<int>("status");
    QTest::newRow("four photos") << QStringList{"image", "image", "image", "image"} << 201;
    QTest::newRow("one gif") << QStringList{"gif"} << 201;
    QTest::newRow("one video") << QStringList{"video"} << 201;
    QTest::newRow("two videos") << QStringList{"video", "video"} << 400;
    QTest::newRow("photo and gif") << QStringList{"image", "gif"} << 400;
    QTest::newRow("photo and video") << QStringList{"image", "video"} << 400;
    QTest::newRow("someone else's photo") << QStringList{"foreign"} << 400;
}

void SandboxXPostingTest::mediaPerPostRules() {
    QFETCH(QStringList, kinds);
    QFETCH(int, status);
    const QString access = token();
    QJsonArray ids;
    for (const QString &kind : kinds) {
        QString id;
        if (kind == "image")
            id = uploadReady(access, "image/jpeg", "tweet_image", 1000);
        else if (kind == "gif")
            id = uploadReady(access, "image/gif", "tweet_gif", 1000);
        else if (kind == "video")
            id = uploadReady(access, "video/mp4", "tweet_video", 1000);
        else
            id = uploadReady(token(kBrand), "image/png", "tweet_image", 1000);
        QVERIFY(!id.isEmpty());
        ids.append(id);
    }
    const QString access2 = token(); // the clock may have moved while videos processed
    const auto result =
        post(access2, {{"text", uniqueText()}, {"media", QJsonObject{{"media_ids", ids}}}});
    QCOMPARE(result.status, status);
}

void SandboxXPostingTest::publicMetricsGrowOverTime() {
    const QString access = token();
    const QString id =
        post(access, {{"text", uniqueText()}}).json()["data"].toObject()["id"].toString();
    const auto fresh = lookup(access, id, "public_metrics");
    QCOMPARE(fresh.status, 200);
    const QJsonObject before = fresh.json()["data"][0].toObject()["public_metrics"].toObject();
    for (const char *field : {"retweet_count", "reply_count", "like_count", "quote_count",
                              "bookmark_count", "impression_count"})
        QVERIFY2(before.contains(field), field);
    QVERIFY(!fresh.header("x-rate-limit-remaining").isEmpty());
    advance(m_http, *m_sandbox, 3600);
    const QString later = token();
    const QJsonObject after = lookup(later, id, "public_metrics")
                                  .json()["data"][0]
                                  .toObject()["public_metrics"]
                                  .toObject();
    QVERIFY(after["like_count"].toInt() > before["like_count"].toInt());
    QVERIFY(after["impression_count"].toInt() > before["impression_count"].toInt());
    QVERIFY(after["reply_count"].toInt() > 0);
    advance(m_http, *m_sandbox, 3600);
    const QJsonObject last = lookup(token(), id, "public_metrics")
                                 .json()["data"][0]
                                 .toObject()["public_metrics"]
                                 .toObject();
    QVERIFY(last["like_count"].toInt() > after["like_count"].toInt());
    // The app-only bearer token reads public metrics too.
    const auto app =
        lookup(m_sandbox->platform("x")["app_bearer_token"].toString(), id, "public_metrics");
    QCOMPARE(app.status, 200);
    QCOMPARE(app.json()["data"][0].toObject()["public_metrics"].toObject()["like_count"].toInt(),
             last["like_count"].toInt());
}

void SandboxXPostingTest::nonPublicMetricsOnlyForTheAuthorUnderThirtyDays() {
    const QString id =
        post(token(), {{"text", uniqueText()}}).json()["data"].toObject()["id"].toString();
    const QString fields = "public_metrics,non_public_metrics";
    const auto author = lookup(token(), id, fields);
    QCOMPARE(author.status, 200);
    QVERIFY(author.json()["data"][0].toObject().contains("non_public_metrics"));
    QVERIFY(author.json()["data"][0].toObject()["non_public_metrics"].toObject().contains(
        "impression_count"));
    auto refused = [&](const HttpResult &result) {
        return result.status == 200 && !result.json().contains("data") &&
               result.json()["errors"][0].toObject()["resource_id"].toString() == id &&
               result.json()["errors"][0].toObject()["type"].toString().contains(
                   "not-authorized-for-field");
    };
    QVERIFY(refused(lookup(token(kBrand), id, fields)));
    QVERIFY(refused(lookup(m_sandbox->platform("x")["app_bearer_token"].toString(), id, fields)));
    // Public metrics alone are fine for anyone.
    QCOMPARE(lookup(token(kBrand), id, "public_metrics").json()["data"].toArray().size(), 1);
    advance(m_http, *m_sandbox, 31 * 86400);
    QVERIFY(refused(lookup(token(), id, fields)));
}

void SandboxXPostingTest::lookupValidatesItsParameters_data() {
    QTest::addColumn<QString>("ids");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<int>("status");
    QStringList hundred, hundredOne;
    for (int i = 0; i < 101; ++i)
        (i < 100 ? hundred : hundredOne).append(QString::number(1000 + i));
    hundredOne = hundred + hundredOne;
    QTest::newRow("100 ids") << hundred.join(',') << "public_metrics" << 200;
    QTest::newRow("101 ids") << hundredOne.join(',') << "public_metrics" << 400;
    QTest::newRow("no ids") << ""
                            << "public_metrics" << 400;
    QTest::newRow("non-numeric id") << "12,abc"
                                    << "public_metrics" << 400;
    QTest::newRow("unknown field") << "12"
                                   << "public_metrics,sparkle" << 400;
}

void SandboxXPostingTest::lookupValidatesItsParameters() {
    QFETCH(QString, ids);
    QFETCH(QString, fields);
    QFETCH(int, status);
    const auto result = lookup(token(), ids, fields);
    QCOMPARE(result.status, status);
    if (status == 200)
        QCOMPARE(result.json()["errors"].toArray().size(), 100); // none exist
    else
        QCOMPARE(result.json()["status"].toInt(), status);
}

void SandboxXPostingTest::deleteRemovesOnlyYourOwnPost() {
    const QString access = token();
    const QString id =
        post(access, {{"text", uniqueText()}}).json()["data"].toObject()["id"].toString();
    QCOMPARE(
        m_http.send("DELETE", m_sandbox->url("/x/2/tweets/" + id), {}, bearer(token(kBrand)), 10000)
            .status,
        403);
    const auto deleted =
        m_http.send("DELETE", m_sandbox->url("/x/2/tweets/" + id), {}, bearer(access), 10000);
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json()["data"].toObject()["deleted"].toBool(), true);
    const auto gone = lookup(access, id, "public_metrics");
    QCOMPARE(gone.json()["errors"][0].toObject()["title"].toString(), QString("Not Found Error"));
}

void SandboxXPostingTest::invalidatedTokenAnswers401() {
    const QString access = token();
    QCOMPARE(post(access, {{"text", uniqueText()}}).status, 201);
    QCOMPARE(
        m_http.postJson(m_sandbox->url("/_admin/x/tokens/invalidate"), {{"token", access}}).status,
        200);
    QCOMPARE(post(access, {{"text", uniqueText()}}).status, 401);
    const QString other = token();
    QCOMPARE(m_http.postJson(m_sandbox->url("/_admin/x/tokens/invalidate"), {{"user_id", kCreator}})
                 .status,
             200);
    QCOMPARE(m_http.get(m_sandbox->url("/x/2/users/me"), bearer(other)).status, 401);
}

void SandboxXPostingTest::postsAndMediaSurviveARestart() {
    const QString access = token();
    const QString text = uniqueText();
    const QString id = post(access, {{"text", text}}).json()["data"].toObject()["id"].toString();
    const QString mediaId = uploadReady(access, "image/png", "tweet_image", 3000);
    QVERIFY(!mediaId.isEmpty());
    QVERIFY2(m_sandbox->restart(), qPrintable(m_sandbox->output()));
    const auto read = lookup(access, id, "public_metrics");
    QCOMPARE(read.json()["data"][0].toObject()["text"].toString(), text);
    QCOMPARE(post(access, {{"text", text}}).status, 403); // still a duplicate
    QCOMPARE(post(access, {{"text", uniqueText()},
                           {"media", QJsonObject{{"media_ids", QJsonArray{mediaId}}}}})
                 .status,
             201);
}

QTEST_GUILESS_MAIN(SandboxXPostingTest)
#include "tst_sandbox_x_posting.moc"
