#include "redditxposts.h"

#include "platforms/x/xpostrequest.h"

#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

namespace huntaze::ui {

namespace {
std::optional<qint64> wholeNumber(const QJsonValue &value) {
    if (value.isDouble() && std::isfinite(value.toDouble()))
        return qint64(value.toDouble());
    if (value.isString()) {
        bool ok = false;
        const qint64 number = value.toString().toLongLong(&ok);
        if (ok)
            return number;
    }
    return std::nullopt;
}
} // namespace

QString RedditXPosts::redditKindText(const QString &kind) {
    if (kind == QLatin1String("self"))
        return tr("Text post");
    if (kind == QLatin1String("link"))
        return tr("Link");
    if (kind == QLatin1String("image"))
        return tr("Image");
    if (kind == QLatin1String("video") || kind == QLatin1String("videogif"))
        return tr("Video");
    return kind;
}

QString RedditXPosts::redditRemovedText(const QString &category) {
    if (category.isEmpty())
        return {};
    if (category == QLatin1String("moderator") || category == QLatin1String("automod_filtered"))
        return tr("Removed by the moderators");
    if (category == QLatin1String("deleted") || category == QLatin1String("author"))
        return tr("Deleted by you");
    if (category == QLatin1String("copyright_takedown") ||
        category == QLatin1String("content_takedown") ||
        category == QLatin1String("legal_operations"))
        return tr("Removed on legal grounds");
    return tr("Removed by Reddit");
}

QString RedditXPosts::redditRemovedAdvice(const QString &category) {
    if (category.isEmpty())
        return {};
    if (category == QLatin1String("moderator") || category == QLatin1String("automod_filtered"))
        return tr("The subreddit's moderators removed this post: read the subreddit's rules, "
                  "or message its moderators to ask why.");
    if (category == QLatin1String("deleted") || category == QLatin1String("author"))
        return tr("This post was deleted from your Reddit account; its figures stay here.");
    return tr("Reddit removed this post. Check your messages on Reddit for the reason and how "
              "to appeal.");
}

QString RedditXPosts::redditCaption(const QString &subreddit, const QString &title) {
    const QString cleanTitle = title.simplified();
    if (subreddit.isEmpty())
        return cleanTitle;
    return tr("r/%1 · %2").arg(subreddit, cleanTitle);
}

QString RedditXPosts::upvoteRatioText(const QString &ratio) {
    bool ok = false;
    const double value = ratio.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0.0 || value > 1.0)
        return {};
    return tr("%1 %").arg(QLocale().toString(std::round(value * 100.0), 'f', 0));
}

QString RedditXPosts::redditLink(const QString &permalink) {
    static const QRegularExpression relative(QStringLiteral("^/r/[A-Za-z0-9_]+/comments/\\S+$"));
    if (relative.match(permalink).hasMatch())
        return QStringLiteral("https://www.reddit.com") + permalink;
    const QUrl url(permalink, QUrl::StrictMode);
    if (url.isValid() && url.scheme() == QLatin1String("https") &&
        (url.host() == QLatin1String("www.reddit.com") ||
         url.host() == QLatin1String("reddit.com")))
        return permalink;
    return {};
}

QString RedditXPosts::xKindText(const QString &kind) {
    if (kind == QLatin1String("text"))
        return tr("Text post");
    if (kind == QLatin1String("images"))
        return tr("Photos");
    if (kind == QLatin1String("gif"))
        return tr("GIF");
    if (kind == QLatin1String("video"))
        return tr("Video");
    return tr("Post");
}

std::optional<qint64> RedditXPosts::xMetric(const QJsonObject &publicMetrics,
                                            const QJsonObject &nonPublicMetrics,
                                            const QString &name) {
    if (const auto value = wholeNumber(publicMetrics.value(name)))
        return value;
    return wholeNumber(nonPublicMetrics.value(name));
}

QString RedditXPosts::xPrivateFiguresText(const QJsonObject &nonPublicMetrics) {
    QStringList parts;
    const struct {
        const char *name;
        const char *label;
    } figures[] = {{"url_link_clicks", QT_TR_NOOP("Link clicks: %1")},
                   {"user_profile_clicks", QT_TR_NOOP("Profile clicks: %1")},
                   {"impression_count", QT_TR_NOOP("Impressions: %1")}};
    for (const auto &figure : figures)
        if (const auto value = wholeNumber(nonPublicMetrics.value(QLatin1String(figure.name))))
            parts << tr(figure.label).arg(QLocale().toString(*value));
    if (parts.isEmpty())
        return {};
    return tr("Only you see these: %1").arg(parts.join(QStringLiteral(" · ")));
}

} // namespace huntaze::ui
