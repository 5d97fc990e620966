#pragma once
// What the registration office's page families share: the staff session, the page wrapper that sends visitors who
// are not signed in to the sign-in page (and staff with a one-time password to the password page), the error-code →
// catalogue-message map, and the document uploads of a case file.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"
#include "ra/staff.hpp"
#include "web/handlers/office/ra_routes.hpp"
#include "web/router.hpp"
#include "web/ui/attempt_limiter.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::web {

struct OfficePageServices {
    const core::Config& config;
    const RaRouteServices& ra;
    const PageRenderer& pages;
    const core::Clock& clock;
    AttemptLimiter& sign_in_failures;  // per client address and per username
    // The CA administrator's page: the hierarchy, CRLs, and the live self-tests of the OCSP responder and the TSA.
    pki::CertificateAuthority& ca;
    pki::OcspResponder& ocsp;
    pki::TimeStampAuthority& tsa;
};

inline constexpr const char* kStaffSessionCookie = "yq_staff";

using StaffPageBody = std::function<Response(const Request&, const ra::Principal&)>;

// The catalogue key of the message staff read for an error code ("error.generic" for codes without one).
std::string office_message_key(const std::string& code);

// Who may open a staff page: Ready (the default) — the authenticator enrolled and the one-time password replaced;
// PasswordChange — the authenticator enrolled; SetUp — anyone signed in (sign-out, enrolling the authenticator).
enum class StaffPageAccess { Ready, PasswordChange, SetUp };

// A page for signed-in staff; others go to the sign-in page; at the first sign-in the authenticator is enrolled and
// then the one-time password replaced before anything else. A yq::Error becomes the error page in the visitor's
// language.
Handler staff_page(const OfficePageServices& s, StaffPageBody body, StaffPageAccess access = StaffPageAccess::Ready);

// May this member of staff do this? (Pages show only the steps a person may take; the office checks again.)
inline bool may(const ra::Principal& who, ra::Action action) { return ra::permits(who.roles, action); }
// May this member of staff take a step of the case's state table out of its state `from` by `action`?
template <class Status>
bool may_step(const ra::Principal& who, Status from, ra::Action action) {
    return may(who, action) && ra::has_step(from, action);
}

// Today's date in office time, "YYYY-MM-DD".
std::string office_today(const OfficePageServices& s);
// A staff actor ("staff:samuel") as the person's sign-in name on printed letters (#16: no internal ids on letters).
std::string person_of(const std::string& actor);
// "username · agency": what a booking is about (#16), as the office's lists show it.
std::string appointment_about(const ra::Appointment& a);
// The bookings for `purpose` that can be checked in now: the clerk picks one instead of typing its code (#16).
nlohmann::json due_now_view(const OfficePageServices& s, const std::string& purpose);
// A Unix time as office-time text, "YYYY-MM-DD HH:MM".
std::string office_time(const OfficePageServices& s, std::int64_t t);
// 00:00 office time of a "YYYY-MM-DD" date. Throws 400 "office.bad_date".
std::int64_t office_day_start(const OfficePageServices& s, const std::string& date);

// The configured identity document types as <option> data, labelled in `lang`.
nlohmann::json id_type_options(const OfficePageServices& s, const std::string& lang);
// Document types as <option> data, labelled in `lang`.
nlohmann::json document_options(const std::vector<std::string>& types, const std::string& lang);

// Every file the form carries for `doc_types` must pass the office's upload rules (type by content, size) before a
// case changes: throws what ra::check_upload throws. Missing files throw 422 "ui.missing_documents".
void require_uploads(const OfficePageServices& s, const std::map<std::string, std::string>& files,
                     const std::vector<std::string>& doc_types);
// The form's files that carry something, by field name (= document type), for a counter registration.
std::map<std::string, core::Bytes> documents_of(const std::map<std::string, std::string>& files);

// The case's checklist as page data: required documents with what is attached and what is missing.
nlohmann::json checklist_view(const OfficePageServices& s, const ra::Principal& who, const std::string& record_id,
                              const std::string& lang);

// The form a case page posts: multipart when it carries a file, urlencoded otherwise.
struct UploadForm;
using CaseAction = std::function<std::string(const Request&, const ra::Principal&, UploadForm&)>;
// A POST on a case page: the CSRF token checked (a forged form gets the 403 error page), the action run, and on to
// the page the action returns — or, when it failed, back to `case_page` with the error's code so the message shows
// beside the case.
void add_case_action(Router& router, const OfficePageServices& s, const std::string& pattern,
                     std::function<std::string(const Request&)> case_page, CaseAction action);
// The case page's document upload (fields doc_type + file): stored and attached to the case `{id}`.
void add_document_action(Router& router, const OfficePageServices& s, const std::string& pattern,
                         std::function<std::string(const Request&)> case_page);

// A page that redirects back to `path` with the error's code, so the case page can show the message beside it.
Response back_with_error(const std::string& path, const Error& e);
// The message for the `error` query parameter a case page was sent back with ("" without one).
std::string error_from_query(const Request& req, const std::string& lang);

}  // namespace yq::web
