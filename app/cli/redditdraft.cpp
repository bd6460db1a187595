#include "redditdraft.h"

#include "media/mediaprobe.h"
#include "platforms/reddit/redditmedialease.h"
#include "platforms/reddit/redditsubmission.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonObject>
#include <QUrl>

namespace huntaze::cli {

namespace {
constexpr qint64 kMaxVideoMs = 15 * 60 * 1000; // Reddit's longest video post

QString tr(const char *text) {
    return QCoreApplication::translate("RedditDraft", text);
}

Error cliError(const QString &code, const QString &message) {
    return Error{QStringLiteral("cli"), code, message, {}, 0, false, {}};
}

bool isWebAddress(const QString &text) {
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    return url.isValid() &&
           (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http")) &&
           !url.host().isEmpty();
}

// The file's problem for Reddit, or nothing: a readable JPEG, PNG or GIF image, or an MP4 or
// MOV video Reddit takes.
std::optional<Error> fileProblem(const QString &path, bool video) {
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable() || info.size() == 0)
        return cliError(QStringLiteral("media_rejected"),
                        tr("%1 cannot be read, or is empty: check the path.").arg(path));
    const QString mime = reddit::RedditMediaLease::mimeTypeFor(path);
    if (mime.isEmpty() || reddit::RedditMediaLease::isVideo(mime) != video)
        return cliError(QStringLiteral("media_rejected"),
                        video ? tr("Reddit takes MP4 and MOV videos: %1 is not one. Export it as "
                                   "MP4, or post an image with --kind image.")
                                    .arg(info.fileName())
                              : tr("Reddit takes JPEG, PNG and GIF images: %1 is not one. "
                                   "Convert it, or post a video with --kind video.")
                                    .arg(info.fileName()));
    if (!video) {
        // The name says image: the bytes must agree, or the upload is refused later.
        const QByteArray format = QImageReader::imageFormat(path);
        if (format != "jpeg" && format != "png" && format != "gif")
            return cliError(QStringLiteral("media_rejected"),
                            tr("%1 is not a JPEG, PNG or GIF image Huntaze can read. Convert it, "
                               "then post again.")
                                .arg(info.fileName()));
        return std::nullopt;
    }
    const auto probed = media::probeMedia(path);
    if (!probed)
        return cliError(QStringLiteral("media_rejected"), probed.error().message);
    if (!probed->hasVideo)
        return cliError(QStringLiteral("media_rejected"),
                        tr("%1 holds no video Huntaze can read. Choose an MP4 or MOV video.")
                            .arg(info.fileName()));
    if (probed->durationMs > kMaxVideoMs)
        return cliError(
            QStringLiteral("media_rejected"),
            tr("Reddit takes videos of up to 15 minutes: trim %1.").arg(info.fileName()));
    return std::nullopt;
}
} // namespace

Result<jobs::PublicationDraft> redditDraftFrom(const RedditRequest &request) {
    using reddit::PostKind;
    const QString &kind = request.kind;
    const bool media = kind == QLatin1String("image") || kind == QLatin1String("video");
    if (kind != QLatin1String("self") && kind != QLatin1String("link") && !media)
        return cliError(QStringLiteral("usage"),
                        tr("--kind is self, link, image or video for Reddit."));
    if (kind != QLatin1String("self") && !request.text.isEmpty())
        return cliError(QStringLiteral("usage"),
                        tr("--text is the body of a text post (--kind self); a %1 post has "
                           "none. Leave --text out, or post it as text.")
                            .arg(kind));
    if (kind != QLatin1String("link") && !request.url.isEmpty())
        return cliError(QStringLiteral("usage"), tr("--url is for link posts (--kind link)."));
    if (!media && !request.file.isEmpty())
        return cliError(QStringLiteral("usage"),
                        tr("--file is for image and video posts (--kind image or video)."));
    if (media && request.file.isEmpty())
        return cliError(QStringLiteral("usage"), kind == QLatin1String("video")
                                                     ? tr("A video post takes --file VIDEO.")
                                                     : tr("An image post takes --file IMAGE."));

    reddit::Submission submission;
    submission.subreddit = request.subreddit;
    submission.title = request.title;
    submission.text = request.text;
    submission.kind = kind == QLatin1String("link")    ? PostKind::Link
                      : kind == QLatin1String("image") ? PostKind::Image
                      : kind == QLatin1String("video") ? PostKind::Video
                                                       : PostKind::Self;
    // The media's URL and a video's poster exist only once the job uploaded them: the file
    // is checked below instead, so Reddit's own check sees them as given.
    submission.url = media ? QStringLiteral("https://upload.invalid/file") : request.url;
    submission.videoPosterUrl = QStringLiteral("https://upload.invalid/poster");
    if (const auto problem = reddit::RedditSubmission::check(submission))
        return cliError(QStringLiteral("usage"), problem->message);
    if (kind == QLatin1String("link") && !isWebAddress(request.url))
        return cliError(
            QStringLiteral("usage"),
            tr("A link post links to a web page: give an https:// address (%1).").arg(request.url));

    jobs::PublicationDraft draft;
    draft.kind = kind;
    draft.kindByProvider.insert(QStringLiteral("reddit"), kind);
    draft.caption = request.text;
    if (kind == QLatin1String("link"))
        draft.sourceUrl = request.url.trimmed();
    if (media) {
        if (const auto problem = fileProblem(request.file, kind == QLatin1String("video")))
            return *problem;
        draft.filePath = QFileInfo(request.file).absoluteFilePath();
        draft.fileSize = QFileInfo(request.file).size();
    }
    draft.options.insert(
        QStringLiteral("reddit"),
        QJsonObject{{QStringLiteral("subreddit"),
                     reddit::RedditSubmission::normaliseSubreddit(request.subreddit)},
                    {QStringLiteral("title"), request.title.trimmed()},
                    {QStringLiteral("flair_id"), request.flairId},
                    {QStringLiteral("flair_text"), request.flairText},
                    {QStringLiteral("nsfw"), request.nsfw},
                    {QStringLiteral("spoiler"), request.spoiler}});
    return draft;
}

} // namespace huntaze::cli
