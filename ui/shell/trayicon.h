#pragma once

#include <QObject>
#include <QPointer>
#include <QWidget>

class QMenu;
class QSystemTrayIcon;

namespace huntaze::ui {

// Huntaze in the system tray: a menu (Show Huntaze, Quit) and notifications. Only made
// where the desktop has a tray (isAvailable()); elsewhere notifications go to the main
// window's status bar.
class TrayIcon : public QObject {
    Q_OBJECT
public:
    explicit TrayIcon(QWidget *window, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isAvailable();
    void notify(const QString &title, const QString &message);
    QMenu *menu() const { return m_menu; }

Q_SIGNALS:
    void quitRequested();

private:
    void showWindow();
    QPointer<QWidget> m_window;
    QMenu *m_menu;
    QSystemTrayIcon *m_icon;
};

} // namespace huntaze::ui
