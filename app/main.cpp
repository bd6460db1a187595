// huntaze: the desktop app. See README.md.
#include "shell/mainwindow.h"

#include "huntaze/version.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Huntaze"));
    QApplication::setApplicationName(QStringLiteral("huntaze"));
    QApplication::setApplicationDisplayName(QStringLiteral("Huntaze"));
    QApplication::setApplicationVersion(QStringLiteral(HUNTAZE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Publish to TikTok, Instagram, Reddit and X from one place."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    huntaze::ui::MainWindow window;
    window.show();
    return app.exec();
}
