// The registration office's pages for revocation, renewal and re-key requests (see office_pages.hpp). Domain reference
// §2 D–E: revocation and renewal come on the agency's form signed off by its representative (scope revoke / renew in
// the letter); re-key, like unlock, is the user's own request at an appointment with the original ID. A second person
// approves: revocation takes effect at once (CRL and OCSP), renewal and re-key wait for the user to seal the new key
// under their own password in the signer portal.
#include "core/error.hpp"
#include "ra/documents.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

// RFC 5280 §5.3.1 reasons an agency may give (certificateHold is not offered: revocation here is final).
const std::vector<std::string> kRevocationReasons = {"unspecified",  "keyCompromise",        "affiliationChanged",
                                                     "superseded",   "cessationOfOperation", "privilegeWithdrawn"};

bool known_kind(const std::string& kind) {
    return kind == "revocation" || kind == "renewal" || kind == "rekey" || kind == "recovery";
}

std::string request_page(const std::string& id) { return "/office/requests/" + id; }

Response request_form(const OfficePageServices& s, const Request& req, const std::string& kind,
                      std::map<std::string, std::string> form, const std::string& error, int status) {
    std::string lang = choose_language(req);
    form.erase("id_number");
    form.erase("csrf");
    json reasons = json::array();
    for (const auto& r : kRevocationReasons)
        reasons.push_back({{"value", r}, {"label", translate(lang, "backoffice.reasons." + r)}, {"selected", form["reason"] == r}});
    json due = ra::handled_in_person(kind) ? due_now_view(s, kind) : json::array();  // the clerk picks one (#16)
    json data{{"kind", kind},
              {"kind_label", translate(lang, "requests." + kind)},
              {"intro", translate(lang, "backoffice.request_intros." + kind)},
              {"form", form},
              {"is_revocation", kind == "revocation"},
              {"at_appointment", ra::handled_in_person(kind)},
              {"due", due},
              {"has_due", !due.empty()},
              {"reasons", reasons},
              {"id_types", id_type_options(s, lang)},
              {"documents", document_options(ra::required_documents(s.config.ra, kind), lang)},
              {"error", error}};
    return s.pages.render(req, "office_request_new", "backoffice.new_request", data, status, "office");
}

Response request_view(const OfficePageServices& s, const Request& req, const ra::Principal& who, const std::string& id) {
    std::string lang = choose_language(req);
    ra::ServiceRequest r = s.ra.office.requests.request(who, id);
    json reps = json::array();
    std::string signed_by;
    for (const auto& rep : s.ra.office.agencies.representatives(who, r.agency_id)) {
        reps.push_back({{"id", rep.id}, {"label", rep.name + (rep.title.empty() ? "" : " · " + rep.title)}});
        if (r.sign_off && r.sign_off->representative_id == rep.id) signed_by = rep.name;
    }
    bool needs_sign_off = !ra::handled_in_person(r.kind);
    json checklist = checklist_view(s, who, id, lang);
    json data{{"id", r.id},
              {"kind", translate(lang, "requests." + r.kind)},
              {"username", r.username},
              {"status", translate(lang, "backoffice.request_statuses." + ra::status_name(r.status))},
              {"reason", r.kind == "revocation" ? translate(lang, "backoffice.reasons." + r.reason) : r.reason},
              {"created_by", r.created_by},
              {"created", office_time(s, r.created_at)},
              {"signed_off_by", signed_by},
              {"checked_by", r.checked_by},
              {"identity_type", r.identity ? translate(lang, "backoffice.id_types." + r.identity->id_type) : ""},
              {"approved_by", r.approved_by},
              {"rejected_by", r.rejected_by},
              {"completed_by", r.completed_by},
              {"awaits_user", r.status == ra::RequestStatus::Approved},
              {"hold_reason", r.hold_reason},
              {"checklist", checklist},
              {"representatives", reps},
              {"needs_sign_off", needs_sign_off && ra::in_progress(r.status) && !r.sign_off &&
                                    may(who, ra::Action::RequestSignOff)},
              {"can_upload", r.status == ra::RequestStatus::Submitted && checklist["has_missing"].get<bool>() && may(who, ra::Action::DocumentUpload)},
              {"case_path", request_page(id)},
              {"can_check", !ra::handled_in_person(r.kind) && may_step(who, r.status, ra::Action::RequestCheck)},
              {"can_approve", may_step(who, r.status, ra::Action::RequestApprove)},
              {"can_reject", may_step(who, r.status, ra::Action::RequestReject)},
              {"error", error_from_query(req, lang)}};
    return s.pages.render(req, "office_request", "backoffice.request", data, 200, "office");
}

Response new_request_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::RequestCreate);
    std::string kind = parse_urlencoded(req.query)["kind"];
    if (!known_kind(kind)) throw Error("ui.bad_form", 400, "unknown request kind");
    return request_form(s, req, kind, {}, "", 200);
}

// A request opened at the counter in one step: the request, its documents and (in person) the original ID checked; a
// refusal shows the form again with the message and stores nothing.
Response register_request(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    ra::require_permission(who, ra::Action::RequestCreate);
    UploadForm form = parse_upload_form(req);
    auto& f = form.fields;
    require_csrf(req, f);
    std::string kind = f["kind"];
    if (!known_kind(kind)) throw Error("ui.bad_form", 400, "unknown request kind");
    core::SecureString id_number = take_secret(f, "id_number");
    try {
        require_uploads(s, form.files, ra::required_documents(s.config.ra, kind));
        if (ra::handled_in_person(kind) && (f["id_type"].empty() || id_number.empty()))
            throw Error("api.missing_field", 422, "the original ID is needed");
        ra::CounterRequest c{kind,       f["username"],
                             f["reason"], ra::AppointmentChoice{f["appointment_code"], f["appointment_id"]},
                             f["id_type"], std::string(id_number.begin(), id_number.end()),
                             documents_of(form.files)};
        ra::ServiceRequest opened = s.ra.office.requests.register_request_at_counter(who, std::move(c));
        return see_other(request_page(opened.id));
    } catch (const Error& e) {
        return request_form(s, req, kind, f, translate(choose_language(req), office_message_key(e.code())), 422);
    }
}

Response request_case_page(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    return request_view(s, req, who, req.param("id"));
}

std::string sign_off_request(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    s.ra.office.requests.sign_off_request(who, req.param("id"), form.fields["representative_id"]);
    return request_page(req.param("id"));
}

std::string check_request(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm&) {
    s.ra.office.requests.check_request(who, req.param("id"), "", "");
    return request_page(req.param("id"));
}

Response approve_request(const OfficePageServices& s, const Request& req, const ra::Principal& who) {
    std::string id = req.param("id");
    require_csrf(req, parse_urlencoded(req.body));
    ra::ApprovedRequest approved;
    try {
        approved = s.ra.office.requests.approve_request(who, id);
    } catch (const Error& e) {
        return back_with_error(request_page(id), e);
    }
    if (approved.request.kind != "recovery") return see_other(request_page(id));
    json data{{"username", approved.request.username},
              {"login_password", std::string(approved.initial_login_password.begin(),
                                             approved.initial_login_password.end())},
              {"date", office_today(s)},
              {"approved_by", person_of(approved.request.approved_by)},  // #16: no internal ids on letters
              {"scripts", json::array({"/static/print.js"})}};
    Response r = s.pages.render(req, "office_recovery_letter", "backoffice.recovery_letter", data, 200, "office");
    std::string& secret = data["login_password"].get_ref<std::string&>();  // this copy; the page body is
    core::secure_wipe(secret.data(), secret.capacity());                    // wiped after sending
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::string reject_request(const OfficePageServices& s, const Request& req, const ra::Principal& who, UploadForm& form) {
    s.ra.office.requests.reject_request(who, req.param("id"), form.fields["reason"]);
    return request_page(req.param("id"));
}

}  // namespace

void register_office_request_pages(Router& router, const OfficePageServices& s) {
    router.add("GET", "/office/requests/new", staff_page(s, with(s, new_request_page)),
               Execution::Blocking, "ui_office");

    // The request with its documents; a re-key is checked at once against the original ID the user shows (the booking
    // is checked in), a revocation or renewal waits for the representative's sign-off on the request page.
    router.add("POST", "/office/requests", staff_page(s, with(s, register_request)), Execution::Blocking, "ui_office");

    router.add("GET", "/office/requests/{id}", staff_page(s, with(s, request_case_page)),
               Execution::Blocking, "ui_office");

    auto this_request = [](const Request& req) { return request_page(req.param("id")); };
    add_document_action(router, s, "/office/requests/{id}/documents", this_request);
    add_case_action(router, s, "/office/requests/{id}/sign-off", this_request,
                    with(s, sign_off_request));
    add_case_action(router, s, "/office/requests/{id}/check", this_request,
                    with(s, check_request));
    // The second person's approval; a recovery answers with the letter of the new one-time login password, printed and
    // handed over at the counter (shown this once, never cached).
    router.add("POST", "/office/requests/{id}/approve", staff_page(s, with(s, approve_request)),
               Execution::Blocking, "ui_office");
    add_case_action(router, s, "/office/requests/{id}/reject", this_request,
                    with(s, reject_request));
}

}  // namespace yq::web
