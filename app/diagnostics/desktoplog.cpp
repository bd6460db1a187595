#include "desktoplog.h"

#include "log/logger.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <cstdio>
#include <memory>

namespace huntaze::app {

QString DesktopLog::defaultFilePath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath(QStringLiteral("logs/huntaze.log"));
}

bool DesktopLog::install(const QString &path, qint64 maxBytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto file = std::make_shared<QFile>(path);
    if (!file->open(QIODevice::Append | QIODevice::Text)) {
        std::fprintf(stderr, "huntaze: cannot write the log file %s\n", qPrintable(path));
        return false;
    }
    // The Logger calls its sink under its own lock: lines never interleave, and the
    // rotation below never races another line.
    log::Logger::instance().setSink([file, path, maxBytes](const QByteArray &line) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        std::fflush(stderr);
        if (file->size() + line.size() > maxBytes) {
            file->close();
            QFile::remove(path + QStringLiteral(".1"));
            QFile::rename(path, path + QStringLiteral(".1"));
            if (!file->open(QIODevice::Append | QIODevice::Text))
                return;
        }
        file->write(line);
        file->flush();
    });
    return true;
}

QStringList DesktopLog::files(const QString &path) {
    QStringList found;
    for (const QString &candidate : QStringList{path + QStringLiteral(".1"), path})
        if (QFileInfo::exists(candidate))
            found.append(candidate);
    return found;
}

} // namespace huntaze::app
