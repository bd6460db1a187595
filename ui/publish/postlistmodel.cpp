#include "postlistmodel.h"

#include "activity/activitylistmodel.h"
#include "insights/insightsfigures.h"
#include "platforms/tiktok/tiktokerrors.h"
#include "platforms/x/xpostrequest.h"
#include "redditxposts.h"
#include "shell/problemcolor.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QUrl>

namespace huntaze::ui {

PostListModel::PostListModel(QObject *parent)
    : QueryRowsModel(ColumnCount, QStringLiteral("publish_id"), parent) {}

QString PostListModel::statusText(const QString &status) {
    if (status == QLatin1String("PROCESSING_UPLOAD"))
        return tr("Uploading to TikTok");
    if (status == QLatin1String("PROCESSING_DOWNLOAD"))
        return tr("TikTok is downloading the video");
    if (status == QLatin1String("SEND_TO_USER_INBOX"))
        return tr("In TikTok inbox");
    if (status == QLatin1String("PUBLISH_COMPLETE"))
        return tr("Published");
    if (status == QLatin1String("FAILED"))
        return tr("Failed");
    return status;
}

QString PostListModel::modeText(const QString &postMode) {
    if (postMode == QLatin1String("inbox"))
        return tr("Inbox draft");
    if (postMode == QLatin1String("direct"))
        return tr("Direct post");
    if (postMode == QLatin1String("photo"))
        return tr("Photo post");
    return postMode;
}

QString PostListModel::sourceText(const QString &source) {
    if (source == QLatin1String("FILE_UPLOAD"))
        return tr("File upload");
    if (source == QLatin1String("PULL_FROM_URL"))
        return tr("From a URL");
    return source;
}

QString PostListModel::failReasonText(const QString &failReason) {
    if (failReason.trimmed().isEmpty())
        return {};
    return tiktok::problemForFailReason(failReason).message;
}

QString PostListModel::postLink(const QString &username, const QString &postId) {
    if (username.isEmpty() || postId.isEmpty())
        return {};
    return QStringLiteral("https://www.tiktok.com/@%1/video/%2").arg(username, postId);
}

QString PostListModel::instagramKindText(const QString &mediaType, const QString &productType) {
    if (productType == QLatin1String("REELS"))
        return tr("Reel");
    if (productType == QLatin1String("STORY"))
        return tr("Story");
    if (mediaType == QLatin1String("IMAGE"))
        return tr("Photo");
    if (mediaType == QLatin1String("VIDEO"))
        return tr("Video");
    if (mediaType == QLatin1String("CAROUSEL_ALBUM"))
        return tr("Carousel");
    return mediaType;
}

void PostListModel::rowsReplaced() {
    m_figures.clear();
    m_figures.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row) {
        Figures figures;
        if (platform(row) == QLatin1String("x")) {
            const QJsonObject open = InsightsFigures::parseStats(text(row, "metrics"));
            const QJsonObject own = InsightsFigures::parseStats(text(row, "private_metrics"));
            const auto metric = [&](const char *name) {
                return RedditXPosts::xMetric(open, own, QLatin1String(name));
            };
            figures.views = metric("impression_count");
            figures.likes = metric("like_count");
            figures.comments = metric("reply_count");
            figures.reposts = metric("retweet_count");
            figures.quotes = metric("quote_count");
            figures.privateNote = RedditXPosts::xPrivateFiguresText(own);
        } else {
            const QJsonObject insights = InsightsFigures::parseStats(text(row, "insights"));
            figures.views = InsightsFigures::mediaMetric(insights, QStringLiteral("views"));
            figures.reach = InsightsFigures::mediaMetric(insights, QStringLiteral("reach"));
        }
        m_figures.append(figures);
    }
}

QString PostListModel::platform(int row) const {
    const QString name = text(row, "platform");
    return name.isEmpty() ? QStringLiteral("tiktok") : name;
}

QString PostListModel::link(int row) const {
    const QString where = platform(row);
    if (where == QLatin1String("instagram"))
        return text(row, "permalink");
    if (where == QLatin1String("reddit"))
        return RedditXPosts::redditLink(text(row, "permalink"));
    if (where == QLatin1String("x"))
        return x::postPermalink(text(row, "username"), text(row, "publish_id"));
    return postLink(text(row, "username"), text(row, "post_id"));
}

QString PostListModel::statusOf(int row) const {
    const QString where = platform(row);
    if (where == QLatin1String("tiktok"))
        return statusText(text(row, "status"));
    if (where == QLatin1String("reddit")) {
        const QString removed = RedditXPosts::redditRemovedText(text(row, "removed"));
        return removed.isEmpty() ? tr("Published") : removed;
    }
    if (where == QLatin1String("x") && text(row, "status") == QLatin1String("deleted"))
        return tr("Deleted on X");
    // What ig_media and x_posts hold is on the platform: it was published.
    return tr("Published");
}

QString PostListModel::kindOf(int row) const {
    const QString where = platform(row);
    if (where == QLatin1String("instagram"))
        return instagramKindText(text(row, "media_type"), text(row, "media_product_type"));
    if (where == QLatin1String("reddit"))
        return RedditXPosts::redditKindText(text(row, "media_type"));
    if (where == QLatin1String("x"))
        return RedditXPosts::xKindText(text(row, "media_type"));
    return modeText(text(row, "post_mode"));
}

QString PostListModel::captionOf(int row) const {
    if (platform(row) == QLatin1String("reddit"))
        return RedditXPosts::redditCaption(text(row, "subreddit"), text(row, "caption"));
    return text(row, "caption").simplified();
}

QString PostListModel::problemOf(int row) const {
    const QString where = platform(row);
    if (where == QLatin1String("reddit"))
        return RedditXPosts::redditRemovedAdvice(text(row, "removed"));
    if (where == QLatin1String("x"))
        return text(row, "status") == QLatin1String("deleted")
                   ? tr("This post was deleted on X; its last figures stay here.")
                   : QString();
    if (where == QLatin1String("instagram"))
        return {};
    return failReasonText(text(row, "fail_reason"));
}

QVariant PostListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    const QString link = this->link(row);
    const QString where = platform(row);
    const Figures figures = m_figures.value(row);
    if (role == LinkRole)
        return link.isEmpty() ? QUrl() : QUrl(link);
    if (role == Qt::ForegroundRole) {
        if (index.column() == StatusColumn && !problemOf(row).isEmpty() &&
            where != QLatin1String("tiktok"))
            return QBrush(problemColor());
        if (index.column() == StatusColumn && text(row, "status") == QLatin1String("FAILED"))
            return QBrush(problemColor());
        if (index.column() == LinkColumn && !link.isEmpty())
            return QBrush(QColor(0x06, 0x45, 0xad));
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        if (index.column() >= LikesColumn && index.column() <= QuotesColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == ProblemColumn ||
            (index.column() == StatusColumn && where != QLatin1String("tiktok")))
            return problemOf(row);
        if (index.column() == CaptionColumn)
            return where == QLatin1String("reddit") ? captionOf(row) : text(row, "caption");
        if (index.column() == ViewsColumn && where == QLatin1String("x"))
            return figures.privateNote;
        if (index.column() == LinkColumn && !link.isEmpty())
            return tr("Double-click to open the post in your browser.");
        if (index.column() == UpdatedColumn)
            return where == QLatin1String("tiktok") ? tr("When TikTok last reported on it")
                                                    : tr("When it was posted");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    const auto count = [](const std::optional<qint64> &value) {
        return value ? QLocale().toString(*value) : QString();
    };
    const auto number = [&](const char *column) {
        const QString value = text(row, column);
        return value.isEmpty() ? QString() : QLocale().toString(value.toLongLong());
    };
    switch (index.column()) {
    case AccountColumn: {
        const QString name = text(row, "display_name");
        return name.isEmpty() ? text(row, "username") : name;
    }
    case PlatformColumn:
        return ActivityListModel::platformName(where);
    case PublishIdColumn:
        return text(row, "publish_id");
    case StatusColumn:
        return statusOf(row);
    case ModeColumn:
        return kindOf(row);
    case SourceColumn:
        return sourceText(text(row, "source"));
    case CaptionColumn:
        return captionOf(row);
    case LikesColumn:
        return figures.likes ? count(figures.likes) : number("like_count");
    case CommentsColumn:
        return figures.comments ? count(figures.comments) : number("comments_count");
    case ViewsColumn:
        return count(figures.views);
    case ReachColumn:
        return count(figures.reach);
    case ScoreColumn:
        return number("score");
    case UpvoteRatioColumn:
        return RedditXPosts::upvoteRatioText(text(row, "upvote_ratio"));
    case RepostsColumn:
        return count(figures.reposts);
    case QuotesColumn:
        return count(figures.quotes);
    case ProblemColumn:
        return problemOf(row);
    case LinkColumn:
        return link;
    case UpdatedColumn: {
        const QString epoch = text(row, "updated_at");
        if (epoch.isEmpty())
            return {};
        return localTimeText(QDateTime::fromSecsSinceEpoch(epoch.toLongLong(), Qt::UTC));
    }
    }
    return {};
}

QString PostListModel::columnTitle(int column) const {
    switch (column) {
    case AccountColumn:
        return tr("Account");
    case PlatformColumn:
        return tr("Platform");
    case PublishIdColumn:
        return tr("Publish ID");
    case StatusColumn:
        return tr("Status");
    case ModeColumn:
        return tr("Kind");
    case SourceColumn:
        return tr("Source");
    case CaptionColumn:
        return tr("Caption");
    case LikesColumn:
        return tr("Likes");
    case CommentsColumn:
        return tr("Comments");
    case ViewsColumn:
        return tr("Views");
    case ReachColumn:
        return tr("Reach");
    case ScoreColumn:
        return tr("Score");
    case UpvoteRatioColumn:
        return tr("Upvoted");
    case RepostsColumn:
        return tr("Reposts");
    case QuotesColumn:
        return tr("Quotes");
    case ProblemColumn:
        return tr("Problem");
    case LinkColumn:
        return tr("Post");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

} // namespace huntaze::ui
