#include "inbox/commentlistmodel.h"
#include "inbox/inboxpage.h"
#include "instagramtestbed.h"
#include "net/relayclient.h"
#include "screenshots.h"

#include <QDeadlineTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using huntaze::net::RelayClient;
using huntaze::test::FakeRelay;
using huntaze::test::InstagramTestBed;
using huntaze::ui::CommentListModel;
using huntaze::ui::InboxPage;

namespace {
constexpr int kWaitMs = 10000;

// Two posts and four comments: Alice's (answered by the creator's reply under it),
// Bob's (hidden), and Carol's, the newest, still waiting for an answer.
const QString kSeed = QStringLiteral(R"sql(
    DELETE FROM ig_comments;
    DELETE FROM ig_media;
    INSERT INTO ig_media (user_id, ig_business_id, ig_id, media_type, media_product_type, caption,
                          permalink, posted_at)
    VALUES (1, '17841400000000001', 'm-sunset', 'VIDEO', 'REELS',
            'Sunset over the bay, shot from the old pier at golden hour' || chr(10) || '#sunset',
            'https://www.instagram.com/reel/SUNSET/', now() - interval '2 days'),
           (1, '17841400000000001', 'm-studio', 'IMAGE', 'FEED', 'Behind the scenes',
            'https://www.instagram.com/p/STUDIO/', now() - interval '1 day');
    INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, parent_ig_id, from_id,
                             username, text, hidden, posted_at) VALUES
      (1, '17841400000000001', 'c-alice', 'm-sunset', NULL, 'u-alice', 'alice', 'Love this!',
       false, now() - interval '3 hours'),
      (1, '17841400000000001', 'c-bob', 'm-studio', NULL, 'u-bob', 'bob', 'Buy followers here',
       true, now() - interval '2 hours'),
      (1, '17841400000000001', 'c-thanks', 'm-sunset', 'c-alice', '17841400000000001', 'creator',
       'Thank you!', false, now() - interval '1 hour'),
      (1, '17841400000000001', 'c-carol', 'm-sunset', NULL, 'u-carol', 'carol',
       'Great colours, which lens?', false, now() - interval '30 minutes');
)sql");

QString shown(const QTableView *table, int row, int column) {
    return table->model()->index(row, column).data().toString();
}

QStringList shownColumn(const QTableView *table, int column) {
    QStringList texts;
    for (int row = 0; row < table->model()->rowCount(); ++row)
        texts << shown(table, row, column);
    return texts;
}

int rowOf(const QTableView *table, const QString &username) {
    for (int row = 0; row < table->model()->rowCount(); ++row)
        if (shown(table, row, CommentListModel::FromColumn) == QLatin1Char('@') + username)
            return row;
    return -1;
}

QJsonObject row(const QString &id, const QString &parent, const QString &username,
                qint64 postedAt) {
    return {{"ig_id", id},
            {"parent_ig_id", parent.isEmpty() ? QJsonValue() : QJsonValue(parent)},
            {"username", username},
            {"text", "hi"},
            {"posted_at", QString::number(postedAt)}};
}
} // namespace

class InboxViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // CommentListModel, from plain rows
    void repliesFollowTheirCommentAndThreadsRankByNewest();
    void captionExcerptIsTheFirstLineCut_data();
    void captionExcerptIsTheFirstLineCut();

    // InboxPage on the desktop's database
    void commentsAreShownNewestFirstWithTheirPost();
    void filtersKeepUnansweredOrHiddenComments();
    void replyPostsToTheRelayAndTheReplyAppears();
    void relayErrorIsShownInItsOwnWords_data();
    void relayErrorIsShownInItsOwnWords();
    void hideAndUnhideGoThroughTheRelay();
    void announcedNewCommentAppearsWithoutReload();
    void withoutARelayTheInboxOnlyReads();
    void screenshotIsSavedAsArtifact();

private:
    // A page on the database, shown, with its rows loaded.
    std::unique_ptr<InboxPage> openPage(RelayClient *relay);
    QTableView *table(InboxPage &page) const { return page.findChild<QTableView *>("inboxTable"); }

    std::unique_ptr<InstagramTestBed> m_bed;
    std::unique_ptr<FakeRelay> m_relay;
    std::unique_ptr<RelayClient> m_client;
};

void InboxViewTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
}

void InboxViewTest::init() {
    const QString problem = m_bed->run(kSeed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    m_relay = std::make_unique<FakeRelay>();
    m_client = std::make_unique<RelayClient>(m_relay->url());
}

void InboxViewTest::cleanup() {
    m_client.reset();
    m_relay.reset();
}

std::unique_ptr<InboxPage> InboxViewTest::openPage(RelayClient *relay) {
    auto page = std::make_unique<InboxPage>();
    page->resize(1000, 600);
    page->setRelay(relay);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (page->model()->rowCount() < 4 && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void InboxViewTest::repliesFollowTheirCommentAndThreadsRankByNewest() {
    // Newest first, as the query returns them: a reply to an old comment, a new comment,
    // the old comment, and a reply whose comment is not in the list (older than the limit).
    const QList<QJsonObject> arranged = CommentListModel::arrangedInThreads(
        {row("r2", "old", "creator", 50), row("new", "", "dave", 40), row("r1", "old", "eve", 30),
         row("old", "", "alice", 20), row("orphan", "gone", "frank", 10)});
    QStringList order;
    for (const QJsonObject &comment : arranged)
        order << comment.value("ig_id").toString();
    // The old comment's thread has the newest reply: it comes first, its replies in order.
    QCOMPARE(order, (QStringList{"old", "r1", "r2", "new", "orphan"}));

    CommentListModel model;
    model.setComments({row("r2", "old", "creator", 50), row("old", "", "alice", 20),
                       row("orphan", "gone", "frank", 10)});
    QCOMPARE(model.index(1, CommentListModel::CommentColumn).data().toString(), QString("↳ hi"));
    QVERIFY(model.index(2, 0).data(CommentListModel::ReplyRole).toBool());
    QCOMPARE(model.index(2, CommentListModel::CommentColumn).data().toString(), QString("↳ hi"));
    QCOMPARE(model.index(0, CommentListModel::CommentColumn).data().toString(), QString("hi"));
}

void InboxViewTest::captionExcerptIsTheFirstLineCut_data() {
    QTest::addColumn<QString>("caption");
    QTest::addColumn<QString>("expected");
    QTest::newRow("short") << "Behind the scenes"
                           << "Behind the scenes";
    QTest::newRow("two lines") << "First line\n#tags"
                               << "First line…";
    QTest::newRow("long") << QString(70, QChar('a')) << QString(60, QChar('a')) + "…";
    QTest::newRow("empty") << ""
                           << "(no caption)";
}

void InboxViewTest::captionExcerptIsTheFirstLineCut() {
    QFETCH(QString, caption);
    QFETCH(QString, expected);
    QCOMPARE(CommentListModel::captionExcerpt(caption), expected);
}

void InboxViewTest::commentsAreShownNewestFirstWithTheirPost() {
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    QVERIFY(view && view->isVisible());
    QCOMPARE(view->model()->rowCount(), 4);
    // Carol's is newest; Alice's thread next with the creator's reply under it; then Bob's.
    QCOMPARE(shownColumn(view, CommentListModel::FromColumn),
             (QStringList{"@carol", "@alice", "@creator", "@bob"}));
    QCOMPARE(shownColumn(view, CommentListModel::CommentColumn),
             (QStringList{"Great colours, which lens?", "Love this!", "↳ Thank you!",
                          "Buy followers here"}));
    QCOMPARE(shownColumn(view, CommentListModel::StateColumn),
             (QStringList{"Unanswered", "Replied", "Your reply", "Hidden · Unanswered"}));
    QCOMPARE(shown(view, 0, CommentListModel::PostColumn),
             QString("Sunset over the bay, shot from the old pier at golden hour…"));
    QCOMPARE(shown(view, 3, CommentListModel::PostColumn), QString("Behind the scenes"));
    QVERIFY(!shown(view, 0, CommentListModel::WhenColumn).isEmpty());
    QCOMPARE(view->model()->headerData(CommentListModel::PostColumn, Qt::Horizontal).toString(),
             QString("On post"));

    // Selecting a comment names its post, with the post's link to open.
    view->selectRow(0);
    auto *post = page->findChild<QLabel *>("inboxPost");
    QVERIFY(post->text().contains("href=\"https://www.instagram.com/reel/SUNSET/\""));
    QVERIFY(post->text().contains("Sunset over the bay"));
    QCOMPARE(page->findChild<QLabel *>("replyRecipient")->text(), QString("Reply to @carol:"));
    QCOMPARE(page->findChild<QPushButton *>("hideComment")->text(), QString("Hide"));
    QVERIFY(page->findChild<QLabel *>("inboxEmpty")->isHidden());
}

void InboxViewTest::filtersKeepUnansweredOrHiddenComments() {
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    auto *all = page->findChild<QPushButton *>("filterAll");
    auto *unanswered = page->findChild<QPushButton *>("filterUnanswered");
    auto *hidden = page->findChild<QPushButton *>("filterHidden");
    QVERIFY(all && unanswered && hidden);
    QCOMPARE(all->text(), QString("All (4)"));
    QCOMPARE(unanswered->text(), QString("Unanswered (1)"));
    QCOMPARE(hidden->text(), QString("Hidden (1)"));

    // Unanswered: not the creator's own reply, not Alice's (answered), not Bob's (hidden).
    QTest::mouseClick(unanswered, Qt::LeftButton);
    QVERIFY(unanswered->isChecked());
    QCOMPARE(shownColumn(view, CommentListModel::FromColumn), QStringList{"@carol"});

    QTest::mouseClick(hidden, Qt::LeftButton);
    QCOMPARE(shownColumn(view, CommentListModel::FromColumn), QStringList{"@bob"});
    QCOMPARE(page->findChild<QPushButton *>("hideComment")->isEnabled(), false); // none selected
    view->selectRow(0);
    QCOMPARE(page->findChild<QPushButton *>("hideComment")->text(), QString("Unhide"));

    // Nothing hidden any more: the filter says so instead of an empty table alone.
    QVERIFY(m_bed->run("UPDATE ig_comments SET hidden = false").isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 0, kWaitMs);
    auto *empty = page->findChild<QLabel *>("inboxEmpty");
    QVERIFY(empty->isVisible());
    QCOMPARE(empty->text(), QString("No hidden comments."));

    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(view->model()->rowCount(), 4);
    QVERIFY(empty->isHidden());
}

void InboxViewTest::replyPostsToTheRelayAndTheReplyAppears() {
    // As the relay does: post on Instagram, record the reply and that the comment has one.
    m_relay->on("/v1/instagram/comments/reply", [this](const FakeRelay::Request &request) {
        // One transaction, as the relay's: the window sees the reply and the mark together.
        QString problem = m_bed->run("BEGIN");
        if (problem.isEmpty())
            problem =
                m_bed->run("INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, "
                           "parent_ig_id, from_id, username, text, posted_at) VALUES (1, "
                           "'17841400000000001', 'c-reply', 'm-sunset', $1, '17841400000000001', "
                           "'creator', $2, now())",
                           {request.body.value("comment_id").toString(),
                            request.body.value("message").toString()});
        if (problem.isEmpty())
            problem = m_bed->run("UPDATE ig_comments SET replied_at = now() WHERE ig_id = $1",
                                 {request.body.value("comment_id").toString()});
        (void)m_bed->run(problem.isEmpty() ? "COMMIT" : "ROLLBACK");
        return FakeRelay::Answer{problem.isEmpty() ? 200 : 500, {{"id", "c-reply"}}};
    });
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    auto *text = page->findChild<QPlainTextEdit *>("replyText");
    auto *reply = page->findChild<QPushButton *>("replyButton");
    QVERIFY(text && reply);
    QVERIFY(!reply->isEnabled()); // nothing selected

    view->selectRow(rowOf(view, "carol"));
    QVERIFY(!reply->isEnabled()); // nothing written
    text->setFocus();
    QTest::keyClicks(text, "A 35 mm, thanks");
    QVERIFY(reply->isEnabled());
    QTest::mouseClick(reply, Qt::LeftButton);
    QVERIFY(!reply->isEnabled()); // one click posts once

    QVERIFY(m_relay->waitForRequests(1));
    const FakeRelay::Request request = m_relay->requests().constFirst();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QString("/v1/instagram/comments/reply"));
    QCOMPARE(request.body,
             (QJsonObject{{"comment_id", "c-carol"}, {"message", "A 35 mm, thanks"}}));

    auto *result = page->findChild<QLabel *>("inboxActionStatus");
    QTRY_COMPARE_WITH_TIMEOUT(result->text(), QString("Your reply to @carol is on Instagram."),
                              kWaitMs);
    QVERIFY(result->isVisible());
    QCOMPARE(text->toPlainText(), QString());
    // The relay's record reaches the list by itself: Carol's comment is answered, the reply
    // under it, and the selection stayed on Carol's.
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 5, kWaitMs);
    QCOMPARE(shown(view, 0, CommentListModel::FromColumn), QString("@carol"));
    QCOMPARE(shown(view, 0, CommentListModel::StateColumn), QString("Replied"));
    QCOMPARE(shown(view, 1, CommentListModel::CommentColumn), QString("↳ A 35 mm, thanks"));
    QCOMPARE(page->selectedCommentId(), QString("c-carol"));
    QCOMPARE(page->findChild<QPushButton *>("filterUnanswered")->text(), QString("Unanswered"));
}

void InboxViewTest::relayErrorIsShownInItsOwnWords_data() {
    QTest::addColumn<QJsonObject>("answer");
    const QString message = "Instagram needs the instagram_manage_comments permission: connect "
                            "Instagram again and allow it.";
    // The relay's own shape, and the nested one some routes may answer.
    QTest::newRow("flat") << QJsonObject{{"error", "permission_declined"}, {"message", message}};
    QTest::newRow("nested") << QJsonObject{
        {"error", QJsonObject{{"code", "permission_declined"}, {"message", message}}}};
}

void InboxViewTest::relayErrorIsShownInItsOwnWords() {
    QFETCH(QJsonObject, answer);
    m_relay->answer("/v1/instagram/comments/reply", answer, 403);
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    view->selectRow(rowOf(view, "carol"));
    auto *text = page->findChild<QPlainTextEdit *>("replyText");
    QTest::keyClicks(text, "Thanks!");
    QTest::mouseClick(page->findChild<QPushButton *>("replyButton"), Qt::LeftButton);

    auto *result = page->findChild<QLabel *>("inboxActionStatus");
    QTRY_COMPARE_WITH_TIMEOUT(result->text(),
                              QString("Instagram needs the instagram_manage_comments permission: "
                                      "connect Instagram again and allow it."),
                              kWaitMs);
    QVERIFY(result->isVisible());
    QVERIFY(result->styleSheet().contains("color"));                     // shown as a problem
    QCOMPARE(text->toPlainText(), QString("Thanks!"));                   // the words are not lost
    QVERIFY(page->findChild<QPushButton *>("replyButton")->isEnabled()); // the creator may retry
    QCOMPARE(shown(view, rowOf(view, "carol"), CommentListModel::StateColumn),
             QString("Unanswered"));
}

void InboxViewTest::hideAndUnhideGoThroughTheRelay() {
    m_relay->on("/v1/instagram/comments/hide", [this](const FakeRelay::Request &request) {
        const bool hide = request.body.value("hide").toBool();
        const QString problem = m_bed->run(
            "UPDATE ig_comments SET hidden = $1::boolean, updated_at = now() WHERE ig_id = $2",
            {hide, request.body.value("comment_id").toString()});
        return FakeRelay::Answer{problem.isEmpty() ? 200 : 500, {{"hidden", hide}}};
    });
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    auto *hideButton = page->findChild<QPushButton *>("hideComment");
    view->selectRow(rowOf(view, "carol"));
    QCOMPARE(hideButton->text(), QString("Hide"));
    QTest::mouseClick(hideButton, Qt::LeftButton);

    QVERIFY(m_relay->waitForRequests(1));
    QCOMPARE(m_relay->requests().at(0).path, QString("/v1/instagram/comments/hide"));
    QCOMPARE(m_relay->requests().at(0).body,
             (QJsonObject{{"comment_id", "c-carol"}, {"hide", true}}));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view, rowOf(view, "carol"), CommentListModel::StateColumn),
                              QString("Hidden · Unanswered"), kWaitMs);
    QCOMPARE(hideButton->text(), QString("Unhide"));
    QCOMPARE(page->findChild<QLabel *>("inboxActionStatus")->text(),
             QString("The comment from @carol is hidden."));
    QCOMPARE(page->findChild<QPushButton *>("filterHidden")->text(), QString("Hidden (2)"));

    QTRY_VERIFY_WITH_TIMEOUT(hideButton->isEnabled(), kWaitMs);
    QTest::mouseClick(hideButton, Qt::LeftButton);
    QVERIFY(m_relay->waitForRequests(2));
    QCOMPARE(m_relay->requests().at(1).body,
             (QJsonObject{{"comment_id", "c-carol"}, {"hide", false}}));
    QTRY_COMPARE_WITH_TIMEOUT(shown(view, rowOf(view, "carol"), CommentListModel::StateColumn),
                              QString("Unanswered"), kWaitMs);
    QCOMPARE(hideButton->text(), QString("Hide"));
}

void InboxViewTest::announcedNewCommentAppearsWithoutReload() {
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    view->selectRow(rowOf(view, "alice"));
    // Written as the relay's webhook processor writes it; the trigger announces it.
    QVERIFY(m_bed
                ->run("INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, "
                      "from_id, username, text, posted_at) VALUES (1, '17841400000000001', "
                      "'c-dave', 'm-studio', 'u-dave', 'dave', 'First!', now())")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 5, kWaitMs);
    QCOMPARE(shown(view, 0, CommentListModel::FromColumn), QString("@dave"));
    QCOMPARE(shown(view, 0, CommentListModel::PostColumn), QString("Behind the scenes"));
    QCOMPARE(page->selectedCommentId(), QString("c-alice")); // the selection stayed put
    QCOMPARE(page->findChild<QPushButton *>("filterUnanswered")->text(), QString("Unanswered (2)"));
}

void InboxViewTest::withoutARelayTheInboxOnlyReads() {
    auto page = openPage(nullptr);
    QVERIFY(page);
    QTableView *view = table(*page);
    view->selectRow(0);
    QCOMPARE(page->findChild<QLabel *>("replyRecipient")->text(),
             QString("Pair with a relay in Settings to answer comments from here."));
    QVERIFY(!page->findChild<QPlainTextEdit *>("replyText")->isEnabled());
    QVERIFY(!page->findChild<QPushButton *>("replyButton")->isEnabled());
    QVERIFY(!page->findChild<QPushButton *>("hideComment")->isEnabled());
    // The creator's own reply cannot be answered or hidden from here either.
    page->setRelay(m_client.get());
    view->selectRow(rowOf(view, "creator"));
    QCOMPARE(page->findChild<QLabel *>("replyRecipient")->text(),
             QString("This is your own reply."));
    QVERIFY(!page->findChild<QPushButton *>("hideComment")->isEnabled());
}

void InboxViewTest::screenshotIsSavedAsArtifact() {
    auto page = openPage(m_client.get());
    QVERIFY(page);
    QTableView *view = table(*page);
    view->selectRow(rowOf(view, "carol"));
    QTest::keyClicks(page->findChild<QPlainTextEdit *>("replyText"),
                     "It's a 35 mm prime, thank you!");
    const QString path = huntaze::test::saveScreenshot(page.get(), "inboxpage");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));
}

QTEST_MAIN(InboxViewTest)
#include "tst_inboxview.moc"
