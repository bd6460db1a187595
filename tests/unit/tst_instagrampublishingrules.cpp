#include "platforms/instagram/instagrampublisher.h"

#include <QJsonArray>
#include <QTest>

using namespace huntaze;
using instagram::ContainerRequest;
using Type = ContainerRequest::Type;

// The containers each kind of Instagram publication needs, in the order the publisher
// creates them, and the rows it refuses before anything is sent.
class InstagramPublishingRulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void photoIsOneImageContainerWithCaption();
    void reelFromFileIsResumable();
    void reelFromUrlPulls();
    void storyTakesAVideoFileOrAPhotoUrlAndNoCaption();
    void carouselItemsComeBeforeTheCarousel();
    void refusesWhatCannotBePublished_data();
    void refusesWhatCannotBePublished();
    void pollingStartsOftenThenSettlesAtAMinute();

private:
    static jobs::Publication row(const QString &kind) {
        jobs::Publication p;
        p.id = 1;
        p.provider = QStringLiteral("instagram");
        p.kind = kind;
        p.caption = QStringLiteral("Hello #world");
        p.options = {{QStringLiteral("ig_business_id"), QStringLiteral("17841400000000001")}};
        return p;
    }
};

void InstagramPublishingRulesTest::photoIsOneImageContainerWithCaption() {
    jobs::Publication p = row(QStringLiteral("photo"));
    p.sourceUrl = QStringLiteral("https://cdn.example/a.jpg");
    const auto plan = instagram::containerPlan(p);
    QVERIFY(plan);
    QCOMPARE(plan->size(), 1);
    QCOMPARE(plan->first().key, QStringLiteral("main"));
    QCOMPARE(plan->first().request.type, Type::Image);
    QCOMPARE(plan->first().request.imageUrl, p.sourceUrl);
    QCOMPARE(plan->first().request.caption, p.caption);
    QVERIFY(plan->first().localPath.isEmpty());
}

void InstagramPublishingRulesTest::reelFromFileIsResumable() {
    jobs::Publication p = row(QStringLiteral("reel"));
    p.sourcePath = QStringLiteral("/videos/clip.mp4");
    p.bytesTotal = 1234;
    p.options.insert(QStringLiteral("share_to_feed"), false);
    const auto plan = instagram::containerPlan(p);
    QVERIFY(plan);
    QCOMPARE(plan->size(), 1);
    const instagram::ContainerPart &part = plan->first();
    QCOMPARE(part.request.type, Type::Reel);
    QVERIFY(part.request.resumable);
    QVERIFY(part.request.videoUrl.isEmpty());
    QCOMPARE(part.localPath, p.sourcePath);
    QCOMPARE(part.bytes, 1234);
    QVERIFY(!part.request.shareToFeed);
}

void InstagramPublishingRulesTest::reelFromUrlPulls() {
    jobs::Publication p = row(QStringLiteral("reel"));
    p.sourceUrl = QStringLiteral("https://cdn.example/clip.mp4");
    const auto plan = instagram::containerPlan(p);
    QVERIFY(plan);
    QVERIFY(!plan->first().request.resumable);
    QCOMPARE(plan->first().request.videoUrl, p.sourceUrl);
    QVERIFY(plan->first().request.shareToFeed); // the default
}

void InstagramPublishingRulesTest::storyTakesAVideoFileOrAPhotoUrlAndNoCaption() {
    jobs::Publication video = row(QStringLiteral("story"));
    video.sourcePath = QStringLiteral("/videos/story.mp4");
    auto plan = instagram::containerPlan(video);
    QVERIFY(plan);
    QCOMPARE(plan->first().request.type, Type::StoryVideo);
    QVERIFY(plan->first().request.resumable);
    QVERIFY(plan->first().request.caption.isEmpty());

    jobs::Publication photo = row(QStringLiteral("story"));
    photo.sourceUrl = QStringLiteral("https://cdn.example/s.jpg");
    plan = instagram::containerPlan(photo);
    QVERIFY(plan);
    QCOMPARE(plan->first().request.type, Type::StoryImage);
    QCOMPARE(plan->first().request.imageUrl, photo.sourceUrl);
    QVERIFY(plan->first().localPath.isEmpty());
}

void InstagramPublishingRulesTest::carouselItemsComeBeforeTheCarousel() {
    jobs::Publication p = row(QStringLiteral("carousel"));
    p.options.insert(
        QStringLiteral("items"),
        QJsonArray{QJsonObject{{"type", "image"}, {"url", "https://cdn.example/1.jpg"}},
                   QJsonObject{{"type", "video"}, {"path", "/videos/2.mp4"}, {"bytes", 99}},
                   QJsonObject{{"type", "image"}, {"url", "https://cdn.example/3.jpg"}}});
    const auto plan = instagram::containerPlan(p);
    QVERIFY(plan);
    QCOMPARE(plan->size(), 4);
    QCOMPARE(plan->at(0).key, QStringLiteral("0"));
    QCOMPARE(plan->at(0).request.type, Type::CarouselImageItem);
    QCOMPARE(plan->at(1).request.type, Type::CarouselVideoItem);
    QVERIFY(plan->at(1).request.resumable);
    QCOMPARE(plan->at(1).bytes, 99);
    QCOMPARE(plan->at(2).key, QStringLiteral("2"));
    QCOMPARE(plan->at(3).key, QStringLiteral("main"));
    QCOMPARE(plan->at(3).request.type, Type::Carousel);
    QCOMPARE(plan->at(3).request.caption, p.caption);
    QVERIFY(plan->at(3).request.children.isEmpty()); // filled in once the items exist
}

void InstagramPublishingRulesTest::refusesWhatCannotBePublished_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("items");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown kind") << "video"
                                  << ""
                                  << "" << 0 << "photos, reels, stories";
    QTest::newRow("photo without url") << "photo"
                                       << ""
                                       << "" << 0 << "public JPEG";
    QTest::newRow("reel without video") << "reel"
                                        << ""
                                        << "" << 0 << "Choose the video";
    QTest::newRow("story without media") << "story"
                                         << ""
                                         << "" << 0 << "Choose the video";
    QTest::newRow("carousel of one") << "carousel"
                                     << ""
                                     << "" << 1 << "at least 2";
    QTest::newRow("carousel of eleven") << "carousel"
                                        << ""
                                        << "" << 11 << "10";
}

void InstagramPublishingRulesTest::refusesWhatCannotBePublished() {
    QFETCH(QString, kind);
    QFETCH(QString, path);
    QFETCH(QString, url);
    QFETCH(int, items);
    QFETCH(QString, says);
    jobs::Publication p = row(kind);
    p.sourcePath = path;
    p.sourceUrl = url;
    if (items > 0) {
        QJsonArray list;
        for (int i = 0; i < items; ++i)
            list.append(QJsonObject{{"type", "image"}, {"url", "https://cdn.example/x.jpg"}});
        p.options.insert(QStringLiteral("items"), list);
    }
    const auto plan = instagram::containerPlan(p);
    QVERIFY(!plan);
    QCOMPARE(plan.error().code, QStringLiteral("bad_publication"));
    QVERIFY2(plan.error().message.contains(says), qPrintable(plan.error().message));
}

void InstagramPublishingRulesTest::pollingStartsOftenThenSettlesAtAMinute() {
    using instagram::InstagramPublisher;
    QCOMPARE(InstagramPublisher::pollIntervalSeconds(0), 3);
    QCOMPARE(InstagramPublisher::pollIntervalSeconds(-50), 3); // a clock that went back
    QVERIFY(InstagramPublisher::pollIntervalSeconds(100) > 3);
    QCOMPARE(InstagramPublisher::pollIntervalSeconds(3000), 60);
    qint64 previous = 0;
    for (qint64 age = 0; age < 4000; age += 7) {
        const qint64 interval = InstagramPublisher::pollIntervalSeconds(age);
        QVERIFY(interval >= previous);
        previous = interval;
    }
}

QTEST_GUILESS_MAIN(InstagramPublishingRulesTest)
#include "tst_instagrampublishingrules.moc"
