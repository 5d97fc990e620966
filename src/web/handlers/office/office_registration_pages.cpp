// The registration office's pages for agencies and user service applications (see office_pages.hpp). Domain
// reference §2 A–C: an agency registers with its application form, the representative's and the contact person's ID
// copies and, when the representative is not the head, the head's authorisation letter; each user applies with the
// service form and an ID copy, shows the original in person, and a second officer approves — which opens the account
// and prints the sealed PIN letter.
#include <sodium.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "ra/documents.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;
using Fields = std::map<std::string, std::string>;

const std::vector<std::string> kLetterScopes = {"apply", "use", "revoke", "renew"};
const std::vector<std::string> kKeyTypes = {"ec-p256", "ec-p384", "rsa-2048", "rsa-3072"};

json scope_options(const std::string& lang, const Fields* form = nullptr) {
    json scopes = json::array();
    for (const auto& scope : kLetterScopes)
        scopes.push_back({{"value", scope},
                          {"label", translate(lang, "backoffice.scopes." + scope)},
                          {"checked", form ? form->count("scope_" + scope) != 0 : scope == "apply"}});
    return scopes;
}

// The page's letter must be one of the page's agency (a form posted with another agency's letter is refused).
void require_letter_of_agency(const OfficePageServices& s, const ra::Principal& who, const std::string& agency_id,
                              const std::string& letter_id) {
    for (const auto& l : s.ra.office.agencies.letters(who, agency_id))
        if (l.id == letter_id) return;
    throw Error("ui.bad_form", 400, "the letter is not one of this agency's");
}

// The letter's details from a form (scope_* boxes, letter_from, letter_to dates in office time).
ra::Letter letter_from_form(const OfficePageServices& s, Fields& f) {
    ra::Letter letter;
    for (const auto& scope : kLetterScopes)
        if (f.count("scope_" + scope)) letter.scopes.push_back(scope);
    if (letter.scopes.empty()) throw Error("ra.bad_scope", 422, "the letter needs a scope");
    letter.valid_from = office_day_start(s, f["letter_from"].empty() ? office_today(s) : f["letter_from"]);
    if (!f["letter_to"].empty()) letter.valid_to = office_day_start(s, f["letter_to"]) + 86399;
    if (letter.valid_to != 0 && letter.valid_to <= letter.valid_from)  // checked here too: before anything is stored
        throw Error("ra.bad_validity", 422, "the letter must end after it starts");
    return letter;
}

std::string agency_page(const std::string& id) { return "/office/agencies/" + id; }
std::string application_page(const std::string& id) { return "/office/applications/" + id; }

std::string agency_name(const ra::Agency& a, const std::string& lang) {
    if (lang == "pt" && !a.name_pt.empty()) return a.name_pt;
    if (lang == "en" && !a.name_en.empty()) return a.name_en;
    return a.name_zh;
}

json person_view(const ra::Person& p) {
    return {{"name", p.name}, {"title", p.title}, {"phone", p.phone}, {"email", p.email}};
}

ra::Person person_from(Fields& f, const std::string& prefix) {
    return ra::Person{f[prefix + "_name"], f[prefix + "_title"], f[prefix + "_phone"], f[prefix + "_email"]};
}

std::string date_text(const OfficePageServices& s, std::int64_t t) { return t == 0 ? "" : office_time(s, t).substr(0, 10); }

json agency_row(const OfficePageServices& s, const ra::Agency& a, const std::string& lang) {
    return {{"id", a.id},
            {"code", a.code},
            {"name", agency_name(a, lang)},
            {"status", translate(lang, "backoffice.agency_statuses." + ra::status_name(a.status))},
            {"created", office_time(s, a.created_at)}};
}

json application_row(const OfficePageServices& s, const ra::Application& a, const std::string& lang) {
    return {{"id", a.id},
            {"username", a.username},
            {"name", a.display_name},
            {"status", translate(lang, "backoffice.application_statuses." + ra::status_name(a.status))},
            {"created", office_time(s, a.created_at)}};
}

// The message of a form's error, and the same message by the field it is about (`fields`: error code → field name), so
// a person sees it where they must act (the summary stays at the top for screen readers).
void add_error(json& data, const Request& req, const Error* error, const std::map<std::string, std::string>& fields) {
    if (!error) return;
    std::string message = translate(choose_language(req), office_message_key(error->code()));
    data["error"] = message;
    auto it = fields.find(error->code());
    if (it != fields.end()) data["field_errors"] = {{it->second, message}};
}

// The new-agency form with what was typed (never the ID number) and the error, when it is shown again.
Response agency_form(const OfficePageServices& s, const Request& req, Fields form, const Error* error, int status) {
    std::string lang = choose_language(req);
    form.erase("rep_id_number");
    form.erase("csrf");
    json scopes = scope_options(lang, form.empty() ? nullptr : &form);
    json documents = document_options(ra::required_documents(s.config.ra, "agency", true), lang);
    for (auto& d : documents) d["required"] = d["value"] != "authorisation_letter";
    json data{{"form", form},
              {"government", form["kind"] != "organisation"},
              {"rep_is_head", form.count("rep_is_head") != 0},
              {"id_types", id_type_options(s, lang)},
              {"scopes", scopes},
              {"documents", documents},
              {"today", office_today(s)}};
    add_error(data, req, error,
              {{"ra.duplicate", "code"}, {"ra.bad_id_number", "rep_id_number"}, {"ra.bad_id_type", "rep_id_number"},
               {"ui.missing_documents", "documents"}, {"documents.too_large", "documents"},
               {"documents.unsupported_type", "documents"}, {"documents.empty", "documents"},
               {"ra.bad_scope", "letter"}, {"ra.bad_validity", "letter"}, {"office.bad_date", "letter"}});
    return s.pages.render(req, "office_agency_new", "backoffice.new_agency", data, status, "office_agencies");
}

Response application_form(const OfficePageServices& s, const Request& req, const ra::Principal& who,
                          const std::string& agency_id, Fields form, const Error* error, int status) {
    std::string lang = choose_language(req);
    form.erase("id_number");
    form.erase("csrf");
    auto agency = s.ra.office.agencies.agency(who, agency_id);
    json reps = json::array();
    for (const auto& r : s.ra.office.agencies.representatives(who, agency_id))
        reps.push_back({{"id", r.id},
                        {"label", r.name + (r.title.empty() ? "" : " · " + r.title)},
                        {"selected", form["representative_id"] == r.id}});
    json key_types = json::array();
    std::string chosen = form["key_type"].empty() ? s.config.accounts.default_key : form["key_type"];
    for (const auto& k : kKeyTypes) key_types.push_back({{"value", k}, {"selected", k == chosen}});
    // #16: the services applied for, as the office offers them (ra.services); a new form ticks the first
    json services = json::array();
    bool any_ticked = false;
    for (const auto& o : s.config.ra.services) any_ticked = any_ticked || form.count("service_" + o.id);
    for (std::size_t i = 0; i < s.config.ra.services.size(); ++i) {
        const auto& o = s.config.ra.services[i];
        services.push_back({{"id", o.id}, {"name", core::text_in(o.name, lang)},
                            {"checked", any_ticked ? form.count("service_" + o.id) != 0 : i == 0}});
    }
    json data{{"agency", agency_row(s, agency, lang)},
              {"services", services},
              {"form", form},
              {"government", form["user_kind"] != "other"},
              {"representatives", reps},
              {"key_types", key_types},
              {"id_types", id_type_options(s, lang)},
              {"documents", document_options(ra::required_documents(s.config.ra, "application"), lang)}};
    add_error(data, req, error,
              {{"ra.username_taken", "username"}, {"accounts.username_taken", "username"},
               {"accounts.bad_username", "username"}, {"ui.missing_documents", "documents"},
               {"documents.too_large", "documents"}, {"documents.unsupported_type", "documents"},
               {"documents.empty", "documents"}, {"ra.bad_id_number", "id_number"}, {"ra.bad_id_type", "id_number"},
               {"ra.no_valid_letter", "representative_id"}, {"ra.representative_other_agency", "representative_id"}});
    return s.pages.render(req, "office_application_new", "backoffice.new_application", data, status, "office_agencies");
}

// The agency's page: who it is, its representatives and letters, the checklist, and the step that comes next.
Response agency_view(const OfficePageServices& s, const Request& req, const ra::Principal& who, const std::string& id) {
    std::string lang = choose_language(req);
    ra::Agency a = s.ra.office.agencies.agency(who, id);
    std::map<std::string, std::string> rep_names;
    json reps = json::array(), letters = json::array(), applications = json::array();
    for (const auto& r : s.ra.office.agencies.representatives(who, id)) {
        rep_names[r.id] = r.name;
        reps.push_back({{"id", r.id},
                        {"name", r.name},
                        {"title", r.title},
                        {"role", translate(lang, r.is_head ? "backoffice.head" : "backoffice.delegate")},
                        {"id_type", translate(lang, "backoffice.id_types." + r.id_type)},
                        {"signed_application", r.id == a.representative_id}});
    }
    for (const auto& l : s.ra.office.agencies.letters(who, id)) {
        std::string scopes;
        for (const auto& scope : l.scopes)
            scopes += (scopes.empty() ? "" : translate(lang, "backoffice.list_separator")) + translate(lang, "backoffice.scopes." + scope);
        letters.push_back({{"id", l.id},
                           {"representative", rep_names[l.representative_id]},
                           {"scopes", scopes},
                           {"from", date_text(s, l.valid_from)},
                           {"to", l.valid_to == 0 ? translate(lang, "backoffice.until_withdrawn") : date_text(s, l.valid_to)},
                           {"status", translate(lang, "backoffice.letter_statuses." + ra::status_name(l.status))},
                           {"recorded_by", l.recorded_by},
                           {"confirmed_by", l.confirmed_by},
                           {"can_confirm", may_step(who, l.status, ra::Action::LetterConfirm)},
                           {"can_withdraw", may_step(who, l.status, ra::Action::LetterWithdraw)}});
    }
    if (may(who, ra::Action::ApplicationRead))  // a CA administrator reads the agency, not its users' files
        for (const auto& app : s.ra.office.applications.list(who, id, "")) applications.push_back(application_row(s, app, lang));
    json data = agency_row(s, a, lang);
    data.update({{"agency_id", a.id},
                 {"name_zh", a.name_zh},
                 {"name_pt", a.name_pt},
                 {"name_en", a.name_en},
                 {"kind", translate(lang, "backoffice.agency_kinds." + a.kind)},
                 {"address", a.address},
                 {"head", person_view(a.head)},
                 {"contact", person_view(a.contact)},
                 {"created_by", a.created_by},
                 {"submitted_by", a.submitted_by},
                 {"documents_checked_by", a.documents_checked_by},
                 {"approved_by", a.approved_by},
                 {"representatives", reps},
                 {"letters", letters},
                 {"has_letters", !letters.empty()},
                 {"applications", applications},
                 {"has_applications", !applications.empty()},
                 {"checklist", checklist_view(s, who, id, lang)},
                 {"is_draft", may_step(who, a.status, ra::Action::AgencySubmit)},
                 {"can_upload", a.status == ra::AgencyStatus::Draft && may(who, ra::Action::DocumentUpload)},
                 {"case_path", agency_page(id)},
                 {"can_check", may_step(who, a.status, ra::Action::AgencyCheckDocuments)},
                 {"can_approve", may_step(who, a.status, ra::Action::AgencyApprove)},
                 {"is_active", a.status == ra::AgencyStatus::Active && may(who, ra::Action::ApplicationCreate)},
                 {"can_suspend", may_step(who, a.status, ra::Action::AgencySuspend)},
                 {"can_make_sign_in", a.status == ra::AgencyStatus::Active && may(who, ra::Action::StaffManage)},
                 {"can_add_representative", a.status != ra::AgencyStatus::Suspended &&
                                                may(who, ra::Action::RepresentativeAdd) && may(who, ra::Action::LetterRecord)},
                 {"id_types", id_type_options(s, lang)},
                 {"scopes", scope_options(lang)},
                 {"today", office_today(s)},
                 {"held", parse_urlencoded(req.query)["held"]},
                 {"error", error_from_query(req, lang)}});
    return s.pages.render(req, "office_agency", "backoffice.agency", data, 200, "office_agencies");
}

Response application_view(const OfficePageServices& s, const Request& req, const ra::Principal& who,
                          const std::string& id) {
    std::string lang = choose_language(req);
    ra::Application a = s.ra.office.applications.application(who, id);
    ra::Agency agency = s.ra.office.agencies.agency(who, a.agency_id);
    json reps = json::array();
    std::string signed_by;
    for (const auto& r : s.ra.office.agencies.representatives(who, a.agency_id)) {
        reps.push_back({{"id", r.id}, {"label", r.name + (r.title.empty() ? "" : " · " + r.title)}});
        if (a.sign_off && a.sign_off->representative_id == r.id) signed_by = r.name;
    }
    json data = application_row(s, a, lang);
    data.update({{"agency", agency_row(s, agency, lang)},
                 {"email", a.email},
                 {"phone", a.phone},
                 {"department", a.department},
                 {"title", a.title},
                 {"user_kind", translate(lang, "backoffice.user_kinds." + a.user_kind)},
                 {"key_type", a.key_type},
                 {"created_by", a.created_by},
                 {"signed_off_by", signed_by},
                 {"sign_off_recorded_by", a.sign_off ? a.sign_off->recorded_by : ""},
                 {"documents_checked_by", a.documents_checked_by},
                 {"identity_type", a.identity ? translate(lang, "backoffice.id_types." + a.identity->id_type) : ""},
                 {"identity_officer", a.identity ? a.identity->officer : ""},
                 {"approved_by", a.approved_by},
                 {"rejected_by", a.rejected_by},
                 {"reason", a.reason},
                 {"hold_reason", a.hold_reason},
                 {"representatives", reps},
                 {"checklist", checklist_view(s, who, id, lang)},
                 {"needs_sign_off", ra::in_progress(a.status) && !a.sign_off && may(who, ra::Action::ApplicationSignOff)},
                 {"can_upload", a.status == ra::ApplicationStatus::Submitted && may(who, ra::Action::DocumentUpload)},
                 {"case_path", application_page(id)},
                 {"can_check", may_step(who, a.status, ra::Action::ApplicationCheckDocuments)},
                 {"can_sight", may_step(who, a.status, ra::Action::ApplicationSightId)},
                 {"can_approve", may_step(who, a.status, ra::Action::ApplicationApprove)},
                 {"can_reject", may_step(who, a.status, ra::Action::ApplicationReject)},
                 {"id_types", id_type_options(s, lang)},
                 {"error", error_from_query(req, lang)}});
    return s.pages.render(req, "office_application", "backoffice.application", data, 200, "office_agencies");
}

Response agencies_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string lang = choose_language(req);
    std::string status = parse_urlencoded(req.query)["status"];
    json rows = json::array(), filters = json::array();
    for (const auto& a : s.ra.office.agencies.list(who, status)) rows.push_back(agency_row(s, a, lang));
    for (const char* st : {"", "submitted", "documents_checked", "active", "suspended"})
        filters.push_back({{"value", st},
                           {"label", translate(lang, std::string(*st ? "backoffice.agency_statuses." : "backoffice.all") + st)},
                           {"current", status == st}});
    json data{{"agencies", rows}, {"has_agencies", !rows.empty()}, {"filters", filters},
              {"can_create", may(who, ra::Action::AgencyCreate)}};
    return s.pages.render(req, "office_agencies", "backoffice.agencies", data, 200, "office_agencies");
}

Response new_agency_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::AgencyCreate);
    return agency_form(s, req, {}, nullptr, 200);
}

// The agency as the counter's form gives it, with its representative and (a delegate) the head's letter.
ra::CounterAgency counter_agency(const OfficePageServices& s, UploadForm& form) {
    Fields& f = form.fields;
    ra::CounterAgency c;
    ra::Agency& a = c.agency;
    a.kind = f["kind"];
    a.name_zh = f["name_zh"];
    a.name_pt = f["name_pt"];
    a.name_en = f["name_en"];
    a.code = f["code"];
    a.address = f["address"];
    a.head = person_from(f, "head");
    a.contact = person_from(f, "contact");
    ra::Representative& rep = c.representative;
    rep.is_head = f.count("rep_is_head") != 0;
    rep.name = rep.is_head && f["rep_name"].empty() ? a.head.name : f["rep_name"];
    rep.title = rep.is_head && f["rep_title"].empty() ? a.head.title : f["rep_title"];
    rep.id_type = f["rep_id_type"];
    if (!rep.is_head) c.letter = letter_from_form(s, f);
    c.documents = documents_of(form.files);
    return c;
}

// Domain §2 A at the counter: the agency, its representative, the documents and (a delegate) the letter, submitted in
// one step; a refusal shows the form again with what was typed (never the ID number) and stores nothing.
Response register_agency(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::AgencyCreate);
    UploadForm form = parse_upload_form(req);
    Fields& f = form.fields;
    require_csrf(req, f);
    core::SecureString id_number = take_secret(f, "rep_id_number");
    ra::CounterAgency counter;
    try {  // the form itself: every document of the checklist brought, the letter's dates readable
        require_uploads(s, form.files, ra::required_documents(s.config.ra, "agency", f.count("rep_is_head") == 0));
        counter = counter_agency(s, form);
    } catch (const Error& e) {
        return agency_form(s, req, f, &e, 422);
    }
    counter.representative_id_number.assign(id_number.begin(), id_number.end());
    try {
        ra::Agency submitted = s.ra.office.agencies.register_agency_at_counter(who, std::move(counter));
        return see_other(agency_page(submitted.id));
    } catch (const Error& e) {
        return agency_form(s, req, f, &e, e.http_status() >= 400 ? e.http_status() : 422);
    }
}

Response agency_case_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    return agency_view(s, req, who, req.param("id"));
}

std::string submit_agency(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    s.ra.office.agencies.submit_agency(who, req.param("id"));
    return agency_page(req.param("id"));
}

std::string check_agency_documents(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    s.ra.office.agencies.check_agency_documents(who, req.param("id"));
    return agency_page(req.param("id"));
}

std::string approve_agency(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    s.ra.office.agencies.approve_agency(who, req.param("id"));
    return agency_page(req.param("id"));
}

std::string confirm_letter(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    require_letter_of_agency(s, who, req.param("id"), req.param("letter"));
    s.ra.office.agencies.confirm_letter(who, req.param("letter"));
    return agency_page(req.param("id"));
}

std::string withdraw_letter(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    require_letter_of_agency(s, who, req.param("id"), req.param("letter"));
    auto withdrawn = s.ra.office.agencies.withdraw_letter(who, req.param("letter"), form.fields["reason"]);
    return agency_page(req.param("id")) + "?held=" + std::to_string(withdrawn.held.size());
}

std::string suspend_agency(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    s.ra.office.agencies.suspend_agency(who, req.param("id"), form.fields["reason"]);
    return agency_page(req.param("id"));
}

std::string add_representative(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    auto& f = form.fields;
    ra::CounterRepresentative c;
    c.representative.name = f["rep_name"];
    c.representative.title = f["rep_title"];
    c.representative.is_head = f.count("rep_is_head") != 0;
    c.representative.id_type = f["rep_id_type"];
    if (!c.representative.is_head) {
        require_uploads(s, form.files, {"authorisation_letter"});
        c.letter = letter_from_form(s, f);
    }
    core::SecureString number = take_secret(f, "rep_id_number");
    c.id_number.assign(number.begin(), number.end());
    c.documents = documents_of(form.files);
    s.ra.office.agencies.add_representative_at_counter(who, req.param("id"), std::move(c));
    return agency_page(req.param("id"));
}

Response new_application_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::ApplicationCreate);
    return application_form(s, req, who, req.param("id"), {}, nullptr, 200);
}

// The application as the counter's form gives it.
ra::Application application_from(const OfficePageServices& s, const std::string& agency_id, Fields& f) {
    ra::Application a;
    a.agency_id = agency_id;
    a.username = f["username"];
    a.display_name = f["display_name"];
    a.email = f["email"];
    a.phone = f["phone"];
    a.department = f["department"];
    a.title = f["title"];
    a.user_kind = f["user_kind"].empty() ? "government" : f["user_kind"];
    for (const auto& o : s.config.ra.services)
        if (f.count("service_" + o.id)) a.services.push_back(o.id);
    a.key_type = f["key_type"];
    return a;
}

// Domain §2 C at the counter: the application, the representative's paper sign-off, the documents checked and the
// original ID recorded in one step; a second officer approves on the application's page.
Response register_application(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::ApplicationCreate);
    std::string agency_id = req.param("id");
    UploadForm form = parse_upload_form(req);
    Fields& f = form.fields;
    require_csrf(req, f);
    core::SecureString id_number = take_secret(f, "id_number");
    try {
        require_uploads(s, form.files, ra::required_documents(s.config.ra, "application"));
        if (f["representative_id"].empty() || f["id_type"].empty() || id_number.empty())
            throw Error("api.missing_field", 422, "sign-off and original ID are needed");
        ra::CounterApplication c{application_from(s, agency_id, f), f["representative_id"], f["id_type"],
                                 std::string(id_number.begin(), id_number.end()), documents_of(form.files)};
        ra::Application sighted = s.ra.office.applications.register_application_at_counter(who, std::move(c));
        return see_other(application_page(sighted.id));
    } catch (const Error& e) {
        return application_form(s, req, who, agency_id, f, &e, 422);
    }
}

Response application_case_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    return application_view(s, req, who, req.param("id"));
}

std::string sign_off_application(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    s.ra.office.applications.sign_off_application(who, req.param("id"), form.fields["representative_id"]);
    return application_page(req.param("id"));
}

std::string check_application_documents(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    s.ra.office.applications.check_application_documents(who, req.param("id"));
    return application_page(req.param("id"));
}

std::string record_identity(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    core::SecureString number = take_secret(form.fields, "id_number");
    s.ra.office.applications.record_identity(who, req.param("id"), form.fields["id_type"],
                                std::string(number.begin(), number.end()));
    return application_page(req.param("id"));
}

std::string reject_application(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    s.ra.office.applications.reject_application(who, req.param("id"), form.fields["reason"]);
    return application_page(req.param("id"));
}

Response approve_application(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string id = req.param("id");
    require_csrf(req, parse_urlencoded(req.body));
    ra::ApprovedApplication approved;
    try {
        approved = s.ra.office.applications.approve_application(who, id);
    } catch (const Error& e) {
        return back_with_error(application_page(id), e);
    }
    std::string lang = choose_language(req);
    const ra::Application& a = approved.application;
    ra::Agency agency = s.ra.office.agencies.agency(who, a.agency_id);
    std::string portal = s.config.ui.public_url;
    if (portal.empty() && !req.header("host").empty())
        portal = (s.pages.settings().secure_cookies ? "https://" : "http://") + req.header("host");
    portal += "/portal";
    json data{{"agency", agency_name(agency, lang)},
              {"name", a.display_name},
              {"username", a.username},
              {"login_password", std::string(approved.initial_login_password.begin(),
                                             approved.initial_login_password.end())},
              {"portal", portal},
              {"date", office_today(s)},
              {"approved_by", person_of(a.approved_by)},  // #16: no internal ids on letters
              {"application", a.id},  // the back link only (not printed)
              {"scripts", json::array({"/static/print.js"})}};
    Response r = s.pages.render(req, "office_pin_letter", "backoffice.pin_letter", data, 200, "office_agencies");
    std::string& secret = data["login_password"].get_ref<std::string&>();  // wipe this copy; the page body
    sodium_memzero(secret.data(), secret.size());                             // is the one left
    return r;
}

}  // namespace

void register_office_registration_pages(Router& router, const OfficePageServices& s) {
    // --- agencies ---
    router.add("GET", "/office/agencies", staff_page(s, with(s, agencies_page)), Execution::Blocking, "ui_office");

    router.add("GET", "/office/agencies/new", staff_page(s, with(s, new_agency_page)),
               Execution::Blocking, "ui_office");

    // Registration at the counter in one form: the agency, its representative (the head, or a delegate with the
    // head's letter), the contact person and the documents; it is submitted for the documents check at once. Nothing
    // is stored until the documents pass the upload rules and the letter's details are complete.
    router.add("POST", "/office/agencies", staff_page(s, with(s, register_agency)), Execution::Blocking, "ui_office");

    router.add("GET", "/office/agencies/{id}", staff_page(s, with(s, agency_case_page)),
               Execution::Blocking, "ui_office");

    auto this_agency = [](const Request& req) { return agency_page(req.param("id")); };
    add_document_action(router, s, "/office/agencies/{id}/documents", this_agency);
    add_case_action(router, s, "/office/agencies/{id}/submit", this_agency,
                    with(s, submit_agency));
    add_case_action(router, s, "/office/agencies/{id}/check", this_agency,
                    with(s, check_agency_documents));
    add_case_action(router, s, "/office/agencies/{id}/approve", this_agency,
                    with(s, approve_agency));
    // A letter is confirmed from its agency's page (the form names the agency to come back to).
    add_case_action(router, s, "/office/agencies/{id}/letters/{letter}/confirm", this_agency,
                    with(s, confirm_letter));

    add_case_action(router, s, "/office/agencies/{id}/letters/{letter}/withdraw", this_agency,
                    with(s, withdraw_letter));
    add_case_action(router, s, "/office/agencies/{id}/suspend", this_agency,
                    with(s, suspend_agency));
    // Another representative: the head, or a delegate with the head's letter (scan, scopes, validity) — recorded
    // together; a second person confirms the letter.
    add_case_action(router, s, "/office/agencies/{id}/representatives", this_agency,
                    with(s, add_representative));

    // --- user service applications ---
    router.add("GET", "/office/agencies/{id}/applications/new", staff_page(s, with(s, new_application_page)),
               Execution::Blocking, "ui_office");

    // The user at the counter: the application with the representative's paper sign-off, the form and the ID copy,
    // and the original ID the officer holds — checked and recorded in one go; a second officer approves.
    router.add("POST", "/office/agencies/{id}/applications", staff_page(s, with(s, register_application)),
               Execution::Blocking, "ui_office");

    router.add("GET", "/office/applications/{id}", staff_page(s, with(s, application_case_page)),
               Execution::Blocking, "ui_office");

    auto this_application = [](const Request& req) { return application_page(req.param("id")); };
    add_case_action(router, s, "/office/applications/{id}/sign-off", this_application,
                    with(s, sign_off_application));
    add_document_action(router, s, "/office/applications/{id}/documents", this_application);
    add_case_action(router, s, "/office/applications/{id}/check", this_application,
                    with(s, check_application_documents));
    add_case_action(router, s, "/office/applications/{id}/identity", this_application,
                    with(s, record_identity));
    add_case_action(router, s, "/office/applications/{id}/reject", this_application,
                    with(s, reject_application));

    // The second officer's approval opens the account; the answer is the PIN letter to print and seal — the one-time
    // passwords are shown this once and kept nowhere (the page is never cached).
    router.add("POST", "/office/applications/{id}/approve", staff_page(s, with(s, approve_application)),
               Execution::Blocking, "ui_office");
}

}  // namespace yq::web
