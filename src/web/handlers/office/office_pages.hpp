#pragma once
// The registration office's pages (first part): staff sign-in (password + TOTP, one-time password replaced first),
// the work queue (requests waiting for a check or for the second person's approval, today's appointments), an unlock
// at the appointment (appointment code, the unlock form and the ID copy uploaded, the original ID recorded), and the
// request page where a second person approves; the auditor's search; the CA administrator's page (hierarchy, CRL
// publication, profiles). Every action goes through RegistrationOffice, which checks the role
// and the four-eyes rule and writes the audit event in the same transaction.
#include "web/handlers/office/office_support.hpp"

namespace yq::web {

void register_office_pages(Router& router, const OfficePageServices& s);
// Agency registration (representative, letter, contact, documents, check, second officer's approval) and user
// service applications (checklist uploads, representative's sign-off, original ID, approval, the printed PIN letter).
void register_office_registration_pages(Router& router, const OfficePageServices& s);
// Revocation, renewal and re-key requests (unlock has its own counter page), the request page with sign-off, check,
// second person's approval and rejection.
void register_office_request_pages(Router& router, const OfficePageServices& s);
// #16: each case's form printed filled with what the office recorded
void register_office_form_pages(Router& router, const OfficePageServices& s);
// Staff sign-ins: the list, a new sign-in with its roles, a reset; secrets shown once.
void register_office_staff_pages(Router& router, const OfficePageServices& s);

}  // namespace yq::web
