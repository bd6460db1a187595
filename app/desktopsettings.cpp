#include "desktopsettings.h"

#include <QDir>
#include <QStandardPaths>

namespace huntaze::app {

namespace {
const QString kSandboxMode = QStringLiteral("sandbox/enabled");
const QString kSandboxDir = QStringLiteral("sandbox/dataDirectory");
const QString kRelayUrl = QStringLiteral("relay/url");
const QString kRelayDeviceName = QStringLiteral("relay/deviceName");
const QString kWelcomeShown = QStringLiteral("welcome/shown");
const QString kGeometry = QStringLiteral("window/geometry");
} // namespace

DesktopSettings::DesktopSettings()
    : DesktopSettings(defaultFilePath()) {}

DesktopSettings::DesktopSettings(const QString &filePath)
    : m_settings(filePath, QSettings::IniFormat) {}

QString DesktopSettings::defaultFilePath() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("huntaze.conf"));
}

bool DesktopSettings::sandboxMode() const {
    return m_settings.value(kSandboxMode, false).toBool();
}

void DesktopSettings::setSandboxMode(bool enabled) {
    m_settings.setValue(kSandboxMode, enabled);
}

QString DesktopSettings::sandboxDataDirectory() const {
    return m_settings.value(kSandboxDir).toString();
}

void DesktopSettings::setSandboxDataDirectory(const QString &path) {
    m_settings.setValue(kSandboxDir, path);
}

QUrl DesktopSettings::relayUrl() const {
    return m_settings.value(kRelayUrl).toUrl();
}

void DesktopSettings::setRelayUrl(const QUrl &url) {
    if (url.isEmpty())
        m_settings.remove(kRelayUrl);
    else
        m_settings.setValue(kRelayUrl, url);
}

QString DesktopSettings::relayDeviceName() const {
    return m_settings.value(kRelayDeviceName).toString();
}

void DesktopSettings::setRelayDeviceName(const QString &name) {
    if (name.isEmpty())
        m_settings.remove(kRelayDeviceName);
    else
        m_settings.setValue(kRelayDeviceName, name);
}

bool DesktopSettings::welcomeShown() const {
    return m_settings.value(kWelcomeShown, false).toBool();
}

void DesktopSettings::setWelcomeShown(bool shown) {
    m_settings.setValue(kWelcomeShown, shown);
}

QByteArray DesktopSettings::windowGeometry() const {
    return m_settings.value(kGeometry).toByteArray();
}

void DesktopSettings::setWindowGeometry(const QByteArray &geometry) {
    m_settings.setValue(kGeometry, geometry);
}

} // namespace huntaze::app
