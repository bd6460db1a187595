#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QWidget>

#include <utility>

class QRadioButton;

namespace huntaze::ui {

// The row of radio buttons at the top of a publish box that says what kind of post it is
// (Reddit: text, link, image, video; Instagram: photo, reel, story, carousel). Exactly one
// is chosen; each button is named namePrefix + key for the window's tests, and the page
// shows the fields that kind needs when kindChanged() is emitted.
class KindChoice : public QWidget {
    Q_OBJECT
public:
    // `kinds`: key and label, in the order shown; `initial` is chosen at first.
    KindChoice(const QList<std::pair<QString, QString>> &kinds, const QString &namePrefix,
               const QString &initial, QWidget *parent = nullptr);

    QString kind() const;
    void setKind(const QString &key); // an unknown key changes nothing

Q_SIGNALS:
    void kindChanged();

private:
    QHash<QString, QRadioButton *> m_buttons;
    QString m_initial;
};

} // namespace huntaze::ui
