#include "xratelimits.h"

#include <algorithm>

namespace huntaze::x {

namespace {

constexpr qint64 kMaxCount = 1'000'000'000;
// Epoch seconds up to the year 5138: anything bigger is milliseconds or nonsense.
constexpr qint64 kMaxEpoch = 100'000'000'000;

// A plain decimal number within [0, max], or -1.
qint64 plainNumber(const QByteArray &raw, qint64 max) {
    const QByteArray value = raw.trimmed();
    if (value.isEmpty() || value.size() > 12)
        return -1;
    for (const char c : value)
        if (c < '0' || c > '9')
            return -1;
    const qint64 number = value.toLongLong();
    return number <= max ? number : -1;
}

void read(RateWindow &window, const QByteArray &suffix, const QByteArray &value) {
    if (suffix == "limit")
        window.limit = int(plainNumber(value, kMaxCount));
    else if (suffix == "remaining")
        window.remaining = int(plainNumber(value, kMaxCount));
    else if (suffix == "reset")
        window.resetEpoch = std::max<qint64>(0, plainNumber(value, kMaxEpoch));
}

} // namespace

RateLimits parseRateLimits(const QList<std::pair<QByteArray, QByteArray>> &headers) {
    RateLimits limits;
    const struct {
        QByteArray prefix;
        RateWindow *window;
    } families[] = {{"x-rate-limit-", &limits.window},
                    {"x-user-limit-24hour-", &limits.userDay},
                    {"x-app-limit-24hour-", &limits.appDay}};
    for (const auto &[rawName, value] : headers) {
        const QByteArray name = rawName.trimmed().toLower();
        for (const auto &family : families)
            if (name.startsWith(family.prefix))
                read(*family.window, name.mid(family.prefix.size()), value);
    }
    return limits;
}

} // namespace huntaze::x
