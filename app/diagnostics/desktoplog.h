#pragma once

#include <QString>
#include <QStringList>

namespace huntaze::app {

// Where the desktop's log lines go besides stderr: a file in the app's data folder, so a
// diagnostics export can include recent ones. The lines are the Logger's (already
// redacted). The file is rotated before it passes maxBytes: the previous one is kept as
// "<file>.1", so at most twice that stays on disk.
class DesktopLog {
public:
    static constexpr qint64 kMaxBytes = 2 * 1024 * 1024;

    // e.g. ~/.local/share/huntaze/logs/huntaze.log
    static QString defaultFilePath();
    // From now on every log line is written to stderr and appended to `path`. Returns
    // false (lines still go to stderr) when the file cannot be opened.
    static bool install(const QString &path, qint64 maxBytes = kMaxBytes);
    // The log files of `path` that exist, oldest first ("<path>.1", then `path`).
    static QStringList files(const QString &path);
};

} // namespace huntaze::app
