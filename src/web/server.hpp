#pragma once
// The HTTP(S) server: Boost.Beast on asynchronous I/O, one io_context thread per core, and a bounded worker pool for
// handlers marked Execution::Blocking (HSM, KDF, database writes), so slow work never stalls OCSP.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

namespace yq::web {

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

class Server {
public:
    // Refuses (Error "config.insecure_listener") a non-loopback listener without TLS unless the config allows it.
    Server(const core::ServerConfig& config, Router& router, Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Runs `job` on the worker pool every `interval` while the server runs; a throwing job is logged and retried.
    void every(std::chrono::milliseconds interval, std::string name, std::function<void()> job);

    // Another listening address with its own routes (the back office apart from the public site); before run().
    // `config_name` names the listener's settings in errors. Listener 0 is the server's own.
    void add_listener(const core::ListenerConfig& listener, Router& router, const std::string& config_name);

    int port(std::size_t listener = 0) const;  // the bound port (useful with port 0)
    bool tls(std::size_t listener = 0) const;
    void run();           // blocks until stop() or SIGINT/SIGTERM
    void stop();

    struct Impl;  // opaque; public only so the connection sessions in server.cpp can name it

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace yq::web
