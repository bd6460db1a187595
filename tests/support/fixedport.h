#pragma once

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTest>

namespace huntaze::test {

// The OAuth ports Reddit and X register are fixed, so the tests using them take turns
// (ctest's oauth_fixed_ports lock). The previous holder's processes can still be letting
// go of a port for a moment after that test ended: wait for it rather than fail on it.
inline bool waitUntilPortIsFree(quint16 port, int timeoutMs = 15000) {
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        QTcpServer probe;
        if (probe.listen(QHostAddress(QHostAddress::LocalHost), port))
            return true;
        if (deadline.hasExpired())
            return false;
        QTest::qWait(100);
    }
}

} // namespace huntaze::test
