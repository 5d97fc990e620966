#include "web/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <atomic>
#include <thread>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_buffer.hpp"
#include "core/json_text.hpp"

namespace yq::web {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    boost::system::error_code ec;
    auto addr = net::ip::make_address(host, ec);
    return !ec && addr.is_loopback();
}

namespace {

Response error_response(int status, const std::string& code, const std::string& message,
                        const std::vector<std::string>& details = {}) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    nlohmann::json body{{"error", code}, {"message", message}};
    if (!details.empty()) body["details"] = details;
    r.body = core::json_text(body);
    return r;
}

// Turns any exception from a handler into a response. Internal details never reach the client for 5xx.
Response invoke(const Route& route, const Request& req) {
    try {
        return route.handler(req);
    } catch (const Error& e) {
        if (e.http_status() >= 500) spdlog::error("request {} {} failed: {} ({})", req.request_id, route.name, e.what(), e.code());
        std::string message = e.http_status() >= 500 ? "the server could not complete the request; request id " +
                                                           req.request_id
                                                     : e.what();
        return error_response(e.http_status(), e.code(), message, e.http_status() >= 500 ? std::vector<std::string>{}
                                                                                          : e.details());
    } catch (const std::exception& e) {
        spdlog::error("request {} {} failed: {}", req.request_id, route.name, e.what());
        return error_response(500, "internal", "the server could not complete the request; request id " + req.request_id);
    }
}

}  // namespace

// One single-threaded io_context per I/O thread: a connection lives on one thread for its whole life, so no strands
// and no cross-thread wake-ups on the hot path (measured: the shared io_context spent its time in the kernel waking
// the other thread).
struct Server::Impl {
    // One listening socket with its own routes (the public site and API, or the back office on its own address).
    struct Listener {
        Router& router;
        tcp::acceptor acceptor;
        std::optional<ssl::context> tls_context;
        Listener(Router& r, net::io_context& io) : router(r), acceptor(io) {}
    };

    core::ServerConfig config;
    Metrics& metrics;
    std::vector<std::unique_ptr<net::io_context>> contexts;
    std::size_t next_context = 0;
    net::thread_pool workers;
    std::vector<std::unique_ptr<Listener>> listeners;
    std::vector<std::unique_ptr<net::steady_timer>> timers;
    net::signal_set signals;
    std::string id_prefix = core::random_token(4);
    std::atomic<std::uint64_t> next_request{0};

    static std::vector<std::unique_ptr<net::io_context>> make_contexts(int n) {
        std::vector<std::unique_ptr<net::io_context>> v;
        for (int i = 0; i < n; ++i) v.push_back(std::make_unique<net::io_context>(1));
        return v;
    }
    static int io_thread_count(const core::ServerConfig& c) {
        return c.io_threads > 0 ? c.io_threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }

    Impl(const core::ServerConfig& c, Metrics& m)
        : config(c), metrics(m), contexts(make_contexts(io_thread_count(c))),
          workers(static_cast<std::size_t>(std::max(1, c.worker_threads))), signals(*contexts[0], SIGINT, SIGTERM) {}

    net::io_context& main_context() { return *contexts[0]; }
    // Cheap unique request ids: a random per-process prefix and a counter (no RNG lock per request).
    std::string request_id() { return id_prefix + "-" + std::to_string(++next_request); }
    void listen(const core::ListenerConfig& l, Router& router, const std::string& config_name);
    void accept(Listener& listener);
};

namespace {

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... Args>
    Session(Server::Impl& server, Router& router, std::string remote, Args&&... args)
        : m_server(server), m_router(router), m_remote(std::move(remote)), m_stream(std::forward<Args>(args)...) {}

    void start() {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(m_server.config.read_timeout_seconds));
            m_stream.async_handshake(ssl::stream_base::server,
                                     [self = this->shared_from_this()](beast::error_code ec) {
                                         if (!ec) self->read();
                                     });
        } else {
            read();
        }
    }

private:
    void read() {
        m_parser.emplace();
        m_parser->header_limit(16 * 1024);
        m_parser->body_limit(m_server.config.max_body_bytes);
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(m_server.config.read_timeout_seconds));
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit) {
            m_keep_alive = false;
            std::string target(m_parser->get().target());
            std::string limit = std::to_string(m_server.config.max_body_bytes);
            Response r = error_response(413, "http.body_too_large", "the request body is larger than " + limit + " bytes");
            if (target.rfind("/csc/", 0) == 0)  // CSC clients read the CSC error body (CSC API §10.1)
                r.body = nlohmann::json{{"error", "invalid_request"},
                                        {"error_description", "The request body is larger than " + limit + " bytes"}}
                             .dump();  // nothing from the request in it
            write(std::move(r), "oversize");
            return;
        }
        if (ec) return close();  // end of stream, timeout, garbage: nothing to answer
        auto msg = m_parser->release();
        // #14: what the socket delivered (the raw request, secrets included) is not kept in the read buffer: an empty
        // buffer gives its memory back now (the zeroizing allocator wipes it); pipelined bytes stay for the next read.
        if (m_buffer.size() == 0) m_buffer.shrink_to_fit();
        m_keep_alive = msg.keep_alive();
        Request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        auto q = req.target.find('?');
        req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
        for (const auto& field : msg) {
            std::string name(field.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            req.headers[name] = std::string(field.value());
        }
        req.body = std::move(msg.body());
        req.remote_address = m_remote;
        req.request_id = m_server.request_id();
        try {
            req.path = url_decode(req.target.substr(0, q));
        } catch (const Error& e) {
            write(error_response(400, e.code(), e.what()), "bad_request");
            return;
        }
        bool path_exists = false;
        const Route* route = m_router.match(req.method, req.path, path_exists);
        if (route == nullptr) {
            write(path_exists ? error_response(405, "http.method_not_allowed", "this path does not accept " + req.method)
                              : error_response(404, "http.not_found", "nothing is served at " + req.path),
                  path_exists ? "method_not_allowed" : "not_found");
            return;
        }
        req.params = path_parameters(route->pattern, req.path);
        m_head = req.method == "HEAD";
        if (route->execution == Execution::Inline) {
            Response resp = invoke(*route, req);
            wipe_request(req);
            write(std::move(resp), route->name);
            return;
        }
        net::post(m_server.workers, [self = this->shared_from_this(), route, req = std::move(req)]() mutable {
            Response resp = invoke(*route, req);
            wipe_request(req);
            net::post(self->m_stream.get_executor(),
                      [self, resp = std::move(resp), route]() mutable { self->write(std::move(resp), route->name); });
        });
    }

    void write(Response r, const std::string& route_name) {
        m_server.metrics.count(route_name, r.status);
        m_response = {};
        m_response.version(11);
        m_response.result(static_cast<http::status>(r.status));
        m_response.set(http::field::server, "yunqian");
        m_response.set(http::field::content_type, r.content_type);
        m_response.set("X-Content-Type-Options", "nosniff");
        m_response.set("Referrer-Policy", "no-referrer");
        m_response.set("X-Frame-Options", "DENY");
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>)
            m_response.set("Strict-Transport-Security", "max-age=31536000");
        for (const auto& [k, v] : r.headers) m_response.set(k, v);
        m_response.keep_alive(m_keep_alive);
        std::size_t body_size = r.body.size();
        if (!m_head) m_response.body() = std::move(r.body);
        m_response.content_length(body_size);
        http::async_write(m_stream, m_response,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              // a PIN letter or a staff sign-in's one-time secrets leave in a response body
                              std::string& sent = self->m_response.body();
                              core::secure_wipe(sent.data(), sent.capacity());
                              if (ec || !self->m_keep_alive) return self->close();
                              self->read();
                          });
    }

    void close() {
        beast::error_code ec;
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
            m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
        } else {
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
    }

    Server::Impl& m_server;
    Router& m_router;
    std::string m_remote;
    Stream m_stream;
    // Zeroizing allocators: the raw bytes read and the parsed header fields (Basic credentials, session cookies)
    // are wiped when their memory is released (#14).
    beast::basic_flat_buffer<core::ZeroizingAllocator<char>> m_buffer;
    std::optional<http::request_parser<http::string_body, core::ZeroizingAllocator<char>>> m_parser;
    http::response<http::string_body> m_response;
    bool m_keep_alive = false;
    bool m_head = false;
};

}  // namespace

void Server::Impl::accept(Listener& listener) {
    net::io_context& target = *contexts[next_context++ % contexts.size()];
    listener.acceptor.async_accept(target, [this, &listener](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (ec == net::error::operation_aborted) return;
        } else {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::string remote = socket.remote_endpoint(ignored).address().to_string();
            if (listener.tls_context) {
                std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, listener.router, remote,
                                                                                std::move(socket), *listener.tls_context)
                    ->start();
            } else {
                std::make_shared<Session<beast::tcp_stream>>(*this, listener.router, remote, std::move(socket))->start();
            }
        }
        accept(listener);
    });
}

void Server::Impl::listen(const core::ListenerConfig& l, Router& router, const std::string& config_name) {
    for (const Route& r : router.routes()) metrics.declare_route(r.name);
    auto listener = std::make_unique<Listener>(router, main_context());
    bool want_tls = !l.tls_certificate.empty() || !l.tls_private_key.empty();
    if (want_tls && (l.tls_certificate.empty() || l.tls_private_key.empty()))
        throw Error("config.invalid", 500, "TLS needs both " + config_name + ".tls_certificate and tls_private_key");
    if (!want_tls && !is_loopback_host(l.host) && !l.allow_plaintext_non_loopback)
        throw Error("config.insecure_listener", 500,
                    "refusing to listen on " + l.host + " without TLS: set " + config_name +
                        ".tls_certificate/tls_private_key, or allow_plaintext_non_loopback=true when a TLS proxy sits "
                        "in front");
    if (want_tls) {
        listener->tls_context.emplace(ssl::context::tls_server);
        auto& ctx = *listener->tls_context;
        ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        boost::system::error_code ec;
        ctx.use_certificate_chain_file(l.tls_certificate, ec);
        if (!ec) ctx.use_private_key_file(l.tls_private_key, ssl::context::pem, ec);
        if (ec) throw Error("config.invalid", 500, "cannot load the TLS certificate or key: " + ec.message());
    }
    boost::system::error_code ec;
    std::string host = l.host == "localhost" ? "127.0.0.1" : l.host;
    tcp::endpoint endpoint(net::ip::make_address(host, ec), static_cast<unsigned short>(l.port));
    if (ec) throw Error("config.invalid", 500, config_name + ".host '" + l.host + "' is not an IP address");
    auto& a = listener->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error("server.listen_failed", 500,
                    "cannot listen on " + l.host + ":" + std::to_string(l.port) + ": " + ec.message());
    listeners.push_back(std::move(listener));
}

Server::Server(const core::ServerConfig& config, Router& router, Metrics& metrics)
    : m_impl(std::make_unique<Impl>(config, metrics)) {
    for (const char* internal : {"not_found", "method_not_allowed", "bad_request", "oversize"}) metrics.declare_route(internal);
    m_impl->listen(config.listener, router, "server.listener");
}

void Server::add_listener(const core::ListenerConfig& listener, Router& router, const std::string& config_name) {
    m_impl->listen(listener, router, config_name);
}

Server::~Server() {
    stop();
    m_impl->workers.join();
}

int Server::port(std::size_t listener) const { return m_impl->listeners.at(listener)->acceptor.local_endpoint().port(); }
bool Server::tls(std::size_t listener) const { return m_impl->listeners.at(listener)->tls_context.has_value(); }

void Server::every(std::chrono::milliseconds interval, std::string name, std::function<void()> job) {
    auto timer = std::make_unique<net::steady_timer>(m_impl->main_context());
    net::steady_timer* t = timer.get();
    m_impl->timers.push_back(std::move(timer));
    auto tick = std::make_shared<std::function<void()>>();
    *tick = [this, t, interval, name, job, tick]() {
        t->expires_after(interval);
        t->async_wait([this, name, job, tick](beast::error_code ec) {
            if (ec) return;
            net::post(m_impl->workers, [this, name, job, tick]() {
                try {
                    job();
                } catch (const std::exception& e) {
                    spdlog::error("scheduled job {} failed: {}", name, e.what());
                }
                net::post(m_impl->main_context(), [tick]() { (*tick)(); });
            });
        });
    };
    net::post(m_impl->main_context(), [tick]() { (*tick)(); });
}

void Server::run() {
    m_impl->signals.async_wait([this](beast::error_code, int) { stop(); });
    // #17: a daemon does not die because whoever read its output went away (a supervisor's log pipe closing, a full
    // disk under the log reader): the write fails with EPIPE instead of SIGPIPE ending the process. Sockets already
    // send with MSG_NOSIGNAL.
    std::signal(SIGPIPE, SIG_IGN);
    for (auto& listener : m_impl->listeners) m_impl->accept(*listener);
    std::vector<std::thread> threads;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    for (std::size_t i = 1; i < m_impl->contexts.size(); ++i) {
        keep_running.push_back(net::make_work_guard(*m_impl->contexts[i]));
        threads.emplace_back([this, i] { m_impl->contexts[i]->run(); });
    }
    m_impl->main_context().run();
    keep_running.clear();
    for (auto& c : m_impl->contexts) c->stop();
    for (auto& t : threads) t.join();
}

void Server::stop() {
    for (auto& c : m_impl->contexts) c->stop();
}

}  // namespace yq::web
