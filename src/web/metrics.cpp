#include "web/metrics.hpp"

#include <sstream>
#include <vector>

namespace yq::web {

void Metrics::declare_route(const std::string& route) {
    if (!m_declared.count(route)) m_declared.emplace(route, std::make_unique<RouteCounters>());
}

void Metrics::count(const std::string& route, int status) {
    auto it = m_declared.find(route);
    if (it != m_declared.end() && status >= 0 && status < 600) {
        it->second->by_status[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::lock_guard lock(m_mutex);
    ++m_undeclared[{route, status}];
}

void Metrics::add_source(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(m_mutex);
    m_sources[std::move(name)] = Source{std::move(help), std::move(read)};
}

std::string Metrics::render() const {
    std::map<std::pair<std::string, int>, std::uint64_t> all;
    for (const auto& [route, counters] : m_declared)
        for (std::size_t s = 0; s < counters->by_status.size(); ++s)
            if (auto n = counters->by_status[s].load(std::memory_order_relaxed)) all[{route, static_cast<int>(s)}] = n;
    std::lock_guard lock(m_mutex);
    for (const auto& [key, n] : m_undeclared) all[key] += n;
    std::ostringstream out;
    out << "# HELP yunqian_http_requests_total HTTP requests by route and status.\n"
        << "# TYPE yunqian_http_requests_total counter\n";
    for (const auto& [key, n] : all)
        out << "yunqian_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
    for (const auto& [name, s] : m_sources)
        out << "# HELP " << name << " " << s.help << "\n# TYPE " << name << " counter\n" << name << " " << s.read() << "\n";
    return out.str();
}

}  // namespace yq::web
