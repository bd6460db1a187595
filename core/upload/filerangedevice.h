#pragma once

#include <QFile>
#include <QIODevice>

namespace huntaze::upload {

// A read-only window [start, start + length) onto a file, so one chunk can be handed to
// QNetworkAccessManager and streamed from disk as it is sent: memory stays constant
// whatever the file's size. Random access, so the network stack can rewind it.
class FileRangeDevice : public QIODevice {
    Q_OBJECT
public:
    FileRangeDevice(const QString &path, qint64 start, qint64 length, QObject *parent = nullptr);

    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 position) override;
    bool atEnd() const override { return pos() >= m_length; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_start;
    qint64 m_length;
};

} // namespace huntaze::upload
