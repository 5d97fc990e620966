#pragma once
// The one HTTP client the tests use (Boost.Beast, synchronous; HTTPS when a CA file is given).
#include <map>
#include <memory>
#include <string>

namespace yq::test {

struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
};

HttpResult http_request(const std::string& method, int port, const std::string& target, const std::string& body = "",
                        const std::string& content_type = "", const std::string& tls_ca_file = "",
                        const std::string& host = "127.0.0.1", const std::map<std::string, std::string>& headers = {});

// A kept-alive plain HTTP connection (benchmarks: what a CSC client library does).
class HttpConnection {
public:
    explicit HttpConnection(int port);
    ~HttpConnection();
    HttpResult request(const std::string& method, const std::string& target, const std::string& body,
                       const std::string& content_type, const std::map<std::string, std::string>& headers = {});

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace yq::test
