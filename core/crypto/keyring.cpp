#include "keyring.h"

#include <QFile>
#include <QObject>
#include <QRegularExpression>

#include <openssl/rand.h>

namespace huntaze::crypto {

namespace {

Error keyError(const QString &message) {
    Error error;
    error.domain = QStringLiteral("crypto");
    error.code = QStringLiteral("HUNTAZE_KEYRING");
    error.message = QStringLiteral("HUNTAZE_KEYRING: ") + message;
    return error;
}

const QRegularExpression &keyIdPattern() {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    return pattern;
}

} // namespace

Result<KeyRing> KeyRing::fromFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return keyError(QObject::tr("cannot read key ring %1: %2").arg(path, file.errorString()));
    if (file.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup))
        return keyError(
            QObject::tr("key ring %1 is readable by other users; chmod 600 it").arg(path));
    return parse(file.read(1 << 20));
}

Result<KeyRing> KeyRing::parse(const QByteArray &text) {
    KeyRing ring;
    int lineNumber = 0;
    for (const QByteArray &raw : text.split('\n')) {
        ++lineNumber;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() != 2)
            return keyError(
                QObject::tr("line %1: expected '<key id> <base64 key>'").arg(lineNumber));
        const QString first = QString::fromUtf8(fields.at(0));
        if (first == QLatin1String("active")) {
            ring.m_active = QString::fromUtf8(fields.at(1));
            continue;
        }
        if (!keyIdPattern().match(first).hasMatch())
            return keyError(
                QObject::tr("line %1: key ids are 1-64 of A-Z a-z 0-9 _ . -").arg(lineNumber));
        const auto decoded =
            QByteArray::fromBase64Encoding(fields.at(1), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.size() != kKeyBytes)
            return keyError(QObject::tr("line %1: key %2 is not 32 bytes of base64")
                                .arg(lineNumber)
                                .arg(first));
        if (ring.m_keys.contains(first))
            return keyError(
                QObject::tr("line %1: key %2 appears twice").arg(lineNumber).arg(first));
        ring.m_keys.insert(first, decoded.decoded);
    }
    if (ring.m_keys.isEmpty())
        return keyError(QObject::tr("the key ring holds no key"));
    if (ring.m_active.isEmpty() && ring.m_keys.size() == 1)
        ring.m_active = ring.m_keys.cbegin().key();
    if (!ring.m_keys.contains(ring.m_active))
        return keyError(QObject::tr("no 'active <key id>' line naming one of its keys"));
    return ring;
}

QByteArray KeyRing::withNewActiveKey(const QByteArray &text, QString *newKeyId) {
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), kKeyBytes);
    QByteArray idBytes(4, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(idBytes.data()), 4);
    const QString id = QStringLiteral("k") + QString::fromLatin1(idBytes.toHex());
    QByteArray out;
    for (const QByteArray &line : text.split('\n'))
        if (!line.trimmed().startsWith("active ") && !line.trimmed().isEmpty())
            out += line + '\n';
    out += id.toUtf8() + ' ' + key.toBase64() + '\n';
    out += "active " + id.toUtf8() + '\n';
    if (newKeyId)
        *newKeyId = id;
    return out;
}

} // namespace huntaze::crypto
