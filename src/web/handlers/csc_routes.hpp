#pragma once
// CSC API transport: /csc/v2 (v2.0.0.2) and /csc/v1 (v1.0.4.0 dialect) over one CscService. Bodies, field names and
// error bodies follow the reference in the CSC specification; internal "accounts.*" errors are mapped per dialect.
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "signing/csc_service.hpp"
#include "web/router.hpp"

namespace yq::web {

void register_csc_routes(Router& router, signing::CscService& csc, pades::PadesService& pades, const core::Config& config);

}  // namespace yq::web
