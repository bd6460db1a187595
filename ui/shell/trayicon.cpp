#include "trayicon.h"

#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace huntaze::ui {

namespace {
// Drawn rather than shipped: a rounded square with an "H".
QIcon huntazeIcon() {
    QIcon icon = QIcon::fromTheme(QStringLiteral("huntaze"));
    if (!icon.isNull())
        return icon;
    for (const int size : {16, 22, 32, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0xfe, 0x2c, 0x55));
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(int(size * 0.7));
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(QRect(0, 0, size, size), Qt::AlignCenter, QStringLiteral("H"));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
} // namespace

TrayIcon::TrayIcon(QWidget *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_menu(new QMenu)
    , m_icon(new QSystemTrayIcon(huntazeIcon(), this)) {
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    QAction *show = m_menu->addAction(tr("Show Huntaze"));
    show->setObjectName(QStringLiteral("trayShow"));
    connect(show, &QAction::triggered, this, &TrayIcon::showWindow);
    m_menu->addSeparator();
    QAction *quit = m_menu->addAction(tr("Quit"));
    quit->setObjectName(QStringLiteral("trayQuit"));
    connect(quit, &QAction::triggered, this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(m_menu);
    m_icon->setToolTip(tr("Huntaze"));
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    showWindow();
            });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showWindow);
    m_icon->show();
}

TrayIcon::~TrayIcon() {
    m_icon->hide();
    delete m_menu; // a context menu is not owned by the tray icon
}

bool TrayIcon::isAvailable() {
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::notify(const QString &title, const QString &message) {
    m_icon->showMessage(title, message, QSystemTrayIcon::Information, 10000);
}

void TrayIcon::showWindow() {
    if (!m_window)
        return;
    if (m_window->isMinimized())
        m_window->showNormal();
    else
        m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace huntaze::ui
