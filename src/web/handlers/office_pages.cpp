// The registration office's pages (see office_pages.hpp). Errors are shown from the catalogue, chosen by code.
#include "web/handlers/office_pages.hpp"

#include <ctime>
#include <map>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

std::string office_message_key(const std::string& code) {
    static const std::map<std::string, std::string> keys{
        {"staff.sign_in_failed", "backoffice.errors.sign_in"},
        {"auth.sign_in_locked", "backoffice.errors.sign_in_locked"},
        {"auth.forbidden", "backoffice.errors.forbidden"},
        {"ra.four_eyes", "backoffice.errors.four_eyes"},
        {"ra.identity_mismatch", "backoffice.errors.identity_mismatch"},
        {"ra.unknown_user", "backoffice.errors.unknown_user"},
        {"ra.user_not_active", "backoffice.errors.unknown_user"},
        {"ra.request_closed", "backoffice.errors.request_closed"},
        {"ra.request_not_checked", "backoffice.errors.request_not_checked"},
        {"ra.checklist_incomplete", "backoffice.errors.checklist_incomplete"},
        {"accounts.not_locked", "backoffice.errors.not_locked"},
        {"appointments.unknown_code", "error.unknown_code"},
        {"appointments.not_now", "backoffice.errors.not_now"},
        {"appointments.wrong_purpose", "backoffice.errors.wrong_purpose"},
        {"appointments.not_booked", "backoffice.errors.not_now"},
        {"office.bad_date", "error.bad_date"},
        {"documents.too_large", "error.too_large"},
        {"documents.unsupported_type", "backoffice.errors.document_type"},
        {"staff.password_too_short", "portal.errors.password_rules"},
        {"staff.password_unchanged", "portal.errors.passwords_equal"},
        {"ui.passwords_differ", "portal.errors.passwords_differ"},
        {"ui.missing_documents", "backoffice.errors.missing_documents"},
        {"ui.csrf", "error.csrf"},
        {"ui.bad_form", "error.bad_form"},
    };
    auto it = keys.find(code);
    return it == keys.end() ? "error.generic" : it->second;
}

std::optional<ra::Principal> staff_of(const OfficePageServices& s, const Request& req) {
    std::string token = cookie_value(req, kStaffSessionCookie);
    if (token.empty()) return std::nullopt;
    try {
        return s.ra.staff.principal_for_token(token);
    } catch (const Error&) {
        return std::nullopt;
    }
}

// A page for signed-in staff; others go to the sign-in page, and a one-time password is replaced first.
Handler staff_page(const OfficePageServices& s, std::function<Response(const Request&, const ra::Principal&)> body,
                   bool password_page = false) {
    return [&s, body = std::move(body), password_page](const Request& req) {
        auto who = staff_of(s, req);
        if (!who) return see_other("/office/login");
        if (who->must_change_password && !password_page) return see_other("/office/password");
        try {
            return body(req, *who);
        } catch (const Error& e) {
            return s.pages.error_page(req, e, office_message_key(e.code()));
        }
    };
}

std::string today(const OfficePageServices& s) { return s.ra.calendar.local_text(s.clock.unix_seconds()).substr(0, 10); }

json request_view(const OfficePageServices& s, const std::string& lang, const ra::ServiceRequest& r) {
    return {{"id", r.id},
            {"kind", translate(lang, "requests." + r.kind)},
            {"username", r.username},
            {"status", translate(lang, "backoffice.request_statuses." + r.status)},
            {"created_by", r.created_by},
            {"checked_by", r.checked_by},
            {"approved_by", r.approved_by},
            {"created", s.ra.calendar.local_text(r.created_at)},
            {"can_approve", r.status == "checked"}};
}

}  // namespace

void register_office_pages(Router& router, const OfficePageServices& s) {
    router.add("GET", "/office/login", [&s](const Request& req) {
                   return s.pages.render(req, "office_login", "backoffice.sign_in", json::object(), 200, "office");
               },
               Execution::Inline, "ui_office");

    router.add("POST", "/office/login", [&s](const Request& req) {
                   std::string lang = choose_language(req);
                   auto f = parse_urlencoded(req.body);
                   std::int64_t now = s.clock.unix_seconds();
                   std::int64_t wait = sign_in_wait(s.sign_in_failures, req.remote_address, f["username"], now);
                   if (wait > 0) {
                       Response r = s.pages.render(req, "office_login", "backoffice.sign_in",
                                                   json{{"error", too_many_attempts_message(lang, wait)}, {"username", f["username"]}},
                                                   429, "office");
                       r.headers.emplace_back("Retry-After", std::to_string(wait));
                       return r;
                   }
                   try {
                       require_csrf(req, f);
                       auto session = s.ra.staff.login(f["username"], take_secret(f, "password"), f["otp"]);
                       std::string next = session.principal.must_change_password ? "/office/password" : "/office";
                       return see_other(next, {set_cookie(kStaffSessionCookie, session.access_token, s.pages.settings().secure_cookies)});
                   } catch (const Error& e) {
                       record_sign_in_failure(s.sign_in_failures, req.remote_address, f["username"], now);
                       json data{{"error", translate(lang, office_message_key(e.code()))}, {"username", f["username"]}};
                       return s.pages.render(req, "office_login", "backoffice.sign_in", data, 401, "office");
                   }
               },
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/logout", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   require_csrf(req, parse_urlencoded(req.body));
                   s.ra.staff.logout(cookie_value(req, kStaffSessionCookie), who.actor());
                   return see_other("/office/login", {cleared_cookie(kStaffSessionCookie)});
               }, true),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/password", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   return s.pages.render(req, "office_password", "backoffice.change_password",
                                         json{{"must_change", who.must_change_password}}, 200, "office");
               }, true),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/password", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   std::string lang = choose_language(req);
                   auto f = parse_urlencoded(req.body);
                   try {
                       require_csrf(req, f);
                       if (f["new_password"] != f["new_password_again"]) throw Error("ui.passwords_differ", 422, "differ");
                       s.ra.staff.change_password(who, take_secret(f, "old_password"), take_secret(f, "new_password"));
                       return see_other("/office");
                   } catch (const Error& e) {
                       json data{{"must_change", who.must_change_password}, {"error", translate(lang, office_message_key(e.code()))}};
                       return s.pages.render(req, "office_password", "backoffice.change_password", data, 422, "office");
                   }
               }, true),
               Execution::Blocking, "ui_office");

    // The work queue: what waits for a check, what waits for a second person, today's appointments.
    router.add("GET", "/office", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   std::string lang = choose_language(req);
                   json to_check = json::array(), to_approve = json::array(), appointments = json::array();
                   for (const auto& r : s.ra.office.requests(who, "", "submitted")) to_check.push_back(request_view(s, lang, r));
                   for (const auto& r : s.ra.office.requests(who, "", "checked")) to_approve.push_back(request_view(s, lang, r));
                   for (const auto& a : s.ra.appointments.on_date(today(s)))
                       appointments.push_back({{"when", s.ra.calendar.local_text(a.slot_start).substr(11)},
                                               {"purpose", translate(lang, "book.purposes." + a.purpose)},
                                               {"name", a.person_name},
                                               {"status", translate(lang, "booked.statuses." + a.status)}});
                   json data{{"staff", who.username}, {"can_audit", who.has(ra::Role::Auditor) || who.has(ra::Role::CaAdmin)},
                             {"can_ca", who.has(ra::Role::CaAdmin)},
                             {"to_check", to_check}, {"to_approve", to_approve},
                             {"appointments", appointments}, {"today", today(s)},
                             {"has_to_check", !to_check.empty()}, {"has_to_approve", !to_approve.empty()},
                             {"has_appointments", !appointments.empty()}};
                   return s.pages.render(req, "office_home", "backoffice.queue", data, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    // The appointments of one day (office time), with the contact to reach people if the office must move a time.
    router.add("GET", "/office/appointments", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::AppointmentList);
                   std::string lang = choose_language(req);
                   std::string date = parse_urlencoded(req.query)["date"];
                   if (date.empty()) date = today(s);
                   json rows = json::array();
                   for (const auto& a : s.ra.appointments.on_date(date))
                       rows.push_back({{"when", s.ra.calendar.local_text(a.slot_start).substr(11)},
                                       {"purpose", translate(lang, "book.purposes." + a.purpose)},
                                       {"name", a.person_name},
                                       {"contact", a.contact},
                                       {"status", translate(lang, "booked.statuses." + a.status)}});
                   json data{{"date", date}, {"appointments", rows}, {"has_appointments", !rows.empty()}};
                   return s.pages.render(req, "office_appointments", "backoffice.appointments", data, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/unlock", staff_page(s, [&s](const Request& req, const ra::Principal&) {
                   std::string lang = choose_language(req);
                   json id_types = json::array();
                   for (const auto& t : s.config.ra.id_types) id_types.push_back({{"value", t}, {"label", translate(lang, "backoffice.id_types." + t)}});
                   return s.pages.render(req, "office_unlock", "backoffice.unlock", json{{"id_types", id_types}}, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    // At the counter: the booking is checked in, the request opened with its two documents, the original ID recorded
    // (it must match the one sighted at registration). A second person approves on the request's page.
    router.add("POST", "/office/unlock", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   std::string type = req.header("content-type");
                   if (type.rfind("multipart/form-data", 0) != 0) throw Error("ui.bad_form", 400, "not an upload");
                   std::map<std::string, std::string> f, files;
                   for (auto& part : parse_multipart(type, req.body)) {
                       if (part.filename.empty()) f[part.name] = std::move(part.data);
                       else files[part.name] = std::move(part.data);
                   }
                   require_csrf(req, f);
                   if (files["unlock_form"].empty() || files["id_copy"].empty())
                       throw Error("ui.missing_documents", 422, "both documents are needed");
                   auto r = s.ra.office.create_request(who, "unlock", f["username"], f["reason"], f["appointment_code"]);
                   for (const auto& [field, doc_type] : {std::pair<std::string, std::string>{"unlock_form", "unlock_request_form"},
                                                         {"id_copy", "user_id_copy"}}) {
                       auto stored = s.ra.office.upload(who, core::to_bytes(files[field]));
                       s.ra.office.attach(who, r.id, doc_type, stored.sha256);
                   }
                   s.ra.office.check_request(who, r.id, f["id_type"], f["id_number"]);
                   return see_other("/office/requests/" + r.id);
               }),
               Execution::Blocking, "ui_office");

    // The auditor's search of the audit log (object, actor, action, days in office time), newest first.
    router.add("GET", "/office/audit", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::AuditSearch);
                   auto q = parse_urlencoded(req.query);
                   audit::EventFilter filter;
                   filter.object = q["object"];
                   filter.actor = q["actor"];
                   filter.action = q["action"];
                   filter.limit = 200;
                   auto day_start = [&](const std::string& date) -> std::int64_t {  // 00:00 office time
                       if (date.empty()) return 0;
                       try {
                           return core::parse_rfc3339(date + "T00:00:00Z") - s.config.office.utc_offset_minutes * 60;
                       } catch (const std::exception&) {
                           throw Error("office.bad_date", 400, "not a date");
                       }
                   };
                   filter.from = day_start(q["from"]);
                   if (!q["to"].empty()) filter.to = day_start(q["to"]) + 86400;  // the whole last day
                   json events = json::array();
                   bool searched = !q.empty();
                   if (searched)
                       for (const auto& e : s.ra.audit.search_events(filter))
                           events.push_back({{"seq", std::to_string(e.seq)},
                                             {"time", s.ra.calendar.local_text(e.event.time)},
                                             {"actor", e.event.actor},
                                             {"action", e.event.action},
                                             {"object", e.event.object},
                                             {"details", e.event.details == "{}" ? "" : e.event.details}});
                   json data{{"object", q["object"]}, {"actor", q["actor"]}, {"action", q["action"]}, {"from", q["from"]},
                             {"to", q["to"]}, {"events", events}, {"searched", searched}, {"has_events", !events.empty()}};
                   return s.pages.render(req, "office_audit", "backoffice.audit", data, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    // The CA administrator: the hierarchy's certificates, the latest CRL (publish one now), the issuing profiles.
    router.add("GET", "/office/ca", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   ra::require_permission(who, ra::Action::CrlPublish);
                   json certs = json::array();
                   for (const char* name : {"root", "issuing", "ocsp", "tsa", "audit"}) {
                       auto m = s.ca.store().ca_material(name);
                       if (!m) continue;
                       auto cert = pki::certificate_from_der(m->certificate_der);
                       const ASN1_TIME* until = X509_get0_notAfter(cert.get());
                       std::tm tm{};
                       ASN1_TIME_to_tm(until, &tm);
                       char text[32];
                       std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
                       certs.push_back({{"name", name},
                                        {"subject", pki::name_text(X509_get_subject_name(cert.get()))},
                                        {"until", text},
                                        {"key", m->key_label}});
                   }
                   json crl = json::object();
                   if (auto latest = s.ca.store().latest_crl())
                       crl = {{"number", std::to_string(latest->number)},
                              {"this_update", s.ra.calendar.local_text(latest->this_update)},
                              {"next_update", s.ra.calendar.local_text(latest->next_update)}};
                   json profiles = json::array();
                   for (const auto& [name, p] : s.config.ca.profiles)
                       profiles.push_back({{"name", name},
                                           {"days", std::to_string(p.validity_days)},
                                           {"key_usage", p.key_usage},
                                           {"eku", p.extended_key_usage}});
                   json data{{"certificates", certs}, {"crl", crl}, {"has_crl", !crl.empty()}, {"profiles", profiles},
                             {"published", parse_urlencoded(req.query)["published"]}};
                   return s.pages.render(req, "office_ca", "backoffice.ca", data, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/ca/crl", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   require_csrf(req, parse_urlencoded(req.body));
                   ra::require_permission(who, ra::Action::CrlPublish);
                   auto crl = s.ca.publish_crl(who.actor());
                   return see_other("/office/ca?published=" + std::to_string(crl.number));
               }),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/requests/{id}", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   std::string lang = choose_language(req);
                   json data = request_view(s, lang, s.ra.office.request(who, req.param("id")));
                   json documents = json::array();
                   for (const auto& a : s.ra.office.checklist(who, req.param("id")).attached)
                       documents.push_back({{"name", translate(lang, "documents." + a.doc_type)}, {"by", a.attached_by}});
                   data["documents"] = documents;
                   return s.pages.render(req, "office_request", "backoffice.request", data, 200, "office");
               }),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/requests/{id}/approve", staff_page(s, [&s](const Request& req, const ra::Principal& who) {
                   require_csrf(req, parse_urlencoded(req.body));
                   s.ra.office.approve_request(who, req.param("id"));
                   return see_other("/office/requests/" + req.param("id"));
               }),
               Execution::Blocking, "ui_office");
}

}  // namespace yq::web
