#include "httpserver.h"

#include "responsebytes.h"

#include <QObject>

#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace huntaze::relay {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// What the server needs of a connection, whatever its stream (plain TCP or TLS).
class SessionBase {
public:
    virtual ~SessionBase() = default;
    virtual void closeWhenIdle() = 0;
};

// Member order matters: the io_context is destroyed before the session registry, so
// sessions still queued in it can unregister themselves on the way out.
struct HttpServer::Impl {
    HttpLimits limits;
    HttpHandler handler;
    std::atomic<bool> stopping{false};
    std::mutex sessionsMutex;
    std::condition_variable sessionsDrained;
    std::unordered_map<SessionBase *, std::weak_ptr<SessionBase>> sessions;
    std::optional<net::ssl::context> tls;
    net::io_context ioc;
    std::optional<tcp::acceptor> acceptor;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::thread> threads;

    void accept();
};

namespace {

QByteArray toBytes(beast::string_view view) {
    return QByteArray(view.data(), qsizetype(view.size()));
}

} // namespace

// One TCP connection. All of its handlers run on its own strand, so no locking is
// needed inside; the responder handed to request handlers hops back onto that strand.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

public:
    template <class... StreamArguments>
    Session(HttpServer::Impl &server, StreamArguments &&...streamArguments)
        : m_stream(std::forward<StreamArguments>(streamArguments)...)
        , m_server(server) {}

    ~Session() {
        std::lock_guard lock(m_server.sessionsMutex);
        m_server.sessions.erase(this);
        m_server.sessionsDrained.notify_all();
    }

    void start() {
        {
            std::lock_guard lock(m_server.sessionsMutex);
            m_server.sessions.emplace(this, this->weak_from_this());
        }
        beast::error_code ec;
        const auto endpoint = lowest().socket().remote_endpoint(ec);
        if (!ec)
            m_remote = QString::fromStdString(endpoint.address().to_string());
        if constexpr (kTls) {
            // The handshake counts against the header deadline: a silent client is dropped.
            lowest().expires_after(m_server.limits.headerTimeout);
            m_stream.async_handshake(
                net::ssl::stream_base::server,
                [self = this->shared_from_this()](beast::error_code handshakeError) {
                    if (handshakeError)
                        return self->close();
                    self->readHeader();
                });
        } else {
            net::dispatch(
                m_stream.get_executor(),
                beast::bind_front_handler(&Session::readHeader, this->shared_from_this()));
        }
    }

    // Called on shutdown: an idle keep-alive connection is closed now, a busy one after
    // its response.
    void closeWhenIdle() override {
        net::post(m_stream.get_executor(), [self = this->shared_from_this()] {
            self->m_closeAfterResponse = true;
            if (!self->m_busy)
                self->close();
        });
    }

private:
    void readHeader() {
        if (m_server.stopping) {
            close();
            return;
        }
        m_parser.emplace();
        m_parser->header_limit(m_server.limits.maxHeaderBytes);
        m_parser->body_limit(m_server.limits.largestBodyLimit());
        if (!m_firstRequest && m_buffer.size() == 0) {
            // Between requests a keep-alive connection may idle; but once the next request
            // starts, its headers get the (shorter) header deadline, so a slow sender cannot
            // hold the connection for the whole idle time.
            lowest().expires_after(m_server.limits.idleTimeout);
            m_stream.async_read_some(
                m_buffer.prepare(4096),
                [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                    if (ec)
                        return self->close();
                    self->m_buffer.commit(bytes);
                    self->readHeaderWithDeadline();
                });
            return;
        }
        readHeaderWithDeadline();
    }

    void readHeaderWithDeadline() {
        lowest().expires_after(m_server.limits.headerTimeout);
        http::async_read_header(
            m_stream, m_buffer, *m_parser,
            beast::bind_front_handler(&Session::onHeader, this->shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t) {
        m_firstRequest = false;
        if (ec)
            return failRead(ec);
        m_busy = true;
        const auto &header = m_parser->get();
        const auto target = header.target();
        const std::size_t bodyLimit =
            m_server.limits.bodyLimitFor(std::string_view(target.data(), target.size()));
        m_parser->body_limit(bodyLimit); // before any of the body is parsed
        if (header.find(http::field::content_length) != header.end() &&
            m_parser->content_length() && *m_parser->content_length() > bodyLimit)
            return respondAndClose(
                HttpResponse::error(413, QStringLiteral("body_too_large"),
                                    QObject::tr("The request body is too large.")));
        if (beast::iequals(header[http::field::expect], "100-continue")) {
            // curl and others wait for this before sending a body.
            auto interim = std::make_shared<http::response<http::empty_body>>(
                http::status::continue_, header.version());
            http::async_write(
                m_stream, *interim,
                [self = this->shared_from_this(), interim](beast::error_code wec, std::size_t) {
                    if (wec)
                        return self->close();
                    self->readBody();
                });
            return;
        }
        readBody();
    }

    void readBody() {
        lowest().expires_after(m_server.limits.bodyTimeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&Session::onBody, this->shared_from_this()));
    }

    void failRead(beast::error_code ec) {
        if (ec == http::error::header_limit)
            return respondAndClose(
                HttpResponse::error(431, QStringLiteral("headers_too_large"),
                                    QObject::tr("The request headers are too large.")));
        if (ec == http::error::body_limit)
            return respondAndClose(
                HttpResponse::error(413, QStringLiteral("body_too_large"),
                                    QObject::tr("The request body is too large.")));
        if (ec == beast::error::timeout && m_busy)
            return respondAndClose(
                HttpResponse::error(408, QStringLiteral("request_timeout"),
                                    QObject::tr("The request was not received in time.")));
        if (ec == http::error::end_of_stream || ec == net::error::eof ||
            ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset)
            return close();
        // Anything else is a malformed request: say so and hang up, since the stream
        // position can no longer be trusted.
        respondAndClose(HttpResponse::error(400, QStringLiteral("bad_request"),
                                            QObject::tr("The request is not valid HTTP/1.1.")));
    }

    void onBody(beast::error_code ec, std::size_t) {
        if (ec)
            return failRead(ec);
        auto message = m_parser->release();
        m_version = message.version();
        m_keepAlive = message.keep_alive();

        HttpRequest request;
        request.method = toBytes(message.method_string());
        const QByteArray target = toBytes(message.target());
        const qsizetype question = target.indexOf('?');
        request.path = QString::fromUtf8(question < 0 ? target : target.left(question));
        if (question >= 0)
            request.query.setQuery(QString::fromUtf8(target.mid(question + 1)));
        request.headers.reserve(std::distance(message.begin(), message.end()));
        for (const auto &field : message)
            request.headers.append(
                {toBytes(field.name_string()).toLower(), toBytes(field.value())});
        request.body = QByteArray(message.body().data(), qsizetype(message.body().size()));
        request.remoteAddress = m_remote;

        // The handler may answer on another thread; hop back onto our strand, once.
        auto answered = std::make_shared<std::atomic<bool>>(false);
        auto self = this->shared_from_this();
        HttpResponder responder = [self, answered](HttpResponse response) {
            if (answered->exchange(true))
                return;
            net::post(self->m_stream.get_executor(),
                      [self, response = std::move(response)] { self->write(response); });
        };
        lowest().expires_never(); // the handler's own deadline governs now
        m_server.handler(std::move(request), std::move(responder));
    }

    void write(const HttpResponse &response) {
        const bool keepAlive = m_keepAlive && !m_closeAfterResponse && !m_server.stopping;
        auto bytes =
            std::make_shared<const std::string>(responseBytes(response, m_version, keepAlive));
        lowest().expires_after(m_server.limits.bodyTimeout);
        net::async_write(
            m_stream, net::buffer(*bytes),
            [self = this->shared_from_this(), bytes, keepAlive](beast::error_code ec, std::size_t) {
                self->m_busy = false;
                if (ec)
                    return self->close();
                if (!keepAlive)
                    return self->lingeringClose();
                self->readHeader();
            });
    }

    void respondAndClose(const HttpResponse &response) {
        m_busy = true;
        m_keepAlive = false;
        write(response);
    }

    // Closing while the client is still sending (a refused oversized body) would reset
    // the connection and the client might never read our answer. So, like nginx: stop
    // sending, read and discard for a moment, then close.
    void lingeringClose() {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().expires_after(std::chrono::seconds(2));
        drainThenClose(std::make_shared<std::array<char, 16384>>(), 0);
    }

    void drainThenClose(std::shared_ptr<std::array<char, 16384>> scratch, std::size_t drained) {
        constexpr std::size_t kMaxDrained = 8 * 1024 * 1024;
        auto buffer = net::buffer(*scratch);
        m_stream.async_read_some(buffer, [self = this->shared_from_this(), scratch,
                                          drained](beast::error_code ec, std::size_t bytes) {
            if (ec || drained + bytes > kMaxDrained)
                return self->close();
            self->drainThenClose(scratch, drained + bytes);
        });
    }

    void close() {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().socket().close(ignored);
    }

    beast::tcp_stream &lowest() { return beast::get_lowest_layer(m_stream); }

    Stream m_stream;
    HttpServer::Impl &m_server;
    beast::flat_buffer m_buffer{8192};
    std::optional<http::request_parser<http::string_body>> m_parser;
    QString m_remote;
    unsigned m_version = 11;
    bool m_keepAlive = false;
    bool m_busy = false;
    bool m_firstRequest = true;
    bool m_closeAfterResponse = false;
};

void HttpServer::Impl::accept() {
    acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || stopping)
            return;
        if (!ec) {
            beast::error_code ignored;
            {
                std::lock_guard lock(sessionsMutex);
                if (sessions.size() >= limits.maxConnections) {
                    socket.close(ignored); // a connection flood must not exhaust descriptors
                    accept();
                    return;
                }
            }
            socket.set_option(tcp::no_delay(true), ignored);
            if (tls)
                std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                    *this, std::move(socket), *tls)
                    ->start();
            else
                std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->start();
        }
        accept();
    });
}

HttpServer::HttpServer(HttpLimits limits, HttpHandler handler)
    : d(std::make_unique<Impl>()) {
    d->limits = limits;
    d->handler = std::move(handler);
}

HttpServer::~HttpServer() {
    stop();
}

Result<quint16> HttpServer::listen(const QString &host, quint16 port) {
    beast::error_code ec;
    const auto address = net::ip::make_address(host.toStdString(), ec);
    if (ec)
        return Error{QStringLiteral("http"),
                     QStringLiteral("bad_address"),
                     QObject::tr("'%1' is not an IP address to listen on.").arg(host),
                     {},
                     0,
                     false,
                     {}};
    tcp::endpoint endpoint(address, port);
    d->acceptor.emplace(net::make_strand(d->ioc));
    auto fail = [&](const char *what) {
        return Error{QStringLiteral("http"),
                     QStringLiteral("listen_failed"),
                     QObject::tr("Cannot listen on %1:%2: %3")
                         .arg(host)
                         .arg(port)
                         .arg(QString::fromStdString(ec.message())),
                     QString::fromLatin1(what),
                     0,
                     false,
                     {}};
    };
    d->acceptor->open(endpoint.protocol(), ec);
    if (ec)
        return fail("open");
    d->acceptor->set_option(net::socket_base::reuse_address(true), ec);
    d->acceptor->bind(endpoint, ec);
    if (ec)
        return fail("bind");
    d->acceptor->listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        return fail("listen");
    return d->acceptor->local_endpoint().port();
}

Result<void> HttpServer::enableTls(const QString &certificateChainFile,
                                   const QString &privateKeyFile) {
    beast::error_code ec;
    net::ssl::context context(net::ssl::context::tls_server);
    context.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                        net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                        net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    context.use_certificate_chain_file(certificateChainFile.toStdString(), ec);
    if (!ec)
        context.use_private_key_file(privateKeyFile.toStdString(), net::ssl::context::pem, ec);
    if (ec)
        return Error{
            QStringLiteral("http"),
            QStringLiteral("HUNTAZE_TLS_CERT"),
            QObject::tr("HUNTAZE_TLS_CERT / HUNTAZE_TLS_KEY: cannot use %1 and %2: %3")
                .arg(certificateChainFile, privateKeyFile, QString::fromStdString(ec.message())),
            {},
            0,
            false,
            {}};
    d->tls.emplace(std::move(context));
    return {};
}

void HttpServer::start(int threads) {
    d->work.emplace(d->ioc.get_executor());
    d->accept();
    for (int i = 0; i < std::max(1, threads); ++i)
        d->threads.emplace_back([this] { d->ioc.run(); });
}

void HttpServer::stop() {
    if (d->stopping.exchange(true))
        return;
    if (d->acceptor)
        net::post(d->acceptor->get_executor(), [this] {
            beast::error_code ignored;
            d->acceptor->close(ignored);
        });
    std::vector<std::shared_ptr<SessionBase>> live;
    {
        std::lock_guard lock(d->sessionsMutex);
        for (auto &[raw, weak] : d->sessions)
            if (auto session = weak.lock())
                live.push_back(std::move(session));
    }
    for (auto &session : live)
        session->closeWhenIdle();
    live.clear();
    {
        std::unique_lock lock(d->sessionsMutex);
        d->sessionsDrained.wait_for(lock, d->limits.shutdownGrace,
                                    [this] { return d->sessions.empty(); });
    }
    d->work.reset();
    d->ioc.stop();
    for (auto &thread : d->threads)
        if (thread.joinable())
            thread.join();
    d->threads.clear();
}

} // namespace huntaze::relay
