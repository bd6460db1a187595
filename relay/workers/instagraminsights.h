#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace huntaze::relay::instagraminsights {

// The metrics to ask of one media (instagram.md, "Media, comments, insights"): feed
// posts, reels and albums the full set; stories their own (they have no likes, comments
// or saves). impressions, plays and video_views are gone for current media: views.
QStringList metricsFor(const QString &mediaType, const QString &productType);

// {"reach": 6, "likes": 2, ...} from {"data": [{"name", "values": [{"value"}],
// "total_value": {"value"}}]}; numbers as integers when they are.
QJsonObject parse(const QJsonObject &answer);

// The metric a (#100) refusal is about, so the next ask leaves it out: Meta names it
// ("... must be one of the following values: ... (got likes)", "the plays metric is no
// longer supported") or its index ("metric[2]"). Empty when none of `asked` is named.
QString refusedMetric(const QString &message, const QStringList &asked);

} // namespace huntaze::relay::instagraminsights
