#include "health/healthfigures.h"
#include "health/healthpage.h"
#include "instagramtestbed.h"
#include "screenshots.h"

#include <QDeadlineTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using huntaze::test::InstagramTestBed;
using huntaze::ui::HealthFigures;
using huntaze::ui::HealthPage;
using Counts = huntaze::ui::InsightsFigures::Counts;

namespace {
constexpr int kWaitMs = 10000;

// The test bed's user (its Instagram login is account 1) with TikTok (2), Reddit (3) and X
// (4) accounts, and failures of every kind injected as the queue and the relay record them:
// - TikTok: 2 published and 1 failed this week, 1 published 10 days ago; 5 inbox uploads
//   waiting in TikTok since 20 hours ago at most (the 24-hour quota used up);
// - Instagram: 1 published 2 hours ago, 1 needing action, 1 held back by the quota for
//   3 hours; a comment the relay stored 5 minutes ago;
// - Reddit: the account needs reconnecting (its refresh was refused), 1 failed upload;
// - X: 1 upload waiting 15 minutes for the rate limit; an account event 2 hours ago.
const QString kSeed = QStringLiteral(R"sql(
    INSERT INTO oauth_accounts (user_id, provider, open_id, display_name, username, status,
                                status_reason)
         VALUES (1, 'tiktok', 'tt-open-1', 'Sam on TikTok', 'sam_t', 'active', ''),
                (1, 'reddit', 'sbx1a', '', 'sam_r', 'needs_reconnect', 'refresh:invalid_grant'),
                (1, 'x', '1500000000000000001', 'Sam on X', 'sam_x', 'active', '');
    INSERT INTO publications (user_id, draft_id, account_id, provider, state, created_at,
                              published_at, options, last_error_code, last_error_message,
                              next_attempt_at)
    VALUES (1, gen_random_uuid(), 2, 'tiktok', 'published', now() - interval '1 day', now(),
            '{}', NULL, NULL, now()),
           (1, gen_random_uuid(), 2, 'tiktok', 'published', now() - interval '2 days', now(),
            '{}', NULL, NULL, now()),
           (1, gen_random_uuid(), 2, 'tiktok', 'failed', now() - interval '3 days', NULL,
            '{}', 'spam_risk_too_many_posts', 'Daily posting limit reached.', now()),
           (1, gen_random_uuid(), 2, 'tiktok', 'published', now() - interval '10 days',
            now() - interval '10 days', '{}', NULL, NULL, now()),
           (1, gen_random_uuid(), 1, 'instagram', 'published', now() - interval '3 hours',
            now() - interval '2 hours', '{"ig_business_id": "17841400000000001"}', NULL, NULL,
            now()),
           (1, gen_random_uuid(), 1, 'instagram', 'needs_action', now() - interval '1 hour',
            NULL, '{"ig_business_id": "17841400000000001"}', '2207026',
            'Instagram could not process the video.', now()),
           (1, gen_random_uuid(), 1, 'instagram', 'queued', now() - interval '30 minutes',
            NULL, '{"ig_business_id": "17841400000000001"}', 'quota_exhausted',
            'This account has used its 50 of 50 posts allowed in 24 hours.',
            now() + interval '3 hours'),
           (1, gen_random_uuid(), 3, 'reddit', 'failed', now() - interval '2 days', NULL, '{}',
            'SUBREDDIT_NOTALLOWED', 'Only approved users may post in r/pics.', now()),
           (1, gen_random_uuid(), 4, 'x', 'queued', now() - interval '5 minutes', NULL, '{}',
            'rate_limited', 'X is limiting how often Huntaze can post.',
            now() + interval '15 minutes');
    INSERT INTO tiktok_posts (user_id, account_id, publish_id, post_mode, source, status,
                              created_at)
    SELECT 1, 2, 'v_inbox~' || n, 'inbox', 'FILE_UPLOAD', 'SEND_TO_USER_INBOX',
           now() - make_interval(hours => 20 - n)
      FROM generate_series(0, 4) AS n;
    INSERT INTO ig_media (user_id, ig_business_id, ig_id, caption)
         VALUES (1, '17841400000000001', '18000000000000001', 'A post');
    INSERT INTO ig_comments (user_id, ig_business_id, ig_id, media_ig_id, username, text,
                             created_at, updated_at)
         VALUES (1, '17841400000000001', '17900000000000001', '18000000000000001', 'fan',
                 'Love it', now() - interval '5 minutes', now() - interval '5 minutes');
    INSERT INTO audit_log (user_id, at, actor, event, provider, subject, outcome)
         VALUES (1, now() - interval '2 hours', 'platform', 'post.create', 'x',
                 '1500000000000000001', 'ok');
)sql");

QString text(const QTableWidget *table, int row, int column) {
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

int rowOf(const QTableWidget *table, const QString &platform) {
    for (int row = 0; row < table->rowCount(); ++row)
        if (text(table, row, 0) == platform)
            return row;
    return -1;
}

const HealthFigures::Uploads *uploadsOf(const QList<HealthFigures::Uploads> &all,
                                        const char *provider) {
    for (const auto &u : all)
        if (u.provider == QLatin1String(provider))
            return &u;
    return nullptr;
}

Counts counts(int published, int failed, int needsAction, int inProgress) {
    Counts c;
    c.published = published;
    c.failed = failed;
    c.needsAction = needsAction;
    c.inProgress = inProgress;
    return c;
}

// Seconds from now to `at` (negative in the past).
qint64 fromNow(const QDateTime &at) {
    return QDateTime::currentDateTimeUtc().secsTo(at);
}
} // namespace

class HealthViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // From plain values
    void reconnectReasonsSayWhatHappened_data();
    void reconnectReasonsSayWhatHappened();
    void agoTextCountsWholeUnits_data();
    void agoTextCountsWholeUnits();
    void uploadsTextCountsFailuresAndActions();

    // On the desktop's database, with failures injected
    void accountNeedingReconnectionIsListedWithAWayToAccounts();
    void uploadSuccessRatePerPlatformOverSevenAndThirtyDays();
    void lastHeardPerPlatformFromWhatTheDesktopMaySee();
    void quotasAndWaitsShowWhenTheyFreeUp();
    void newFailureShowsLive();
    void exportButtonAsksForTheBundleAndShowsTheOutcome();
    void screenshotIsSavedAsArtifact();

private:
    std::unique_ptr<HealthPage> openHealth();

    std::unique_ptr<InstagramTestBed> m_bed;
};

void HealthViewTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
    m_bed = std::make_unique<InstagramTestBed>();
    QVERIFY2(m_bed->isValid(), qPrintable(m_bed->errorString()));
    const QString problem = m_bed->run(kSeed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

std::unique_ptr<HealthPage> HealthViewTest::openHealth() {
    auto page = std::make_unique<HealthPage>();
    page->resize(1000, 1000);
    page->setDatabase(m_bed->desktop());
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get()))
        return nullptr;
    QDeadlineTimer deadline(kWaitMs);
    while (!page->isLoaded() && !deadline.hasExpired())
        QTest::qWait(20);
    return page->isLoaded() ? std::move(page) : nullptr;
}

void HealthViewTest::reconnectReasonsSayWhatHappened_data() {
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tiktok webhook") << "tiktok"
                                    << "authorization.removed:1"
                                    << "TikTok says Huntaze's access was removed";
    QTest::newRow("x revoke") << "x"
                              << "oauth.revoke"
                              << "X says Huntaze's access was removed";
    QTest::newRow("refused refresh") << "reddit"
                                     << "refresh:invalid_grant"
                                     << "Reddit refused to renew the sign-in (invalid_grant)";
    QTest::newRow("other") << "instagram"
                           << "190/460"
                           << "Instagram no longer accepts the sign-in (190/460)";
    QTest::newRow("none") << "instagram"
                          << ""
                          << "Instagram no longer accepts the sign-in.";
}

void HealthViewTest::reconnectReasonsSayWhatHappened() {
    QFETCH(QString, provider);
    QFETCH(QString, reason);
    QFETCH(QString, expected);
    const QString shown = HealthFigures::reconnectReasonText(provider, reason);
    QVERIFY2(shown.startsWith(expected), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("Reconnect")), qPrintable(shown));
}

void HealthViewTest::agoTextCountsWholeUnits_data() {
    QTest::addColumn<qint64>("secondsAgo");
    QTest::addColumn<QString>("expected");
    QTest::newRow("now") << qint64(10) << "just now";
    QTest::newRow("one minute") << qint64(90) << "a minute ago";
    QTest::newRow("minutes") << qint64(5 * 60 + 30) << "5 minutes ago";
    QTest::newRow("hours") << qint64(3 * 3600 + 59) << "3 hours ago";
    QTest::newRow("days") << qint64(4 * 86400) << "4 days ago";
}

void HealthViewTest::agoTextCountsWholeUnits() {
    QFETCH(qint64, secondsAgo);
    QFETCH(QString, expected);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(HealthFigures::agoText(now.addSecs(-secondsAgo), now), expected);
    QCOMPARE(HealthFigures::agoText(QDateTime(), now), QString("nothing yet"));
}

void HealthViewTest::uploadsTextCountsFailuresAndActions() {
    QCOMPARE(HealthFigures::uploadsText(counts(0, 0, 0, 0)), QString("No uploads"));
    QCOMPARE(HealthFigures::uploadsText(counts(0, 0, 0, 2)), QString("2 in progress"));
    QCOMPARE(HealthFigures::uploadsText(counts(3, 1, 1, 0)),
             QString("60 % (3 of 5) published · 1 failed · 1 need action"));
    QVERIFY(HealthFigures::hasProblems(counts(3, 0, 1, 0)));
    QVERIFY(!HealthFigures::hasProblems(counts(3, 0, 0, 4)));
}

void HealthViewTest::accountNeedingReconnectionIsListedWithAWayToAccounts() {
    auto page = openHealth();
    QVERIFY(page);
    const auto reconnect = page->accountsToReconnect();
    QCOMPARE(reconnect.size(), 1);
    QCOMPARE(reconnect.first().first, QString("sam_r")); // no display name: the username
    QVERIFY2(reconnect.first().second.contains("Reddit refused to renew the sign-in"),
             qPrintable(reconnect.first().second));

    auto *table = page->findChild<QTableWidget *>("healthReconnect");
    QVERIFY(table);
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(text(table, 0, 1), QString("Reddit"));
    auto *summary = page->findChild<QLabel *>("healthAllConnected");
    QVERIFY(summary->text().contains("can no longer publish until you reconnect"));

    auto *button = page->findChild<QPushButton *>("openAccountsButton");
    QVERIFY(button);
    QVERIFY(button->isVisible());
    QSignalSpy requested(page.get(), &HealthPage::accountsRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
}

void HealthViewTest::uploadSuccessRatePerPlatformOverSevenAndThirtyDays() {
    auto page = openHealth();
    QVERIFY(page);
    const auto uploads = page->uploads();
    // Every platform with an account, in the usual order.
    QCOMPARE(uploads.size(), 4);
    QCOMPARE(uploads.at(0).provider, QString("tiktok"));
    QCOMPARE(uploads.at(3).provider, QString("x"));

    const auto *tiktok = uploadsOf(uploads, "tiktok");
    QCOMPARE(tiktok->lastWeek, counts(2, 1, 0, 0));
    QCOMPARE(tiktok->lastMonth, counts(3, 1, 0, 0));
    const auto *instagram = uploadsOf(uploads, "instagram");
    QCOMPARE(instagram->lastWeek, counts(1, 0, 1, 1));
    const auto *reddit = uploadsOf(uploads, "reddit");
    QCOMPARE(reddit->lastWeek, counts(0, 1, 0, 0));
    const auto *x = uploadsOf(uploads, "x");
    QCOMPARE(x->lastMonth, counts(0, 0, 0, 1));

    auto *table = page->findChild<QTableWidget *>("healthUploads");
    QVERIFY(table);
    const int row = rowOf(table, "TikTok");
    QVERIFY(row >= 0);
    QCOMPARE(text(table, row, 1), QString("66.6 % (2 of 3) published · 1 failed · 0 need action"));
    QCOMPARE(text(table, row, 2), QString("75 % (3 of 4) published · 1 failed · 0 need action"));
    // Failures are shown in the problem colour.
    QCOMPARE(table->item(row, 1)->foreground().color(), QColor(0xb0, 0x00, 0x20));
    QCOMPARE(text(table, rowOf(table, "Instagram"), 1),
             QString("50 % (1 of 2) published · 0 failed · 1 need action · 1 in progress"));
    QCOMPARE(text(table, rowOf(table, "X"), 2), QString("1 in progress"));
}

void HealthViewTest::lastHeardPerPlatformFromWhatTheDesktopMaySee() {
    auto page = openHealth();
    QVERIFY(page);
    const auto heard = page->heard();
    QCOMPARE(heard.size(), 4);
    const auto find = [&heard](const char *provider) {
        for (const auto &h : heard)
            if (h.provider == QLatin1String(provider))
                return h;
        return HealthFigures::Heard{};
    };
    // TikTok: the inbox deliveries (statuses the relay records from webhooks or checks).
    QCOMPARE(find("tiktok").source, QString("post_status"));
    QVERIFY(std::abs(fromNow(find("tiktok").at)) < 600);
    // Instagram: the comment 5 minutes ago.
    QCOMPARE(find("instagram").source, QString("comment"));
    QVERIFY(std::abs(fromNow(find("instagram").at) + 300) < 60);
    // X: the account event 2 hours ago.
    QCOMPARE(find("x").source, QString("account_event"));
    QVERIFY(std::abs(fromNow(find("x").at) + 7200) < 60);
    // Reddit: nothing yet.
    QVERIFY(!find("reddit").at.isValid());

    auto *table = page->findChild<QTableWidget *>("healthHeard");
    QVERIFY(table);
    QCOMPARE(text(table, rowOf(table, "Instagram"), 1), QString("5 minutes ago"));
    QCOMPARE(text(table, rowOf(table, "Instagram"), 2), QString("a comment"));
    QCOMPARE(text(table, rowOf(table, "X"), 1), QString("2 hours ago"));
    QCOMPARE(text(table, rowOf(table, "Reddit"), 1), QString("nothing yet"));
}

void HealthViewTest::quotasAndWaitsShowWhenTheyFreeUp() {
    auto page = openHealth();
    QVERIFY(page);
    const auto quotas = page->quotas();
    const auto find = [&quotas](const char *kind, const char *provider) {
        for (const auto &q : quotas)
            if (q.kind == QLatin1String(kind) && q.provider == QLatin1String(provider))
                return q;
        return HealthFigures::Quota{};
    };
    // TikTok: 5 of 5 inbox uploads, the oldest (20 hours ago) frees up in 4 hours.
    const auto inbox = find("tiktok_inbox", "tiktok");
    QCOMPARE(inbox.account, QString("Sam on TikTok"));
    QVERIFY(inbox.exhausted);
    QVERIFY2(inbox.usage.startsWith("5 of 5 inbox uploads"), qPrintable(inbox.usage));
    QVERIFY(std::abs(fromNow(inbox.resetsAt) - 4 * 3600) < 120);
    // Instagram: one post in its rolling day, and one post held back by its quota.
    const auto posts = find("instagram_posts", "instagram");
    QCOMPARE(posts.account, QString("creator"));
    QVERIFY2(posts.usage.startsWith("1 published through Huntaze"), qPrintable(posts.usage));
    QVERIFY(std::abs(fromNow(posts.resetsAt) - 22 * 3600) < 120);
    const auto instagramWait = find("wait", "instagram");
    QVERIFY(instagramWait.exhausted);
    QVERIFY2(instagramWait.usage.contains("quota_exhausted"), qPrintable(instagramWait.usage));
    QVERIFY(std::abs(fromNow(instagramWait.resetsAt) - 3 * 3600) < 120);
    // X: the rate limit's wait, 15 minutes.
    const auto xWait = find("wait", "x");
    QCOMPARE(xWait.account, QString("Sam on X"));
    QVERIFY2(xWait.usage.contains("rate_limited"), qPrintable(xWait.usage));
    QVERIFY(std::abs(fromNow(xWait.resetsAt) - 15 * 60) < 120);
    QCOMPARE(quotas.size(), 4);

    auto *table = page->findChild<QTableWidget *>("healthQuotas");
    QVERIFY(table);
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(text(table, 0, 0), QString("TikTok"));
    QVERIFY2(text(table, 0, 2).contains("(in 3 h)") || text(table, 0, 2).contains("(in 4 h)"),
             qPrintable(text(table, 0, 2)));
    QCOMPARE(table->item(0, 3)->foreground().color(), QColor(0xb0, 0x00, 0x20));
    const int xRow = rowOf(table, "X");
    QVERIFY2(text(table, xRow, 2).contains("(in 15 min)") ||
                 text(table, xRow, 2).contains("(in 14 min)"),
             qPrintable(text(table, xRow, 2)));
}

void HealthViewTest::newFailureShowsLive() {
    auto page = openHealth();
    QVERIFY(page);
    QCOMPARE(uploadsOf(page->uploads(), "x")->lastWeek, counts(0, 0, 0, 1));
    // The X upload fails for good; the Instagram login needs reconnecting too.
    QVERIFY(m_bed
                ->run("UPDATE publications SET state = 'failed', next_attempt_at = now(), "
                      "updated_at = now() WHERE provider = 'x'")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(uploadsOf(page->uploads(), "x")->lastWeek, counts(0, 1, 0, 0),
                              kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(page->quotas().size(), 3, kWaitMs); // its wait is over
    QVERIFY(m_bed
                ->run("UPDATE oauth_accounts SET status = 'needs_reconnect', "
                      "status_reason = 'authorization.removed:1' WHERE id = 1; "
                      "SELECT pg_notify('huntaze_changes', "
                      "'{\"table\": \"oauth_accounts\", \"user_id\": 1, \"key\": \"1\"}')")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(page->accountsToReconnect().size(), 2, kWaitMs);
    // Back as it was for the other tests.
    QVERIFY(m_bed
                ->run("UPDATE publications SET state = 'queued', "
                      "next_attempt_at = now() + interval '15 minutes' WHERE provider = 'x'; "
                      "UPDATE oauth_accounts SET status = 'active', status_reason = '' "
                      "WHERE id = 1")
                .isEmpty());
}

void HealthViewTest::exportButtonAsksForTheBundleAndShowsTheOutcome() {
    auto page = openHealth();
    QVERIFY(page);
    auto *button = page->findChild<QPushButton *>("exportDiagnosticsButton");
    QVERIFY(button);
    QCOMPARE(button->text(), QString("Export diagnostics…"));
    QSignalSpy requested(page.get(), &HealthPage::diagnosticsExportRequested);
    page->exportDiagnosticsTo("/tmp/bundle.txt");
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toString(), QString("/tmp/bundle.txt"));
    QVERIFY(!button->isEnabled()); // one export at a time
    auto *result = page->findChild<QLabel *>("exportResult");
    page->showExportResult(false, "Could not write /tmp/bundle.txt: denied.");
    QVERIFY(button->isEnabled());
    QCOMPARE(result->text(), QString("Could not write /tmp/bundle.txt: denied."));
    QCOMPARE(result->palette().color(QPalette::WindowText), QColor(0xb0, 0x00, 0x20));
}

void HealthViewTest::screenshotIsSavedAsArtifact() {
    auto page = openHealth();
    QVERIFY(page);
    QTRY_COMPARE_WITH_TIMEOUT(page->accountsToReconnect().size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(page->quotas().size(), 4, kWaitMs);
    const QString path = huntaze::test::saveScreenshot(page.get(), "health-view");
    QVERIFY(!path.isEmpty());
    qInfo("screenshot: %s", qPrintable(path));
}

QTEST_MAIN(HealthViewTest)
#include "tst_healthview.moc"
