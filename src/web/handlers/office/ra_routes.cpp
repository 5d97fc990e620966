// /api/v1 registration office: documents, agencies, representatives, letters, applications, requests.
#include "core/error.hpp"
#include "web/handlers/api_support.hpp"
#include "web/handlers/office/ra_routes.hpp"

namespace yq::web {

using nlohmann::json;

namespace {

// Views never carry the sealed ID numbers, not even encrypted.
json view(const ra::Representative& r) {
    json j = r;
    j.erase("id_number_sealed");
    return j;
}
template <class T>
json view_case(const T& value) {
    json j = value;
    if (j.contains("identity") && j["identity"].is_object()) j["identity"].erase("id_number_sealed");
    return j;
}
json view(const ra::Checklist& c) {
    json attached = json::array();
    for (const auto& a : c.attached)
        attached.push_back({{"doc_type", a.doc_type}, {"sha256", a.sha256}, {"attached_by", a.attached_by},
                            {"attached_at", core::to_rfc3339(a.attached_at)}});
    return {{"required", c.required}, {"missing", c.missing}, {"attached", attached}};
}

ra::Person person_field(const json& j, const char* key) {
    ra::Person p;
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) throw_bad_input("api.missing_field", std::string("the object '") + key + "' is required");
    p.name = text_field(*it, "name");
    p.title = text_field(*it, "title", false);
    p.phone = text_field(*it, "phone", false);
    p.email = text_field(*it, "email", false);
    return p;
}

std::int64_t time_field(const json& j, const char* key, bool required) {
    std::string v = text_field(j, key, required);
    return v.empty() ? 0 : core::parse_rfc3339(v);
}

using Handler = std::function<Response(const Request&, const ra::Principal&)>;

// Every route: resolve the caller and check the role for the route's action before reading the request (the office
// checks again, together with the rules of the case).
void add(Router& router, const RaRouteServices& s, const char* method, const char* pattern, ra::Action action,
         Handler h) {
    router.add(method, pattern,
               [&s, action, h = std::move(h)](const Request& req) {
                   ra::Principal who = principal_of(req, s.staff, s.csc);
                   ra::require_permission(who, action);
                   return h(req, who);
               },
               Execution::Blocking, "api_ra");
}

Response upload_document(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    auto d = s.office.documents.upload(who, core::to_bytes(req.body));
    return json_response({{"sha256", d.sha256}, {"media_type", d.media_type}, {"size", d.size}}, 201);
}

Response download_document(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    auto d = s.office.documents.document(who, req.param("sha256"));
    Response r = Response::bytes(d.media_type, core::to_string(d.content));
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Disposition", "attachment");  // never rendered inline by the back office
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
}

Response attach_document(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    s.office.documents.attach(who, req.param("id"), text_field(j, "doc_type"), text_field(j, "sha256"));
    return json_response(view(s.office.documents.checklist(who, req.param("id"))), 201);
}

Response case_checklist(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response(view(s.office.documents.checklist(who, req.param("id"))));
}

Response create_agency(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    ra::Agency a;
    a.kind = text_field(j, "kind");
    a.name_zh = text_field(j, "name_zh");
    a.name_pt = text_field(j, "name_pt", false);
    a.name_en = text_field(j, "name_en", false);
    a.code = text_field(j, "code");
    a.address = text_field(j, "address", false);
    a.head = person_field(j, "head");
    a.contact = person_field(j, "contact");
    auto rj = j.find("representative");
    if (rj == j.end() || !rj->is_object()) throw_bad_input("api.missing_field", "the object 'representative' is required");
    ra::Representative rep;
    rep.name = text_field(*rj, "name");
    rep.title = text_field(*rj, "title", false);
    rep.is_head = rj->value("is_head", false);
    rep.id_type = text_field(*rj, "id_type");
    auto created = s.office.agencies.create_agency(who, a, rep, text_field(*rj, "id_number"));
    return json_response({{"agency", created}, {"representative_id", created.representative_id}}, 201);
}

Response list_agencies(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json out = json::array();
    for (const auto& a : s.office.agencies.list(who, query_value(req, "status"))) out.push_back(a);
    return json_response({{"agencies", out}});
}

Response show_agency(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    std::string id = req.param("id");
    json reps = json::array(), letters = json::array();
    auto agency = s.office.agencies.agency(who, id);
    for (const auto& r : s.office.agencies.representatives(who, id)) reps.push_back(view(r));
    for (const auto& l : s.office.agencies.letters(who, id)) letters.push_back(l);
    return json_response({{"agency", agency}, {"representatives", reps}, {"letters", letters},
                          {"checklist", view(s.office.documents.checklist(who, id))}});
}

Response submit_agency(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response({{"agency", s.office.agencies.submit_agency(who, req.param("id"))}});
}

Response check_agency_documents(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response({{"agency", s.office.agencies.check_agency_documents(who, req.param("id"))}});
}

Response approve_agency(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response({{"agency", s.office.agencies.approve_agency(who, req.param("id"))}});
}

Response suspend_agency(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response({{"agency", s.office.agencies.suspend_agency(who, req.param("id"), text_field(body_of(req), "reason"))}});
}

Response add_representative(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    ra::Representative rep;
    rep.name = text_field(j, "name");
    rep.title = text_field(j, "title", false);
    rep.is_head = j.value("is_head", false);
    rep.id_type = text_field(j, "id_type");
    return json_response(view(s.office.agencies.add_representative(who, req.param("id"), rep, text_field(j, "id_number"))), 201);
}

Response record_letter(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    ra::Letter l;
    l.representative_id = text_field(j, "representative_id");
    l.scopes = list_field(j, "scopes");
    l.valid_from = time_field(j, "valid_from", true);
    l.valid_to = time_field(j, "valid_to", false);
    return json_response(s.office.agencies.record_letter(who, req.param("id"), l), 201);
}

Response confirm_letter(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response(s.office.agencies.confirm_letter(who, req.param("id")));
}

Response withdraw_letter(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    auto w = s.office.agencies.withdraw_letter(who, req.param("id"), text_field(body_of(req), "reason"));
    return json_response({{"letter", w.letter}, {"held", w.held}});
}

Response create_application(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    ra::Application a;
    a.agency_id = text_field(j, "agency_id");
    a.username = text_field(j, "username");
    a.display_name = text_field(j, "display_name");
    a.email = text_field(j, "email");
    a.phone = text_field(j, "phone", false);
    a.department = text_field(j, "department", false);
    a.title = text_field(j, "title", false);
    a.user_kind = j.contains("user_kind") ? text_field(j, "user_kind") : "government";
    a.services = list_field(j, "services");
    a.key_type = text_field(j, "key_type", false);
    return json_response(view_case(s.office.applications.create_application(who, a)), 201);
}

Response list_applications(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json out = json::array();
    for (const auto& a : s.office.applications.list(who, query_value(req, "agency_id"), query_value(req, "status")))
        out.push_back(view_case(a));
    return json_response({{"applications", out}});
}

Response search_identity(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    json out = json::array();
    for (const auto& a : s.office.applications.find_by_identity(who, text_field(j, "id_type"), text_field(j, "id_number")))
        out.push_back(view_case(a));
    return json_response({{"applications", out}});
}

Response show_application(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = view_case(s.office.applications.application(who, req.param("id")));
    return json_response({{"application", j}, {"checklist", view(s.office.documents.checklist(who, req.param("id")))}});
}

Response sign_off_application(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = req.body.empty() ? json::object() : body_of(req);
    return json_response(view_case(s.office.applications.sign_off_application(who, req.param("id"), text_field(j, "representative_id", false))));
}

Response check_application_documents(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response(view_case(s.office.applications.check_application_documents(who, req.param("id"))));
}

Response record_identity(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    return json_response(view_case(s.office.applications.record_identity(who, req.param("id"), text_field(j, "id_type"),
                                                          text_field(j, "id_number"))));
}

Response approve_application(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    auto a = s.office.applications.approve_application(who, req.param("id"));
    return json_response({{"application", view_case(a.application)},
                          {"pin_letter",
                           {{"username", a.application.username},
                            {"initial_login_password",
                             std::string(a.initial_login_password.begin(), a.initial_login_password.end())},
                            {"authenticator", "enrolled by the user at the first sign-in to the signer portal"},
                            {"signing_key", "made when the user first chooses the signing password in the signer portal"}}},
                          {"account_id", a.account_id}});
}

Response reject_application(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response(view_case(s.office.applications.reject_application(who, req.param("id"), text_field(body_of(req), "reason"))));
}

Response create_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = body_of(req);
    return json_response(view_case(s.office.requests.create_request(who, text_field(j, "kind"), text_field(j, "username"),
                                                         text_field(j, "reason", false),
                                                         ra::AppointmentChoice{text_field(j, "appointment_code", false),
                                                                               text_field(j, "appointment_id", false)})),
                         201);
}

Response list_requests(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json out = json::array();
    for (const auto& r : s.office.requests.list(who, query_value(req, "agency_id"), query_value(req, "status")))
        out.push_back(view_case(r));
    return json_response({{"requests", out}});
}

Response show_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = view_case(s.office.requests.request(who, req.param("id")));
    return json_response({{"request", j}, {"checklist", view(s.office.documents.checklist(who, req.param("id")))}});
}

Response sign_off_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = req.body.empty() ? json::object() : body_of(req);
    return json_response(view_case(s.office.requests.sign_off_request(who, req.param("id"), text_field(j, "representative_id", false))));
}

Response check_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    json j = req.body.empty() ? json::object() : body_of(req);
    return json_response(view_case(s.office.requests.check_request(who, req.param("id"), text_field(j, "id_type", false),
                                                        text_field(j, "id_number", false))));
}

Response approve_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    auto approved = s.office.requests.approve_request(who, req.param("id"));
    json out = view_case(approved.request);
    if (approved.request.kind == "recovery")  // shown this once: the letter handed over at the counter
        out["recovery_letter"] = {{"username", approved.request.username},
                                  {"initial_login_password", std::string(approved.initial_login_password.begin(),
                                                                         approved.initial_login_password.end())},
                                  {"authenticator", "enrolled again by the user at the next sign-in"}};
    return json_response(out);
}

Response reject_request(const RaRouteServices& s, const Request& req, const ra::Principal& who) {
    return json_response(view_case(s.office.requests.reject_request(who, req.param("id"), text_field(body_of(req), "reason"))));
}

}  // namespace

void register_ra_routes(Router& router, const RaRouteServices& s) {
    // --- documents: the body is the file; its type is decided by its content ---
    add(router, s, "POST", "/api/v1/documents", ra::Action::DocumentUpload, with(s, upload_document));
    add(router, s, "GET", "/api/v1/documents/{sha256}", ra::Action::DocumentRead, with(s, download_document));
    // Attach an uploaded document to any case file: {"doc_type": "...", "sha256": "..."}
    add(router, s, "POST", "/api/v1/cases/{id}/documents", ra::Action::DocumentUpload, with(s, attach_document));
    add(router, s, "GET", "/api/v1/cases/{id}/checklist", ra::Action::AgencyRead, with(s, case_checklist));

    // --- agencies ---
    add(router, s, "POST", "/api/v1/agencies", ra::Action::AgencyCreate, with(s, create_agency));
    add(router, s, "GET", "/api/v1/agencies", ra::Action::AgencyRead, with(s, list_agencies));
    add(router, s, "GET", "/api/v1/agencies/{id}", ra::Action::AgencyRead, with(s, show_agency));
    add(router, s, "POST", "/api/v1/agencies/{id}/submit", ra::Action::AgencySubmit, with(s, submit_agency));
    add(router, s, "POST", "/api/v1/agencies/{id}/check-documents", ra::Action::AgencyCheckDocuments, with(s, check_agency_documents));
    add(router, s, "POST", "/api/v1/agencies/{id}/approve", ra::Action::AgencyApprove, with(s, approve_agency));
    add(router, s, "POST", "/api/v1/agencies/{id}/suspend", ra::Action::AgencySuspend, with(s, suspend_agency));
    add(router, s, "POST", "/api/v1/agencies/{id}/representatives", ra::Action::RepresentativeAdd, with(s, add_representative));

    // --- authorisation letters ---
    add(router, s, "POST", "/api/v1/agencies/{id}/letters", ra::Action::LetterRecord, with(s, record_letter));
    add(router, s, "POST", "/api/v1/letters/{id}/confirm", ra::Action::LetterConfirm, with(s, confirm_letter));
    add(router, s, "POST", "/api/v1/letters/{id}/withdraw", ra::Action::LetterWithdraw, with(s, withdraw_letter));

    // --- user service applications ---
    add(router, s, "POST", "/api/v1/applications", ra::Action::ApplicationCreate, with(s, create_application));
    add(router, s, "GET", "/api/v1/applications", ra::Action::ApplicationRead, with(s, list_applications));
    // Keyed-hash search by the ID shown (POST: the number stays out of URLs and access logs).
    add(router, s, "POST", "/api/v1/identity-search", ra::Action::IdentitySearch, with(s, search_identity));
    add(router, s, "GET", "/api/v1/applications/{id}", ra::Action::ApplicationRead, with(s, show_application));
    add(router, s, "POST", "/api/v1/applications/{id}/sign-off", ra::Action::ApplicationSignOff, with(s, sign_off_application));
    add(router, s, "POST", "/api/v1/applications/{id}/check-documents", ra::Action::ApplicationCheckDocuments, with(s, check_application_documents));
    add(router, s, "POST", "/api/v1/applications/{id}/identity", ra::Action::ApplicationSightId, with(s, record_identity));
    add(router, s, "POST", "/api/v1/applications/{id}/approve", ra::Action::ApplicationApprove, with(s, approve_application));
    add(router, s, "POST", "/api/v1/applications/{id}/reject", ra::Action::ApplicationReject, with(s, reject_application));

    // --- revocation, renewal, unlock, re-key ---
    add(router, s, "POST", "/api/v1/requests", ra::Action::RequestCreate, with(s, create_request));
    add(router, s, "GET", "/api/v1/requests", ra::Action::RequestRead, with(s, list_requests));
    add(router, s, "GET", "/api/v1/requests/{id}", ra::Action::RequestRead, with(s, show_request));
    add(router, s, "POST", "/api/v1/requests/{id}/sign-off", ra::Action::RequestSignOff, with(s, sign_off_request));
    add(router, s, "POST", "/api/v1/requests/{id}/check", ra::Action::RequestCheck, with(s, check_request));
    add(router, s, "POST", "/api/v1/requests/{id}/approve", ra::Action::RequestApprove, with(s, approve_request));
    add(router, s, "POST", "/api/v1/requests/{id}/reject", ra::Action::RequestReject, with(s, reject_request));
}

}  // namespace yq::web
