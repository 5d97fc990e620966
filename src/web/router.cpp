#include "web/router.hpp"

#include "core/error.hpp"

namespace yq::web {

std::string url_decode(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
                throw_bad_input("http.bad_request", "the URL has a broken percent-escape");
            out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

void Router::add(std::string method, std::string pattern, Handler handler, Execution execution, std::string name) {
    m_routes.push_back(Route{std::move(method), std::move(pattern), std::move(handler), execution, std::move(name)});
}

namespace {
bool path_matches(const std::string& pattern, const std::string& path) {
    if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0)
        return path.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
    return pattern == path;
}
}  // namespace

const Route* Router::match(const std::string& method, const std::string& path, bool& path_exists) const {
    path_exists = false;
    const Route* found = nullptr;
    for (const Route& r : m_routes) {
        if (!path_matches(r.pattern, path)) continue;
        path_exists = true;
        if (r.method == method || (method == "HEAD" && r.method == "GET")) {
            if (!found || found->pattern.back() == '*') found = &r;  // exact patterns win over prefixes
        }
    }
    return found;
}

}  // namespace yq::web
