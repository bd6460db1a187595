#include "platforms/tiktok/tiktokerrors.h"
#include "publish/postlistmodel.h"
#include "publish/publicationlistmodel.h"
#include "publish/publishpage.h"
#include "publish/queuepage.h"
#include "screenshots.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryFile>
#include <QTest>

using huntaze::ui::PostListModel;
using huntaze::ui::PublicationListModel;
using huntaze::ui::PublishPage;
using huntaze::ui::QueuePage;

namespace {
const qint64 kNow = 1'750'000'000; // a fixed clock for the countdowns

QJsonObject publicationRow(qint64 id, const QString &state, const QJsonObject &extra = {}) {
    QJsonObject row{{"id", QString::number(id)},
                    {"provider", "tiktok"},
                    {"state", state},
                    {"caption", "hello"},
                    {"source_path", "/home/me/Videos/holiday.mp4"},
                    {"source_url", ""},
                    {"bytes_sent", "0"},
                    {"bytes_total", "0"},
                    {"last_error_code", QJsonValue()},
                    {"last_error_message", QJsonValue()},
                    {"permalink", QJsonValue()},
                    {"next_attempt_at", QString::number(kNow)},
                    {"correlation_id", "6f1c2d1e-0000-4000-8000-000000000001"},
                    {"display_name", "Alice"},
                    {"tiktok_status", QJsonValue()},
                    {"media_files", QJsonValue()}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        row.insert(it.key(), it.value());
    return row;
}

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole) {
    return model.index(row, column).data(role).toString();
}

QJsonObject tiktokAccount(qint64 id, const QString &name, const QString &username) {
    return {{"id", QString::number(id)}, {"display_name", name}, {"username", username}};
}

void tick(PublishPage &page, int row) {
    auto *accounts = page.findChild<QListWidget *>("accountList");
    QVERIFY(accounts && accounts->count() > row);
    accounts->item(row)->setCheckState(Qt::Checked);
}
} // namespace

class PublishViewsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // PublicationListModel
    void stateIsShownInTheCreatorsWords_data();
    void stateIsShownInTheCreatorsWords();
    void rowShowsAccountFileNameStateAndPercent();
    void urlSourceIsShownWhenThereIsNoFile();
    void severalFilesAreCountedAndNamed_data();
    void severalFilesAreCountedAndNamed();
    void waitingRowCountsDownToItsRetry();
    void finalRowsHaveNoCountdown();
    void liveProgressShowsSpeedAndTimeLeft();
    void reloadingTheSameRowsKeepsTheModel();

    // QueuePage
    void queueButtonsFollowTheSelectedRowsState_data();
    void queueButtonsFollowTheSelectedRowsState();

    // PostListModel
    void postStatusIsShownInTheCreatorsWords_data();
    void postStatusIsShownInTheCreatorsWords();
    void postFailReasonIsASentenceAndLinkIsBuilt();

    // PublishPage
    void captionCounterCountsUtf16Units();
    void captionOverTheLimitTurnsRedAndBlocksPublish();
    void nonVideoFileShowsAProblemAndKeepsPublishDisabled();
    void droppingAFileOnThePageChoosesIt();
    void videoUrlMustBeHttps();
    void blockersNameWhatIsMissing();
    void directPostNeedsExactlyOneAccount();
    void withoutServicesPublishStaysDisabled();
    void photosHideTheFilePart();
    void badPhotoUrlLineBlocksWithAMessage();
    void morePhotosThanTikTokTakesBlock();
    void photoTitleAndDescriptionHaveTheirLimits();
    void validPhotosBuildAPhotoDraft();
    void screenshotsAreSavedAsArtifacts();
};

void PublishViewsTest::initTestCase() {
    QLocale::setDefault(QLocale::c());
}

void PublishViewsTest::stateIsShownInTheCreatorsWords_data() {
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("tiktokStatus");
    QTest::addColumn<QString>("expected");
    QTest::newRow("queued") << "queued"
                            << ""
                            << "Waiting";
    QTest::newRow("uploading") << "uploading"
                               << "PROCESSING_UPLOAD"
                               << "Uploading";
    QTest::newRow("processing") << "processing"
                                << "PROCESSING_UPLOAD"
                                << "Processing on TikTok";
    QTest::newRow("inbox") << "published"
                           << "SEND_TO_USER_INBOX"
                           << "In TikTok inbox";
    QTest::newRow("published") << "published"
                               << "PUBLISH_COMPLETE"
                               << "Published";
    QTest::newRow("published, no post row") << "published"
                                            << ""
                                            << "Published";
    QTest::newRow("failed") << "failed"
                            << "FAILED"
                            << "Failed";
    QTest::newRow("needs_action") << "needs_action"
                                  << ""
                                  << "Needs your action";
    QTest::newRow("paused") << "paused"
                            << ""
                            << "Paused";
    QTest::newRow("cancelled") << "cancelled"
                               << ""
                               << "Cancelled";
}

void PublishViewsTest::stateIsShownInTheCreatorsWords() {
    QFETCH(QString, state);
    QFETCH(QString, tiktokStatus);
    QFETCH(QString, expected);
    PublicationListModel model;
    model.setRows({publicationRow(1, state, {{"tiktok_status", tiktokStatus}})});
    QCOMPARE(cell(model, 0, PublicationListModel::StateColumn), expected);
    QCOMPARE(PublicationListModel::stateText(state, "tiktok", tiktokStatus), expected);
}

void PublishViewsTest::rowShowsAccountFileNameStateAndPercent() {
    PublicationListModel model;
    model.setRows({publicationRow(
        7, "paused",
        {{"bytes_sent", "25000000"}, {"bytes_total", "100000000"}, {"display_name", "Bob"}})});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(PublicationListModel::ColumnCount));
    QCOMPARE(cell(model, 0, PublicationListModel::AccountColumn), QString("Bob"));
    QCOMPARE(cell(model, 0, PublicationListModel::SourceColumn), QString("holiday.mp4"));
    QCOMPARE(cell(model, 0, PublicationListModel::SourceColumn, Qt::ToolTipRole),
             QString("/home/me/Videos/holiday.mp4"));
    QCOMPARE(cell(model, 0, PublicationListModel::StateColumn), QString("Paused"));
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn), QString("25 %"));
    QCOMPARE(model.index(0, 0).data(PublicationListModel::PercentRole).toInt(), 25);
    QCOMPARE(model.index(0, 0).data(PublicationListModel::IdRole).toLongLong(), 7);
    QCOMPARE(model.publicationId(0), 7);
    QCOMPARE(model.state(0), QString("paused"));
    QCOMPARE(model.rowOf(7), 0);
    QCOMPARE(model.rowOf(8), -1);
    QCOMPARE(model.headerData(PublicationListModel::SourceColumn, Qt::Horizontal).toString(),
             QString("File or URL"));
}

void PublishViewsTest::urlSourceIsShownWhenThereIsNoFile() {
    PublicationListModel model;
    model.setRows({publicationRow(
        1, "processing", {{"source_path", ""}, {"source_url", "https://cdn.example/clip.mp4"}})});
    QCOMPARE(cell(model, 0, PublicationListModel::SourceColumn),
             QString("https://cdn.example/clip.mp4"));
    // Nothing is uploaded from this machine: no progress to show.
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn), QString());
    QCOMPARE(model.index(0, 0).data(PublicationListModel::PercentRole).toInt(), -1);
}

// X photos (options.x.images) and an Instagram carousel (options.items) have no
// source_path or source_url: the queue's query hands their files over as media_files.
void PublishViewsTest::severalFilesAreCountedAndNamed_data() {
    QTest::addColumn<QString>("mediaFiles");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("tooltip");
    QTest::newRow("X photos") << R"(["/home/me/Pictures/a.jpg", "/tmp/b.png"])"
                              << "2 photos: a.jpg, b.png"
                              << "/home/me/Pictures/a.jpg\n/tmp/b.png";
    QTest::newRow("one X photo") << R"(["/home/me/a.jpg"])"
                                 << "1 photo: a.jpg"
                                 << "/home/me/a.jpg";
    QTest::newRow("carousel of photos and a video, local and hosted")
        << R"([{"type": "image", "path": "/p/one.jpg", "bytes": 10,
                "url": "https://relay.example/m/x1"},
               {"type": "video", "path": "/v/two.mp4", "bytes": 20},
               {"type": "image", "url": "https://cdn.example/pics/three.png?sig=1"}])"
        << "2 photos, 1 video: one.jpg, two.mp4, three.png"
        << "/p/one.jpg\n/v/two.mp4\nhttps://cdn.example/pics/three.png?sig=1";
    QTest::newRow("six photos: four names shown")
        << R"(["/a/1.jpg", "/a/2.jpg", "/a/3.jpg", "/a/4.jpg", "/a/5.jpg", "/a/6.jpg"])"
        << "6 photos: 1.jpg, 2.jpg, 3.jpg, 4.jpg and 2 more"
        << "/a/1.jpg\n/a/2.jpg\n/a/3.jpg\n/a/4.jpg\n/a/5.jpg\n/a/6.jpg";
    QTest::newRow("not JSON") << "{nope"
                              << ""
                              << "";
    QTest::newRow("empty list") << "[]"
                                << ""
                                << "";
}

void PublishViewsTest::severalFilesAreCountedAndNamed() {
    QFETCH(QString, mediaFiles);
    QFETCH(QString, shown);
    QFETCH(QString, tooltip);
    PublicationListModel model;
    model.setRows({publicationRow(
        1, "queued", {{"source_path", ""}, {"source_url", ""}, {"media_files", mediaFiles}})});
    QCOMPARE(cell(model, 0, PublicationListModel::SourceColumn), shown);
    QCOMPARE(cell(model, 0, PublicationListModel::SourceColumn, Qt::ToolTipRole), tooltip);
}

void PublishViewsTest::waitingRowCountsDownToItsRetry() {
    PublicationListModel model;
    model.setCurrentTime(QDateTime::fromSecsSinceEpoch(kNow));
    model.setRows({publicationRow(1, "queued",
                                  {{"last_error_message", "TikTok is busy."},
                                   {"next_attempt_at", QString::number(kNow + 30)}})});
    QVERIFY(model.hasCountdowns());
    QCOMPARE(cell(model, 0, PublicationListModel::MessageColumn),
             QString("TikTok is busy. — retrying in 30 s"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setCurrentTime(QDateTime::fromSecsSinceEpoch(kNow + 12));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(cell(model, 0, PublicationListModel::MessageColumn),
             QString("TikTok is busy. — retrying in 18 s"));

    model.setCurrentTime(QDateTime::fromSecsSinceEpoch(kNow + 30));
    QVERIFY(!model.hasCountdowns());
    QCOMPARE(cell(model, 0, PublicationListModel::MessageColumn), QString("TikTok is busy."));
}

void PublishViewsTest::finalRowsHaveNoCountdown() {
    PublicationListModel model;
    model.setCurrentTime(QDateTime::fromSecsSinceEpoch(kNow));
    const QString future = QString::number(kNow + 60);
    model.setRows({publicationRow(1, "failed",
                                  {{"last_error_message", "TikTok refused the video."},
                                   {"next_attempt_at", future}}),
                   publicationRow(2, "uploading", {{"next_attempt_at", future}}),
                   publicationRow(3, "published",
                                  {{"permalink", "https://www.tiktok.com/@alice/video/42"},
                                   {"tiktok_status", "PUBLISH_COMPLETE"}})});
    QVERIFY(!model.hasCountdowns());
    QCOMPARE(cell(model, 0, PublicationListModel::MessageColumn),
             QString("TikTok refused the video."));
    QCOMPARE(cell(model, 1, PublicationListModel::MessageColumn), QString());
    QCOMPARE(cell(model, 2, PublicationListModel::MessageColumn),
             QString("https://www.tiktok.com/@alice/video/42"));
    QVERIFY(cell(model, 0, PublicationListModel::MessageColumn, Qt::ToolTipRole)
                .contains("6f1c2d1e-0000-4000-8000-000000000001"));
}

void PublishViewsTest::liveProgressShowsSpeedAndTimeLeft() {
    PublicationListModel model;
    model.setRows({publicationRow(5, "uploading",
                                  {{"bytes_sent", "10000000"}, {"bytes_total", "100000000"}})});
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn), QString("10 %"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setProgress(5, 50'000'000, 100'000'000, 5'000'000.0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().column(),
             int(PublicationListModel::ProgressColumn));
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn),
             QString("50 % · 5.0 MB/s · about 10 s left"));
    QCOMPARE(model.index(0, 0).data(PublicationListModel::PercentRole).toInt(), 50);

    model.setProgress(5, 50'000'000, 100'000'000, 100'000.0); // 500 s left
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn),
             QString("50 % · 0.1 MB/s · about 9 min left"));

    // Paused: what the row records, without a speed that no longer applies.
    model.setRows(
        {publicationRow(5, "paused", {{"bytes_sent", "40000000"}, {"bytes_total", "100000000"}})});
    QCOMPARE(cell(model, 0, PublicationListModel::ProgressColumn), QString("40 %"));
}

void PublishViewsTest::reloadingTheSameRowsKeepsTheModel() {
    PublicationListModel model;
    model.setRows({publicationRow(1, "queued"), publicationRow(2, "uploading")});
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setRows({publicationRow(1, "uploading"), publicationRow(2, "processing")});
    QCOMPARE(reset.size(), 0); // selection and scrolling survive a refresh
    QVERIFY(!changed.isEmpty());
    QCOMPARE(cell(model, 1, PublicationListModel::StateColumn), QString("Processing on TikTok"));
    model.setRows({publicationRow(3, "queued"), publicationRow(1, "uploading"),
                   publicationRow(2, "processing")});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 3);
}

void PublishViewsTest::queueButtonsFollowTheSelectedRowsState_data() {
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("pause");
    QTest::addColumn<bool>("resume");
    QTest::addColumn<bool>("cancel");
    QTest::addColumn<bool>("retry");
    QTest::newRow("queued") << "queued" << true << false << true << false;
    QTest::newRow("uploading") << "uploading" << true << false << true << false;
    QTest::newRow("processing") << "processing" << false << false << true << false;
    QTest::newRow("paused") << "paused" << false << true << true << false;
    QTest::newRow("failed") << "failed" << false << false << true << true;
    QTest::newRow("needs_action") << "needs_action" << false << false << true << true;
    QTest::newRow("published") << "published" << false << false << false << false;
    QTest::newRow("cancelled") << "cancelled" << false << false << false << false;
}

void PublishViewsTest::queueButtonsFollowTheSelectedRowsState() {
    QFETCH(QString, state);
    QFETCH(bool, pause);
    QFETCH(bool, resume);
    QFETCH(bool, cancel);
    QFETCH(bool, retry);
    QueuePage page;
    page.setConfirmCancel(false);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *table = page.findChild<QTableView *>("queueTable");
    auto *pauseButton = page.findChild<QPushButton *>("pauseButton");
    auto *resumeButton = page.findChild<QPushButton *>("resumeButton");
    auto *cancelButton = page.findChild<QPushButton *>("cancelButton");
    auto *retryButton = page.findChild<QPushButton *>("retryButton");
    QVERIFY(table && pauseButton && resumeButton && cancelButton && retryButton);
    QCOMPARE(table->model(), page.model());

    page.model()->setRows({publicationRow(9, state), publicationRow(10, "queued")});
    // Nothing selected: nothing to act on.
    QVERIFY(!pauseButton->isEnabled() && !resumeButton->isEnabled() && !cancelButton->isEnabled() &&
            !retryButton->isEnabled());

    table->selectRow(0);
    QCOMPARE(page.selectedId(), 9);
    QCOMPARE(pauseButton->isEnabled(), pause);
    QCOMPARE(resumeButton->isEnabled(), resume);
    QCOMPARE(cancelButton->isEnabled(), cancel);
    QCOMPARE(retryButton->isEnabled(), retry);

    // A refresh that changes the state updates the buttons, and keeps the selection.
    page.model()->setRows({publicationRow(9, "cancelled"), publicationRow(10, "queued")});
    QCOMPARE(page.selectedId(), 9);
    QVERIFY(!pauseButton->isEnabled() && !resumeButton->isEnabled() && !cancelButton->isEnabled() &&
            !retryButton->isEnabled());
}

void PublishViewsTest::postStatusIsShownInTheCreatorsWords_data() {
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("expected");
    QTest::newRow("upload") << "PROCESSING_UPLOAD"
                            << "Uploading to TikTok";
    QTest::newRow("download") << "PROCESSING_DOWNLOAD"
                              << "TikTok is downloading the video";
    QTest::newRow("inbox") << "SEND_TO_USER_INBOX"
                           << "In TikTok inbox";
    QTest::newRow("complete") << "PUBLISH_COMPLETE"
                              << "Published";
    QTest::newRow("failed") << "FAILED"
                            << "Failed";
}

void PublishViewsTest::postStatusIsShownInTheCreatorsWords() {
    QFETCH(QString, status);
    QFETCH(QString, expected);
    QCOMPARE(PostListModel::statusText(status), expected);
    PostListModel model;
    model.setRows({{{"publish_id", "v_pub_1"}, {"status", status}}});
    QCOMPARE(cell(model, 0, PostListModel::StatusColumn), expected);
}

void PublishViewsTest::postFailReasonIsASentenceAndLinkIsBuilt() {
    PostListModel model;
    model.setRows({{{"publish_id", "v_pub_1"},
                    {"status", "FAILED"},
                    {"post_mode", "direct"},
                    {"source", "FILE_UPLOAD"},
                    {"fail_reason", "frame_rate_check_failed"},
                    {"post_id", QJsonValue()},
                    {"display_name", "Alice"},
                    {"username", "alice"},
                    {"updated_at", QString::number(kNow)}},
                   {{"publish_id", "v_pub_2"},
                    {"status", "PUBLISH_COMPLETE"},
                    {"post_mode", "inbox"},
                    {"source", "PULL_FROM_URL"},
                    {"fail_reason", QJsonValue()},
                    {"post_id", "7345678901234567890"},
                    {"display_name", "Alice"},
                    {"username", "alice"},
                    {"updated_at", QString::number(kNow)}}});
    const QString sentence = cell(model, 0, PostListModel::ProblemColumn);
    QCOMPARE(sentence, huntaze::tiktok::problemForFailReason("frame_rate_check_failed").message);
    QVERIFY(sentence.contains("23 and 60 fps"));
    QCOMPARE(cell(model, 0, PostListModel::AccountColumn), QString("Alice"));
    QCOMPARE(cell(model, 0, PostListModel::PublishIdColumn), QString("v_pub_1"));
    QCOMPARE(cell(model, 0, PostListModel::ModeColumn), QString("Direct post"));
    QCOMPARE(cell(model, 0, PostListModel::SourceColumn), QString("File upload"));
    QCOMPARE(cell(model, 0, PostListModel::LinkColumn), QString());
    QVERIFY(!cell(model, 0, PostListModel::UpdatedColumn).isEmpty());

    QCOMPARE(cell(model, 1, PostListModel::ProblemColumn), QString());
    QCOMPARE(cell(model, 1, PostListModel::ModeColumn), QString("Inbox draft"));
    QCOMPARE(cell(model, 1, PostListModel::SourceColumn), QString("From a URL"));
    QCOMPARE(cell(model, 1, PostListModel::LinkColumn),
             QString("https://www.tiktok.com/@alice/video/7345678901234567890"));
    QCOMPARE(model.index(1, PostListModel::LinkColumn).data(PostListModel::LinkRole).toUrl(),
             QUrl("https://www.tiktok.com/@alice/video/7345678901234567890"));
}

void PublishViewsTest::captionCounterCountsUtf16Units() {
    PublishPage page;
    auto *caption = page.findChild<QPlainTextEdit *>("caption");
    auto *counter = page.findChild<QLabel *>("captionCounter");
    QVERIFY(caption && counter);
    QCOMPARE(counter->text(), QString("0 / 2200"));
    caption->setPlainText("hi");
    QCOMPARE(counter->text(), QString("2 / 2200"));
    caption->setPlainText(QString::fromUtf8("\xF0\x9F\x98\x80")); // one emoji, two UTF-16 units
    QCOMPARE(counter->text(), QString("2 / 2200"));
}

void PublishViewsTest::captionOverTheLimitTurnsRedAndBlocksPublish() {
    PublishPage page;
    auto *caption = page.findChild<QPlainTextEdit *>("caption");
    auto *counter = page.findChild<QLabel *>("captionCounter");
    auto *publish = page.findChild<QPushButton *>("publishButton");
    QVERIFY(caption && counter && publish);

    caption->setPlainText(QString(2200, QLatin1Char('a')));
    QCOMPARE(counter->text(), QString("2200 / 2200"));
    QVERIFY(!counter->styleSheet().contains("color"));
    QVERIFY(!page.publishBlockers().join('\n').contains("caption"));

    caption->setPlainText(QString(2201, QLatin1Char('a')));
    QCOMPARE(counter->text(), QString("2201 / 2200"));
    QVERIFY(counter->styleSheet().contains("#b00020"));
    QVERIFY(!publish->isEnabled());
    QVERIFY(page.publishBlockers().contains(
        "The caption is 1 characters too long: TikTok allows 2200."));
}

void PublishViewsTest::nonVideoFileShowsAProblemAndKeepsPublishDisabled() {
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("This is a shopping list, not a video.\n");
    file.close();

    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *summary = page.findChild<QLabel *>("mediaSummary");
    auto *problems = page.findChild<QLabel *>("mediaProblems");
    auto *publish = page.findChild<QPushButton *>("publishButton");
    QVERIFY(summary && problems && publish);

    page.setFile(file.fileName());
    // The probe runs on the thread pool: the page says it is checking meanwhile.
    QCOMPARE(summary->text(), QString("Checking the video…"));
    QVERIFY(page.publishBlockers().contains("Checking the video…"));
    QTRY_VERIFY(!problems->text().isEmpty());
    QVERIFY(problems->isVisible());
    QVERIFY(problems->styleSheet().contains("#b00020"));
    QVERIFY(!summary->isVisible());
    QVERIFY(!publish->isEnabled());
    QVERIFY(page.publishBlockers().contains("Fix the problems with the video first."));
}

void PublishViewsTest::droppingAFileOnThePageChoosesIt() {
    QTemporaryFile file(QDir::tempPath() + "/dropped-XXXXXX.mp4");
    QVERIFY(file.open());
    file.write("not really a video");
    file.close();

    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file.fileName())});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(page.findChild<QLabel *>("fileLabel")->text(), QFileInfo(file.fileName()).fileName());
    QTRY_VERIFY(!page.findChild<QLabel *>("mediaProblems")->text().isEmpty());

    // Two files, or something that is not a file, are refused.
    QMimeData two;
    two.setUrls({QUrl::fromLocalFile(file.fileName()), QUrl::fromLocalFile("/tmp/other.mp4")});
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &two, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &refused);
    QVERIFY(!refused.isAccepted());
}

void PublishViewsTest::videoUrlMustBeHttps() {
    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *url = page.findChild<QLineEdit *>("videoUrl");
    auto *problem = page.findChild<QLabel *>("videoUrlProblem");
    QVERIFY(url && problem);

    QTest::keyClicks(url, "http://cdn.example/clip.mp4");
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains("https://"));
    QVERIFY(page.publishBlockers().contains("Fix the video URL first."));

    url->setText("not a url");
    QVERIFY(problem->isVisible());

    url->setText("https://cdn.example/clip.mp4");
    QVERIFY(!problem->isVisible());
    QVERIFY(!page.publishBlockers().contains("Fix the video URL first."));
}

void PublishViewsTest::blockersNameWhatIsMissing() {
    PublishPage page;
    auto *publish = page.findChild<QPushButton *>("publishButton");
    auto *hint = page.findChild<QLabel *>("publishHint");
    QVERIFY(publish && hint);
    QCOMPARE(page.publishBlockers().first(),
             QString("Choose a video file, drop one here, or enter a video URL."));
    QCOMPARE(hint->text(), page.publishBlockers().first());
    QVERIFY(page.publishBlockers().contains("Tick at least one TikTok account."));

    page.setAccounts({tiktokAccount(7, "Alice", "alice")});
    auto *accounts = page.findChild<QListWidget *>("accountList");
    QVERIFY(accounts);
    QCOMPARE(accounts->count(), 1);
    QCOMPARE(accounts->item(0)->text(), QString("Alice (@alice)"));
    tick(page, 0);
    page.findChild<QLineEdit *>("videoUrl")->setText("https://cdn.example/clip.mp4");
    // Everything the creator controls is ready: only the missing services block it.
    QCOMPARE(page.publishBlockers(),
             QStringList{"Publishing is available once Huntaze is connected to its database."});
    QVERIFY(!publish->isEnabled());

    // Ticks survive a refresh of the account list.
    page.setAccounts({tiktokAccount(8, "Bob", "bob"), tiktokAccount(7, "Alice", "alice")});
    QCOMPARE(accounts->item(0)->checkState(), Qt::Unchecked);
    QCOMPARE(accounts->item(1)->checkState(), Qt::Checked);
}

void PublishViewsTest::directPostNeedsExactlyOneAccount() {
    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *inbox = page.findChild<QRadioButton *>("modeInbox");
    auto *direct = page.findChild<QRadioButton *>("modeDirect");
    auto *privacy = page.findChild<QComboBox *>("privacyCombo");
    auto *quota = page.findChild<QLabel *>("quotaLabel");
    QVERIFY(inbox && direct && privacy && quota);
    QVERIFY(inbox->isChecked());
    QVERIFY(!privacy->isVisible()); // direct options only for direct posts

    page.setAccounts({tiktokAccount(7, "Alice", "alice"), tiktokAccount(8, "Bob", "bob")});
    tick(page, 0);
    tick(page, 1);
    direct->setChecked(true);
    QVERIFY(privacy->isVisible());
    QVERIFY(page.publishBlockers().contains("To post directly, tick exactly one account."));

    page.findChild<QListWidget *>("accountList")->item(1)->setCheckState(Qt::Unchecked);
    QVERIFY(!page.publishBlockers().contains("To post directly, tick exactly one account."));
    // Without the relay, TikTok's creator_info cannot be asked: no privacy to choose.
    QVERIFY(!privacy->isEnabled());
    QVERIFY(!page.findChild<QCheckBox *>("disableComment")->isEnabled());
    QVERIFY(page.publishBlockers().join('\n').contains("What TikTok allows this account"));
}

void PublishViewsTest::withoutServicesPublishStaysDisabled() {
    PublishPage page;
    QSignalSpy published(&page, &PublishPage::published);
    page.setAccounts({tiktokAccount(7, "Alice", "alice")});
    tick(page, 0);
    page.findChild<QLineEdit *>("videoUrl")->setText("https://cdn.example/clip.mp4");
    auto *publish = page.findChild<QPushButton *>("publishButton");
    QVERIFY(!publish->isEnabled());
    publish->click();
    QCOMPARE(published.size(), 0);
}

void PublishViewsTest::photosHideTheFilePart() {
    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *video = page.findChild<QRadioButton *>("kindVideo");
    auto *photos = page.findChild<QRadioButton *>("kindPhotos");
    auto *chooseFile = page.findChild<QPushButton *>("chooseFileButton");
    auto *videoUrl = page.findChild<QLineEdit *>("videoUrl");
    auto *photoUrls = page.findChild<QPlainTextEdit *>("photoUrls");
    auto *cover = page.findChild<QSpinBox *>("photoCover");
    auto *title = page.findChild<QLineEdit *>("photoTitle");
    auto *hint = page.findChild<QLabel *>("photoHint");
    auto *counter = page.findChild<QLabel *>("captionCounter");
    QVERIFY(video && photos && chooseFile && videoUrl && photoUrls && cover && title && hint &&
            counter);
    QVERIFY(video->isChecked());
    QVERIFY(chooseFile->isVisible() && videoUrl->isVisible());
    QVERIFY(!photoUrls->isVisible());
    QCOMPARE(counter->text(), QString("0 / 2200"));

    photos->setChecked(true);
    QVERIFY(!chooseFile->isVisible());
    QVERIFY(!videoUrl->isVisible());
    QVERIFY(!page.findChild<QLabel *>("mediaSummary")->isVisible());
    QVERIFY(photoUrls->isVisible() && cover->isVisible() && title->isVisible());
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().contains("cannot be uploaded from files"));
    QCOMPARE(counter->text(), QString("0 / 4000"));
    QCOMPARE(page.findChild<QLabel *>("photoTitleCounter")->text(), QString("0 / 90"));
    QCOMPARE(page.publishBlockers().first(),
             QString("Enter the web address of at least one photo, one per line."));
    // Photos are never uploaded from files: a dropped file is refused.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile("/tmp/photo.jpg")});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &enter);
    QVERIFY(!enter.isAccepted());
    // The inbox/direct choice stays; photo posts have no Duet or Stitch.
    page.findChild<QRadioButton *>("modeDirect")->setChecked(true);
    QVERIFY(page.findChild<QComboBox *>("privacyCombo")->isVisible());
    QVERIFY(page.findChild<QCheckBox *>("disableComment")->isVisible());
    QVERIFY(!page.findChild<QCheckBox *>("disableDuet")->isVisible());
    QVERIFY(!page.findChild<QCheckBox *>("disableStitch")->isVisible());

    video->setChecked(true);
    QVERIFY(chooseFile->isVisible() && videoUrl->isVisible());
    QVERIFY(!photoUrls->isVisible());
    QVERIFY(page.findChild<QCheckBox *>("disableDuet")->isVisible());
    QCOMPARE(counter->text(), QString("0 / 2200"));
}

void PublishViewsTest::badPhotoUrlLineBlocksWithAMessage() {
    PublishPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.findChild<QRadioButton *>("kindPhotos")->setChecked(true);
    auto *urls = page.findChild<QPlainTextEdit *>("photoUrls");
    auto *problem = page.findChild<QLabel *>("photoUrlsProblem");
    QVERIFY(urls && problem);
    QVERIFY(!problem->isVisible());

    urls->setPlainText("https://cdn.example/1.jpg\n\nhttp://cdn.example/2.jpg");
    QVERIFY(problem->isVisible());
    QVERIFY(problem->styleSheet().contains("#b00020"));
    QVERIFY(problem->text().contains("Line 3:"));
    QVERIFY(problem->text().contains("https://"));
    QVERIFY(page.publishBlockers().contains("Fix the photo URLs first."));

    urls->setPlainText("https://cdn.example/my photo.jpg");
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains("Line 1:"));
    QVERIFY(problem->text().contains("spaces"));
    QVERIFY(page.publishBlockers().contains("Fix the photo URLs first."));

    urls->setPlainText("not a url");
    QVERIFY(problem->isVisible());
    QVERIFY(page.publishBlockers().contains("Fix the photo URLs first."));

    // Spaces around an address (a paste) are not part of it.
    urls->setPlainText("  https://cdn.example/1.jpg \nhttps://cdn.example/2.jpg\n");
    QVERIFY(!problem->isVisible());
    QVERIFY(!page.publishBlockers().contains("Fix the photo URLs first."));
}

void PublishViewsTest::morePhotosThanTikTokTakesBlock() {
    PublishPage page;
    page.findChild<QRadioButton *>("kindPhotos")->setChecked(true);
    auto *urls = page.findChild<QPlainTextEdit *>("photoUrls");
    auto *problem = page.findChild<QLabel *>("photoUrlsProblem");
    auto *cover = page.findChild<QSpinBox *>("photoCover");
    QVERIFY(urls && problem && cover);
    QStringList lines;
    for (int i = 1; i <= 36; ++i)
        lines << QString("https://cdn.example/%1.jpg").arg(i);
    urls->setPlainText(lines.join('\n'));
    QVERIFY(page.publishBlockers().contains("TikTok takes at most 35 photos: remove 1."));
    QVERIFY(problem->text().contains("at most 35 photos"));
    QCOMPARE(cover->maximum(), 35);

    lines.removeLast();
    urls->setPlainText(lines.join('\n'));
    QVERIFY(!page.publishBlockers().join('\n').contains("at most 35 photos"));
    QVERIFY(problem->text().isEmpty());
}

void PublishViewsTest::photoTitleAndDescriptionHaveTheirLimits() {
    PublishPage page;
    page.findChild<QRadioButton *>("kindPhotos")->setChecked(true);
    auto *title = page.findChild<QLineEdit *>("photoTitle");
    auto *titleCounter = page.findChild<QLabel *>("photoTitleCounter");
    auto *caption = page.findChild<QPlainTextEdit *>("caption");
    auto *counter = page.findChild<QLabel *>("captionCounter");
    QVERIFY(title && titleCounter && caption && counter);

    title->setText(QString(90, QLatin1Char('t')));
    QCOMPARE(titleCounter->text(), QString("90 / 90"));
    QVERIFY(!page.publishBlockers().join('\n').contains("title"));
    title->setText(QString(91, QLatin1Char('t')));
    QCOMPARE(titleCounter->text(), QString("91 / 90"));
    QVERIFY(titleCounter->styleSheet().contains("#b00020"));
    QVERIFY(
        page.publishBlockers().contains("The title is 1 characters too long: TikTok allows 90."));

    // The caption is the description: 4000, not 2200.
    caption->setPlainText(QString(4000, QLatin1Char('d')));
    QCOMPARE(counter->text(), QString("4000 / 4000"));
    QVERIFY(!page.publishBlockers().join('\n').contains("description"));
    caption->setPlainText(QString(4001, QLatin1Char('d')));
    QCOMPARE(counter->text(), QString("4001 / 4000"));
    QVERIFY(page.publishBlockers().contains(
        "The description is 1 characters too long: TikTok allows 4000."));
}

void PublishViewsTest::validPhotosBuildAPhotoDraft() {
    PublishPage page;
    page.setAccounts({tiktokAccount(7, "Alice", "alice")});
    tick(page, 0);
    page.findChild<QRadioButton *>("kindPhotos")->setChecked(true);
    auto *cover = page.findChild<QSpinBox *>("photoCover");
    QVERIFY(cover);
    page.findChild<QPlainTextEdit *>("photoUrls")
        ->setPlainText("https://cdn.example/1.jpg\nhttps://cdn.example/2.jpg");
    QCOMPARE(cover->minimum(), 1);
    QCOMPARE(cover->maximum(), 2);
    cover->setValue(2);
    page.findChild<QLineEdit *>("photoTitle")->setText("Beach day");
    page.findChild<QPlainTextEdit *>("caption")->setPlainText("Sunset #travel");
    // Everything the creator controls is ready: only the missing services block it.
    QCOMPARE(page.publishBlockers(),
             QStringList{"Publishing is available once Huntaze is connected to its database."});
    QVERIFY(!page.findChild<QPushButton *>("publishButton")->isEnabled());

    huntaze::jobs::PublicationDraft draft = page.buildDraft();
    QCOMPARE(draft.kind, QString("photo"));
    QCOMPARE(draft.accountIds, QList<qint64>{7});
    QVERIFY(draft.filePath.isEmpty());
    QVERIFY(draft.sourceUrl.isEmpty());
    QCOMPARE(draft.fileSize, 0);
    QCOMPARE(draft.caption, QString("Sunset #travel"));
    QCOMPARE(draft.options.value("mode").toString(), QString("inbox"));
    QCOMPARE(draft.options.value("photo_urls").toArray(),
             (QJsonArray{"https://cdn.example/1.jpg", "https://cdn.example/2.jpg"}));
    QCOMPARE(draft.options.value("photo_cover_index").toInt(-1), 1); // stored from 0
    QCOMPARE(draft.options.value("title").toString(), QString("Beach day"));
    QCOMPARE(draft.options.value("username").toString(), QString("alice"));
    QVERIFY(!draft.options.contains("privacy_level"));
    QVERIFY(!draft.options.contains("content_type"));

    // Direct: privacy and comments as for videos, no Duet or Stitch.
    page.findChild<QRadioButton *>("modeDirect")->setChecked(true);
    QVERIFY(page.publishBlockers().join('\n').contains("What TikTok allows this account"));
    draft = page.buildDraft();
    QCOMPARE(draft.options.value("mode").toString(), QString("direct"));
    QVERIFY(draft.options.contains("privacy_level"));
    QVERIFY(draft.options.contains("disable_comment"));
    QVERIFY(!draft.options.contains("disable_duet"));
    QVERIFY(!draft.options.contains("disable_stitch"));

    // The video draft is unchanged.
    page.findChild<QRadioButton *>("modeInbox")->setChecked(true);
    page.findChild<QRadioButton *>("kindVideo")->setChecked(true);
    page.findChild<QLineEdit *>("videoUrl")->setText("https://cdn.example/clip.mp4");
    draft = page.buildDraft();
    QCOMPARE(draft.kind, QString("video"));
    QCOMPARE(draft.sourceUrl, QString("https://cdn.example/clip.mp4"));
    QVERIFY(!draft.options.contains("photo_urls"));
    QVERIFY(!draft.options.contains("title"));
}

void PublishViewsTest::screenshotsAreSavedAsArtifacts() {
    PublishPage publishPage;
    publishPage.resize(900, 800);
    publishPage.setAccounts({tiktokAccount(7, "Alice", "alice"), tiktokAccount(8, "Bob", "bob")});
    tick(publishPage, 0);
    publishPage.findChild<QPlainTextEdit *>("caption")->setPlainText("Sunset at the beach #travel");
    publishPage.show();
    QVERIFY(QTest::qWaitForWindowExposed(&publishPage));
    QVERIFY(!huntaze::test::saveScreenshot(&publishPage, "publishpage").isEmpty());
    publishPage.findChild<QRadioButton *>("kindPhotos")->setChecked(true);
    publishPage.findChild<QPlainTextEdit *>("photoUrls")
        ->setPlainText("https://cdn.example/1.jpg\nhttp://cdn.example/2.jpg");
    publishPage.findChild<QLineEdit *>("photoTitle")->setText("Beach day");
    QVERIFY(!huntaze::test::saveScreenshot(&publishPage, "publishpage-photos").isEmpty());

    QueuePage queuePage;
    queuePage.resize(1000, 400);
    queuePage.model()->setCurrentTime(QDateTime::fromSecsSinceEpoch(kNow));
    queuePage.model()->setRows(
        {publicationRow(1, "uploading", {{"bytes_sent", "30000000"}, {"bytes_total", "90000000"}}),
         publicationRow(2, "queued",
                        {{"last_error_message", "TikTok is busy."},
                         {"next_attempt_at", QString::number(kNow + 42)}}),
         publicationRow(3, "published", {{"tiktok_status", "SEND_TO_USER_INBOX"}}),
         publicationRow(4, "failed", {{"last_error_message", "TikTok refused the video."}})});
    queuePage.model()->setProgress(1, 45'000'000, 90'000'000, 3'000'000.0);
    queuePage.show();
    QVERIFY(QTest::qWaitForWindowExposed(&queuePage));
    QVERIFY(!huntaze::test::saveScreenshot(&queuePage, "queuepage").isEmpty());
}

QTEST_MAIN(PublishViewsTest)
#include "tst_publishviews.moc"
