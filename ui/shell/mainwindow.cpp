#include "mainwindow.h"

#include "sectionpage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStatusBar>

namespace huntaze::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_connectionStatus(new QLabel(this))
    , m_busy(new QProgressBar(this)) {
    setWindowTitle(tr("Huntaze"));
    setObjectName(QStringLiteral("mainWindow"));
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFixedWidth(180);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setStyleSheet(QStringLiteral("QListWidget::item { padding: 8px 12px; }"));
    m_pages->setObjectName(QStringLiteral("pages"));

    addSection(tr("Accounts"), tr("Connect TikTok, Instagram, Reddit and X accounts to publish "
                                  "to them and follow what they report back."));
    addSection(tr("Publish"), tr("Pick a video or photo from this computer, write a caption and "
                                 "choose where it goes."));
    addSection(tr("Queue"), tr("Uploads in progress and waiting appear here, with their "
                               "progress. They survive a restart."));
    addSection(tr("Posts"), tr("Everything you published, with its status and link."));
    addSection(tr("Inbox"), tr("Comments on your Instagram posts, newest first, to answer or "
                               "hide."));
    addSection(tr("Insights"), tr("Views, likes and comments over time, per platform."));
    addSection(tr("Activity"), tr("What the platforms reported back, newest first, each with "
                                  "its correlation id for support."));
    addSection(tr("Health"), tr("How your accounts are doing: upload success, what the "
                                "platforms last reported, quotas, and a diagnostics export "
                                "for support."));
    addSection(tr("Settings"), tr("Relay pairing, sandbox mode and preferences."));

    connect(m_navigation, &QListWidget::currentRowChanged, m_pages,
            &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(0);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_connectionStatus->setObjectName(QStringLiteral("connectionStatus"));
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0); // indeterminate: "working"
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->hide();
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_connectionStatus);
    setConnectionStatus(tr("Not connected to a relay"));
    resize(1000, 680);
}

void MainWindow::addSection(const QString &name, const QString &emptyText) {
    m_navigation->addItem(name);
    m_pages->addWidget(new SectionPage(name, emptyText, m_pages));
}

void MainWindow::showSection(Section section) {
    m_navigation->setCurrentRow(int(section));
}

MainWindow::Section MainWindow::currentSection() const {
    return Section(m_pages->currentIndex());
}

QStringList MainWindow::sectionNames() const {
    QStringList names;
    for (int row = 0; row < m_navigation->count(); ++row)
        names << m_navigation->item(row)->text();
    return names;
}

void MainWindow::setConnectionStatus(const QString &text, bool busy) {
    m_connectionStatus->setText(text);
    m_connectionStatus->setStyleSheet(QString());
    m_busy->setVisible(busy);
}

void MainWindow::setConnectionProblem(const QString &text) {
    m_connectionStatus->setText(text);
    m_connectionStatus->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_busy->hide();
}

void MainWindow::setSectionView(Section section, QWidget *view) {
    const int index = int(section);
    QWidget *old = m_pages->widget(index);
    m_pages->insertWidget(index, view);
    m_pages->removeWidget(old);
    old->deleteLater();
    m_pages->setCurrentIndex(m_navigation->currentRow());
}

QString MainWindow::connectionStatus() const {
    return m_connectionStatus->text();
}

bool MainWindow::isBusy() const {
    return !m_busy->isHidden();
}

} // namespace huntaze::ui
