// The staff administrator's page (see office_pages.hpp): who may sign in to the back office with which roles; a new
// sign-in, or a reset after a lock or a lost phone, gets a one-time password (the person enrols their own
// authenticator), shown once on a page that is never cached and kept nowhere else. A decision role's sign-in waits
// for a second administrator, who approves it here and takes the password's second part (#14).
#include "accounts/totp.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

// The roles a staff sign-in may hold from this page; a representative's sign-in names its agency representative and
// is made with the CLI or the API.
const std::vector<std::string> kStaffRoles = {"officer", "supervisor", "auditor", "ca_admin"};

std::string roles_view(const std::string& lang, const std::string& roles) {
    std::string out;
    for (ra::Role role : ra::parse_roles(roles))
        out += (out.empty() ? "" : translate(lang, "backoffice.list_separator")) +
               translate(lang, "backoffice.roles." + std::string(ra::role_name(role)));
    return out;
}

std::string requester_name(const std::string& actor) {
    return actor.rfind("staff:", 0) == 0 ? actor.substr(6) : actor;
}

Response staff_list(const OfficePageServices& s, const Request& req, const ra::Principal& who, const std::string& error,
                    int status) {
    std::string lang = choose_language(req);
    json rows = json::array(), roles = json::array();
    for (const auto& u : s.ra.staff.list()) {
        bool awaiting = u.awaiting_approval();
        rows.push_back({{"username", u.username},
                        {"roles", roles_view(lang, u.roles)},
                        {"status", translate(lang, "backoffice.staff_statuses." +
                                                       (awaiting ? std::string("awaiting_approval") : u.status))},
                        {"must_change", !awaiting && (u.must_change_password || u.totp_secret_sealed.empty())},
                        {"awaiting", awaiting},
                        {"requested_by", requester_name(u.requested_by)},
                        // #14: the administrator who asked (and the person) cannot approve; the page offers it to others
                        {"can_approve", awaiting && u.requested_by != who.actor() && u.username != who.username},
                        {"created", office_time(s, u.created_at)}});
    }
    for (const auto& r : kStaffRoles) roles.push_back({{"value", r}, {"label", translate(lang, "backoffice.roles." + r)}});
    json data{{"staff", rows}, {"roles", roles}, {"error", error}};
    return s.pages.render(req, "office_staff", "backoffice.staff", data, status, "office");
}

// What a staff sign-in's password is made of, as this page shows it (#14): the whole one-time password, or, for a
// decision role, the first part (to the administrator who asked) or the second (to the one who approved).
enum class PasswordShown { Whole, FirstPart, SecondPart };

// The one-time password (or its part) for the new member of staff to take away (their authenticator they enrol
// themselves at the first sign-in: #14, the administrator never sees its secret).
Response secrets_page(const OfficePageServices& s, const Request& req, const std::string& username,
                      const core::SecureString& password, PasswordShown shown) {
    json data{{"username", username},
              {"password", std::string(password.begin(), password.end())},
              {"whole", shown == PasswordShown::Whole},
              {"first_part", shown == PasswordShown::FirstPart},
              {"second_part", shown == PasswordShown::SecondPart}};
    return s.pages.render(req, "office_staff_secrets", "backoffice.staff_secrets", data, 200, "office");
}

Response issued_page(const OfficePageServices& s, const Request& req, const std::string& username,
                     const ra::NewStaffSecrets& secrets) {
    return secrets_page(s, req, username, secrets.one_time_password,
                        secrets.awaiting_approval ? PasswordShown::FirstPart : PasswordShown::Whole);
}

}  // namespace

void register_office_staff_pages(Router& router, const OfficePageServices& s) {
    router.add("GET", "/office/staff", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   return staff_list(s, req, who, error_from_query(req, choose_language(req)), 200);
               }),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/staff", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   auto f = parse_urlencoded(req.body);
                   require_csrf(req, f);
                   std::vector<std::string> roles;
                   for (const auto& r : kStaffRoles)
                       if (f.count("role_" + r)) roles.push_back(r);
                   try {
                       auto secrets = s.ra.staff.create(f["username"], roles, "", who.actor());
                       return issued_page(s, req, f["username"], secrets);
                   } catch (const Error& e) {
                       return staff_list(s, req, who, translate(choose_language(req), office_message_key(e.code())), 422);
                   }
               }),
               Execution::Blocking, "ui_office");

    // A representative's own sign-in, made from the agency's page: the representative signs off the agency's
    // applications and requests online (under their letter's scopes, checked by the office).
    router.add("POST", "/office/agencies/{id}/representatives/{rep}/sign-in", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   auto f = parse_urlencoded(req.body);
                   require_csrf(req, f);
                   std::string back = "/office/agencies/" + req.param("id");
                   try {
                       bool ours = false;
                       for (const auto& r : s.ra.office.agencies.representatives(who, req.param("id"))) ours = ours || r.id == req.param("rep");
                       if (!ours) throw Error("ui.bad_form", 400, "not a representative of this agency");
                       auto secrets = s.ra.staff.create(f["username"], {"representative"}, req.param("rep"), who.actor());
                       return issued_page(s, req, f["username"], secrets);
                   } catch (const Error& e) {
                       return back_with_error(back, e);
                   }
               }),
               Execution::Blocking, "ui_office");

    // After a lock or a lost phone: a new one-time password and a new authenticator enrolment (the old ones stop).
    router.add("POST", "/office/staff/{username}/reset", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   require_csrf(req, parse_urlencoded(req.body));
                   try {
                       auto secrets = s.ra.staff.reset(req.param("username"), who.actor());
                       return issued_page(s, req, req.param("username"), secrets);
                   } catch (const Error& e) {
                       return back_with_error("/office/staff", e);
                   }
               }),
               Execution::Blocking, "ui_office");

    // #14 four eyes on decision roles: another administrator approves and takes the password's second part.
    router.add("POST", "/office/staff/{username}/approve", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   require_csrf(req, parse_urlencoded(req.body));
                   try {
                       core::SecureString part = s.ra.staff.approve(req.param("username"), who, who.actor());
                       return secrets_page(s, req, req.param("username"), part, PasswordShown::SecondPart);
                   } catch (const Error& e) {
                       return back_with_error("/office/staff", e);
                   }
               }),
               Execution::Blocking, "ui_office");
    router.add("POST", "/office/staff/{username}/cancel", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::StaffManage);
                   require_csrf(req, parse_urlencoded(req.body));
                   try {
                       s.ra.staff.cancel(req.param("username"), who.actor());
                       return see_other("/office/staff");
                   } catch (const Error& e) {
                       return back_with_error("/office/staff", e);
                   }
               }),
               Execution::Blocking, "ui_office");
}

}  // namespace yq::web
