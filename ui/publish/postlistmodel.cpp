#include "postlistmodel.h"

#include "platforms/tiktok/tiktokerrors.h"
#include "shell/problemcolor.h"

#include <QBrush>
#include <QColor>
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

QVariant PostListModel::data(const QModelIndex &index, int role) const {
    if (!holdsRow(index))
        return {};
    const int row = index.row();
    const QString link = postLink(text(row, "username"), text(row, "post_id"));
    if (role == LinkRole)
        return link.isEmpty() ? QUrl() : QUrl(link);
    if (role == Qt::ForegroundRole) {
        if (index.column() == StatusColumn && text(row, "status") == QLatin1String("FAILED"))
            return QBrush(problemColor());
        if (index.column() == LinkColumn && !link.isEmpty())
            return QBrush(QColor(0x06, 0x45, 0xad));
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == ProblemColumn)
            return failReasonText(text(row, "fail_reason"));
        if (index.column() == LinkColumn && !link.isEmpty())
            return tr("Double-click to open the post in your browser.");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case AccountColumn: {
        const QString name = text(row, "display_name");
        return name.isEmpty() ? text(row, "username") : name;
    }
    case PublishIdColumn:
        return text(row, "publish_id");
    case StatusColumn:
        return statusText(text(row, "status"));
    case ModeColumn:
        return modeText(text(row, "post_mode"));
    case SourceColumn:
        return sourceText(text(row, "source"));
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
    case PublishIdColumn:
        return tr("Publish ID");
    case StatusColumn:
        return tr("Status");
    case ModeColumn:
        return tr("Mode");
    case SourceColumn:
        return tr("Source");
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
