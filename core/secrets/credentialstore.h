#pragma once

#include "base/result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace huntaze::secrets {

// The desktop's secrets (the relay device credential, its database login) in the OS
// keychain through QtKeychain, never in a settings file. Asynchronous like the keychain
// itself. The insecure plain-file fallback stays off: with no keychain, storing fails
// with a message saying so.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    explicit CredentialStore(QString service = QStringLiteral("huntaze"),
                             QObject *parent = nullptr);

    using Stored = std::function<void(const Result<void> &)>;
    using Loaded = std::function<void(const Result<QString> &)>; // empty string: none stored

    void store(const QString &key, const QString &secret, Stored done);
    void load(const QString &key, Loaded done);
    void remove(const QString &key, Stored done);

private:
    QString m_service;
};

} // namespace huntaze::secrets
