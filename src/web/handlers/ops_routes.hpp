#pragma once
// Operational endpoints: /healthz (database and HSM reachable) and /metrics (Prometheus text format).
#include <functional>

#include "web/metrics.hpp"
#include "web/router.hpp"

namespace yq::web {

// `check` throws when a dependency is down; its Error code is reported.
void register_ops_routes(Router& router, Metrics& metrics, std::function<void()> check);

}  // namespace yq::web
