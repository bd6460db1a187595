#pragma once

#include "childprocess.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace huntaze::test {

// A huntaze-sandbox process for one test: its own state folder (kept across
// restart() so persistence can be tested), an optional relay URL for webhooks.
class SandboxProcess {
public:
    explicit SandboxProcess(const QUrl &relayUrl = {});
    ~SandboxProcess();

    bool isRunning() const { return !m_endpoints.isEmpty(); }
    QString output() const;
    QJsonObject endpoints() const { return m_endpoints; }
    QUrl baseUrl() const { return QUrl(m_endpoints.value("base_url").toString()); }
    // base + path, e.g. url("/tiktok/v2/oauth/token/").
    QUrl url(const QString &path) const;
    QJsonObject platform(const QString &name) const;
    // Stops (SIGTERM) and starts again on the same state folder; false if it failed.
    bool restart();
    bool stop();
    QString stateDirectory() const { return m_state.path(); }

private:
    bool startProcess();
    QTemporaryDir m_state;
    QUrl m_relayUrl;
    std::unique_ptr<ChildProcess> m_process;
    QJsonObject m_endpoints;
};

} // namespace huntaze::test
