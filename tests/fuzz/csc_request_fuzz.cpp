// libFuzzer: arbitrary JSON bodies to every CSC v1/v2 method of the real routes (real CA, SoftHSM token, SQLite, an
// account and a valid bearer token). The first input byte picks the method; "@C" in the body becomes the account's
// credential id. Bad input must give a CSC error body with
// a 4xx status — never a crash, never a 5xx.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/account_service.hpp"
#include "fuzz/fuzz_environment.hpp"
#include "pades/pades_service.hpp"
#include "signing/csc_service.hpp"
#include "web/handlers/csc/csc_routes.hpp"
#include "web/ui/attempt_limiter.hpp"

namespace {

struct CscEnvironment {
    yq::signing::CscService csc;
    yq::pades::PadesService pades;
    yq::web::Router router;
    yq::web::AttemptLimiter sign_ins{1000000, 60};
    yq::web::CscRouteServices services;
    std::string token;
    std::string credential;

    explicit CscEnvironment(yq::fuzz::Environment& e)
        : csc(e.app->config, *e.app->accounts, *e.app->store, *e.app->store, *e.app->store, *e.app->custody, *e.app->ca,
              *e.tsa, *e.app->keys, *e.app->log, e.app->clock),
          pades(e.app->config, csc, *e.app->store, *e.tsa, *e.app->store, e.app->clock, *e.app->store),
          services{csc, pades, e.app->config, sign_ins, e.app->clock} {
        yq::accounts::NewAccountRequest r;
        r.username = "fuzz.user";
        r.display_name = "Fuzz";
        r.agency = "Fuzz Agency";
        r.login_password = yq::core::to_secure("login-password-1");
        r.signing_password = yq::core::to_secure("signing-password-1");
        credential = e.app->accounts->create(r, "fuzz").credential.id;
        token = csc.login("fuzz.user", yq::core::to_secure("login-password-1")).access_token;
        yq::web::register_csc_routes(router, services);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static CscEnvironment env(yq::fuzz::environment());
    static const char* const kMethods[] = {"credentials/list", "credentials/info", "credentials/authorize",
                                           "credentials/extendTransaction", "signatures/signHash",
                                           "signatures/timestamp", "auth/revoke", "info", "signatures/signDoc"};
    if (size == 0) return 0;
    std::string method = kMethods[data[0] % 9];
    std::string version = (data[0] & 0x80) ? "v1" : "v2";
    yq::web::Request req;
    req.method = "POST";
    req.path = "/csc/" + version + "/" + method;
    req.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    // "@C" stands for the real credential id, so the fuzzer reaches past the credential check
    for (std::size_t pos; (pos = req.body.find("@C")) != std::string::npos;) req.body.replace(pos, 2, env.credential);
    req.headers["authorization"] = "Bearer " + env.token;
    if (method == "auth/revoke") req.headers["authorization"] = "Bearer not-the-token";  // keep the token alive
    bool exists = false;
    const yq::web::Route* route = env.router.match("POST", req.path, exists);
    if (route == nullptr) return 0;  // a method the dialect does not have (v1 has no signDoc): the server answers 404
    yq::web::Response resp = route->handler(req);
    if (resp.status >= 500) {
        std::cerr << req.path << " answered " << resp.status << ": " << resp.body << "\n";
        std::abort();
    }
    if (resp.status != 204 && nlohmann::json::parse(resp.body, nullptr, false).is_discarded()) std::abort();
    return 0;
}
