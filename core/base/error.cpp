#include "error.h"

namespace huntaze {

QString Error::toString() const {
    QString text = domain + QLatin1Char(':') + code + QLatin1String(": ") + message;
    if (!detail.isEmpty())
        text += QLatin1String(" (") + detail + QLatin1Char(')');
    return text;
}

} // namespace huntaze
