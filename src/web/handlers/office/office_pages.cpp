// The registration office's pages (see office_pages.hpp). Errors are shown from the catalogue, chosen by code.
#include "web/handlers/office/office_pages.hpp"

#include "web/handlers/office/office_support.hpp"

#include <ctime>
#include <map>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "validation/service_self_test.hpp"
#include "web/ui/enrolment_view.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

// An audit event's details ({"key": "value", …}) as key/value items for the page; other text as one item.
json detail_items(const std::string& details) {
    json items = json::array();
    json parsed = json::parse(details, nullptr, false);
    if (parsed.is_object()) {
        for (const auto& [k, v] : parsed.items()) items.push_back({{"key", k}, {"value", v.is_string() ? v.get<std::string>() : v.dump()}});
    } else if (!details.empty()) {
        items.push_back({{"key", ""}, {"value", details}});
    }
    return items;
}

// One line of the work queue: what it is, whose it is, who did the last step and when, where to open it.
json queue_row(const std::string& what, const std::string& subject, const std::string& by, const std::string& when,
               const std::string& href) {
    return {{"kind", what}, {"subject", subject}, {"by", by}, {"when", when}, {"href", href}};
}

// What waits for a check (or the ID at the counter) and what waits for a second person, over every case kind the
// member of staff may read.
void fill_queue(const OfficePageServices& s, const ra::Principal& who, const std::string& lang, json& to_check,
                json& to_approve) {
    auto label = [&](const std::string& key) { return translate(lang, key); };
    auto when = [&](std::int64_t t) { return office_time(s, t); };
    if (may(who, ra::Action::RequestRead)) {
        for (const auto& r : s.ra.office.requests.list(who, "", ra::status_name(ra::RequestStatus::Submitted)))
            to_check.push_back(queue_row(label("requests." + r.kind), r.username, r.created_by, when(r.created_at),
                                         "/office/requests/" + r.id));
        for (const auto& r : s.ra.office.requests.list(who, "", ra::status_name(ra::RequestStatus::Checked)))
            to_approve.push_back(queue_row(label("requests." + r.kind), r.username, r.checked_by, when(r.created_at),
                                           "/office/requests/" + r.id));
    }
    if (may(who, ra::Action::AgencyRead)) {
        std::map<std::string, std::string> names;  // agency id → name, for the letters below
        for (const auto& a : s.ra.office.agencies.list(who, "")) {
            names[a.id] = a.name_zh;
            std::string href = "/office/agencies/" + a.id;
            if (a.status == ra::AgencyStatus::Submitted)
                to_check.push_back(queue_row(label("backoffice.agency"), a.name_zh, a.submitted_by, when(a.created_at), href));
            if (a.status == ra::AgencyStatus::DocumentsChecked)
                to_approve.push_back(queue_row(label("backoffice.agency"), a.name_zh, a.documents_checked_by,
                                               when(a.created_at), href));
        }
        for (const auto& l : s.ra.office.agencies.letters_with_status(who, ra::status_name(ra::LetterStatus::Pending)))  // one query, not one per agency
            to_approve.push_back(queue_row(label("backoffice.letter"), names[l.agency_id], l.recorded_by, when(l.created_at),
                                           "/office/agencies/" + l.agency_id));
    }
    if (may(who, ra::Action::ApplicationRead)) {
        for (auto status : {ra::ApplicationStatus::Submitted, ra::ApplicationStatus::DocumentsChecked})
            for (const auto& a : s.ra.office.applications.list(who, "", ra::status_name(status)))
                to_check.push_back(queue_row(label("backoffice.application"), a.username, a.created_by,
                                             when(a.created_at), "/office/applications/" + a.id));
        for (const auto& a : s.ra.office.applications.list(who, "", ra::status_name(ra::ApplicationStatus::IdSighted)))
            to_approve.push_back(queue_row(label("backoffice.application"), a.username, a.identity ? a.identity->officer : "",
                                           when(a.created_at), "/office/applications/" + a.id));
    }
}

Response sign_in_page(const OfficePageServices& s, const Request& req) {
    return s.pages.render(req, "office_login", "backoffice.sign_in", json::object(), 200, "office");
}

Response sign_in(const OfficePageServices& s, const Request& req) {
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
        std::string next = session.principal.must_enrol             ? "/office/enrol"
                           : session.principal.must_change_password ? "/office/password"
                                                                    : "/office";
        return see_other(next, {set_cookie(kStaffSessionCookie, session.access_token, s.pages.settings().secure_cookies)});
    } catch (const Error& e) {
        record_sign_in_failure(s.sign_in_failures, req.remote_address, f["username"], now);
        json data{{"error", translate(lang, office_message_key(e.code()))}, {"username", f["username"]}};
        return s.pages.render(req, "office_login", "backoffice.sign_in", data, 401, "office");
    }
}

Response sign_out(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    require_csrf(req, parse_urlencoded(req.body));
    s.ra.staff.logout(cookie_value(req, kStaffSessionCookie), who.actor());
    return see_other("/office/login", {cleared_cookie(kStaffSessionCookie)});
}

Response enrolment_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    if (!who.must_enrol) return see_other("/office");
    auto e = s.ra.staff.start_enrolment(who);
    json data = authenticator_enrolment_view(e.otpauth_uri, e.secret_base32, e.sealed_candidate_hex,
                                             "/office/enrol");
    return s.pages.render(req, "authenticator_enrol", "portal.enrol", data, 200, "office");
}

Response enrol(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    try {
        require_csrf(req, f);
        s.ra.staff.finish_enrolment(who, f["candidate"], f["otp"]);
        return see_other(who.must_change_password ? "/office/password" : "/office");
    } catch (const Error& e) {
        if (e.code() == "staff.totp_already_enrolled") return see_other("/office");
        // the same secret again, so the code the app shows for it can be tried again
        json data = authenticator_enrolment_view(f["uri"], f["secret"], f["candidate"], "/office/enrol");
        data["error"] = translate(lang, e.code() == "staff.wrong_otp" ? "portal.errors.enrol_code"
                                                                      : office_message_key(e.code()));
        return s.pages.render(req, "authenticator_enrol", "portal.enrol", data, 400, "office");
    }
}

Response password_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    return s.pages.render(req, "office_password", "backoffice.change_password",
                          json{{"must_change", who.must_change_password}}, 200, "office");
}

Response change_password(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    try {
        require_csrf(req, f);
        if (f["new_password"] != f["new_password_again"]) throw Error("ui.passwords_differ", 422, "differ");
        s.ra.staff.change_password(who, take_secret(f, "old_password"), take_secret(f, "new_password"),
                                   cookie_value(req, kStaffSessionCookie));
        return see_other("/office");
    } catch (const Error& e) {
        json data{{"must_change", who.must_change_password}, {"error", translate(lang, office_message_key(e.code()))}};
        return s.pages.render(req, "office_password", "backoffice.change_password", data, 422, "office");
    }
}

Response home_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string lang = choose_language(req);
    json to_check = json::array(), to_approve = json::array(), appointments = json::array();
    fill_queue(s, who, lang, to_check, to_approve);
    bool can_list = may(who, ra::Action::AppointmentList);
    if (can_list)
        for (const auto& a : s.ra.appointments.on_date(office_today(s)))
            appointments.push_back({{"when", office_time(s, a.slot_start).substr(11)},
                                    {"purpose", translate(lang, "book.purposes." + a.purpose)},
                                    {"name", a.person_name},
                                    {"about", appointment_about(a)},
                                    {"status", translate(lang, "booked.statuses." + a.status)}});
    json data{{"staff", who.username}, {"can_audit", who.has(ra::Role::Auditor) || who.has(ra::Role::CaAdmin)},
              {"can_ca", who.has(ra::Role::CaAdmin)},
              {"can_register", may(who, ra::Action::AgencyCreate)},
              {"can_manage_staff", may(who, ra::Action::StaffManage)},
              {"can_list_appointments", can_list},
              {"can_request", may(who, ra::Action::RequestCreate)},
              {"to_check", to_check}, {"to_approve", to_approve},
              {"appointments", appointments}, {"today", office_today(s)},
              {"has_to_check", !to_check.empty()}, {"has_to_approve", !to_approve.empty()},
              {"has_appointments", !appointments.empty()}};
    return s.pages.render(req, "office_home", "backoffice.queue", data, 200, "office");
}

Response appointments_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::AppointmentList);
    std::string lang = choose_language(req);
    std::string date = parse_urlencoded(req.query)["date"];
    if (date.empty()) date = office_today(s);
    json rows = json::array();
    for (const auto& a : s.ra.appointments.on_date(date))
        rows.push_back({{"when", office_time(s, a.slot_start).substr(11)},
                        {"purpose", translate(lang, "book.purposes." + a.purpose)},
                        {"name", a.person_name},
                        {"about", appointment_about(a)},
                        {"contact", a.contact},
                        {"status", translate(lang, "booked.statuses." + a.status)}});
    json data{{"date", date}, {"appointments", rows}, {"has_appointments", !rows.empty()}};
    return s.pages.render(req, "office_appointments", "backoffice.appointments", data, 200, "office");
}

Response appointments_week_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::AppointmentList);
    std::string lang = choose_language(req);
    std::string start = parse_urlencoded(req.query)["start"];
    const std::string today = office_today(s);
    const json& names = catalogue(lang)["office"]["weekdays"];
    json days = json::array();
    for (const auto& day : s.ra.calendar.week_of(start.empty() ? today : start)) {
        json bookings = json::array();
        for (const auto& a : s.ra.appointments.on_date(day.date))
            bookings.push_back({{"when", office_time(s, a.slot_start).substr(11)},
                                {"purpose", translate(lang, "book.purposes." + a.purpose)},
                                {"name", a.person_name},
                                {"status", translate(lang, "booked.statuses." + a.status)},
                                {"cancelled", a.status == "cancelled"}});
        std::string hours = translate(lang, "office.closed");  // a holiday, or a day without hours
        if (day.open) hours = day.hours.substr(0, 5) + "–" + day.hours.substr(6);  // 09:00–17:45
        days.push_back({{"name", names.at(day.weekday)}, {"date", day.date}, {"hours", hours}, {"open", day.open},
                        {"bookings", bookings}, {"has_bookings", !bookings.empty()}, {"today", day.date == today}});
    }
    std::string monday = days.front()["date"];
    json data{{"days", days},
              {"first", monday},
              {"last", days.back()["date"]},
              {"previous", s.ra.calendar.add_days(monday, -7)},
              {"next", s.ra.calendar.add_days(monday, 7)}};
    return s.pages.render(req, "office_week", "backoffice.week", data, 200, "office_week");
}

Response unlock_page(const OfficePageServices& s, const Request& req, const ra::Principal&) {
    std::string lang = choose_language(req);
    json id_types = json::array();
    for (const auto& t : s.config.ra.id_types) id_types.push_back({{"value", t}, {"label", translate(lang, "backoffice.id_types." + t)}});
    json due = due_now_view(s, "unlock");
    return s.pages.render(req, "office_unlock", "backoffice.unlock",
                          json{{"id_types", id_types}, {"due", due}, {"has_due", !due.empty()}}, 200,
                          "office_unlock");
}

Response unlock(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    UploadForm form = parse_upload_form(req);
    auto& f = form.fields;
    require_csrf(req, f);
    if (form.files["unlock_form"].empty() || form.files["id_copy"].empty())
        throw Error("ui.missing_documents", 422, "both documents are needed");
    ra::CounterRequest c{"unlock", f["username"], f["reason"],
                         ra::AppointmentChoice{f["appointment_code"], f["appointment_id"]}, f["id_type"], f["id_number"],
                         {{"unlock_request_form", core::to_bytes(form.files["unlock_form"])},
                          {"user_id_copy", core::to_bytes(form.files["id_copy"])}}};
    auto r = s.ra.office.requests.register_request_at_counter(who, std::move(c));
    return see_other("/office/requests/" + r.id);
}

Response notices_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    const std::string lang = choose_language(req);
    json rows = json::array();
    for (const auto& n : s.ra.auditor.recent_notices(who, 200))
        rows.push_back({{"id", std::to_string(n.id)},
                        {"created", office_time(s, n.created_at)},
                        {"kind", n.kind},
                        {"audience", n.audience},
                        {"status", translate(lang, "backoffice.notices.statuses." + n.status)},
                        {"status_class", n.status},
                        {"attempts", std::to_string(n.attempts)},
                        {"when", n.status == "sent" ? office_time(s, n.sent_at)
                                 : n.status == "queued" ? office_time(s, n.next_attempt_at) : ""},
                        {"error", n.last_error}});
    json data{{"notices", rows}, {"has_notices", !rows.empty()},
              {"mail_configured", !s.config.mail.smtp_url.empty()}};
    return s.pages.render(req, "office_notices", "backoffice.notices.title", data, 200, "office");
}

Response audit_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    auto q = parse_urlencoded(req.query);
    audit::EventFilter filter;
    filter.object = q["object"];
    filter.actor = q["actor"];
    filter.action = q["action"];
    filter.limit = 200;
    auto day_start = [&](const std::string& date) -> std::int64_t {  // 00:00 office time
        return date.empty() ? 0 : office_day_start(s, date);
    };
    filter.from = day_start(q["from"]);
    if (!q["to"].empty()) filter.to = day_start(q["to"]) + 86400;  // the whole last day
    json events = json::array();
    bool searched = !q.empty();
    if (!searched) s.ra.auditor.require_auditor(who);
    if (searched)
        for (const auto& e : s.ra.auditor.search(who, filter))
            events.push_back({{"seq", std::to_string(e.seq)},
                              {"time", office_time(s, e.event.time)},
                              {"actor", e.event.actor},
                              {"action", e.event.action},
                              {"object", e.event.object},
                              {"details", detail_items(e.event.details)}});
    json data{{"object", q["object"]}, {"actor", q["actor"]}, {"action", q["action"]}, {"from", q["from"]},
              {"to", q["to"]}, {"events", events}, {"searched", searched}, {"has_events", !events.empty()}};
    return s.pages.render(req, "office_audit", "backoffice.audit", data, 200, "office");
}

Response ca_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::CrlPublish);
    json certs = json::array();
    for (const char* name : {"root", "issuing", "ocsp", "tsa", "audit", "transparency", "validation"}) {
        auto m = s.ca.ca_material(name);
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
    if (auto latest = s.ca.latest_crl())
        crl = {{"number", std::to_string(latest->number)},
               {"this_update", office_time(s, latest->this_update)},
               {"next_update", office_time(s, latest->next_update)}};
    json profiles = json::array();
    for (const auto& [name, p] : s.config.ca.profiles)
        profiles.push_back({{"name", name},
                            {"days", std::to_string(p.validity_days)},
                            {"key_usage", p.key_usage},
                            {"eku", p.extended_key_usage}});
    json services = json::array();
    std::int64_t now = s.clock.unix_seconds();
    for (const auto& [name, result] : {std::pair{"OCSP", validation::ocsp_self_test(s.ca, s.ocsp, now)},
                                       std::pair{"TSA", validation::tsa_self_test(s.ca, s.tsa, now)}}) {
        char ms[16];
        std::snprintf(ms, sizeof ms, "%.1f", result.milliseconds);
        services.push_back({{"name", name}, {"ok", result.ok}, {"detail", result.detail}, {"ms", ms}});
    }
    json data{{"certificates", certs}, {"crl", crl}, {"has_crl", !crl.empty()}, {"profiles", profiles},
              {"services", services},
              {"ocsp_cached", std::to_string(s.ocsp.cache_hits())},
              {"ocsp_signed", std::to_string(s.ocsp.signed_on_demand())},
              {"published", parse_urlencoded(req.query)["published"]}};
    return s.pages.render(req, "office_ca", "backoffice.ca", data, 200, "office");
}

Response publish_crl(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    require_csrf(req, parse_urlencoded(req.body));
    ra::require_permission(who, ra::Action::CrlPublish);
    auto crl = s.ca.publish_crl(who.actor());
    return see_other("/office/ca?published=" + std::to_string(crl.number));
}

}  // namespace

void register_office_pages(Router& router, const OfficePageServices& s) {
    router.add("GET", "/office/login", with(s, sign_in_page), Execution::Inline, "ui_office");

    router.add("POST", "/office/login", with(s, sign_in), Execution::Blocking, "ui_office");

    router.add("POST", "/office/logout", staff_page(s, with(s, sign_out), StaffPageAccess::SetUp),
               Execution::Blocking, "ui_office");

    // #14: the first sign-in enrols the person's own authenticator (nobody at the office sees its secret).
    router.add("GET", "/office/enrol", staff_page(s, with(s, enrolment_page), StaffPageAccess::SetUp),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/enrol", staff_page(s, with(s, enrol), StaffPageAccess::SetUp),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/password", staff_page(s, with(s, password_page), StaffPageAccess::PasswordChange),
               Execution::Blocking, "ui_office");

    router.add("POST", "/office/password", staff_page(s, with(s, change_password), StaffPageAccess::PasswordChange),
               Execution::Blocking, "ui_office");

    // The work queue: what waits for a check, what waits for a second person, today's appointments.
    router.add("GET", "/office", staff_page(s, with(s, home_page)), Execution::Blocking, "ui_office");

    // The appointments of one day (office time), with the contact to reach people if the office must move a time.
    router.add("GET", "/office/appointments", staff_page(s, with(s, appointments_page)),
               Execution::Blocking, "ui_office");

    // A week of appointments (Monday first, office time): each day's hours and bookings, to plan the counter.
    router.add("GET", "/office/appointments/week", staff_page(s, with(s, appointments_week_page)),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/unlock", staff_page(s, with(s, unlock_page)), Execution::Blocking, "ui_office");

    // At the counter: the booking is checked in, the request opened with its two documents, the original ID recorded
    // (it must match the one sighted at registration). A second person approves on the request's page.
    router.add("POST", "/office/unlock", staff_page(s, with(s, unlock)), Execution::Blocking, "ui_office");

    // #16: the e-mail notices, newest first: sent, waiting for a retry (with the mail server's answer), or given up.
    router.add("GET", "/office/notices", staff_page(s, with(s, notices_page)), Execution::Blocking, "ui_office");

    // The auditor's search of the audit log (object, actor, action, days in office time), newest first.
    router.add("GET", "/office/audit", staff_page(s, with(s, audit_page)), Execution::Blocking, "ui_office");

    // The CA administrator: the hierarchy's certificates, the latest CRL (publish one now), the issuing profiles.
    router.add("GET", "/office/ca", staff_page(s, with(s, ca_page)), Execution::Blocking, "ui_office");

    router.add("POST", "/office/ca/crl", staff_page(s, with(s, publish_crl)), Execution::Blocking, "ui_office");
}

}  // namespace yq::web
