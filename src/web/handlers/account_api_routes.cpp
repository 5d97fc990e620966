#include "web/handlers/account_api_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "web/handlers/api_support.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

std::string signed_in_account(signing::CscService& csc, const Request& req) {
    std::string token = bearer_token(req);
    try {
        return csc.account_for_token(token);
    } catch (const Error&) {
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    }
}

}  // namespace

void register_account_api_routes(Router& router, accounts::AccountService& accounts, accounts::AccountStore& store,
                                 signing::CscService& csc, pki::CaStore& certificates, ra::RegistrationOffice& office,
                                 const core::Config& config, const core::Clock& clock) {
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
                                                     {"must_change_signing_password", a->must_change_signing_password},
                                                     {"rekey_approved", office.pending_for_user(a->username, "rekey").has_value()},
                                                     {"renewal_approved", office.pending_for_user(a->username, "renewal").has_value()},
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


void register_account_completion_routes(Router& router, signing::CscService& csc, ra::RegistrationOffice& office) {
    // Forgotten signing password, after the office approved the re-key at an appointment: the user chooses the new
    // password here, so the new key is sealed under a secret only they know.
    router.add("POST", "/api/v1/me/rekey",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   auto c = office.complete_rekey(id, secret_field(body_of(req), "new_password"));
                   return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
               },
               Execution::Blocking, "api_me");
    // Renewal inside the window, signed off by the representative and approved: a new key and certificate under the
    // current signing password (+ OTP).
    router.add("POST", "/api/v1/me/renew",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   auto c = office.complete_renewal(id, secret_field(j, "signing_password"), j.value("otp", ""));
                   return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
               },
               Execution::Blocking, "api_me");
}

}  // namespace yq::web
