#pragma once

#include <QFile>
#include <QIODevice>

namespace huntaze::x {

// A read-only window [offset, offset + length) of a file, as a device Qt can stream a
// request body from: an APPEND segment goes to X straight from disk, never held in
// memory whole. Random access (not sequential), so Qt knows its size and can rewind it.
class FileSegment : public QIODevice {
    Q_OBJECT
public:
    FileSegment(const QString &path, qint64 offset, qint64 length, QObject *parent = nullptr);

    // ReadOnly only; fails when the file cannot be opened or is shorter than the window.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 position) override;
    bool atEnd() const override { return m_position >= m_length; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_offset;
    qint64 m_length;
    qint64 m_position = 0;
};

} // namespace huntaze::x
