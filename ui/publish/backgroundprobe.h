#pragma once

#include "media/mediainfo.h"

#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace huntaze::ui {

// Reads a video file with libavformat on the thread pool, never on the GUI thread (a large
// file or a slow disk would freeze the window), and hands back what it found, or why it
// could not, on the GUI thread; nothing is handed back once `context` is gone. Callers
// that let the creator change the file meanwhile drop stale answers with a serial.
using ProbeDone = std::function<void(std::optional<media::MediaInfo> info, QString error)>;
void probeInBackground(QObject *context, const QString &path, ProbeDone done);

} // namespace huntaze::ui
