#pragma once
// Request counters per route and status, rendered in the Prometheus text exposition format. Routes are declared before
// the server starts; counting for a declared route is a lock-free atomic increment (the OCSP hot path counts too).
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace yq::web {

class Metrics {
public:
    // Call before requests are served (the server declares every route of its router and its own error routes).
    void declare_route(const std::string& route);
    void count(const std::string& route, int status);
    // Extra counters supplied by components (name → current value).
    void add_source(std::string name, std::string help, std::function<double()> read);
    std::string render() const;

private:
    struct RouteCounters {
        std::array<std::atomic<std::uint64_t>, 600> by_status{};
    };
    std::unordered_map<std::string, std::unique_ptr<RouteCounters>> m_declared;  // not modified while serving
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_undeclared;
    struct Source {
        std::string help;
        std::function<double()> read;
    };
    std::map<std::string, Source> m_sources;
};

}  // namespace yq::web
