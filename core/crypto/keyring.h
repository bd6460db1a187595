#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace huntaze::crypto {

// The relay's token-sealing keys. A key ring file holds one key per line,
//   <key id> <base64 of 32 random bytes>
// and the line starting "active <key id>" names the key new seals use. Older keys stay
// to open what they sealed until `huntaze-relay keys rotate` has re-sealed everything.
class KeyRing {
public:
    static constexpr int kKeyBytes = 32; // AES-256

    static Result<KeyRing> fromFile(const QString &path);
    static Result<KeyRing> parse(const QByteArray &text);
    // A new ring text with one fresh key added and made active (for `keys rotate` and
    // first start); existing keys are kept.
    static QByteArray withNewActiveKey(const QByteArray &text, QString *newKeyId);

    QString activeKeyId() const { return m_active; }
    QByteArray key(const QString &id) const { return m_keys.value(id); }
    bool contains(const QString &id) const { return m_keys.contains(id); }
    QStringList keyIds() const { return m_keys.keys(); }

private:
    QHash<QString, QByteArray> m_keys;
    QString m_active;
};

} // namespace huntaze::crypto
