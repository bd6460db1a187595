#include "instagraminsights.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

namespace huntaze::relay::instagraminsights {

QStringList metricsFor(const QString &mediaType, const QString &productType) {
    Q_UNUSED(mediaType);
    if (productType == QLatin1String("STORY"))
        return {QStringLiteral("reach"),
                QStringLiteral("replies"),
                QStringLiteral("views"),
                QStringLiteral("shares"),
                QStringLiteral("total_interactions"),
                QStringLiteral("navigation"),
                QStringLiteral("follows"),
                QStringLiteral("profile_visits")};
    return {QStringLiteral("reach"),
            QStringLiteral("likes"),
            QStringLiteral("comments"),
            QStringLiteral("saved"),
            QStringLiteral("shares"),
            QStringLiteral("views"),
            QStringLiteral("total_interactions")};
}

QJsonObject parse(const QJsonObject &answer) {
    QJsonObject out;
    for (const QJsonValue &entry : answer.value(QStringLiteral("data")).toArray()) {
        const QJsonObject metric = entry.toObject();
        const QString name = metric.value(QStringLiteral("name")).toString();
        if (name.isEmpty() || name.size() > 64)
            continue;
        QJsonValue value =
            metric.value(QStringLiteral("total_value")).toObject().value(QStringLiteral("value"));
        if (value.isUndefined())
            value = metric.value(QStringLiteral("values"))
                        .toArray()
                        .at(0) // Undefined when empty
                        .toObject()
                        .value(QStringLiteral("value"));
        // Stored as integers when they are, so an unchanged value compares equal.
        if (value.isDouble() && std::floor(value.toDouble()) == value.toDouble())
            value = QJsonValue(qint64(value.toDouble()));
        if (value.isDouble() || value.isObject())
            out.insert(name, value);
    }
    return out;
}

QString refusedMetric(const QString &message, const QStringList &asked) {
    // "... must be one of the following values: reach, views (got likes)": the allowed
    // list names metrics too, so what Meta got comes first.
    for (const QString &metric : asked)
        if (message.contains(QLatin1String("(got ") + metric + QLatin1Char(')')))
            return metric;
    static const QRegularExpression indexed(QStringLiteral("metric\\[(\\d+)\\]"));
    if (const auto match = indexed.match(message); match.hasMatch()) {
        const int index = match.captured(1).toInt();
        if (index >= 0 && index < asked.size())
            return asked.at(index);
    }
    // "the plays metric is no longer supported"
    for (const QString &metric : asked)
        if (message.contains(QLatin1String("the ") + metric + QLatin1String(" metric")))
            return metric;
    return {};
}

} // namespace huntaze::relay::instagraminsights
