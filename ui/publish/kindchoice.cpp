#include "kindchoice.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QRadioButton>

namespace huntaze::ui {

KindChoice::KindChoice(const QList<std::pair<QString, QString>> &kinds, const QString &namePrefix,
                       const QString &initial, QWidget *parent)
    : QWidget(parent)
    , m_initial(initial) {
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *group = new QButtonGroup(this);
    for (const auto &[key, label] : kinds) {
        auto *button = new QRadioButton(label, this);
        button->setObjectName(namePrefix + key);
        button->setChecked(key == initial);
        group->addButton(button);
        layout->addWidget(button);
        m_buttons.insert(key, button);
        connect(button, &QRadioButton::toggled, this, [this](bool on) {
            if (on)
                Q_EMIT kindChanged();
        });
    }
    layout->addStretch();
}

QString KindChoice::kind() const {
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it)
        if (it.value()->isChecked())
            return it.key();
    return m_initial;
}

void KindChoice::setKind(const QString &key) {
    if (QRadioButton *button = m_buttons.value(key))
        button->setChecked(true);
}

} // namespace huntaze::ui
