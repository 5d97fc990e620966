#include "web/handlers/public/ops_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_text.hpp"

namespace yq::web {

void register_ops_routes(Router& router, Metrics& metrics, std::function<void()> check) {
    router.add("GET", "/healthz",
               [check](const Request&) {
                   Response r;
                   r.content_type = "application/json";
                   try {
                       check();
                       r.body = nlohmann::json{{"status", "ok"}}.dump();
                   } catch (const Error& e) {
                       r.status = 503;
                       r.body = core::json_text(nlohmann::json{{"status", "unavailable"}, {"error", e.code()}});
                   }
                   r.headers.emplace_back("Cache-Control", "no-store");
                   return r;
               },
               Execution::Blocking, "healthz");
    router.add("GET", "/metrics",
               [&metrics](const Request&) {
                   return Response::bytes("text/plain; version=0.0.4; charset=utf-8", metrics.render());
               },
               Execution::Inline, "metrics");
    router.add("GET", "/api/openapi.yaml",
               [](const Request&) { return Response::bytes("application/yaml; charset=utf-8", openapi_yaml()); },
               Execution::Inline, "openapi");
}

}  // namespace yq::web
