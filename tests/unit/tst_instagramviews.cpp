#include "insights/insightsfigures.h"
#include "insights/insightspage.h"
#include "instagramtestbed.h"
#include "publish/postlistmodel.h"
#include "publish/postspage.h"
#include "screenshots.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QLabel>
#include <QLineSeries>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using huntaze::test::InstagramTestBed;
using huntaze::ui::InsightsFigures;
using huntaze::ui::InsightsPage;
using huntaze::ui::PostListModel;
using huntaze::ui::PostsPage;
using MediaMetric = InsightsFigures::MediaMetric;

namespace {
constexpr int kWaitMs = 10000;

// A TikTok post and two Instagram media: a reel with flat insights, a carousel with
// insights as the Graph API words them.
const QString kPostsSeed = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username)
         VALUES (1, 'tiktok', 'tt-1', 'Alice TT', 'alice');
    INSERT INTO tiktok_posts (user_id, account_id, publish_id, post_mode, source, status, post_id,
                              created_at)
         VALUES (1, 2, 'v_pub_1', 'direct', 'FILE_UPLOAD', 'PUBLISH_COMPLETE',
                 '7345678901234567890', now() - interval '3 days');
    INSERT INTO ig_media (user_id, ig_business_id, ig_id, media_type, media_product_type, caption,
                          permalink, posted_at, like_count, comments_count, insights)
    VALUES (1, '17841400000000001', 'm-sunset', 'VIDEO', 'REELS', 'Sunset over the bay',
            'https://www.instagram.com/reel/SUNSET/', now() - interval '2 days', 45, 3,
            '{"views": 1200, "reach": 900}'),
           (1, '17841400000000001', 'm-album', 'CAROUSEL_ALBUM', 'FEED', 'Ten frames from Lisbon',
            'https://www.instagram.com/p/ALBUM/', now() - interval '1 day', 12, 0,
            '{"data": [{"name": "views", "period": "lifetime", "values": [{"value": 300}]},
                       {"name": "reach", "total_value": {"value": 250}}]}');
)sql");

QString shown(const QTableView *table, int row, int column, int role = Qt::DisplayRole) {
    return table->model()->index(row, column).data(role).toString();
}

QJsonObject snapshot(qint64 views, qint64 reach, qint64 likes, qint64 interactions) {
    return {
        {"views", views}, {"reach", reach}, {"likes", likes}, {"total_interactions", interactions}};
}

QString json(const QJsonObject &object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QList<qreal> values(const QLineSeries *series) {
    QList<qreal> ys;
    for (const QPointF &point : series->points())
        ys << point.y();
    return ys;
}

QLineSeries *seriesNamed(const QChart *chart, const QString &name) {
    for (QAbstractSeries *series : chart->series())
        if (series->name() == name)
            return qobject_cast<QLineSeries *>(series);
    return nullptr;
}
} // namespace

class InstagramViewsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // From plain rows
    void instagramKindIsNamed_data();
    void instagramKindIsNamed();
    void mediaMetricReadsFlatAndGraphInsights();
    void mediaPerDayCarriesEachMediasLatestFiguresForward();

    // On the desktop's database
    void postsListInstagramMediaWithTikTokPosts();
    void postsFollowInstagramChangesLive();
    void insightsChartInstagramMetricsPerDay();
    void insightsChartOnePostsCurve();
    void insightsFollowNewSnapshotsLive();
    void screenshotsAreSavedAsArtifacts();

private:
    std::unique_ptr<PostsPage> openPosts();
    std::unique_ptr<InsightsPage> openInsights();

    std::unique_ptr<InstagramTestBed> m_bed;
    QDate m_today;
};

void InstagramViewsTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    QString problem = m_bed->run(kPostsSeed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Insights snapshots: the album's from long ago (it counts from the first charted day),
    // the reel's on days -3 (two that day: the later one counts) and -1, the album's on -2.
    m_today = QDate::currentDate();
    const struct {
        const char *media;
        QDate day;
        QTime at;
        QString insights;
    } snapshots[] = {
        {"m-album", m_today.addDays(-20), QTime(12, 0), json(snapshot(20, 15, 2, 3))},
        {"m-sunset", m_today.addDays(-3), QTime(8, 0), json(snapshot(60, 50, 6, 8))},
        {"m-sunset", m_today.addDays(-3), QTime(12, 0), json(snapshot(100, 80, 10, 15))},
        {"m-album", m_today.addDays(-2), QTime(12, 0),
         R"({"data": [{"name": "views", "values": [{"value": 50}]},
                      {"name": "reach", "total_value": {"value": 40}},
                      {"name": "likes", "values": [{"value": 5}]},
                      {"name": "total_interactions", "values": [{"value": 7}]}]})"},
        {"m-sunset", m_today.addDays(-1), QTime(12, 0), json(snapshot(300, 200, 30, 40))},
    };
    for (const auto &taken : snapshots) {
        problem = m_bed->run(
            "INSERT INTO ig_media_insights (user_id, ig_id, captured_at, insights) "
            "VALUES (1, $1, $2::timestamptz, $3::jsonb)",
            {QString::fromLatin1(taken.media),
             QDateTime(taken.day, taken.at).toUTC().toString(Qt::ISODate), taken.insights});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

void InstagramViewsTest::instagramKindIsNamed_data() {
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<QString>("productType");
    QTest::addColumn<QString>("expected");
    QTest::newRow("reel") << "VIDEO"
                          << "REELS"
                          << "Reel";
    QTest::newRow("story") << "IMAGE"
                           << "STORY"
                           << "Story";
    QTest::newRow("photo") << "IMAGE"
                           << "FEED"
                           << "Photo";
    QTest::newRow("video") << "VIDEO"
                           << "FEED"
                           << "Video";
    QTest::newRow("carousel") << "CAROUSEL_ALBUM"
                              << "FEED"
                              << "Carousel";
}

void InstagramViewsTest::instagramKindIsNamed() {
    QFETCH(QString, mediaType);
    QFETCH(QString, productType);
    QFETCH(QString, expected);
    QCOMPARE(PostListModel::instagramKindText(mediaType, productType), expected);
}

void InstagramViewsTest::mediaMetricReadsFlatAndGraphInsights() {
    QCOMPARE(InsightsFigures::mediaMetric({{"views", 12}}, "views"), std::optional<qint64>(12));
    QCOMPARE(InsightsFigures::mediaMetric({{"views", "12"}}, "views"), std::optional<qint64>(12));
    const QJsonObject graph = QJsonDocument::fromJson(R"({"data": [
        {"name": "reach", "total_value": {"value": 40}},
        {"name": "views", "values": [{"value": 3}, {"value": 9}]}]})")
                                  .object();
    QCOMPARE(InsightsFigures::mediaMetric(graph, "reach"), std::optional<qint64>(40));
    QCOMPARE(InsightsFigures::mediaMetric(graph, "views"), std::optional<qint64>(9));
    QCOMPARE(InsightsFigures::mediaMetric(graph, "likes"), std::nullopt);
    QCOMPARE(InsightsFigures::mediaMetric({}, "views"), std::nullopt);
}

void InstagramViewsTest::mediaPerDayCarriesEachMediasLatestFiguresForward() {
    const QDate today(2025, 6, 10);
    const auto row = [](const char *media, const QDate &day, qint64 views) {
        return QJsonObject{{"ig_id", media},
                           {"day", day.toString(Qt::ISODate)},
                           {"insights", json(snapshot(views, 0, 0, 0))}};
    };
    const QList<QJsonObject> rows{row("a", today.addDays(-2), 10), row("b", today.addDays(-1), 5),
                                  row("a", today, 30), row("a", today.addDays(-9), 99)};
    const auto days = InsightsFigures::mediaPerDay(rows, today, 3);
    QCOMPARE(days.size(), 3);
    QCOMPARE(days[0].date, today.addDays(-2));
    QCOMPARE(days[0].total(MediaMetric::Views), 10);
    QCOMPARE(days[1].total(MediaMetric::Views), 15); // a's 10 carried, b's 5
    QCOMPARE(days[2].total(MediaMetric::Views), 35); // a's new 30, b's 5 carried
    const auto onlyB = InsightsFigures::mediaPerDay(rows, today, 3, "b");
    QCOMPARE(onlyB.size(), 2); // nothing before its first snapshot
    QCOMPARE(onlyB[0].date, today.addDays(-1));
}

std::unique_ptr<PostsPage> InstagramViewsTest::openPosts() {
    auto page = std::make_unique<PostsPage>();
    page->resize(1400, 400);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (page->model()->rowCount() < 3 && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void InstagramViewsTest::postsListInstagramMediaWithTikTokPosts() {
    auto page = openPosts();
    QVERIFY(page);
    auto *table = page->findChild<QTableView *>("postsTable");
    QVERIFY(table);
    QCOMPARE(table->model()->rowCount(), 3);
    // Newest first, platforms merged.
    QCOMPARE(shown(table, 0, PostListModel::PublishIdColumn), QString("m-album"));
    QCOMPARE(shown(table, 1, PostListModel::PublishIdColumn), QString("m-sunset"));
    QCOMPARE(shown(table, 2, PostListModel::PublishIdColumn), QString("v_pub_1"));

    QCOMPARE(shown(table, 1, PostListModel::PlatformColumn), QString("Instagram"));
    QCOMPARE(shown(table, 1, PostListModel::AccountColumn), QString("creator"));
    QCOMPARE(shown(table, 1, PostListModel::ModeColumn), QString("Reel"));
    QCOMPARE(shown(table, 1, PostListModel::StatusColumn), QString("Published"));
    QCOMPARE(shown(table, 1, PostListModel::CaptionColumn), QString("Sunset over the bay"));
    QCOMPARE(shown(table, 1, PostListModel::LikesColumn), QString("45"));
    QCOMPARE(shown(table, 1, PostListModel::CommentsColumn), QString("3"));
    QCOMPARE(shown(table, 1, PostListModel::ViewsColumn), QString("1200"));
    QCOMPARE(shown(table, 1, PostListModel::ReachColumn), QString("900"));
    QCOMPARE(shown(table, 1, PostListModel::LinkColumn),
             QString("https://www.instagram.com/reel/SUNSET/"));
    QCOMPARE(table->model()->index(1, PostListModel::LinkColumn).data(PostListModel::LinkRole),
             QVariant(QUrl("https://www.instagram.com/reel/SUNSET/")));
    QVERIFY(!shown(table, 1, PostListModel::UpdatedColumn).isEmpty());

    // The carousel's insights come as the Graph API words them.
    QCOMPARE(shown(table, 0, PostListModel::ModeColumn), QString("Carousel"));
    QCOMPARE(shown(table, 0, PostListModel::CommentsColumn), QString("0"));
    QCOMPARE(shown(table, 0, PostListModel::ViewsColumn), QString("300"));
    QCOMPARE(shown(table, 0, PostListModel::ReachColumn), QString("250"));

    // The TikTok row is as before: its own link, no Instagram figures.
    QCOMPARE(shown(table, 2, PostListModel::PlatformColumn), QString("TikTok"));
    QCOMPARE(shown(table, 2, PostListModel::AccountColumn), QString("Alice TT"));
    QCOMPARE(shown(table, 2, PostListModel::ModeColumn), QString("Direct post"));
    QCOMPARE(shown(table, 2, PostListModel::LinkColumn),
             QString("https://www.tiktok.com/@alice/video/7345678901234567890"));
    QCOMPARE(shown(table, 2, PostListModel::ViewsColumn), QString());
    QVERIFY(page->findChild<QLabel *>("postsEmpty")->isHidden());
}

void InstagramViewsTest::postsFollowInstagramChangesLive() {
    auto page = openPosts();
    QVERIFY(page);
    auto *table = page->findChild<QTableView *>("postsTable");
    table->selectRow(1);
    QVERIFY(m_bed
                ->run("UPDATE ig_media SET like_count = 46, insights = '{\"views\": 1300, "
                      "\"reach\": 950}', updated_at = now() WHERE ig_id = 'm-sunset'")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(shown(table, 1, PostListModel::LikesColumn), QString("46"), kWaitMs);
    QCOMPARE(shown(table, 1, PostListModel::ViewsColumn), QString("1300"));
    QCOMPARE(table->selectionModel()->selectedRows().value(0).row(), 1); // selection kept
    QVERIFY(m_bed
                ->run("UPDATE ig_media SET like_count = 45, insights = '{\"views\": 1200, "
                      "\"reach\": 900}' WHERE ig_id = 'm-sunset'")
                .isEmpty());
}

std::unique_ptr<InsightsPage> InstagramViewsTest::openInsights() {
    auto page = std::make_unique<InsightsPage>();
    page->resize(1000, 760);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (page->instagramDays().isEmpty() && !deadline.hasExpired())
        QTest::qWait(20);
    return page;
}

void InstagramViewsTest::insightsChartInstagramMetricsPerDay() {
    auto page = openInsights();
    QVERIFY(page);
    // Beside the publishing chart, in its own tab.
    auto *tabs = page->findChild<QTabWidget *>("insightsCharts");
    QVERIFY(tabs);
    QCOMPARE(tabs->tabText(0), QString("Publishing"));
    QCOMPARE(tabs->widget(0), page->findChild<QChartView *>("publishingChart"));
    QCOMPARE(tabs->tabText(1), QString("Instagram"));
    tabs->setCurrentIndex(1);
    auto *view = page->findChild<QChartView *>("instagramChart");
    QVERIFY(view && view->chart() && view->isVisible());
    QStringList names;
    for (const QAbstractSeries *series : view->chart()->series())
        names << series->name();
    QCOMPARE(names, (QStringList{"Views", "Reach", "Likes", "Interactions"}));

    // Every charted day has a point: the album's old figures count from the first day.
    QLineSeries *views = seriesNamed(view->chart(), "Views");
    QCOMPARE(views->count(), InsightsPage::kChartDays);
    const QDate first = m_today.addDays(1 - InsightsPage::kChartDays);
    QCOMPARE(views->at(0).x(), double(first.startOfDay().toMSecsSinceEpoch()));
    QCOMPARE(views->at(13).x(), double(m_today.startOfDay().toMSecsSinceEpoch()));
    QList<qreal> expected(10, 20.0);
    expected << 120 << 150 << 350 << 350; // days -3 .. today
    QCOMPARE(values(views), expected);
    expected = QList<qreal>(10, 15.0);
    expected << 95 << 120 << 240 << 240;
    QCOMPARE(values(seriesNamed(view->chart(), "Reach")), expected);
    QCOMPARE(values(seriesNamed(view->chart(), "Likes")).last(), 35.0);
    QCOMPARE(values(seriesNamed(view->chart(), "Interactions")).last(), 47.0);
    QVERIFY(page->findChild<QLabel *>("instagramEmpty")->isHidden());
}

void InstagramViewsTest::insightsChartOnePostsCurve() {
    auto page = openInsights();
    QVERIFY(page);
    auto *posts = page->findChild<QComboBox *>("instagramPost");
    QVERIFY(posts);
    // All posts, then the newest post first.
    QCOMPARE(posts->count(), 3);
    QCOMPARE(posts->itemText(0), QString("All posts"));
    QCOMPARE(posts->itemText(1), QString("Ten frames from Lisbon"));
    QCOMPARE(posts->itemText(2), QString("Sunset over the bay"));

    posts->setCurrentIndex(2);
    Q_EMIT posts->activated(2); // as a click on the entry does
    auto *view = page->findChild<QChartView *>("instagramChart");
    QLineSeries *views = seriesNamed(view->chart(), "Views");
    QCOMPARE(values(views), (QList<qreal>{100, 100, 300, 300}));
    QCOMPARE(views->at(0).x(), double(m_today.addDays(-3).startOfDay().toMSecsSinceEpoch()));

    // A refresh keeps the chosen post.
    page->refresh();
    QTest::qWait(300);
    QCOMPARE(posts->currentText(), QString("Sunset over the bay"));
    QCOMPARE(values(seriesNamed(view->chart(), "Views")).size(), 4);
}

void InstagramViewsTest::insightsFollowNewSnapshotsLive() {
    auto page = openInsights();
    QVERIFY(page);
    QLineSeries *views =
        seriesNamed(page->findChild<QChartView *>("instagramChart")->chart(), "Views");
    QCOMPARE(views->at(13).y(), 350.0);
    // The sync worker appends a snapshot and updates the media's latest figures.
    QVERIFY(m_bed
                ->run("BEGIN; INSERT INTO ig_media_insights (user_id, ig_id, insights) VALUES "
                      "(1, 'm-sunset', '{\"views\": 500}'); UPDATE ig_media SET insights = "
                      "'{\"views\": 500}', updated_at = now() WHERE ig_id = 'm-sunset'; COMMIT;")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(views->at(13).y(), 550.0, kWaitMs); // 500 + the album's 50
    QCOMPARE(views->at(12).y(), 350.0);
    // Back as the other tests expect it.
    QVERIFY(m_bed
                ->run("DELETE FROM ig_media_insights WHERE captured_at > now() - interval "
                      "'1 minute'; UPDATE ig_media SET insights = '{\"views\": 1200, "
                      "\"reach\": 900}' WHERE ig_id = 'm-sunset'")
                .isEmpty());
}

void InstagramViewsTest::screenshotsAreSavedAsArtifacts() {
    auto posts = openPosts();
    QVERIFY(posts);
    posts->findChild<QTableView *>("postsTable")->selectRow(1);
    QString path = huntaze::test::saveScreenshot(posts.get(), "postspage-instagram");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));

    auto insights = openInsights();
    QVERIFY(insights);
    insights->findChild<QTabWidget *>("insightsCharts")->setCurrentIndex(1);
    path = huntaze::test::saveScreenshot(insights.get(), "insightspage-instagram");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));
}

QTEST_MAIN(InstagramViewsTest)
#include "tst_instagramviews.moc"
