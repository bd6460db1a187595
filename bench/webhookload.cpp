// webhookload: a closed-loop HTTP load generator for the webhook benchmark. N keep-alive
// connections each send a uniquely identified, TikTok-signed webhook, wait for the
// answer, and send the next, for a fixed time. Prints one JSON object with counts and
// latency percentiles. --plain sends the same requests unsigned (for nginx).
#include <algorithm>
// clang-format off
#include <utility> // first: Boost 1.74 Asio uses std::exchange without including it
// clang-format on
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string>
#include <string_view>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "8080";
    std::string path = "/webhooks/tiktok";
    std::string secret;
    int connections = 50;
    int seconds = 20;
    bool plain = false;
};

struct Stats {
    long ok = 0;
    long failed = 0;
    long transportErrors = 0;
    std::map<int, long> statuses;
    std::vector<double> latenciesMs;
};

// HMAC-SHA256 keyed once: OpenSSL 3's one-shot HMAC() looks the algorithm up and derives
// the key pads on every call, a cost the relay does not pay (core/crypto/signatures.cpp)
// and the load generator, sharing the machine with it, should not either.
class Signer {
public:
    explicit Signer(const std::string &key) {
        EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        m_keyed = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac);
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (!m_keyed || EVP_MAC_init(m_keyed, reinterpret_cast<const unsigned char *>(key.data()),
                                     key.size(), params) != 1) {
            std::fprintf(stderr, "cannot set up HMAC-SHA256\n");
            std::exit(2);
        }
    }
    ~Signer() { EVP_MAC_CTX_free(m_keyed); }
    Signer(const Signer &) = delete;
    Signer &operator=(const Signer &) = delete;

    std::string hex(std::initializer_list<std::string_view> message) const {
        EVP_MAC_CTX *context = EVP_MAC_CTX_dup(m_keyed);
        for (std::string_view part : message)
            EVP_MAC_update(context, reinterpret_cast<const unsigned char *>(part.data()),
                           part.size());
        unsigned char digest[32];
        size_t length = 0;
        EVP_MAC_final(context, digest, &length, sizeof digest);
        EVP_MAC_CTX_free(context);
        static const char *hexDigits = "0123456789abcdef";
        std::string out(2 * length, '0');
        for (size_t i = 0; i < length; ++i) {
            out[2 * i] = hexDigits[digest[i] >> 4];
            out[2 * i + 1] = hexDigits[digest[i] & 15];
        }
        return out;
    }

private:
    EVP_MAC_CTX *m_keyed = nullptr;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(net::io_context &io, const Options &options, const Signer &signer, Stats &stats,
               int id, Clock::time_point deadline)
        : m_stream(io)
        , m_options(options)
        , m_signer(signer)
        , m_stats(stats)
        , m_id(id)
        , m_deadline(deadline) {}

    void start(const net::ip::tcp::resolver::results_type &endpoints) {
        m_stream.async_connect(endpoints, [self = shared_from_this()](beast::error_code ec, auto) {
            if (ec) {
                ++self->m_stats.transportErrors;
                return;
            }
            self->m_stream.socket().set_option(net::ip::tcp::no_delay(true));
            self->send();
        });
    }

private:
    void send() {
        if (Clock::now() >= m_deadline)
            return;
        ++m_sequence;
        const std::string content = "{\"publish_id\":\"bench-" + std::to_string(m_id) + "-" +
                                    std::to_string(m_sequence) +
                                    "\",\"publish_type\":\"INBOX_SHARE\"}";
        std::string escaped;
        for (char c : content)
            escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
        const std::string body = "{\"client_key\":\"bench\",\"event\":\"post.publish.inbox_"
                                 "delivered\",\"create_time\":" +
                                 std::to_string(1700000000 + m_sequence) +
                                 ",\"user_openid\":\"bench-" + std::to_string(m_id) +
                                 "\",\"content\":\"" + escaped + "\"}";
        m_request = {};
        m_request.method(http::verb::post);
        m_request.target(m_options.path);
        m_request.version(11);
        m_request.set(http::field::host, m_options.host);
        m_request.set(http::field::content_type, "application/json");
        if (!m_options.plain) {
            const std::string t =
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
            m_request.set("TikTok-Signature", "t=" + t + ",s=" + m_signer.hex({t, ".", body}));
        }
        m_request.body() = body;
        m_request.prepare_payload();
        m_started = Clock::now();
        http::async_write(m_stream, m_request,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                  ++self->m_stats.transportErrors;
                                  return;
                              }
                              self->m_response = {};
                              http::async_read(self->m_stream, self->m_buffer, self->m_response,
                                               [self](beast::error_code rec, std::size_t) {
                                                   self->received(rec);
                                               });
                          });
    }

    void received(beast::error_code ec) {
        if (ec) {
            ++m_stats.transportErrors;
            return;
        }
        const double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - m_started).count();
        const int status = m_response.result_int();
        ++m_stats.statuses[status];
        if (status >= 200 && status < 300) {
            ++m_stats.ok;
            m_stats.latenciesMs.push_back(ms);
        } else {
            ++m_stats.failed;
        }
        send();
    }

    beast::tcp_stream m_stream;
    const Options &m_options;
    const Signer &m_signer;
    Stats &m_stats;
    int m_id;
    Clock::time_point m_deadline;
    long m_sequence = 0;
    Clock::time_point m_started;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
    http::response<http::string_body> m_response;
};

double percentile(std::vector<double> &values, double p) {
    if (values.empty())
        return 0;
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + long(index), values.end());
    return values[index];
}

int main(int argc, char **argv) {
    Options options;
    for (int i = 1; i + 1 < argc || (i < argc && std::strcmp(argv[i], "--plain") == 0); ++i) {
        const std::string flag = argv[i];
        if (flag == "--plain") {
            options.plain = true;
            continue;
        }
        const std::string value = argv[++i];
        if (flag == "--host")
            options.host = value;
        else if (flag == "--port")
            options.port = value;
        else if (flag == "--path")
            options.path = value;
        else if (flag == "--secret")
            options.secret = value;
        else if (flag == "--connections")
            options.connections = std::stoi(value);
        else if (flag == "--seconds")
            options.seconds = std::stoi(value);
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    net::io_context io;
    Stats stats;
    const Signer signer(options.secret);
    const auto endpoints = net::ip::tcp::resolver(io).resolve(options.host, options.port);
    const auto begin = Clock::now();
    const auto deadline = begin + std::chrono::seconds(options.seconds);
    for (int i = 0; i < options.connections; ++i)
        std::make_shared<Connection>(io, options, signer, stats, i, deadline)->start(endpoints);
    io.run();
    const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    std::string statuses;
    for (const auto &[status, count] : stats.statuses)
        statuses += (statuses.empty() ? "" : ",") + std::string("\"") + std::to_string(status) +
                    "\":" + std::to_string(count);
    std::printf(
        "{\"ok\":%ld,\"failed\":%ld,\"transport_errors\":%ld,\"seconds\":%.3f,\"rate\":%.1f,"
        "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"statuses\":{%s}}\n",
        stats.ok, stats.failed, stats.transportErrors, elapsed, double(stats.ok) / elapsed,
        percentile(stats.latenciesMs, 0.50), percentile(stats.latenciesMs, 0.99),
        percentile(stats.latenciesMs, 0.999), statuses.c_str());
    return stats.ok > 0 ? 0 : 1;
}
