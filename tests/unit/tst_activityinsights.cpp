#include "activity/activitylistmodel.h"
#include "activity/activitypage.h"
#include "insights/insightsfigures.h"
#include "insights/insightspage.h"
#include "screenshots.h"

#include <QAction>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QFontDatabase>
#include <QFontInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using huntaze::ui::ActivityListModel;
using huntaze::ui::ActivityPage;
using huntaze::ui::InsightsFigures;
using huntaze::ui::InsightsPage;
using Counts = InsightsFigures::Counts;
using Stat = InsightsFigures::Stat;

namespace {
const qint64 kNowMs = 1'750'000'000'000;

QJsonObject auditRow(qint64 id, const QString &event, const QString &outcome,
                     const QJsonObject &extra = {}) {
    QJsonObject row{
        {"kind", "audit"},
        {"id", QString::number(id)},
        {"at", QString::number(kNowMs - id * 60'000)},
        {"event", event},
        {"provider", "tiktok"},
        {"account", "Alice"},
        {"subject", "open-id-alice"},
        {"outcome", outcome},
        {"correlation_id", QString("6f1c2d1e-0000-4000-8000-%1").arg(id, 12, 10, QChar('0'))},
        {"message", QJsonValue()},
        {"source", QJsonValue()},
        {"tiktok_status", QJsonValue()}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        row.insert(it.key(), it.value());
    return row;
}

QJsonObject publicationRow(qint64 id, const QString &state, const QJsonObject &extra = {}) {
    QJsonObject row = auditRow(id, state, state,
                               {{"kind", "publication"},
                                {"subject", QJsonValue()},
                                {"source", "/home/me/Videos/holiday.mp4"},
                                {"correlation_id", "0a0b0c0d-1111-4222-8333-444455556666"}});
    for (auto it = extra.begin(); it != extra.end(); ++it)
        row.insert(it.key(), it.value());
    return row;
}

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole) {
    return model.index(row, column).data(role).toString();
}

QJsonObject dayRow(const QDate &day, const QString &state, int n) {
    return {{"day", day.toString(Qt::ISODate)}, {"state", state}, {"n", QString::number(n)}};
}

QJsonObject accountRow(qint64 id, const QString &name, const QString &stats,
                       const QString &status = "active") {
    return {{"id", QString::number(id)},  {"provider", "tiktok"}, {"display_name", name},
            {"username", name.toLower()}, {"status", status},     {"stats", stats}};
}
} // namespace

class ActivityInsightsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // ActivityListModel
    void knownEventIsShownAsASentence_data();
    void knownEventIsShownAsASentence();
    void unknownEventIsShownAsItsRawName();
    void auditRowShowsAccountPlatformOutcomeAndCorrelationId();
    void auditDetailIsAddedToTheSentence();
    void deviceEventNamesTheDesktop();
    void publicationRowShowsItsStateAndMessage_data();
    void publicationRowShowsItsStateAndMessage();
    void reloadingTheSameRowsKeepsTheModel();

    // ActivityPage
    void filterByCorrelationIdKeepsJustThatRow();
    void filterMatchesAnyColumn_data();
    void filterMatchesAnyColumn();
    void copyCorrelationIdCopiesTheSelectedRowsId();
    void querySelectsNoTokenColumns();

    // InsightsFigures
    void successRateCountsPublishedAgainstFinished_data();
    void successRateCountsPublishedAgainstFinished();
    void statIsNotSharedWhenTheScopeWasNotGranted_data();
    void statIsNotSharedWhenTheScopeWasNotGranted();
    void statesAreGroupedByOutcome_data();
    void statesAreGroupedByOutcome();
    void perDayFillsEveryDayOldestFirst();

    // InsightsPage
    void insightsPageShowsAccountsFiguresAndChart();
    void screenshotsAreSavedAsArtifacts();
};

void ActivityInsightsTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
}

void ActivityInsightsTest::knownEventIsShownAsASentence_data() {
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("kind");
    QTest::newRow("oauth.connected") << "oauth.connected"
                                     << "ok"
                                     << "Signed in and connected the account"
                                     << "Account";
    QTest::newRow("oauth.exchange") << "oauth.exchange"
                                    << "ok"
                                    << "Signed in and connected the account"
                                    << "Account";
    QTest::newRow("oauth.exchange failed") << "oauth.exchange"
                                           << "failed"
                                           << "Signing in to connect the account failed"
                                           << "Account";
    QTest::newRow("oauth.revoke") << "oauth.revoke"
                                  << "ok"
                                  << "Disconnected the account"
                                  << "Account";
    QTest::newRow("token.refresh") << "token.refresh"
                                   << "ok"
                                   << "Renewed the account's access"
                                   << "Access";
    QTest::newRow("token.refresh refused")
        << "token.refresh"
        << "needs_reconnect"
        << "The platform refused to renew the account's access: reconnect it"
        << "Access";
    QTest::newRow("token.refresh failed") << "token.refresh"
                                          << "failed"
                                          << "Renewing the account's access failed"
                                          << "Access";
    QTest::newRow("oauth.token_issued") << "oauth.token_issued"
                                        << "ok"
                                        << "Gave this desktop a fresh access token for the account"
                                        << "Access";
    QTest::newRow("device.pair") << "device.pair"
                                 << "ok"
                                 << "Paired a desktop with your Huntaze account"
                                 << "Device";
    QTest::newRow("device.pair rejected") << "device.pair"
                                          << "rejected"
                                          << "Refused an attempt to pair a desktop"
                                          << "Device";
    QTest::newRow("device.revoked") << "device.revoked"
                                    << "ok"
                                    << "Unpaired a desktop: it can no longer reach your data"
                                    << "Device";
    QTest::newRow("account.needs_reconnect") << "account.needs_reconnect"
                                             << "needs_reconnect"
                                             << "The account needs to be reconnected"
                                             << "Account";
    QTest::newRow("authorization.removed")
        << "authorization.removed"
        << "needs_reconnect"
        << "Access to the account was withdrawn on the platform: reconnect it"
        << "Account";
}

void ActivityInsightsTest::knownEventIsShownAsASentence() {
    QFETCH(QString, event);
    QFETCH(QString, outcome);
    QFETCH(QString, expected);
    QFETCH(QString, kind);
    QCOMPARE(ActivityListModel::eventText(event, outcome), expected);
    ActivityListModel model;
    model.setRows({auditRow(1, event, outcome)});
    QCOMPARE(cell(model, 0, ActivityListModel::WhatColumn), expected);
    QCOMPARE(cell(model, 0, ActivityListModel::KindColumn), kind);
    QCOMPARE(cell(model, 0, ActivityListModel::WhatColumn, ActivityListModel::EventRole), event);
}

void ActivityInsightsTest::unknownEventIsShownAsItsRawName() {
    QCOMPARE(ActivityListModel::eventText("webhook.something_new", "ok"),
             QString("webhook.something_new"));
    ActivityListModel model;
    model.setRows({auditRow(1, "webhook.something_new", "odd_outcome")});
    QCOMPARE(cell(model, 0, ActivityListModel::WhatColumn), QString("webhook.something_new"));
    QCOMPARE(cell(model, 0, ActivityListModel::KindColumn), QString("Security"));
    QCOMPARE(cell(model, 0, ActivityListModel::OutcomeColumn), QString("odd_outcome"));
}

void ActivityInsightsTest::auditRowShowsAccountPlatformOutcomeAndCorrelationId() {
    ActivityListModel model;
    model.setRows({auditRow(3, "token.refresh", "needs_reconnect")});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(ActivityListModel::ColumnCount));
    QCOMPARE(cell(model, 0, ActivityListModel::AccountColumn), QString("Alice · TikTok"));
    QCOMPARE(cell(model, 0, ActivityListModel::OutcomeColumn), QString("Needs reconnecting"));
    QCOMPARE(cell(model, 0, ActivityListModel::CorrelationIdColumn),
             QString("6f1c2d1e-0000-4000-8000-000000000003"));
    QCOMPARE(model.correlationId(0), QString("6f1c2d1e-0000-4000-8000-000000000003"));
    QCOMPARE(model.key(0), QString("audit:3"));
    QCOMPARE(model.rowOfKey("audit:3"), 0);
    QCOMPARE(model.rowOfKey("publication:3"), -1);
    QCOMPARE(model.index(0, ActivityListModel::TimeColumn)
                 .data(ActivityListModel::TimeRole)
                 .toDateTime(),
             QDateTime::fromMSecsSinceEpoch(kNowMs - 3 * 60'000, Qt::UTC));
    QVERIFY(!cell(model, 0, ActivityListModel::TimeColumn).isEmpty());
    // The correlation id is shown in a fixed-width font.
    const QFont font =
        model.index(0, ActivityListModel::CorrelationIdColumn).data(Qt::FontRole).value<QFont>();
    QVERIFY(QFontInfo(font).fixedPitch() ||
            font == QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // A problem is shown as one.
    QVERIFY(model.index(0, ActivityListModel::OutcomeColumn).data(Qt::ForegroundRole).isValid());
    QCOMPARE(model.headerData(ActivityListModel::CorrelationIdColumn, Qt::Horizontal).toString(),
             QString("Correlation id"));
}

void ActivityInsightsTest::auditDetailIsAddedToTheSentence() {
    ActivityListModel model;
    model.setRows({auditRow(1, "oauth.exchange", "failed", {{"message", "invalid_grant"}})});
    QCOMPARE(cell(model, 0, ActivityListModel::WhatColumn),
             QString("Signing in to connect the account failed (invalid_grant)"));
    QCOMPARE(cell(model, 0, ActivityListModel::OutcomeColumn), QString("Failed"));
}

void ActivityInsightsTest::deviceEventNamesTheDesktop() {
    ActivityListModel model;
    model.setRows({auditRow(
        1, "device.pair", "ok",
        {{"provider", QJsonValue()}, {"account", QJsonValue()}, {"subject", "device:12"}})});
    QCOMPARE(cell(model, 0, ActivityListModel::AccountColumn), QString("Desktop 12"));
    QCOMPARE(cell(model, 0, ActivityListModel::OutcomeColumn), QString("Succeeded"));
    QVERIFY(!model.index(0, ActivityListModel::OutcomeColumn).data(Qt::ForegroundRole).isValid());
}

void ActivityInsightsTest::publicationRowShowsItsStateAndMessage_data() {
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("tiktokStatus");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("outcome");
    QTest::newRow("queued") << "queued"
                            << ""
                            << ""
                            << "holiday.mp4 is waiting to be published"
                            << "Waiting";
    QTest::newRow("processing") << "processing"
                                << "PROCESSING_UPLOAD"
                                << ""
                                << "TikTok is processing holiday.mp4"
                                << "Processing on TikTok";
    QTest::newRow("inbox") << "published"
                           << "SEND_TO_USER_INBOX"
                           << ""
                           << "Sent holiday.mp4 to the TikTok inbox"
                           << "In TikTok inbox";
    QTest::newRow("published") << "published"
                               << "PUBLISH_COMPLETE"
                               << ""
                               << "Published holiday.mp4"
                               << "Published";
    QTest::newRow("failed") << "failed"
                            << "FAILED"
                            << "TikTok refused the video."
                            << "Publishing holiday.mp4 failed: TikTok refused the video."
                            << "Failed";
    QTest::newRow("needs_action") << "needs_action"
                                  << ""
                                  << "Reconnect TikTok."
                                  << "Publishing holiday.mp4 needs your action: Reconnect TikTok."
                                  << "Needs your action";
    QTest::newRow("cancelled") << "cancelled"
                               << ""
                               << ""
                               << "Cancelled publishing holiday.mp4"
                               << "Cancelled";
}

void ActivityInsightsTest::publicationRowShowsItsStateAndMessage() {
    QFETCH(QString, state);
    QFETCH(QString, tiktokStatus);
    QFETCH(QString, message);
    QFETCH(QString, what);
    QFETCH(QString, outcome);
    ActivityListModel model;
    model.setRows(
        {publicationRow(9, state,
                        {{"tiktok_status", tiktokStatus},
                         {"message", message.isEmpty() ? QJsonValue() : QJsonValue(message)}})});
    QCOMPARE(cell(model, 0, ActivityListModel::KindColumn), QString("Publication"));
    QCOMPARE(cell(model, 0, ActivityListModel::WhatColumn), what);
    QCOMPARE(cell(model, 0, ActivityListModel::OutcomeColumn), outcome);
    QCOMPARE(cell(model, 0, ActivityListModel::AccountColumn), QString("Alice · TikTok"));
    QCOMPARE(model.key(0), QString("publication:9"));
}

void ActivityInsightsTest::reloadingTheSameRowsKeepsTheModel() {
    ActivityListModel model;
    const QList<QJsonObject> rows{auditRow(1, "token.refresh", "ok"), publicationRow(2, "queued")};
    model.setRows(rows);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows(rows);
    QCOMPARE(reset.size(), 0);
    model.setRows({rows.first()});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 1);
}

void ActivityInsightsTest::filterByCorrelationIdKeepsJustThatRow() {
    ActivityPage page;
    page.model()->setRows({auditRow(1, "oauth.exchange", "ok"), auditRow(2, "token.refresh", "ok"),
                           publicationRow(3, "published"), auditRow(4, "device.pair", "ok")});
    auto *filter = page.findChild<QLineEdit *>("activityFilter");
    auto *table = page.findChild<QTableView *>("activityTable");
    QVERIFY(filter && table);
    QCOMPARE(table->model()->rowCount(), 4);

    filter->setText("6F1C2D1E-0000-4000-8000-000000000002"); // case does not matter
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 0).data(ActivityListModel::KeyRole).toString(),
             QString("audit:2"));
    QCOMPARE(cell(*table->model(), 0, ActivityListModel::CorrelationIdColumn),
             QString("6f1c2d1e-0000-4000-8000-000000000002"));

    filter->setText("0a0b0c0d-1111"); // part of the publication's id
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 0).data(ActivityListModel::KeyRole).toString(),
             QString("publication:3"));

    filter->setText("no-such-id");
    QCOMPARE(table->model()->rowCount(), 0);
    QVERIFY(!page.findChild<QLabel *>("activityEmpty")->isHidden());

    filter->clear();
    QCOMPARE(table->model()->rowCount(), 4);
    QVERIFY(page.findChild<QLabel *>("activityEmpty")->isHidden());
}

void ActivityInsightsTest::filterMatchesAnyColumn_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("keys");
    QTest::newRow("account") << "bob" << QStringList{"audit:2"};
    QTest::newRow("platform") << "instagram" << QStringList{"audit:2"};
    QTest::newRow("sentence") << "renewed" << QStringList{"audit:2"};
    QTest::newRow("raw event name") << "token.refresh" << QStringList{"audit:2"};
    QTest::newRow("kind") << "publication" << QStringList{"publication:3"};
    QTest::newRow("outcome") << "needs reconnecting" << QStringList{"audit:1"};
    QTest::newRow("file name") << "holiday" << QStringList{"publication:3"};
    QTest::newRow("everything") << "" << QStringList{"audit:1", "audit:2", "publication:3"};
}

void ActivityInsightsTest::filterMatchesAnyColumn() {
    QFETCH(QString, text);
    QFETCH(QStringList, keys);
    ActivityPage page;
    page.model()->setRows(
        {auditRow(1, "authorization.removed", "needs_reconnect"),
         auditRow(2, "token.refresh", "ok", {{"account", "Bob"}, {"provider", "instagram"}}),
         publicationRow(3, "published")});
    page.findChild<QLineEdit *>("activityFilter")->setText(text);
    QStringList shown;
    const QAbstractItemModel *model = page.filterModel();
    for (int row = 0; row < model->rowCount(); ++row)
        shown << model->index(row, 0).data(ActivityListModel::KeyRole).toString();
    QCOMPARE(shown, keys);
}

void ActivityInsightsTest::copyCorrelationIdCopiesTheSelectedRowsId() {
    ActivityPage page;
    page.model()->setRows({auditRow(1, "oauth.exchange", "ok"), auditRow(2, "token.refresh", "ok"),
                           auditRow(5, "device.pair", "ok", {{"correlation_id", QJsonValue()}})});
    auto *copy = page.findChild<QPushButton *>("copyCorrelationId");
    auto *table = page.findChild<QTableView *>("activityTable");
    auto *shown = page.findChild<QLabel *>("selectedCorrelationId");
    QVERIFY(copy && table && shown);
    QVERIFY(!copy->isEnabled()); // nothing selected
    QVERIFY(shown->textInteractionFlags() & Qt::TextSelectableByMouse);

    table->selectRow(1);
    QCOMPARE(page.selectedCorrelationId(), QString("6f1c2d1e-0000-4000-8000-000000000002"));
    QCOMPARE(shown->text(), QString("6f1c2d1e-0000-4000-8000-000000000002"));
    QVERIFY(copy->isEnabled());
    QApplication::clipboard()->clear();
    copy->click();
    QCOMPARE(QApplication::clipboard()->text(), QString("6f1c2d1e-0000-4000-8000-000000000002"));

    // The same from the table's context menu.
    QAction *action = nullptr;
    for (QAction *candidate : table->actions())
        if (candidate->objectName() == QLatin1String("copyCorrelationIdAction"))
            action = candidate;
    QVERIFY(action);
    table->selectRow(0);
    action->trigger();
    QCOMPARE(QApplication::clipboard()->text(), QString("6f1c2d1e-0000-4000-8000-000000000001"));

    // A row without one offers nothing to copy.
    table->selectRow(2);
    QVERIFY(!copy->isEnabled());
    QVERIFY(!action->isEnabled());
}

void ActivityInsightsTest::querySelectsNoTokenColumns() {
    const QString sql = ActivityPage::querySql();
    QVERIFY(sql.contains("UNION ALL"));
    QVERIFY(sql.contains("LIMIT 300"));
    QVERIFY(!sql.contains("%1"));
    // Never every column: oauth_accounts holds sealed tokens the desktop may not read.
    QVERIFY(!sql.contains(QRegularExpression(R"((select|,)\s*(\w+\.)?\*)",
                                             QRegularExpression::CaseInsensitiveOption)));
    QVERIFY(!sql.contains("sealed"));
}

void ActivityInsightsTest::successRateCountsPublishedAgainstFinished_data() {
    QTest::addColumn<int>("published");
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("needsAction");
    QTest::addColumn<int>("inProgress");
    QTest::addColumn<double>("rate"); // -1: none
    QTest::addColumn<QString>("text");
    QTest::newRow("nothing yet") << 0 << 0 << 0 << 3 << -1.0 << "no finished uploads yet";
    QTest::newRow("all published") << 4 << 0 << 0 << 0 << 1.0 << "100 % (4 of 4)";
    QTest::newRow("all failed") << 0 << 2 << 0 << 0 << 0.0 << "0 % (0 of 2)";
    QTest::newRow("in progress not counted") << 23 << 2 << 0 << 7 << 0.92 << "92 % (23 of 25)";
    QTest::newRow("needs action counts against")
        << 1 << 1 << 1 << 0 << 1.0 / 3.0 << "33.3 % (1 of 3)";
    QTest::newRow("never rounds up to 100")
        << 999 << 1 << 0 << 0 << 0.999 << "99.9 % (999 of 1000)";
    QTest::newRow("rounds down") << 1999 << 1 << 0 << 0 << 0.9995 << "99.9 % (1999 of 2000)";
}

void ActivityInsightsTest::successRateCountsPublishedAgainstFinished() {
    QFETCH(int, published);
    QFETCH(int, failed);
    QFETCH(int, needsAction);
    QFETCH(int, inProgress);
    QFETCH(double, rate);
    QFETCH(QString, text);
    Counts counts;
    counts.published = published;
    counts.failed = failed;
    counts.needsAction = needsAction;
    counts.inProgress = inProgress;
    counts.cancelled = 5; // never counted
    const auto computed = InsightsFigures::successRate(counts);
    if (rate < 0) {
        QVERIFY(!computed);
    } else {
        QVERIFY(computed);
        QVERIFY(qAbs(*computed - rate) < 1e-9);
    }
    QCOMPARE(InsightsFigures::successRateText(counts), text);
}

void ActivityInsightsTest::statIsNotSharedWhenTheScopeWasNotGranted_data() {
    QTest::addColumn<QString>("stats");
    QTest::addColumn<QStringList>("expected"); // followers, following, likes, videos
    QTest::newRow("tiktok, stats granted")
        << R"({"follower_count": 1234, "following_count": 5, "likes_count": 98765, "video_count": 0})"
        << QStringList{"1234", "5", "98765", "0"};
    QTest::newRow("tiktok, stats not granted")
        << "{}" << QStringList{"not shared", "not shared", "not shared", "not shared"};
    QTest::newRow("some null") << R"({"follower_count": null, "video_count": 3})"
                               << QStringList{"not shared", "not shared", "not shared", "3"};
    QTest::newRow("numbers as text") << R"({"follower_count": "42"})"
                                     << QStringList{"42", "not shared", "not shared", "not shared"};
    QTest::newRow("x public_metrics")
        << R"({"followers_count": 10, "following_count": 2, "like_count": 7, "tweet_count": 4})"
        << QStringList{"10", "2", "7", "not shared"};
    QTest::newRow("unreadable") << "not json"
                                << QStringList{"not shared", "not shared", "not shared",
                                               "not shared"};
}

void ActivityInsightsTest::statIsNotSharedWhenTheScopeWasNotGranted() {
    QFETCH(QString, stats);
    QFETCH(QStringList, expected);
    const QJsonObject parsed = InsightsFigures::parseStats(stats);
    const Stat all[] = {Stat::Followers, Stat::Following, Stat::Likes, Stat::Videos};
    QStringList shown;
    for (Stat stat : all) {
        shown << InsightsFigures::statText(parsed, stat);
        QCOMPARE(bool(InsightsFigures::statValue(parsed, stat)), shown.last() != "not shared");
    }
    QCOMPARE(shown, expected);
}

void ActivityInsightsTest::statesAreGroupedByOutcome_data() {
    using Outcome = InsightsFigures::Outcome;
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("outcome");
    QTest::newRow("published") << "published" << int(Outcome::Published);
    QTest::newRow("failed") << "failed" << int(Outcome::Failed);
    QTest::newRow("needs_action") << "needs_action" << int(Outcome::NeedsAction);
    QTest::newRow("queued") << "queued" << int(Outcome::InProgress);
    QTest::newRow("uploading") << "uploading" << int(Outcome::InProgress);
    QTest::newRow("processing") << "processing" << int(Outcome::InProgress);
    QTest::newRow("paused") << "paused" << int(Outcome::InProgress);
    QTest::newRow("cancelled") << "cancelled" << int(Outcome::Cancelled);
}

void ActivityInsightsTest::statesAreGroupedByOutcome() {
    QFETCH(QString, state);
    QFETCH(int, outcome);
    QCOMPARE(int(InsightsFigures::outcomeOf(state)), outcome);
}

void ActivityInsightsTest::perDayFillsEveryDayOldestFirst() {
    const QDate today(2025, 6, 15);
    const QList<QJsonObject> rows{dayRow(today, "published", 2),
                                  dayRow(today, "failed", 1),
                                  dayRow(today, "uploading", 1),
                                  dayRow(today.addDays(-2), "published", 3),
                                  dayRow(today.addDays(-2), "needs_action", 1),
                                  dayRow(today.addDays(-2), "cancelled", 4),
                                  dayRow(today.addDays(-13), "paused", 1),
                                  dayRow(today.addDays(-14), "published", 50), // too old
                                  dayRow(today.addDays(1), "published", 50),   // tomorrow?
                                  {{"day", "garbage"}, {"state", "published"}, {"n", "50"}}};
    const QList<InsightsFigures::Day> days = InsightsFigures::perDay(rows, today, 14);
    QCOMPARE(days.size(), 14);
    QCOMPARE(days.first().date, today.addDays(-13));
    QCOMPARE(days.last().date, today);
    QCOMPARE(days.last().counts.published, 2);
    QCOMPARE(days.last().counts.failed, 1);
    QCOMPARE(days.last().counts.inProgress, 1);
    QCOMPARE(days.at(11).counts.published, 3);
    QCOMPARE(days.at(11).counts.needsAction, 1);
    QCOMPARE(days.at(11).counts.cancelled, 4);
    QCOMPARE(days.first().counts.inProgress, 1);
    QCOMPARE(days.at(5).counts, Counts{});

    const Counts total = InsightsFigures::total(days);
    QCOMPARE(total.published, 5);
    QCOMPARE(total.failed, 1);
    QCOMPARE(total.needsAction, 1);
    QCOMPARE(total.inProgress, 2);
    QCOMPARE(total.cancelled, 4);
    QCOMPARE(InsightsFigures::successRateText(total), QString("71.4 % (5 of 7)"));
}

void ActivityInsightsTest::insightsPageShowsAccountsFiguresAndChart() {
    InsightsPage page;
    page.showAccounts({accountRow(1, "Alice",
                                  R"({"follower_count": 1200, "following_count": 3,)"
                                  R"( "likes_count": 45000, "video_count": 17})"),
                       accountRow(2, "Bob", "{}", "needs_reconnect")});
    auto *accounts = page.findChild<QTableWidget *>("insightsAccounts");
    QVERIFY(accounts);
    QCOMPARE(accounts->rowCount(), 2);
    QCOMPARE(accounts->item(0, 0)->text(), QString("Alice (@alice)"));
    QCOMPARE(accounts->item(0, 1)->text(), QString("TikTok"));
    QCOMPARE(accounts->item(0, 2)->text(), QString("1200"));
    QCOMPARE(accounts->item(0, 5)->text(), QString("17"));
    QCOMPARE(accounts->item(1, 0)->text(), QString("Bob (@bob) — reconnect needed"));
    for (int column = 2; column < 6; ++column)
        QCOMPARE(accounts->item(1, column)->text(), QString("not shared"));

    const QDate today = QDate::currentDate();
    page.showPublishing({dayRow(today, "published", 3), dayRow(today, "failed", 1),
                         dayRow(today.addDays(-1), "processing", 2),
                         dayRow(today.addDays(-20), "published", 4), // counted, not charted
                         dayRow(today.addDays(-20), "needs_action", 2)},
                        today);
    QCOMPARE(page.summary().published, 7);
    QCOMPARE(page.summary().failed, 1);
    QCOMPARE(page.summary().needsAction, 2);
    QCOMPARE(page.summary().inProgress, 2);
    QCOMPARE(page.findChild<QLabel *>("successRate")->text(), QString("70 % (7 of 10)"));
    QCOMPARE(page.findChild<QLabel *>("publishedCount")->text(), QString("7"));
    QCOMPARE(page.findChild<QLabel *>("needsActionCount")->text(), QString("2"));

    auto *view = page.findChild<QChartView *>("publishingChart");
    QVERIFY(view && view->chart());
    QCOMPARE(view->chart()->series().size(), 1);
    auto *series = qobject_cast<QStackedBarSeries *>(view->chart()->series().first());
    QVERIFY(series);
    const QList<QBarSet *> sets = series->barSets();
    QCOMPARE(sets.size(), 4); // published, failed, needs action, in progress
    QStringList labels;
    for (const QBarSet *set : sets) {
        QCOMPARE(set->count(), InsightsPage::kChartDays);
        labels << set->label();
    }
    QCOMPARE(labels, (QStringList{"Published", "Failed", "Needs action", "In progress"}));
    QCOMPARE(sets.at(0)->at(13), 3.0); // today
    QCOMPARE(sets.at(1)->at(13), 1.0);
    QCOMPARE(sets.at(3)->at(12), 2.0); // yesterday
    QCOMPARE(sets.at(2)->sum(), 0.0);  // 20 days ago is outside the chart
    QCOMPARE(page.chartDays().size(), InsightsPage::kChartDays);
    QCOMPARE(page.chartDays().last().date, today);

    // Nothing yet: zeros, and a rate that says so.
    page.showPublishing({}, today);
    QCOMPARE(page.findChild<QLabel *>("successRate")->text(), QString("no finished uploads yet"));
    QCOMPARE(sets.at(0)->sum(), 0.0);
}

void ActivityInsightsTest::screenshotsAreSavedAsArtifacts() {
    ActivityPage activity;
    activity.resize(1200, 500);
    activity.model()->setRows(
        {publicationRow(1, "failed", {{"message", "TikTok refused the video."}}),
         auditRow(2, "token.refresh", "ok"), auditRow(3, "oauth.exchange", "ok"),
         auditRow(4, "device.pair", "ok",
                  {{"provider", QJsonValue()}, {"account", QJsonValue()}, {"subject", "device:3"}}),
         auditRow(5, "authorization.removed", "needs_reconnect", {{"message", "deauthorized"}})});
    activity.show();
    QVERIFY(QTest::qWaitForWindowExposed(&activity));
    activity.findChild<QTableView *>("activityTable")->selectRow(1);
    QVERIFY(!huntaze::test::saveScreenshot(&activity, "activitypage").isEmpty());

    InsightsPage insights;
    insights.resize(1000, 800);
    insights.showAccounts(
        {accountRow(1, "Alice",
                    R"({"follower_count": 1200, "following_count": 3, "likes_count": 45000,)"
                    R"( "video_count": 17})"),
         accountRow(2, "Bob", "{}")});
    const QDate today = QDate::currentDate();
    QList<QJsonObject> rows;
    for (int i = 0; i < 14; ++i) {
        rows << dayRow(today.addDays(-i), "published", (i * 7) % 5 + 1);
        if (i % 3 == 0)
            rows << dayRow(today.addDays(-i), "failed", 1);
        if (i % 4 == 1)
            rows << dayRow(today.addDays(-i), "needs_action", 1);
    }
    rows << dayRow(today, "uploading", 2);
    insights.showPublishing(rows, today);
    insights.show();
    QVERIFY(QTest::qWaitForWindowExposed(&insights));
    QVERIFY(!huntaze::test::saveScreenshot(&insights, "insightspage").isEmpty());
}

QTEST_MAIN(ActivityInsightsTest)
#include "tst_activityinsights.moc"
