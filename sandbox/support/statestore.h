#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace sandbox {

// The sandbox's memory across restarts: every registered section is saved to
// <state>/state.json (atomically) shortly after it changes and on exit, and loaded at
// start.
class StateStore : public QObject {
    Q_OBJECT
public:
    using Save = std::function<QJsonObject()>;
    using Load = std::function<void(const QJsonObject &)>;

    explicit StateStore(QObject *parent = nullptr);
    ~StateStore() override;

    void setDirectory(const QString &directory);
    QString directory() const { return m_directory; }
    void registerSection(const QString &name, Save save, Load load);
    // Loads every registered section from disk; false with *error on a corrupt file.
    bool load(QString *error);
    void markDirty();
    void flush();

private:
    struct Section {
        Save save;
        Load load;
    };
    QString m_directory;
    QHash<QString, Section> m_sections;
    QTimer m_flushTimer;
    bool m_dirty = false;
};

} // namespace sandbox
