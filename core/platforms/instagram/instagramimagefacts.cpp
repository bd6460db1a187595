// readImageFacts (declared in instagrammediarules.h) on its own: it is the one piece of
// huntaze-core that needs QtGui (QImageReader), and alone in its object file the relay,
// which never calls it, links without QtGui.
#include "instagrammediarules.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImageIOHandler>
#include <QImageReader>
#include <QLocale>

namespace huntaze::instagram {

namespace {
constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kMaxImageBytes = 8 * kMiB;
// No photo Instagram accepts comes near this; bigger files are refused unread, so a huge
// file cannot make Huntaze read much of it.
constexpr qint64 kMaxReadableImageBytes = 64 * kMiB;

QString tr(const char *text) {
    return QCoreApplication::translate("InstagramMediaRules", text);
}
} // namespace

ImageFacts readImageFacts(const QString &path) {
    ImageFacts facts;
    const QFileInfo file(path);
    const QString name = file.fileName().isEmpty() ? path : file.fileName();
    if (path.isEmpty() || !file.exists()) {
        facts.error = tr("The file \"%1\" does not exist. It may have been moved, renamed or "
                         "deleted; choose it again.")
                          .arg(name);
        return facts;
    }
    if (!file.isFile()) {
        facts.error = tr("\"%1\" is not an ordinary file. Choose a JPEG photo.").arg(name);
        return facts;
    }
    facts.bytes = file.size();
    if (facts.bytes > kMaxReadableImageBytes) {
        const QLocale locale;
        const QString actual =
            locale.formattedDataSize(facts.bytes, 1, QLocale::DataSizeTraditionalFormat);
        const QString allowed =
            locale.formattedDataSize(kMaxImageBytes, 0, QLocale::DataSizeTraditionalFormat);
        facts.error = tr("The file \"%1\" is %2, far more than the %3 Instagram accepts for a "
                         "photo. Choose a smaller JPEG.")
                          .arg(name, actual, allowed);
        return facts;
    }
    // The header only: format and size come without decoding the picture.
    QImageReader reader(file.absoluteFilePath());
    reader.setDecideFormatFromContent(true);
    const QSize stored = reader.size();
    if (!reader.canRead() || !stored.isValid() || stored.isEmpty()) {
        facts.error = tr("\"%1\" is not a picture Huntaze can read: it may be damaged or in an "
                         "unsupported format. Save it as a JPEG and choose it again.")
                          .arg(name);
        return facts;
    }
    facts.format = QString::fromLatin1(reader.format()).toLower();
    // Phones store portrait photos sideways with an EXIF rotation; Instagram shows them
    // upright, so the shape that counts is the rotated one.
    facts.size = reader.transformation() & QImageIOHandler::TransformationRotate90
                     ? stored.transposed()
                     : stored;
    return facts;
}

} // namespace huntaze::instagram
