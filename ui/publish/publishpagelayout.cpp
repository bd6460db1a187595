#include "publishpagelayout.h"

#include "shell/problemcolor.h"
#include "shell/statuslabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace huntaze::ui {

PublishControls createPublishControls(const QString &buttonText, const QString &namePrefix,
                                      QWidget *parent) {
    PublishControls controls;
    controls.hint = new QLabel(parent);
    controls.hint->setObjectName(namePrefix + QStringLiteral("Hint"));
    controls.hint->setWordWrap(true);
    controls.status = new StatusLabel(parent);
    controls.status->setObjectName(namePrefix + QStringLiteral("Status"));
    controls.button = new QPushButton(buttonText, parent);
    controls.button->setObjectName(namePrefix + QStringLiteral("Button"));
    return controls;
}

PublishControls layOutPublishPage(QWidget *page, const QList<QWidget *> &boxes,
                                  const QString &buttonText, const QString &namePrefix) {
    const PublishControls controls = createPublishControls(buttonText, namePrefix);
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    for (QWidget *box : boxes)
        layout->addWidget(box);
    auto *row = new QHBoxLayout;
    row->addWidget(controls.hint, 1);
    row->addWidget(controls.button);
    layout->addLayout(row);
    layout->addWidget(controls.status);
    layout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(page);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    return controls;
}

QLabel *createProblemLabel(const QString &objectName, QWidget *parent) {
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(problemColor().name()));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse); // quoted to support
    label->hide();
    return label;
}

} // namespace huntaze::ui
