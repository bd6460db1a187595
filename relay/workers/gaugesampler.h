#pragma once

#include <QObject>
#include <QTimer>

namespace huntaze::relay {

class DatabasePool;

// Samples what /metrics shows as gauges from the database, every few seconds: inbox
// depth, dead events, queue lag (age of the oldest due event), quota usage and the
// upload outcomes desktops record in publications (per platform).
class GaugeSampler : public QObject {
    Q_OBJECT
public:
    GaugeSampler(DatabasePool &pool, int intervalMs, QObject *parent = nullptr);
    void start();

private:
    void sample();
    DatabasePool &m_pool;
    QTimer m_timer;
};

} // namespace huntaze::relay
