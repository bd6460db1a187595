#include "screenshots.h"
#include "shell/mainwindow.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QTest>

using huntaze::ui::MainWindow;

class MainWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensWithEveryNavigationSection();
    void clickingASectionShowsIt();
    void screenshotIsSavedAsArtifact();
};

void MainWindowTest::opensWithEveryNavigationSection() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.sectionNames(), (QStringList{"Accounts", "Publish", "Queue", "Posts", "Inbox",
                                                 "Insights", "Activity", "Health", "Settings"}));
    QCOMPARE(window.currentSection(), MainWindow::Section::Accounts);
    QCOMPARE(window.windowTitle(), QString("Huntaze"));
}

void MainWindowTest::clickingASectionShowsIt() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *navigation = window.findChild<QListWidget *>("navigation");
    auto *pages = window.findChild<QStackedWidget *>("pages");
    QVERIFY(navigation && pages);
    for (int row = 0; row < navigation->count(); ++row) {
        const QRect rect = navigation->visualItemRect(navigation->item(row));
        QTest::mouseClick(navigation->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(pages->currentIndex(), row);
        auto *title = pages->currentWidget()->findChild<QLabel *>("sectionTitle");
        QVERIFY(title);
        QCOMPARE(title->text(), navigation->item(row)->text());
        QVERIFY(title->isVisible());
    }
}

void MainWindowTest::screenshotIsSavedAsArtifact() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showSection(MainWindow::Section::Publish);
    const QString path = huntaze::test::saveScreenshot(&window, "mainwindow-publish");
    QVERIFY(!path.isEmpty());
    QVERIFY(QFileInfo(path).size() > 1000);
    const QImage image(path);
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
}

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
