#include "curlchunksender.h"

#include <QElapsedTimer>
#include <QFile>

#include <curl/curl.h>
#include <mutex>

namespace huntaze::upload {

namespace {
constexpr qint64 kBodyLimit = 64 * 1024;
constexpr long kUploadBuffer = 1024 * 1024; // large reads from disk, few syscalls
constexpr long kStallSeconds = 60;          // under 1 byte/s for this long: the chunk failed

struct Transfer {
    CurlChunkSender *sender;
    const ChunkRequest *request;
    std::atomic<bool> *abort;
    QFile file;
    qint64 left = 0;
    ChunkAnswer answer;
    QElapsedTimer sinceReport; // progress goes to the window at most every 100 ms
};

size_t readBody(char *buffer, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    const qint64 wanted = std::min<qint64>(qint64(size * count), t->left);
    if (wanted <= 0)
        return 0;
    const qint64 got = t->file.read(buffer, wanted);
    if (got <= 0) {
        t->answer.fileProblem = true;
        return CURL_READFUNC_ABORT;
    }
    t->left -= got;
    return size_t(got);
}

size_t keepBody(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    const qint64 room = kBodyLimit - t->answer.body.size();
    if (room > 0)
        t->answer.body.append(data, std::min<qint64>(room, qint64(size * count)));
    return size * count;
}

size_t keepHeader(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    const QByteArray line(data, qsizetype(size * count));
    if (line.toLower().startsWith("content-range:"))
        t->answer.contentRange = line.mid(14).trimmed();
    return size * count;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t uploaded) {
    auto *t = static_cast<Transfer *>(user);
    if (*t->abort)
        return 1; // CURLE_ABORTED_BY_CALLBACK
    // curl reports thousands of times a second on a fast link: a window needs ten.
    if (uploaded > 0 && (!t->sinceReport.isValid() || t->sinceReport.elapsed() >= 100 ||
                         uploaded == t->request->length)) {
        t->sinceReport.start();
        Q_EMIT t->sender->progressed(t->request->id, qint64(uploaded));
    }
    return 0;
}
} // namespace

CurlChunkSender::CurlChunkSender() {
    static std::once_flag initialised;
    std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    qRegisterMetaType<ChunkRequest>();
    qRegisterMetaType<ChunkAnswer>();
}

CurlChunkSender::~CurlChunkSender() {
    if (m_curl)
        curl_easy_cleanup(m_curl);
}

void CurlChunkSender::send(const ChunkRequest &request) {
    m_abort = false;
    Transfer t{this, &request, &m_abort, QFile(request.filePath), request.length, {}, {}};
    t.answer.id = request.id;
    if (!t.file.open(QIODevice::ReadOnly) || t.file.size() < request.first + request.length ||
        !t.file.seek(request.first)) {
        t.answer.fileProblem = true;
        t.answer.error = t.file.errorString();
        Q_EMIT answered(t.answer);
        return;
    }
    if (!m_curl)
        m_curl = curl_easy_init(); // one handle, so one kept-alive connection for all chunks
    CURL *curl = m_curl;
    curl_easy_reset(curl);
    const QByteArray url = request.url.toEncoded();
    curl_slist *headers = curl_slist_append(nullptr, "Expect:"); // no 100-continue round trip
    for (const auto &[name, value] : request.headers)
        headers = curl_slist_append(headers, QByteArray(name + ": " + value).constData());
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L); // PUT
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.length));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keepBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keepHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, kUploadBuffer);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // we are on a worker thread
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode result = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (result == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        t.answer.status = int(status);
    } else {
        t.answer.aborted = result == CURLE_ABORTED_BY_CALLBACK;
        t.answer.error = QString::fromUtf8(curl_easy_strerror(result));
    }
    Q_EMIT answered(t.answer);
}

} // namespace huntaze::upload
