#include "filesegment.h"

#include <algorithm>

namespace huntaze::x {

FileSegment::FileSegment(const QString &path, qint64 offset, qint64 length, QObject *parent)
    : QIODevice(parent)
    , m_file(path)
    , m_offset(offset)
    , m_length(length) {}

bool FileSegment::open(OpenMode mode) {
    if ((mode & QIODevice::WriteOnly) || m_offset < 0 || m_length <= 0)
        return false;
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(m_file.errorString());
        return false;
    }
    if (m_file.size() < m_offset + m_length) {
        setErrorString(QStringLiteral("the file is shorter than it was when the upload began"));
        m_file.close();
        return false;
    }
    m_position = 0;
    // Unbuffered: Qt's own buffer would read ahead of the position this device tracks.
    return QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

void FileSegment::close() {
    m_file.close();
    QIODevice::close();
}

bool FileSegment::seek(qint64 position) {
    if (position < 0 || position > m_length || !QIODevice::seek(position))
        return false;
    m_position = position;
    return true;
}

qint64 FileSegment::readData(char *data, qint64 maxSize) {
    const qint64 wanted = std::min(maxSize, m_length - m_position);
    if (wanted <= 0)
        return 0;
    if (!m_file.seek(m_offset + m_position))
        return -1;
    const qint64 got = m_file.read(data, wanted);
    if (got <= 0) {
        // The file got shorter under the upload: fail the request rather than send less.
        setErrorString(QStringLiteral("the file changed during the upload"));
        return -1;
    }
    m_position += got;
    return got;
}

} // namespace huntaze::x
