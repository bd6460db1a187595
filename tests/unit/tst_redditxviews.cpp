#include "insights/insightspage.h"
#include "insights/postmetrics.h"
#include "instagramtestbed.h"
#include "platforms/x/xpostrequest.h"
#include "publish/postlistmodel.h"
#include "publish/postspage.h"
#include "publish/redditxposts.h"
#include "screenshots.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QLabel>
#include <QLineSeries>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using huntaze::test::InstagramTestBed;
using huntaze::ui::InsightsPage;
using huntaze::ui::PostListModel;
using huntaze::ui::PostMetrics;
using huntaze::ui::PostSnapshot;
using huntaze::ui::PostsPage;
using huntaze::ui::RedditXPosts;

namespace {
constexpr int kWaitMs = 10000;

// The test bed's user with a Reddit account (id 2) and an X account (id 3): two Reddit
// posts (one removed by the moderators) and two X posts (one deleted, whose impressions X
// shares only privately), as the relay's sync writes them.
const QString kSeed = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username)
         VALUES (1, 'reddit', 'sbx1a', 'Sam on Reddit', 'sam_r'),
                (1, 'x', '1500000000000000001', 'Sam on X', 'sam_x');
    INSERT INTO reddit_posts (user_id, account_id, fullname, subreddit, kind, title, url,
                              permalink, score, num_comments, upvote_ratio,
                              removed_by_category, posted_at)
    VALUES (1, 2, 't3_aaa1', 'pics', 'self', 'Morning light', '',
            '/r/pics/comments/aaa1/morning_light/', 42, 7, 0.97, NULL,
            now() - interval '2 days'),
           (1, 2, 't3_bbb2', 'itookapicture', 'image', 'Harbour at dusk',
            'https://i.redd.it/bbb2.jpg',
            'https://www.reddit.com/r/itookapicture/comments/bbb2/harbour_at_dusk/', 5, 1, 0.6,
            'moderator', now() - interval '1 day');
    INSERT INTO publications (user_id, draft_id, account_id, provider, kind, state)
         VALUES (1, gen_random_uuid(), 3, 'x', 'images', 'published');
    INSERT INTO x_posts (user_id, account_id, tweet_id, text, public_metrics, non_public_metrics,
                         posted_at, deleted_at, publication_id)
    VALUES (1, 3, '1700000000000000001', 'Hello from Huntaze',
            '{"impression_count": 1500, "like_count": 30, "retweet_count": 4,
              "reply_count": 2, "quote_count": 1}',
            '{"url_link_clicks": 12, "user_profile_clicks": 3}', now() - interval '3 hours',
            NULL, 1),
           (1, 3, '1700000000000000002', 'An older thought', '{"like_count": "8"}',
            '{"impression_count": 200}', now() - interval '3 days', now(), NULL);
)sql");

QString shown(const QTableView *table, int row, int column, int role = Qt::DisplayRole) {
    return table->model()->index(row, column).data(role).toString();
}

QList<qreal> values(const QLineSeries *series) {
    QList<qreal> ys;
    for (const QPointF &point : series->points())
        ys << point.y();
    return ys;
}

QLineSeries *seriesNamed(const QChartView *view, const QString &name) {
    for (QAbstractSeries *series : view->chart()->series())
        if (series->name() == name)
            return qobject_cast<QLineSeries *>(series);
    return nullptr;
}

PostSnapshot snapshot(const char *post, const QDate &day, QList<qint64> figures) {
    return {QString::fromLatin1(post), QString(), 0, day, std::move(figures)};
}
} // namespace

class RedditXViewsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // From plain values
    void redditLinksAreMadeAbsoluteAndOthersRefused_data();
    void redditLinksAreMadeAbsoluteAndOthersRefused();
    void xLinkUsesTheUsernameOnlyWhenItIsOne();
    void xMetricFallsBackToPrivateFigures();
    void upvoteRatioIsAPercentOrNothing();
    void perDayCarriesEachPostsLatestFiguresForward();

    // On the desktop's database
    void postsListRedditAndXPosts();
    void postsFollowRedditChangesLive();
    void insightsChartRedditScoreAndComments();
    void insightsChartXImpressionsLikesAndReposts();
    void insightsChartOneRedditPost();
    void insightsFollowNewXMetricsLive();
    void screenshotsAreSavedAsArtifacts();

private:
    std::unique_ptr<PostsPage> openPosts();
    std::unique_ptr<InsightsPage> openInsights();
    QString record(const char *sql, const QDate &day, const QTime &at, const QString &a,
                   const QString &b, const QString &c);

    std::unique_ptr<InstagramTestBed> m_bed;
    QDate m_today;
};

QString RedditXViewsTest::record(const char *sql, const QDate &day, const QTime &at,
                                 const QString &a, const QString &b, const QString &c) {
    return m_bed->run(QString::fromLatin1(sql),
                      {a, QDateTime(day, at).toUTC().toString(Qt::ISODate), b, c});
}

void RedditXViewsTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    QString problem = m_bed->run(kSeed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Reddit history: Morning light's first figures long ago (they count from the first
    // charted day), then day -2, two on day -1 (the later counts); the harbour on day -1.
    m_today = QDate::currentDate();
    const char *reddit = "INSERT INTO reddit_post_stats (user_id, fullname, recorded_at, score, "
                         "num_comments) VALUES (1, $1, $2::timestamptz, $3::bigint, $4::bigint)";
    const struct {
        const char *post;
        int day;
        QTime at;
        const char *score;
        const char *comments;
    } stats[] = {{"t3_aaa1", -20, QTime(12, 0), "1", "0"},
                 {"t3_aaa1", -2, QTime(12, 0), "10", "2"},
                 {"t3_aaa1", -1, QTime(8, 0), "30", "5"},
                 {"t3_aaa1", -1, QTime(12, 0), "42", "7"},
                 {"t3_bbb2", -1, QTime(12, 0), "5", "1"}};
    for (const auto &row : stats) {
        problem = record(reddit, m_today.addDays(row.day), row.at, QString::fromLatin1(row.post),
                         QString::fromLatin1(row.score), QString::fromLatin1(row.comments));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    // X history: the older post from day -3 (impressions only privately), the new one on -1.
    const char *x = "INSERT INTO x_post_metrics (user_id, tweet_id, recorded_at, public_metrics, "
                    "non_public_metrics) VALUES (1, $1, $2::timestamptz, $3::jsonb, $4::jsonb)";
    problem = record(x, m_today.addDays(-3), QTime(12, 0), "1700000000000000002",
                     R"({"like_count": "8"})", R"({"impression_count": 200})");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = record(x, m_today.addDays(-1), QTime(12, 0), "1700000000000000001",
                     R"({"impression_count": 1000, "like_count": 20, "retweet_count": 3})", "{}");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void RedditXViewsTest::redditLinksAreMadeAbsoluteAndOthersRefused_data() {
    QTest::addColumn<QString>("permalink");
    QTest::addColumn<QString>("expected");
    QTest::newRow("relative") << "/r/pics/comments/aaa1/morning_light/"
                              << "https://www.reddit.com/r/pics/comments/aaa1/morning_light/";
    QTest::newRow("absolute") << "https://www.reddit.com/r/pics/comments/aaa1/x/"
                              << "https://www.reddit.com/r/pics/comments/aaa1/x/";
    QTest::newRow("script") << "javascript:alert(1)" << QString();
    QTest::newRow("other host") << "https://reddit.com.evil.example/r/pics/comments/a/"
                                << QString();
    QTest::newRow("plain http") << "http://www.reddit.com/r/pics/comments/a/" << QString();
    QTest::newRow("empty") << QString() << QString();
}

void RedditXViewsTest::redditLinksAreMadeAbsoluteAndOthersRefused() {
    QFETCH(QString, permalink);
    QFETCH(QString, expected);
    QCOMPARE(RedditXPosts::redditLink(permalink), expected);
}

void RedditXViewsTest::xLinkUsesTheUsernameOnlyWhenItIsOne() {
    QCOMPARE(huntaze::x::postPermalink("sam_x", "1700000000000000001"),
             QString("https://x.com/sam_x/status/1700000000000000001"));
    QCOMPARE(huntaze::x::postPermalink("", "17"), QString("https://x.com/i/status/17"));
    QCOMPARE(huntaze::x::postPermalink("../evil?", "17"), QString("https://x.com/i/status/17"));
    QCOMPARE(huntaze::x::postPermalink("sam_x", "17/../../x"), QString());
}

void RedditXViewsTest::xMetricFallsBackToPrivateFigures() {
    const QJsonObject open{{"like_count", 5}, {"impression_count", "oops"}};
    const QJsonObject own{{"impression_count", 90}};
    QCOMPARE(RedditXPosts::xMetric(open, own, "like_count"), std::optional<qint64>(5));
    QCOMPARE(RedditXPosts::xMetric(open, own, "impression_count"), std::optional<qint64>(90));
    QCOMPARE(RedditXPosts::xMetric(open, {}, "impression_count"), std::nullopt);
    QCOMPARE(RedditXPosts::xPrivateFiguresText({}), QString());
    QCOMPARE(RedditXPosts::xPrivateFiguresText({{"url_link_clicks", 12}}),
             QString("Only you see these: Link clicks: 12"));
}

void RedditXViewsTest::upvoteRatioIsAPercentOrNothing() {
    QCOMPARE(RedditXPosts::upvoteRatioText("0.97"), QString("97 %"));
    QCOMPARE(RedditXPosts::upvoteRatioText("1"), QString("100 %"));
    QCOMPARE(RedditXPosts::upvoteRatioText(""), QString());
    QCOMPARE(RedditXPosts::upvoteRatioText("7"), QString());
    QCOMPARE(RedditXPosts::upvoteRatioText("NaN"), QString());
}

void RedditXViewsTest::perDayCarriesEachPostsLatestFiguresForward() {
    const QDate today(2025, 6, 10);
    const QList<PostSnapshot> snapshots{
        snapshot("a", today.addDays(-2), {10, 1}), snapshot("b", today.addDays(-1), {5}),
        snapshot("a", today, {-3, 4}), snapshot("a", today.addDays(-9), {99, 99})};
    const auto days = PostMetrics::perDay(snapshots, today, 3, 2);
    QCOMPARE(days.size(), 3);
    QCOMPARE(days[0].date, today.addDays(-2));
    QCOMPARE(days[0].totals, (QList<qint64>{10, 1}));
    QCOMPARE(days[1].totals, (QList<qint64>{15, 1})); // a carried, b's missing figure is 0
    QCOMPARE(days[2].totals, (QList<qint64>{2, 4}));  // a's score fell below zero
    const auto onlyB = PostMetrics::perDay(snapshots, today, 3, 2, "b");
    QCOMPARE(onlyB.size(), 2); // nothing before its first snapshot
    QCOMPARE(onlyB[0].date, today.addDays(-1));
    QVERIFY(PostMetrics::perDay(snapshots, today, 3, 0).isEmpty());
}

std::unique_ptr<PostsPage> RedditXViewsTest::openPosts() {
    auto page = std::make_unique<PostsPage>();
    page->resize(1600, 400);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (page->model()->rowCount() < 4 && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void RedditXViewsTest::postsListRedditAndXPosts() {
    auto page = openPosts();
    QVERIFY(page);
    auto *table = page->findChild<QTableView *>("postsTable");
    QVERIFY(table);
    QCOMPARE(table->model()->rowCount(), 4);
    // Newest first, platforms merged.
    QCOMPARE(shown(table, 0, PostListModel::PublishIdColumn), QString("1700000000000000001"));
    QCOMPARE(shown(table, 1, PostListModel::PublishIdColumn), QString("t3_bbb2"));
    QCOMPARE(shown(table, 2, PostListModel::PublishIdColumn), QString("t3_aaa1"));
    QCOMPARE(shown(table, 3, PostListModel::PublishIdColumn), QString("1700000000000000002"));

    // Reddit: where it went, its title, score, comments, ratio and its page.
    QCOMPARE(shown(table, 2, PostListModel::PlatformColumn), QString("Reddit"));
    QCOMPARE(shown(table, 2, PostListModel::AccountColumn), QString("Sam on Reddit"));
    QCOMPARE(shown(table, 2, PostListModel::ModeColumn), QString("Text post"));
    QCOMPARE(shown(table, 2, PostListModel::StatusColumn), QString("Published"));
    QCOMPARE(shown(table, 2, PostListModel::CaptionColumn), QString("r/pics · Morning light"));
    QCOMPARE(shown(table, 2, PostListModel::ScoreColumn), QString("42"));
    QCOMPARE(shown(table, 2, PostListModel::CommentsColumn), QString("7"));
    QCOMPARE(shown(table, 2, PostListModel::UpvoteRatioColumn), QString("97 %"));
    QCOMPARE(shown(table, 2, PostListModel::LikesColumn), QString());
    QCOMPARE(shown(table, 2, PostListModel::ProblemColumn), QString());
    QCOMPARE(shown(table, 2, PostListModel::LinkColumn),
             QString("https://www.reddit.com/r/pics/comments/aaa1/morning_light/"));
    QCOMPARE(table->model()->index(2, PostListModel::LinkColumn).data(PostListModel::LinkRole),
             QVariant(QUrl("https://www.reddit.com/r/pics/comments/aaa1/morning_light/")));
    QVERIFY(!shown(table, 2, PostListModel::UpdatedColumn).isEmpty());

    // A removed post says so, and what to do.
    QCOMPARE(shown(table, 1, PostListModel::ModeColumn), QString("Image"));
    QCOMPARE(shown(table, 1, PostListModel::StatusColumn), QString("Removed by the moderators"));
    QVERIFY(shown(table, 1, PostListModel::ProblemColumn).contains("moderators"));
    QVERIFY(shown(table, 1, PostListModel::ProblemColumn).contains("rules"));
    QCOMPARE(shown(table, 1, PostListModel::UpvoteRatioColumn), QString("60 %"));

    // X: the text, its public figures, the private ones in the impressions' tooltip.
    QCOMPARE(shown(table, 0, PostListModel::PlatformColumn), QString("X"));
    QCOMPARE(shown(table, 0, PostListModel::AccountColumn), QString("Sam on X"));
    QCOMPARE(shown(table, 0, PostListModel::StatusColumn), QString("Published"));
    QCOMPARE(shown(table, 0, PostListModel::ModeColumn), QString("Photos")); // Huntaze made it
    QCOMPARE(shown(table, 0, PostListModel::CaptionColumn), QString("Hello from Huntaze"));
    QCOMPARE(shown(table, 0, PostListModel::ViewsColumn), QString("1500"));
    QCOMPARE(shown(table, 0, PostListModel::LikesColumn), QString("30"));
    QCOMPARE(shown(table, 0, PostListModel::RepostsColumn), QString("4"));
    QCOMPARE(shown(table, 0, PostListModel::CommentsColumn), QString("2"));
    QCOMPARE(shown(table, 0, PostListModel::QuotesColumn), QString("1"));
    QCOMPARE(shown(table, 0, PostListModel::ScoreColumn), QString());
    QCOMPARE(shown(table, 0, PostListModel::ViewsColumn, Qt::ToolTipRole),
             QString("Only you see these: Link clicks: 12 · Profile clicks: 3"));
    QCOMPARE(shown(table, 0, PostListModel::LinkColumn),
             QString("https://x.com/sam_x/status/1700000000000000001"));
    QCOMPARE(table->model()->index(0, PostListModel::LinkColumn).data(PostListModel::LinkRole),
             QVariant(QUrl("https://x.com/sam_x/status/1700000000000000001")));

    // A deleted X post keeps its last figures; impressions X gave only privately show.
    QCOMPARE(shown(table, 3, PostListModel::StatusColumn), QString("Deleted on X"));
    QCOMPARE(shown(table, 3, PostListModel::ModeColumn), QString("Post")); // made elsewhere
    QVERIFY(shown(table, 3, PostListModel::ProblemColumn).contains("deleted on X"));
    QCOMPARE(shown(table, 3, PostListModel::LikesColumn), QString("8"));
    QCOMPARE(shown(table, 3, PostListModel::ViewsColumn), QString("200"));
    QVERIFY(page->findChild<QLabel *>("postsEmpty")->isHidden());
}

void RedditXViewsTest::postsFollowRedditChangesLive() {
    auto page = openPosts();
    QVERIFY(page);
    auto *table = page->findChild<QTableView *>("postsTable");
    table->selectRow(2);
    QVERIFY(m_bed
                ->run("UPDATE reddit_posts SET score = 43, num_comments = 8, updated_at = now() "
                      "WHERE fullname = 't3_aaa1'")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(shown(table, 2, PostListModel::ScoreColumn), QString("43"), kWaitMs);
    QCOMPARE(shown(table, 2, PostListModel::CommentsColumn), QString("8"));
    QCOMPARE(table->selectionModel()->selectedRows().value(0).row(), 2); // selection kept
    QVERIFY(m_bed
                ->run("UPDATE x_posts SET public_metrics = public_metrics || "
                      "'{\"like_count\": 31}' WHERE tweet_id = '1700000000000000001'")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(shown(table, 0, PostListModel::LikesColumn), QString("31"), kWaitMs);
    QVERIFY(m_bed
                ->run("UPDATE reddit_posts SET score = 42, num_comments = 7 WHERE fullname = "
                      "'t3_aaa1'; UPDATE x_posts SET public_metrics = public_metrics || "
                      "'{\"like_count\": 30}' WHERE tweet_id = '1700000000000000001'")
                .isEmpty());
}

std::unique_ptr<InsightsPage> RedditXViewsTest::openInsights() {
    auto page = std::make_unique<InsightsPage>();
    page->resize(1000, 760);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while ((page->redditDays().isEmpty() || page->xDays().isEmpty()) && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void RedditXViewsTest::insightsChartRedditScoreAndComments() {
    auto page = openInsights();
    QVERIFY(page);
    // Beside the publishing and Instagram charts, each in its own tab.
    auto *tabs = page->findChild<QTabWidget *>("insightsCharts");
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 4);
    QCOMPARE(tabs->tabText(1), QString("Instagram"));
    QCOMPARE(tabs->tabText(2), QString("Reddit"));
    QCOMPARE(tabs->tabText(3), QString("X"));
    tabs->setCurrentIndex(2);
    auto *view = page->findChild<QChartView *>("redditChart");
    QVERIFY(view && view->chart() && view->isVisible());
    QStringList names;
    for (const QAbstractSeries *series : view->chart()->series())
        names << series->name();
    QCOMPARE(names, (QStringList{"Score", "Comments"}));

    // Every charted day has a point: the old figures count from the first day.
    QLineSeries *score = seriesNamed(view, "Score");
    QCOMPARE(score->count(), InsightsPage::kChartDays);
    const QDate first = m_today.addDays(1 - InsightsPage::kChartDays);
    QCOMPARE(score->at(0).x(), double(first.startOfDay().toMSecsSinceEpoch()));
    QList<qreal> expected(11, 1.0);
    expected << 10 << 47 << 47; // days -2 .. today: the later of day -1's counts
    QCOMPARE(values(score), expected);
    expected = QList<qreal>(11, 0.0);
    expected << 2 << 8 << 8;
    QCOMPARE(values(seriesNamed(view, "Comments")), expected);
    QVERIFY(page->findChild<QLabel *>("redditEmpty")->isHidden());
}

void RedditXViewsTest::insightsChartXImpressionsLikesAndReposts() {
    auto page = openInsights();
    QVERIFY(page);
    auto *tabs = page->findChild<QTabWidget *>("insightsCharts");
    tabs->setCurrentIndex(3);
    auto *view = page->findChild<QChartView *>("xChart");
    QVERIFY(view && view->isVisible());
    // From the first snapshot on (day -3); the older post's impressions are private ones.
    QCOMPARE(values(seriesNamed(view, "Impressions")), (QList<qreal>{200, 200, 1200, 1200}));
    QCOMPARE(values(seriesNamed(view, "Likes")), (QList<qreal>{8, 8, 28, 28}));
    QCOMPARE(values(seriesNamed(view, "Reposts")), (QList<qreal>{0, 0, 3, 3}));
    QCOMPARE(seriesNamed(view, "Likes")->at(0).x(),
             double(m_today.addDays(-3).startOfDay().toMSecsSinceEpoch()));
    QVERIFY(page->findChild<QLabel *>("xEmpty")->isHidden());
}

void RedditXViewsTest::insightsChartOneRedditPost() {
    auto page = openInsights();
    QVERIFY(page);
    auto *posts = page->findChild<QComboBox *>("redditPost");
    QVERIFY(posts);
    // All posts, then the newest post first.
    QCOMPARE(posts->count(), 3);
    QCOMPARE(posts->itemText(0), QString("All posts"));
    QCOMPARE(posts->itemText(1), QString("Harbour at dusk"));
    QCOMPARE(posts->itemText(2), QString("Morning light"));

    posts->setCurrentIndex(1);
    Q_EMIT posts->activated(1); // as a click on the entry does
    auto *view = page->findChild<QChartView *>("redditChart");
    QCOMPARE(values(seriesNamed(view, "Score")), (QList<qreal>{5, 5}));

    // A refresh keeps the chosen post.
    page->refresh();
    QTest::qWait(300);
    QCOMPARE(posts->currentText(), QString("Harbour at dusk"));
    QCOMPARE(values(seriesNamed(view, "Score")).size(), 2);
}

void RedditXViewsTest::insightsFollowNewXMetricsLive() {
    auto page = openInsights();
    QVERIFY(page);
    QLineSeries *likes = seriesNamed(page->findChild<QChartView *>("xChart"), "Likes");
    QCOMPARE(likes->at(3).y(), 28.0);
    // The metrics sync appends history and updates the post's latest figures together.
    QVERIFY(m_bed
                ->run("BEGIN; INSERT INTO x_post_metrics (user_id, tweet_id, public_metrics) "
                      "VALUES (1, '1700000000000000001', '{\"like_count\": 50}'); UPDATE x_posts "
                      "SET public_metrics = '{\"like_count\": 50}', updated_at = now() WHERE "
                      "tweet_id = '1700000000000000001'; COMMIT;")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(likes->at(3).y(), 58.0, kWaitMs); // 50 + the older post's 8
    QCOMPARE(likes->at(2).y(), 28.0);
    // Back as the other tests expect it.
    QVERIFY(m_bed
                ->run("DELETE FROM x_post_metrics WHERE recorded_at > now() - interval "
                      "'1 minute'; UPDATE x_posts SET public_metrics = '{\"impression_count\": "
                      "1500, \"like_count\": 30, \"retweet_count\": 4, \"reply_count\": 2, "
                      "\"quote_count\": 1}' WHERE tweet_id = '1700000000000000001'")
                .isEmpty());
}

void RedditXViewsTest::screenshotsAreSavedAsArtifacts() {
    auto posts = openPosts();
    QVERIFY(posts);
    posts->findChild<QTableView *>("postsTable")->selectRow(1);
    QString path = huntaze::test::saveScreenshot(posts.get(), "postspage-reddit-x");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));

    auto insights = openInsights();
    QVERIFY(insights);
    auto *tabs = insights->findChild<QTabWidget *>("insightsCharts");
    tabs->setCurrentIndex(2);
    path = huntaze::test::saveScreenshot(insights.get(), "insightspage-reddit");
    QVERIFY(!path.isEmpty());
    tabs->setCurrentIndex(3);
    path = huntaze::test::saveScreenshot(insights.get(), "insightspage-x");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));
}

QTEST_MAIN(RedditXViewsTest)
#include "tst_redditxviews.moc"
