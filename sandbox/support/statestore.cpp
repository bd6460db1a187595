#include "statestore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace sandbox {

StateStore::StateStore(QObject *parent)
    : QObject(parent) {
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(200);
    connect(&m_flushTimer, &QTimer::timeout, this, &StateStore::flush);
}

StateStore::~StateStore() {
    flush();
}

void StateStore::setDirectory(const QString &directory) {
    m_directory = directory;
}

void StateStore::registerSection(const QString &name, Save save, Load load) {
    m_sections.insert(name, {std::move(save), std::move(load)});
}

bool StateStore::load(QString *error) {
    QFile file(QDir(m_directory).filePath(QStringLiteral("state.json")));
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(file.fileName());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("%1 is corrupt (%2); move it away to start afresh")
                     .arg(file.fileName(), parseError.errorString());
        return false;
    }
    const QJsonObject root = document.object();
    for (auto it = m_sections.begin(); it != m_sections.end(); ++it)
        if (root.contains(it.key()))
            it->load(root.value(it.key()).toObject());
    return true;
}

void StateStore::markDirty() {
    m_dirty = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void StateStore::flush() {
    if (!m_dirty || m_directory.isEmpty())
        return;
    QJsonObject root;
    for (auto it = m_sections.cbegin(); it != m_sections.cend(); ++it)
        root.insert(it.key(), it->save());
    QSaveFile file(QDir(m_directory).filePath(QStringLiteral("state.json")));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
        if (file.commit())
            m_dirty = false;
    }
}

} // namespace sandbox
