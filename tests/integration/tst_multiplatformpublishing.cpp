#include "httpclient.h"
#include "jobs/publishingsession.h"
#include "mediafixtures.h"
#include "net/relayclient.h"
#include "publishingstack.h"
#include "store/desktopdatabase.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;
using namespace huntaze::test;

// One draft aimed at all four platforms at once, through the real queue, relay and
// sandbox: each target is its own row with its own progress, state and error, so a
// platform that refuses its copy stops nothing else.
class MultiPlatformPublishingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void oneRefusalOfFourLeavesTheOtherThreePublished();

private:
    QString column(qint64 id, const QString &name);

    PublishingStack m_stack;
    QTemporaryDir m_files;
    QString m_video;
    qint64 m_tiktok = 0;
    qint64 m_instagram = 0;
    QString m_igId;
    qint64 m_reddit = 0;
    qint64 m_x = 0;
    std::unique_ptr<store::DesktopDatabase> m_database;
    std::unique_ptr<net::RelayClient> m_relay;
    std::unique_ptr<jobs::PublishingSession> m_session;
    HttpClient m_http;
};

void MultiPlatformPublishingTest::initTestCase() {
    QVERIFY2(m_stack.start(), qPrintable(m_stack.errorString()));
    const auto tiktok = m_stack.connectTikTok("tt-alice");
    QVERIFY2(tiktok, qPrintable(m_stack.errorString()));
    m_tiktok = *tiktok;
    const auto instagram = m_stack.connectInstagram("1000000000001");
    QVERIFY2(instagram, qPrintable(m_stack.errorString()));
    m_instagram = instagram->value("account_id").toInteger();
    m_igId =
        instagram->value("instagram").toObject().value("selected").toArray().first().toString();
    QVERIFY(!m_igId.isEmpty());
    const auto reddit = m_stack.connectReddit("sbx1a");
    QVERIFY2(reddit, qPrintable(m_stack.errorString()));
    m_reddit = *reddit;
    const auto x = m_stack.connectX("1500000000000000001");
    QVERIFY2(x, qPrintable(m_stack.errorString()));
    m_x = *x;

    m_video = makeTestVideo(m_files.filePath("clip.mp4"), 4, false);
    QVERIFY2(!m_video.isEmpty(), "ffmpeg (Debian package ffmpeg) could not make the test video");
    m_database = std::make_unique<store::DesktopDatabase>(m_stack.desktopDatabaseUrl());
    m_database->start();
    m_relay = std::make_unique<net::RelayClient>(m_stack.relayUrl());
    m_relay->setCredential(m_stack.credential());
    m_session = std::make_unique<jobs::PublishingSession>(
        m_database.get(), m_relay.get(),
        jobs::PublishingSession::apiBasesFrom(m_stack.platforms()));
    m_session->queue()->setMaxConcurrent(4);
    m_session->queue()->start();
}

void MultiPlatformPublishingTest::cleanupTestCase() {
    m_session.reset();
    m_relay.reset();
    m_database.reset();
}

QString MultiPlatformPublishingTest::column(qint64 id, const QString &name) {
    auto value = m_stack.sql().exec(
        QStringLiteral("SELECT coalesce(%1::text, '') FROM publications WHERE id = $1").arg(name),
        {id});
    return value && value->rows() == 1 ? value->text(0, 0) : QStringLiteral("<no row>");
}

void MultiPlatformPublishingTest::oneRefusalOfFourLeavesTheOtherThreePublished() {
    // r/privateclub refuses this user (SUBREDDIT_NOTALLOWED): only the Reddit copy fails.
    jobs::PublicationDraft draft;
    draft.accountIds = {m_tiktok, m_instagram, m_reddit, m_x};
    draft.kind = QStringLiteral("video");
    draft.kindByProvider = {{QStringLiteral("instagram"), QStringLiteral("reel")}};
    draft.filePath = m_video;
    draft.fileSize = QFileInfo(m_video).size();
    draft.caption = QStringLiteral("Everywhere at once #huntaze");
    draft.options = {
        {"mode", "inbox"},
        {"content_type", "video/mp4"},
        {"ig_business_id", m_igId},
        {"username", "alex.studio"},
        {"reddit", QJsonObject{{"subreddit", "privateclub"}, {"title", "Everywhere at once"}}}};
    std::optional<Result<QList<qint64>>> ids;
    m_session->store()->enqueue(draft, [&](Result<QList<qint64>> r) { ids = std::move(r); });
    QTRY_VERIFY(ids.has_value());
    QVERIFY2(ids->ok(), ids->ok() ? "" : qPrintable(ids->error().message));
    QCOMPARE(ids->value().size(), 4);

    QHash<QString, qint64> byProvider;
    for (qint64 id : ids->value())
        byProvider.insert(column(id, "provider"), id);
    QCOMPARE(byProvider.size(), 4);
    QCOMPARE(column(byProvider["instagram"], "kind"), QString("reel"));
    QCOMPARE(column(byProvider["x"], "kind"), QString("video"));
    // One draft: the four rows share it.
    QCOMPARE(m_stack.scalar(QString("SELECT count(DISTINCT draft_id) FROM publications WHERE id "
                                    "IN (%1, %2, %3, %4)")
                                .arg(byProvider["tiktok"])
                                .arg(byProvider["instagram"])
                                .arg(byProvider["reddit"])
                                .arg(byProvider["x"])),
             1);

    // Instagram's reel finishes processing on the sandbox's clock.
    const auto settled = [&](qint64 id) {
        const QString state = column(id, "state");
        return state == "published" || state == "failed" || state == "needs_action";
    };
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 240000 &&
           !(settled(byProvider["tiktok"]) && settled(byProvider["instagram"]) &&
             settled(byProvider["reddit"]) && settled(byProvider["x"]))) {
        m_http.postJson(m_stack.sandbox().url("/_admin/clock"), {{"advance_seconds", 30}});
        QTest::qWait(500);
    }

    QCOMPARE(column(byProvider["reddit"], "state"), QString("needs_action"));
    QVERIFY2(column(byProvider["reddit"], "last_error_message").contains("privateclub"),
             qPrintable(column(byProvider["reddit"], "last_error_message")));
    QCOMPARE(m_stack.scalar("SELECT count(*) FROM reddit_posts"), 0);

    for (const QString provider : {"tiktok", "instagram", "x"}) {
        const qint64 id = byProvider[provider];
        QVERIFY2(column(id, "state") == "published",
                 qPrintable(provider + ": " + column(id, "state") + " " +
                            column(id, "last_error_message")));
        QCOMPARE(column(id, "bytes_sent"), column(id, "bytes_total"));
        QCOMPARE(column(id, "last_error_code"), QString());
    }
    QVERIFY(!column(byProvider["instagram"], "permalink").isEmpty());
    QVERIFY(column(byProvider["x"], "permalink").contains(column(byProvider["x"], "remote_id")));
    QCOMPARE(
        m_stack.scalar(
            QString("SELECT count(*) FROM x_posts WHERE publication_id = %1").arg(byProvider["x"])),
        1);
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM ig_media WHERE publication_id = %1")
                                .arg(byProvider["instagram"])),
             1);
    QCOMPARE(m_stack.scalar(QString("SELECT count(*) FROM tiktok_posts WHERE publication_id = %1")
                                .arg(byProvider["tiktok"])),
             1);
}

QTEST_GUILESS_MAIN(MultiPlatformPublishingTest)
#include "tst_multiplatformpublishing.moc"
