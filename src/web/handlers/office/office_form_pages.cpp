// #16 "filled from the case where the office prints them": each case's form printed with what the office recorded —
// the agency application form, an authorisation letter, a service application, a revocation, renewal or unlock
// request. The same bilingual page as the blank form (web/ui/printable_forms); ID numbers are never printed (they are
// kept sealed; the clerk compares the original), and a box is ticked only where the case says so.
#include "core/error.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/printable_forms.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

constexpr const char* kTicked = "☑";

std::string bilingual(const std::string& key) { return translate("zh-Hant", key) + " " + translate("pt", key); }

std::string date_of(const OfficePageServices& s, std::int64_t t) { return t ? office_time(s, t).substr(0, 10) : ""; }

const ra::Representative* find_representative(const std::vector<ra::Representative>& reps, const std::string& id) {
    for (const auto& r : reps)
        if (r.id == id) return &r;
    return nullptr;
}

void put_person(FormValues& v, const std::string& section, const std::string& name, const std::string& title) {
    v.fields[section + ".person_name"] = name;
    v.fields[section + ".person_title"] = title;
}

void put_agency(FormValues& v, const ra::Agency& a) {
    v.fields["agency_name_zh"] = a.name_zh;
    v.fields["agency_name_pt"] = a.name_pt;
    v.fields["agency_name_en"] = a.name_en;
    v.fields["agency_code"] = a.code;
    v.fields["agency_address"] = a.address;
}

// The agency, its head and the representative who signs (the agency form's, or the letter's delegate).
void put_agency_and_signatories(const OfficePageServices& s, const ra::Principal& who, FormValues& v,
                                const ra::Agency& a, const std::string& representative_id) {
    put_agency(v, a);
    put_person(v, "head", a.head.name, a.head.title);
    auto reps = s.ra.office.agencies.representatives(who, a.id);
    if (const auto* r = find_representative(reps, representative_id)) {
        put_person(v, "representative", r->name, r->title);
        v.fields["representative.id_type"] = bilingual("backoffice.id_types." + r->id_type);
    }
}

void put_sign_off(const OfficePageServices& s, const ra::Principal& who, FormValues& v, const std::string& agency_id,
                  const std::optional<ra::SignOff>& sign_off) {
    if (!sign_off) return;
    auto reps = s.ra.office.agencies.representatives(who, agency_id);
    if (const auto* r = find_representative(reps, sign_off->representative_id))
        put_person(v, "representative_sign_off", r->name, r->title);
}

// The user's own lines (requests): what their application recorded.
void put_user(const OfficePageServices& s, const ra::Principal& who, FormValues& v, const std::string& agency_id,
              const std::string& username) {
    v.fields["username"] = username;
    for (const auto& a : s.ra.office.applications.list(who, agency_id, "approved"))
        if (a.username == username) {
            v.fields["user.person_name"] = a.display_name;
            v.fields["user.phone"] = a.phone;
            if (a.identity) v.fields["user.id_type"] = bilingual("backoffice.id_types." + a.identity->id_type);
        }
}

Response form_page(const OfficePageServices& s, const Request& req, const std::string& name, const FormValues& values) {
    json view = printable_form_view(s.config.ra, name);
    fill_form(view, values);
    view["filled_from_case"] = true;
    return s.pages.render(req, "printable_form", "documents." + name, view, 200, "office");
}

Response agency_form(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::Agency a = s.ra.office.agencies.agency(who, req.param("id"));
    FormValues v;
    put_agency_and_signatories(s, who, v, a, a.representative_id);
    v.fields["contact.person_name"] = a.contact.name;
    v.fields["contact.phone"] = a.contact.phone;
    v.fields["contact.email"] = a.contact.email;
    return form_page(s, req, "agency_application_form", v);
}

Response letter_form(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::Agency a = s.ra.office.agencies.agency(who, req.param("id"));
    for (const auto& l : s.ra.office.agencies.letters(who, a.id)) {
        if (l.id != req.param("letter")) continue;
        FormValues v;
        put_agency_and_signatories(s, who, v, a, l.representative_id);
        for (const auto& scope : l.scopes) v.fields["scope_" + scope] = kTicked;
        v.fields["valid_from"] = date_of(s, l.valid_from);
        v.fields["valid_until"] = l.valid_to ? date_of(s, l.valid_to - 1) : bilingual("forms.until_withdrawn");
        return form_page(s, req, "authorisation_letter", v);
    }
    throw Error("ra.unknown_letter", 404, "no letter with this id for this agency");
}

Response application_form(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::Application app = s.ra.office.applications.application(who, req.param("id"));
    ra::Agency a = s.ra.office.agencies.agency(who, app.agency_id);
    FormValues v;
    v.fields[app.user_kind == "government" ? "type_government" : "type_personal"] = kTicked;
    put_agency(v, a);
    v.fields["user.person_name"] = app.display_name;
    v.fields["username"] = app.username;
    v.fields["department"] = app.department;
    v.fields["user.person_title"] = app.title;
    v.fields["user.email"] = app.email;
    v.fields["user.phone"] = app.phone;
    if (app.identity) v.fields["user.id_type"] = bilingual("backoffice.id_types." + app.identity->id_type);
    v.services = app.services;
    for (const auto& service : app.services) {  // what is not an offered service goes in the 「其他」 box
        bool offered = false;
        for (const auto& o : s.config.ra.services) offered = offered || o.id == service;
        if (!offered) v.other_service += (v.other_service.empty() ? "☑ " : ", ") + service;
    }
    put_sign_off(s, who, v, app.agency_id, app.sign_off);
    return form_page(s, req, "service_application_form", v);
}

Response request_form(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::ServiceRequest r = s.ra.office.requests.request(who, req.param("id"));
    FormValues v;
    put_user(s, who, v, r.agency_id, r.username);
    std::string name = "unlock_request_form";
    if (r.kind == "revocation") {
        name = "revocation_request_form";
        v.fields["revocation_reason"] = bilingual("backoffice.reasons." + r.reason);
    } else if (r.kind == "renewal") {
        name = "renewal_request_form";
    } else {
        v.fields[r.kind == "rekey" ? "request_rekey" : "request_unlock"] = kTicked;  // recovery unlocks the sign-in
    }
    put_sign_off(s, who, v, r.agency_id, r.sign_off);
    return form_page(s, req, name, v);
}

}  // namespace

void register_office_form_pages(Router& router, const OfficePageServices& s) {
    auto route = [&](const char* path, Response (*page)(const OfficePageServices&, const Request&, const ra::Principal&)) {
        router.add("GET", path,
                   staff_page(s, [&s, page](const Request& req, const ra::Principal& who) { return page(s, req, who); }),
                   Execution::Blocking, "ui_office");
    };
    route("/office/agencies/{id}/form", &agency_form);
    route("/office/agencies/{id}/letters/{letter}/form", &letter_form);
    route("/office/applications/{id}/form", &application_form);
    route("/office/requests/{id}/form", &request_form);
}

}  // namespace yq::web
