#pragma once

#include <QLatin1String>
#include <QString>

#include <initializer_list>

namespace huntaze::ui {

// Whether a stored value (a state, an event name) is one of a few names.
inline bool isOneOf(const QString &value, std::initializer_list<const char *> names) {
    for (const char *name : names)
        if (value == QLatin1String(name))
            return true;
    return false;
}

} // namespace huntaze::ui
