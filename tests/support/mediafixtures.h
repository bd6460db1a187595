#pragma once

#include <QByteArray>
#include <QString>

namespace huntaze::test {

// A real H.264 MP4 made by ffmpeg (Debian package ffmpeg) from a test pattern; with
// noise, every frame is incompressible and a few seconds make hundreds of MB. Empty on
// failure (with a warning naming the package).
QString makeTestVideo(const QString &path, int seconds, bool noise,
                      const QString &size = QStringLiteral("640x360"), int fps = 30);
// A small animated GIF made by ffmpeg from a test pattern (160x120, 10 fps). Empty on
// failure (with a warning naming the package).
QString makeTestGif(const QString &path, int seconds = 1);
// The file's SHA-256 as lowercase hex.
QByteArray fileSha256(const QString &path);

} // namespace huntaze::test
