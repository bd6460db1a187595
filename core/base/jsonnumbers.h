#pragma once

#include <QJsonValue>

namespace huntaze {

// A platform's integer code from JSON, read strictly: a whole number within int, or a
// string of digits; anything else (2.5, 1e300, NaN, an object) is 0, never a wrapped or
// truncated value a hostile answer could choose.
int strictJsonInt(const QJsonValue &value);

} // namespace huntaze
