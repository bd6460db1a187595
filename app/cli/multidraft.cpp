#include "multidraft.h"

#include <QCoreApplication>

namespace huntaze::cli {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("MultiDraft", text);
}

Error usage(const QString &message) {
    return Error{QStringLiteral("cli"), QStringLiteral("usage"), message, {}, 0, false, {}};
}

// The one value the non-empty ones agree on, or nothing when two differ.
std::optional<QString> shared(const QStringList &values) {
    QString agreed;
    for (const QString &value : values) {
        if (value.isEmpty())
            continue;
        if (!agreed.isEmpty() && value != agreed)
            return std::nullopt;
        agreed = value;
    }
    return agreed;
}
} // namespace

std::optional<QString> kindForProvider(const QString &provider, const QString &kind) {
    const bool video = kind == QLatin1String("video") || kind == QLatin1String("reel");
    const bool photo = kind == QLatin1String("image") || kind == QLatin1String("images") ||
                       kind == QLatin1String("photo");
    const bool text = kind == QLatin1String("self") || kind == QLatin1String("text");
    if (provider == QLatin1String("tiktok")) {
        if (video)
            return QStringLiteral("video");
        if (photo)
            return QStringLiteral("photo");
    } else if (provider == QLatin1String("instagram")) {
        if (video)
            return QStringLiteral("reel");
        if (photo)
            return QStringLiteral("photo");
        if (kind == QLatin1String("story") || kind == QLatin1String("carousel"))
            return kind;
    } else if (provider == QLatin1String("reddit")) {
        if (video)
            return QStringLiteral("video");
        if (photo || kind == QLatin1String("gif"))
            return QStringLiteral("image");
        if (text)
            return QStringLiteral("self");
        if (kind == QLatin1String("link"))
            return kind;
    } else if (provider == QLatin1String("x")) {
        if (video)
            return QStringLiteral("video");
        if (photo)
            return QStringLiteral("images");
        if (text)
            return QStringLiteral("text");
        if (kind == QLatin1String("gif"))
            return kind;
    }
    return std::nullopt;
}

Result<jobs::PublicationDraft> combineDrafts(const QList<ProviderDraft> &parts) {
    if (parts.isEmpty())
        return usage(tr("Name at least one account with --account."));
    QStringList captions;
    QStringList files;
    QStringList urls;
    for (const ProviderDraft &part : parts) {
        captions << part.draft.caption;
        files << part.draft.filePath;
        urls << part.draft.sourceUrl;
    }
    const auto caption = shared(captions);
    if (!caption)
        return usage(tr("One post to several platforms has one text: give it once, with --text "
                        "(or --caption)."));
    const auto file = shared(files);
    if (!file)
        return usage(tr("One post to several platforms carries one file: give one --file."));
    const auto url = shared(urls);
    if (!url)
        return usage(tr("One post to several platforms carries one address: give one --url."));

    jobs::PublicationDraft draft;
    draft.kind = parts.first().draft.kind;
    draft.caption = *caption;
    draft.filePath = *file;
    draft.sourceUrl = *url;
    for (const ProviderDraft &part : parts) {
        draft.accountIds += part.draft.accountIds;
        draft.kindByProvider.insert(
            part.provider, part.draft.kindByProvider.value(part.provider, part.draft.kind));
        draft.fileSize = std::max(draft.fileSize, part.draft.fileSize);
        for (auto it = part.draft.options.begin(); it != part.draft.options.end(); ++it)
            if (!draft.options.contains(it.key()))
                draft.options.insert(it.key(), it.value());
    }
    return draft;
}

} // namespace huntaze::cli
