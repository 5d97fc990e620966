#pragma once
// Method + path → handler. A path ending in "/*" matches that prefix; a "{name}" segment matches one path segment
// (exact patterns win over "{name}" patterns, which win over prefixes). Handlers that touch the HSM, the KDF or the
// database on a slow path are marked `blocking` and run on the bounded worker pool, never on an I/O thread.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "web/http_types.hpp"

namespace yq::web {

using Handler = std::function<Response(const Request&)>;

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
