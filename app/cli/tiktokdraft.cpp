#include "tiktokdraft.h"

#include "media/mediaprobe.h"
#include "platforms/tiktok/tiktokvideorules.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

namespace huntaze::cli {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("huntaze-cli", text);
}

Error usage(const QString &message) {
    return Error{QStringLiteral("cli"), QStringLiteral("usage"), message, {}, 0, false, {}};
}
} // namespace

Result<jobs::PublicationDraft> tiktokDraftFrom(const TikTokRequest &request) {
    const QStringList &photos = request.photos;
    if (int(!request.file.isEmpty()) + int(!request.url.isEmpty()) + int(!photos.isEmpty()) != 1)
        return usage(tr("A TikTok post takes one of --file VIDEO, --url URL or --photo URL..."));
    if (photos.size() > 35)
        return usage(tr("A photo post holds at most 35 photos."));
    for (const QString &photo : photos)
        if (!photo.startsWith(QLatin1String("https://")))
            return usage(tr("TikTok pulls photos over https only: %1").arg(photo));
    if (request.title.size() > 90)
        return usage(tr("A photo post's title is at most 90 characters."));
    if (request.mode != QLatin1String("inbox") && request.mode != QLatin1String("direct"))
        return usage(tr("--mode is inbox or direct."));
    if (!request.url.isEmpty() && !request.url.startsWith(QLatin1String("https://")))
        return usage(tr("TikTok pulls videos over https only."));
    const int captionLimit = photos.isEmpty() ? 2200 : 4000; // a photo's is its description
    if (request.caption.size() > captionLimit)
        return usage(tr("The caption is %1 characters; TikTok allows %2.")
                         .arg(request.caption.size())
                         .arg(captionLimit));

    const bool direct = request.mode == QLatin1String("direct");
    jobs::PublicationDraft draft;
    draft.options.insert(QStringLiteral("mode"), request.mode);
    if (!photos.isEmpty()) {
        draft.kind = QStringLiteral("photo");
        draft.options.insert(QStringLiteral("photo_urls"), QJsonArray::fromStringList(photos));
        draft.options.insert(QStringLiteral("photo_cover_index"), 0);
        draft.options.insert(QStringLiteral("title"), request.title);
    }
    draft.kindByProvider.insert(QStringLiteral("tiktok"), draft.kind);
    if (!request.file.isEmpty()) {
        // The same local checks as the window, before anything is sent.
        const auto info = media::probeMedia(request.file);
        if (!info)
            return info.error();
        const auto check = tiktok::checkVideo(
            *info, direct ? tiktok::PostMode::Direct : tiktok::PostMode::Inbox, std::nullopt);
        if (!check.ok())
            return Error{QStringLiteral("media"),
                         QStringLiteral("media_rejected"),
                         check.problems.join(QLatin1Char(' ')),
                         {},
                         0,
                         false,
                         {}};
        draft.options.insert(QStringLiteral("content_type"), info->uploadContentType);
        draft.options.insert(QStringLiteral("duration_ms"), info->durationMs);
        draft.filePath = QFileInfo(request.file).absoluteFilePath();
        draft.fileSize = QFileInfo(request.file).size();
    }
    if (direct)
        draft.options.insert(QStringLiteral("privacy_level"), request.privacy);
    draft.sourceUrl = request.url;
    draft.caption = request.caption;
    return draft;
}

} // namespace huntaze::cli
