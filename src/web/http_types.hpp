#pragma once
// The HTTP request/response model handlers see. Only web/ knows HTTP.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace yq::web {

struct Request {
    std::string method;  // "GET", "POST", …
    std::string target;  // raw target incl. query
    std::string path;    // decoded path without query
    std::string query;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string remote_address;
    std::string request_id;
    std::map<std::string, std::string> params;  // from "{name}" segments of the route pattern

    std::string param(const std::string& name) const {
        auto it = params.find(name);
        return it == params.end() ? std::string() : it->second;
    }

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    // The header's value in place (no copy: for headers that carry secrets, e.g. Basic credentials).
    std::string_view header_view(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string_view() : std::string_view(it->second);
    }
};

// #14: once the handler has answered, the request's body and header values are wiped (zeroed in place, whole
// capacity): passwords, PINs, one-time codes and tokens travel in them.
void wipe_request(Request& req) noexcept;

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response bytes(std::string content_type, std::string body) {
        Response r;
        r.content_type = std::move(content_type);
        r.body = std::move(body);
        return r;
    }
};

// Percent-decoding of a URL path segment; throws Error "http.bad_request" on a bad escape.
std::string url_decode(const std::string& s);

}  // namespace yq::web
