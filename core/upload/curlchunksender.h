#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>

#include <atomic>

typedef void CURL;

namespace huntaze::upload {

// One chunk to PUT: bytes [first, first + length) of a file, streamed from disk.
struct ChunkRequest {
    quint64 id = 0; // echoed in the answer, so a late answer is never mistaken for a newer one
    QUrl url;
    QString filePath;
    qint64 first = 0;
    qint64 length = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

struct ChunkAnswer {
    quint64 id = 0;
    int status = 0;           // HTTP status; 0: no answer (network error, aborted)
    bool aborted = false;     // stopped by abort()
    bool fileProblem = false; // the file no longer holds the range
    QByteArray contentRange;
    QByteArray body; // the first 64 KiB
    QString error;
};

// Sends chunk PUTs with libcurl on a thread of its own. Qt's QNetworkAccessManager
// reaches only about 0.8 of curl's upload throughput (it never sets TCP_NODELAY, so each
// chunk's last segment waits for a delayed ACK, and it writes 16 KiB at a time; see
// bench/README.md): curl streams the file in large reads with TCP_NODELAY, reuses one
// connection for every chunk, and keeps memory constant. Move the object to a worker
// thread; send() blocks that thread for one chunk; abort() may be called from anywhere.
class CurlChunkSender : public QObject {
    Q_OBJECT
public:
    CurlChunkSender();
    ~CurlChunkSender() override;
    void abort() { m_abort = true; }

public Q_SLOTS:
    void send(const huntaze::upload::ChunkRequest &request);

Q_SIGNALS:
    void progressed(quint64 id, qint64 bytesSent);
    void answered(const huntaze::upload::ChunkAnswer &answer);

private:
    CURL *m_curl = nullptr;
    std::atomic<bool> m_abort{false};
};

} // namespace huntaze::upload

Q_DECLARE_METATYPE(huntaze::upload::ChunkRequest)
Q_DECLARE_METATYPE(huntaze::upload::ChunkAnswer)
