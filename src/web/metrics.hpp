#pragma once
// Request counters per route and status class, rendered in the Prometheus text exposition format.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace yq::web {

class Metrics {
public:
    void count(const std::string& route, int status);
    // Extra gauges/counters supplied by components (name → current value).
    void add_source(std::string name, std::string help, std::function<double()> read);
    std::string render() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;
    struct Source {
        std::string help;
        std::function<double()> read;
    };
    std::map<std::string, Source> m_sources;
};

}  // namespace yq::web
