#pragma once
// Method + path → handler. A path ending in "/*" matches that prefix; a "{name}" segment matches one path segment
// (exact patterns win over "{name}" patterns, which win over prefixes). Handlers that touch the HSM, the KDF or the
// database on a slow path are marked `blocking` and run on the bounded worker pool, never on an I/O thread.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "web/http_types.hpp"

namespace yq::web {

using Handler = std::function<Response(const Request&)>;

// A route's named handler bound to the services it uses: `with(s, sign_in)` is the handler that calls
// `sign_in(s, request…)`. Each route is one named function; registering it is one line.
template <class Services, class Function>
auto with(const Services& s, Function handler) {
    return [&s, handler](auto&&... args) { return handler(s, std::forward<decltype(args)>(args)...); };
}

enum class Execution { Inline, Blocking };

struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
    Execution execution = Execution::Inline;
    std::string name;  // for metrics, e.g. "ocsp"
};

// The "{name}" segments of `pattern` filled from `path` (which must match it).
std::map<std::string, std::string> path_parameters(const std::string& pattern, const std::string& path);

class Router {
public:
    void add(std::string method, std::string pattern, Handler handler, Execution execution, std::string name);
    // nullptr when nothing matches; `path_exists` tells 405 (path known, other method) from 404.
    const Route* match(const std::string& method, const std::string& path, bool& path_exists) const;
    const std::vector<Route>& routes() const { return m_routes; }

private:
    std::vector<Route> m_routes;
};

}  // namespace yq::web
