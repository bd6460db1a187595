// huntaze: the desktop app. See README.md.
#include "base/shutdownsignals.h"
#include "cli/commandline.h"
#include "desktopapp.h"
#include "diagnostics/desktoplog.h"
#include "huntaze/version.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdlib>

int main(int argc, char *argv[]) {
    // Ctrl-C or SIGTERM quit like the window's close: uploads stop where they are and
    // sandbox mode takes its database, platforms and relay down with it.
    // The command line just ends: its rows are consistent at every moment, an upload
    // resumes from the acknowledged byte next time, and PostgreSQL frees its locks.
    huntaze::watchShutdownSignals([](int signal) {
        if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance()))
            QMetaObject::invokeMethod(app, &QCoreApplication::quit, Qt::QueuedConnection);
        else
            std::_Exit(128 + signal);
    });
    // The command line (huntaze accounts | connect | publish | queue) needs no display.
    if (argc > 1 && huntaze::cli::isCommand(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("huntaze"));
        QCoreApplication::setApplicationVersion(QStringLiteral(HUNTAZE_VERSION));
        return huntaze::cli::run(QCoreApplication::arguments());
    }
    QApplication app(argc, argv);
    // No organisation name: data in ~/.local/share/huntaze, settings in ~/.config/huntaze.
    QApplication::setApplicationName(QStringLiteral("huntaze"));
    QApplication::setApplicationDisplayName(QStringLiteral("Huntaze"));
    QApplication::setApplicationVersion(QStringLiteral(HUNTAZE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Publish to TikTok, Instagram, Reddit and X from one place."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandbox(
        QStringLiteral("sandbox"),
        QApplication::translate("main", "Sandbox mode: local database, sandbox platforms and a "
                                        "local relay; no developer account needed."));
    const QCommandLineOption sandboxDir(
        QStringLiteral("sandbox-dir"),
        QApplication::translate("main", "Where sandbox mode keeps its data."),
        QStringLiteral("DIR"));
    parser.addOptions({sandbox, sandboxDir});
    parser.process(app);

    // The window's log lines also go to a file, for the Health section's diagnostics export.
    huntaze::app::DesktopLog::install(huntaze::app::DesktopLog::defaultFilePath());
    huntaze::app::DesktopApp desktop(
        {parser.isSet(sandbox) || parser.isSet(sandboxDir), parser.value(sandboxDir), QString()});
    desktop.start();
    return app.exec();
}
