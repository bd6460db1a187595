#pragma once

#include "shell/queryrowsmodel.h"

namespace huntaze::ui {

// The Posts page's rows: TikTok posts (tiktok_posts joined to oauth_accounts) as
// PostsPage's query returns them (column -> text), in the creator's words.
class PostListModel : public QueryRowsModel {
    Q_OBJECT
public:
    enum Column {
        AccountColumn,
        PublishIdColumn,
        StatusColumn,
        ModeColumn,
        SourceColumn,
        ProblemColumn,
        LinkColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role { LinkRole = Qt::UserRole + 1 }; // QUrl of the post, or invalid

    explicit PostListModel(QObject *parent = nullptr);

    // "Uploading to TikTok", "In TikTok inbox", "Published", "Failed", ...
    static QString statusText(const QString &status);
    static QString modeText(const QString &postMode);
    static QString sourceText(const QString &source);
    // A fail_reason as a sentence: what happened and what to do (empty when none).
    static QString failReasonText(const QString &failReason);
    // https://www.tiktok.com/@USERNAME/video/POST_ID (empty without a post id or username).
    static QString postLink(const QString &username, const QString &postId);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    QString columnTitle(int column) const override;
};

} // namespace huntaze::ui
