#include "publishtargets.h"

#include "instagramdraft.h"
#include "multidraft.h"
#include "redditdraft.h"
#include "tiktokdraft.h"
#include "xdraft.h"

#include <QCoreApplication>

#include <algorithm>

namespace huntaze::cli {

namespace {
const QStringList kProviders{QStringLiteral("tiktok"), QStringLiteral("instagram"),
                             QStringLiteral("reddit"), QStringLiteral("x")};

QString tr(const char *text) {
    return QCoreApplication::translate("huntaze-cli", text);
}

Error cliError(const QString &code, const QString &message) {
    return Error{QStringLiteral("cli"), code, message, {}, 0, false, {}};
}

QString platformName(const QString &provider) {
    if (provider == QLatin1String("tiktok"))
        return QStringLiteral("TikTok");
    if (provider == QLatin1String("instagram"))
        return QStringLiteral("Instagram");
    if (provider == QLatin1String("reddit"))
        return QStringLiteral("Reddit");
    return QStringLiteral("X");
}

// One platform's part: its builder's checks, its kind, its accounts. `alone` when it is the
// command's only platform (then a flag it has no use for is an error, not another's).
Result<jobs::PublicationDraft> partFor(const QString &provider, const QList<Target> &targets,
                                       const QString &kind, const PublishFlags &flags, bool alone) {
    Result<jobs::PublicationDraft> draft = cliError(QStringLiteral("usage"), QString());
    if (provider == QLatin1String("tiktok")) {
        TikTokRequest request;
        // TikTok takes photos by URL only: a local file is the video.
        request.file = kind == QLatin1String("video") ? flags.file : QString();
        request.url =
            flags.file.isEmpty() && kind == QLatin1String("video") ? flags.url : QString();
        request.photos = kind == QLatin1String("photo") ? flags.photos : QStringList();
        request.title = flags.title;
        request.mode = flags.mode;
        request.privacy = flags.privacy;
        request.caption = flags.words;
        draft = tiktokDraftFrom(request);
        if (draft && targets.size() == 1) // TikTok builds the post's link from it
            draft->options.insert(QStringLiteral("username"), targets.first().username);
    } else if (provider == QLatin1String("instagram")) {
        if (targets.size() > 1)
            return cliError(QStringLiteral("usage"),
                            tr("One command posts to one Instagram account; run it once per "
                               "Instagram account."));
        InstagramRequest request;
        request.kind = kind;
        request.caption = kind == QLatin1String("story") ? QString() : flags.words;
        request.items = flags.items;
        request.shareToFeed = flags.shareToFeed;
        request.photos = flags.photos;
        if (kind == QLatin1String("photo") && request.photos.isEmpty()) {
            // A local JPEG given as the post's file or its one image.
            if (!flags.file.isEmpty())
                request.photos = {flags.file};
            else if (flags.images.size() == 1)
                request.photos = flags.images;
        } else if (kind != QLatin1String("photo") && kind != QLatin1String("carousel")) {
            request.file = flags.file;
        }
        draft = instagramDraftFrom(request);
        if (draft) {
            draft->options.insert(QStringLiteral("ig_business_id"), targets.first().igBusinessId);
            draft->options.insert(QStringLiteral("username"), targets.first().username);
        }
    } else if (provider == QLatin1String("reddit")) {
        RedditRequest request;
        request.kind = kind;
        request.subreddit = flags.subreddit;
        request.title = flags.title;
        // The words are a text post's body; with other platforms they are theirs.
        if (kind == QLatin1String("self") || alone)
            request.text = flags.words;
        if (kind == QLatin1String("link") || alone)
            request.url = flags.url;
        if (kind == QLatin1String("image") || kind == QLatin1String("video") || alone)
            request.file = flags.file;
        if (kind == QLatin1String("image") && request.file.isEmpty() && flags.images.size() == 1)
            request.file = flags.images.first();
        request.flairId = flags.flairId;
        request.flairText = flags.flairText;
        request.nsfw = flags.nsfw;
        request.spoiler = flags.spoiler;
        draft = redditDraftFrom(request);
    } else {
        XRequest request;
        request.kind = kind;
        request.text = flags.words;
        if (kind == QLatin1String("images"))
            // The photo given to every platform when no --image names X's own.
            request.images = flags.images.isEmpty() && !flags.file.isEmpty()
                                 ? QStringList{flags.file}
                                 : flags.images;
        else
            request.file = flags.file;
        if (alone && kind != QLatin1String("images"))
            request.images = flags.images; // so X says what is wrong with them
        draft = xDraftFrom(request);
    }
    if (!draft)
        return draft.error();
    for (const Target &target : targets)
        draft->accountIds.append(target.id);
    return draft;
}
} // namespace

Result<QList<Target>> matchTargets(const QList<QJsonObject> &rows, const QStringList &names) {
    QList<Target> targets;
    for (const QString &wanted : names) {
        QString provider;
        QString name = wanted;
        const qsizetype colon = wanted.indexOf(QLatin1Char(':'));
        if (colon > 0 && kProviders.contains(wanted.left(colon))) {
            provider = wanted.left(colon);
            name = wanted.mid(colon + 1);
        }
        if (name.startsWith(QLatin1Char('@')))
            name = name.mid(1);
        QList<Target> found;
        for (const QJsonObject &row : rows) {
            const auto field = [&row](const char *column) {
                return row.value(QLatin1String(column)).toString();
            };
            if (!provider.isEmpty() && field("provider") != provider)
                continue;
            if (name.isEmpty() || (field("username").compare(name, Qt::CaseInsensitive) != 0 &&
                                   field("display_name") != name && field("id") != name &&
                                   field("ig_business_id") != name))
                continue;
            found.append({field("provider"), field("id").toLongLong(), field("username"),
                          field("ig_business_id")});
        }
        if (found.isEmpty())
            return cliError(QStringLiteral("no_such_account"),
                            tr("No account named %1 (see huntaze accounts).").arg(wanted));
        if (found.size() > 1)
            return cliError(QStringLiteral("usage"),
                            tr("%1 names more than one account: write it as PLATFORM:NAME "
                               "(tiktok:, instagram:, reddit: or x:), or give the account's id.")
                                .arg(wanted));
        const Target &target = found.first();
        const bool twice = std::any_of(targets.cbegin(), targets.cend(), [&](const Target &t) {
            return t.id == target.id && t.igBusinessId == target.igBusinessId;
        });
        if (!twice)
            targets.append(target);
    }
    return targets;
}

Result<jobs::PublicationDraft> draftForTargets(const QList<Target> &targets,
                                               const PublishFlags &flags) {
    QStringList providers; // in a fixed order, so rows and results come out the same way
    for (const QString &provider : kProviders)
        if (std::any_of(targets.cbegin(), targets.cend(),
                        [&](const Target &t) { return t.provider == provider; }))
            providers.append(provider);
    QList<ProviderDraft> parts;
    for (const QString &provider : std::as_const(providers)) {
        const auto kind = kindForProvider(provider, flags.kind);
        if (!kind)
            return cliError(QStringLiteral("usage"),
                            tr("%1 has no \"%2\" posts: choose another --kind, or leave the %1 "
                               "account out.")
                                .arg(platformName(provider), flags.kind));
        QList<Target> mine;
        for (const Target &target : targets)
            if (target.provider == provider)
                mine.append(target);
        auto part = partFor(provider, mine, *kind, flags, providers.size() == 1);
        if (!part) {
            Error error = part.error();
            if (providers.size() > 1) // say which platform refused it
                error.message = tr("%1: %2").arg(platformName(provider), error.message);
            return error;
        }
        parts.append({provider, *part});
    }
    return combineDrafts(parts);
}

} // namespace huntaze::cli
