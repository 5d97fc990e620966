#include "web/handlers/account_api_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

std::string signed_in_account(signing::CscService& csc, const Request& req) {
    std::string h = req.header("authorization");
    if (h.size() < 8 || h.compare(0, 7, "Bearer ") != 0)
        throw Error("auth.missing_token", 401, "sign in first: send Authorization: Bearer <access token>");
    try {
        return csc.account_for_token(h.substr(7));
    } catch (const Error&) {
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    }
}

json body_of(const Request& req) {
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw_bad_input("api.bad_json", "the request body must be a JSON object");
    return j;
}

core::SecureString secret_field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) throw_bad_input("api.missing_field", std::string("the field '") + key + "' is required");
    return core::to_secure(it->get_ref<const std::string&>());
}

Response no_content() {
    Response r;
    r.status = 204;
    r.content_type = "application/json";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

void register_account_api_routes(Router& router, accounts::AccountService& accounts, accounts::AccountStore& store,
                                 signing::CscService& csc, pki::CaStore& certificates, const core::Config& config,
                                 const core::Clock& clock) {
    router.add("GET", "/api/v1/me",
               [&, renewal_days = config.ca.renewal_window_days](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   auto a = store.account_by_id(id);
                   if (!a) throw Error("auth.invalid_token", 401, "the account no longer exists");
                   json creds = json::array();
                   for (const auto& c : store.credentials_of(id)) {
                       auto cert = certificates.find_certificate(c.certificate_serial);
                       std::int64_t not_after = cert ? cert->not_after : 0;
                       creds.push_back({{"id", c.id},
                                        {"status", c.status},
                                        {"key", keystore::key_type_name(c.key.key_type)},
                                        {"certificate_serial", c.certificate_serial},
                                        {"certificate_status", cert ? cert->status : "missing"},
                                        {"not_after", core::to_rfc3339(not_after)},
                                        {"renewal_open", not_after - clock.unix_seconds() <= renewal_days * 86400}});
                   }
                   Response r = Response::bytes("application/json",
                                                json{{"username", a->username},
                                                     {"display_name", a->display_name},
                                                     {"agency", a->agency},
                                                     {"status", a->status},
                                                     {"otp_required", config.accounts.otp_required},
                                                     {"credentials", creds}}
                                                    .dump());
                   r.headers.emplace_back("Cache-Control", "no-store");
                   return r;
               },
               Execution::Blocking, "api_me");
    // Self-service signing password change: old password (+ OTP) re-seals every active key in one transaction.
    router.add("POST", "/api/v1/me/signing-password",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   std::string otp = j.value("otp", "");
                   accounts.change_signing_password(id, secret_field(j, "old_password"), otp,
                                                    secret_field(j, "new_password"), "self:" + id);
                   return no_content();
               },
               Execution::Blocking, "api_me");
    router.add("POST", "/api/v1/me/login-password",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   accounts.change_login_password(id, secret_field(j, "old_password"), secret_field(j, "new_password"),
                                                  "self:" + id);
                   return no_content();
               },
               Execution::Blocking, "api_me");
}

}  // namespace yq::web
