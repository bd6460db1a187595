#include "filerangedevice.h"

#include <algorithm>

namespace huntaze::upload {

FileRangeDevice::FileRangeDevice(const QString &path, qint64 start, qint64 length, QObject *parent)
    : QIODevice(parent)
    , m_file(path)
    , m_start(start)
    , m_length(length) {}

bool FileRangeDevice::open(OpenMode mode) {
    if ((mode & ~QIODevice::Unbuffered) != ReadOnly || !m_file.open(QIODevice::ReadOnly))
        return false;
    // The file must still hold the whole range: a file that shrank is not silently padded.
    if (m_file.size() < m_start + m_length || !m_file.seek(m_start)) {
        setErrorString(tr("The file is shorter than when it was queued."));
        m_file.close();
        return false;
    }
    return QIODevice::open(mode | QIODevice::Unbuffered); // reads go straight to m_file
}

void FileRangeDevice::close() {
    m_file.close();
    QIODevice::close();
}

bool FileRangeDevice::seek(qint64 position) {
    if (position < 0 || position > m_length || !m_file.seek(m_start + position))
        return false;
    return QIODevice::seek(position);
}

qint64 FileRangeDevice::readData(char *data, qint64 maxSize) {
    const qint64 left = m_length - (m_file.pos() - m_start);
    if (left <= 0)
        return 0; // end of the range: reading further is end of data, not an error
    const qint64 got = m_file.read(data, std::min(maxSize, left));
    if (got < 0)
        setErrorString(m_file.errorString());
    return got;
}

} // namespace huntaze::upload
