#include "web/metrics.hpp"

#include <sstream>

namespace yq::web {

void Metrics::count(const std::string& route, int status) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
}

void Metrics::add_source(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(m_mutex);
    m_sources[std::move(name)] = Source{std::move(help), std::move(read)};
}

std::string Metrics::render() const {
    std::lock_guard lock(m_mutex);
    std::ostringstream out;
    out << "# HELP yunqian_http_requests_total HTTP requests by route and status.\n"
        << "# TYPE yunqian_http_requests_total counter\n";
    for (const auto& [key, n] : m_requests)
        out << "yunqian_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
    for (const auto& [name, s] : m_sources) {
        out << "# HELP " << name << " " << s.help << "\n# TYPE " << name << " counter\n" << name << " " << s.read() << "\n";
    }
    return out.str();
}

}  // namespace yq::web
