#pragma once
// Self-service JSON API for a signed-in signer (the signer portal will sit on it): /api/v1/me, and password changes.
// Authenticated by the same bearer tokens as the CSC API (auth/login). Errors: {"error": code, "message": text}.
#include "accounts/account_service.hpp"
#include "pades/pades_service.hpp"
#include "ra/registration_office.hpp"
#include "validation/cms_validator.hpp"
#include "validation/pdf_validator.hpp"
#include "validation/signed_report.hpp"
#include "signing/csc_service.hpp"
#include "web/router.hpp"

namespace yq::web {

void register_account_api_routes(Router& router, accounts::AccountService& accounts, accounts::AccountStore& store,
                                 signing::CscService& csc, pki::CaStore& certificates, ra::RegistrationOffice& office,
                                 const core::Config& config, const core::Clock& clock);
// /api/v1/me/rekey and /api/v1/me/renew: the signer completes what the registration office approved.
void register_account_completion_routes(Router& router, signing::CscService& csc, ra::RegistrationOffice& office);
// POST /api/v1/validate: anyone may validate a PDF (the body is the file; nothing is kept); JSON report.
// POST /api/v1/validate: a PDF (application/pdf), a CMS signature file (enveloping, application/pkcs7-signature or
// octet-stream), or multipart/form-data with `file` and, for a detached signature, `content`.
// With ?signed=true the JSON report comes back signed by the validation service's HSM key (a JWS, #18).
void register_validation_routes(Router& router, const validation::PdfValidator& pdf, const validation::CmsValidator& cms,
                                validation::ReportSigner& signer, pades::PadesService& pades);
// POST /api/v1/me/signatures: the signer portal signs a PDF (signing password + OTP in the body, never stored).
void register_portal_signing_routes(Router& router, signing::CscService& csc, pades::PadesService& pades);

}  // namespace yq::web
