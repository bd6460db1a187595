#pragma once

#include <QWidget>

class QLabel;

namespace huntaze::ui {

// A section of the main window with its heading and an empty state that explains what
// will appear there. Feature views replace the empty state as they arrive.
class SectionPage : public QWidget {
    Q_OBJECT
public:
    SectionPage(const QString &title, const QString &emptyText, QWidget *parent = nullptr);
    QString title() const;

private:
    QLabel *m_title;
};

} // namespace huntaze::ui
