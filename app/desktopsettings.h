#pragma once

#include <QSettings>
#include <QString>
#include <QUrl>

namespace huntaze::app {

// The desktop's preferences, in an INI file in the platform's config folder
// (QStandardPaths::AppConfigLocation, e.g. ~/.config/huntaze/huntaze.conf). Never a
// secret: the device credential lives in the OS keychain.
class DesktopSettings {
public:
    DesktopSettings();
    explicit DesktopSettings(const QString &filePath);

    static QString defaultFilePath();
    QString filePath() const { return m_settings.fileName(); }

    bool sandboxMode() const;
    void setSandboxMode(bool enabled);
    QString sandboxDataDirectory() const; // empty: the default location
    void setSandboxDataDirectory(const QString &path);
    QUrl relayUrl() const;
    void setRelayUrl(const QUrl &url);
    // The name this computer was paired under (shown in Settings; not a secret).
    QString relayDeviceName() const;
    void setRelayDeviceName(const QString &name);
    // The first-run welcome is offered once.
    bool welcomeShown() const;
    void setWelcomeShown(bool shown);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);

    void sync() { m_settings.sync(); }

private:
    QSettings m_settings;
};

} // namespace huntaze::app
