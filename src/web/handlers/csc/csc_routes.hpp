#pragma once
// CSC API transport: /csc/v2 (v2.0.0.2) and /csc/v1 (v1.0.4.0 dialect) over one CscService. Bodies, field names and
// error bodies follow the reference in the CSC specification; internal "accounts.*" errors are mapped per dialect.
// Each method is one function in handlers/csc/ (auth, credentials, signatures, signDoc).
#include "core/clock.hpp"
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "signing/csc_service.hpp"
#include "web/router.hpp"
#include "web/ui/attempt_limiter.hpp"

namespace yq::web {

// What the CSC methods use; the routes keep a reference to it, so it lives as long as the server.
struct CscRouteServices {
    signing::CscService& csc;
    pades::PadesService& pades;
    const core::Config& config;
    // Limits failed auth/login calls per client address and per username (#14), like the portal's sign-in form.
    AttemptLimiter& sign_ins;
    const core::Clock& clock;
};

void register_csc_routes(Router& router, const CscRouteServices& s);

}  // namespace yq::web
