#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace sandbox {

// Bytes received by any platform's upload target, kept on disk in <state>/uploads so
// they survive a restart, with the SHA-256 of every completed file for inspection
// (GET /_admin/uploads). Appends must continue exactly where the upload stands.
class UploadStore {
public:
    struct Upload {
        QString id;
        QString platform;
        QString mimeType;
        qint64 expectedSize = 0; // 0: unknown until finished
        qint64 received = 0;
        bool complete = false;
        QByteArray sha256; // hex, once complete
        qint64 createdMs = 0;
    };

    void setDirectory(const QString &directory);
    QString create(const QString &platform, qint64 expectedSize, const QString &mimeType,
                   qint64 nowMs);
    std::optional<Upload> find(const QString &id) const;
    // Appends bytes at offset; false (nothing written) unless offset == received and the
    // result stays within expectedSize (when known).
    bool append(const QString &id, qint64 offset, const QByteArray &bytes);
    // Marks complete and hashes the file; false when the size does not match.
    bool finish(const QString &id);
    QString filePath(const QString &id) const;

    QJsonArray toJson() const;
    QJsonObject save() const;
    void load(const QJsonObject &state);

private:
    QString m_directory;
    QHash<QString, Upload> m_uploads;
};

} // namespace sandbox
