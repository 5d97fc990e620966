// /api/v1/staff: sign-in (password + TOTP), the first sign-in's authenticator enrolment, sign-out, password change, and
// staff administration.
#include "core/error.hpp"
#include "core/secure_buffer.hpp"
#include "web/handlers/api_support.hpp"
#include "web/handlers/office/ra_routes.hpp"

namespace yq::web {

using nlohmann::json;

namespace {
json roles_json(const std::set<ra::Role>& roles) {
    json out = json::array();
    for (ra::Role r : roles) out.push_back(std::string(ra::role_name(r)));
    return out;
}

// A new or reset sign-in's one-time password, shown once: the whole password, or (a decision role asked for by an
// administrator, #14) its first part while the sign-in waits for a second administrator.
Response issued_secrets(const std::string& username, const ra::NewStaffSecrets& secrets, int status) {
    std::string password(secrets.one_time_password.begin(), secrets.one_time_password.end());
    json body{{"username", username}, {"status", secrets.awaiting_approval ? "awaiting_approval" : "active"}};
    body[secrets.awaiting_approval ? "first_part" : "one_time_password"] = password;
    core::secure_wipe(password.data(), password.size());
    return json_response(body, status);  // never cached (json_response says no-store)
}

Response sign_in(const RaRouteServices& s, const Request& req) {
    json j = body_of(req);
    auto session = s.staff.login(text_field(j, "username"), secret_field(j, "password"), text_field(j, "otp", false));
    return json_response({{"access_token", session.access_token},
                          {"expires_in", session.expires_in},
                          {"username", session.principal.username},
                          {"roles", roles_json(session.principal.roles)},
                          {"must_change_password", session.principal.must_change_password},
                          {"must_enrol", session.principal.must_enrol}});
}

Response sign_out(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    s.staff.logout(bearer_token(req), who.actor());
    return no_content();
}

Response who_am_i(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    return json_response({{"username", who.username},
                          {"roles", roles_json(who.roles)},
                          {"representative_id", who.representative_id},
                          {"must_change_password", who.must_change_password},
                          {"must_enrol", who.must_enrol}});
}

Response start_authenticator_enrolment(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    auto e = s.staff.start_enrolment(who);
    return json_response({{"otpauth_uri", e.otpauth_uri},
                          {"secret", e.secret_base32},
                          {"candidate", e.sealed_candidate_hex}});
}

Response confirm_authenticator(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    json j = body_of(req);
    s.staff.finish_enrolment(who, text_field(j, "candidate"), text_field(j, "otp"));
    return no_content();
}

Response change_password(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    json j = body_of(req);
    s.staff.change_password(who, secret_field(j, "old_password"), secret_field(j, "new_password"),
                          bearer_token(req));
    return no_content();
}

Response create_staff(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::StaffManage);
    json j = body_of(req);
    std::string username = text_field(j, "username");
    auto secrets = s.staff.create(username, list_field(j, "roles"), text_field(j, "representative_id", false),
                                who.actor());
    return issued_secrets(username, secrets, 201);
}

Response reset_staff(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::StaffManage);
    auto secrets = s.staff.reset(req.param("username"), who.actor());
    return issued_secrets(req.param("username"), secrets, 200);
}

Response approve_staff(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::StaffManage);
    core::SecureString part = s.staff.approve(req.param("username"), who, who.actor());
    return json_response({{"username", req.param("username")},
                          {"status", "active"},
                          {"second_part", std::string(part.begin(), part.end())}});
}

Response cancel_staff(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::StaffManage);
    s.staff.cancel(req.param("username"), who.actor());
    return no_content();
}

Response list_staff(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::StaffManage);
    json out = json::array();
    for (const auto& u : s.staff.list())
        out.push_back({{"username", u.username}, {"roles", u.roles}, {"status", u.status},
                       {"representative_id", u.representative_id},
                       {"must_change_password", u.must_change_password},
                       {"must_enrol", u.totp_secret_sealed.empty()},
                       {"awaiting_approval", u.awaiting_approval()},
                       {"requested_by", u.requested_by}});
    return json_response({{"staff", out}});
}

}  // namespace

void register_staff_routes(Router& router, const RaRouteServices& s) {
    router.add("POST", "/api/v1/staff/login", with(s, sign_in), Execution::Blocking, "api_staff");
    router.add("POST", "/api/v1/staff/logout", with(s, sign_out), Execution::Blocking, "api_staff");
    router.add("GET", "/api/v1/staff/me", with(s, who_am_i), Execution::Blocking, "api_staff");
    // #14: the person enrols their own authenticator at the first sign-in; the administrator never sees its secret.
    router.add("POST", "/api/v1/staff/me/totp",
               with(s, start_authenticator_enrolment),
               Execution::Blocking, "api_staff");
    router.add("POST", "/api/v1/staff/me/totp/confirm",
               with(s, confirm_authenticator),
               Execution::Blocking, "api_staff");
    router.add("POST", "/api/v1/staff/me/password", with(s, change_password), Execution::Blocking, "api_staff");
    router.add("POST", "/api/v1/staff", with(s, create_staff), Execution::Blocking, "api_staff");
    // After a lock or a lost phone: a new one-time password, the authenticator forgotten, every session ended.
    router.add("POST", "/api/v1/staff/{username}/reset", with(s, reset_staff), Execution::Blocking, "api_staff");
    // #14 four eyes on decision roles: another administrator approves and receives the password's second part.
    router.add("POST", "/api/v1/staff/{username}/approve", with(s, approve_staff), Execution::Blocking, "api_staff");
    router.add("POST", "/api/v1/staff/{username}/cancel", with(s, cancel_staff), Execution::Blocking, "api_staff");
    router.add("GET", "/api/v1/staff", with(s, list_staff), Execution::Blocking, "api_staff");
}

void register_audit_routes(Router& router, const RaRouteServices& s) {
    // The auditor's search: by object, actor, action and time (newest first).
    router.add("GET", "/api/v1/audit/events",
               [&s](const Request& req) {
                   auto who = principal_of(req, s.staff, s.csc);
                   audit::EventFilter f;
                   f.object = query_value(req, "object");
                   f.actor = query_value(req, "actor");
                   f.action = query_value(req, "action");
                   try {
                       if (auto v = query_value(req, "from"); !v.empty()) f.from = core::parse_rfc3339(v);
                       if (auto v = query_value(req, "to"); !v.empty()) f.to = core::parse_rfc3339(v);
                       if (auto v = query_value(req, "limit"); !v.empty()) f.limit = std::stoll(v);
                   } catch (const std::logic_error&) {
                       throw_bad_input("api.bad_query", "from/to must be RFC 3339 times and limit a number");
                   }
                   json out = json::array();
                   for (const auto& e : s.auditor.search(who, f))
                       out.push_back({{"seq", e.seq},
                                      {"time", core::to_rfc3339(e.event.time)},
                                      {"actor", e.event.actor},
                                      {"action", e.event.action},
                                      {"object", e.event.object},
                                      {"details", json::parse(e.event.details, nullptr, false)},
                                      {"hash", core::hex_encode(e.hash)}});
                   return json_response({{"events", out}});
               },
               Execution::Blocking, "api_audit");
}

}  // namespace yq::web
