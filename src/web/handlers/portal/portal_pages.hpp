#pragma once
// The signer portal: sign in (login password + TOTP), the account at a glance (certificate, status, expiry, renewal
// reminder, what to do when locked), change the signing and the login password, sign a PDF (position on the page,
// level, signing password + OTP; the signed file comes back as a download), complete a renewal or re-key the office
// approved (the new key sealed under the signer's own password), sign out. The session is the CSC access
// token in an HttpOnly, SameSite=Strict cookie.
#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "pades/signature_records.hpp"
#include "ra/registration_office.hpp"
#include "signing/csc_service.hpp"
#include "transparency/signing_log.hpp"
#include "web/router.hpp"
#include "web/ui/attempt_limiter.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::web {

struct PortalPageServices {
    const core::Config& config;
    accounts::AccountService& accounts;
    signing::CscService& csc;
    pades::PadesService& pades;
    const PageRenderer& pages;
    const core::Clock& clock;
    AttemptLimiter& sign_in_failures;  // per client address and per username
    pades::SignatureRegister& signatures;  // the history of one's own signatures
    ra::RegistrationOffice& office;    // renewal and re-key the office approved, completed by the signer
    transparency::SigningLog& log;     // every use of the signer's key, with its proof (#18)
};

inline constexpr const char* kSessionCookie = "yq_session";

void register_portal_pages(Router& router, const PortalPageServices& s);

}  // namespace yq::web
