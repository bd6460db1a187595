#pragma once

#include "base/result.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace huntaze::net {
class RelayClient;
}

namespace huntaze::app {

struct SandboxEndpoints {
    QString databaseUrl; // the huntaze database on the embedded cluster
    QUrl platformsUrl;   // huntaze-sandbox
    QUrl relayUrl;       // huntaze-relay
    QString dataDirectory;
    // Sandbox mode pairs this desktop with its local relay by itself.
    QByteArray deviceCredential;
    QString desktopDatabaseUrl; // the device's own login, under row-level security
    qint64 deviceId = 0;
};

// Sandbox mode: everything a new user needs to try Huntaze without any developer
// account, started locally and stopped with the app. An embedded PostgreSQL cluster
// (share/huntaze/pg-cluster.sh), the schema, the sandbox platforms and a local relay.
// Every step runs asynchronously (child processes, a worker thread for the database),
// so the window stays responsive and can show each step.
class SandboxLauncher : public QObject {
    Q_OBJECT
public:
    enum class Step { Database, Schema, Platforms, Relay, Pairing, Ready };
    Q_ENUM(Step)

    explicit SandboxLauncher(QString dataDirectory, QObject *parent = nullptr);
    ~SandboxLauncher() override;

    // Where sandbox data lives by default. As root the embedded server must run as the
    // postgres user, who cannot enter root's home, so a system folder is used instead.
    static QString defaultDataDirectory();

    void start();
    // Stops relay and sandbox, then the database. Called on quit; safe to call twice.
    void stop();
    bool isReady() const { return m_ready; }
    const SandboxEndpoints &endpoints() const { return m_endpoints; }

Q_SIGNALS:
    void progress(huntaze::app::SandboxLauncher::Step step, const QString &text);
    void ready(const huntaze::app::SandboxEndpoints &endpoints);
    void failed(const QString &message);

private:
    void startDatabase();
    void createDatabase(const QString &adminUrl);
    void migrate();
    void startPlatforms();
    void startRelay(const QJsonObject &platforms);
    void pairDevice();
    template <typename T>
    void inBackground(std::function<Result<T>()> work, const QString &failure,
                      std::function<void(const T &)> next);
    void issuePairingCode(qint64 userId);
    void runRelayCommand(const QStringList &arguments,
                         std::function<void(int exitCode, const QByteArray &output)> done);
    QProcessEnvironment relayEnvironment(const QJsonObject &platforms) const;
    void fail(const QString &message, const QByteArray &output = {});
    // Starts a helper and calls onLine for each JSON line it prints until it returns true.
    QProcess *startHelper(const QString &program, const QStringList &arguments,
                          const QProcessEnvironment &environment,
                          std::function<bool(const QJsonObject &)> onLine);
    QString helperPath(const QString &name) const;

    QString m_dataDirectory;
    SandboxEndpoints m_endpoints;
    net::RelayClient *m_relayClient = nullptr;
    QPointer<QProcess> m_platforms;
    QPointer<QProcess> m_relay;
    bool m_ready = false;
    bool m_stopping = false;
    bool m_databaseStarted = false;
};

} // namespace huntaze::app
