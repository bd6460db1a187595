#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace huntaze::cli {

// An account as `--account` names it ("name", "@name", its id, or "provider:name" when the
// name is taken on two platforms), with what its platform's draft needs.
struct Target {
    QString provider;
    qint64 id = 0;
    QString username;
    QString igBusinessId; // Instagram: the professional account chosen under the login
};

// The accounts the names mean, in the order given (each once), from account rows {id,
// provider, display_name, username, ig_business_id}: a username (any case, with or without
// @), a display name, an id or an Instagram business id. Errors: "no_such_account", or
// "usage" for a name that fits accounts on two platforms (write PLATFORM:NAME).
Result<QList<Target>> matchTargets(const QList<QJsonObject> &rows, const QStringList &names);

// What `huntaze publish` was given, shared by every platform's part of the post.
struct PublishFlags {
    QString kind;  // one --kind for all (kindForProvider says what it is on each)
    QString words; // --text or --caption: the text, body or caption
    QString file;
    QString url;
    QStringList photos; // --photo: TikTok and Instagram photo URLs
    QStringList images; // --image: X's photos
    QStringList items;  // --item: Instagram carousel items
    QString title;
    QString mode = QStringLiteral("inbox");
    QString privacy = QStringLiteral("SELF_ONLY");
    QString subreddit;
    QString flairId;
    QString flairText;
    bool nsfw = false;
    bool spoiler = false;
    bool shareToFeed = true;
};

// One draft for every target (tiktokdraft.h, instagramdraft.h, redditdraft.h, xdraft.h
// check each platform's part; multidraft.h joins them), or the first refusal: code "usage"
// for what was asked wrongly, another code for a file a platform would refuse. With
// several platforms the message names the one that refused.
Result<jobs::PublicationDraft> draftForTargets(const QList<Target> &targets,
                                               const PublishFlags &flags);

} // namespace huntaze::cli
