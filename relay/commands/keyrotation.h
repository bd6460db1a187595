#pragma once

#include "base/result.h"

#include <QString>

namespace huntaze::store {
class PgConnection;
}

namespace huntaze::relay {

struct RotationReport {
    QString newKeyId;
    int accountsResealed = 0;
    int pageTokensResealed = 0;
};

// `huntaze-relay keys rotate`: adds a fresh active key to the key ring file (creating
// the file with mode 0600 if there is none), then re-seals every token sealed under
// another key, in batches, each batch in one transaction. Old keys stay in the ring,
// so a crash half way leaves everything openable; run it again to finish.
Result<RotationReport> rotateKeys(store::PgConnection &db, const QString &keyRingPath);

} // namespace huntaze::relay
