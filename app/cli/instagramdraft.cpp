#include "instagramdraft.h"

#include "media/mediaprobe.h"
#include "platforms/instagram/instagrammediarules.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QUrl>

namespace huntaze::cli {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("InstagramDraft", text);
}

Error cliError(const QString &code, const QString &message) {
    return Error{QStringLiteral("cli"), code, message, {}, 0, false, {}};
}

bool isPhotoUrl(const QString &text) {
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && url.scheme() == QLatin1String("https") && !url.host().isEmpty();
}

// An address (anything with a scheme) rather than a local file.
bool isAddress(const QString &text) {
    return text.contains(QLatin1String("://"));
}

bool isJpegName(const QString &path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg");
}

// A local JPEG checked as the window checks it (feed or story rules): its size, or the
// error to report.
Result<qint64> checkPhoto(const QString &path, bool story) {
    const instagram::ImageFacts facts = instagram::readImageFacts(path);
    if (!facts.error.isEmpty())
        return cliError(QStringLiteral("media_rejected"), facts.error);
    const QStringList problems =
        story ? instagram::checkStoryImage(facts) : instagram::checkFeedImage(facts);
    if (!problems.isEmpty())
        return cliError(QStringLiteral("media_rejected"), problems.join(QLatin1Char(' ')));
    return facts.bytes;
}

// A local photo as the draft's own source: hosted by the relay when the post goes out.
Result<jobs::PublicationDraft> withPhotoFile(jobs::PublicationDraft draft, const QString &path,
                                             bool story) {
    const auto size = checkPhoto(path, story);
    if (!size)
        return size.error();
    draft.filePath = QFileInfo(path).absoluteFilePath();
    draft.fileSize = *size;
    draft.options.insert(QStringLiteral("source_type"), QStringLiteral("image"));
    return draft;
}

// A local video checked against the kind's limits: its size, or the error to report.
Result<qint64> checkVideo(const QString &path, bool story) {
    const auto info = media::probeMedia(path);
    if (!info)
        return cliError(QStringLiteral("media_rejected"), info.error().message);
    const QStringList problems =
        story ? instagram::checkStoryVideo(*info) : instagram::checkReelVideo(*info);
    if (!problems.isEmpty())
        return cliError(QStringLiteral("media_rejected"), problems.join(QLatin1Char(' ')));
    return info->sizeBytes;
}
} // namespace

Result<jobs::PublicationDraft> instagramDraftFrom(const InstagramRequest &request) {
    const auto kind = instagram::kindFromName(request.kind);
    if (!kind)
        return cliError(QStringLiteral("usage"),
                        tr("--kind is photo, reel, story or carousel for Instagram."));
    jobs::PublicationDraft draft;
    draft.kind = request.kind;
    draft.caption = request.caption;
    if (*kind != instagram::PostKind::Story) {
        const instagram::CaptionCheck caption = instagram::checkCaption(request.caption);
        if (!caption.problems.isEmpty())
            return cliError(QStringLiteral("usage"), caption.problems.join(QLatin1Char(' ')));
    } else if (!request.caption.isEmpty()) {
        return cliError(QStringLiteral("usage"), tr("Stories take no caption."));
    }
    for (const QString &photo : request.photos)
        if (isAddress(photo) && !isPhotoUrl(photo))
            return cliError(QStringLiteral("usage"),
                            tr("Instagram downloads photos itself: give a public https:// "
                               "address of a JPEG (%1).")
                                .arg(photo));
    switch (*kind) {
    case instagram::PostKind::Photo:
        if (request.photos.size() != 1 || !request.file.isEmpty() || !request.items.isEmpty())
            return cliError(QStringLiteral("usage"),
                            tr("A photo post takes one --photo (a URL or a local JPEG)."));
        if (!isAddress(request.photos.first()))
            return withPhotoFile(draft, request.photos.first(), false);
        draft.sourceUrl = request.photos.first();
        return draft;
    case instagram::PostKind::Reel:
    case instagram::PostKind::Story: {
        const bool story = *kind == instagram::PostKind::Story;
        const int sources = int(!request.file.isEmpty()) + int(request.photos.size());
        if (!request.items.isEmpty() || sources != 1 || (!story && request.file.isEmpty()))
            return cliError(QStringLiteral("usage"),
                            story ? tr("A story takes one --file VIDEO or one --photo (a URL or "
                                       "a local JPEG).")
                                  : tr("A reel takes one --file VIDEO."));
        if (!request.photos.isEmpty()) {
            if (!isAddress(request.photos.first()))
                return withPhotoFile(draft, request.photos.first(), true);
            draft.sourceUrl = request.photos.first();
            return draft;
        }
        const auto size = checkVideo(request.file, story);
        if (!size)
            return size.error();
        draft.filePath = QFileInfo(request.file).absoluteFilePath();
        draft.fileSize = *size;
        if (!story)
            draft.options.insert(QStringLiteral("share_to_feed"), request.shareToFeed);
        return draft;
    }
    case instagram::PostKind::Carousel:
        break;
    }
    if (!request.file.isEmpty() || !request.photos.isEmpty())
        return cliError(QStringLiteral("usage"),
                        tr("A carousel takes its items with --item (a photo URL, a local JPEG or "
                           "a video file), 2 to 10 of them."));
    if (const QStringList count = instagram::checkCarouselCount(int(request.items.size()));
        !count.isEmpty())
        return cliError(QStringLiteral("usage"), count.join(QLatin1Char(' ')));
    QJsonArray items;
    for (const QString &item : request.items) {
        if (item.startsWith(QLatin1String("https://"))) {
            if (!isPhotoUrl(item))
                return cliError(QStringLiteral("usage"), tr("Not a usable address: %1").arg(item));
            items.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("image")},
                                     {QStringLiteral("url"), item}});
            continue;
        }
        if (isJpegName(item)) {
            const auto size = checkPhoto(item, false);
            if (!size)
                return size.error();
            items.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("image")},
                                     {QStringLiteral("path"), QFileInfo(item).absoluteFilePath()},
                                     {QStringLiteral("bytes"), *size}});
            continue;
        }
        const auto size = checkVideo(item, false);
        if (!size)
            return size.error();
        items.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("video")},
                                 {QStringLiteral("path"), QFileInfo(item).absoluteFilePath()},
                                 {QStringLiteral("bytes"), *size}});
        draft.fileSize += *size;
    }
    draft.options.insert(QStringLiteral("items"), items);
    return draft;
}

} // namespace huntaze::cli
