// huntaze-sandbox: faithful stand-ins for TikTok, Instagram, Reddit and X, written from
// shared/platforms/*.md alone. It shares no code with Huntaze's core on purpose.
#include "sandboxserver.h"
#include "signalquitter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("huntaze-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    sandbox::quitOnTerminationSignals();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Huntaze sandbox platforms"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("KEY=VALUE file"),
                                    QStringLiteral("FILE"));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("host:port (port 0 picks one)"),
                                    QStringLiteral("ADDRESS"));
    const QCommandLineOption relay(QStringLiteral("relay-url"),
                                   QStringLiteral("where webhooks are delivered"),
                                   QStringLiteral("URL"));
    const QCommandLineOption state(QStringLiteral("state-dir"),
                                   QStringLiteral("folder whose state survives restarts"),
                                   QStringLiteral("DIR"));
    parser.addOptions({config, listen, relay, state});
    parser.process(app);

    QString error;
    const auto settings =
        sandbox::SandboxSettings::fromSources(parser.value(config), parser.value(listen),
                                              parser.value(relay), parser.value(state), &error);
    if (!settings) {
        std::fprintf(stderr, "huntaze-sandbox: %s\n", qPrintable(error));
        return 1;
    }
    sandbox::SandboxServer server(*settings);
    if (!server.start(&error)) {
        std::fprintf(stderr, "huntaze-sandbox: %s\n", qPrintable(error));
        return 1;
    }
    // One JSON line on stdout: how launchers and tests learn the port we bound.
    std::fprintf(stdout, "%s\n",
                 QJsonDocument(server.endpoints()).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return app.exec();
}
