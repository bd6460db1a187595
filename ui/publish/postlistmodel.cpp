#include "postlistmodel.h"

#include "activity/activitylistmodel.h"
#include "insights/insightsfigures.h"
#include "platforms/tiktok/tiktokerrors.h"
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
        const QJsonObject insights = InsightsFigures::parseStats(text(row, "insights"));
        m_figures.append({InsightsFigures::mediaMetric(insights, QStringLiteral("views")),
                          InsightsFigures::mediaMetric(insights, QStringLiteral("reach"))});
    }
}

bool PostListModel::isInstagram(int row) const {
    return text(row, "platform") == QLatin1String("instagram");
}

QString PostListModel::link(int row) const {
    return isInstagram(row) ? text(row, "permalink")
                            : postLink(text(row, "username"), text(row, "post_id"));
}

QVariant PostListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    const QString link = this->link(row);
    const bool instagram = isInstagram(row);
    if (role == LinkRole)
        return link.isEmpty() ? QUrl() : QUrl(link);
    if (role == Qt::ForegroundRole) {
        if (index.column() == StatusColumn && text(row, "status") == QLatin1String("FAILED"))
            return QBrush(problemColor());
        if (index.column() == LinkColumn && !link.isEmpty())
            return QBrush(QColor(0x06, 0x45, 0xad));
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        if (index.column() >= LikesColumn && index.column() <= ReachColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == ProblemColumn)
            return failReasonText(text(row, "fail_reason"));
        if (index.column() == CaptionColumn)
            return text(row, "caption");
        if (index.column() == LinkColumn && !link.isEmpty())
            return tr("Double-click to open the post in your browser.");
        if (index.column() == UpdatedColumn)
            return instagram ? tr("When it was posted") : tr("When TikTok last reported on it");
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
        return ActivityListModel::platformName(instagram ? QStringLiteral("instagram")
                                                         : QStringLiteral("tiktok"));
    case PublishIdColumn:
        return text(row, "publish_id");
    case StatusColumn:
        // Instagram media in ig_media is on Instagram: it was published.
        return instagram ? tr("Published") : statusText(text(row, "status"));
    case ModeColumn:
        return instagram
                   ? instagramKindText(text(row, "media_type"), text(row, "media_product_type"))
                   : modeText(text(row, "post_mode"));
    case SourceColumn:
        return sourceText(text(row, "source"));
    case CaptionColumn:
        return text(row, "caption").simplified();
    case LikesColumn:
        return number("like_count");
    case CommentsColumn:
        return number("comments_count");
    case ViewsColumn:
        return count(m_figures.value(row).views);
    case ReachColumn:
        return count(m_figures.value(row).reach);
    case ProblemColumn:
        return failReasonText(text(row, "fail_reason"));
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
