#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace yq::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {
template <class Stream>
HttpResult exchange(Stream& stream, const std::string& method, const std::string& target, const std::string& body,
                    const std::string& content_type, const std::string& host,
                    const std::map<std::string, std::string>& headers) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    for (const auto& f : res) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
    }
    return out;
}
}  // namespace

HttpResult http_request(const std::string& method, int port, const std::string& target, const std::string& body,
                        const std::string& content_type, const std::string& tls_ca_file, const std::string& host,
                        const std::map<std::string, std::string>& headers) {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(host, std::to_string(port));
    if (tls_ca_file.empty()) {
        beast::tcp_stream stream(ioc);
        stream.connect(endpoints);
        return exchange(stream, method, target, body, content_type, host, headers);
    }
    ssl::context ctx(ssl::context::tls_client);
    ctx.load_verify_file(tls_ca_file);
    ctx.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    stream.set_verify_callback(ssl::host_name_verification(host));
    beast::get_lowest_layer(stream).connect(endpoints);
    stream.handshake(ssl::stream_base::client);
    return exchange(stream, method, target, body, content_type, host, headers);
}

struct HttpConnection::Impl {
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    int port;
};

HttpConnection::HttpConnection(int port) : m_impl(std::make_unique<Impl>()) {
    m_impl->port = port;
    tcp::resolver resolver(m_impl->ioc);
    m_impl->stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
}

HttpConnection::~HttpConnection() = default;

HttpResult HttpConnection::request(const std::string& method, const std::string& target, const std::string& body,
                                   const std::string& content_type, const std::map<std::string, std::string>& headers) {
    return exchange(m_impl->stream, method, target, body, content_type, "127.0.0.1", headers);
}

}  // namespace yq::test
