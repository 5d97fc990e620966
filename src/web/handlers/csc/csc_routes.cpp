// The CSC routes (see csc_routes.hpp): each method of csc_methods.hpp on POST /csc/v1/… and /csc/v2/…, its errors
// written as the dialect's CSC error body.
#include "web/handlers/csc/csc_routes.hpp"

#include <spdlog/spdlog.h>

#include "web/handlers/csc/csc_methods.hpp"

namespace yq::web {

namespace {

using csc::Dialect;
using Method = Response (*)(const CscRouteServices&, const Request&, Dialect);

const char* base_path(Dialect d) { return d == Dialect::V1 ? "/csc/v1/" : "/csc/v2/"; }
const char* metrics_name(Dialect d) { return d == Dialect::V1 ? "csc_v1" : "csc_v2"; }

Handler csc_handler(const CscRouteServices& s, Dialect d, Method method) {
    return [&s, d, method](const Request& req) {
        try {
            return method(s, req, d);
        } catch (const Error& e) {
            // #17: the CSC body names no cause for 5xx (temporarily_unavailable, server_error); the operator's log does
            if (e.http_status() >= 500) spdlog::error("request {} {} failed: {} ({})", req.request_id, req.path, e.what(), e.code());
            return csc::csc_error_response(e, d);
        }
    };
}

void add(Router& router, const CscRouteServices& s, Dialect d, const std::string& name, Method method,
         Execution execution = Execution::Blocking) {
    router.add("POST", base_path(d) + name, csc_handler(s, d, method), execution, metrics_name(d));
}

}  // namespace

void register_csc_routes(Router& router, const CscRouteServices& s) {
    for (Dialect d : {Dialect::V1, Dialect::V2}) {
        add(router, s, d, "info", csc::info, Execution::Inline);
        // CT sends GET without a body to info
        router.add("GET", std::string(base_path(d)) + "info", csc_handler(s, d, csc::info), Execution::Inline,
                   metrics_name(d));
        add(router, s, d, "auth/login", csc::login);
        add(router, s, d, "auth/revoke", csc::revoke);
        add(router, s, d, "credentials/list", csc::list_credentials);
        add(router, s, d, "credentials/info", csc::credential_info);
        add(router, s, d, "credentials/authorize", csc::authorize);
        add(router, s, d, "credentials/extendTransaction", csc::extend_transaction);
        add(router, s, d, "signatures/signHash", csc::sign_hash);
        add(router, s, d, "signatures/timestamp", csc::timestamp);
    }
    add(router, s, Dialect::V2, "signatures/signDoc", csc::sign_doc);  // v2 only
}

}  // namespace yq::web
