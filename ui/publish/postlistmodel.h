#pragma once

#include "shell/queryrowsmodel.h"

#include <optional>

namespace huntaze::ui {

// The Posts page's rows: TikTok posts (tiktok_posts joined to oauth_accounts), Instagram
// media (ig_media with its account and latest insights), Reddit posts (reddit_posts: score,
// comments, upvote ratio, removal) and X posts (x_posts: public and private metrics), as
// PostsPage's query returns them (column -> text, "platform" telling which), in the
// creator's words.
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
        ScoreColumn,       // Reddit's score
        UpvoteRatioColumn, // Reddit's upvote ratio
        RepostsColumn,     // X's reposts
        QuotesColumn,      // X's quotes
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
    QString platform(int row) const; // tiktok (rows without one), instagram, reddit or x
    QString link(int row) const;
    QString statusOf(int row) const;
    QString kindOf(int row) const;
    QString captionOf(int row) const;
    QString problemOf(int row) const;

    // Figures kept in JSON (Instagram's insights, X's metrics), read once per refresh, not
    // per paint.
    struct Figures {
        std::optional<qint64> views; // X: impressions
        std::optional<qint64> reach;
        std::optional<qint64> likes; // X's; the other platforms have a column
        std::optional<qint64> comments;
        std::optional<qint64> reposts;
        std::optional<qint64> quotes;
        QString privateNote; // X's non-public figures, for the tooltip
    };
    QList<Figures> m_figures;
};

} // namespace huntaze::ui
