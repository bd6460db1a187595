// huntaze-relay: the server half of Huntaze. See README.md and DESIGN.md.
#include "base/shutdownsignals.h"
#include "commands/admincommands.h"
#include "huntaze/version.h"
#include "log/logger.h"
#include "relayconfig.h"
#include "relayserver.h"
#include "store/migrator.h"
#include "store/pgconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace huntaze;

namespace {

const QString kComponent = QStringLiteral("relay");

int fail(const Error &error) {
    log::error(kComponent, QStringLiteral("relay.failed"),
               {{QStringLiteral("error_code"), error.code},
                {QStringLiteral("message"), error.message},
                {QStringLiteral("detail"), error.detail}});
    std::fprintf(stderr, "huntaze-relay: %s\n", qPrintable(error.message));
    return 1;
}

Result<store::PgConnection> connectCurrent(const config::ServerConfig &config, bool migrate) {
    auto connection =
        store::PgConnection::open(config.value(QStringLiteral("HUNTAZE_DATABASE_URL")));
    if (!connection)
        return connection.error();
    store::Migrator migrator;
    if (migrate) {
        auto applied = migrator.migrate(*connection);
        if (!applied)
            return applied.error();
        for (int version : *applied)
            log::info(kComponent, QStringLiteral("migration.applied"),
                      {{QStringLiteral("version"), version}});
    } else if (auto current = migrator.checkCurrent(*connection); !current) {
        return current.error();
    }
    return connection;
}

int runCheckConfig(const config::ServerConfig &config) {
    QJsonObject report;
    for (const config::ConfigKey &key : relay::relayConfigSchema())
        if (config.has(key.name))
            report.insert(key.name, QJsonObject{{QStringLiteral("origin"), config.origin(key.name)},
                                                {QStringLiteral("value"),
                                                 key.secret ? QStringLiteral("(set)")
                                                            : config.value(key.name)}});
    std::fprintf(stdout, "%s\n", QJsonDocument(report).toJson(QJsonDocument::Indented).constData());
    return 0;
}

int runServe(QCoreApplication &app, const config::ServerConfig &config) {
    // A relay must never run against a schema it does not understand.
    auto connection = connectCurrent(config, false);
    if (!connection)
        return fail(connection.error());

    relay::RelayServer server(config);
    auto bound = server.start();
    if (!bound)
        return fail(bound.error());
    log::info(kComponent, QStringLiteral("http.listening"),
              {{QStringLiteral("listen"), config.value(QStringLiteral("HUNTAZE_LISTEN"))},
               {QStringLiteral("port"), int(*bound)},
               {QStringLiteral("version"), QStringLiteral(HUNTAZE_VERSION)}});

    const int code = app.exec();
    log::info(kComponent, QStringLiteral("shutdown.started"));
    server.stop();
    log::info(kComponent, QStringLiteral("shutdown.finished"));
    return code;
}

// Re-queues events for processing: the dead ones by default, or every event of a time
// range. Processing is idempotent, so replaying done events is safe.
int runReplay(const config::ServerConfig &config, const QCommandLineParser &parser) {
    auto connection = connectCurrent(config, false);
    if (!connection)
        return fail(connection.error());
    const QString since = parser.value(QStringLiteral("since"));
    const QString until = parser.value(QStringLiteral("until"));
    const bool range = !since.isEmpty() || !until.isEmpty();
    auto replayed = connection->exec(
        QStringLiteral(
            "UPDATE webhook_events SET state = 'pending', attempts = 0, next_attempt_at = now(), "
            "last_error = NULL WHERE ($1 = '' OR provider = $1) "
            "AND ($2::boolean OR state = 'dead') "
            "AND ($3 = '' OR received_at >= $3::timestamptz) "
            "AND ($4 = '' OR received_at < $4::timestamptz)"),
        {parser.value(QStringLiteral("provider")), range, since, until});
    if (!replayed)
        return fail(replayed.error());
    (void)connection->execScript(QStringLiteral("NOTIFY huntaze_inbox"));
    log::info(kComponent, QStringLiteral("replay.queued"),
              {{QStringLiteral("events"), replayed->affectedRows()}});
    std::fprintf(stdout, "%lld events queued for processing\n",
                 static_cast<long long>(replayed->affectedRows()));
    return 0;
}

} // namespace

int main(int argc, char *argv[]) {
    watchShutdownSignals([](int) {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
    });
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("huntaze-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HUNTAZE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Huntaze relay: webhooks, OAuth broker, sealed tokens and background sync.\n\n"
        "Commands:\n"
        "  serve          run the HTTP server (default)\n"
        "  migrate        apply database migrations and exit\n"
        "  check-config   validate the configuration, print where each value came from\n"
        "  replay         re-queue dead events (or, with --since/--until, a time range)\n"
        "  user add       --email E --name N: add a user\n"
        "  device pair    --user ID [--name N] [--ttl-minutes M]: print a one-time pairing code\n"
        "  device revoke  --device ID: cut a desktop off (credential and database login)\n"
        "  keys rotate    add a new token-sealing key and re-seal every token under it"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(
        QStringLiteral("config"),
        QStringLiteral("KEY=VALUE configuration file; the environment "
                       "overrides it."),
        QStringLiteral("FILE"));
    parser.addOption(configOption);
    parser.addOption({QStringLiteral("since"),
                      QStringLiteral("replay: events received at or after TIME"),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("until"),
                      QStringLiteral("replay: events received before TIME"),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("provider"), QStringLiteral("replay: only this provider"),
                      QStringLiteral("NAME")});
    for (const char *name : {"email", "name", "user", "device", "ttl-minutes"})
        parser.addOption(
            {QLatin1String(name), QStringLiteral("see the command"), QStringLiteral("VALUE")});
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("serve | migrate | check-config"));
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const QString command =
        positional.isEmpty() ? QStringLiteral("serve") : positional.join(QLatin1Char(' '));
    const QStringList commands{QStringLiteral("serve"),         QStringLiteral("migrate"),
                               QStringLiteral("check-config"),  QStringLiteral("replay"),
                               QStringLiteral("user add"),      QStringLiteral("device pair"),
                               QStringLiteral("device revoke"), QStringLiteral("keys rotate")};
    if (!commands.contains(command)) {
        std::fprintf(stderr, "huntaze-relay: unknown command '%s'; see --help\n",
                     qPrintable(command));
        return 2;
    }

    auto config = config::ServerConfig::load(relay::relayConfigSchema(), parser.value(configOption),
                                             QProcessEnvironment::systemEnvironment());
    if (!config)
        return fail(config.error());

    if (command == QLatin1String("check-config"))
        return runCheckConfig(*config);
    if (command == QLatin1String("replay"))
        return runReplay(*config, parser);
    if (command == QLatin1String("user add"))
        return relay::runUserAdd(*config, parser);
    if (command == QLatin1String("device pair"))
        return relay::runDevicePair(*config, parser);
    if (command == QLatin1String("device revoke"))
        return relay::runDeviceRevoke(*config, parser);
    if (command == QLatin1String("keys rotate"))
        return relay::runKeysRotate(*config);
    if (command == QLatin1String("migrate")) {
        auto connection = connectCurrent(*config, true);
        return connection ? 0 : fail(connection.error());
    }
    return runServe(app, *config);
}
