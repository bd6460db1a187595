#include "xdraft.h"

#include "media/mediaprobe.h"
#include "platforms/x/xmediarules.h"
#include "platforms/x/xpostrequest.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace huntaze::cli {

namespace {
constexpr int kMaxImages = 4;

QString tr(const char *text) {
    return QCoreApplication::translate("XDraft", text);
}

Error cliError(const QString &code, const QString &message) {
    return Error{QStringLiteral("cli"), code, message, {}, 0, false, {}};
}

// A file described and checked against X's limits for the category the kind wants.
Result<x::MediaFile> checkedFile(const QString &path, x::MediaCategory wanted) {
    Result<x::MediaFile> file = x::describeMediaFile(path);
    if (!file) {
        Error error = file.error();
        error.message = tr("%1: %2").arg(QFileInfo(path).fileName(), error.message);
        return error;
    }
    if (file->category != wanted)
        return cliError(QStringLiteral("media_rejected"),
                        tr("%1 is not %2. Choose a file of that kind, or another --kind.")
                            .arg(QFileInfo(path).fileName(), wanted == x::MediaCategory::Image
                                                                 ? tr("a photo (JPEG, PNG or WebP)")
                                                             : wanted == x::MediaCategory::Gif
                                                                 ? tr("a GIF")
                                                                 : tr("an MP4 or MOV video")));
    if (wanted == x::MediaCategory::Video) {
        const auto probed = media::probeMedia(path);
        if (!probed)
            return cliError(QStringLiteral("media_rejected"), probed.error().message);
        if (const QStringList problems = x::checkVideo(*probed); !problems.isEmpty())
            return cliError(QStringLiteral("media_rejected"), problems.join(QLatin1Char(' ')));
    }
    return file;
}
} // namespace

Result<jobs::PublicationDraft> xDraftFrom(const XRequest &request) {
    const QString &kind = request.kind;
    const bool images = kind == QLatin1String("images");
    const bool single = kind == QLatin1String("gif") || kind == QLatin1String("video");
    if (kind != QLatin1String("text") && !images && !single)
        return cliError(QStringLiteral("usage"), tr("--kind is text, images, gif or video for X."));
    if (!images && !request.images.isEmpty())
        return cliError(QStringLiteral("usage"), tr("--image is for photo posts (--kind images)."));
    if (!single && !request.file.isEmpty())
        return cliError(QStringLiteral("usage"),
                        images ? tr("Give an X post's photos with --image (up to 4), not --file.")
                               : tr("--file is for a GIF or a video (--kind gif or video)."));
    if (images && (request.images.isEmpty() || request.images.size() > kMaxImages))
        return cliError(QStringLiteral("usage"),
                        tr("An X post takes 1 to 4 photos (--image, repeated); this one has %1.")
                            .arg(request.images.size()));
    if (single && request.file.isEmpty())
        return cliError(QStringLiteral("usage"), kind == QLatin1String("gif")
                                                     ? tr("A GIF post takes --file GIF.")
                                                     : tr("A video post takes --file VIDEO."));

    // X's own post rules, with stand-in ids for the media still to upload.
    x::PostRequest post;
    post.text = request.text;
    const qsizetype mediaCount = images ? request.images.size() : single ? 1 : 0;
    for (qsizetype i = 0; i < mediaCount; ++i)
        post.mediaIds.append(QStringLiteral("1"));
    if (const auto body = x::postJson(post); !body)
        return cliError(QStringLiteral("usage"), body.error().message);

    jobs::PublicationDraft draft;
    draft.kind = kind;
    draft.kindByProvider.insert(QStringLiteral("x"), kind);
    draft.caption = request.text;
    if (single) {
        const auto file =
            checkedFile(request.file, kind == QLatin1String("gif") ? x::MediaCategory::Gif
                                                                   : x::MediaCategory::Video);
        if (!file)
            return file.error();
        draft.filePath = QFileInfo(request.file).absoluteFilePath();
        draft.fileSize = file->size;
    }
    if (images) {
        QJsonArray paths;
        for (const QString &image : request.images) {
            const auto file = checkedFile(image, x::MediaCategory::Image);
            if (!file)
                return file.error();
            paths.append(QFileInfo(image).absoluteFilePath());
            draft.fileSize += file->size;
        }
        draft.options.insert(QStringLiteral("x"), QJsonObject{{QStringLiteral("images"), paths}});
    }
    return draft;
}

} // namespace huntaze::cli
