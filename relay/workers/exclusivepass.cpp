#include "exclusivepass.h"

#include "databasepool.h"
#include "store/pgconnection.h"

namespace huntaze::relay {

void runExclusivePass(QObject *owner, bool &running, DatabasePool &pool, const QString &lockName,
                      std::function<void(store::PgConnection &)> pass) {
    if (running)
        return;
    running = true;
    bool *flag = &running;
    pool.submit([owner, flag, lockName, pass = std::move(pass)](Result<store::PgConnection *> db) {
        auto locked = db ? (*db)->exec(QStringLiteral("SELECT pg_try_advisory_lock(hashtext($1))"),
                                       {lockName})
                         : Result<store::PgResult>(db.error());
        if (locked && locked->boolean(0, 0)) {
            pass(**db);
            (void)(*db)->exec(QStringLiteral("SELECT pg_advisory_unlock(hashtext($1))"),
                              {lockName});
        }
        // The owner outlives its passes: the pool is stopped (and drained) before the
        // workers are destroyed.
        QMetaObject::invokeMethod(
            owner, [flag] { *flag = false; }, Qt::QueuedConnection);
    });
}

} // namespace huntaze::relay
