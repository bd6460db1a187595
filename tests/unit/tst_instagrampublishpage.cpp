#include "publish/instagrampublishpage.h"

#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace huntaze;

// The Instagram publish page's local photos: offered only when the relay hosts media,
// checked at once against Instagram's rules (problems shown and blocking Publish), and
// carried by the drafts as files for the relay to host.
class InstagramPublishPageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutAMediaHostPhotosGoByAddress();
    void withAMediaHostALocalJpegIsCheckedAtOnceAndDrafted();
    void photoProblemsBlockPublishLiveAndFollowTheKind();
    void notAJpegIsAProblem();
    void carouselTakesLocalPhotosBesideAddresses();
    void localCarouselPhotosNeedAMediaHost();

private:
    QString photo(const QString &name, int width, int height, const char *format = "JPG");
    static QStringList photoBlockers(const ui::InstagramPublishPage &page);

    QTemporaryDir m_files;
    const QList<QJsonObject> m_account{QJsonObject{{"ig_business_id", "17841400000000001"},
                                                   {"username", "alex.studio"},
                                                   {"page_name", "Alex"},
                                                   {"access_level", "publish"},
                                                   {"account_id", "7"}}};
};

void InstagramPublishPageTest::initTestCase() {
    QVERIFY(m_files.isValid());
}

QString InstagramPublishPageTest::photo(const QString &name, int width, int height,
                                        const char *format) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(120, 140, 160));
    const QString path = m_files.filePath(name);
    return image.save(path, format) ? path : QString();
}

QStringList InstagramPublishPageTest::photoBlockers(const ui::InstagramPublishPage &page) {
    QStringList out;
    for (const QString &blocker : page.publishBlockers())
        if (blocker.contains("photo", Qt::CaseInsensitive) ||
            blocker.contains("JPEG", Qt::CaseInsensitive) ||
            blocker.contains("address", Qt::CaseInsensitive))
            out << blocker;
    return out;
}

void InstagramPublishPageTest::withoutAMediaHostPhotosGoByAddress() {
    ui::InstagramPublishPage page;
    page.setKind("photo");
    QVERIFY(!page.mediaHost());
    QVERIFY(page.findChild<QPushButton *>("instagramChoosePhoto")->isHidden());
    QVERIFY(page.findChild<QPushButton *>("instagramCarouselAddPhotoFile")->isHidden());
    QVERIFY2(page.findChild<QLabel *>("instagramPhotoHint")->text().contains("public https://"),
             qPrintable(page.findChild<QLabel *>("instagramPhotoHint")->text()));
    // A file given anyway is not used: the address is what counts.
    page.setPhotoFile(photo("ignored.jpg", 1080, 1350));
    page.setAccounts(m_account);
    page.findChild<QLineEdit *>("instagramPhotoUrl")->setText("https://media.example/a.jpg");
    const auto drafts = page.buildDrafts();
    QCOMPARE(drafts.size(), 1);
    QCOMPARE(drafts.first().sourceUrl, QStringLiteral("https://media.example/a.jpg"));
    QVERIFY(drafts.first().filePath.isEmpty());
}

void InstagramPublishPageTest::withAMediaHostALocalJpegIsCheckedAtOnceAndDrafted() {
    ui::InstagramPublishPage page;
    page.setMediaHost(true);
    page.setKind("photo");
    QVERIFY(!page.findChild<QPushButton *>("instagramChoosePhoto")->isHidden());
    QVERIFY(page.findChild<QLabel *>("instagramPhotoHint")->text().contains("relay hosts"));
    QVERIFY2(photoBlockers(page).join(' ').contains("Choose a photo"),
             qPrintable(photoBlockers(page).join(" | ")));

    const QString path = photo("portrait.jpg", 1080, 1350);
    page.setPhotoFile(path);
    QVERIFY2(photoBlockers(page).isEmpty(), qPrintable(photoBlockers(page).join(" | ")));
    QVERIFY(page.findChild<QLabel *>("instagramPhotoSummary")->text().contains("1080×1350"));
    QVERIFY(page.findChild<QLabel *>("instagramPhotoProblems")->isHidden());
    QVERIFY(!page.findChild<QLineEdit *>("instagramPhotoUrl")->isEnabled());

    page.setAccounts(m_account);
    const auto drafts = page.buildDrafts();
    QCOMPARE(drafts.size(), 1);
    QCOMPARE(drafts.first().kind, QStringLiteral("photo"));
    QCOMPARE(drafts.first().filePath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(drafts.first().fileSize, QFileInfo(path).size());
    QVERIFY(drafts.first().sourceUrl.isEmpty());
    QCOMPARE(drafts.first().options.value("source_type").toString(), QStringLiteral("image"));
    QCOMPARE(drafts.first().accountIds, QList<qint64>{7});

    // Back to an address.
    page.findChild<QPushButton *>("instagramClearPhoto")->click();
    QVERIFY(page.findChild<QLineEdit *>("instagramPhotoUrl")->isEnabled());
    page.findChild<QLineEdit *>("instagramPhotoUrl")->setText("https://media.example/b.jpg");
    QCOMPARE(page.buildDrafts().first().sourceUrl, QStringLiteral("https://media.example/b.jpg"));
    QVERIFY(page.buildDrafts().first().filePath.isEmpty());
}

void InstagramPublishPageTest::photoProblemsBlockPublishLiveAndFollowTheKind() {
    ui::InstagramPublishPage page;
    page.setMediaHost(true);
    page.setKind("photo");
    // 9:16 is taller than the feed's 4:5, but fine for a story.
    page.setPhotoFile(photo("tall.jpg", 1080, 1920));
    auto *problems = page.findChild<QLabel *>("instagramPhotoProblems");
    QVERIFY(!problems->isHidden());
    QVERIFY2(problems->text().contains("4:5"), qPrintable(problems->text()));
    QVERIFY(page.publishBlockers().contains("Fix the problems with the photo first."));
    page.setKind("story");
    QVERIFY(problems->isHidden());
    QVERIFY2(photoBlockers(page).isEmpty(), qPrintable(photoBlockers(page).join(" | ")));
    page.setAccounts(m_account);
    const auto drafts = page.buildDrafts();
    QCOMPARE(drafts.first().kind, QStringLiteral("story"));
    QCOMPARE(drafts.first().filePath, QFileInfo(m_files.filePath("tall.jpg")).absoluteFilePath());
    QCOMPARE(drafts.first().options.value("source_type").toString(), QStringLiteral("image"));
    QVERIFY(drafts.first().caption.isEmpty());
}

void InstagramPublishPageTest::notAJpegIsAProblem() {
    ui::InstagramPublishPage page;
    page.setMediaHost(true);
    page.setKind("photo");
    page.setPhotoFile(photo("really-a-png.jpg", 1080, 1080, "PNG"));
    auto *problems = page.findChild<QLabel *>("instagramPhotoProblems");
    QVERIFY(!problems->isHidden());
    QVERIFY2(problems->text().contains("JPEG"), qPrintable(problems->text()));
    QVERIFY(page.publishBlockers().contains("Fix the problems with the photo first."));
    page.setPhotoFile(m_files.filePath("missing.jpg"));
    QVERIFY2(problems->text().contains("does not exist"), qPrintable(problems->text()));
}

void InstagramPublishPageTest::carouselTakesLocalPhotosBesideAddresses() {
    ui::InstagramPublishPage page;
    page.setMediaHost(true);
    page.setKind("carousel");
    QVERIFY(!page.findChild<QPushButton *>("instagramCarouselAddPhotoFile")->isHidden());
    const QString square = photo("square.jpg", 1080, 1080);
    page.addCarouselPhotoFile(square);
    page.addCarouselPhotoUrl("https://media.example/two.jpg");
    page.setAccounts(m_account);
    for (const QString &blocker : page.publishBlockers())
        QVERIFY2(!blocker.contains("carousel"), qPrintable(blocker));
    const QJsonArray items = page.buildDrafts().first().options.value("items").toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0)["type"].toString(), QStringLiteral("image"));
    QCOMPARE(items.at(0)["path"].toString(), QFileInfo(square).absoluteFilePath());
    QCOMPARE(items.at(0)["bytes"].toInteger(), QFileInfo(square).size());
    QVERIFY(!items.at(0).toObject().contains("url"));
    QCOMPARE(items.at(1)["url"].toString(), QStringLiteral("https://media.example/two.jpg"));

    // A wide photo breaks the feed's rule: its item shows the problem and blocks.
    page.addCarouselPhotoFile(photo("panorama.jpg", 3000, 1000));
    QVERIFY(page.publishBlockers().contains("Fix the problems with the carousel's items first."));
}

void InstagramPublishPageTest::localCarouselPhotosNeedAMediaHost() {
    ui::InstagramPublishPage page;
    page.setMediaHost(true);
    page.setKind("carousel");
    page.addCarouselPhotoFile(photo("one.jpg", 1080, 1080));
    page.addCarouselPhotoUrl("https://media.example/two.jpg");
    page.setMediaHost(false); // a relay without one
    QVERIFY2(page.publishBlockers().join(' ').contains("does not host photos"),
             qPrintable(page.publishBlockers().join(" | ")));
}

QTEST_MAIN(InstagramPublishPageTest)
#include "tst_instagrampublishpage.moc"
