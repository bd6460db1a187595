#pragma once

#include <QString>
#include <QStringList>

class QDropEvent;

namespace huntaze::ui {

// How a publish page takes a file from the creator, dropped or picked, and tells what it
// is from its bytes rather than its name. Every tab does this the same way, so the rules
// (one local file, a renamed image still an image) live here once.

// Accepts a drag or a drop that carries exactly one local file and returns its path;
// ignores any other and returns an empty path. Works for QDragEnterEvent too.
QString acceptDroppedFile(QDropEvent *event);

// The same for one or more local files (X takes up to 4 photos at once).
QStringList acceptDroppedFiles(QDropEvent *event);

// The image format the file's first bytes show (never its name): "jpeg", "png", "gif", ...
// as QImageReader names them; empty when the file is not an image Qt can read.
QString imageFormatOf(const QString &path);

// Empty when `path` is a file Huntaze can read; otherwise what to tell the creator.
QString unreadableFileProblem(const QString &path);

} // namespace huntaze::ui
