#include "filedrop.h"

#include <QCoreApplication>
#include <QDropEvent>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeData>
#include <QUrl>

namespace huntaze::ui {

namespace {
QStringList localFiles(const QMimeData *mime) {
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    return paths;
}
} // namespace

QString acceptDroppedFile(QDropEvent *event) {
    const QMimeData *mime = event->mimeData();
    // A drop of several files, or of a web address, is refused rather than half-taken.
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 ||
        !mime->urls().first().isLocalFile()) {
        event->ignore();
        return {};
    }
    event->acceptProposedAction();
    return mime->urls().first().toLocalFile();
}

QStringList acceptDroppedFiles(QDropEvent *event) {
    const QStringList paths = localFiles(event->mimeData());
    if (paths.isEmpty())
        event->ignore();
    else
        event->acceptProposedAction();
    return paths;
}

QString imageFormatOf(const QString &path) {
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    return reader.canRead() ? QString::fromLatin1(reader.format()).toLower() : QString();
}

QString unreadableFileProblem(const QString &path) {
    const QFileInfo file(path);
    if (file.isFile() && file.isReadable())
        return {};
    return QCoreApplication::translate("huntaze::ui::FileDrop",
                                       "Huntaze cannot read \"%1\": it may have been moved or "
                                       "deleted. Choose it again.")
        .arg(file.fileName());
}

} // namespace huntaze::ui
