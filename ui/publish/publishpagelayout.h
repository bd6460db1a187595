#pragma once

#include <QList>
#include <QString>

class QLabel;
class QPushButton;
class QWidget;

namespace huntaze::ui {

class StatusLabel;

// What sits under every publish page's boxes: the Publish button (disabled while anything
// blocks it, see showBlockers), the hint that says why, and the status line that says
// what became of the last click. Made in one place so every tab names and shows them
// alike.
struct PublishControls {
    QLabel *hint = nullptr;
    StatusLabel *status = nullptr;
    QPushButton *button = nullptr;
};

// The three widgets, named for the window's tests from `namePrefix`: "redditPublish"
// gives redditPublishHint, redditPublishStatus and redditPublishButton.
PublishControls createPublishControls(const QString &buttonText, const QString &namePrefix,
                                      QWidget *parent = nullptr);

// Lays `page` out as a platform's tab: `boxes` one under the other, then the hint with a
// new Publish button, then the status line, all in a scroll area so a small window still
// reaches Publish. The controls are made after the boxes, which test for the button to
// know that the page is still being built.
PublishControls layOutPublishPage(QWidget *page, const QList<QWidget *> &boxes,
                                  const QString &buttonText, const QString &namePrefix);

// A line in red under a field, hidden until there is a problem to show.
QLabel *createProblemLabel(const QString &objectName, QWidget *parent);

} // namespace huntaze::ui
