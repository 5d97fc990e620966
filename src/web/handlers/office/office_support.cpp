// Shared pieces of the registration office's pages (see office_support.hpp).
#include "web/handlers/office/office_support.hpp"

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/clock.hpp"
#include "ra/documents.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

using nlohmann::json;

std::string office_message_key(const std::string& code) {
    static const std::map<std::string, std::string> keys{
        {"auth.sign_in_failed", "backoffice.errors.sign_in"},
        {"auth.forbidden", "backoffice.errors.forbidden"},
        {"ra.four_eyes", "backoffice.errors.four_eyes"},
        {"ra.identity_mismatch", "backoffice.errors.identity_mismatch"},
        {"ra.unknown_user", "backoffice.errors.unknown_user"},
        {"ra.user_not_active", "backoffice.errors.unknown_user"},
        {"ra.request_closed", "backoffice.errors.request_closed"},
        {"ra.case_closed", "backoffice.errors.request_closed"},
        {"ra.application_closed", "backoffice.errors.request_closed"},
        {"ra.request_not_checked", "backoffice.errors.request_not_checked"},
        {"ra.request_already_checked", "backoffice.errors.already_done"},
        {"ra.documents_already_checked", "backoffice.errors.already_done"},
        {"ra.checklist_incomplete", "backoffice.errors.checklist_incomplete"},
        {"ra.documents_missing", "backoffice.errors.checklist_incomplete"},
        {"ra.documents_not_checked", "backoffice.errors.documents_not_checked"},
        {"ra.not_ready_for_approval", "backoffice.errors.not_ready"},
        {"ra.agency_not_draft", "backoffice.errors.already_done"},
        {"ra.agency_not_submitted", "backoffice.errors.not_ready"},
        {"ra.agency_not_checked", "backoffice.errors.not_ready"},
        {"ra.agency_not_active", "backoffice.errors.agency_not_active"},
        {"ra.bad_agency_kind", "error.bad_form"},
        {"ra.bad_user_kind", "error.bad_form"},
        {"ra.unknown_service", "error.bad_form"},
        {"ra.bad_request_kind", "error.bad_form"},
        {"ra.bad_scope", "backoffice.errors.bad_letter"},
        {"ra.bad_validity", "backoffice.errors.bad_letter"},
        {"ra.head_needs_no_letter", "backoffice.errors.head_needs_no_letter"},
        {"ra.no_valid_letter", "backoffice.errors.no_valid_letter"},
        {"ra.letter_lacks_use", "backoffice.errors.letter_lacks_use"},
        {"ra.letter_not_valid", "backoffice.errors.no_valid_letter"},
        {"ra.sign_off_missing", "backoffice.errors.sign_off_missing"},
        {"ra.sign_off_not_needed", "backoffice.errors.sign_off_not_needed"},
        {"ra.representative_other_agency", "backoffice.errors.representative_other_agency"},
        {"ra.request_on_hold", "backoffice.errors.on_hold"},
        {"ra.application_on_hold", "backoffice.errors.on_hold"},
        {"ra.duplicate", "backoffice.errors.duplicate"},
        {"ra.username_taken", "backoffice.errors.username_taken"},
        {"accounts.username_taken", "backoffice.errors.username_taken"},
        {"accounts.bad_username", "backoffice.errors.bad_username"},
        {"ra.account_revoked", "backoffice.errors.account_revoked"},
        {"ra.renewal_not_open", "backoffice.errors.renewal_not_open"},
        {"ra.account_not_locked", "backoffice.errors.not_locked"},
        {"ra.concurrent_change", "backoffice.errors.concurrent_change"},
        {"ra.bad_id_type", "error.bad_form"},
        {"ra.bad_id_number", "backoffice.errors.bad_id_number"},
        {"ca.already_revoked", "backoffice.errors.already_done"},
        {"ca.bad_reason", "error.bad_form"},
        {"accounts.not_locked", "backoffice.errors.not_locked"},
        {"api.missing_field", "backoffice.errors.missing_field"},
        {"appointments.unknown_code", "error.unknown_code"},
        {"appointments.not_now", "backoffice.errors.not_now"},
        {"appointments.wrong_purpose", "backoffice.errors.wrong_purpose"},
        {"appointments.other_user", "backoffice.errors.other_user"},
        {"appointments.code_required", "backoffice.errors.not_now"},
        {"appointments.unknown_appointment", "error.unknown_code"},
        {"appointments.not_booked", "backoffice.errors.not_now"},
        {"office.bad_date", "error.bad_date"},
        {"documents.too_large", "error.too_large"},
        {"documents.empty", "backoffice.errors.missing_documents"},
        {"documents.unsupported_type", "backoffice.errors.document_type"},
        {"documents.unknown_type", "error.bad_form"},
        {"staff.exists", "backoffice.errors.staff_exists"},
        {"staff.bad_username", "backoffice.errors.bad_username"},
        {"staff.no_roles", "backoffice.errors.staff_roles"},
        {"staff.second_administrator_required", "backoffice.errors.second_administrator"},
        {"staff.not_awaiting_approval", "backoffice.errors.not_awaiting_approval"},
        {"staff.unknown_role", "backoffice.errors.staff_roles"},
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

namespace {

std::optional<ra::Principal> staff_of(const OfficePageServices& s, const Request& req) {
    std::string token = cookie_value(req, kStaffSessionCookie);
    if (token.empty()) return std::nullopt;
    try {
        return s.ra.staff.principal_for_token(token);
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace

Handler staff_page(const OfficePageServices& s, StaffPageBody body, StaffPageAccess access) {
    return [&s, body = std::move(body), access](const Request& req) {
        auto who = staff_of(s, req);
        if (!who) return see_other("/office/login");
        if (who->must_enrol && access != StaffPageAccess::SetUp) return see_other("/office/enrol");
        if (who->must_change_password && access == StaffPageAccess::Ready) return see_other("/office/password");
        try {
            return body(req, *who);
        } catch (const Error& e) {
            return s.pages.error_page(req, e, office_message_key(e.code()));
        }
    };
}

std::string person_of(const std::string& actor) {
    auto colon = actor.find(':');
    return colon == std::string::npos ? actor : actor.substr(colon + 1);
}

std::string office_today(const OfficePageServices& s) { return s.ra.calendar.local_date(s.clock.unix_seconds()); }

std::string appointment_about(const ra::Appointment& a) {
    if (a.username.empty() || a.agency.empty()) return a.username + a.agency;
    return a.username + " · " + a.agency;
}

json due_now_view(const OfficePageServices& s, const std::string& purpose) {
    json out = json::array();
    for (const auto& a : s.ra.appointments.due_now(purpose))
        out.push_back({{"id", a.id},
                       {"when", office_time(s, a.slot_start).substr(11)},
                       {"name", a.person_name},
                       {"about", appointment_about(a)}});
    return out;
}

std::string office_time(const OfficePageServices& s, std::int64_t t) { return s.ra.calendar.local_text(t); }

std::int64_t office_day_start(const OfficePageServices& s, const std::string& date) {
    return s.ra.calendar.day_start(date);
}

json id_type_options(const OfficePageServices& s, const std::string& lang) {
    json out = json::array();
    for (const auto& t : s.config.ra.id_types) out.push_back({{"value", t}, {"label", translate(lang, "backoffice.id_types." + t)}});
    return out;
}

json document_options(const std::vector<std::string>& types, const std::string& lang) {
    json out = json::array();
    for (const auto& t : types) out.push_back({{"value", t}, {"label", translate(lang, "documents." + t)}});
    return out;
}

void require_uploads(const OfficePageServices& s, const std::map<std::string, std::string>& files,
                     const std::vector<std::string>& doc_types) {
    for (const auto& type : doc_types) {
        auto it = files.find(type);
        if (it == files.end() || it->second.empty())
            throw Error("ui.missing_documents", 422, "the document '" + type + "' is missing");
        ra::check_upload(core::to_bytes(it->second), s.config.ra.max_document_bytes);
    }
}

std::map<std::string, core::Bytes> documents_of(const std::map<std::string, std::string>& files) {
    std::map<std::string, core::Bytes> out;
    for (const auto& [type, content] : files)
        if (!content.empty()) out[type] = core::to_bytes(content);
    return out;
}

json checklist_view(const OfficePageServices& s, const ra::Principal& who, const std::string& record_id,
                    const std::string& lang) {
    ra::Checklist c = s.ra.office.documents.checklist(who, record_id);
    json attached = json::array(), missing = json::array();
    for (const auto& a : c.attached)
        attached.push_back({{"name", translate(lang, "documents." + a.doc_type)},
                            {"by", a.attached_by},
                            {"at", office_time(s, a.attached_at)},
                            {"sha256", a.sha256.substr(0, 16)}});
    for (const auto& m : c.missing) missing.push_back({{"name", translate(lang, "documents." + m)}});
    return {{"attached", attached}, {"missing", missing}, {"has_missing", !missing.empty()},
            {"complete", missing.empty()}, {"upload_types", document_options(c.required, lang)}};
}

namespace {

UploadForm read_form(const Request& req) {
    if (req.header("content-type").rfind("multipart/form-data", 0) == 0) return parse_upload_form(req);
    return UploadForm{parse_urlencoded(req.body), {}, {}};
}

}  // namespace

void add_case_action(Router& router, const OfficePageServices& s, const std::string& pattern,
                     std::function<std::string(const Request&)> case_page, CaseAction action) {
    router.add("POST", pattern,
               staff_page(s, [case_page = std::move(case_page), action = std::move(action)](const Request& req,
                                                                                           const ra::Principal& who) {
                   UploadForm form = read_form(req);
                   require_csrf(req, form.fields);  // a forged or broken form gets the error page (403 / 400)
                   try {
                       return see_other(action(req, who, form));
                   } catch (const Error& e) {
                       return back_with_error(case_page(req), e);
                   }
               }),
               Execution::Blocking, "ui_office");
}

void add_document_action(Router& router, const OfficePageServices& s, const std::string& pattern,
                         std::function<std::string(const Request&)> case_page) {
    add_case_action(router, s, pattern, case_page,
                    [&s, case_page](const Request& req, const ra::Principal& who, UploadForm& form) {
                        std::string type = form.fields["doc_type"];
                        const std::map<std::string, std::string> file{{type, form.files["file"]}};
                        require_uploads(s, file, {type});
                        s.ra.office.documents.add_document(who, req.param("id"), type, core::to_bytes(file.at(type)));
                        return case_page(req);
                    });
}

Response back_with_error(const std::string& path, const Error& e) { return see_other(path + "?error=" + e.code()); }

std::string error_from_query(const Request& req, const std::string& lang) {
    std::string code = parse_urlencoded(req.query)["error"];
    return code.empty() ? "" : translate(lang, office_message_key(code));
}

}  // namespace yq::web
