#include "notifications/publicationnotifier.h"

#include <QTest>

using huntaze::app::Notification;
using huntaze::app::PublicationNotifier;

// Which database changes become a notification, and what it says.
class PublicationNotifierTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void publicationTransitions_data();
    void publicationTransitions();
    void sameStateTwiceIsNotifiedOnce();
    void aRetriedPublicationThatFailsAgainIsNotifiedAgain();
    void eachPublicationIsRememberedOnItsOwn();
    void accountNeedingReconnectIsNotifiedOnce();
};

namespace {
QJsonObject publication(const QString &state, const QJsonObject &extra = {}) {
    QJsonObject row{{"id", "42"},
                    {"state", state},
                    {"provider", "tiktok"},
                    {"caption", "Sunset over the bay"},
                    {"account", "Alice"},
                    {"last_error_message", QJsonValue::Null},
                    {"permalink", QJsonValue::Null},
                    {"post_mode", "direct"},
                    {"tiktok_status", QJsonValue::Null}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        row.insert(it.key(), it.value());
    return row;
}
} // namespace

void PublicationNotifierTest::publicationTransitions_data() {
    QTest::addColumn<QJsonObject>("before");
    QTest::addColumn<QJsonObject>("after");
    QTest::addColumn<bool>("notifies");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QStringList>("messageContains");

    QTest::newRow("uploading -> published, in the TikTok inbox")
        << publication("uploading", {{"post_mode", "inbox"}})
        << publication("published",
                       {{"post_mode", "inbox"}, {"tiktok_status", "SEND_TO_USER_INBOX"}})
        << true << "In your TikTok inbox"
        << QStringList{"TikTok inbox", "Sunset over the bay", "Alice", "open TikTok"};
    QTest::newRow("processing -> published, inbox known from the post status only")
        << publication("processing")
        << publication("published",
                       {{"post_mode", QJsonValue::Null}, {"tiktok_status", "SEND_TO_USER_INBOX"}})
        << true << "In your TikTok inbox" << QStringList{"TikTok inbox"};
    QTest::newRow("processing -> published directly, with its link")
        << publication("processing")
        << publication("published", {{"tiktok_status", "PUBLISH_COMPLETE"},
                                     {"permalink", "https://www.tiktok.com/@alice/video/1"}})
        << true << "Published on TikTok"
        << QStringList{"is live on TikTok (Alice)", "https://www.tiktok.com/@alice/video/1"};
    QTest::newRow("processing -> failed, with the reason")
        << publication("processing")
        << publication("failed", {{"last_error_message", "TikTok rejected the video: too short."}})
        << true << "Publishing to TikTok failed"
        << QStringList{"Sunset over the bay", "TikTok rejected the video: too short."};
    QTest::newRow("processing -> failed, no reason recorded")
        << publication("processing") << publication("failed") << true
        << "Publishing to TikTok failed" << QStringList{"could not be published"};
    QTest::newRow("uploading -> needs_action, message included")
        << publication("uploading")
        << publication("needs_action",
                       {{"last_error_message", "Reconnect TikTok, then choose Retry."}})
        << true << "Publishing needs your attention"
        << QStringList{"Reconnect TikTok, then choose Retry."};
    QTest::newRow("first seen already published (changed while not watched)")
        << QJsonObject() << publication("published") << true << "Published on TikTok"
        << QStringList{"is live"};
    QTest::newRow("published -> published: nothing new")
        << publication("published") << publication("published") << false << "" << QStringList{};
    QTest::newRow("failed -> failed: nothing new")
        << publication("failed") << publication("failed") << false << "" << QStringList{};
    QTest::newRow("queued -> uploading: work in progress is not news")
        << publication("queued") << publication("uploading") << false << "" << QStringList{};
    QTest::newRow("uploading -> processing")
        << publication("uploading") << publication("processing") << false << "" << QStringList{};
    QTest::newRow("needs_action -> cancelled by the creator")
        << publication("needs_action") << publication("cancelled") << false << "" << QStringList{};
    QTest::newRow("empty caption, another platform")
        << publication("uploading", {{"provider", "reddit"}, {"caption", ""}})
        << publication("published", {{"provider", "reddit"}, {"caption", ""}}) << true
        << "Published on Reddit" << QStringList{"Your post", "Reddit (Alice)"};
}

void PublicationNotifierTest::publicationTransitions() {
    QFETCH(QJsonObject, before);
    QFETCH(QJsonObject, after);
    QFETCH(bool, notifies);
    QFETCH(QString, title);
    QFETCH(QStringList, messageContains);

    const auto notification = PublicationNotifier::forPublication(before, after);
    QCOMPARE(notification.has_value(), notifies);
    if (!notification)
        return;
    QCOMPARE(notification->title, title);
    for (const QString &part : messageContains)
        QVERIFY2(notification->message.contains(part), qPrintable(notification->message));
}

void PublicationNotifierTest::sameStateTwiceIsNotifiedOnce() {
    PublicationNotifier notifier;
    QVERIFY(!notifier.publicationChanged(publication("uploading")));
    const auto first = notifier.publicationChanged(publication("published"));
    QVERIFY(first);
    // The row changes again (a link arrives, a second announcement): not news.
    QVERIFY(!notifier.publicationChanged(
        publication("published", {{"permalink", "https://www.tiktok.com/@alice/video/1"}})));
    QVERIFY(!notifier.publicationChanged(publication("published")));
}

void PublicationNotifierTest::aRetriedPublicationThatFailsAgainIsNotifiedAgain() {
    PublicationNotifier notifier;
    QVERIFY(notifier.publicationChanged(publication("failed")));
    QVERIFY(!notifier.publicationChanged(publication("failed")));
    QVERIFY(!notifier.publicationChanged(publication("queued"))); // Retry
    QVERIFY(!notifier.publicationChanged(publication("uploading")));
    QVERIFY(notifier.publicationChanged(publication("failed")));
}

void PublicationNotifierTest::eachPublicationIsRememberedOnItsOwn() {
    PublicationNotifier notifier;
    QVERIFY(notifier.publicationChanged(publication("published")));
    QJsonObject other = publication("published");
    other.insert("id", "43");
    QVERIFY(notifier.publicationChanged(other));
    QVERIFY(!notifier.publicationChanged(other));
}

void PublicationNotifierTest::accountNeedingReconnectIsNotifiedOnce() {
    const QJsonObject active{
        {"id", "7"}, {"provider", "tiktok"}, {"display_name", "Alice"}, {"status", "active"}};
    QJsonObject lost = active;
    lost.insert("status", "needs_reconnect");

    const auto notification = PublicationNotifier::forAccount(active, lost);
    QVERIFY(notification);
    QCOMPARE(notification->title, QString("Reconnect TikTok"));
    QVERIFY(notification->message.contains("Alice on TikTok was disconnected"));
    QVERIFY(notification->message.contains("Connect TikTok"));
    QVERIFY(!PublicationNotifier::forAccount(lost, lost));
    QVERIFY(!PublicationNotifier::forAccount(QJsonObject(), active));

    PublicationNotifier notifier;
    QVERIFY(!notifier.accountChanged(active));
    QVERIFY(notifier.accountChanged(lost));
    QVERIFY(!notifier.accountChanged(lost));
    QVERIFY(!notifier.accountChanged(active)); // reconnected
    QVERIFY(notifier.accountChanged(lost));    // and lost again
}

QTEST_GUILESS_MAIN(PublicationNotifierTest)
#include "tst_publicationnotifier.moc"
