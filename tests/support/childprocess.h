#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace huntaze::test {

// Runs one of our programs for a test and finds the JSON line in which it announces
// itself (the relay logs {"event":"http.listening","port":...}, the sandbox prints its
// endpoints). Terminated and reaped in the destructor.
class ChildProcess {
public:
    ChildProcess(const QString &program, const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    ~ChildProcess();

    // Waits until a JSON line on stdout or stderr satisfies the predicate; returns it,
    // or an empty object on timeout or exit.
    QJsonObject waitForJsonLine(const std::function<bool(const QJsonObject &)> &predicate,
                                int timeoutMs = 15000);
    // Waits for the process to exit; returns its exit code, -1 on timeout or crash.
    int waitForExit(int timeoutMs = 15000);
    QByteArray output() const { return m_output; }
    QProcess &process() { return m_process; }

private:
    void drain();
    QProcess m_process;
    QByteArray m_output;
    qsizetype m_scanned = 0;
};

} // namespace huntaze::test
