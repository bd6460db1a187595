#pragma once

#include "base/result.h"
#include "jobs/publicationdraft.h"

#include <QList>
#include <QString>

#include <optional>

namespace huntaze::cli {

// What one --kind means on a platform when one command posts to several: a video is a
// "reel" on Instagram, a text post is "self" on Reddit and "text" on X, photos are "image"
// on Reddit and "images" on X. Nothing when the platform has no such post (a link on X,
// a text post on TikTok or Instagram).
std::optional<QString> kindForProvider(const QString &provider, const QString &kind);

// One platform's part of a command, built and checked by that platform's draft builder,
// its accounts already added.
struct ProviderDraft {
    QString provider;
    jobs::PublicationDraft draft;
};

// The parts as one draft, so every target is queued together (one row each, each with its
// own progress, status and error): accounts in order, each platform's kind in
// kindByProvider, options merged (each platform reads its own keys; a key two parts share
// keeps the first part's value, as the window does for the link's username). The parts
// must agree on what is shared by every row: one text, one file, one URL; otherwise a
// "usage" error says which.
Result<jobs::PublicationDraft> combineDrafts(const QList<ProviderDraft> &parts);

} // namespace huntaze::cli
