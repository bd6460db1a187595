#include "statuslabel.h"

#include "problemcolor.h"

namespace huntaze::ui {

StatusLabel::StatusLabel(QWidget *parent)
    : QLabel(parent) {
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse); // error messages get quoted to support
    hide();
}

void StatusLabel::showProblem(const QString &text) {
    showText(text, true);
}

void StatusLabel::showNote(const QString &text) {
    showText(text, false);
}

void StatusLabel::clearProblem() {
    if (m_problem)
        showText({}, false);
}

void StatusLabel::showText(const QString &text, bool problem) {
    m_problem = problem;
    setText(text);
    setStyleSheet(problem ? QStringLiteral("color: %1;").arg(problemColor().name()) : QString());
    setVisible(!text.isEmpty());
}

} // namespace huntaze::ui
