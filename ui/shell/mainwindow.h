#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;
class QLabel;
class QProgressBar;

namespace huntaze::ui {

// The desktop's shell: navigation on the left (Accounts, Publish, Queue, Posts, Inbox,
// Insights, Activity, Health, Settings), the selected section on the right, and a status bar
// that says what the app is connected to.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Section {
        Accounts,
        Publish,
        Queue,
        Posts,
        Inbox,
        Insights,
        Activity,
        Health,
        Settings
    };

    explicit MainWindow(QWidget *parent = nullptr);

    void showSection(Section section);
    Section currentSection() const;
    QStringList sectionNames() const;
    // The status bar's right side: what the app is connected to. busy shows an
    // activity indicator beside it while something is starting or waiting.
    void setConnectionStatus(const QString &text, bool busy = false);
    void setConnectionProblem(const QString &text);
    // Puts a feature's view in place of a section's empty state.
    void setSectionView(Section section, QWidget *view);
    QString connectionStatus() const;
    bool isBusy() const;

private:
    void addSection(const QString &name, const QString &emptyText);
    QListWidget *m_navigation;
    QStackedWidget *m_pages;
    QLabel *m_connectionStatus;
    QProgressBar *m_busy;
};

} // namespace huntaze::ui
