#include "alertevent.h"

#include <QDateTime>
#include <QJsonObject>

namespace huntaze::relay::alerts {

QJsonObject AlertEvent::toJson() const {
    QJsonObject labelObject;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        labelObject.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("alert"), rule},
        {QStringLiteral("status"), status},
        {QStringLiteral("severity"), severity},
        {QStringLiteral("labels"), labelObject},
        {QStringLiteral("value"), value},
        {QStringLiteral("threshold"), double(threshold)},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("description"), description},
        {QStringLiteral("runbook"), runbook},
        {QStringLiteral("at"),
         QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
    };
}

} // namespace huntaze::relay::alerts
