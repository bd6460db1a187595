#pragma once

#include "childprocess.h"

#include <QMap>
#include <QUrl>

#include <memory>

namespace huntaze::test {

// A huntaze-relay serving a test database on a free port.
class RelayProcess {
public:
    RelayProcess(const QString &databaseUrl, const QMap<QString, QString> &settings = {});
    bool isRunning() const { return m_port > 0; }
    int port() const { return m_port; }
    QUrl url(const QString &path) const;
    QByteArray output() const { return m_process ? m_process->output() : QByteArray(); }
    ChildProcess &process() { return *m_process; }
    // SIGKILL: no shutdown of any kind, as a crash would be.
    void kill();

private:
    std::unique_ptr<ChildProcess> m_process;
    int m_port = 0;
};

} // namespace huntaze::test
