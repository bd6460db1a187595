#pragma once

#include <QLabel>

namespace huntaze::ui {

// The line under a view that says what went wrong (in red) or what just happened, and
// is hidden while there is nothing to say.
class StatusLabel : public QLabel {
    Q_OBJECT
public:
    explicit StatusLabel(QWidget *parent = nullptr);

    void showProblem(const QString &text);
    void showNote(const QString &text);
    // Once what failed works again (the database answered): the problem goes, a note stays.
    void clearProblem();

private:
    void showText(const QString &text, bool problem);

    bool m_problem = false;
};

} // namespace huntaze::ui
