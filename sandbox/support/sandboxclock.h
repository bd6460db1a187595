#pragma once

#include <QDateTime>
#include <QtGlobal>

namespace sandbox {

// The platforms' notion of now: real time plus an offset that the admin API moves
// forward, so tests can expire tokens, codes and 24-hour windows without waiting.
class SandboxClock {
public:
    qint64 nowMs() const { return QDateTime::currentMSecsSinceEpoch() + m_offsetMs; }
    qint64 nowSecs() const { return nowMs() / 1000; }
    QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
    void advance(qint64 seconds) { m_offsetMs += seconds * 1000; }
    qint64 offsetMs() const { return m_offsetMs; }
    void setOffsetMs(qint64 offset) { m_offsetMs = offset; }

private:
    qint64 m_offsetMs = 0;
};

} // namespace sandbox
