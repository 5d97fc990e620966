#pragma once
// CSC API transport: /csc/v2 (v2.0.0.2) and /csc/v1 (v1.0.4.0 dialect) over one CscService. Bodies, field names and
// error bodies follow the reference in the CSC specification; internal "accounts.*" errors are mapped per dialect.
#include "core/clock.hpp"
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "signing/csc_service.hpp"
#include "web/router.hpp"
#include "web/ui/attempt_limiter.hpp"

namespace yq::web {

// `sign_ins` limits failed auth/login calls per client address and per username (#14), like the portal's sign-in form.
void register_csc_routes(Router& router, signing::CscService& csc, pades::PadesService& pades, const core::Config& config,
                         AttemptLimiter& sign_ins, const core::Clock& clock);

}  // namespace yq::web
