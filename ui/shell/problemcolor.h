#pragma once

#include <QColor>

namespace huntaze::ui {

// The one red every view uses for what went wrong, so a problem looks the same everywhere.
inline QColor problemColor() {
    return QColor(0xb0, 0x00, 0x20);
}

} // namespace huntaze::ui
