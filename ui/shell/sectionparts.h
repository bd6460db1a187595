#pragma once

#include <QStringList>

class QAbstractButton;
class QAbstractItemModel;
class QLabel;
class QString;
class QTableView;
class QWidget;

namespace huntaze::ui {

// The parts every section of the main window is built from, made one way so the sections
// look alike.

// The section's heading, large and bold; named "sectionTitle" for the window's tests.
QLabel *createSectionTitle(const QString &text, QWidget *parent);

// Centred, greyed text that stands in for a list while it has nothing to show.
QLabel *createEmptyStateLabel(const QString &text, QWidget *parent);

// A read-only table of rows: whole rows are selected, one at a time, on single lines.
void setUpRowTable(QTableView *table, QAbstractItemModel *model);

// An action that stays disabled while anything blocks it: every blocker in its tooltip,
// the first beside it in `hint` (hidden when there is none).
void showBlockers(QAbstractButton *action, QLabel *hint, const QStringList &blockers);

} // namespace huntaze::ui
