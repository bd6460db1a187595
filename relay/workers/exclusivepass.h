#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

class DatabasePool;

// One background pass of a sync worker, run on `pool` while holding the PostgreSQL
// advisory lock named `lockName`: relays sharing a database take turns (the lock goes
// with a lost connection, so a relay that dies frees it), and a pass already running in
// this process is not started again. `running` belongs to `owner`'s thread: it is set
// here and cleared there once the pass ended (whether it ran or another relay had the
// lock).
void runExclusivePass(QObject *owner, bool &running, DatabasePool &pool, const QString &lockName,
                      std::function<void(store::PgConnection &)> pass);

} // namespace huntaze::relay
