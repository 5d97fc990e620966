#pragma once
// For the registration office's fuzz targets (registration_api_fuzz, office_upload_fuzz): the office's real routes — the
// JSON API (/api/v1) and the back-office pages (/office) — on the real installation of fuzz_environment, with two staff
// members signed in the way people are (one-time password, authenticator enrolled, own password): an officer and a
// supervisor who is also auditor and CA administrator. An agency and an uploaded document are made at start-up so
// inputs can name them ("@A", "@D").
#include <liboath/oath.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/account_service.hpp"
#include "accounts/totp.hpp"
#include "fuzz/fuzz_environment.hpp"
#include "ra/appointments.hpp"
#include "ra/registration_office.hpp"
#include "signing/csc_service.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/handlers/office/ra_routes.hpp"
#include "web/handlers/public/appointment_api.hpp"
#include "core/json_text.hpp"
#include "web/ui/attempt_limiter.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::fuzz {

using nlohmann::json;

struct RegistrationEnvironment {
    yq::fuzz::Environment& e;
    yq::signing::CscService csc;
    yq::ra::OfficeCalendar calendar;
    yq::ra::AppointmentBook appointments;
    yq::ra::RegistrationOffice office;
    yq::ra::AuditorDesk auditor;
    yq::web::RaRouteServices services;
    yq::web::AppointmentApiServices appointment_api;
    yq::web::PageRenderer pages;
    yq::web::AttemptLimiter sign_ins{1000000, 60};
    yq::web::OfficePageServices page_services;
    yq::web::Router router;
    std::string tokens[2];
    std::string agency, document;
    long inputs = 0;

    explicit RegistrationEnvironment(yq::fuzz::Environment& env)
        : e(env),
          csc(e.app->config, *e.app->accounts, *e.app->store, *e.app->store, *e.app->store, *e.app->custody, *e.app->ca,
              *e.tsa, *e.app->keys, *e.app->log, e.app->clock),
          calendar(e.app->config.office),
          appointments(calendar, *e.app->store, *e.app->keys, e.app->clock),
          office(e.app->config, *e.app->store, *e.app->accounts, *e.app->store, *e.app->ca, appointments, calendar,
                 *e.app->keys, e.app->clock),
          auditor(*e.app->store, *e.app->store),
          services{*e.app->staff, office, appointments, calendar, auditor, csc},
          appointment_api{appointments, calendar},
          pages(yq::web::UiSettings{false, e.app->config.office}),
          page_services{e.app->config, services, pages, e.app->clock, sign_ins, *e.app->ca, *e.ocsp, *e.tsa} {
        yq::accounts::AccountService::ensure_hsm_keys(*e.app->keys);
        yq::ra::RegistrationOffice::ensure_hsm_keys(*e.app->keys);
        yq::web::register_staff_routes(router, services);
        yq::web::register_ra_routes(router, services);
        yq::web::register_appointment_api(router, appointment_api);
        yq::web::register_appointment_staff_routes(router, services);
        yq::web::register_audit_routes(router, services);
        yq::web::register_office_pages(router, page_services);
        yq::web::register_office_registration_pages(router, page_services);
        yq::web::register_office_request_pages(router, page_services);
        yq::web::register_office_form_pages(router, page_services);
        yq::web::register_office_staff_pages(router, page_services);
        tokens[0] = signed_in("fuzz.officer", {"officer"});
        tokens[1] = signed_in("fuzz.supervisor", {"supervisor", "auditor", "ca_admin"});
        document = set_up_call(0, "POST", "/api/v1/documents", std::string("%PDF-1.7\n%fuzz seed\n")).value("sha256", "");
        json a{{"kind", "government"},
               {"name_zh", "模糊測試局"},
               {"code", "FZ"},
               {"head", {{"name", "Head"}}},
               {"contact", {{"name", "Contact"}, {"email", "contact@fuzz.gov.mo"}}},
               {"representative", {{"name", "Rep"}, {"is_head", true}, {"id_type", "macau_bir"}, {"id_number", "1234567(8)"}}}};
        agency = set_up_call(0, "POST", "/api/v1/agencies", a.dump())["agency"].value("id", "");
    }

    // A console-made sign-in taken through its first sign-in: one-time password, authenticator enrolled, own password.
    std::string signed_in(const std::string& username, const std::vector<std::string>& roles) {
        auto& staff = *e.app->staff;
        auto secrets = staff.create(username, roles, "", "fuzz", yq::ra::StaffIssuer::Console);
        auto session = staff.login(username, secrets.one_time_password, "");
        auto enrolment = staff.start_enrolment(staff.principal_for_token(session.access_token));
        char* raw = nullptr;
        std::size_t raw_len = 0;
        if (oath_base32_decode(enrolment.secret_base32.c_str(), enrolment.secret_base32.size(), &raw, &raw_len) != OATH_OK)
            std::abort();
        yq::core::SecureBytes secret(raw, raw + raw_len);
        free(raw);
        staff.finish_enrolment(staff.principal_for_token(session.access_token), enrolment.sealed_candidate_hex,
                               yq::accounts::totp_code(secret, e.app->clock.unix_seconds()));
        staff.change_password(staff.principal_for_token(session.access_token), secrets.one_time_password,
                              yq::core::to_secure(username + "-chosen-password"), session.access_token);
        return session.access_token;
    }

    // A request the set-up needs to succeed: its JSON answer, or the run stops with what went wrong.
    json set_up_call(int who, const std::string& method, const std::string& path, const std::string& body) {
        yq::web::Request req;
        req.method = method;
        req.path = path;
        req.body = body;
        req.headers["authorization"] = "Bearer " + tokens[who];
        req.headers["content-type"] = "application/json";
        yq::web::Response r = respond(req);
        json answer = json::parse(r.body, nullptr, false);
        if (r.status >= 300 || !answer.is_object()) {
            std::cerr << "fuzz set-up: " << method << " " << path << " answered " << r.status << ": " << r.body << "\n";
            std::abort();
        }
        return answer;
    }

    // What web::Server does with a route's answer or exception (server.cpp invoke()), minus the socket.
    yq::web::Response respond(yq::web::Request& req) {
        bool exists = false;
        const yq::web::Route* route = router.match(req.method, req.path, exists);
        if (route == nullptr) {
            yq::web::Response none;
            none.status = exists ? 405 : 404;
            none.content_type = "application/json";
            none.body = "{}";
            return none;
        }
        req.params = yq::web::path_parameters(route->pattern, req.path);
        try {
            return route->handler(req);
        } catch (const yq::Error& err) {
            if (err.http_status() >= 500) {
                std::cerr << req.method << " " << req.path << ": " << err.http_status() << " " << err.code() << ": "
                          << err.what() << "\n";
                std::abort();
            }
            yq::web::Response r;
            r.status = err.http_status();
            r.content_type = "application/json";
            r.body = yq::core::json_text(json{{"error", err.code()}, {"message", err.what()}});  // as server.cpp does
            return r;
        } catch (const std::exception& other) {  // the server would answer 500 "internal"
            std::cerr << req.method << " " << req.path << ": not a yq::Error: " << other.what() << "\n";
            std::abort();
        }
    }

    void check_audit_chain() {
        auto events = e.app->store->all_events();
        auto report = yq::audit::verify_chain(events, {}, {});
        if (!report.ok || (!events.empty() && e.app->store->recorded_head_seq() != events.back().seq)) {
            std::cerr << "audit chain broken: " << report.problem << "\n";
            std::abort();
        }
    }
};

inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

// The two sessions must stay alive for a run to keep reaching past sign-in: no sign-in or sign-out (failed sign-ins
// lock a person), no password or authenticator change, nothing about the fuzz staff themselves (a reset ends their
// sessions).
inline bool ends_a_fuzz_session(const std::string& path) {
    for (const char* word : {"login", "logout", "password", "enrol", "fuzz."})
        if (path.find(word) != std::string::npos) return true;
    return false;
}

inline RegistrationEnvironment& registration_environment() {
    static RegistrationEnvironment env(environment());
    return env;
}

}  // namespace yq::fuzz
