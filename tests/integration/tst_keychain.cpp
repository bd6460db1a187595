#include "secrets/credentialstore.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTest>
#include <qt6keychain/keychain.h>

// The keyring fixture (scripts/with-keyring.sh) gives this test a private, unlocked
// Secret Service; QtKeychain must store, read back and delete a credential through it,
// and the credential must not lie in plain text anywhere on disk.
class KeychainTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void credentialRoundTripsThroughTheSecretService();
    void credentialStoreKeepsTheDeviceCredential();
};

namespace {
QKeychain::Error runJob(QKeychain::Job *job) {
    QSignalSpy finished(job, &QKeychain::Job::finished);
    job->start();
    if (!finished.wait(15000))
        return QKeychain::OtherError;
    return job->error();
}
} // namespace

void KeychainTest::credentialRoundTripsThroughTheSecretService() {
    QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
             "run under scripts/with-keyring.sh");
    const QString service = "huntaze-test";
    const QString secret =
        "device-credential-" + QString::number(QDateTime::currentMSecsSinceEpoch());

    QKeychain::WritePasswordJob write(service);
    write.setAutoDelete(false);
    write.setInsecureFallback(false);
    write.setKey("relay-device");
    write.setTextData(secret);
    QCOMPARE(runJob(&write), QKeychain::NoError);

    QKeychain::ReadPasswordJob read(service);
    read.setAutoDelete(false);
    read.setKey("relay-device");
    QCOMPARE(runJob(&read), QKeychain::NoError);
    QCOMPARE(read.textData(), secret);

    // Stored encrypted by the keyring daemon, not as plain text in its folder.
    QDirIterator files(qEnvironmentVariable("XDG_DATA_HOME"), QDir::Files,
                       QDirIterator::Subdirectories);
    int keyringFiles = 0;
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(file.fileName()));
        ++keyringFiles;
    }
    QVERIFY(keyringFiles > 0);

    QKeychain::DeletePasswordJob remove(service);
    remove.setAutoDelete(false);
    remove.setKey("relay-device");
    QCOMPARE(runJob(&remove), QKeychain::NoError);
    QKeychain::ReadPasswordJob readAgain(service);
    readAgain.setAutoDelete(false);
    readAgain.setKey("relay-device");
    QCOMPARE(runJob(&readAgain), QKeychain::EntryNotFound);
}

void KeychainTest::credentialStoreKeepsTheDeviceCredential() {
    huntaze::secrets::CredentialStore store("huntaze-test-store");
    std::optional<huntaze::Result<void>> stored;
    store.store("relay:https://relay.example", "hzd_secret-credential",
                [&](const huntaze::Result<void> &r) { stored = r; });
    QTRY_VERIFY(stored.has_value());
    QVERIFY2(stored->ok(), stored->ok() ? "" : qPrintable(stored->error().message));

    std::optional<huntaze::Result<QString>> loaded;
    store.load("relay:https://relay.example",
               [&](const huntaze::Result<QString> &r) { loaded = r; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->value(), QString("hzd_secret-credential"));

    std::optional<huntaze::Result<void>> removed;
    store.remove("relay:https://relay.example",
                 [&](const huntaze::Result<void> &r) { removed = r; });
    QTRY_VERIFY(removed.has_value());
    QVERIFY(removed->ok());
    loaded.reset();
    store.load("relay:https://relay.example",
               [&](const huntaze::Result<QString> &r) { loaded = r; });
    QTRY_VERIFY(loaded.has_value());
    QVERIFY(loaded->ok());
    QVERIFY(loaded->value().isEmpty()); // none stored: not an error
}

QTEST_GUILESS_MAIN(KeychainTest)
#include "tst_keychain.moc"
