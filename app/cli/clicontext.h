#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>

namespace huntaze::cli {

// How the command line reaches this desktop's relay and database: the environment
// (HUNTAZE_RELAY_URL, HUNTAZE_DEVICE_CREDENTIAL, HUNTAZE_DESKTOP_DATABASE_URL; for CI and
// scripts), else the pairing the window saved (relay URL in the settings, credential and
// database login in the OS keychain).
struct Connection {
    QUrl relayUrl;
    QByteArray credential;
    QString databaseUrl;
};

void resolveConnection(const QString &settingsFile, std::function<void(Result<Connection>)> done);

} // namespace huntaze::cli
