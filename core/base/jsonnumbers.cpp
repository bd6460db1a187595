#include "jsonnumbers.h"

#include <QString>

#include <cmath>
#include <limits>

namespace huntaze {

int strictJsonInt(const QJsonValue &value) {
    if (value.isString()) {
        bool ok = false;
        const int parsed = value.toString().trimmed().toInt(&ok);
        return ok ? parsed : 0;
    }
    if (!value.isDouble())
        return 0;
    const double number = value.toDouble();
    if (!std::isfinite(number) || number != std::trunc(number) ||
        number < double(std::numeric_limits<int>::min()) ||
        number > double(std::numeric_limits<int>::max()))
        return 0;
    return int(number);
}

} // namespace huntaze
