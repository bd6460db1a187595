#include "credentialstore.h"

#include <qt6keychain/keychain.h>

namespace huntaze::secrets {

namespace {
Error keychainError(const QKeychain::Job *job) {
    Error error;
    error.domain = QStringLiteral("keychain");
    error.code = QString::number(int(job->error()));
    error.detail = job->errorString();
    error.message =
        QObject::tr("The system keychain is not available (%1). Unlock or install a keychain "
                    "(GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) and "
                    "try again.")
            .arg(job->errorString());
    return error;
}
} // namespace

CredentialStore::CredentialStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service)) {}

void CredentialStore::store(const QString &key, const QString &secret, Stored done) {
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        done(finished->error() == QKeychain::NoError ? Result<void>()
                                                     : Result<void>(keychainError(finished)));
    });
    job->start();
}

void CredentialStore::load(const QString &key, Loaded done) {
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::EntryNotFound)
            done(QString());
        else if (read->error() != QKeychain::NoError)
            done(keychainError(read));
        else
            done(read->textData());
    });
    job->start();
}

void CredentialStore::remove(const QString &key, Stored done) {
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        const bool ok = finished->error() == QKeychain::NoError ||
                        finished->error() == QKeychain::EntryNotFound;
        done(ok ? Result<void>() : Result<void>(keychainError(finished)));
    });
    job->start();
}

} // namespace huntaze::secrets
