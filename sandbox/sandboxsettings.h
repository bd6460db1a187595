#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace sandbox {

// What huntaze-sandbox is told at start: command line over environment over config file.
// The sandbox shares no code with Huntaze's core, so it reads its settings itself.
struct SandboxSettings {
    QHostAddress listenAddress{QHostAddress::LocalHost};
    quint16 listenPort = 8090;
    QUrl relayUrl;          // where webhooks go; empty means none are sent
    QString stateDirectory; // survives restarts

    // Returns the settings, or sets *error to a message that names the bad key.
    static std::optional<SandboxSettings> fromSources(const QString &configFile,
                                                      const QString &listenOption,
                                                      const QString &relayOption,
                                                      const QString &stateOption, QString *error);
};

} // namespace sandbox
