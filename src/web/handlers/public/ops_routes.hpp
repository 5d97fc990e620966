#pragma once
// Operational endpoints: /healthz (database and HSM reachable), /metrics (Prometheus text format) and the API
// description /api/openapi.yaml.
#include <functional>

#include "web/metrics.hpp"
#include "web/router.hpp"

namespace yq::web {

// `check` throws when a dependency is down; its Error code is reported.
void register_ops_routes(Router& router, Metrics& metrics, std::function<void()> check);

const char* openapi_yaml();  // docs/openapi.yaml, embedded at build time

}  // namespace yq::web
