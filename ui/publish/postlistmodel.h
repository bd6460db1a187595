#pragma once

#include "shell/queryrowsmodel.h"

#include <optional>

namespace huntaze::ui {

// The Posts page's rows: TikTok posts (tiktok_posts joined to oauth_accounts) and
// Instagram media (ig_media with its account and latest insights), as PostsPage's query
// returns them (column -> text, "platform" telling which), in the creator's words.
class PostListModel : public QueryRowsModel {
    Q_OBJECT
public:
    enum Column {
        AccountColumn,
        PlatformColumn,
        ModeColumn, // what kind of post: TikTok's mode, Instagram's reel/photo/carousel/...
        StatusColumn,
        CaptionColumn,
        LikesColumn,
        CommentsColumn,
        ViewsColumn,
        ReachColumn,
        LinkColumn,
        UpdatedColumn,
        SourceColumn,
        PublishIdColumn,
        ProblemColumn,
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
    // Reel, Story, Photo, Video or Carousel, from ig_media's media_type and
    // media_product_type (reels report VIDEO with REELS).
    static QString instagramKindText(const QString &mediaType, const QString &productType);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    QString columnTitle(int column) const override;
    void rowsReplaced() override;

private:
    bool isInstagram(int row) const;
    QString link(int row) const;

    // Views and reach from each row's insights, read once per refresh, not per paint.
    struct MediaFigures {
        std::optional<qint64> views;
        std::optional<qint64> reach;
    };
    QList<MediaFigures> m_figures;
};

} // namespace huntaze::ui
