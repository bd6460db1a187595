// huntaze-rendericon: renders the SVG application icon to PNGs at build time, so the
// packages carry the hicolor sizes without a tool outside Qt (works on every CI system).
// The output's suffix picks the format: .png, or .ico for the Windows installer.
//
//   huntaze-rendericon ICON.svg SIZE:OUTPUT.png [SIZE:OUTPUT.png...]
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char *argv[]) {
    // Rendering needs no display: a build machine or CI runner has none.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 3) {
        std::fprintf(stderr, "usage: huntaze-rendericon ICON.svg SIZE:OUTPUT.png...\n");
        return 2;
    }
    QSvgRenderer renderer(arguments.at(1));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "huntaze-rendericon: %s is not a valid SVG file\n",
                     qPrintable(arguments.at(1)));
        return 1;
    }
    for (const QString &job : arguments.mid(2)) {
        const qsizetype colon = job.indexOf(QLatin1Char(':'));
        bool ok = false;
        const int size = colon > 0 ? job.left(colon).toInt(&ok) : 0;
        if (!ok || size < 1 || size > 4096) {
            std::fprintf(stderr, "huntaze-rendericon: '%s' is not SIZE:OUTPUT.png\n",
                         qPrintable(job));
            return 2;
        }
        const QString output = job.mid(colon + 1);
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        renderer.render(&painter);
        painter.end();
        QDir().mkpath(QFileInfo(output).absolutePath());
        if (!image.save(output)) {
            std::fprintf(stderr, "huntaze-rendericon: cannot write %s\n", qPrintable(output));
            return 1;
        }
    }
    return 0;
}
