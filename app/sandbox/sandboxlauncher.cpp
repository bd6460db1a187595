#include "sandboxlauncher.h"

#include "net/relayclient.h"
#include "store/pgconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QUrl>
#include <QtConcurrent>

#include <unistd.h>
#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace huntaze::app {

namespace {

constexpr int kHelperStartTimeoutMs = 60'000;
const QString kDatabaseName = QStringLiteral("huntaze");

QString lastLines(const QByteArray &output, int count = 6) {
    QStringList lines = QString::fromUtf8(output).trimmed().split(QLatin1Char('\n'));
    return lines.mid(qMax(0, int(lines.size()) - count)).join(QLatin1Char('\n'));
}

// A free loopback port, chosen before the relay starts so the sandbox can be told
// where to deliver webhooks.
quint16 pickFreePort() {
    QTcpServer probe;
    probe.listen(QHostAddress(QHostAddress::LocalHost), 0);
    return probe.serverPort();
}

Result<QString> ensureDatabase(const QString &adminUrl) {
    auto admin = store::PgConnection::open(adminUrl);
    if (!admin)
        return admin.error();
    auto exists = admin->exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"),
                              {kDatabaseName});
    if (!exists)
        return exists.error();
    if (exists->rows() == 0) {
        auto created = admin->execScript(QStringLiteral("CREATE DATABASE ") +
                                         admin->quoteIdentifier(kDatabaseName));
        if (!created)
            return created.error();
    }
    QUrl url(adminUrl);
    url.setPath(QLatin1Char('/') + kDatabaseName);
    return url.toString();
}

} // namespace

SandboxLauncher::SandboxLauncher(QString dataDirectory, QObject *parent)
    : QObject(parent)
    , m_dataDirectory(dataDirectory.isEmpty() ? defaultDataDirectory() : std::move(dataDirectory)) {
    m_endpoints.dataDirectory = m_dataDirectory;
}

SandboxLauncher::~SandboxLauncher() {
    stop();
}

QString SandboxLauncher::defaultDataDirectory() {
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/huntaze/sandbox");
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("sandbox"));
}

QString SandboxLauncher::helperPath(const QString &name) const {
    const QDir binDir(QCoreApplication::applicationDirPath());
    if (name.endsWith(QLatin1String(".sh")))
        return binDir.filePath(QStringLiteral("../share/huntaze/") + name);
    return binDir.filePath(name);
}

void SandboxLauncher::start() {
    if (!QDir().mkpath(m_dataDirectory)) {
        fail(tr("Cannot create the sandbox folder %1.").arg(m_dataDirectory));
        return;
    }
    startDatabase();
}

void SandboxLauncher::startDatabase() {
    Q_EMIT progress(Step::Database, tr("Starting the local database…"));
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(process, &QProcess::finished, this,
            [this, process](int code, QProcess::ExitStatus status) {
                process->deleteLater();
                if (m_stopping)
                    return;
                if (status != QProcess::NormalExit || code != 0) {
                    fail(tr("The local database did not start."), process->readAllStandardError());
                    return;
                }
                m_databaseStarted = true;
                createDatabase(QString::fromUtf8(process->readAllStandardOutput()).trimmed());
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("Cannot run %1: is bash installed?").arg(process->program()));
    });
    process->start(QStringLiteral("bash"),
                   {helperPath(QStringLiteral("pg-cluster.sh")), QStringLiteral("start"),
                    QDir(m_dataDirectory).filePath(QStringLiteral("postgres"))});
}

// libpq blocks: the work runs on a pool thread, and its result comes back to this
// (GUI) thread, where a failure stops sandbox mode with the given message.
template <typename T>
void SandboxLauncher::inBackground(std::function<Result<T>()> work, const QString &failure,
                                   std::function<void(const T &)> next) {
    auto *watcher = new QFutureWatcher<Result<T>>(this);
    connect(watcher, &QFutureWatcher<Result<T>>::finished, this, [this, watcher, failure, next] {
        watcher->deleteLater();
        const Result<T> result = watcher->result();
        if (m_stopping)
            return;
        if (!result) {
            fail(failure.arg(result.error().message), result.error().detail.toUtf8());
            return;
        }
        next(result.value());
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void SandboxLauncher::createDatabase(const QString &adminUrl) {
    inBackground<QString>([adminUrl] { return ensureDatabase(adminUrl); },
                          tr("The local database is not usable: %1"),
                          [this](const QString &url) {
                              m_endpoints.databaseUrl = url;
                              migrate();
                          });
}

void SandboxLauncher::migrate() {
    Q_EMIT progress(Step::Schema, tr("Preparing the database…"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HUNTAZE_DATABASE_URL"), m_endpoints.databaseUrl);
    auto *process = new QProcess(this);
    process->setProcessEnvironment(environment);
    process->setProcessChannelMode(QProcess::MergedChannels);
    connect(process, &QProcess::finished, this,
            [this, process](int code, QProcess::ExitStatus status) {
                process->deleteLater();
                if (m_stopping)
                    return;
                if (status != QProcess::NormalExit || code != 0) {
                    fail(tr("The database could not be prepared."), process->readAll());
                    return;
                }
                startPlatforms();
            });
    process->start(helperPath(QStringLiteral("huntaze-relay")), {QStringLiteral("migrate")});
}

QProcess *SandboxLauncher::startHelper(const QString &program, const QStringList &arguments,
                                       const QProcessEnvironment &environment,
                                       std::function<bool(const QJsonObject &)> onLine) {
    auto *process = new QProcess(this);
    process->setProcessEnvironment(environment);
    process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // If the desktop dies without stopping (a crash, SIGKILL), its sandbox and relay go
    // too, instead of holding their ports. (The database is stopped by pg_ctl at the next
    // start: it keeps its folder and port.)
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    auto buffer = std::make_shared<QByteArray>();
    auto announced = std::make_shared<bool>(false);
    connect(process, &QProcess::readyRead, this, [process, buffer, announced, onLine] {
        *buffer += process->readAll();
        qsizetype newline;
        while (!*announced && (newline = buffer->indexOf('\n')) >= 0) {
            const QJsonDocument line = QJsonDocument::fromJson(buffer->left(newline));
            buffer->remove(0, newline + 1);
            if (line.isObject() && onLine(line.object()))
                *announced = true;
        }
        if (*announced) // keep only a tail for error reports
            *buffer = buffer->right(4096);
    });
    connect(process, &QProcess::finished, this, [this, process, buffer, program] {
        if (!m_stopping)
            fail(tr("%1 stopped unexpectedly.").arg(QFileInfo(program).fileName()), *buffer);
        process->deleteLater();
    });
    QTimer::singleShot(kHelperStartTimeoutMs, process, [this, announced, program, buffer] {
        if (!*announced && !m_stopping)
            fail(tr("%1 did not start in time.").arg(QFileInfo(program).fileName()), *buffer);
    });
    process->start(program, arguments);
    return process;
}

void SandboxLauncher::startPlatforms() {
    Q_EMIT progress(Step::Platforms, tr("Starting the sandbox platforms…"));
    const quint16 relayPort = pickFreePort();
    m_endpoints.relayUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(relayPort));
    m_platforms = startHelper(
        helperPath(QStringLiteral("huntaze-sandbox")),
        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--state-dir"),
         QDir(m_dataDirectory).filePath(QStringLiteral("platforms")), QStringLiteral("--relay-url"),
         m_endpoints.relayUrl.toString()},
        QProcessEnvironment::systemEnvironment(), [this](const QJsonObject &line) {
            if (!line.contains(QStringLiteral("base_url")))
                return false;
            m_endpoints.platformsUrl = QUrl(line.value(QStringLiteral("base_url")).toString());
            startRelay(line.value(QStringLiteral("platforms")).toObject());
            return true;
        });
}

// The local relay speaks to the sandbox platforms with the sandbox apps' credentials,
// and checks their webhooks with the same secrets the sandbox signs with.
QProcessEnvironment SandboxLauncher::relayEnvironment(const QJsonObject &platforms) const {
    const auto field = [&platforms](const char *platform, const char *key) {
        return platforms.value(QLatin1String(platform))
            .toObject()
            .value(QLatin1String(key))
            .toString();
    };
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const std::pair<const char *, QString> settings[] = {
        {"HUNTAZE_DATABASE_URL", m_endpoints.databaseUrl},
        {"HUNTAZE_LISTEN", QStringLiteral("127.0.0.1:%1").arg(m_endpoints.relayUrl.port())},
        {"HUNTAZE_KEYRING", QDir(m_dataDirectory).filePath(QStringLiteral("relay-keyring"))},
        // The sandbox's Instagram "fetches" photos from the relay itself.
        {"HUNTAZE_MEDIA_PUBLIC_URL",
         QStringLiteral("http://127.0.0.1:%1").arg(m_endpoints.relayUrl.port())},
        // Sandbox metrics grow by the minute: pull them every minute so a new user sees
        // Insights move (a real relay uses its 5-minute default, sparing Meta's quota).
        {"HUNTAZE_INSTAGRAM_SYNC_INTERVAL_SECONDS", QStringLiteral("60")},
        {"HUNTAZE_REDDIT_SYNC_INTERVAL_SECONDS", QStringLiteral("60")},
        {"HUNTAZE_X_SYNC_INTERVAL_SECONDS", QStringLiteral("60")},
        {"TIKTOK_CLIENT_KEY", field("tiktok", "client_key")},
        {"TIKTOK_CLIENT_SECRET", field("tiktok", "client_secret")},
        {"TIKTOK_WEBHOOK_SECRET", field("tiktok", "client_secret")},
        {"TIKTOK_API_BASE", field("tiktok", "api_base_url")},
        {"TIKTOK_AUTH_BASE", field("tiktok", "auth_base_url")},
        {"INSTAGRAM_DIALOG_BASE", field("instagram", "www_url")},
        {"X_AUTH_BASE", field("x", "web_base_url")},
        {"INSTAGRAM_APP_ID", field("instagram", "client_id")},
        {"INSTAGRAM_APP_SECRET", field("instagram", "client_secret")},
        {"INSTAGRAM_VERIFY_TOKEN", field("instagram", "verify_token")},
        {"INSTAGRAM_GRAPH_BASE", field("instagram", "graph_url")},
        {"INSTAGRAM_GRAPH_VERSION", field("instagram", "graph_version")},
        {"REDDIT_CLIENT_ID", field("reddit", "client_id")},
        {"REDDIT_AUTH_BASE", field("reddit", "www_base_url")},
        {"REDDIT_API_BASE", field("reddit", "oauth_base_url")},
        {"X_CLIENT_ID", field("x", "client_id")},
        {"X_CLIENT_SECRET", field("x", "client_secret")},
        {"X_CONSUMER_SECRET", field("x", "consumer_secret")},
        {"X_API_BASE", field("x", "api_base_url")},
    };
    for (const auto &[key, value] : settings)
        if (!value.isEmpty())
            environment.insert(QLatin1String(key), value);
    return environment;
}

void SandboxLauncher::startRelay(const QJsonObject &platforms) {
    Q_EMIT progress(Step::Relay, tr("Starting the local relay…"));
    m_relay = startHelper(helperPath(QStringLiteral("huntaze-relay")), {QStringLiteral("serve")},
                          relayEnvironment(platforms), [this](const QJsonObject &line) {
                              if (line.value(QStringLiteral("event")).toString() !=
                                  QLatin1String("http.listening"))
                                  return false;
                              pairDevice();
                              return true;
                          });
}

void SandboxLauncher::runRelayCommand(const QStringList &arguments,
                                      std::function<void(int, const QByteArray &)> done) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HUNTAZE_DATABASE_URL"), m_endpoints.databaseUrl);
    auto *process = new QProcess(this);
    process->setProcessEnvironment(environment);
    connect(process, &QProcess::finished, this,
            [process, done](int code, QProcess::ExitStatus status) {
                process->deleteLater();
                done(status == QProcess::NormalExit ? code : -1,
                     process->readAllStandardOutput() + process->readAllStandardError());
            });
    process->start(helperPath(QStringLiteral("huntaze-relay")), arguments);
}

void SandboxLauncher::pairDevice() {
    Q_EMIT progress(Step::Pairing, tr("Pairing this computer with the local relay…"));
    // The sandbox's creator account, made once.
    inBackground<qint64>(
        [url = m_endpoints.databaseUrl]() -> Result<qint64> {
            auto db = store::PgConnection::open(url);
            if (!db)
                return db.error();
            auto user = db->exec(
                QStringLiteral("INSERT INTO users (email, display_name) VALUES "
                               "('creator@sandbox.huntaze', 'Sandbox creator') ON CONFLICT (email) "
                               "DO UPDATE SET display_name = users.display_name RETURNING id"));
            if (!user)
                return user.error();
            return user->int64(0, 0);
        },
        tr("The sandbox user could not be created: %1"),
        [this](const qint64 &user) { issuePairingCode(user); });
}

void SandboxLauncher::issuePairingCode(qint64 userId) {
    runRelayCommand(
        {QStringLiteral("device"), QStringLiteral("pair"), QStringLiteral("--user"),
         QString::number(userId)},
        [this](int code, const QByteArray &output) {
            if (m_stopping)
                return;
            const QJsonObject issued =
                QJsonDocument::fromJson(output.trimmed().split('\n').constLast()).object();
            if (code != 0 || !issued.contains(QStringLiteral("pairing_code"))) {
                fail(tr("The local relay did not issue a pairing code."), output);
                return;
            }
            m_relayClient = new net::RelayClient(m_endpoints.relayUrl, this);
            m_relayClient->pair(
                issued.value(QStringLiteral("pairing_code")).toString(),
                tr("This computer (sandbox mode)"), [this](const Result<QJsonObject> &paired) {
                    if (m_stopping)
                        return;
                    if (!paired) {
                        fail(paired.error().message);
                        return;
                    }
                    m_endpoints.deviceCredential =
                        paired->value(QStringLiteral("credential")).toString().toUtf8();
                    m_endpoints.desktopDatabaseUrl =
                        paired->value(QStringLiteral("database_url")).toString();
                    m_endpoints.deviceId = paired->value(QStringLiteral("device_id")).toInteger();
                    m_ready = true;
                    Q_EMIT progress(Step::Ready, tr("Sandbox mode is ready."));
                    Q_EMIT ready(m_endpoints);
                });
        });
}

void SandboxLauncher::fail(const QString &message, const QByteArray &output) {
    if (m_stopping)
        return;
    const QString tail = lastLines(output);
    Q_EMIT failed(tail.isEmpty() ? message : message + QLatin1Char('\n') + tail);
    stop();
}

void SandboxLauncher::stop() {
    if (m_stopping)
        return;
    m_stopping = true;
    m_ready = false;
    for (QProcess *process : {m_relay.data(), m_platforms.data()}) {
        if (!process || process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(5000))
            process->kill();
        process->waitForFinished(2000);
    }
    // This run's device is retired so sandbox runs do not pile up logins.
    if (m_endpoints.deviceId > 0) {
        QProcess revoke;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HUNTAZE_DATABASE_URL"), m_endpoints.databaseUrl);
        revoke.setProcessEnvironment(environment);
        revoke.start(helperPath(QStringLiteral("huntaze-relay")),
                     {QStringLiteral("device"), QStringLiteral("revoke"),
                      QStringLiteral("--device"), QString::number(m_endpoints.deviceId)});
        revoke.waitForFinished(10000);
        m_endpoints.deviceId = 0;
    }
    if (m_databaseStarted)
        QProcess::execute(QStringLiteral("bash"),
                          {helperPath(QStringLiteral("pg-cluster.sh")), QStringLiteral("stop"),
                           QDir(m_dataDirectory).filePath(QStringLiteral("postgres"))});
    m_databaseStarted = false;
}

} // namespace huntaze::app
