#include "uploadstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

namespace sandbox {

void UploadStore::setDirectory(const QString &directory) {
    m_directory = directory;
    QDir().mkpath(directory);
}

QString UploadStore::filePath(const QString &id) const {
    return QDir(m_directory).filePath(id + QStringLiteral(".bin"));
}

QString UploadStore::create(const QString &platform, qint64 expectedSize, const QString &mimeType,
                            qint64 nowMs) {
    QString id;
    do {
        id = QString::number(QRandomGenerator::global()->generate64(), 16);
    } while (m_uploads.contains(id));
    m_uploads.insert(id, Upload{id, platform, mimeType, expectedSize, 0, false, {}, nowMs});
    QFile file(filePath(id));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.close();
    return id;
}

std::optional<UploadStore::Upload> UploadStore::find(const QString &id) const {
    const auto it = m_uploads.constFind(id);
    if (it == m_uploads.cend())
        return std::nullopt;
    return *it;
}

bool UploadStore::append(const QString &id, qint64 offset, const QByteArray &bytes) {
    auto it = m_uploads.find(id);
    if (it == m_uploads.end() || it->complete || offset != it->received)
        return false;
    if (it->expectedSize > 0 && it->received + bytes.size() > it->expectedSize)
        return false;
    QFile file(filePath(id));
    if (!file.open(QIODevice::Append) || file.write(bytes) != bytes.size())
        return false;
    it->received += bytes.size();
    return true;
}

bool UploadStore::finish(const QString &id) {
    auto it = m_uploads.find(id);
    if (it == m_uploads.end())
        return false;
    if (it->complete)
        return true;
    if (it->expectedSize > 0 && it->received != it->expectedSize)
        return false;
    QFile file(filePath(id));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return false;
    it->sha256 = hash.result().toHex();
    it->complete = true;
    if (it->expectedSize == 0)
        it->expectedSize = it->received;
    return true;
}

QJsonArray UploadStore::toJson() const {
    QJsonArray array;
    for (const Upload &u : m_uploads)
        array.append(QJsonObject{{QStringLiteral("id"), u.id},
                                 {QStringLiteral("platform"), u.platform},
                                 {QStringLiteral("mime_type"), u.mimeType},
                                 {QStringLiteral("expected_size"), u.expectedSize},
                                 {QStringLiteral("received"), u.received},
                                 {QStringLiteral("complete"), u.complete},
                                 {QStringLiteral("sha256"), QString::fromLatin1(u.sha256)},
                                 {QStringLiteral("created_ms"), u.createdMs}});
    return array;
}

QJsonObject UploadStore::save() const {
    return {{QStringLiteral("uploads"), toJson()}};
}

void UploadStore::load(const QJsonObject &state) {
    m_uploads.clear();
    for (const QJsonValue &value : state.value(QStringLiteral("uploads")).toArray()) {
        const QJsonObject o = value.toObject();
        Upload u{o.value(QStringLiteral("id")).toString(),
                 o.value(QStringLiteral("platform")).toString(),
                 o.value(QStringLiteral("mime_type")).toString(),
                 qint64(o.value(QStringLiteral("expected_size")).toDouble()),
                 qint64(o.value(QStringLiteral("received")).toDouble()),
                 o.value(QStringLiteral("complete")).toBool(),
                 o.value(QStringLiteral("sha256")).toString().toLatin1(),
                 qint64(o.value(QStringLiteral("created_ms")).toDouble())};
        // The file is the truth for how much arrived (a crash may have cut the state).
        const qint64 onDisk = QFileInfo(filePath(u.id)).size();
        if (!u.complete)
            u.received = onDisk;
        m_uploads.insert(u.id, u);
    }
}

} // namespace sandbox
