#include "sandboxprocess.h"

namespace huntaze::test {

SandboxProcess::SandboxProcess(const QUrl &relayUrl)
    : m_relayUrl(relayUrl) {
    startProcess();
}

SandboxProcess::~SandboxProcess() = default;

bool SandboxProcess::startProcess() {
    QStringList arguments{"--listen", "127.0.0.1:0", "--state-dir", m_state.path()};
    if (m_relayUrl.isValid())
        arguments << "--relay-url" << m_relayUrl.toString();
    m_process = std::make_unique<ChildProcess>(HUNTAZE_SANDBOX_BIN, arguments);
    m_endpoints = m_process->waitForJsonLine(
        [](const QJsonObject &line) { return line.contains("base_url"); });
    return !m_endpoints.isEmpty();
}

QString SandboxProcess::output() const {
    return m_process ? QString::fromUtf8(m_process->output()) : QString();
}

QUrl SandboxProcess::url(const QString &path) const {
    return QUrl(m_endpoints.value("base_url").toString() + path);
}

QJsonObject SandboxProcess::platform(const QString &name) const {
    return m_endpoints.value("platforms").toObject().value(name).toObject();
}

bool SandboxProcess::stop() {
    if (!m_process)
        return true;
    m_process->process().terminate();
    const bool clean = m_process->waitForExit() == 0;
    m_process.reset();
    m_endpoints = {};
    return clean;
}

bool SandboxProcess::restart() {
    return stop() && startProcess();
}

} // namespace huntaze::test
