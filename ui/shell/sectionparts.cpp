#include "sectionparts.h"

#include <QAbstractButton>
#include <QHeaderView>
#include <QLabel>
#include <QStringList>
#include <QTableView>

namespace huntaze::ui {

QLabel *createSectionTitle(const QString &text, QWidget *parent) {
    auto *title = new QLabel(text, parent);
    title->setObjectName(QStringLiteral("sectionTitle"));
    QFont headingFont = title->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.6);
    headingFont.setBold(true);
    title->setFont(headingFont);
    return title;
}

QLabel *createEmptyStateLabel(const QString &text, QWidget *parent) {
    auto *empty = new QLabel(text, parent);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);
    return empty;
}

void setUpRowTable(QTableView *table, QAbstractItemModel *model) {
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
}

void showBlockers(QAbstractButton *action, QLabel *hint, const QStringList &blockers) {
    action->setEnabled(blockers.isEmpty());
    action->setToolTip(blockers.join(QLatin1Char('\n')));
    hint->setText(blockers.value(0));
    hint->setVisible(!blockers.isEmpty());
}

} // namespace huntaze::ui
