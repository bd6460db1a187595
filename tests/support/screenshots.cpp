#include "screenshots.h"

#include <QDir>
#include <QPixmap>
#include <QWidget>

namespace huntaze::test {

QString saveScreenshot(QWidget *widget, const QString &name) {
    QString folder = qEnvironmentVariable("HUNTAZE_TEST_ARTIFACTS");
    if (folder.isEmpty())
        folder = QDir::temp().filePath(QStringLiteral("huntaze-test-artifacts"));
    if (!QDir().mkpath(folder))
        return {};
    const QPixmap pixmap = widget->grab();
    if (pixmap.isNull())
        return {};
    const QString path = QDir(folder).filePath(name + QStringLiteral(".png"));
    return pixmap.save(path, "PNG") ? path : QString();
}

} // namespace huntaze::test
