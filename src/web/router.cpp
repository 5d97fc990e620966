#include "web/router.hpp"

#include "core/error.hpp"
#include "core/secure_buffer.hpp"

namespace yq::web {

void wipe_request(Request& req) noexcept {
    auto wipe = [](std::string& s) { core::secure_wipe(s.data(), s.capacity()); };  // SSO buffer included
    wipe(req.body);
    wipe(req.target);
    wipe(req.query);
    for (auto& [name, value] : req.headers) wipe(value);
}

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

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// 0 = no match, 3 = exact, 2 = with "{name}" segments, 1 = prefix
int match_rank(const std::string& pattern, const std::string& path) {
    if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0)
        return path.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0 ? 1 : 0;
    if (pattern.find('{') == std::string::npos) return pattern == path ? 3 : 0;
    auto p = segments(pattern), s = segments(path);
    if (p.size() != s.size()) return 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (is_parameter(p[i])) {
            if (s[i].empty()) return 0;
        } else if (p[i] != s[i]) {
            return 0;
        }
    }
    return 2;
}

}  // namespace

std::map<std::string, std::string> path_parameters(const std::string& pattern, const std::string& path) {
    std::map<std::string, std::string> out;
    if (pattern.find('{') == std::string::npos) return out;
    auto p = segments(pattern), s = segments(path);
    for (std::size_t i = 0; i < p.size() && i < s.size(); ++i)
        if (is_parameter(p[i])) out[p[i].substr(1, p[i].size() - 2)] = s[i];
    return out;
}

const Route* Router::match(const std::string& method, const std::string& path, bool& path_exists) const {
    path_exists = false;
    const Route* found = nullptr;
    int found_rank = 0;
    for (const Route& r : m_routes) {
        int rank = match_rank(r.pattern, path);
        if (rank == 0) continue;
        path_exists = true;
        if ((r.method == method || (method == "HEAD" && r.method == "GET")) && rank > found_rank) {
            found = &r;
            found_rank = rank;
        }
    }
    return found;
}

}  // namespace yq::web
