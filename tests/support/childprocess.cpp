#include "childprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>

namespace huntaze::test {

ChildProcess::ChildProcess(const QString &program, const QStringList &arguments,
                           const QProcessEnvironment &environment) {
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // A test that aborts (QtTest's watchdog, a crash) skips the destructor below: the
    // child then ends with it instead of living on with its port and database.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(program, arguments);
}

ChildProcess::~ChildProcess() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

void ChildProcess::drain() {
    m_output += m_process.readAll();
}

QJsonObject ChildProcess::waitForJsonLine(const std::function<bool(const QJsonObject &)> &predicate,
                                          int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        drain();
        qsizetype newline;
        while ((newline = m_output.indexOf('\n', m_scanned)) >= 0) {
            const QByteArray line = m_output.mid(m_scanned, newline - m_scanned);
            m_scanned = newline + 1;
            const QJsonDocument document = QJsonDocument::fromJson(line);
            if (document.isObject() && predicate(document.object()))
                return document.object();
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return {};
        m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
    }
}

int ChildProcess::waitForExit(int timeoutMs) {
    if (!m_process.waitForFinished(timeoutMs) && m_process.state() != QProcess::NotRunning)
        return -1;
    drain();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

} // namespace huntaze::test
