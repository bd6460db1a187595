#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace huntaze::net {

// A request body that can be read exactly once. QNetworkAccessManager silently sends a
// request again when the server closes the connection before answering; for a call
// that creates something (TikTok's init) that would be a blind retry, and a second
// post. Given this body (with DoNotBufferUploadDataAttribute), Qt cannot rewind it and
// fails the request instead, which the caller reads as "outcome unknown".
class OneShotBody : public QIODevice {
    Q_OBJECT
public:
    explicit OneShotBody(QByteArray data, QObject *parent = nullptr);
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override;
    qint64 size() const override { return m_data.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_position = 0;
};

// Sends a request whose body Qt can never send a second time on its own (GET and other
// bodiless requests go as usual). For every call that is not safe to repeat: code
// exchanges (codes are single use), refreshes (refresh tokens rotate), inits, pairing.
QNetworkReply *sendOnce(QNetworkAccessManager &network, QNetworkRequest request,
                        const QByteArray &method, const QByteArray &body);

} // namespace huntaze::net
