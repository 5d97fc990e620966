#pragma once
// The registration office's pages (first part): staff sign-in (password + TOTP, one-time password replaced first),
// the work queue (requests waiting for a check or for the second person's approval, today's appointments), an unlock
// at the appointment (appointment code, the unlock form and the ID copy uploaded, the original ID recorded), and the
// request page where a second person approves; the auditor's search; the CA administrator's page (hierarchy, CRL
// publication, profiles). Every action goes through RegistrationOffice, which checks the role
// and the four-eyes rule and writes the audit event in the same transaction.
#include "core/clock.hpp"
#include "core/config.hpp"
#include "pki/certificate_authority.hpp"
#include "web/handlers/ra_routes.hpp"
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
    pki::CertificateAuthority& ca;     // the CA administrator's page
};

inline constexpr const char* kStaffSessionCookie = "yq_staff";

void register_office_pages(Router& router, const OfficePageServices& s);

}  // namespace yq::web
